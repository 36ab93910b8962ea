// Deling search vs Pagefind, side by side in one run, on the repository's content and on a
// synthetic site. Not a test: it prints tables of measurements.
//
//   cd search-index/bench && npm ci && node bench.mjs [--records 10000] [--before BIN [--before-theme DIR]] [--warm 5]
//     [--first-runs 3] [--no-first-answer]
//
// DELING_BIN: the `deling` to measure (default: `cargo build --release -p deling`, then
// target/release/deling). --before BIN (or DELING_BEFORE_BIN): an older `deling`, run on the same
// corpora and shown in its own column, so a change can be shown before and after in one run.
//
// For each corpus and each `deling`: `deling build --timings` (our index build time is its
// `search_index` phase), then Pagefind indexing the same built HTML (record pages marked with
// data-pagefind-body, so both index the same records), sizes of engines and indexes, and in
// Debian's Chromium (playwright-core; CHROMIUM overrides /usr/bin/chromium) the bytes a first
// query and later queries transfer and the warm query latency (p50/p95).
//
// The first answer on a phone (--first-answer only, or by default after the tables above):
// Chromium with network emulation (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip), a cold
// cache for every measurement, the time from opening /sok/?q=… to the first result on screen,
// and from the first keystroke in the header field of a record page (typing 8 characters a
// second, then Enter) to the first result on the search page that follows; with the bytes
// transferred until then. Pagefind gets the same page and header field, with its own script
// (its JS API, each result shown as soon as its data arrives) in place of ours.
//
// On the repository's content, nDCG@10 and recall@10 of every engine on the whole judged set
// (search-index/relevance/queries.jsonl, filters included), with the gain and discount of
// search-index/src/relevance.rs, per kind of query (`covers`) and in total. Deling's rankings
// come from its browser engine (the worker the search page uses); the mean is checked against
// `deling relevance`, which ranks with the same engine natively.
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, gunzipSync, constants as zlib } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const option = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const records = Number(option('--records')) || 10000;
const beforeBin = option('--before') || process.env.DELING_BEFORE_BIN;
// An older `deling` may not know today's templates: --before-theme DIR (its commit's
// themes/default) builds its sites from a copy of each corpus with that theme instead.
const beforeTheme = option('--before-theme');
const targetDir = path.resolve(repo, process.env.CARGO_TARGET_DIR || 'target');
const deling = process.env.DELING_BIN ? path.resolve(process.env.DELING_BIN) : path.join(targetDir, 'release/deling');
const work = mkdtempSync(path.join(tmpdir(), 'deling-bench-'));
const judgedFile = path.join(repo, 'search-index/relevance/queries.jsonl');
const pagefindBin = path.join(here, 'node_modules/.bin/pagefind');
const pagefindVersion = JSON.parse(readFileSync(path.join(here, 'node_modules/pagefind/package.json'), 'utf8')).version;
const RUNS = 3; // builds per engine and corpus; times are medians
const skipFirst = process.argv.includes('--no-first-answer');
const WARM = Number(option('--warm')) || 5; // warm passes over the latency queries (after one cold pass); more for steadier p95
const CUTOFF = 10; // nDCG@10, recall@10

