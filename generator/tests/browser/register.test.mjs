// The barrier register in a real browser: sorting by the column header buttons and filtering with
// the selects, by keyboard only; `aria-sort`, the polite announcement and the URL follow; the
// filtered static pages work without JavaScript; axe finds nothing at 1366 px and 390 px, sorted
// and filtered, and nothing scrolls sideways. Screenshots go to artifacts/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { startSite, launch, watchedPage } from './harness.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let site, browser;

before(async () => {
  site = await startSite(18131);
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  site?.stop();
});

async function openRegister(viewport, query = '') {
  const context = await browser.newContext({ viewport });
  const watched = await watchedPage(context, site.origin, viewport);
  await watched.page.goto(site.origin + '/hindringer/' + query);
  await watched.page.waitForSelector('table.register.is-enhanced');
  return { ...watched, close: () => context.close() };
}

/// Presses Tab until `matches` holds for the focused element; fails after 80 stops.
async function tabTo(page, matches) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(matches)) return;
  }
  assert.fail('never reached the control by Tab: ' + matches);
}

const column = (page, n) => page.$$eval(`table.register tbody tr > :nth-child(${n})`, (cells) => cells.map((c) => c.textContent.trim()));

test('sorting by a column header button by keyboard sets aria-sort, announces it and keeps it in the URL', async () => {
  const { page, problems, outside, close } = await openRegister({ width: 1366, height: 900 });
  const ministryHeader = await page.$eval('thead th:nth-child(3)', (th) => th.textContent.trim());
  await tabTo(page, () => document.activeElement.closest('thead th:nth-child(3)') !== null);
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('thead th:nth-child(3)', (th) => th.getAttribute('aria-sort')), 'ascending');
  assert.equal(await page.$$eval('thead th[aria-sort]', (ths) => ths.length), 1);
  assert.equal(await page.textContent('#register-status'), `Sortert etter ${ministryHeader}, stigende`);
  assert.match(page.url(), /sorter=ministry&retning=ascending/);
  const names = await page.$$eval('table.register tbody td:nth-child(3) abbr', (a) => a.map((x) => x.title));
  const collator = new Intl.Collator('nb');
  assert.deepEqual(names, [...names].sort(collator.compare));
  assert.ok(new Set(names).size > 1, 'the content has barriers with more than one ministry');

  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('thead th:nth-child(3)', (th) => th.getAttribute('aria-sort')), 'descending');
  assert.equal(await page.textContent('#register-status'), `Sortert etter ${ministryHeader}, synkende`);
  const descending = await page.$$eval('table.register tbody td:nth-child(3) abbr', (a) => a.map((x) => x.title));
  assert.deepEqual(descending, [...names].sort(collator.compare).reverse());

  // Days in status, longest first, by keyboard too.
  await tabTo(page, () => document.activeElement.closest('thead th:nth-child(7)') !== null);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const days = (await column(page, 7)).map(Number);
  assert.deepEqual(days, [...days].sort((a, b) => b - a));
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await close();
});

test('filtering by status with the keyboard shows exactly that status, announces the count and keeps it in the URL', async () => {
  const { page, problems, close } = await openRegister({ width: 1366, height: 900 });
  const all = (await column(page, 1)).length;
  await tabTo(page, () => document.activeElement.matches('select[name="status"]'));
  await page.keyboard.press('ArrowDown');
  const chosen = await page.$eval('select[name="status"]', (s) => ({ value: s.value, text: s.selectedOptions[0].textContent }));
  assert.notEqual(chosen.value, '');
  const statuses = await column(page, 2);
  assert.ok(statuses.length > 0 && statuses.length < all, `${statuses.length} of ${all} rows`);
  assert.ok(statuses.every((s) => s === chosen.text), statuses.join(', '));
  assert.equal(await page.textContent('#register-status'), `Hindringer som vises: ${statuses.length}`);
  assert.equal(new URL(page.url()).searchParams.get('status'), chosen.value);

  // The URL state survives a reload.
  await page.reload();
  await page.waitForSelector('table.register.is-enhanced');
  assert.equal(await page.$eval('select[name="status"]', (s) => s.value), chosen.value);
  assert.deepEqual(await column(page, 2), statuses);
  assert.deepEqual(problems, []);
  await close();
});

test('on a filtered page the script starts from its filter, and a change makes it the whole register, filtered', async () => {
  const { page, problems, close } = await openRegister({ width: 1366, height: 900 }, 'status/meldt/');
  assert.equal(await page.$eval('select[name="status"]', (s) => s.value), 'meldt');
  assert.ok((await column(page, 2)).every((s) => s === 'meldt'));
  await tabTo(page, () => document.activeElement.matches('select[name="status"]'));
  await page.keyboard.press('Home');
  assert.equal(await page.$eval('select[name="status"]', (s) => s.value), '');
  const url = new URL(page.url());
  assert.equal(url.pathname + url.search, '/hindringer/');
  assert.equal(await page.textContent('h1'), 'Regelverkshindringer');
  assert.ok(new Set(await column(page, 2)).size > 1, 'every status again');
  assert.deepEqual(problems, []);
  await close();
});

test('without JavaScript the filter links lead to static pages with only those barriers', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.origin + '/hindringer/');
  const link = await page.$eval('details[data-facet="status"] a', (a) => ({ href: a.getAttribute('href'), name: a.textContent }));
  assert.match(link.href, /\/hindringer\/status\/[a-z0-9-]+\/$/);
  await page.goto(site.origin + link.href);
  const statuses = await column(page, 2);
  assert.ok(statuses.length > 0);
  assert.ok(statuses.every((s) => s === link.name));
  await context.close();
});

for (const [name, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the register sorted and filtered at ${viewport.width} px: no axe violations, no sideways scrolling`, async () => {
    for (const query of ['', '?status=sendt-departementet&sorter=days&retning=descending']) {
      const { page, problems, close } = await openRegister(viewport, query);
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), []);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${overflow} px wider than the window`);
      assert.deepEqual(problems, []);
      const suffix = query ? 'sorted-filtered' : 'default';
      await page.screenshot({ path: path.join(artifacts, `register-${suffix}-${name}.png`), fullPage: true });
      await close();
    }
  });
}
