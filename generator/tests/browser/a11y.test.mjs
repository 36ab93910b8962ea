// Accessibility in a real browser: every page type passes axe-core's WCAG 2.0 and 2.1 A and AA
// rules at desktop and mobile width, reflows without horizontal scrolling at 320 px and at
// 200 % zoom, and is screenshotted for a person to look at (artifacts/, not committed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { startSite, launch, watchedPage, focusSeen } from './harness.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  // 200 % zoom of a 1280 px window is a 640 CSS px viewport.
  { name: 'zoom200', viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 },
  { name: 'mobile', viewport: { width: 320, height: 700 } },
];
let site, browser, pages;

/// The first link in `selector` on `from`, so the test follows the content instead of naming it.
/// (The registers' script turns cards into table rows: practices and projects accept either.)
async function firstLink(page, from, selector) {
  await page.goto(site.origin + from);
  const href = await page.$eval(selector, (a) => a.getAttribute('href'));
  return new URL(href, site.origin).pathname;
}

before(async () => {
  site = await startSite();
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
  const page = await browser.newPage();
  pages = {
    front: '/',
    practice: await firstLink(page, '/erfaringer/', 'main .card__title a, main th[scope="row"] a'),
    barrier: await firstLink(page, '/hindringer/', 'main th a'),
    project: await firstLink(page, '/prosjekter/', 'main .card__title a, main th[scope="row"] a'),
    nynorsk: '/erfaringer/arkiv-i-skyen-vurderingsmal/',
    // Issue 15: a practice with its own image (a figure with srcset) and a PDF.
    practice_media: '/erfaringer/digital-post-svarut-og-eformidling/',
    practices: '/erfaringer/',
    barriers: '/hindringer/',
    projects: '/prosjekter/',
    // Issue 15: the registers' filtered views, reached by their filter links.
    barriers_filtered: await firstLink(page, '/hindringer/', 'details[data-facet="status"] a'),
    projects_filtered: await firstLink(page, '/prosjekter/', 'details[data-facet="status"] a'),
    practices_filtered: await firstLink(page, '/erfaringer/', 'details[data-facet="modenhet"] a'),
    networks: '/nettverk/',
    network: await firstLink(page, '/nettverk/', 'main li a[href*="/nettverk/"]'),
    service_areas: '/tjenesteomrader/',
    service_area: await firstLink(page, '/tjenesteomrader/', 'main li a[href*="/tjenesteomrader/"]'),
    solutions: '/losninger/',
    solution: await firstLink(page, '/losninger/', 'main li a[href*="/losninger/"]'),
    municipalities: '/kommuner/',
    municipality: await firstLink(page, '/kommuner/', 'main li a[href*="/kommuner/"]'),
    tags: '/emneord/',
    tag: await firstLink(page, '/emneord/', 'main li a[href*="/emneord/"]'),
    changes: '/nytt/',
    data: '/data/',
    statistics: '/statistikk/',
    search: '/sok/?q=velferdsteknologi&type=practice',
    not_found: '/finnes-ikke/',
    // Reached from the footer, as every page links to them there.
    accessibility: await firstLink(page, '/', 'footer a[href$="/om/tilgjengelighet/"]'),
    privacy: await firstLink(page, '/', 'footer a[href$="/om/personvern/"]'),
    // Issue 15: a stopped project's key facts, and the «Om Deling» page.
    stopped_project: '/prosjekter/felles-arkivlosning-i-skyen/',
    about: await firstLink(page, '/', 'footer a[href$="/om/om-deling/"]'),
  };
  await page.close();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

async function open(name, width) {
  const context = await browser.newContext({ viewport: width.viewport, deviceScaleFactor: width.deviceScaleFactor || 1 });
  const watched = await watchedPage(context, site.origin, width.viewport);
  await watched.page.goto(site.origin + pages[name]);
  if (name === 'search') {
    await watched.page.waitForFunction(() => /treff/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 20000 });
  }
  return { ...watched, context };
}

/// Runs `each` on every item, two at a time. A page's axe run and screenshot keep one of
/// Chromium's threads busy while the test waits, so pages checked one by one left a 2-core
/// machine half idle (this file took 184 s, 134 s two at a time; three at a time gained nothing).
const AT_ONCE = 2;
async function eachAtOnce(items, each) {
  const queue = [...items];
  const worker = async () => {
    while (queue.length) await each(queue.shift());
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

for (const width of WIDTHS) {
  test(`every page type at ${width.name} width: no axe violations, no horizontal scrolling`, async () => {
    const failures = [];
    await eachAtOnce(Object.keys(pages), async (name) => {
      const { page, problems, outside, context } = await open(name, width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) failures.push(`${name} (${pages[name]}): ${overflow} px wider than the window`);
      if (width.name !== 'zoom200') {
        const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        for (const v of violations) {
          failures.push(`${name} (${pages[name]}): ${v.id} – ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
        }
      }
      // The 404 page is, rightly, answered with status 404, which Chromium logs.
      const errors = problems.filter((p) => !(name === 'not_found' && /status of 404/.test(p)));
      if (errors.length) failures.push(`${name}: console errors ${errors.join(', ')}`);
      if (outside.length) failures.push(`${name}: requests outside the site ${outside.join(', ')}`);
      await page.screenshot({ path: path.join(artifacts, `${name}-${width.name}.png`), fullPage: true });
      await context.close();
    });
    // Sorted, so the report does not depend on which page finished first.
    failures.sort();
    assert.deepEqual(failures, []);
  });
}

/// Tabs through a page and returns the tab stops whose focus cannot be seen.
async function invisibleFocus(page, stops) {
  const hidden = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const focus = await focusSeen(page);
    if (focus && !focus.seen) hidden.push(focus.what);
  }
  return hidden;
}

test('keyboard focus is visible at every tab stop, also in forced colours', async () => {
  for (const forcedColors of ['none', 'active']) {
    for (const name of ['front', 'practice', 'search', 'municipalities']) {
      const { page, context } = await open(name, WIDTHS[0]);
      await page.emulateMedia({ forcedColors });
      assert.deepEqual(await invisibleFocus(page, 30), [], `${name}, forced colours ${forcedColors}`);
      if (forcedColors === 'active') {
        const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        assert.deepEqual(violations.map((v) => v.id), [], `${name} in forced colours`);
      }
      await context.close();
    }
  }
});

test('with reduced motion nothing animates or transitions', async () => {
  for (const name of ['front', 'search']) {
    const { page, context } = await open(name, WIDTHS[0]);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const moving = await page.evaluate(() => [...document.querySelectorAll('*')]
      .filter((el) => {
        const s = getComputedStyle(el);
        const seconds = (v) => Math.max(...v.split(',').map((t) => parseFloat(t) || 0));
        return s.animationName !== 'none' || seconds(s.transitionDuration) > 0 || s.scrollBehavior === 'smooth';
      })
      .map((el) => el.tagName + '.' + el.className));
    assert.deepEqual(moving, [], name);
    await context.close();
  }
});

// Issue 15: statistics. Its links (in the tables and on the county tiles) are reached by
// keyboard with visible focus; in forced colours the bars and tiles stay visible.
test('statistics: keyboard reaches its links with visible focus; bars stay visible in forced colours', async () => {
  for (const forcedColors of ['none', 'active']) {
    const { page, context } = await open('statistics', WIDTHS[0]);
    await page.emulateMedia({ forcedColors });
    assert.deepEqual(await invisibleFocus(page, 60), [], `statistics, forced colours ${forcedColors}`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const fills = await page.$$eval('.chart__bar', (bars) => bars.map((b) => getComputedStyle(b).fill));
    assert.ok(fills.length > 0, 'the page draws bars');
    assert.deepEqual(fills.filter((f) => f === 'none' || f === background), [], `bars visible, forced colours ${forcedColors}`);
    const tiles = await page.$$eval('.tilemap__tile', (ts) => ts.map((t) => getComputedStyle(t).borderTopStyle));
    assert.equal(tiles.length, 15, 'a tile for each of the 15 counties');
    assert.ok(tiles.every((s) => s === 'solid'), 'every tile has an edge');
    if (forcedColors === 'active') {
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      assert.deepEqual(violations.map((v) => v.id), [], 'statistics in forced colours');
    }
    await context.close();
  }
  for (const width of [390, 1366]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.origin + pages.statistics);
    await page.screenshot({ path: path.join(artifacts, `statistics-${width}.png`), fullPage: true });
    await context.close();
  }
});

// Issue 15: pictures and documents with the record.
test('a record\'s own image loads at phone and desktop width and its PDF is served', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1366, height: 900 }]) {
    const context = await browser.newContext({ viewport });
    const { page, problems, outside } = await watchedPage(context, site.origin, viewport);
    await page.goto(site.origin + pages.practice_media);
    const figure = page.locator('main figure img');
    await figure.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const img = document.querySelector('main figure img');
      return img && img.complete && img.naturalWidth > 0;
    });
    const img = await figure.evaluate((el) => ({
      alt: el.alt, src: el.currentSrc, shown: el.getBoundingClientRect().width, natural: el.naturalWidth,
      caption: el.closest('figure').querySelector('figcaption')?.textContent || '',
    }));
    assert.ok(img.alt.length > 20, img.alt);
    assert.ok(img.caption.length > 0);
    assert.ok(new URL(img.src).origin === site.origin, img.src);
    // Never wider than the column, and the srcset chose a width that fits the screen.
    assert.ok(img.shown <= viewport.width, JSON.stringify(img));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0);
    const pdf = await page.locator('.documents__list a').first().getAttribute('href');
    const response = await page.request.get(new URL(pdf, site.origin).href);
    assert.equal(response.status(), 200);
    assert.ok((await response.body()).subarray(0, 5).toString() === '%PDF-');
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
    await page.screenshot({ path: path.join(artifacts, `practice_media-${viewport.width}.png`), fullPage: true });
    await context.close();
  }
});
