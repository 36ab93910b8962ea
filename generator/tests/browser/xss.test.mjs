// Contributor text is data, never markup and never a template. An XSS corpus (script tags, event
// handlers, `javascript:` and `data:` URLs, SVG and MathML payloads, entity tricks, attribute and
// element breakouts, tera syntax) goes through every text path of every kind of content: Markdown
// bodies and Markdown fields, titles, summaries, tags and the other front-matter strings, link
// texts and URLs, a network's index.md, a page about the site (content/om/), the reference data
// (service area, solution, ministry, municipality), Git author names, search snippets, titles
// and filter labels, and the search page's own input (query and filter values in the URL).
// The built site (`deling build`, served as a static host would) is then opened in Chromium, once
// with its Content-Security-Policy and once with the policy bypassed, so a payload that reached
// the page would run: nothing may run, no injected element or attribute may exist, the CSP may
// report nothing, nothing may be fetched from outside, and every payload must read as the literal
// text it was written as (templates are never evaluated). Feeds and open data must stay
// well-formed and carry the text unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync as makeTemporary, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo, deling, copySite as copyRepositorySite, serveDir, launch, watchedPage } from './harness.mjs';

/// Temporary folders this file made, removed at the end.
const temporary = [];
const mkdtempSync = (prefix) => { const dir = makeTemporary(prefix); temporary.push(dir); return dir; };
const copySite = () => { const dir = copyRepositorySite(); temporary.push(dir); return dir; };
/// A made-up word in every payload record's summary, so a search finds exactly those records.
const WORD = 'xssvakt';
/// `{{ 41*1009 }}` evaluated: must never appear anywhere.
const EVALUATED = '41369';

// Every payload that could run calls alert(n): a dialog is the sink, n says which payload ran.
const PLAIN = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<svg onload=alert(3)>',
  '<svg><script>alert(4)</script></svg>',
  '<iframe srcdoc="<script>parent.alert(5)</script>"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(6)>',
  '<a href="javascript:alert(7)">a</a>',
  '" onmouseover="alert(8)" x="',
  "' onmouseover='alert(9)' x='",
  "'><script>alert(10)</script>",
  '"><img src=x onerror=alert(11)>',
  '</title><script>alert(12)</script>',
  '</textarea><script>alert(13)</script>',
  '&lt;script&gt;alert(14)&lt;/script&gt;',
  '&#x3C;script&#x3E;alert(15)&#x3C;/script&#x3E;',
  '&#106;avascript:alert(16)',
  'javascript:alert(17)',
  'data:text/html,<script>alert(18)</script>',
  ']]><script>alert(19)</script><!--',
  '<object data="data:text/html,<script>alert(20)</script>"></object><embed src="javascript:alert(21)">',
  '<base href="https://xss.invalid/"><meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
  '<svg/onload=window.__xss=23><img src="https://xss.invalid/24.png"><link rel=stylesheet href=https://xss.invalid/25.css>',
  '\u2028\u2029',
  '{{ 7*7 }}', '{{ 41*1009 }}', '{{ config }}', '{{ site.title | upper }}', '{% raw %}rå{% endraw %}',
  '{% include "base.html" %}', '{% for x in [1, 2] %}løkke{% endfor %}', '{# kommentar #}',
];
/// Literal template text that must read as written wherever a payload field is shown.
const TERA = ['{{ 7*7 }}', '{{ 41*1009 }}', '{{ config }}', '{% include "base.html" %}', '{# kommentar #}'];
const plain = (label) => `${label} ${WORD} ${PLAIN.join(' ')}`;
/// Titles and names may have at most 150 characters: the payloads that break out of a title, a
/// heading, an attribute or a template, with the search word.
const heading = (label) =>
  `${label} ${WORD} </title><script>alert(12)</script> "><img src=x onerror=alert(11)> ' onmouseover='alert(9)' {{ 41*1009 }}`;
/// Summaries may have at most 300 characters.
const summary = (label) =>
  `${label} ${WORD} <script>alert(30)</script> "><img src=x onerror=alert(31)> ' onmouseover='alert(32)' `
  + '&lt;b&gt; &#106;avascript:alert(33) </title><svg onload=alert(34)> {{ 7*7 }} {{ 41*1009 }} {% raw %} {# kommentar #}';
const TAGS = ['<script>alert(40)</script>', '"><svg onload=alert(41)>', '{{ 41*1009 }}', '&#106;avascript:alert(42)'];
const GIT_AUTHORS = [
  'Ola "><svg onload=alert(50)> {{ 41*1009 }} &lt;script&gt;alert(51)&lt;/script&gt;',
  "Kari ' onfocus='alert(52)' autofocus x=' {% include \"base.html\" %} {# kommentar #}",
];
const NETWORK = 'xss-nett';