if (beforeBin && !existsSync(beforeBin)) throw new Error(`--before: no such file ${beforeBin}`);
if (!process.env.DELING_BIN) execFileSync('cargo', ['build', '--release', '--quiet', '-p', 'deling'], { cwd: repo, stdio: 'inherit' });
const engines = [{ key: 'after', label: 'Deling', bin: deling }];
if (beforeBin) engines.push({ key: 'before', label: 'Deling before', bin: path.resolve(beforeBin), theme: beforeTheme && path.resolve(beforeTheme) });
const version = (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
const sizes = (buf) => ({ raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length });
// The engine with the worker: raw and compressed as a whole, and as the server sends them (an xz
// engine as it is, with the page's decoder; scripts and a plain wasm engine gzipped).
const themeJs = (name) => readFileSync(path.join(repo, 'themes/default/static/js', name));
async function engineSizes(file) {
  const worker = themeJs('sok-worker.js');
  const gz = (buf) => gzipSync(buf, { level: 9 }).length;
  if (!file.endsWith('.xz')) return { ...sizes(Buffer.concat([readFileSync(file), worker])), sent: gz(Buffer.concat([readFileSync(file), worker])) };
  const { XzReadableStream } = createRequire(import.meta.url)(path.join(repo, 'themes/default/static/js/xz-decompress.js'));
  const wasm = Buffer.from(await new Response(new XzReadableStream(new Blob([readFileSync(file)]).stream())).arrayBuffer());
  return { ...sizes(Buffer.concat([wasm, worker])), sent: statSync(file).size + gz(themeJs('xz-decompress.js')) + gz(worker) };
}
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const total = (files) => files.reduce((n, f) => n + statSync(f).size, 0);

// The measures of relevance.rs: gain 2^grade − 1, discount log2(rank + 2); recall is the share
// of the judged-relevant records (grade ≥ 1) in the first k, out of at most k.
const gain = (g) => 2 ** g - 1;
function ndcg(ranked, judgments, k = CUTOFF) {
  const dcg = ranked.slice(0, k).reduce((s, id, r) => s + gain(judgments[id] || 0) / Math.log2(r + 2), 0);
  const ideal = Object.values(judgments).filter((g) => g > 0).sort((a, b) => b - a).slice(0, k).reduce((s, g, r) => s + gain(g) / Math.log2(r + 2), 0);
  return ideal ? dcg / ideal : 0;
}
function recall(ranked, judgments, k = CUTOFF) {
  const relevant = Object.values(judgments).filter((g) => g > 0).length;
  if (!relevant) return 0;
  return ranked.slice(0, k).filter((id) => (judgments[id] || 0) > 0).length / Math.min(relevant, k);
}

// A static server like GitHub Pages: gzip for whole text/wasm responses, Range requests honoured,
// and Pages' caching headers (ten minutes' freshness, a validator), which let the browser keep a
// response and let a second request for a file join the download already under way.
// Every response it sends is noted (`served`), so the first-answer measure counts the bytes that
// crossed the wire and not the ones the browser took from its cache (see `wireBytes`).
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.xml': 'application/xml' };
const served = new Map(); // "origin path?query|range" → bytes of each response sent, oldest first
const servedKey = (url, range) => `${url}|${range || ''}`;
function serve(root, port, extra, scripts = {}) {
  const origin = `http://127.0.0.1:${port}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const reply = (status, headers, body = Buffer.alloc(0)) => {
      res.writeHead(status, headers);
      res.end(body);
      // Status line and headers as sent, plus the body.
      const sent = Buffer.byteLength(res._header || '') + Buffer.byteLength(body);
      const key = servedKey(origin + req.url, req.headers.range);
      if (!served.has(key)) served.set(key, []);
      served.get(key).push(sent);
    };
    if (extra[url.pathname]) return reply(200, { 'content-type': 'text/html' }, extra[url.pathname]);
    if (scripts[url.pathname]) return reply(200, { 'content-type': 'text/javascript', 'content-encoding': 'gzip' }, gzipSync(scripts[url.pathname]));
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (file.endsWith('/')) file += 'index.html';
    const stat = file.startsWith(root) && existsSync(file) && statSync(file);
    if (!stat || stat.isDirectory()) return reply(404, {});
    const body = readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const common = {
      'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'max-age=600',
      'last-modified': stat.mtime.toUTCString(), etag: `"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
    };
    const range = req.headers.range && /bytes=(\d+)-(\d*)/.exec(req.headers.range);
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : body.length - 1;
      return reply(206, { ...common, 'content-range': `bytes ${start}-${end}/${body.length}` }, body.subarray(start, end + 1));
    }
    if (TYPES[path.extname(file)] && /gzip/.test(req.headers['accept-encoding'] || '')) {
      return reply(200, { ...common, 'content-encoding': 'gzip', vary: 'accept-encoding' }, gzipSync(body));
    }
    return reply(200, common, body);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// The bytes `request` (finished in the browser) cost on the wire: what the server sent for it,
// or 0 when the browser answered it from its cache (a prefetched engine, say), which Playwright's
// `request.sizes()` would count in full again.
async function wireBytes(request) {
  const range = (await request.allHeaders().catch(() => ({}))).range;
  const sent = served.get(servedKey(request.url(), range));
  return sent && sent.length ? sent.shift() : 0;
}

// `root` with its default theme replaced by `theme` (a copy; build output and caches left out).
function withTheme(root, theme) {
  const copy = mkdtempSync(path.join(work, 'root-'));
  const skipped = new Set(['target', 'node_modules', 'public'].map((name) => path.join(root, name)));
  cpSync(root, copy, { recursive: true, filter: (source) => !skipped.has(source) });
  rmSync(path.join(copy, 'themes/default'), { recursive: true, force: true });
  cpSync(theme, path.join(copy, 'themes/default'), { recursive: true });
  return copy;
}

