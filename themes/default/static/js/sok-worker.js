// Deling search worker: runs the tantivy engine (WebAssembly) off the main thread.
//
// The engine reads the index lazily: when it needs bytes it calls `deling_read`, which this
// worker answers from the ranges it has fetched. A range it lacks is noted and the read fails;
// the worker then fetches everything noted at once (in parallel) and runs the call again, and
// uses an answer only from a call during which nothing was missing. So a search costs a round
// trip per layer it goes through (terms, postings, documents), not one per page it reads. The
// pages every search reads (the manifest's `warm` ranges) are fetched while the engine loads,
// from `init`, which the page sends once a first answer in its address has come.
'use strict';

let engine = null;      // the wasm exports
let fileUrls = [];      // index file URLs, by the ids the engine uses
let failure = null;     // why it could not open, if it could not
let fetched = [];       // per file id: [{ offset, bytes }] ranges a call asked for, until it succeeds
const warm = [];        // per file id: [{ offset, bytes }] the pages every search reads, kept
const whole = [];       // per file id: { offset: 0, bytes } the whole file, from a server that ignores Range
let wanted = [];        // [file, offset, len] the current call lacked

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ROUNDS = 30;      // more rounds than any search needs; a guard against a loop

function readRange(file, offset, len, out) {
  // Called for every range the engine lacks (pages, or a small read as it is): looked up
  // where it is, nothing copied.
  const covers = (r) => r.offset <= offset && offset + len <= r.offset + r.bytes.length;
  const have = whole[file] || (fetched[file] || []).find(covers) || (warm[file] || []).find(covers);
  if (!have) {
    wanted.push([file, offset, len]);
    return 4;
  }
  new Uint8Array(engine.memory.buffer, out, len).set(have.bytes.subarray(offset - have.offset, offset - have.offset + len));
  return 0;
}

// Whether the server has answered a Range request with 206 (GitHub Pages does).
let honoursRange = false;

// Fetches ranges [file, offset, len] in parallel and keeps them. A server that ignores Range
// sends the whole file: until one answer shows it honours Range, a file's other ranges wait
// for its first answer, so a whole file is fetched and kept once.
async function fetchRanges(ranges, into = fetched) {
  // Ranges of a file that overlap or touch are fetched as one.
  const merged = [];
  ranges.filter(([file]) => !whole[file]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).forEach(([file, offset, len]) => {
    const last = merged[merged.length - 1];
    if (last && last[0] === file && offset <= last[1] + last[2]) last[2] = Math.max(last[2], offset + len - last[1]);
    else merged.push([file, offset, len]);
  });
  const files = new Map(); // file id -> its first request, for a server that sends it whole
  await Promise.all(merged.map(async ([file, offset, len]) => {
    if (!honoursRange && files.has(file) && (await files.get(file)) === 'whole') return;
    // Past the browser's cache: Chromium's lets one request per address through at a time,
    // which made a round's ranges of one file cross a slow link one round trip after another.
    // The engine keeps what it read for as long as the page is open, and the address stays the
    // file's, which a CDN (GitHub Pages' among them) keeps once for every range of it.
    const asked = fetch(fileUrls[file], { cache: 'no-store', headers: { Range: 'bytes=' + offset + '-' + (offset + len - 1) } });
    const kind = asked.then((r) => (r.status === 200 ? 'whole' : 'range'), () => 'range');
    if (!files.has(file)) files.set(file, kind);
    const response = await asked;
    if (response.status === 206) honoursRange = true;
    if (response.status !== 206 && response.status !== 200) throw new Error('index ' + response.status);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status === 200) {
      if (bytes.length < offset + len) throw new Error('short read from the index');
      whole[file] = { offset: 0, bytes };
      return;
    }
    if (bytes.length < len) throw new Error('short read from the index');
    (into[file] = into[file] || []).push({ offset, bytes });
  }));
}

// A search overtaken by a newer one while it waited for the index: given up between rounds.
const overtaken = new Error('overtaken');

// Runs the engine once on `value` (JSON in): `{ answer }` with its JSON answer (or throws its
// error message), or null when it lacked bytes, which `wanted` then lists.
function attempt(fn, value) {
  const bytes = encoder.encode(JSON.stringify(value));
  wanted = [];
  const ptr = engine.deling_alloc(bytes.length);
  new Uint8Array(engine.memory.buffer, ptr, bytes.length).set(bytes);
  const status = fn(ptr, bytes.length);
  const result = new Uint8Array(engine.memory.buffer, engine.deling_result_ptr(), engine.deling_result_len());
  const text = decoder.decode(result);
  if (wanted.length) return null;
  // The engine keeps every page it read; what was fetched for it need not be kept twice. The
  // warm pages stay: searches to come read them.
  fetched = [];
  if (status !== 0) throw new Error(text);
  return { answer: text ? JSON.parse(text) : null };
}

