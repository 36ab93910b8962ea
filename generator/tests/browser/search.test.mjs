// Search in the browser: ranked results as you type, filters, the keyboard, the same ranking as
// the terminal, and nothing fetched from outside the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repo, startSite, buildSite, cliSearch, launch, watchedPage, shownIds, focusSeen } from './harness.mjs';

let site, browser, built;

before(async () => {
  site = await startSite(18111);
  built = buildSite(site.origin);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

async function waitForResults(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('search-status');
    return status && /treff/.test(status.textContent);
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
  await page.goto(site.origin + '/');
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
  await press('Space');
  await page.waitForFunction((v) => location.search.includes('type=' + v), value);
  await waitForResults(page);
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

test('an engine and an index from different builds give a clear message, not results', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Routed on the context, so the worker's own requests are intercepted too.
  await context.route('**/sok/indeks/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.format_version += 1;
    await route.fulfill({ response, json: manifest });
  });
  await page.goto(site.origin + '/sok/?q=kobo');
  await page.waitForFunction(() => /på nytt/.test(document.getElementById('search-status').textContent), null, { timeout: 20000 });
  assert.equal(await page.$$eval('#search-results li', (l) => l.length), 0);
  await context.close();
});

test('without JavaScript the search page is a form that leads to the overviews', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(site.origin + '/sok/?q=kobo');
  assert.equal(await page.getAttribute('#search-app', 'method'), 'get');
  assert.ok(await page.isVisible('#search-fallback a[href="/erfaringer/"]'));
  await context.close();
});