/// A Markdown text with raw HTML blocks, inline HTML, dangerous links in every Markdown link
/// form, entity tricks, breakouts, code, tables, task lists, footnotes and tera syntax.
function markdown(label, headings) {
  const h = headings ? [
    `## Overskrift ${label} \`<script>alert(100)</script>\` <img src=x onerror=alert(101)>`,
    '',
    '### Under `"><svg onload=alert(102)>` {{ 41*1009 }}',
    '',
    '### Tredje {# kommentar #} &lt;svg onload=alert(160)&gt; [lenke](javascript:alert(161))',
    '',
  ] : [];
  return [
    ...h,
    `Felt ${label}: {{ 41*1009 }}`,
    '',
    '<script>alert(103)</script>',
    '',
    '<img src=x onerror=alert(104)>',
    '',
    '<svg onload=alert(105)><script>alert(106)</script></svg>',
    '',
    '<svg><a xlink:href="javascript:alert(107)"><text x="0" y="20">svg</text></a></svg>',
    '',
    '<iframe srcdoc="<script>parent.alert(108)</script>"></iframe>',
    '',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(109)></style></mglyph></table></mtext></math>',
    '',
    '<details open ontoggle=alert(110)><summary>x</summary></details>',
    '',
    '<object data="data:text/html,<script>alert(111)</script>"></object>',
    '',
    '<embed src="javascript:alert(112)">',
    '',
    '<style>*{display:none}</style>',
    '',
    '<svg/onload=window.__xss=158><img src="https://xss.invalid/159.png">',
    '',
    '<form action="https://xss.invalid/"><button formaction="javascript:alert(113)">send</button></form>',
    '',
    '<!-- <script>alert(114)</script> -->',
    '',
    '<![CDATA[<script>alert(115)</script>]]>',
    '',
    'Inline <script>alert(116)</script>, <img src=x onerror=alert(117)>, <a href="javascript:alert(118)">a</a>, <b onmouseover=alert(119)>b</b>, <textarea></textarea><script>alert(120)</script>.',
    '',
    '[javascript](javascript:alert(121)) [mixed case]( JaVaScRiPt:alert(122) ) [decimal entity](&#106;avascript:alert(123)) [hex and named entities](&#x6A;avascript&colon;alert(124))',
    '',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMjUpPC9zY3JpcHQ+) [vbscript](vbscript:msgbox(126)) [file](file:///etc/passwd)',
    '',
    '<javascript:alert(127)> <JAVASCRIPT:alert(128)> <data:text/html,alert(129)>',
    '',
    '[reference][r1] and [another][r2]',
    '',
    '[r1]: javascript:alert(130)',
    '[r2]: <data:text/html,alert(131)> "title"',
    '',
    '[title attribute](https://example.org/ "\\" onmouseover=\\"alert(132)") [<img src=x onerror=alert(133)>](https://example.org/)',
    '',
    '[breakout](<https://example.org/"><script>alert(134)</script>>) https://example.org/"onmouseover="alert(135)" www.example.org/<script>alert(136)</script> post@example.org',
    '',
    '&lt;script&gt;alert(137)&lt;/script&gt; &#x3C;script&#x3E;alert(138)&#x3C;/script&#x3E; &#60;img src=x onerror=alert(139)&#62; &#106;avascript:alert(140)',
    '',
    '" onmouseover="alert(141)" x=" \' onmouseover=\'alert(142)\' \'><script>alert(143)</script>',
    '',
    '</title><script>alert(144)</script> </textarea><script>alert(145)</script> </p></div></main><script>alert(146)</script>',
    '',
    '```"><script>alert(147)</script>',
    '<script>alert(148)</script>',
    '```',
    '',
    '    <script>alert(149)</script>',
    '',
    '| <script>alert(150)</script> | <img src=x onerror=alert(151)> |',
    '|---|---|',
    '| [x](javascript:alert(152)) | `<svg onload=alert(153)>` |',
    '',
    '- [ ] <img src=x onerror=alert(154)>',
    '- [x] <svg onload=alert(155)>',
    '',
    `Fotnote[^n${label}"><script>alert(156)</script>].`,
    '',
    `[^n${label}"><script>alert(156)</script>]: <svg onload=alert(157)>`,
    '',
    '{{ 7*7 }}',
    '',
    '{{ config }}',
    '',
    '{% raw %}rå{% endraw %}',
    '',
    '{% include "base.html" %}',
    '',
    '{# kommentar #}',
    '',
  ].join('\n');
}

/// Dates just after the newest record in the repository's content, so the payload records head every
/// list (front page, overviews, "Nytt og endret") however the real content grows.
const LATEST = (() => {
  const folders = ['nettverk', 'nasjonalt'].map((f) => path.join(repo, 'content', f));
  const files = execFileSync('find', [...folders, '-name', '*.md'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const dates = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^(?:published|updated|date) = (\d{4}-\d\d-\d\d)$/gm)].map((m) => m[1]));
  return new Date(dates.sort().at(-1) + 'T00:00:00Z');
})();
const day = (n) => new Date(LATEST.getTime() + n * 86400000).toISOString().slice(0, 10);

const toml = (value) => JSON.stringify(value); // a JSON string is a valid TOML basic string
const list = (values) => '[' + values.map(toml).join(', ') + ']';

// The payload records: front matter fields (plain text), Markdown fields and body.
const RECORDS = {
  practice: {
    file: 'content/nasjonalt/erfaringer/xss-erfaring.md',
    path: '/erfaringer/xss-erfaring/',
    plain: { title: heading('Erfaring'), summary: summary('Erfaring'), contact: plain('Kontakt'), source: plain('Kilde'), attachment: plain('Vedlegg') },
    text: (r) => `+++
title = ${toml(r.plain.title)}
summary = ${toml(r.plain.summary)}
published = ${day(1)}
service_areas = ["helse-og-omsorg", "xss-omrade"]
solutions = ["xss-losning"]
networks = [${toml(NETWORK)}]
municipalities = ["4204", "4299"]
tags = ${list(TAGS)}
contact = ${toml(r.plain.contact)}
maturity = "pilot"
problem = ${toml(markdown('problem'))}
results = ${toml(markdown('results'))}
lessons = ${toml(markdown('lessons'))}
reuse = ${toml(markdown('reuse'))}

[[sources]]
title = ${toml(r.plain.source)}
url = ${toml('https://example.org/?q="><script>alert(60)</script>')}

[[attachments]]
title = ${toml(r.plain.attachment)}
url = ${toml('https://example.org/" onmouseover="alert(61)')}
+++
${markdown('body', true)}`,
  },
  barrier: {
    file: 'content/nasjonalt/hindringer/xss-hindring.md',
    path: '/hindringer/xss-hindring/',
    plain: { title: heading('Hindring'), summary: summary('Hindring'), contact: plain('Kontakt'), agency: plain('Etat'), reported_by: plain('Meldt av'), law: heading('Lov'), section: plain('Paragraf'), note: plain('Notat') },
    text: (r, status = 'under vurdering') => `+++
title = ${toml(r.plain.title)}
summary = ${toml(r.plain.summary)}
published = ${day(2)}
service_areas = ["xss-omrade"]
networks = [${toml(NETWORK)}]
tags = ${list(TAGS)}
contact = ${toml(r.plain.contact)}
ministry = "xss-dep"
agency = ${toml(r.plain.agency)}
reported_by = ${toml(r.plain.reported_by)}
status = ${toml(status)}
consequence = ${toml(markdown('consequence'))}
proposed_change = ${toml(markdown('proposed_change'))}

[[legal_references]]
law = ${toml(r.plain.law)}
section = ${toml(r.plain.section)}
url = ${toml('https://lovdata.no/lov/"><script>alert(62)</script>')}

[[status_log]]
date = ${day(2)}
status = "meldt"
note = ${toml(r.plain.note)}
${status === 'meldt' ? '' : `
[[status_log]]
date = ${day(5)}
status = ${toml(status)}
note = ${toml(r.plain.note)}
`}+++
${markdown('body', true)}`,
  },
  project: {
    file: 'content/nasjonalt/prosjekter/xss-prosjekt.md',
    path: '/prosjekter/xss-prosjekt/',
    plain: { title: heading('Prosjekt'), summary: summary('Prosjekt'), contact: plain('Kontakt'), owner: plain('Eier'), participant: plain('Deltaker'), deliverable: plain('Leveranse') },
    text: (r) => `+++
title = ${toml(r.plain.title)}
summary = ${toml(r.plain.summary)}
published = ${day(3)}
service_areas = ["xss-omrade"]
solutions = ["xss-losning"]
networks = [${toml(NETWORK)}]
tags = ${list(TAGS)}
contact = ${toml(r.plain.contact)}
purpose = ${toml(markdown('purpose'))}
phase = "konsept"
status = "pågår"
owner = ${toml(r.plain.owner)}
participants = [${toml(r.plain.participant)}, "Bodø kommune"]
deliverables = [${toml(r.plain.deliverable)}]
results = ${toml(markdown('project-results'))}
+++
${markdown('body', true)}`,
  },
  network_practice: {
    file: `content/nettverk/${NETWORK}/erfaringer/xss-nettverkspost.md`,
    path: '/erfaringer/xss-nettverkspost/',
    plain: { title: heading('Nettverkspost'), summary: summary('Nettverkspost'), contact: plain('Kontakt') },
    text: (r) => `+++
title = ${toml(r.plain.title)}
summary = ${toml(r.plain.summary)}
published = ${day(4)}
service_areas = ["xss-omrade"]
networks = ["digi-agder"]
tags = ${list(TAGS)}
contact = ${toml(r.plain.contact)}
maturity = "i drift"
problem = ${toml(markdown('problem'))}
+++
${markdown('body', true)}`,
  },
};

