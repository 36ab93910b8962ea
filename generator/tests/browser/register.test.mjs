// The registers (barriers, projects, practices) in a real browser: sorting by the column header buttons and filtering with
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
  site = await startSite();
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  site?.stop();
});

async function openRegister(viewport, query = '', folder = '/hindringer/') {
  const context = await browser.newContext({ viewport });
  const watched = await watchedPage(context, site.origin, viewport);
  await watched.page.goto(site.origin + folder + query);
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

const headerCount = (page) => page.$eval('[data-register-count]', (e) => Number(e.textContent));

test('the header count follows the filter in the barrier register', async () => {
  const { page, problems, close } = await openRegister({ width: 1366, height: 900 });
  const all = (await column(page, 1)).length;
  assert.equal(await headerCount(page), all);
  await tabTo(page, () => document.activeElement.matches('select[name="status"]'));
  await page.keyboard.press('ArrowDown');
  const shown = (await column(page, 1)).length;
  assert.ok(shown < all);
  assert.equal(await headerCount(page), shown, 'the header says as many as the table shows');
  assert.deepEqual(problems, []);
  await close();
});

const PHASES = ['idé', 'konsept', 'planlegging', 'gjennomføring', 'avslutning', 'gevinstrealisering'];

test('projects: sorting by phase by keyboard sets aria-sort, announces it and keeps it in the URL', async () => {
  const { page, problems, outside, close } = await openRegister({ width: 1366, height: 900 }, '', '/prosjekter/');
  // The whole register, not only the first page of cards, in one table; the cards are gone.
  assert.equal(await page.$$eval('.card--project', (c) => c.length), 0);
  assert.equal(await headerCount(page), (await column(page, 1)).length);
  const header = await page.$eval('thead th:nth-child(2)', (th) => th.textContent.trim());
  assert.equal(header, 'Fase');
  await tabTo(page, () => document.activeElement.closest('thead th:nth-child(2)') !== null);
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('thead th:nth-child(2)', (th) => th.getAttribute('aria-sort')), 'ascending');
  assert.equal(await page.textContent('#register-status'), 'Sortert etter Fase, stigende');
  assert.match(page.url(), /prosjekter\/\?sorter=phase&retning=ascending$/);
  const ranks = (await column(page, 2)).map((p) => PHASES.indexOf(p));
  assert.ok(ranks.every((r) => r >= 0), 'every phase is a known phase');
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.ok(new Set(ranks).size > 1, 'the content has projects in more than one phase');

  // Owner, descending, by keyboard too; it survives a reload.
  await tabTo(page, () => document.activeElement.closest('thead th:nth-child(4)') !== null);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#register-status'), 'Sortert etter Prosjekteier, synkende');
  const owners = await column(page, 4);
  const collator = new Intl.Collator('nb');
  assert.deepEqual(owners, [...owners].sort(collator.compare).reverse());
  await page.reload();
  await page.waitForSelector('table.register.is-enhanced');
  assert.equal(await page.$eval('thead th:nth-child(4)', (th) => th.getAttribute('aria-sort')), 'descending');
  assert.deepEqual(await column(page, 4), owners);
  assert.deepEqual(problems, []);
  assert.deepEqual(outside, []);
  await close();
});

test('projects: filtering by status with the keyboard shows exactly that status, in the header count too', async () => {
  const { page, problems, close } = await openRegister({ width: 1366, height: 900 }, '', '/prosjekter/');
  const all = (await column(page, 1)).length;
  await tabTo(page, () => document.activeElement.matches('select[name="status"]'));
  await page.keyboard.press('ArrowDown');
  const chosen = await page.$eval('select[name="status"]', (s) => ({ value: s.value, text: s.selectedOptions[0].textContent }));
  const statuses = await column(page, 3);
  assert.ok(statuses.length > 0 && statuses.length < all, `${statuses.length} of ${all} rows`);
  assert.ok(statuses.every((s) => s === chosen.text), statuses.join(', '));
  assert.equal(await page.textContent('#register-status'), `Prosjekter som vises: ${statuses.length}`);
  assert.equal(await headerCount(page), statuses.length);
  assert.equal(new URL(page.url()).searchParams.get('status'), chosen.value);
  await page.reload();
  await page.waitForSelector('table.register.is-enhanced');
  assert.equal(await page.$eval('select[name="status"]', (s) => s.value), chosen.value);
  assert.deepEqual(await column(page, 3), statuses);
  assert.equal(await headerCount(page), statuses.length);
  assert.deepEqual(problems, []);
  await close();
});

