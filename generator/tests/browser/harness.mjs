// Shared set-up for the browser tests: build the repository's site, serve it with `deling serve`,
// and open pages in Debian's Chromium (never a browser downloaded by a test tool).
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const deling = process.env.DELING_BIN || path.join(repo, 'target/debug/deling');

/// Serves `root` with `deling serve` on a port the system picks (`--port 0`), so test files can
/// run side by side without a fixed port two of them might share (one would then test the
/// other's site). Resolves once the server says where it runs, which is after its first build;
/// fails if it exits first or says nothing for a minute (a debug build of a site takes seconds).
export async function startSite(root = repo) {
  const server = spawn(deling, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let timer;
  const origin = await new Promise((resolve, reject) => {
    const fail = (why) => { server.kill(); reject(new Error(`deling serve did not start (${why}): ${stderr}`)); };
    timer = setTimeout(() => fail('no address after 60 s'), 60_000);
    server.stderr.on('data', (d) => {
      stderr += d;
      const running = /Nettstedet kjører på (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (running) resolve(running[1]);
    });
    server.on('exit', () => fail('it exited'));
  }).finally(() => clearTimeout(timer));
  return { origin, stop: () => server.kill(), log: () => stderr };
}

/// A copy of the repository's site (config, content, theme) that a test may edit.
export function copySite() {
  const root = mkdtempSync(path.join(tmpdir(), 'deling-copy-'));
  for (const part of ['config.toml', 'content', 'themes', '.github']) {
    cpSync(path.join(repo, part), path.join(root, part), { recursive: true });
  }
  return root;
}

/// A new, not yet existing output folder in a temporary folder of its own.
export function siteFolder() {
  return path.join(mkdtempSync(path.join(tmpdir(), 'deling-site-')), 'public');
}

/// Builds the site to disk with the server's base URL (`origin`), for `deling search --site` or
/// for serving with `serveDir`.
export function buildSite(origin, root = repo, out = siteFolder()) {
  execFileSync(deling, ['build', '--root', root, '--output', out, '--base-url', origin + '/'], { stdio: 'ignore' });
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

/// Whether the focused element's focus can be seen: a 2 px outline or a box shadow, on screen.
/// `null` when nothing has focus.
export async function focusSeen(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    const onScreen = box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
    return { seen: (outline || shadow) && onScreen, what: el.outerHTML.slice(0, 80) };
  });
}

/// Record ids of the results on the search page, in order.
export async function shownIds(page) {
  return page.$$eval('#search-results li h2 a', (links) => links.map((a) => {
    const parts = new URL(a.href).pathname.split('/').filter(Boolean);
    return parts.slice(-2).join('/');
  }));
}

/// Serves a folder written by `deling build` as a static host would (GitHub Pages): files as
/// they are, `index.html` for folders, `404.html` with status 404, and byte ranges (the search
/// worker reads the index with Range requests). No reload script, nothing added. With
/// `rangeDelay` (ms), each range is answered that much later, like a slow link's round trip,
/// and `peakRanges` holds, per file, the most of its ranges that were asked for at once.
export async function serveDir(dir, { rangeDelay = 0 } = {}) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const types = {
    '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
    '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.xz': 'application/x-xz',
    '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  };
  const peakRanges = new Map();
  const openRanges = new Map();
  const server = createServer(async (req, res) => {
    let file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (file.endsWith('/')) file += 'index.html';
    let body;
    let status = 200;
    try {
      body = await readFile(file);
    } catch {
      try {
        body = await readFile(path.join(file, 'index.html'));
        file = path.join(file, 'index.html');
      } catch {
        body = await readFile(path.join(dir, '404.html'));
        file = '404.html';
        status = 404;
      }
    }
    const headers = { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'accept-ranges': 'bytes' };
    const range = status === 200 && /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range || '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] === undefined ? body.length - 1 : Number(range[2]), body.length - 1);
      const open = (openRanges.get(file) || 0) + 1;
      openRanges.set(file, open);
      peakRanges.set(file, Math.max(open, peakRanges.get(file) || 0));
      await new Promise((resolve) => setTimeout(resolve, rangeDelay));
      openRanges.set(file, openRanges.get(file) - 1);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` });
      res.end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  });
  // A port the system picks, as startSite does; `dir` may be built after, with `origin`.
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, peakRanges, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/// For running a workflow's steps outside GitHub: `runner(name)` makes a runner's folders under a
/// temporary folder that is removed after the file's tests: `origin` (for a bare repository),
/// `clone` (the checkout), `temp` (RUNNER_TEMP) and `bin` (stand-ins such as `gh`, put first
/// on PATH by the test).
export function runners(prefix) {
  let work;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), prefix));
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  return (name) => {
    const dir = path.join(work, name);
    const folders = { dir, origin: path.join(dir, 'origin.git'), clone: path.join(dir, 'clone'), temp: path.join(dir, 'temp'), bin: path.join(dir, 'bin') };
    for (const d of [folders.temp, folders.bin]) mkdirSync(d, { recursive: true });
    return folders;
  };
}