const NETWORK_PLAIN = { name: heading('Nettverk'), summary: summary('Nettverk'), alias: plain('Alias'), contact: plain('Kontakt') };
// A website must be a web address written as browsers read it (check refuses quotes, `<`,
// spaces), so the payload is what such an address can still hold: an entity and template text.
const NETWORK_WEBSITE = 'https://example.org/?a=1&amp;b=2#{{41*1009}}';
const networkText = () => `+++
name = ${toml(NETWORK_PLAIN.name)}
summary = ${toml(NETWORK_PLAIN.summary)}
aliases = [${toml(NETWORK_PLAIN.alias)}]
counties = ["42"]
founded = 2025
website = ${toml(NETWORK_WEBSITE)}
reviewers = ["@ks-deling/xss-nett"]
contact = ${toml(NETWORK_PLAIN.contact)}
+++
${markdown('network', true)}`;

// Reference data is content too (KS edits it in pull requests).
const REFERENCE = {
  area: { name: plain('Område'), description: plain('Områdebeskrivelse') },
  solution: { name: plain('Løsning'), owner: plain('Forvalter'), description: plain('Løsningsbeskrivelse') },
  ministry: { name: plain('Departement'), short: '"><svg onload=alert(64)>' },
  // A made-up municipality in Agder (the payload network's county), so it is a member too.
  // At most 100 characters: the name becomes part of the municipality page's folder name.
  municipality: { number: '4299', name: `K <script>alert(80)</script>"><img src=x onerror=alert(81)>' onmouseover='alert(82)'{{ 41*1009 }}` },
};

// A page about the site (content/om/), linked from every page's footer.
const ABOUT = { file: 'content/om/xss-om.md', path: '/om/xss-om/', plain: { title: heading('Om'), summary: summary('Om') } };
const aboutText = () => `+++
title = ${toml(ABOUT.plain.title)}
summary = ${toml(ABOUT.plain.summary)}
updated = ${day(1)}
+++
${markdown('about', true)}`;

function writeReference(root) {
  const ref = (f) => path.join(root, 'content/referanse', f);
  // The Git authors (both committing as xss@example.org) agreed to be named, so their names
  // reach the pages, as text. Git itself drops «<» and «>» from names.
  appendFileSync(ref('bidragsytere.toml'), `
[[contributor]]
git = "xss@example.org"
show_name = true
`);
  appendFileSync(ref('tjenesteomrader.toml'), `
[[service_area]]
id = "xss-omrade"
name_nb = ${toml(REFERENCE.area.name)}
name_nn = ${toml(REFERENCE.area.name)}
description = ${toml(REFERENCE.area.description)}
`);
  appendFileSync(ref('losninger.toml'), `
[[solution]]
id = "xss-losning"
name = ${toml(REFERENCE.solution.name)}
owner = ${toml(REFERENCE.solution.owner)}
url = ${toml('https://example.org/"><script>alert(65)</script>')}
description = ${toml(REFERENCE.solution.description)}
`);
  const m = REFERENCE.municipality;
  appendFileSync(ref('kommuner.csv'), `${m.number},"${m.name.replaceAll('"', '""')}",42,Agder\n`);
  appendFileSync(ref('departementer.toml'), `
[[ministry]]
id = "xss-dep"
name_nb = ${toml(REFERENCE.ministry.name)}
name_nn = ${toml(REFERENCE.ministry.name)}
short = ${toml(REFERENCE.ministry.short)}
`);
}

function write(root, file, text) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

/// Commits with a fixed date and author, so history (contributors, "Nytt og endret") is
/// deterministic and carries payloads of its own.
function commit(root, author, date, message) {
  const env = {
    ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: 'xss@example.org', GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.org', GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], { cwd: root, env, stdio: 'pipe' });
  git('add', '-A', 'content');
  git('commit', '-q', '--no-verify', '-m', message);
}

/// Builds a copy of the repository's site with the payloads in it, with Git history.
function payloadSite() {
  const root = copySite();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, stdio: 'pipe' });
  commit(root, 'Redaksjonen', day(0) + 'T12:00:00+00:00', 'base');
  writeReference(root);
  write(root, `content/nettverk/${NETWORK}/index.md`, networkText());
  write(root, ABOUT.file, aboutText());
  for (const r of Object.values(RECORDS)) write(root, r.file, r.file === RECORDS.barrier.file ? r.text(r, 'meldt') : r.text(r));
  commit(root, GIT_AUTHORS[0], day(4) + 'T12:00:00+00:00', 'payloads');
  // A second author moves the barrier on, so "Nytt og endret" has a note for it.
  write(root, RECORDS.barrier.file, RECORDS.barrier.text(RECORDS.barrier));
  commit(root, GIT_AUTHORS[1], day(5) + 'T12:00:00+00:00', 'status');
  execFileSync(deling, ['codeowners', '--root', root], { stdio: 'pipe' });
  return root;
}

