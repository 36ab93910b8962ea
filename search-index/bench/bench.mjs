// Deling search vs Pagefind, side by side in one run, on the repository's content and on a
// synthetic site. Not a test: it prints a table of measurements.
//
//   node bench.mjs [--records 10000]
//
// For each corpus: `deling build --timings` (our index build time is its `search_index` phase),
// Pagefind indexing the same built HTML (record pages marked with data-pagefind-body, so both
// index the same records), sizes of engines and indexes, and in Debian's Chromium the bytes a
// first query and later queries transfer and the warm query latency (p50/p95). On the
// repository's content, nDCG@10 of both engines on the public judged queries.
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, gunzipSync, constants as zlib } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const records = Number(process.argv[process.argv.indexOf('--records') + 1]) || 10000;
const deling = process.env.DELING_BIN || path.join(repo, 'target/release/deling');
const work = mkdtempSync(path.join(tmpdir(), 'deling-bench-'));
const RUNS = 3;

if (!process.env.DELING_BIN) execFileSync('cargo', ['build', '--release', '--quiet', '-p', 'deling'], { cwd: repo, stdio: 'inherit' });

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
const sizes = (buf) => ({ raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length });
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const total = (files) => files.reduce((n, f) => n + statSync(f).size, 0);

// A static server like GitHub Pages: gzip for whole text/wasm responses, Range requests honoured.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.xml': 'application/xml' };
function serve(root, port, extra) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (extra[url.pathname]) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(extra[url.pathname]); return; }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (file.endsWith('/')) file += 'index.html';
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    const body = readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const range = req.headers.range && /bytes=(\d+)-(\d*)/.exec(req.headers.range);
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : body.length - 1;
      res.writeHead(206, { 'content-type': type, 'content-range': `bytes ${start}-${end}/${body.length}`, 'accept-ranges': 'bytes' });
      res.end(body.subarray(start, end + 1));
      return;
    }
    if (TYPES[path.extname(file)] && /gzip/.test(req.headers['accept-encoding'] || '')) {
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', 'accept-ranges': 'bytes' });
      res.end(gzipSync(body));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'accept-ranges': 'bytes' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function buildOurs(root, out, origin) {
  const laps = [];
  const walls = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(deling, ['build', '--timings', '--root', root, '--output', out, '--base-url', origin + '/'], { encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (run.status !== 0) throw new Error(run.stderr);
    laps.push(Object.fromEntries(/timings (.*)/.exec(run.stderr)[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])));
  }
  return { index: median(laps.map((l) => l.search_index)), related: median(laps.map((l) => l.related)), build: median(walls) };
}

function indexPagefind(out) {
  // Mark the record pages' articles so Pagefind indexes the records and nothing else, as ours does.
  for (const kind of ['erfaringer', 'hindringer', 'prosjekter']) {
    const dir = path.join(out, kind);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir).filter((f) => f.endsWith('index.html') && path.dirname(f) !== dir && !/\/side\//.test(f))) {
      const html = readFileSync(file, 'utf8');
      if (!html.includes('data-pagefind-body')) writeFileSync(file, html.replace('<article class="record', '<article data-pagefind-body class="record'));
    }
  }
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(path.join(here, 'node_modules/.bin/pagefind'), ['--site', out, '--quiet'], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (run.status !== 0) throw new Error(run.stderr + run.stdout);
  }
  return median(times);
}

const PAGEFIND_PAGE = `<!doctype html><html lang="nb"><title>pagefind</title><script type="module">
window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); window.pfReady = true;
</script>`;