function buildOurs(bin, root, out, origin) {
  const laps = [];
  const walls = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(bin, ['build', '--timings', '--root', root, '--output', out, '--base-url', origin + '/'], { encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (run.status !== 0) throw new Error(`${bin} build --root ${root}: ${run.stderr}`);
    laps.push(Object.fromEntries(/timings (.*)/.exec(run.stderr)[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])));
  }
  return { index: median(laps.map((l) => l.search_index)), related: median(laps.map((l) => l.related)), build: median(walls) };
}

const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// Prepares the built HTML for Pagefind and indexes it.
//
// - The record pages' articles get data-pagefind-body, so Pagefind indexes the records and
//   nothing else, as ours does. Their "related records" section gets data-pagefind-ignore: it
//   holds other records' titles and summaries, which our index does not count for a record either.
// - Filters: the pages carry no data-pagefind-filter attributes of their own, so this adds them,
//   as a site using Pagefind would: empty elements inside the article with the value in the
//   attribute (`data-pagefind-filter="network:digi-agder"`, no text, so nothing is added to what
//   is searched), one per value of each of our filters (type, network, service_area, solution,
//   municipality, status), taken from the site's open data (data/poster.json), the same record
//   fields our index takes its filter values from. Pagefind then filters inside its own search
//   (pf.search(q, { filters })) before ranking, as ours does; no post-filtering of a cut list.
// - --force-language nb: Pagefind otherwise splits the site by each page's <html lang>, and the
//   Nynorsk records (lang="nn") go into a second index that a Bokmål page never reads, so a
//   search from the nb page would never find them. Forced, every record is in one index, stemmed
//   as Bokmål (Pagefind has no Nynorsk stemmer either way); ours indexes both in one index, with
//   Nynorsk forms mapped to Bokmål.
function indexPagefind(out) {
  const data = JSON.parse(readFileSync(path.join(out, 'data/poster.json'), 'utf8'));
  const filters = new Map(data.records.map((r) => [r.id, {
    type: [r.type],
    network: r.networks || [],
    service_area: r.service_areas || [],
    solution: r.solutions || [],
    municipality: r.municipalities || [],
    status: [r.barrier?.status, r.project?.status].filter((s) => typeof s === 'string'),
  }]));
  let marked = 0;
  for (const kind of ['erfaringer', 'hindringer', 'prosjekter']) {
    const dir = path.join(out, kind);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir).filter((f) => f.endsWith('index.html') && path.dirname(path.dirname(f)) === dir)) {
      const id = `${kind}/${path.basename(path.dirname(file))}`;
      let html = readFileSync(file, 'utf8');
      if (html.includes('data-pagefind-body') || !filters.has(id)) continue;
      const spans = Object.entries(filters.get(id)).flatMap(([key, values]) => values.map((v) => `<span data-pagefind-filter="${key}:${escapeAttr(v)}"></span>`)).join('');
      html = html.replace(/<article class="record([^"]*)">/, (m, rest) => `<article data-pagefind-body class="record${rest}">${spans}`);
      html = html.replace('<section class="record__section" aria-labelledby="related-title"', '<section data-pagefind-ignore class="record__section" aria-labelledby="related-title"');
      writeFileSync(file, html);
      marked += 1;
    }
  }
  if (marked !== data.records.length) throw new Error(`Pagefind: marked ${marked} record pages, the open data lists ${data.records.length}`);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(pagefindBin, ['--site', out, '--force-language', 'nb', '--quiet'], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (run.status !== 0) throw new Error(run.stderr + run.stdout);
  }
  return median(times);
}

const PAGEFIND_PAGE = `<!doctype html><html lang="nb"><title>pagefind</title><script type="module">
window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); window.pfReady = true;
</script>`;

// The search page's worker, driven directly (where the page's data- attributes say). Each
// page.evaluate below opens its own worker with the same few lines: the page's CSP allows no eval.
async function ourWorker(page) {
  return {
    engine: await page.getAttribute('#search-app', 'data-engine'),
    index: await page.getAttribute('#search-app', 'data-index'),
    worker: await page.getAttribute('#search-app', 'data-worker'),
  };
}

