// Search in the browser: ranked results as you type, filters (types combined, statuses grouped by
// kind, long lists shortened with a find field), the keyboard, the same ranking as the terminal,
// and nothing fetched from outside the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { repo, deling, startSite, siteFolder, buildSite, serveDir, cliSearch, launch, watchedPage, shownIds, focusSeen } from './harness.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
let site, browser, built;
// A synthetic site of 300 records, whose filters have hundreds of municipalities.
let big, bigRoot;

before(async () => {
  site = await startSite();
  built = buildSite(site.origin);
  bigRoot = path.join(mkdtempSync(path.join(tmpdir(), 'deling-synth-')), 'site');
  execFileSync(deling, ['dev', 'synth', '--records', '300', '--root', repo, '--out', bigRoot], { stdio: 'ignore' });
  big = await startSite(bigRoot);
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  site?.stop();
  big?.stop();
  if (bigRoot) rmSync(path.dirname(bigRoot), { recursive: true, force: true });
});

// The message that the site changed since the page was opened («Last inn siden på nytt»).
async function waitForReloadMessage(page) {
  await page.waitForFunction(() => /på nytt/.test(document.getElementById('search-status').textContent), null, { timeout: 20000 });
}

// The whole answer: its summary said and its filter counts in (a search that lacks index
// pieces shows its first hits before them, the counts marked busy meanwhile).
async function waitForResults(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('search-status');
    return status && /treff/.test(status.textContent) && !document.getElementById('search-facets').hasAttribute('aria-busy');
  }, null, { timeout: 20000 });
}

test('typing a query shows ranked results, announced, with the query in the URL', async () => {
  const { page, problems, outside } = await watchedPage(browser, site.origin);
  await page.goto(site.origin + '/sok/');
  await page.fill('#search-page-q', 'velferdsteknologi');
  await waitForResults(page);
  const ids = await shownIds(page);
  assert.equal(ids[0], 'erfaringer/velferdsteknologi-fra-program-til-drift');
  assert.match(await page.textContent('#search-status'), /\d+ treff for «velferdsteknologi»/);
  assert.equal(await page.getAttribute('#search-status', 'role'), 'status');
  assert.match(page.url(), /\?q=velferdsteknologi$/);
  assert.ok((await page.innerHTML('#search-results')).includes('<mark>'), 'matches are highlighted');
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await page.close();
});

