// Deling search, main thread: the search page (/sok/) and the header field on every page.
//
// The page works without this script: the form submits to /sok/, which links to the overviews.
// With it, results and filter counts update as you type, the query and filters live in the URL
// (so a search can be shared), and a status line tells screen readers what changed.
'use strict';

(function () {
  const FILTERS = ['type', 'network', 'service_area', 'solution', 'municipality', 'status'];
  const PAGE_SIZE = 20;

  // Header field: fetch the engine and the index manifest when it gets focus, so the search
  // page that follows starts from the cache.
  const header = document.getElementById('header-search');
  if (header && header.form && header.form.dataset.engine) {
    header.addEventListener('focus', () => {
      const form = header.form;
      fetch(form.dataset.engine).then((r) => r.arrayBuffer()).catch(() => {});
      fetch(form.dataset.index + 'manifest.json', { cache: 'no-cache' }).catch(() => {});
    }, { once: true });
  }

  const app = document.getElementById('search-app');
  if (!app || !window.Worker || !window.WebAssembly) return;

  const input = document.getElementById('search-page-q');
  const status = document.getElementById('search-status');
  const results = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const filtersBox = document.getElementById('search-filters');
  const facetsBox = document.getElementById('search-facets');
  const clear = document.getElementById('search-clear');
  const fallback = document.getElementById('search-fallback');
  const fallbackText = document.getElementById('search-fallback-text');

  // Filters start open beside the results on wide screens, and folded above them on phones,
  // so the results are the first thing a phone shows.
  if (window.matchMedia('(min-width: 56rem)').matches) filtersBox.open = true;

  let labels = { text: {} };
  let latest = 0;
  let shown = 0;
  let announceTimer = null;
  const params = new URLSearchParams(location.search);
  const selected = {};
  FILTERS.forEach((name) => { selected[name] = new Set(params.getAll(name)); });
  input.value = params.get('q') || '';

  const text = (key) => labels.text[key] || key;
  const label = (filter, value) => (labels[filter] && labels[filter][value]) || value;

  const worker = new Worker(app.dataset.worker);
  worker.postMessage({ type: 'init', engine: app.dataset.engine, index: app.dataset.index });
  const labelsReady = fetch(app.dataset.labels, { cache: 'no-cache' })
    .then((r) => r.json())
    .then((json) => { labels = json; })
    .catch(() => {});

  function request(offset) {
    const filters = {};
    FILTERS.forEach((name) => { if (selected[name].size) filters[name] = Array.from(selected[name]).sort(); });
    return { q: input.value, filters, limit: PAGE_SIZE, offset };
  }

  function hasQuery() {
    return input.value.trim() !== '' || FILTERS.some((name) => selected[name].size > 0);
  }

  function updateUrl() {
    const next = new URLSearchParams();
    if (input.value.trim()) next.set('q', input.value);
    FILTERS.forEach((name) => Array.from(selected[name]).sort().forEach((v) => next.append(name, v)));
    const query = next.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  }

  function search(offset) {
    latest += 1;
    updateUrl();
    if (!hasQuery()) {
      results.hidden = true;
      results.replaceChildren();
      more.hidden = true;
      filtersBox.hidden = true;
      fallback.hidden = false;
      announce('');
      return;
    }
    if (offset === 0 && !results.childElementCount) status.textContent = text('search_loading');
    worker.postMessage({ type: 'search', id: latest, request: request(offset), append: offset > 0 });
  }

  function announce(message) {
    // Wait until typing pauses, so a screen reader hears one summary, not every keystroke.
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { status.textContent = message; }, 400);
  }

  function hitElement(hit) {
    const li = document.createElement('li');
    li.className = 'search-hit';
    const meta = document.createElement('p');
    meta.className = 'card__meta';
    const kind = document.createElement('span');
    kind.className = 'card__kind';
    kind.textContent = label('type', hit.kind);
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = hit.badge;
    meta.append(kind, ' ', badge);
    const title = document.createElement('h2');
    title.className = 'search-hit__title';
    const link = document.createElement('a');
    link.href = hit.url;
    link.textContent = hit.title;
    if (hit.lang && hit.lang !== document.documentElement.lang) link.lang = hit.lang;
    title.append(link);
    const snippet = document.createElement('p');
    snippet.className = 'search-hit__snippet';
    if (hit.lang && hit.lang !== document.documentElement.lang) snippet.lang = hit.lang;
    // The engine escapes the text and adds only <mark> around matches.
    snippet.innerHTML = hit.snippet;
    li.append(meta, title, snippet);
    return li;
  }

  function renderFacets(facets) {
    const groups = [];
    FILTERS.forEach((name) => {
      const counts = facets[name] || {};
      const values = Object.keys(counts).filter((v) => counts[v] > 0 || selected[name].has(v));
      selected[name].forEach((v) => { if (!values.includes(v)) values.push(v); });
      if (!values.length) return;
      values.sort((a, b) => (counts[b] || 0) - (counts[a] || 0) || label(name, a).localeCompare(label(name, b), 'nb'));
      const fieldset = document.createElement('fieldset');
      fieldset.className = 'facet';
      const legend = document.createElement('legend');
      legend.textContent = text('filter_' + name);
      fieldset.append(legend);
      values.forEach((value) => {
        const id = 'f-' + name + '-' + value.replace(/[^a-z0-9-]/gi, '_');
        const row = document.createElement('div');
        row.className = 'facet__option';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.id = id;
        box.name = name;
        box.value = value;
        box.checked = selected[name].has(value);
        const lab = document.createElement('label');
        lab.htmlFor = id;
        lab.textContent = label(name, value) + ' (' + (counts[value] || 0) + ')';
        row.append(box, lab);
        fieldset.append(row);
      });
      groups.push(fieldset);
    });
    // Keep focus on the checkbox the user just used when the list is rebuilt.
    const focused = document.activeElement && document.activeElement.closest('#search-facets') ? document.activeElement.id : null;
    facetsBox.replaceChildren(...groups);
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    filtersBox.hidden = groups.length === 0;
    clear.hidden = !FILTERS.some((name) => selected[name].size > 0);
  }

  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === 'ready') {
      // Search even when the engine failed to open: the worker answers with the reason.
      if (message.ok) fallback.hidden = hasQuery();
      labelsReady.then(() => search(0));
      return;
    }
    if (message.id !== latest) return; // an answer to a query the user has already changed
    if (message.type === 'error') {
      fallback.hidden = false;
      fallbackText.textContent = text(message.stale ? 'search_stale' : 'search_error');
      status.textContent = fallbackText.textContent;
      return;
    }
    const response = message.response;
    if (!message.append) {
      results.replaceChildren();
      shown = 0;
    }
    response.hits.forEach((hit) => results.append(hitElement(hit)));
    shown += response.hits.length;
    results.hidden = shown === 0;
    more.hidden = shown >= response.total;
    fallback.hidden = true;
    renderFacets(response.facets);
    let summary = response.total + ' ' + text(response.total === 1 ? 'search_result_one' : 'search_results');
    if (input.value.trim()) summary += ' ' + text('search_for') + ' «' + input.value.trim() + '»';
    if (response.total === 0) summary = text('search_none');
    else if (response.relaxed) summary += '. ' + text('search_relaxed');
    announce(summary);
  };

  let typingTimer = null;
  input.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => search(0), 60);
  });
  app.addEventListener('submit', (event) => {
    event.preventDefault();
    search(0);
  });
  facetsBox.addEventListener('change', (event) => {
    const box = event.target;
    if (!box.name || !selected[box.name]) return;
    if (box.checked) selected[box.name].add(box.value);
    else selected[box.name].delete(box.value);
    search(0);
  });
  clear.addEventListener('click', () => {
    FILTERS.forEach((name) => selected[name].clear());
    search(0);
    input.focus();
  });
  more.addEventListener('click', () => {
    const first = results.childElementCount;
    search(shown);
    // Move focus to the first new result once it arrives, so keyboard users continue there.
    const observer = new MutationObserver(() => {
      const link = results.children[first] && results.children[first].querySelector('a');
      if (link) {
        link.focus();
        observer.disconnect();
      }
    });
    observer.observe(results, { childList: true });
  });
})();