// Ours: the real search page; the worker's requests are what a query costs.
async function measureOurs(browser, origin, queries) {
  const result = {};
  served.clear();
  const page = await browser.newPage();
  let bytes = 0;
  page.on('requestfinished', async (r) => {
    const u = r.url();
    if (/\/sok\/(motor|indeks|etiketter)|sok-worker|xz-decompress/.test(u)) bytes += await wireBytes(r);
  });
  await page.goto(origin + '/sok/');
  const later = [];
  for (const [i, q] of queries.entries()) {
    // The first query counts from the page's opening: the engine, the manifest and the warm
    // pieces may have arrived before it is typed, and are still its cost.
    const before = i === 0 ? 0 : bytes;
    await page.fill('#search-page-q', q);
    // The whole answer: its summary said, and its filter counts in (the first hits of a search
    // that lacks index pieces come before them, the counts marked busy meanwhile).
    await page.waitForFunction((q) => {
      const said = document.getElementById('search-status').textContent;
      return (said.includes('«' + q + '»') || said.includes('Ingen')) && !document.getElementById('search-facets').hasAttribute('aria-busy');
    }, q, { timeout: 60000 });
    await page.waitForTimeout(300);
    if (i === 0) result.first = bytes - before;
    else later.push(bytes - before);
  }
  result.later = median(later);
  // Warm latency: a search's round trip to the worker (the engine's time plus the message).
  result.latency = await page.evaluate(async ({ where, queries, warm }) => {
    const w = new Worker(where.worker);
    const ask = (request) => new Promise((resolve, reject) => {
      // The whole answer: a search that lacked index pieces also sends its first hits before it.
      w.onmessage = (e) => { if (e.data.type === 'results' && !e.data.partial) resolve(e.data.response); else if (e.data.type === 'error') reject(new Error(e.data.message)); };
      w.postMessage({ type: 'search', id: 1, request });
    });
    const opened = new Promise((resolve) => { w.onmessage = resolve; });
    // A worker from before the page compiled the engine fetches it itself, from `engine`.
    w.postMessage({ type: 'init', engine: where.engine, index: where.index });
    const fetched = (await fetch(where.engine)).body; // xz since issue 16, decompressed by the page's decoder
    const wasm = where.engine.endsWith('.xz') ? new window['xz-decompress'].XzReadableStream(fetched) : fetched;
    w.postMessage({ type: 'engine', module: await WebAssembly.compile(await new Response(wasm).arrayBuffer()) });
    await opened;
    const ms = [];
    for (let pass = 0; pass <= warm; pass++) for (const q of queries) {
      const started = performance.now();
      await ask({ q, filters: {}, limit: 10, offset: 0 });
      if (pass > 0) ms.push(performance.now() - started);
    }
    w.terminate();
    return ms;
  }, { where: await ourWorker(page), queries, warm: WARM });
  await page.close();
  return result;
}

// Pagefind: its own JS API, a search plus the data of the first ten results (to show them).
async function measurePagefind(browser, origin, queries) {
  const result = {};
  served.clear();
  const page = await browser.newPage();
  let bytes = 0;
  page.on('requestfinished', async (r) => { if (r.url().includes('/pagefind/')) bytes += await wireBytes(r); });
  await page.goto(origin + '/__bench/pagefind.html');
  await page.waitForFunction(() => window.pfReady === true);
  const later = [];
  const initBytes = bytes;
  for (const [i, q] of queries.entries()) {
    const before = bytes;
    await page.evaluate(async (q) => { const r = await window.pf.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); }, q);
    await page.waitForTimeout(300);
    if (i === 0) result.first = bytes - before + initBytes;
    else later.push(bytes - before);
  }
  result.later = median(later);
  result.latency = await page.evaluate(async ({ queries, warm }) => {
    const ms = [];
    for (let pass = 0; pass <= warm; pass++) for (const q of queries) {
      const started = performance.now();
      const r = await window.pf.search(q);
      await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
      if (pass > 0) ms.push(performance.now() - started);
    }
    return ms;
  }, { queries, warm: WARM });
  await page.close();
  return result;
}

// --- The first answer on a throttled connection ------------------------------------------
const SLOW = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const TYPING_MS = 125; // per character

// Pagefind's stand-in for our sok.js: on the search page, its JS API answers the query in the
// address and each of the first five results (Pagefind UI's page) is shown when its data comes.
const PAGEFIND_SOK = `'use strict';
(async () => {
  const app = document.getElementById('search-app');
  const q = new URLSearchParams(location.search).get('q');
  if (!app || !q) return;
  document.getElementById('search-page-q').value = q;
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const found = await pf.search(q);
  const list = document.getElementById('search-results');
  list.hidden = false;
  document.getElementById('search-fallback').hidden = true;
  found.results.slice(0, 5).forEach((result) => {
    const li = document.createElement('li');
    list.append(li);
    result.data().then((data) => {
      const link = document.createElement('a');
      link.href = data.url;
      link.textContent = data.meta.title;
      const excerpt = document.createElement('p');
      excerpt.innerHTML = data.excerpt;
      li.className = 'search-hit';
      li.append(link, excerpt);
    });
  });
})();`;

