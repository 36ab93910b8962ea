// Deling search worker: runs the tantivy engine (WebAssembly) off the main thread.
//
// The engine reads the index lazily: when it needs bytes it calls `deling_read`, which this
// worker answers with a synchronous HTTP Range request (allowed in workers, never on the main
// thread). The engine keeps what it has read, so later queries fetch only new pieces.
'use strict';

let engine = null;      // the wasm exports
let fileUrls = [];      // index file URLs, by the ids the engine uses
let ready = null;       // resolves when the index is open
let failure = null;     // why it could not open, if it could not

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readRange(file, offset, len, out) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', fileUrls[file], false);
  xhr.responseType = 'arraybuffer';
  xhr.setRequestHeader('Range', 'bytes=' + offset + '-' + (offset + len - 1));
  try {
    xhr.send();
  } catch (e) {
    return 1;
  }
  let bytes;
  if (xhr.status === 206) {
    bytes = new Uint8Array(xhr.response);
  } else if (xhr.status === 200) {
    // A server that ignores Range sends the whole file; take the part asked for.
    bytes = new Uint8Array(xhr.response).subarray(offset, offset + len);
  } else {
    return 2;
  }
  if (bytes.length !== len) return 3;
  new Uint8Array(engine.memory.buffer, out, len).set(bytes);
  return 0;
}

// Passes JSON into the engine and returns its JSON answer (or throws its error message).
function call(fn, value) {
  const bytes = encoder.encode(JSON.stringify(value));
  const ptr = engine.deling_alloc(bytes.length);
  new Uint8Array(engine.memory.buffer, ptr, bytes.length).set(bytes);
  const status = fn(ptr, bytes.length);
  const result = new Uint8Array(engine.memory.buffer, engine.deling_result_ptr(), engine.deling_result_len());
  const text = decoder.decode(result);
  if (status !== 0) throw new Error(text);
  return text ? JSON.parse(text) : null;
}

async function open(engineUrl, indexUrl) {
  // The manifest and the engine at once; the engine is compiled while it streams in, where the
  // server says it is WebAssembly (GitHub Pages does).
  const manifestRead = fetch(indexUrl + 'manifest.json', { cache: 'no-cache' }).then((r) => r.json());
  const response = await fetch(engineUrl);
  if (!response.ok) throw Object.assign(new Error('engine ' + response.status), { stale: true });
  const imports = { env: { deling_read: readRange } };
  const streaming = WebAssembly.instantiateStreaming && (response.headers.get('content-type') || '').startsWith('application/wasm');
  const { instance } = streaming
    ? await WebAssembly.instantiateStreaming(response, imports)
    : await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  const manifest = await manifestRead;
  engine = instance.exports;
  if (engine.deling_format_version() !== manifest.format_version) {
    // An engine and an index from different builds: refuse rather than give wrong results.
    throw Object.assign(new Error('format ' + engine.deling_format_version() + ' != ' + manifest.format_version), { stale: true });
  }
  const names = Object.keys(manifest.files).sort();
  fileUrls = names.map((name) => indexUrl + manifest.files[name]);
  call(engine.deling_open, names.map((name) => [name, manifest.sizes[name]]));
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    ready = open(message.engine, message.index).catch((error) => { failure = error; });
    ready.then(() => self.postMessage({ type: 'ready', ok: !failure }));
    return;
  }
  if (message.type === 'search') {
    ready.then(() => {
      if (failure) {
        self.postMessage({ type: 'error', id: message.id, stale: failure.stale === true, message: String(failure.message) });
        return;
      }
      try {
        const started = performance.now();
        const response = call(engine.deling_search, message.request);
        self.postMessage({ type: 'results', id: message.id, response, ms: performance.now() - started });
      } catch (error) {
        self.postMessage({ type: 'error', id: message.id, message: String(error.message) });
      }
    });
  }
};
