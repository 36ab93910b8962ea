// Shared set-up for the browser tests: build the repository's site, serve it with `deling serve`,
// and open pages in Debian's Chromium (never a browser downloaded by a test tool).
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const deling = process.env.DELING_BIN || path.join(repo, 'target/debug/deling');

export async function startSite(port, root = repo) {
  const server = spawn(deling, ['serve', '--root', root, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(origin + '/')).ok) return { origin, stop: () => server.kill(), log: () => stderr };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('deling serve did not start: ' + stderr);
}

/// A copy of the repository's site (config, content, theme) that a test may edit.
export function copySite() {
  const root = mkdtempSync(path.join(tmpdir(), 'deling-copy-'));
  for (const part of ['config.toml', 'content', 'themes', '.github']) {
    cpSync(path.join(repo, part), path.join(root, part), { recursive: true });
  }
  return root;
}

/// Builds the same site to disk (same base URL as the server), for `deling search --site`.
export function buildSite(origin) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'deling-site-')), 'public');
  execFileSync(deling, ['build', '--root', repo, '--output', out, '--base-url', origin + '/'], { stdio: 'ignore' });
  return out;
}

export function cliSearch(site, q, filters = {}) {
  const args = ['search', q, '--json', '--limit', '10', '--site', site];
  for (const [name, values] of Object.entries(filters)) {
    for (const v of values) args.push('--' + (name === 'type' ? 'type' : name.replace('_', '-')), v);
  }
  const out = execFileSync(deling, args, { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line).id);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A page that records console errors and every request, in and outside the site.
export async function watchedPage(browser, origin, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  const outside = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => { if (!r.url().startsWith(origin + '/')) outside.push(r.url()); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') problems.push('worker: ' + m.text()); }));
  return { page, problems, outside };
}

/// Record ids of the results on the search page, in order.
export async function shownIds(page) {
  return page.$$eval('#search-results li h2 a', (links) => links.map((a) => {
    const parts = new URL(a.href).pathname.split('/').filter(Boolean);
    return parts.slice(-2).join('/');
  }));
}