// Records, in Node's clock, when the first result appears (an element .search-hit with a link).
const FIRST_RESULT_WATCH = () => {
  const seen = () => document.querySelector('#search-results .search-hit a');
  const observer = new MutationObserver(() => {
    if (window.__firstSeen && seen()) { observer.disconnect(); window.__firstSeen(performance.now()); window.__firstSeen = null; }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
};

// One cold measurement: `flow` 'address' opens /sok/?q=…, 'header' types into a record page's
// header field first. Returns { ms, bytes, answered } (answered: a first answer file was read).
async function firstAnswerOnce(browser, origin, recordPath, q, flow) {
  served.clear(); // measurements run one at a time: nothing served before belongs to this one
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  const finished = [];
  let answered = false;
  context.on('requestfinished', async (r) => {
    const at = Date.now();
    if (/\/sok\/svar\//.test(r.url()) && r.response() && (await r.response())?.ok()) answered = true;
    finished.push({ at, bytes: await wireBytes(r) });
  });
  let seenAt = 0;
  let resolveSeen;
  const seen = new Promise((resolve) => { resolveSeen = resolve; });
  await page.exposeFunction('__firstSeen', () => { seenAt = Date.now(); resolveSeen(); });
  await page.addInitScript(FIRST_RESULT_WATCH);
  let started;
  if (flow === 'address') {
    started = Date.now();
    await page.goto(origin + '/sok/?q=' + encodeURIComponent(q), { waitUntil: 'commit' });
  } else {
    await page.goto(origin + recordPath, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    started = Date.now();
    await page.click('#header-search');
    await page.keyboard.type(q, { delay: TYPING_MS });
    await page.keyboard.press('Enter');
  }
  await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`no result for «${q}» at ${origin}`)), 120000))]);
  await page.waitForTimeout(50);
  const bytes = finished.filter((f) => f.at >= started && f.at <= seenAt).reduce((n, f) => n + f.bytes, 0);
  await context.close();
  return { ms: seenAt - started, bytes, answered };
}

// Every query and flow, Deling (each `deling`) and Pagefind, RUNS_FIRST times each; medians.
const RUNS_FIRST = Number(option('--first-runs')) || 3;
async function firstAnswers(browser, row, corpus) {
  const recordPath = (() => {
    const data = JSON.parse(readFileSync(path.join(row.engines.after.out, 'data/poster.json'), 'utf8'));
    return new URL(data.records[0].url).pathname;
  })();
  const sides = [...engines.map((e) => ({ label: e.label, origin: row.engines[e.key].origin })), { label: 'Pagefind', origin: row.pagefindOrigin }];
  const table = [];
  for (const flow of ['address', 'header']) {
    for (const q of corpus.firstQueries) {
      const cells = {};
      for (const side of sides) {
        const runs = [];
        for (let i = 0; i < RUNS_FIRST; i++) runs.push(await firstAnswerOnce(browser, side.origin, recordPath, q, flow));
        cells[side.label] = { ms: median(runs.map((r) => r.ms)), bytes: median(runs.map((r) => r.bytes)), answered: runs.some((r) => r.answered) };
      }
      table.push({ flow, q, cells });
    }
  }
  return { sides: sides.map((s) => s.label), table };
}