test('practices: sorting by municipalities and filtering by maturity by keyboard, from a filtered page', async () => {
  const { page, problems, close } = await openRegister({ width: 1366, height: 900 }, '', '/erfaringer/');
  assert.equal(await page.$$eval('.card--practice', (c) => c.length), 0);
  const all = (await column(page, 1)).length;
  assert.equal(await headerCount(page), all);
  await tabTo(page, () => document.activeElement.closest('thead th:nth-child(5)') !== null);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('thead th:nth-child(5)', (th) => th.getAttribute('aria-sort')), 'descending');
  assert.equal(await page.textContent('#register-status'), 'Sortert etter Kommuner, synkende');
  const counts = (await column(page, 5)).map(Number);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.ok(new Set(counts).size > 1);

  await tabTo(page, () => document.activeElement.matches('select[name="modenhet"]'));
  await page.keyboard.press('ArrowDown');
  const chosen = await page.$eval('select[name="modenhet"]', (s) => ({ value: s.value, text: s.selectedOptions[0].textContent }));
  const maturities = await column(page, 2);
  assert.ok(maturities.length > 0 && maturities.length < all);
  assert.ok(maturities.every((m) => m === chosen.text), maturities.join(', '));
  assert.equal(await page.textContent('#register-status'), `Erfaringer som vises: ${maturities.length}`);
  assert.equal(await headerCount(page), maturities.length);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('modenhet'), chosen.value);
  assert.equal(url.searchParams.get('sorter'), 'municipalities');
  const stillSorted = (await column(page, 5)).map(Number);
  assert.deepEqual(stillSorted, [...stillSorted].sort((a, b) => b - a));

  // A filtered static page starts from its filter; a change makes it the whole register.
  const { page: filtered, close: closeFiltered } = await openRegister({ width: 1366, height: 900 }, `modenhet/${chosen.value}/`, '/erfaringer/');
  assert.equal(await filtered.$eval('select[name="modenhet"]', (s) => s.value), chosen.value);
  assert.equal(await headerCount(filtered), maturities.length);
  await tabTo(filtered, () => document.activeElement.matches('select[name="modenhet"]'));
  await filtered.keyboard.press('Home');
  const back = new URL(filtered.url());
  assert.equal(back.pathname + back.search, '/erfaringer/');
  assert.equal(await filtered.textContent('h1'), 'Erfaringer');
  assert.equal(await headerCount(filtered), all);
  await closeFiltered();
  assert.deepEqual(problems, []);
  await close();
});

for (const [name, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`projects and practices sorted and filtered at ${viewport.width} px: no axe violations, no sideways scrolling`, async () => {
    const views = [
      ['prosjekter', '/prosjekter/', '?fase=konsept&sorter=start&retning=descending'],
      ['erfaringer', '/erfaringer/', '?modenhet=i-drift&sorter=published&retning=descending'],
    ];
    for (const [slug, folder, query] of views) {
      for (const q of ['', query]) {
        const { page, problems, close } = await openRegister(viewport, q, folder);
        const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), []);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${folder}${q}: ${overflow} px wider than the window`);
        if (q) assert.ok((await column(page, 1)).length > 0, `${folder}${q} shows some records`);
        assert.deepEqual(problems, []);
        const suffix = q ? 'sorted-filtered' : 'default';
        await page.screenshot({ path: path.join(artifacts, `register-${slug}-${suffix}-${name}.png`), fullPage: true });
        await close();
      }
    }
  });
}