let root, out, server, origin, browser, buildLog;

before(async () => {
  root = payloadSite();
  out = path.join(mkdtempSync(path.join(tmpdir(), 'deling-xss-')), 'public');
  // Served before it is built: the build needs the address the system gave the server.
  server = await serveDir(out);
  origin = server.origin;
  const build = spawnSync(deling, ['build', '--root', root, '--output', out, '--base-url', origin + '/'], { encoding: 'utf8' });
  buildLog = build.stdout + build.stderr;
  const errors = buildLog.split('\n').filter((line) => /: feil: |^[^ ]/.test(line.trim()) && !/advarsel/.test(line));
  assert.equal(build.status, 0, 'deling build of the payload site failed:\n' + errors.join('\n'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/// Runs in the page: every way an injection could show up in the DOM.
function inspectDom(origin) {
  const bad = [];
  const show = (el) => el.outerHTML.slice(0, 200);
  const sameOrigin = (url) => { try { return new URL(url, location.href).origin === origin; } catch { return false; } };
  const dangerous = (value) => /^(javascript|data|vbscript|file):/i.test(value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, ''));
  for (const s of document.querySelectorAll('script')) {
    if (!s.getAttribute('src') || !sameOrigin(s.src) || s.textContent.trim() || !/\/js\/[a-z-]+\.[0-9a-f]+\.js$|\/js\/[a-z-]+\.js$/.test(new URL(s.src).pathname)) {
      bad.push('script not the site\'s own: ' + show(s));
    }
  }
  const forbidden = 'iframe, frame, frameset, object, embed, applet, portal, svg, math, style, base, template, noscript, textarea, img, image, video, audio, source, track, picture, canvas, dialog, select, option, button[formaction], input[type=image], link[rel=import], meta[http-equiv=refresh]';
  // The one SVG Deling writes itself: /statistikk/'s bar charts, bars and labels only.
  const chart = (el) => location.pathname.endsWith('/statistikk/') && el.matches('svg.chart[aria-hidden="true"]')
    && [...el.attributes].every((a) => ['class', 'xmlns', 'width', 'height', 'aria-hidden', 'focusable'].includes(a.name))
    && [...el.querySelectorAll('*')].every((c) => ['text', 'rect'].includes(c.tagName) && c.children.length === 0);
  // A record's own images (resized at build time): same-origin, content-hashed files, nothing else.
  const mediaUrl = (u) => sameOrigin(u) && /\/[a-z0-9-]+-\d+\.[0-9a-f]{10}\.(png|jpe?g|webp)$/.test(new URL(u, location.href).pathname);
  const ownImage = (el) => el.matches('.prose img')
    && [...el.attributes].every((a) => ['src', 'srcset', 'sizes', 'width', 'height', 'alt', 'loading', 'decoding'].includes(a.name))
    && [el.getAttribute('src'), ...(el.getAttribute('srcset') || '').split(',').map((s) => s.trim().split(' ')[0])].every(mediaUrl);
  // The register's filter selects, made by register.js: names and values only.
  const registerControl = (el) => el.closest('.register-controls') && ['SELECT', 'OPTION'].includes(el.tagName)
    && [...el.attributes].every((a) => ['name', 'value', 'id', 'selected'].includes(a.name));
  for (const el of document.querySelectorAll(forbidden)) if (!chart(el) && !ownImage(el) && !registerControl(el)) bad.push('forbidden element: ' + show(el));
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`event handler ${name}: ${show(el)}`);
      if (['style', 'srcdoc', 'formaction', 'autofocus', 'xmlns:xlink'].includes(name)) bad.push(`attribute ${name}: ${show(el)}`);
      if (['href', 'src', 'action', 'data', 'xlink:href', 'poster', 'background', 'cite', 'ping', 'srcset', 'codebase'].includes(name) && dangerous(a.value)) {
        bad.push(`dangerous URL in ${name}: ${show(el)}`);
      }
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) bad.push('link with scheme ' + a.protocol + ': ' + show(a));
  }
  for (const f of document.querySelectorAll('form')) {
    if (!sameOrigin(f.action) || new URL(f.action).pathname !== '/sok/') bad.push('form: ' + show(f));
  }
  for (const el of document.head.children) {
    if (!['META', 'TITLE', 'LINK', 'SCRIPT'].includes(el.tagName)) bad.push('in head: ' + show(el));
  }
  if (document.querySelectorAll('title').length !== 1) bad.push(document.querySelectorAll('title').length + ' title elements');
  const metas = [...document.querySelectorAll('meta')].map((m) => m.getAttribute('charset') ? 'charset' : m.getAttribute('http-equiv') || m.getAttribute('name') || m.getAttribute('property'));
  const sharing = 'og:type,og:title,og:description,og:url,og:site_name,og:locale,twitter:card';
  if (metas.join() !== 'charset,Content-Security-Policy,viewport,description,' + sharing) bad.push('meta elements: ' + metas.join());
  const csp = document.querySelector('meta[http-equiv]');
  if (csp?.content !== "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; form-action 'self'") bad.push('CSP changed: ' + csp?.content);
  // `preload`: the search page's engine, from this site like every other link.
  for (const l of document.querySelectorAll('link')) {
    if (!['canonical', 'icon', 'stylesheet', 'alternate', 'preload'].includes(l.rel) || !sameOrigin(l.href)) bad.push('link element: ' + show(l));
  }
  for (const el of document.querySelectorAll('input')) {
    if (!['search', 'checkbox'].includes(el.type)) bad.push('input: ' + show(el));
  }
  if (window.__xss !== undefined) bad.push('window.__xss was set');
  if (document.body.textContent.includes('41369')) bad.push('a template was evaluated: 41369 on the page');
  return bad;
}