test('Nynorsk, typos, compounds and prefixes find their records', async () => {
  const { page, problems } = await watchedPage(browser, site.origin);
  const expect = {
    'tenester heimetenesta': 'erfaringer/medisindispenser-hjemmetjenesten',
    'helsestajson': 'erfaringer/digihelsestasjon-innforing',
    'teknologi': 'erfaringer/velferdsteknologi-fra-program-til-drift',
    'digihelse': 'erfaringer/digihelsestasjon-innforing',
  };
  for (const [q, id] of Object.entries(expect)) {
    await page.goto(site.origin + '/sok/?q=' + encodeURIComponent(q));
    await waitForResults(page);
    assert.ok((await shownIds(page)).slice(0, 3).includes(id), `${q} → ${id} in the top 3`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the browser and deling search return the same ranked ids', async () => {
  const judged = readFileSync(path.join(repo, 'search-index/relevance/queries.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((line) => JSON.parse(line)).slice(0, 20);
  const { page, problems } = await watchedPage(browser, site.origin);
  for (const { q, filters } of judged) {
    const params = new URLSearchParams({ q });
    for (const [name, values] of Object.entries(filters || {})) values.forEach((v) => params.append(name, v));
    await page.goto(site.origin + '/sok/?' + params);
    await waitForResults(page).catch(() => {});
    const browserIds = (await shownIds(page)).slice(0, 10);
    assert.deepEqual(browserIds, cliSearch(built, q, filters || {}), `same ranking for ${q}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard only: header field, results, a filter, a record, with focus visible at every step', async () => {
  const { page, problems, outside } = await watchedPage(browser, site.origin);
  const hidden = [];
  /// Presses a key and notes the focused element if its focus cannot be seen.
  const press = async (key) => {
    await page.keyboard.press(key);
    const focus = await focusSeen(page);
    if (focus && !focus.seen) hidden.push(`${key} → ${focus.what}`);
  };
  const tabUntil = async (test, limit) => {
    for (let i = 0; i < limit && !(await page.evaluate(test)); i++) await press('Tab');
  };
  // The front page has its own search field instead of the header's; an overview has the header's.
  await page.goto(site.origin + '/erfaringer/');
  await press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await tabUntil(() => document.activeElement.id === 'header-search', 10);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'header-search');
  await page.keyboard.type('tilsyn');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await waitForResults(page);
  const before = (await shownIds(page)).length;
  // Tab into the filters and tick the first value of "Type" with the space bar.
  await tabUntil(() => document.activeElement.name === 'type', 30);
  const value = await page.evaluate(() => document.activeElement.value);
  // Until the filtered answer is on screen, the unfiltered one still is.
  await answered(page, () => press('Space'));
  await page.waitForFunction((v) => location.search.includes('type=' + v), value);
  const kinds = await page.$$eval('#search-results .card__kind', (els) => els.map((e) => e.textContent));
  assert.ok(kinds.length > 0 && kinds.length <= before);
  assert.equal(new Set(kinds).size, 1, 'only the chosen type is left');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'type', 'focus stays on the filter');
  const filter = await focusSeen(page);
  assert.ok(filter.seen, 'the ticked filter still shows its focus after the results change');
  // On to the first result and into the record.
  await tabUntil(() => !!document.activeElement.closest('#search-results'), 80);
  assert.ok(await page.evaluate(() => !!document.activeElement.closest('#search-results')), 'reached a result');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\/(erfaringer|hindringer|prosjekter)\/[a-z0-9-]+\/$/);
  assert.deepEqual(hidden, [], 'every tab stop on the way shows its focus');
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await page.close();
});

// Makes `context` (the page and its worker) see a manifest of another format version, as
// when the engine and the index come from different builds.
async function serveManifestFromAnotherBuild(context) {
  await context.route('**/sok/indeks/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.format_version += 1;
    await route.fulfill({ response, json: manifest });
  });
}

test('an engine and an index from different builds give a clear message, not results', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Routed on the context, so the worker's own requests are intercepted too.
  await serveManifestFromAnotherBuild(context);
  await page.goto(site.origin + '/sok/?q=kobo');
  await waitForReloadMessage(page);
  assert.equal(await page.$$eval('#search-results li', (l) => l.length), 0);
  await context.close();
});

test('the search page downloads the engine once, from its start: preloaded by the page, compiled there and handed to the worker', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const asked = [];
  context.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(site.origin + '/sok/?q=' + encodeURIComponent('arkiv samarbeid'));
  await waitForResults(page);
  const engines = asked.filter((p) => /\/sok\/motor\.[0-9a-f]+\.wasm\.xz$/.test(p));
  assert.equal(engines.length, 1, `the engine asked for ${engines.length} times: ${asked.join(' ')}`);
  const worker = asked.findIndex((p) => p.endsWith('/sok-worker.js'));
  assert.ok(worker > 0 && asked.indexOf(engines[0]) < worker, `the engine before the worker's script: ${asked.join(' ')}`);
  await context.close();
});

test('ranges of one index file cross a slow link together, not one round trip after another', async () => {
  // Chromium's cache lets one request per address through at a time: ranges of one file
  // queued behind each other (20 hits' document blocks took 20 round trips).
  const out = siteFolder();
  const server = await serveDir(out, { rangeDelay: 150 });
  buildSite(server.origin, bigRoot, out);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Three words: no first answer, so the results on screen are the engine's.
    await page.goto(server.origin + '/sok/?q=' + encodeURIComponent('digital postkasse bolig'));
    await waitForResults(page);
    const peaks = [...server.peakRanges].filter(([file]) => file.includes(`${path.sep}indeks${path.sep}`));
    assert.ok(peaks.length > 0, 'the search read the index by ranges');
    assert.ok(Math.max(...peaks.map(([, peak]) => peak)) > 1, `at most one range of a file at a time: ${JSON.stringify(peaks)}`);
  } finally {
    await context.close();
    await server.stop();
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
});

test('a first search on a slow link shows its first hits before the filter counts, then the rest below them', async () => {
  // The filter counts read every filter value's postings (at 10,000 records more than half the
  // pieces the engine needed before any search), and 20 hits' documents are 20 requests: on a
  // phone link they held the first result back by a second.
  const out = siteFolder();
  const server = await serveDir(out, { rangeDelay: 150 });
  buildSite(server.origin, bigRoot, out);
  // A phone's screen, where the filters are folded above the results.
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  try {
    const page = await context.newPage();
    // Every change to the page, as [hits, filter groups, where the first hit stands, whether the
    // filters are marked busy]; the first hit's element is noted when it appears, to compare
    // with the end.
    await page.addInitScript(() => {
      window.seen = [];
      document.addEventListener('DOMContentLoaded', () => {
        const results = document.getElementById('search-results');
        const facets = document.getElementById('search-facets');
        const note = () => {
          const top = results.firstElementChild ? results.firstElementChild.getBoundingClientRect().top : null;
          const state = [results.childElementCount, facets.childElementCount, top, facets.getAttribute('aria-busy')];
          const last = window.seen[window.seen.length - 1];
          if (!last || state.some((v, i) => v !== last[i])) window.seen.push(state);
          if (results.firstElementChild && !window.firstHit) window.firstHit = results.firstElementChild;
        };
        new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      });
    });
    // Three words: no first answer from the build, so every result on screen is the engine's.
    await page.goto(server.origin + '/sok/?q=' + encodeURIComponent('digital postkasse bolig'));
    await page.waitForFunction(() => document.getElementById('search-facets').childElementCount > 0, null, { timeout: 20000 });
    const { seen, kept, hits, busy } = await page.evaluate(() => ({
      seen: window.seen,
      kept: window.firstHit === document.getElementById('search-results').firstElementChild,
      hits: document.getElementById('search-results').childElementCount,
      busy: document.getElementById('search-facets').getAttribute('aria-busy'),
    }));
    assert.equal(hits, 20, 'a full page of hits in the end');
    const first = seen.find(([shown]) => shown > 0);
    assert.deepEqual([first[0], first[1], first[3]], [6, 0, 'true'], `first six hits, no counts yet, and the filters marked busy: ${JSON.stringify(seen)}`);
    assert.ok(kept, 'the first hits stay the same elements, so focus and scroll stay where they are');
    const counted = seen.findIndex(([, groups]) => groups > 0);
    assert.equal(seen[counted][2], seen[counted - 1][2], `and where they are: the folded filters do not push them down when the counts come: ${JSON.stringify(seen)}`);
    assert.equal(busy, null, 'the filters are no longer marked busy');
    assert.deepEqual((await shownIds(page)).slice(0, 10), cliSearch(out, 'digital postkasse bolig'), 'the ranking deling search gives');
    // A filter ticked now: the counts' postings are here, only the new hits' documents are
    // not, and one round brings them all, so the whole answer comes at once.
    await page.evaluate(() => { window.seen = []; window.lists = document.getElementById('search-facets').firstElementChild; });
    await page.locator('#search-filters > summary').click(); // folded on a phone
    await page.locator('#search-facets input[name="type"]').first().check();
    await page.waitForFunction(() => {
      const facets = document.getElementById('search-facets');
      return facets.firstElementChild !== window.lists && !facets.hasAttribute('aria-busy');
    }, null, { timeout: 20000 });
    const after = await page.evaluate(() => window.seen);
    assert.ok(!after.some((state) => state[3] === 'true'), `no first hits apart from the whole answer: ${JSON.stringify(after)}`);
  } finally {
    await context.close();
    await server.stop();
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
});

test('a first answer in the address is fetched before the index, whose pieces would share its bandwidth on a slow link', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const asked = [];
  context.on('request', (r) => asked.push(new URL(r.url()).pathname));
  const answer = await hold(context, '**/sok/svar/**');
  const engine = await holdEngine(context);
  const answerAsked = page.waitForRequest('**/sok/svar/**');
  await page.goto(site.origin + '/sok/?q=arkiv');
  await answerAsked;
  await page.waitForTimeout(500);
  assert.deepEqual(asked.filter((p) => p.includes('/sok/indeks/') || p.includes('xz-decompress')), [], 'nothing of the index, nor the engine\'s decoder, while the answer comes');
  answer.release();
  await waitForResults(page);
  await page.waitForTimeout(500);
  assert.ok(asked.some((p) => p.endsWith('/sok/indeks/manifest.json')), 'the index once the answer is in, before the engine');
  engine.release();
  await page.waitForFunction(() => !/Laster/.test(document.getElementById('search-status').textContent), null, { timeout: 20000 });
  await context.close();
});

test('an engine the page cannot fetch (a site published meanwhile) gives the message to load the page again', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await context.route('**/sok/motor.*.wasm.xz', (route) => route.fulfill({ status: 404, body: '' }));
  await page.goto(site.origin + '/sok/?q=' + encodeURIComponent('arkiv samarbeid'));
  await waitForReloadMessage(page);
  assert.equal(await page.$$eval('#search-results li', (l) => l.length), 0);
  await context.close();
});

test('a first answer that never comes holds the index back no longer than the engine', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await context.route('**/sok/svar/**', () => {}); // never answered
  await page.goto(site.origin + '/sok/?q=arkiv');
  await waitForResults(page);
  assert.ok((await page.$$eval('#search-results li', (l) => l.length)) > 0);
  await context.close();
});

// Holds every request for `pattern` until `release` is called.
async function hold(context, pattern) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let asked = 0;
  await context.route(pattern, async (route) => {
    asked += 1;
    await released;
    await route.continue();
  });
  return { release, asked: () => asked };
}

// Holds every request for the engine until `release` is called, as a slow link would.
const holdEngine = (context) => hold(context, '**/sok/motor.*.wasm.xz');

test('while the engine loads, a one-word search shows the first answer the build made, and the engine then changes nothing', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const engine = await holdEngine(context);
  await page.goto(site.origin + '/sok/?q=arkiv');
  await waitForResults(page);
  assert.ok(engine.asked() > 0, 'the engine was asked for');
  const early = await page.innerHTML('#search-results');
  const ids = await shownIds(page);
  assert.ok(ids.length > 0);
  assert.match(await page.textContent('#search-status'), /\d+ treff for «arkiv»/);
  // A keyboard user moves into the results; the engine arriving must not take focus away.
  await page.focus('#search-results li h2 a');
  const engineRead = page.waitForResponse((r) => /\/sok\/motor\./.test(r.url()), { timeout: 20000 });
  engine.release();
  await (await engineRead).finished();
  // The engine compiles, opens the index and searches; its answer is the one on screen.
  await page.waitForTimeout(2000);
  assert.equal(await page.innerHTML('#search-results'), early, 'the engine answered the same, so nothing was redrawn');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#search-results') !== null), true);
  // And the same ranking as the terminal: the answer is the engine's.
  assert.deepEqual(ids.slice(0, 10), cliSearch(built, 'arkiv'));
  // The engine is up: a search the build did not answer (a finished word) is answered too.
  await page.fill('#search-page-q', 'arkivlova ');
  await page.waitForFunction(() => /treff for «arkivlova»/.test(document.getElementById('search-status').textContent), null, { timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the engine loads, two words that records name a thing with («ROS analyse») show their first answer too', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const answers = [];
  page.on('request', (r) => { if (r.url().includes('/sok/svar/')) answers.push(r.url()); });
  const engine = await holdEngine(context);
  await page.goto(site.origin + '/sok/?q=ROS%20analyse');
  await waitForResults(page);
  assert.equal(answers.length, 1, 'one answer file asked for');
  assert.match(await page.textContent('#search-status'), /\d+ treff for «ROS analyse»/);
  assert.deepEqual((await shownIds(page)).slice(0, 10), cliSearch(built, 'ROS analyse'));
  engine.release();
  await context.close();
});

test('every first answer the build wrote is what the browser engine answers, scores aside', async () => {
  const page = await browser.newPage();
  await page.goto(site.origin + '/sok/');
  await page.waitForFunction(() => window['xz-decompress'], null, { timeout: 20000 }); // the page adds the engine's decoder
  const result = await page.evaluate(async () => {
    const app = document.getElementById('search-app');
    const labels = await (await fetch(app.dataset.labels)).json();
    const w = new Worker(app.dataset.worker);
    let id = 0;
    const ask = (request) => new Promise((resolve, reject) => {
      id += 1;
      w.onmessage = (e) => { if (e.data.type === 'results') resolve(e.data.response); else if (e.data.type === 'error') reject(new Error(e.data.message)); };
      w.postMessage({ type: 'search', id, request });
    });
    const opened = new Promise((resolve) => { w.onmessage = resolve; });
    w.postMessage({ type: 'init', index: app.dataset.index });
    const wasm = new window['xz-decompress'].XzReadableStream((await fetch(app.dataset.engine)).body);
    w.postMessage({ type: 'engine', module: await WebAssembly.compile(await new Response(wasm).arrayBuffer()) });
    await opened;
    const differ = [];
    for (const file of labels.answered) {
      const answer = await (await fetch(app.dataset.answers + file)).json();
      const live = await ask({ q: answer.q, filters: {}, limit: answer.limit, offset: 0 });
      // Scores may differ in their last digit (native and WebAssembly maths); nothing else may.
      const comparable = (response) => JSON.stringify(response, (key, value) => (key === 'score' ? undefined : value));
      if (comparable(live) !== comparable(answer.response)) differ.push(answer.q);
    }
    w.terminate();
    return { checked: labels.answered.length, differ };
  });
  assert.ok(result.checked > 100, `${result.checked} answers`);
  assert.deepEqual(result.differ, []);
  await page.close();
});

test('while the engine loads, a new query or filter takes a first answer off the screen; once the engine fails, none is shown', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const engine = await holdEngine(context);
  await page.goto(site.origin + '/sok/?q=arkiv');
  await waitForResults(page);
  await page.fill('#search-page-q', 'arkiv samarbeid');
  await page.waitForTimeout(500);
  assert.equal(await page.$$eval('#search-results li', (l) => l.length), 0, 'no results of «arkiv» under «arkiv samarbeid»');
  assert.match(await page.textContent('#search-status'), /Laster/);
  engine.release();
  await waitForResults(page);
  await context.close();

  // An engine from another build: the message, and no first answer over it.
  const stale = await browser.newContext();
  const again = await stale.newPage();
  await serveManifestFromAnotherBuild(stale);
  // The answer file comes late, after the engine has failed.
  await stale.route('**/sok/svar/**', async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await again.goto(site.origin + '/sok/?q=arkiv');
  await waitForReloadMessage(again);
  await again.waitForTimeout(2500);
  assert.equal(await again.$$eval('#search-results li', (l) => l.length), 0);
  assert.match(await again.textContent('#search-status'), /på nytt/);
  await stale.close();
});

test('the same search typed again after the field was emptied shows its results again', async () => {
  const { page, problems } = await watchedPage(browser, site.origin);
  await page.goto(site.origin + '/sok/');
  for (const q of ['arkiv', '', 'arkiv']) {
    await page.fill('#search-page-q', q);
    if (q) await waitForResults(page);
    else await page.waitForFunction(() => document.getElementById('search-results').hidden);
    await page.waitForTimeout(800);
  }
  assert.ok((await shownIds(page)).length > 0);
  assert.equal(await page.isHidden('#search-results'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a search with no first answer waits for the engine, and a filter in the address is never answered without it', async () => {
  // Two words no record writes side by side, and a common word with a filter.
  for (const address of ['/sok/?q=postkasse%20arkiv', '/sok/?q=arkiv&type=barrier']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers = [];
    page.on('request', (r) => { if (r.url().includes('/sok/svar/')) answers.push(r.url()); });
    const engine = await holdEngine(context);
    await page.goto(site.origin + address);
    await page.waitForTimeout(1500);
    assert.equal(await page.$$eval('#search-results li', (l) => l.length), 0, address);
    assert.deepEqual(answers, [], address);
    engine.release();
    await waitForResults(page);
    await context.close();
  }
});

test('without JavaScript the search page is a form that leads to the overviews', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(site.origin + '/sok/?q=kobo');
  assert.equal(await page.getAttribute('#search-app', 'method'), 'get');
  assert.ok(await page.isVisible('#search-fallback a[href="/erfaringer/"]'));
  await context.close();
});

/// The values of a filter's checkboxes that can be seen, in order.
async function visibleValues(page, name) {
  return page.$$eval(`#facet-${name} input[type=checkbox]`, (boxes) => boxes.filter((b) => b.checkVisibility()).map((b) => b.value));
}

/// Runs `action` and waits for the answer to reach the page: the filters rebuilt, and the status
/// line given time to speak (it waits 400 ms for typing to pause).
async function answered(page, action) {
  await page.evaluate(() => { window.testFacetsBefore = document.getElementById('search-facets').firstElementChild; });
  await action();
  await page.waitForFunction(() => document.getElementById('search-facets').firstElementChild !== window.testFacetsBefore, null, { timeout: 20000 });
  await page.waitForTimeout(500);
}

/// Ticks or unticks a filter value with the space bar and waits for the answer; returns its id.
async function toggleValue(page, name, value) {
  const id = await page.$eval(`#facet-${name} input[value="${value}"]`, (b) => b.id);
  await page.focus('#' + id);
  await answered(page, () => page.keyboard.press('Space'));
  return id;
}

test('two ticked types show hits of both kinds, and counts for the type not ticked', async () => {
  const { page, problems } = await watchedPage(browser, site.origin);
  await page.goto(site.origin + '/sok/?q=kommune');
  await waitForResults(page);
  const count = async (value) => Number(/\((\d+)\)$/.exec(await page.textContent(`label[for="f-type-${value}"]`))[1]);
  const all = { practice: await count('practice'), barrier: await count('barrier'), project: await count('project') };
  assert.ok(Object.values(all).every((n) => n > 0), 'the query finds every kind: ' + JSON.stringify(all));
  await answered(page, () => page.check('#f-type-practice'));
  await answered(page, () => page.check('#f-type-barrier'));
  assert.match(page.url(), /type=barrier&type=practice/);
  assert.equal(await page.isChecked('#f-type-practice'), true);
  assert.equal(await page.isChecked('#f-type-barrier'), true);
  // The type filter's own counts ignore its selection: all three stay, with the same counts.
  assert.deepEqual({ practice: await count('practice'), barrier: await count('barrier'), project: await count('project') }, all);
  const total = Number(/^(\d+) treff/.exec(await page.textContent('#search-status'))[1]);
  assert.equal(total, all.practice + all.barrier, 'the hits are the records of either ticked type');
  // Load every hit and look at their kinds.
  while (await page.isVisible('#search-more')) {
    const shown = await page.$$eval('#search-results li', (l) => l.length);
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, shown);
    assert.equal(await page.$$eval('#search-results li', (l) => l.length), Math.min(total, shown + 20), '«Vis flere treff» adds to the hits shown');
    await page.waitForFunction((n) => document.activeElement === document.querySelectorAll('#search-results li')[n].querySelector('a'), shown);
  }
  const kinds = await page.$$eval('#search-results .card__kind', (els) => els.map((e) => e.textContent));
  assert.equal(kinds.length, total);
  const labelOf = async (value) => (await page.textContent(`label[for="f-type-${value}"]`)).replace(/ \(\d+\)$/, '');
  assert.deepEqual(new Set(kinds), new Set([await labelOf('practice'), await labelOf('barrier')]), 'hits of both ticked kinds, none of the other');
  assert.deepEqual(problems, []);
  await page.close();
});

test('tags are a filter («Emneord»): ticking one narrows the hits as deling search --tag does, and the URL keeps it', async () => {
  const { page, problems } = await watchedPage(browser, site.origin);
  await page.goto(site.origin + '/sok/?q=arkiv');
  await waitForResults(page);
  if (await page.getAttribute('#search-filters', 'open') === null) await page.click('#search-filters summary');
  assert.equal((await page.textContent('#facet-tag legend')).trim(), 'Emneord');
  const before = await shownIds(page);
  await answered(page, () => page.check('#f-tag-arkivlova'));
  assert.match(page.url(), /tag=arkivlova/);
  const shown = await shownIds(page);
  assert.ok(shown.length > 0 && shown.length < before.length, `narrowed: ${before.length} → ${shown.length}`);
  assert.deepEqual(shown, cliSearch(built, 'arkiv', { tag: ['arkivlova'] }));
  assert.deepEqual(problems, []);
  await page.close();
});

test('filters in the URL are kept when the query is typed before the labels, which name the filters, arrive', async () => {
  const { page, problems } = await watchedPage(browser, site.origin);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/sok/etiketter.json', async (route) => { await held; await route.continue(); });
  await page.goto(site.origin + '/sok/?type=barrier');
  await page.fill('#search-page-q', 'arkiv');
  await page.waitForTimeout(300);
  assert.match(page.url(), /type=barrier/, 'no search (and no URL without the filter) before the labels arrive');
  release();
  await waitForResults(page);
  assert.match(page.url(), /\?q=arkiv&type=barrier$/);
  assert.equal(await page.isChecked('#f-type-barrier'), true);
  const ids = await shownIds(page);
  assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('hindringer/')), 'only barriers: ' + ids.join(', '));
  assert.deepEqual(problems, []);
  await page.close();
});

test('statuses are grouped under barriers and projects, each group with its heading', async () => {
  const BARRIER = ['meldt', 'under vurdering', 'løftet til KS', 'sendt departementet', 'løst', 'avvist'];
  const PROJECT = ['planlagt', 'pågår', 'på vent', 'avsluttet', 'stanset'];
  const labels = await (await fetch(site.origin + '/sok/etiketter.json')).json();
  assert.deepEqual(Object.keys(labels.status_kind).sort(), [...BARRIER, ...PROJECT].sort());
  BARRIER.forEach((v) => assert.equal(labels.status_kind[v], 'barrier', v));
  PROJECT.forEach((v) => assert.equal(labels.status_kind[v], 'project', v));
  const { page, problems } = await watchedPage(browser, site.origin);
  await page.goto(site.origin + '/sok/?q=kommune');
  await waitForResults(page);
  const groups = await page.$$eval('#facet-status fieldset', (sets) => sets.map((f) => ({
    kind: f.dataset.kind,
    heading: f.querySelector('legend').textContent,
    headingSeen: f.querySelector('legend').checkVisibility(),
    values: [...f.querySelectorAll('input')].map((b) => b.value),
  })));
  assert.deepEqual(groups.map((g) => [g.kind, g.heading, g.headingSeen]), [['barrier', 'Hindringer', true], ['project', 'Prosjekter', true]]);
  assert.ok(groups[0].values.length > 0 && groups[0].values.every((v) => BARRIER.includes(v)), groups[0].values.join());
  assert.ok(groups[1].values.length > 0 && groups[1].values.every((v) => PROJECT.includes(v)), groups[1].values.join());
  assert.equal(await page.$$eval('#facet-status > .facet__option', (rows) => rows.length), 0, 'no status outside a group');
  // Ticking one of them filters as before, and the groups stay.
  const value = groups[1].values[0];
  await toggleValue(page, 'status', value);
  assert.ok(await page.isChecked(`#facet-status fieldset[data-kind=project] input[value="${value}"]`));
  assert.equal(await page.evaluate(() => document.activeElement.value), value, 'focus stays on the status ticked');
  const badges = await page.$$eval('#search-results .card__kind', (els) => new Set(els.map((e) => e.textContent)).size);
  assert.equal(badges, 1, 'only projects have a project status');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a long filter shows 8 values and «Vis alle»; it expands, narrows as you type, and keeps ticked values in view', async () => {
  const { page, problems, outside } = await watchedPage(browser, big.origin);
  await page.goto(big.origin + '/sok/?q=kommunen');
  await waitForResults(page);
  const all = await page.$$eval('#facet-municipality input[type=checkbox]', (boxes) => boxes.map((b) => b.value));
  assert.ok(all.length > 100, `many municipalities (${all.length})`);
  assert.deepEqual(await visibleValues(page, 'municipality'), all.slice(0, 8), 'the first 8 by count');
  const toggle = '#facet-municipality-toggle';
  assert.equal((await page.textContent(toggle)).trim(), `Vis alle (${all.length})`);
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
  assert.equal(await page.getAttribute(toggle, 'aria-controls'), 'facet-municipality-options');
  assert.ok(await page.$('#facet-municipality-options'), 'the button controls the list');
  // The find field has a visible label tied to it (not a placeholder).
  assert.equal(await page.getByLabel('Finn kommune', { exact: true }).getAttribute('id'), 'facet-municipality-find');
  assert.ok(await page.isVisible('label[for="facet-municipality-find"]'));
  assert.equal(await page.getByLabel('Finn løsning', { exact: true }).getAttribute('id'), 'facet-solution-find');
  assert.ok(await page.isVisible('#facet-solution-toggle'), 'solutions are shortened too');
  // Short filters stay as they were.
  assert.equal(await page.$('#facet-type-toggle'), null);
  assert.equal(await page.$('#facet-type-find'), null);

  // Expand with the keyboard: every value shows, focus stays on the button.
  await page.focus(toggle);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
  assert.equal((await page.textContent(toggle)).trim(), 'Vis færre');
  assert.deepEqual(await visibleValues(page, 'municipality'), all);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'facet-municipality-toggle');
  assert.ok((await focusSeen(page)).seen, 'the button shows its focus');

  // Tick a value far down the list; after the answer the list is still expanded, focus on it.
  const far = all[all.length - 3];
  const farId = await toggleValue(page, 'municipality', far);
  assert.match(page.url(), new RegExp('municipality=' + far));
  assert.equal(await page.evaluate(() => document.activeElement.id), farId, 'focus stays on the value ticked');
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true', 'still expanded after the answer');
  // Collapse: the first 8 and the ticked one.
  await page.focus(toggle);
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'facet-municipality-toggle');
  const collapsed = await visibleValues(page, 'municipality');
  assert.equal(collapsed.length, 9);
  assert.ok(collapsed.includes(far), 'the ticked value stays in view when collapsed');
  assert.ok(await page.isChecked('#' + farId));

  // Type in the find field: only matching values (the first 8 of them) and the ticked one show.
  const names = await page.$$eval('#facet-municipality input[type=checkbox]', (boxes) => Object.fromEntries(
    boxes.map((b) => [b.value, document.querySelector(`label[for="${b.id}"]`).textContent.replace(/ \(\d+\)$/, '')])));
  const shownFor = (typed) => {
    const matching = all.filter((v) => names[v].toLowerCase().includes(typed));
    return { matching, expected: all.filter((v) => v === far || matching.slice(0, 8).includes(v)) };
  };
  const target = names[all[20]];
  await page.click('#facet-municipality-find');
  let typed = '';
  for (const letter of target.toLowerCase()) {
    await page.keyboard.type(letter);
    typed += letter;
    const { matching, expected } = shownFor(typed);
    assert.deepEqual(await visibleValues(page, 'municipality'), expected, `after «${typed}»`);
    assert.equal(await page.isVisible('#facet-municipality-toggle'), matching.length > 8, `the button only when more than 8 match («${typed}»)`);
    if (matching.length > 8) assert.equal((await page.textContent('#facet-municipality-toggle')).trim(), `Vis alle (${matching.length})`);
  }
  assert.ok((await visibleValues(page, 'municipality')).includes(all[20]), `${target} is found by typing its name`);
  const { matching } = shownFor(typed);
  await page.waitForFunction(() => /Kommune: \d+ av \d+ passer/.test(document.getElementById('search-status').textContent));
  assert.match(await page.textContent('#search-status'), new RegExp(`^\\d+ treff for «kommunen»\\. Kommune: ${matching.length} av ${all.length} passer\\.$`));

  // An answer arriving while the field has focus keeps the field, its text and the caret.
  await answered(page, () => page.evaluate(() => {
    const box = document.querySelector('#facet-type input[value=practice]');
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  }));
  assert.match(page.url(), /type=practice/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'facet-municipality-find');
  assert.equal(await page.inputValue('#facet-municipality-find'), typed);
  assert.equal(await page.evaluate(() => document.activeElement.selectionStart), typed.length);
  await page.evaluate(() => { window.testFacetsBefore = document.getElementById('search-facets').firstElementChild; });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.getElementById('search-facets').firstElementChild === window.testFacetsBefore), 'Enter in the find field starts no search');
  assert.ok((await visibleValues(page, 'municipality')).every((v) => v === far || names[v].toLowerCase().includes(typed)), 'still narrowed after the answer');

  // A word nothing matches says so; clearing the field brings back the first 8 and the ticked one.
  await page.fill('#facet-municipality-find', 'qqqq');
  assert.ok(await page.isVisible('#facet-municipality .facet__none'));
  assert.deepEqual(await visibleValues(page, 'municipality'), [far]);
  await page.fill('#facet-municipality-find', '');
  const now = await page.$$eval('#facet-municipality input[type=checkbox]', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(await visibleValues(page, 'municipality'), now.filter((v, i) => i < 8 || v === far));
  assert.equal(await page.isVisible('#facet-municipality .facet__none'), false);
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await page.close();
});