async function measure(browser, origin, queries) {
  const result = {};
  // Ours: the real search page; the worker's requests are what a query costs.
  {
    const page = await browser.newPage();
    let bytes = 0;
    page.on('requestfinished', async (r) => {
      const u = r.url();
      if (/\/sok\/(motor|indeks|etiketter)|sok-worker/.test(u)) { const s = await r.sizes(); bytes += s.responseBodySize + s.responseHeadersSize; }
    });
    await page.goto(origin + '/sok/');
    const timings = [];
    const later = [];
    for (const [i, q] of queries.entries()) {
      const before = bytes;
      const started = Date.now();
      await page.fill('#search-page-q', q);
      await page.waitForFunction((q) => document.getElementById('search-status').textContent.includes('«' + q + '»') || document.getElementById('search-status').textContent.includes('Ingen'), q, { timeout: 60000 });
      await page.waitForTimeout(300);
      if (i === 0) result.oursFirst = bytes - before;
      else later.push(bytes - before);
      timings.push(Date.now() - started);
    }
    result.oursLater = median(later);
    // Warm latency: the engine's own time for each query, measured inside the worker.
    result.oursLatency = await page.evaluate(async ({ queries, engine, index, worker }) => {
      const w = new Worker(worker);
      const ask = (msg) => new Promise((resolve) => { w.onmessage = (e) => { if (e.data.type !== 'ready') resolve(e.data); }; w.postMessage(msg); });
      await new Promise((resolve) => { w.onmessage = resolve; w.postMessage({ type: 'init', engine, index }); });
      const ms = [];
      for (let pass = 0; pass < 3; pass++) for (const [i, q] of queries.entries()) {
        const started = performance.now();
        await ask({ type: 'search', id: i, request: { q, filters: {}, limit: 10, offset: 0 } });
        if (pass > 0) ms.push(performance.now() - started);
      }
      w.terminate();
      return ms;
    }, { queries, engine: await page.getAttribute('#search-app', 'data-engine'), index: await page.getAttribute('#search-app', 'data-index'), worker: await page.getAttribute('#search-app', 'data-worker') });
    await page.close();
  }
  // Pagefind: its own JS API, a search plus the data of the first ten results (to show them).
  {
    const page = await browser.newPage();
    let bytes = 0;
    page.on('requestfinished', async (r) => { if (r.url().includes('/pagefind/')) { const s = await r.sizes(); bytes += s.responseBodySize + s.responseHeadersSize; } });
    await page.goto(origin + '/__bench/pagefind.html');
    await page.waitForFunction(() => window.pfReady === true);
    const later = [];
    const initBytes = bytes;
    for (const [i, q] of queries.entries()) {
      const before = bytes;
      await page.evaluate(async (q) => { const r = await window.pf.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); }, q);
      await page.waitForTimeout(300);
      if (i === 0) result.pagefindFirst = bytes - before + initBytes;
      else later.push(bytes - before);
    }
    result.pagefindLater = median(later);
    result.pagefindLatency = await page.evaluate(async (queries) => {
      const ms = [];
      for (let pass = 0; pass < 3; pass++) for (const q of queries) {
        const started = performance.now();
        const r = await window.pf.search(q);
        await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
        if (pass > 0) ms.push(performance.now() - started);
      }
      return ms;
    }, queries);
    await page.close();
  }
  return result;
}