/// One tab of a context, kept for all visits: it records console errors, requests outside the
/// site and dialogs (a payload that ran).
async function tab(context, origin) {
  const watched = await watchedPage(context, origin);
  watched.dialogs = [];
  watched.page.on('dialog', (d) => { watched.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return watched;
}

/// Opens `url` and returns what went wrong: DOM injections, dialogs, CSP violations, console
/// errors, requests outside the site.
async function visit({ page, problems, outside, dialogs }, origin, url, { wait } = {}) {
  for (const seen of [problems, outside, dialogs]) seen.length = 0;
  const response = await page.goto(origin + url);
  if (wait) await wait(page);
  await page.waitForTimeout(50); // let anything asynchronous (onerror of a broken image) happen
  const failures = [];
  if (!response.ok()) failures.push(`status ${response.status()}`);
  failures.push(...(await page.evaluate(inspectDom, origin)));
  const violations = await page.evaluate(() => window.__violations || []);
  if (violations.length) failures.push('CSP violations: ' + violations.join('; '));
  if (dialogs.length) failures.push('payloads ran: alert(' + dialogs.join('), alert(') + ')');
  if (problems.length) failures.push('console: ' + problems.join('; '));
  if (outside.length) failures.push('requests outside the site: ' + outside.join(', '));
  return failures.map((f) => `${url}: ${f}`);
}

async function newContext(bypassCSP) {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}: ${e.sample || ''}`);
    });
  });
  return context;
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();
/// The texts that must be on the page exactly as written.
async function missingTexts(page, texts) {
  const body = norm(await page.evaluate(() => document.body.textContent));
  return texts.filter((t) => !body.includes(norm(t)));
}

const waitForResults = (page) => page.waitForFunction(
  () => /treff/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 20000 });

/// Every page that shows a payload, with the texts it must show literally.
function pagesToVisit() {
  const all = Object.values(RECORDS);
  const titles = all.map((r) => r.plain.title);
  const pages = {
    [ABOUT.path]: [...Object.values(ABOUT.plain), 'Felt about: {{ 41*1009 }}', ...TERA],
    '/kommuner/': [REFERENCE.municipality.name],
    '/': [...all.map((r) => r.plain.title), NETWORK_PLAIN.name, REFERENCE.area.name],
    '/erfaringer/': [RECORDS.practice.plain.title, RECORDS.practice.plain.summary, RECORDS.network_practice.plain.title],
    '/hindringer/': [RECORDS.barrier.plain.title, NETWORK_PLAIN.name],
    '/prosjekter/': [RECORDS.project.plain.title, RECORDS.project.plain.summary],
    '/nettverk/': [NETWORK_PLAIN.name],
    [`/nettverk/${NETWORK}/`]: [REFERENCE.municipality.name, NETWORK_PLAIN.name, NETWORK_PLAIN.summary, NETWORK_PLAIN.alias, NETWORK_PLAIN.contact, NETWORK_WEBSITE, ...titles, 'Felt network: {{ 41*1009 }}', ...TERA],
    '/emneord/': TAGS,
    '/tjenesteomrader/': [REFERENCE.area.name],
    '/tjenesteomrader/xss-omrade/': [REFERENCE.area.name, REFERENCE.area.description, ...titles],
    '/losninger/': [REFERENCE.solution.name],
    '/losninger/xss-losning/': [REFERENCE.solution.name, REFERENCE.solution.owner, REFERENCE.solution.description, RECORDS.practice.plain.title],
    '/nytt/': [...titles],
    '/data/': [],
    // Issue 15: statistics, its SVG labels and its tables.
    '/statistikk/': [NETWORK_PLAIN.name, REFERENCE.solution.name, REFERENCE.ministry.name],
  };
  for (const r of all) {
    const fields = Object.values(r.plain);
    const md = [...TERA, 'Felt body: {{ 41*1009 }}'];
    pages[r.path] = [...fields, ...TAGS, NETWORK_PLAIN.name, ...md];
  }
  pages[RECORDS.practice.path].push(REFERENCE.municipality.name, REFERENCE.solution.name, REFERENCE.area.name, ...['problem', 'results', 'lessons', 'reuse'].map((f) => `Felt ${f}: {{ 41*1009 }}`));
  pages[RECORDS.barrier.path].push(REFERENCE.ministry.name, REFERENCE.ministry.short, ...['consequence', 'proposed_change'].map((f) => `Felt ${f}: {{ 41*1009 }}`));
  pages[RECORDS.project.path].push(...['purpose', 'project-results'].map((f) => `Felt ${f}: {{ 41*1009 }}`));
  // Contributors from Git, as Git keeps the names (it drops < and > and a trailing ;).
  const authors = execFileSync('git', ['log', '--format=%an'], { cwd: root, encoding: 'utf8' }).split('\n').filter((a) => a.startsWith('Ola') || a.startsWith('Kari'));
  assert.equal(authors.length, 2);
  pages[RECORDS.barrier.path].push(...authors);
  // The municipality and tag pages, as the record links to them (read from the file, so a
  // broken page still yields the list).
  const html = readFileSync(path.join(out, RECORDS.practice.path, 'index.html'), 'utf8');
  for (const number of ['4204', REFERENCE.municipality.number]) {
    const municipality = new RegExp(`href="(/kommuner/${number}-[a-z0-9-]+/)"`).exec(html)[1];
    pages[municipality] = [RECORDS.practice.plain.title];
  }
  const tagLinks = [...html.matchAll(/<a href="(\/emneord\/[^"]+\/)">([^<]*)<\/a>/g)].map((m) => [m[1], decode(m[2])]);
  assert.equal(tagLinks.length, TAGS.length, 'every tag links to its page');
  for (const [href, text] of tagLinks) {
    assert.ok(TAGS.includes(text), `tag shown as written: ${text}`);
    pages[href] = [text, ...titles];
  }
  // Every page's footer links to the about pages.
  for (const [url, texts] of Object.entries(pages)) pages[url] = [...texts, ABOUT.plain.title];
  return pages;
}

for (const bypassCSP of [false, true]) {
  test(`payloads in every text path neither run nor reach the DOM as markup (CSP ${bypassCSP ? 'bypassed' : 'on'})`, async () => {
    const context = await newContext(bypassCSP);
    const pages = pagesToVisit();
    const failures = [];
    const watched = await tab(context, origin);
    const { page } = watched;
    for (const [url, texts] of Object.entries(pages)) {
      failures.push(...await visit(watched, origin, url));
      for (const t of await missingTexts(page, texts)) failures.push(`${url}: not shown as written: ${t.slice(0, 120)}`);
      const r = [...Object.values(RECORDS), ABOUT].find((x) => x.path === url);
      if (r) {
        const title = await page.title();
        if (norm(title) !== norm(`${r.plain.title} – Deling`)) failures.push(`${url}: <title> is ${title.slice(0, 120)}`);
        const description = await page.getAttribute('meta[name=description]', 'content');
        if (description !== r.plain.summary) failures.push(`${url}: meta description is ${description}`);
        // The table of contents carries heading text (with code) from the body.
        const toc = await page.$$eval('.toc a', (as) => as.map((a) => a.textContent));
        if (r !== ABOUT && !toc.some((t) => t.includes('<script>alert(100)</script>'))) failures.push(`${url}: contents: ${toc.join(' | ')}`);
      }
    }
    await context.close();
    assert.deepEqual(failures, []);
  });
}

for (const bypassCSP of [false, true]) test(`search: snippets and titles of payload records are text, with only <mark> added (CSP ${bypassCSP ? 'bypassed' : 'on'})`, async () => {
  const context = await newContext(bypassCSP);
  const failures = [];
  const wanted = Object.values(RECORDS).map((r) => r.path);
  const queries = [
    WORD,
    // Words inside the payloads, so highlights fall in the middle of the markup text.
    'onerror img script alert',
    // A query that is itself a payload, echoed in the field and the status line.
    '"><img src=x onerror=alert(70)><script>alert(71)</script> {{ 41*1009 }}',
  ];
  const watched = await tab(context, origin);
  const { page } = watched;
  // Filter values come from the URL too, and unknown ones are shown as chosen filters.
  const filters = '&network=' + encodeURIComponent('"><img src=x onerror=alert(72)>') + '&type=' + encodeURIComponent('<svg onload=alert(73)>');
  for (const q of [...queries, WORD + filters]) {
    const url = '/sok/?q=' + (q.includes('&') ? q : encodeURIComponent(q));
    failures.push(...await visit(watched, origin, url, { wait: waitForResults }));
    const hits = await page.$$eval('#search-results li', (lis) => lis.map((li) => {
      const link = li.querySelector('h2 a');
      const snippet = li.querySelector('.search-hit__snippet');
      return {
        path: new URL(link.href).pathname,
        title: link.textContent,
        snippet: snippet.textContent,
        elements: [...snippet.querySelectorAll('*')].map((e) => e.tagName + [...e.attributes].map((a) => ' ' + a.name).join('')),
        marks: snippet.querySelectorAll('mark').length,
      };
    }));
    if (q === WORD) {
      const found = hits.map((h) => h.path);
      for (const p of wanted) if (!found.includes(p)) failures.push(`${url}: ${p} not found (${found.join(', ')})`);
    }
    for (const hit of hits) {
      const r = Object.values(RECORDS).find((x) => x.path === hit.path);
      if (!r) continue;
      if (hit.title !== r.plain.title) failures.push(`${url}: title shown as ${hit.title.slice(0, 120)}`);
      if (hit.snippet !== r.plain.summary) failures.push(`${url}: snippet shown as ${hit.snippet.slice(0, 160)}`);
      if (hit.elements.some((e) => e !== 'MARK')) failures.push(`${url}: snippet elements ${hit.elements.join(', ')}`);
      if (!hit.marks) failures.push(`${url}: nothing highlighted in ${hit.path}`);
    }
    if (q === WORD) {
      // The network's and the municipality's names are filter labels.
      const labels = await page.$$eval('#search-facets label', (ls) => ls.map((l) => l.textContent));
      for (const name of [NETWORK_PLAIN.name, REFERENCE.municipality.name]) {
        if (!labels.some((l) => l.startsWith(name + ' ('))) failures.push(`${url}: filter label missing: ${name.slice(0, 40)} in ${labels.join(' | ').slice(0, 300)}`);
      }
    } else if (q.includes('&')) {
      const values = await page.$$eval('#search-facets input', (is) => is.filter((i) => i.checked).map((i) => i.value));
      if (!values.includes('"><img src=x onerror=alert(72)>')) failures.push(`${url}: the chosen filter values are not kept as text: ${values}`);
      continue;
    } else if (q.startsWith('"')) {
      if ((await page.inputValue('#search-page-q')) !== q) failures.push(`${url}: the field does not hold the query as typed`);
    }
    if (!hits.some((h) => wanted.includes(h.path))) failures.push(`${url}: no payload record among the results`);
  }
  await context.close();
  assert.deepEqual(failures, []);
});

test('feeds, sitemap and open data are well-formed and carry the payloads as text', async () => {
  const context = await newContext(false);
  const page = await context.newPage();
  await page.goto(origin + '/data/');
  const feeds = ['/atom.xml', '/erfaringer/atom.xml', '/hindringer/atom.xml', '/prosjekter/atom.xml', `/nettverk/${NETWORK}/atom.xml`, '/nytt/atom.xml', '/sitemap.xml'];
  const failures = [];
  for (const feed of feeds) {
    const parsed = await page.evaluate(async (url) => {
      const text = await (await fetch(url)).text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const names = new Set([...doc.querySelectorAll('*')].map((e) => e.namespaceURI + ' ' + e.localName));
      return {
        error: doc.querySelector('parsererror')?.textContent || null,
        names: [...names],
        title: doc.documentElement.querySelector(':scope > title')?.textContent,
        entries: [...doc.querySelectorAll('entry')].map((e) => ({
          title: e.querySelector('title').textContent, summary: e.querySelector('summary')?.textContent, author: e.querySelector('author name')?.textContent,
        })),
      };
    }, origin + feed);
    if (parsed.error) { failures.push(`${feed}: not XML: ${parsed.error}`); continue; }
    const ns = feed === '/sitemap.xml' ? 'http://www.sitemaps.org/schemas/sitemap/0.9' : 'http://www.w3.org/2005/Atom';
    const foreign = parsed.names.filter((n) => !n.startsWith(ns + ' '));
    if (foreign.length) failures.push(`${feed}: elements outside the format: ${foreign.join(', ')}`);
    if (feed === '/sitemap.xml') continue;
    for (const r of Object.values(RECORDS)) {
      const entry = parsed.entries.find((e) => e.title === r.plain.title);
      const expected = feed === '/atom.xml' || feed === '/nytt/atom.xml' || feed === `/nettverk/${NETWORK}/atom.xml` || feed.startsWith(r.path.split('/').slice(0, 2).join('/') + '/');
      if (!expected) continue;
      if (!entry) failures.push(`${feed}: no entry titled exactly as ${r.path}`);
      else if (feed !== '/nytt/atom.xml' && entry.summary !== r.plain.summary) failures.push(`${feed}: summary of ${r.path} is ${entry.summary}`);
    }
    if (feed === `/nettverk/${NETWORK}/atom.xml` && !parsed.title.includes(NETWORK_PLAIN.name)) failures.push(`${feed}: title ${parsed.title}`);
  }
  await context.close();

  // Open data: JSON parses and holds the text unchanged, Markdown as written.
  const data = JSON.parse(readFileSync(path.join(out, 'data/poster.json'), 'utf8'));
  for (const [kind, r] of Object.entries(RECORDS)) {
    const id = r.path.split('/').filter(Boolean).join('/');
    const record = data.records.find((x) => x.id === id);
    if (!record) { failures.push(`poster.json: no ${id}`); continue; }
    if (record.title !== r.plain.title) failures.push(`poster.json: ${id} title ${record.title}`);
    if (record.summary !== r.plain.summary) failures.push(`poster.json: ${id} summary`);
    if (JSON.stringify(record.tags) !== JSON.stringify(TAGS)) failures.push(`poster.json: ${id} tags ${record.tags}`);
    if (record.contact !== r.plain.contact) failures.push(`poster.json: ${id} contact`);
    if (!record.body_markdown.includes(markdown('body', true).trim())) failures.push(`poster.json: ${id} body_markdown is not the Markdown as written (${kind})`);
  }
  // CSV: every row has the header's number of fields; the payload barrier's text is intact.
  for (const file of ['erfaringer.csv', 'prosjekter.csv']) {
    const [head, ...body] = parseCsv(readFileSync(path.join(out, 'data', file), 'utf8'));
    for (const row of body) if (row.length !== head.length) failures.push(`${file}: row with ${row.length} fields, not ${head.length}: ${row[0]}`);
  }
  const rows = parseCsv(readFileSync(path.join(out, 'data/hindringer.csv'), 'utf8'));
  const header = rows[0];
  for (const row of rows.slice(1)) if (row.length !== header.length) failures.push(`hindringer.csv: row with ${row.length} fields, not ${header.length}: ${row[0]}`);
  const row = rows.find((x) => x[0] === 'hindringer/xss-hindring');
  if (!row) failures.push('hindringer.csv: no row for the payload barrier');
  else {
    if (row[header.indexOf('tittel')] !== RECORDS.barrier.plain.title) failures.push('hindringer.csv: title changed: ' + row[1]);
    if (row[header.indexOf('etat')] !== RECORDS.barrier.plain.agency) failures.push('hindringer.csv: agency changed');
    if (!row[header.indexOf('nettverk')].includes(NETWORK_PLAIN.name)) failures.push('hindringer.csv: network name changed');
  }
  // Search labels: the network's name, unchanged, as JSON.
  const labels = JSON.parse(readFileSync(path.join(out, 'sok/etiketter.json'), 'utf8'));
  if (labels.network?.[NETWORK] !== NETWORK_PLAIN.name) failures.push('etiketter.json: network label ' + labels.network?.[NETWORK]);
  assert.deepEqual(failures, []);
});

test('no HTML file carries a payload as markup (raw output check)', () => {
  // The same checks as in the browser, on the bytes, for every HTML file of the build: no
  // script element without src, no event handler attribute, nothing the escaping should have
  // turned into text. Cheap, and covers pages the browser tests do not open (pagination).
  const failures = [];
  const files = execFileSync('find', [out, '-name', '*.html'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    const rel = path.relative(out, file);
    for (const { name, attributes, text } of tags(html)) {
      if (name === 'script' && !(attributes.length === 2 && attributes[0][0] === 'src' && /^\/js\/[a-z-]+\.js\?v=[0-9a-f]+$/.test(attributes[0][1]) && attributes[1][0] === 'defer')) failures.push(`${rel}: ${text}`);
      // The one SVG Deling writes itself: /statistikk/'s charts, in exactly this form.
      const chart = name === 'svg' && rel === path.join('statistikk', 'index.html') && /^<svg class="chart" xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="100%" height="\d+" aria-hidden="true" focusable="false">$/.test(text);
      // A record's own images: content-hashed files under the record's address.
      const media = /[a-z0-9-]+-\d+\.[0-9a-f]{10}\.(png|jpe?g|webp)( \d+w)?$/;
      const ownImage = name === 'img' && attributes.every(([a, v]) => ['width', 'height', 'alt', 'loading', 'decoding', 'sizes'].includes(a)
        || (a === 'src' && v.startsWith('/') && media.test(v))
        || (a === 'srcset' && v.split(', ').every((u) => u.startsWith('/') && media.test(u))));
      if (['svg', 'math', 'iframe', 'object', 'embed', 'img', 'style', 'base', 'textarea', 'frame', 'template'].includes(name) && !chart && !ownImage) failures.push(`${rel}: element ${text}`);
      for (const [attribute, value] of attributes) {
        if (attribute.startsWith('on') || ['style', 'srcdoc', 'formaction'].includes(attribute)) failures.push(`${rel}: attribute ${attribute} in ${text}`);
        if (/^(javascript|data|vbscript|file):/i.test(decode(value).replace(/[\u0000-\u0020]/g, ''))) failures.push(`${rel}: URL ${text}`);
      }
    }
    if (html.includes(EVALUATED)) failures.push(`${rel}: template evaluated`);
  }
  assert.ok(files.length > 100, `${files.length} HTML files`);
  assert.deepEqual(failures, []);
});

test('dangerous links are removed with a clear warning in the build', () => {
  for (const url of ['javascript:alert(121)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxMjUpPC9zY3JpcHQ+', 'vbscript:msgbox(126)', 'file:///etc/passwd', 'javascript:alert(130)']) {
    assert.ok(buildLog.includes(`lenken «${url}» er fjernet fordi den kan kjøre kode`), `warning for ${url}:\n${buildLog.slice(0, 2000)}`);
  }
});

test('payloads that content rules refuse are refused with clear messages', () => {
  const root = copySite();
  write(root, 'content/nasjonalt/erfaringer/xss-avvist.md', `+++
title = "Avvist"
summary = "Avvist"
published = 2025-12-01
service_areas = ["helse-og-omsorg"]
problem = "Problem"
maturity = "pilot"
onload = "alert(1)"

[[sources]]
title = "Kilde"
url = "javascript:alert(2)"

[[attachments]]
title = "Vedlegg"
url = "data:text/html,<script>alert(3)</script>"
+++
Bilde: ![x](https://xss.invalid/x.png) ![y](javascript:alert(4)) [relativ](../x.md)
`);
  write(root, 'content/nasjonalt/hindringer/xss-avvist-hindring.md', `+++
title = "Avvist"
summary = "Avvist"
published = 2025-12-01
service_areas = ["helse-og-omsorg"]
ministry = "hod"
consequence = "K"
proposed_change = "E"
reported_by = "R"
status = "meldt"

[[legal_references]]
law = "Lov"
url = "javascript:alert(5)"
+++
Tekst
`);
  // Characters that hide or reorder text (legal TOML escapes): a bidi override that reverses
  // the title, a terminal escape, and a title with nothing visible.
  write(root, 'content/nasjonalt/erfaringer/xss-skjult.md', `+++
title = "\\u202Eetaborp\\u202C Avvist"
summary = "Tekst med \\u001B[2K skjult"
published = 2025-12-01
service_areas = ["helse-og-omsorg"]
problem = "Problem"
maturity = "pilot"
+++
Tekst
`);
  write(root, 'content/nasjonalt/erfaringer/xss-usynlig.md', `+++
title = "\\u200B\\u2063"
summary = "Usynlig tittel"
published = 2025-12-01
service_areas = ["helse-og-omsorg"]
problem = "Problem"
maturity = "pilot"
+++
Tekst
`);
  write(root, 'content/nasjonalt/prosjekter/"><script>alert(6)<|script>.md', '+++\ntitle = "x"\n+++\n');
  // A network's folder name is its id, and part of its address.
  const hostile = 'content/nettverk/x"><svg onload=alert(8)>/index.md';
  write(root, hostile, readFileSync(path.join(root, 'content/nettverk/digi-agder/index.md'), 'utf8'));
  const network = readFileSync(path.join(root, 'content/nettverk/digi-agder/index.md'), 'utf8')
    .replace(/^contact = .*$/m, 'website = "javascript:alert(7)"\nreviewers2 = ["<script>"]');
  writeFileSync(path.join(root, 'content/nettverk/digi-agder/index.md'), network);
  const check = spawnSync(deling, ['check', '--root', root], { encoding: 'utf8' });
  const text = check.stdout + check.stderr;
  assert.equal(check.status, 1, text);
  const expected = [
    'ukjent felt `onload`',
    '«javascript:alert(2)» i feltet `url` er ikke en nettadresse',
    '«data:text/html,<script>alert(3)</script>» i feltet `url` er ikke en nettadresse',
    'bildet «https://xss.invalid/x.png» ligger på et annet nettsted',
    'bildet «javascript:alert(4)» ligger på et annet nettsted',
    'lenken «../x.md» peker til en fil med relativ sti',
    '«javascript:alert(5)» i feltet `url` er ikke en nettadresse',
    'filnavnet «"><script>alert(6)<|script>.md» kan ikke brukes i en nettadresse',
    '«javascript:alert(7)» i feltet `website` er ikke en nettadresse',
    'ukjent felt `reviewers2`',
    'feltet `title` inneholder U+202E (et tegn som snur skriveretningen)',
    'feltet `summary` inneholder U+001B (et kontrolltegn)',
    'feltet `title` har ingen synlige bokstaver eller tall',
  ];
  for (const message of expected) assert.ok(text.includes(message), `"${message}" in:\n${text}`);
  // (The wording says «filnavnet … .md» for what is a folder; reported, so only the gist here.)
  assert.match(text, /content\/nettverk\/x"><svg onload=alert\(8\)>\/index\.md:1:1: feil: .*x"><svg onload=alert\(8\)>.* kan ikke brukes i en nettadresse/);
  // And nothing is built.
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'deling-xss-refused-')), 'public');
  const build = spawnSync(deling, ['build', '--root', root, '--output', target], { encoding: 'utf8' });
  assert.equal(build.status, 1);
  assert.ok(!existsSync(target), 'a refused site writes nothing');
});

// Found by this corpus: a reference file's URL went into a link unchecked, and a tag could be
// too long for the folder its page is written to. Both are now refused by `check`.
test('a solution URL in the reference data cannot become a javascript: link', () => {
  const root = copySite();
  appendFileSync(path.join(root, 'content/referanse/losninger.toml'), `
[[solution]]
id = "xss-url"
name = "Lenke"
owner = "Forvalter"
url = "javascript:alert(90)"
description = "Beskrivelse"
`);
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'deling-xss-url-')), 'public');
  const build = spawnSync(deling, ['build', '--root', root, '--output', target], { encoding: 'utf8' });
  assert.equal(build.status, 1);
  assert.match(build.stdout + build.stderr, /content\/referanse\/losninger\.toml:\d+:\d+: feil: «javascript:alert\(90\)» i `url` for «xss-url» er ikke en nettadresse/);
  assert.ok(!existsSync(target), 'a refused site writes nothing');
});

test('a tag too long for a folder name is refused by check, not by a failing build', () => {
  const root = copySite();
  const practice = path.join(root, 'content/nettverk/digi-agder/erfaringer/digital-post-svarut-og-eformidling.md');
  writeFileSync(practice, readFileSync(practice, 'utf8').replace(/^tags = \[/m, `tags = ["${'<script>alert(91)</script> '.repeat(12)}", `));
  const check = spawnSync(deling, ['check', '--root', root], { encoding: 'utf8' });
  assert.equal(check.status, 1);
  assert.match(check.stdout, /digital-post-svarut-og-eformidling\.md:\d+:\d+: feil: emneordet «.*» er for langt/);
});

/// The start tags of an HTML text, with their attributes as a browser reads them (names lower
/// case, values quoted or not). Comments are skipped; nothing else is expected in this output.
function* tags(html) {
  const tag = /<!--[\s\S]*?-->|<([a-zA-Z][^\s/>]*)((?:\s+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  const attribute = /([^\s/>=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const m of html.matchAll(tag)) {
    if (!m[1]) continue;
    const attributes = [...m[2].matchAll(attribute)].map((a) => [a[1].toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '']);
    yield { name: m[1].toLowerCase(), attributes, text: m[0].slice(0, 120) };
  }
}

const decode = (value) => value.replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
  .replace(/&colon;/gi, ':').replace(/&tab;/gi, '\t').replace(/&newline;/gi, '\n').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
/// The site's CSV: a UTF-8 BOM, then `;`-separated cells (as Norwegian Excel reads them).
function parseCsv(text) {
  if (!text.startsWith('\uFEFF')) throw new Error('the CSV does not start with the BOM');
  text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