const judged = readFileSync(judgedFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const idOfUrl = (u) => new URL(u, 'http://x').pathname.split('/').filter(Boolean).slice(-2).join('/');

async function oursRanked(browser, origin) {
  const page = await browser.newPage();
  await page.goto(origin + '/sok/');
  // The page adds the engine's decoder once the engine starts to arrive (a Deling from before
  // issue 16's xz engine has none).
  if ((await ourWorker(page)).engine.endsWith('.xz')) await page.waitForFunction(() => window['xz-decompress'], null, { timeout: 60000 });
  const ranked = await page.evaluate(async ({ where, queries }) => {
    const w = new Worker(where.worker);
    const ask = (request) => new Promise((resolve, reject) => {
      w.onmessage = (e) => { if (e.data.type === 'results') resolve(e.data.response); else if (e.data.type === 'error') reject(new Error(e.data.message)); };
      w.postMessage({ type: 'search', id: 1, request });
    });
    const opened = new Promise((resolve) => { w.onmessage = resolve; });
    // A worker from before the page compiled the engine fetches it itself, from `engine`.
    w.postMessage({ type: 'init', engine: where.engine, index: where.index });
    const fetched = (await fetch(where.engine)).body; // xz since issue 16, decompressed by the page's decoder
    const wasm = where.engine.endsWith('.xz') ? new window['xz-decompress'].XzReadableStream(fetched) : fetched;
    w.postMessage({ type: 'engine', module: await WebAssembly.compile(await new Response(wasm).arrayBuffer()) });
    await opened;
    const out = [];
    for (const j of queries) out.push((await ask({ q: j.q, filters: j.filters || {}, limit: 10, offset: 0 })).hits.map((h) => h.id));
    w.terminate();
    return out;
  }, { where: await ourWorker(page), queries: judged.map(({ q, filters }) => ({ q, filters })) });
  await page.close();
  return ranked;
}

// Pagefind's filters are the data-pagefind-filter attributes indexPagefind adds; `any` makes the
// values of one filter ORed, as ours (every judged filter has one value, so it is moot today).
async function pagefindRanked(browser, origin) {
  const page = await browser.newPage();
  await page.goto(origin + '/__bench/pagefind.html');
  await page.waitForFunction(() => window.pfReady === true);
  const known = await page.evaluate(() => window.pf.filters());
  for (const j of judged) for (const [key, values] of Object.entries(j.filters || {})) {
    for (const v of values) if (!known[key] || !(v in known[key])) console.warn(`warning: Pagefind knows no filter ${key}:${v} (query «${j.q}»)`);
  }
  const ranked = [];
  for (const j of judged) {
    const filters = Object.fromEntries(Object.entries(j.filters || {}).map(([k, v]) => [k, { any: v }]));
    const urls = await page.evaluate(async ({ q, filters }) => {
      const r = await window.pf.search(q, { filters });
      return Promise.all(r.results.slice(0, 10).map(async (x) => (await x.data()).url));
    }, { q: j.q, filters });
    ranked.push(urls.map(idOfUrl));
  }
  await page.close();
  return ranked;
}

// `deling relevance` on the same queries: the native engine, to check the browser rankings.
function cliRelevance(engine) {
  const root = engine.theme ? withTheme(repo, engine.theme) : repo;
  const run = spawnSync(engine.bin, ['relevance', '--root', root, '--queries', judgedFile], { encoding: 'utf8', cwd: root });
  const m = /nDCG@10 ([0-9.]+)\s+recall@10 ([0-9.]+)/.exec(run.stdout);
  return m ? { ndcg: Number(m[1]), recall: Number(m[2]) } : null;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const corpora = [
  // firstQueries: what someone on a phone types first; one word, or two (no first answer).
  { name: 'repository', root: repo, queries: ['velferdsteknologi', 'kobo', 'arkiv', 'beredskap', 'tilsyn', 'helsestasjon', 'sosialhjelp'],
    firstQueries: ['arkiv', 'helsestasjon', 'digital postkasse', 'ros analyse'] },
  { name: `synthetic ${records}`, root: path.join(work, 'synth'), queries: ['velferdsteknologi', 'helsestasjon', 'arkiv', 'beredskap', 'sensor', 'bolig', 'barnevern'],
    firstQueries: ['barnevern', 'sensor', 'digital postkasse', 'bolig sosialhjelp'] },
];
// One synthetic corpus for every engine, written by the `deling` under test.
execFileSync(deling, ['dev', 'synth', '--records', String(records), '--out', corpora[1].root, '--root', repo], { stdio: 'ignore' });

const results = [];
let port = 18200;
for (const corpus of corpora) {
  const row = { corpus: corpus.name, engines: {} };
  const servers = [];
  for (const engine of engines) {
    port += 1;
    const origin = `http://127.0.0.1:${port}`;
    const out = path.join(work, corpus.name.replace(/\s/g, '-'), engine.key, 'public');
    mkdirSync(path.dirname(out), { recursive: true });
    const build = buildOurs(engine.bin, engine.theme ? withTheme(corpus.root, engine.theme) : corpus.root, out, origin);
    const engineFile = walk(path.join(out, 'sok')).find((f) => /\.wasm(\.xz)?$/.test(f));
    row.engines[engine.key] = {
      build,
      engineSize: await engineSizes(engineFile),
      index: total(walk(path.join(out, 'sok/indeks'))),
      out, origin,
    };
    servers.push(await serve(out, port, { '/__bench/pagefind.html': PAGEFIND_PAGE }));
  }
  // Pagefind indexes the HTML the `deling` under test built (served from the same origin).
  const main = row.engines.after;
  const pfTime = indexPagefind(main.out);
  const pfDir = path.join(main.out, 'pagefind');
  const pfWasm = walk(pfDir).find((f) => /wasm\..*pagefind$/.test(f));
  row.pagefind = {
    build: pfTime,
    engineSize: { ...sizes(Buffer.concat([gunzipSync(readFileSync(pfWasm)), readFileSync(path.join(pfDir, 'pagefind.js'))])), sent: statSync(pfWasm).size + gzipSync(readFileSync(path.join(pfDir, 'pagefind.js')), { level: 9 }).length },
    index: total(walk(pfDir).filter((f) => !f.endsWith('.js') && !/wasm\./.test(f) && !f.endsWith('.css'))),
  };
  // Pagefind's flow: the same site, its search page driven by Pagefind's script instead of ours.
  port += 1;
  row.pagefindOrigin = `http://127.0.0.1:${port}`;
  servers.push(await serve(main.out, port, { '/__bench/pagefind.html': PAGEFIND_PAGE }, { '/js/sok.js': PAGEFIND_SOK }));
  if (!skipFirst) row.first = await firstAnswers(browser, row, corpus);
  for (const engine of engines) row.engines[engine.key].m = await measureOurs(browser, row.engines[engine.key].origin, corpus.queries);
  row.pagefind.m = await measurePagefind(browser, main.origin, corpus.queries);
  if (corpus.name === 'repository') {
    row.ranked = { pagefind: await pagefindRanked(browser, main.origin) };
    row.cli = {};
    for (const engine of engines) {
      row.ranked[engine.key] = await oursRanked(browser, row.engines[engine.key].origin);
      row.cli[engine.key] = cliRelevance(engine);
    }
  }
  for (const s of servers) s.close();
  results.push(row);
}
await browser.close();

// Tables, Markdown, padded to line up in a terminal.
function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]));
  const lines = [header.map(cell), widths.map((w, i) => (align[i] === 'r' ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))), ...rows.map((r) => r.map(cell))];
  return lines.map((l) => '| ' + l.join(' | ') + ' |').join('\n');
}
const ratio = (a, b) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) + '×' : '–');
const signed = (x) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(3);
const has = (key) => engines.some((e) => e.key === key);
const cols = engines.map((e) => e.label);

