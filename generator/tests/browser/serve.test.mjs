// `deling serve` in the browser: a saved record reloads the pages that show it (and only those),
// a broken save shows the problems over the page and keeps the last good site, and fixing the
// file clears them. Saves come as editors make them: in place, through a renamed temporary
// file, and in storms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, renameSync, rmSync, cpSync } from 'node:fs';
import path from 'node:path';
import { copySite, startSite, launch, watchedPage } from './harness.mjs';

const RECORD = 'content/nettverk/digi-vestland/erfaringer/arkiv-i-skyen-vurderingsmal.md';
const PAGE = '/erfaringer/arkiv-i-skyen-vurderingsmal/';
let root, site, browser, original;

before(async () => {
  root = copySite();
  original = readFileSync(path.join(root, RECORD), 'utf8');
  site = await startSite(root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

const file = () => path.join(root, RECORD);
const save = (text) => writeFileSync(file(), text);
const withSummary = (summary) => original.replace(/^summary = ".*"$/m, `summary = "${summary}"`);
const shows = (page, text) =>
  page.waitForFunction((t) => document.body.textContent.includes(t), text, { timeout: 15000 });

async function openRecord() {
  const watched = await watchedPage(browser, site.origin);
  await watched.page.goto(site.origin + PAGE);
  await watched.page.waitForFunction(() => document.documentElement.dataset.delingLive === 'open',
    null, { timeout: 10000 });
  return watched;
}

test('saving a record reloads its page, and pages that do not show it stay', async () => {
  const { page, problems, outside } = await openRecord();
  const other = await watchedPage(browser, site.origin);
  await other.page.goto(site.origin + '/data/');
  await other.page.evaluate(() => { window.notReloaded = true; });
  save(withSummary('Endret mens siden var åpen'));
  await shows(page, 'Endret mens siden var åpen');
  // The overview lists the record, so its page (as served, before register.js turns the cards
  // into a table) shows the new summary too.
  const overview = await watchedPage(browser, site.origin);
  const html = await (await overview.page.request.get(site.origin + '/erfaringer/')).text();
  assert.ok(html.includes('Endret mens siden var åpen'));
  assert.equal(await other.page.evaluate(() => window.notReloaded), true, '/data/ was not reloaded');
  assert.deepEqual([...problems, ...other.problems], []);
  assert.deepEqual(outside, []);
  await Promise.all([page.close(), other.page.close(), overview.page.close()]);
});

test('a broken save shows file, line and fix over the last good page; fixing it clears them', async () => {
  const { page, problems } = await openRecord();
  save(withSummary('Siste gode versjon'));
  await shows(page, 'Siste gode versjon');
  save(withSummary('Ødelagt').replace(/^title = /m, 'titel = '));
  const overlay = page.locator('#deling-feil');
  await overlay.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await overlay.getAttribute('role'), 'alert');
  const text = await overlay.textContent();
  assert.match(text, /kunne ikke bygges/);
  assert.ok(text.includes(RECORD + ':'), text);
  assert.match(text, /ukjent felt `titel`/);
  assert.match(text, /mente du `title`\?/);
  assert.ok((await page.textContent('main')).includes('Siste gode versjon'), 'the last good page stays');
  // A page opened while the site is broken shows the problems too.
  const late = await openRecord();
  await late.page.locator('#deling-feil').waitFor({ state: 'visible', timeout: 15000 });
  save(withSummary('Rettet igjen'));
  await shows(page, 'Rettet igjen');
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  assert.deepEqual([...problems, ...late.problems], []);
  await Promise.all([page.close(), late.page.close()]);
});

test('markup quoted in a problem is shown as text in the overlay, never run', async () => {
  const { page, problems } = await openRecord();
  const payload = '<img src=x onerror="window.__xss=1">';
  save(withSummary('Før').replace(/^title = /m, `"${payload.replaceAll('"', '\\"')}" = 1\ntitle = `));
  const overlay = page.locator('#deling-feil');
  await overlay.waitFor({ state: 'visible', timeout: 15000 });
  const text = await overlay.textContent();
  assert.ok(text.includes(`ukjent felt \`${payload}\``), text);
  assert.equal(await overlay.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  save(original);
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('saves through a temporary file and save storms end in the last version', async () => {
  const { page, problems } = await openRecord();
  const temporary = path.join(path.dirname(file()), '.arkiv.md.tmp');
  writeFileSync(temporary, withSummary('Lagret via en midlertidig fil'));
  renameSync(temporary, file());
  await shows(page, 'Lagret via en midlertidig fil');
  for (let i = 0; i < 25; i++) {
    save(withSummary(`Storm ${i}`));
    // Half-written saves happen in a storm: the file is truncated, then written.
    if (i % 5 === 0) save('');
  }
  save(withSummary('Stormen er over'));
  await shows(page, 'Stormen er over');
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('#deling-feil').count(), 0, 'no problems once the storm is over');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the server survives the content folder being deleted and restored', async () => {
  const { page } = await openRecord();
  const content = path.join(root, 'content');
  const kept = content + '.kept';
  cpSync(content, kept, { recursive: true });
  rmSync(content, { recursive: true, force: true });
  const overlay = page.locator('#deling-feil');
  await overlay.waitFor({ state: 'visible', timeout: 15000 });
  assert.ok((await page.textContent('main')).length > 0, 'the last good page stays');
  // The server still answers while the content is gone.
  assert.equal((await fetch(site.origin + PAGE)).status, 200);
  cpSync(kept, content, { recursive: true });
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  // Saves after the restore are seen: the new folder is watched.
  save(withSummary('Etter gjenoppretting'));
  await shows(page, 'Etter gjenoppretting');
  await page.close();
});

test('served pages carry the reload script (built pages never do: see testsuite/serve.rs)', async () => {
  const html = await (await fetch(site.origin + PAGE)).text();
  assert.ok(html.includes('<script src="/__deling/reload.js" defer></script></body>'));
});