// nDCG@10 of Pagefind on the judged queries without filters (it knows none of our filters).
async function pagefindRelevance(browser, origin) {
  const judged = readFileSync(path.join(repo, 'search-index/relevance/queries.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((j) => !Object.keys(j.filters || {}).length);
  const page = await browser.newPage();
  await page.goto(origin + '/__bench/pagefind.html');
  await page.waitForFunction(() => window.pfReady === true);
  const ndcg = (ranked, judgments) => {
    const gain = (g) => 2 ** g - 1;
    const dcg = ranked.slice(0, 10).reduce((s, id, r) => s + gain(judgments[id] || 0) / Math.log2(r + 2), 0);
    const ideal = Object.values(judgments).filter((g) => g > 0).sort((a, b) => b - a).slice(0, 10).reduce((s, g, r) => s + gain(g) / Math.log2(r + 2), 0);
    return ideal ? dcg / ideal : 0;
  };
  const scores = [];
  for (const j of judged) {
    const urls = await page.evaluate(async (q) => { const r = await window.pf.search(q); return Promise.all(r.results.slice(0, 10).map(async (x) => (await x.data()).url)); }, j.q);
    const ids = urls.map((u) => new URL(u, 'http://x').pathname.split('/').filter(Boolean).slice(-2).join('/'));
    scores.push(ndcg(ids, j.judgments));
  }
  await page.close();
  return { pagefind: scores.reduce((a, b) => a + b, 0) / scores.length, count: judged.length, queries: judged };
}

function oursRelevance(queries) {
  const file = path.join(work, 'unfiltered.jsonl');
  writeFileSync(file, queries.map((q) => JSON.stringify(q)).join('\n'));
  const all = execFileSync(deling, ['relevance', '--root', repo], { encoding: 'utf8', cwd: repo });
  const subset = execFileSync(deling, ['relevance', '--root', repo, '--queries', file], { encoding: 'utf8', cwd: repo });
  const mean = (out) => Number(/nDCG@10 ([0-9.]+)/.exec(out)[1]);
  return { all: mean(all), subset: mean(subset) };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const corpora = [
  { name: 'repository', root: repo, queries: ['velferdsteknologi', 'kobo', 'arkiv', 'beredskap', 'tilsyn', 'helsestasjon', 'sosialhjelp'] },
  { name: `synthetic ${records}`, root: path.join(work, 'synth'), queries: ['velferdsteknologi', 'helsestasjon', 'arkiv', 'beredskap', 'sensor', 'bolig', 'barnevern'] },
];
execFileSync(deling, ['dev', 'synth', '--records', String(records), '--out', corpora[1].root, '--root', repo], { stdio: 'ignore' });

const rows = [];
let port = 18200;
for (const corpus of corpora) {
  port += 1;
  const origin = `http://127.0.0.1:${port}`;
  const out = path.join(work, corpus.name.replace(/\s/g, '-'), 'public');
  const ours = buildOurs(corpus.root, out, origin);
  const pagefindTime = indexPagefind(out);
  const engineFile = walk(path.join(out, 'sok')).find((f) => f.endsWith('.wasm'));
  const ourEngine = sizes(Buffer.concat([readFileSync(engineFile), readFileSync(path.join(repo, 'themes/default/static/js/sok-worker.js'))]));
  const pfDir = path.join(out, 'pagefind');
  const pfWasm = walk(pfDir).find((f) => /wasm\..*pagefind$/.test(f));
  const pfEngine = sizes(Buffer.concat([gunzipSync(readFileSync(pfWasm)), readFileSync(path.join(pfDir, 'pagefind.js'))]));
  const ourIndex = total(walk(path.join(out, 'sok/indeks')));
  const pfIndex = total(walk(pfDir).filter((f) => !f.endsWith('.js') && !/wasm\./.test(f) && !f.endsWith('.css')));
  const server = await serve(out, port, { '/__bench/pagefind.html': PAGEFIND_PAGE });
  const m = await measure(browser, origin, corpus.queries);
  let relevance = null;
  if (corpus.name === 'repository') {
    const pf = await pagefindRelevance(browser, origin);
    relevance = { ...oursRelevance(pf.queries), pagefind: pf.pagefind, count: pf.count };
  }
  server.close();
  rows.push({ corpus: corpus.name, ours, pagefindTime, ourEngine, pfEngine, ourIndex, pfIndex, m, relevance });
}
await browser.close();

const line = (cells) => '| ' + cells.join(' | ') + ' |';
console.log(`\nDeling search vs Pagefind 1.6 (${new Date().toISOString().slice(0, 10)}, ${RUNS} runs per build, medians; latency over ${2} warm passes)\n`);
console.log(line(['measure', ...rows.flatMap((r) => [`Deling, ${r.corpus}`, `Pagefind, ${r.corpus}`])]));
console.log(line(['---', ...rows.flatMap(() => ['---', '---'])]));
const both = (name, f, g) => console.log(line([name, ...rows.flatMap((r) => [f(r), g(r)])]));
both('engine raw / gzip / brotli', (r) => `${kb(r.ourEngine.raw)} / ${kb(r.ourEngine.gzip)} / ${kb(r.ourEngine.brotli)}`, (r) => `${kb(r.pfEngine.raw)} / ${kb(r.pfEngine.gzip)} / ${kb(r.pfEngine.brotli)}`);
both('index on disk', (r) => kb(r.ourIndex), (r) => kb(r.pfIndex));
both('first query transfers', (r) => kb(r.m.oursFirst), (r) => kb(r.m.pagefindFirst));
both('later query, new word (median)', (r) => kb(r.m.oursLater), (r) => kb(r.m.pagefindLater));
both('warm query p50 / p95', (r) => `${median(r.m.oursLatency).toFixed(2)} / ${percentile(r.m.oursLatency, 0.95).toFixed(2)} ms`, (r) => `${median(r.m.pagefindLatency).toFixed(2)} / ${percentile(r.m.pagefindLatency, 0.95).toFixed(2)} ms`);
both('index build time', (r) => `${r.ours.index.toFixed(2)} s (+ related ${r.ours.related.toFixed(2)} s; whole site ${r.ours.build.toFixed(1)} s)`, (r) => `${r.pagefindTime.toFixed(2)} s`);
const rel = rows.find((r) => r.relevance)?.relevance;
if (rel) console.log(`\nnDCG@10 on the ${rel.count} judged queries without filters: Deling ${rel.subset.toFixed(3)}, Pagefind ${rel.pagefind.toFixed(3)} (Deling on all judged queries, filters included: ${rel.all.toFixed(3)})`);
console.log(`\nWork folder: ${work}`);