console.log(`\nDeling search vs Pagefind ${pagefindVersion} (${new Date().toISOString().slice(0, 10)}; ${engines.map((e) => `${e.label}: ${version(e.bin)} at ${e.bin}`).join('; ')})`);
console.log(`Build times: median of ${RUNS} builds. Transfers: one Chromium page, a first query, then the median of the later ones (each a new word). Latency: ${WARM} warm passes over the ${corpora[0].queries.length} queries, p50/p95. Ratio: Deling ÷ Pagefind.`);
for (const row of results) {
  const e = (k) => row.engines[k];
  const keys = engines.map((x) => x.key);
  const rows = [];
  const add = (name, f, num) => rows.push([name, ...keys.map((k) => f(e(k))), f(row.pagefind), num ? ratio(num(e('after')), num(row.pagefind)) : '']);
  add('engine, raw', (x) => kb(x.engineSize.raw), (x) => x.engineSize.raw);
  add('engine, gzip', (x) => kb(x.engineSize.gzip), (x) => x.engineSize.gzip);
  add('engine, brotli', (x) => kb(x.engineSize.brotli), (x) => x.engineSize.brotli);
  add('engine, as sent', (x) => kb(x.engineSize.sent), (x) => x.engineSize.sent);
  add('index on disk', (x) => kb(x.index), (x) => x.index);
  add('first query transfers', (x) => kb(x.m.first), (x) => x.m.first);
  add('later query transfers (median)', (x) => kb(x.m.later), (x) => x.m.later);
  add('warm query p50', (x) => median(x.m.latency).toFixed(2) + ' ms', (x) => median(x.m.latency));
  add('warm query p95', (x) => percentile(x.m.latency, 0.95).toFixed(2) + ' ms', (x) => percentile(x.m.latency, 0.95));
  add('index build (median)', (x) => (x.build.index ?? x.build).toFixed(2) + ' s', (x) => x.build.index ?? x.build);
  rows.push(['related records (median)', ...keys.map((k) => e(k).build.related.toFixed(2) + ' s'), '', '']);
  rows.push(['whole site build (median)', ...keys.map((k) => e(k).build.build.toFixed(2) + ' s'), '', '']);
  console.log(`\n### ${row.corpus} (${row.corpus === 'repository' ? 'content/ of this repository' : `deling dev synth --records ${records}`})\n`);
  console.log(table(['measure', ...cols, 'Pagefind', 'ratio'], rows, ['l', ...cols.map(() => 'r'), 'r', 'r']));
  if (row.first) {
    const header = ['from', 'query', ...row.first.sides.flatMap((s) => [`${s}, ms`, `${s}, bytes`]), 'ms ratio', 'bytes ratio'];
    const lines = row.first.table.map(({ flow, q, cells }) => [
      flow === 'address' ? 'opening /sok/?q=' : 'header field',
      `«${q}»`,
      ...row.first.sides.flatMap((s) => [`${cells[s].ms}${cells[s].answered ? ' *' : ''}`, kb(cells[s].bytes)]),
      ratio(cells.Deling.ms, cells.Pagefind.ms),
      ratio(cells.Deling.bytes, cells.Pagefind.bytes),
    ]);
    console.log(`\nFirst result on screen, cold cache, Chromium emulating 1.6 Mbit/s down, 150 ms round trip (median of ${RUNS_FIRST}; * a first answer file was read). From the header field: from the first keystroke, typing ${1000 / TYPING_MS} characters a second, then Enter.\n`);
    console.log(table(header, lines, ['l', 'l', ...header.slice(2).map(() => 'r')]));
  }
}