test('the search page with the long filters expanded: no axe violations, reflows at 320 px and 200 % zoom', async () => {
  const failures = [];
  // 200 % zoom of a 1280 px window is a 640 CSS px viewport.
  for (const { width, height, scale } of [{ width: 1280, height: 900 }, { width: 640, height: 450, scale: 2 }, { width: 320, height: 700 }]) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale || 1 });
    const { page, problems } = await watchedPage(context, big.origin, { width, height });
    await page.goto(big.origin + '/sok/?q=kommunen&type=practice&type=barrier');
    await waitForResults(page);
    if (await page.getAttribute('#search-filters', 'open') === null) await page.click('#search-filters summary');
    for (const toggle of await page.$$('.facet__toggle')) if (await toggle.isVisible()) await toggle.click();
    assert.ok((await page.$$('.facet__toggle[aria-expanded=true]')).length >= 2, 'the long filters are expanded');
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of violations) failures.push(`${width} px: ${v.id} – ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) failures.push(`${width} px: ${overflow} px wider than the window`);
    if (problems.length) failures.push(`${width} px: console errors ${problems.join(', ')}`);
    if (!scale) await page.screenshot({ path: path.join(artifacts, `search-facets-${width}.png`), fullPage: true });
    await context.close();
  }
  assert.deepEqual(failures, []);
});