// Passes JSON into the engine and returns its JSON answer (or throws its error message),
// fetching what the engine lacks in rounds until a call lacks nothing.
async function call(fn, value, stale = () => false) {
  for (let round = 0; round < ROUNDS; round++) {
    if (stale()) throw overtaken;
    const done = attempt(fn, value);
    if (done) return done.answer;
    await fetchRanges(wanted);
  }
  throw new Error('the index kept asking for more');
}

// How many hits a first answer shows while the rest of a search's pieces are fetched: about a
// laptop screen's worth, each hit's document a request of its own, as many as a browser sends
// at once to one server over HTTP/1.1.
const FIRST_HITS = 6;

// Answers a search; `answer(response, partial)` is called once or twice. A search whose pieces
// are all here is answered at once. Otherwise its first hits come first, without filter counts
// (`hits_only`): on a slow link those counts' postings, and the documents of the hits below the
// first screen, would hold up the first result by a second or more. The full answer follows.
async function search(request, stale, answer) {
  const done = attempt(engine.deling_search, request);
  if (done) return answer(done.answer, false);
  const isDocument = ([file]) => fileUrls[file].endsWith('.store');
  // Lacking only its hits' documents, the search has its counts: one round brings the rest.
  const documentsOnly = wanted.every(isDocument);
  // What it lacked before it reached its hits (its words) every answer to it needs first.
  if (documentsOnly || !wanted.some(isDocument)) await fetchRanges(wanted);
  if (!documentsOnly && request.offset === 0 && request.limit > FIRST_HITS) {
    answer(await call(engine.deling_search, { ...request, limit: FIRST_HITS, hits_only: true }, stale), true);
  }
  answer(await call(engine.deling_search, request, stale), false);
}

// A promise that a later message settles, with its `resolve` and `reject`.
function settledLater() {
  const later = {};
  later.promise = new Promise((resolve, reject) => Object.assign(later, { resolve, reject }));
  return later;
}
// The index open (or failed to), once `init` has come: searches sent before it wait for it.
const opened = settledLater();
// The engine, compiled by the page and posted here (`engine`): the search page's head preloads it
// so that it downloads from the start, and only the page itself can use its preload (a fetch
// here would download the engine a second time).
const pageEngine = settledLater();
pageEngine.promise.catch(() => {}); // awaited in open(); a failure must not go unheard before then

async function open(indexUrl) {
  // The manifest and the engine at once, and the pages every search reads meanwhile.
  const warmed = fetch(indexUrl + 'manifest.json', { cache: 'no-cache' }).then((r) => r.json()).then((manifest) => {
    const names = Object.keys(manifest.files).sort();
    fileUrls = names.map((name) => indexUrl + manifest.files[name]);
    const ranges = (manifest.warm || []).map(([name, offset, len]) => [names.indexOf(name), offset, len]).filter(([id]) => id >= 0);
    return fetchRanges(ranges, warm).catch(() => {}).then(() => ({ manifest, names }));
  });
  warmed.catch(() => {}); // awaited below; an engine that fails first must not leave it unheard
  const instance = await WebAssembly.instantiate(await pageEngine.promise, { env: { deling_read: readRange } });
  const { manifest, names } = await warmed;
  engine = instance.exports;
  if (engine.deling_format_version() !== manifest.format_version) {
    // An engine and an index from different builds: refuse rather than give wrong results.
    throw Object.assign(new Error('format ' + engine.deling_format_version() + ' != ' + manifest.format_version), { stale: true });
  }
  await call(engine.deling_open, names.map((name) => [name, manifest.sizes[name]]));
}

// Searches run one after another: each may wait for fetches, and the engine is not re-entrant.
// One overtaken by a newer search while it waited is dropped: the page shows only the newest.
let queue = Promise.resolve();
let newest = 0;

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    opened.resolve(open(message.index).catch((error) => { failure = error; }));
    opened.promise.then(() => self.postMessage({ type: 'ready', ok: !failure }));
    return;
  }
  if (message.type === 'engine') {
    if (message.module) pageEngine.resolve(message.module);
    else pageEngine.reject(Object.assign(new Error(message.error), { stale: message.stale === true }));
    return;
  }
  if (message.type === 'search') {
    newest = Math.max(newest, message.id);
    queue = queue.then(() => opened.promise).then(async () => {
      if (message.id < newest) return;
      if (failure) {
        self.postMessage({ type: 'error', id: message.id, stale: failure.stale === true, message: String(failure.message) });
        return;
      }
      try {
        const started = performance.now();
        await search(message.request, () => message.id < newest, (response, partial) => {
          self.postMessage({ type: 'results', id: message.id, response, partial, ms: performance.now() - started });
        });
      } catch (error) {
        if (error !== overtaken) self.postMessage({ type: 'error', id: message.id, message: String(error.message) });
      }
    });
  }
};