const repoRow = results.find((r) => r.ranked);
if (repoRow) {
  const scores = {};
  for (const key of [...engines.map((e) => e.key), 'pagefind']) {
    scores[key] = judged.map((j, i) => ({ ndcg: ndcg(repoRow.ranked[key][i], j.judgments), recall: recall(repoRow.ranked[key][i], j.judgments) }));
  }
  const groups = [];
  const kinds = [...new Set(judged.flatMap((j) => j.covers || []))].sort();
  for (const kind of kinds) groups.push([kind, judged.map((j, i) => ((j.covers || []).includes(kind) ? i : -1)).filter((i) => i >= 0)]);
  const isFiltered = (j) => Object.keys(j.filters || {}).length > 0;
  groups.push(['(without filters)', judged.map((j, i) => (isFiltered(j) ? -1 : i)).filter((i) => i >= 0)]);
  groups.push(['(with filters)', judged.map((j, i) => (isFiltered(j) ? i : -1)).filter((i) => i >= 0)]);
  groups.push(['ALL', judged.map((_, i) => i)]);
  for (const [metric, title] of [['ndcg', 'nDCG@10'], ['recall', 'recall@10']]) {
    const header = ['kind of query', 'n', 'Deling', ...(has('before') ? ['Deling before', 'Δ after − before'] : []), 'Pagefind', 'Δ Deling − Pagefind', 'ratio'];
    const rows = groups.map(([name, idx]) => {
      const m = (key) => mean(idx.map((i) => scores[key][i][metric]));
      const a = m('after');
      const p = m('pagefind');
      return [name, idx.length, a.toFixed(3), ...(has('before') ? [m('before').toFixed(3), signed(a - m('before'))] : []), p.toFixed(3), signed(a - p), ratio(a, p)];
    });
    console.log(`\n### ${title} on the ${judged.length} judged queries (search-index/relevance/queries.jsonl), by kind (a query counts for each kind it covers)\n`);
    console.log(table(header, rows, ['l', 'r', ...header.slice(2).map(() => 'r')]));
  }
  console.log('\nCheck, `deling relevance` (native engine, in-memory build) on the same file:');
  for (const e of engines) {
    const c = repoRow.cli[e.key];
    const mine = { ndcg: mean(scores[e.key].map((s) => s.ndcg)), recall: mean(scores[e.key].map((s) => s.recall)) };
    console.log(`  ${e.label}: ${c ? `nDCG@10 ${c.ndcg.toFixed(4)} recall@10 ${c.recall.toFixed(4)}` : 'could not run'}; browser engine here: nDCG@10 ${mine.ndcg.toFixed(4)} recall@10 ${mine.recall.toFixed(4)}`);
  }
  const perQuery = judged.map((j, i) => ({ q: j.q, filters: j.filters, covers: j.covers, ...Object.fromEntries(Object.keys(scores).map((k) => [k, { ...scores[k][i], ranked: repoRow.ranked[k][i] }])) }));
  writeFileSync(path.join(work, 'relevance.json'), JSON.stringify(perQuery, null, 1));
  console.log(`Per query (ranked ids and scores of every engine): ${path.join(work, 'relevance.json')}`);
}
console.log(`\nWork folder: ${work}`);
