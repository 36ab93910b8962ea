// Deling search, main thread: the search page (/sok/) and the header field on every page.
//
// The page works without this script: the form submits to /sok/, which links to the overviews.
// With it, results and filter counts update as you type, the query and filters live in the URL
// (so a search can be shared), and a status line tells screen readers what changed. Filters
// with more than 8 values show the 8 most common, a button for all, and a field that narrows
// them; statuses are grouped by the kind of record they belong to.
'use strict';

(function () {
  // The filters' names, in order, come with the labels (the index defines them); until those
  // arrive no search runs, so filters in the URL are never dropped.
  let filterNames = [];
  const PAGE_SIZE = 20;
  // A filter with more values than this shows the first SHORT (by count) and a button for all.
  const SHORT = 8;

  // First answers (search_index::answers): the build answered the commonest searches of one
  // word and of two words apart by one space, with this same engine and the request the page
  // sends (no filters, PAGE_SIZE hits). Their file is named by FNV-1a of the key, and holds
  // the key, so a collision is never shown.
  const answerKey = (q) => {
    const typed = q.replace(/^\s+/, '').toLowerCase();
    return /^[\p{L}\p{N}]+( [\p{L}\p{N}]+)?$/u.test(typed) ? typed : null;
  };
  const answerFile = (key) => {
    let hash = 0x811c9dc5;
    new TextEncoder().encode(key).forEach((byte) => { hash = Math.imul(hash ^ byte, 0x01000193) >>> 0; });
    return hash.toString(16).padStart(8, '0') + '.json';
  };
  // Asks the browser to fetch `url` at low priority; unlike fetch(), a prefetch goes on when
  // the page is left, so the search page that follows finds it in the cache.
  const prefetch = (url) => {
    const link = document.createElement('link');
    link.rel = 'prefetch';
    link.href = url;
    document.head.append(link);
  };
  // Adds the script at `url` to the page; settles once it ran (true) or failed to load (false).
  const runScript = (url) => new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = url;
    script.addEventListener('load', () => resolve(true));
    script.addEventListener('error', () => resolve(false));
    document.head.append(script);
  });

  // Header field: on focus, prefetch the engine, its decoder and the index manifest; while typing, the
  // first answer for what is typed so far. The search page that follows starts from the cache.
  // The labels name the answer files there are, so no request is made for one that is not.
  const header = document.getElementById('header-search');
  if (header && header.form && header.form.dataset.engine) {
    const form = header.form;
    let answered = Promise.resolve(null);
    header.addEventListener('focus', () => {
      prefetch(form.dataset.engine);
      prefetch(form.dataset.decoder);
      prefetch(form.dataset.index + 'manifest.json');
      answered = fetch(form.dataset.labels).then((r) => r.json()).then((l) => new Set(l.answered || [])).catch(() => null);
    }, { once: true });
    let pause = null;
    header.addEventListener('input', () => {
      clearTimeout(pause);
      const key = answerKey(header.value);
      if (!key || !form.dataset.answers) return;
      pause = setTimeout(() => answered.then((files) => {
        if (files && files.has(answerFile(key))) prefetch(form.dataset.answers + answerFile(key));
      }), 150);
    });
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
  let appending = false; // whether the latest request asks for more hits of the same search
  let shown = 0;
  let announceTimer = null;
  const params = new URLSearchParams(location.search);
  const selected = {};
  input.value = params.get('q') || '';

  const text = (key) => labels.text[key] || key;
  const label = (filter, value) => (labels[filter] && labels[filter][value]) || value;
  // How a long filter list is shown: expanded or not, and what its find field holds. Kept here,
  // since the lists are rebuilt with every answer.
  const view = {};
  const fold = (s) => s.toLocaleLowerCase('nb');
  let summary = ''; // the last answer's summary, which the status line keeps
  // The engine: 'loading', then 'ready' or 'failed'. Only while it loads are first answers shown.
  let engine = 'loading';
  // A first answer on screen ({ key, json }) until the engine answers: the engine's identical
  // answer to the same search then redraws nothing, so focus and scroll stay where they are.
  let firstOnScreen = null;
  // The engine's first hits on screen (their comparable JSON) until its full answer comes.
  let partialOnScreen = null;
  // Scores are left out when answers are compared: the build's engine and the browser's may
  // round a score differently in its last digit (native and WebAssembly maths), never more.
  const comparable = (response) => JSON.stringify(response, (key, value) => (key === 'score' ? undefined : value));
  let labelsLoaded = false;

  const worker = new Worker(app.dataset.worker);
  const labelsReady = fetch(app.dataset.labels, { cache: 'no-cache' })
    .then((r) => r.json())
    .then((json) => { labels = json; })
    .catch(() => {})
    .then(() => {
      labelsLoaded = true;
      filterNames = labels.filters || [];
      filterNames.forEach((name) => {
        selected[name] = new Set(params.getAll(name));
        view[name] = { expanded: false, find: '' };
      });
    });

  // The engine is fetched, decompressed and compiled (all three while it streams in) here and
  // handed to the worker: the search page's head preloads it, so it downloads from the start
  // rather than after this script and the worker's, and only the page can use a preload. It
  // ships xz-compressed, a quarter smaller than gzip, and is served as it is.
  //
  // A search in the address: its first answer, fetched alongside the engine. The decoder's
  // script and the index's pieces wait for it (the worker opens the index on `init`): on a slow
  // link they would share its bandwidth, and the engine they are for comes later anyway. They
  // wait no longer than the engine, though, should the answer be slow to come: the decoder no
  // longer than the engine's last byte, the index no longer than the engine compiled.
  const answered = input.value.trim() ? firstAnswer(latest, input.value) : Promise.resolve();
  const compiled = fetch(app.dataset.engine).then((response) => {
    // A missing engine or decoder is a page older than the site: loading it again helps.
    if (!response.ok) throw Object.assign(new Error('engine ' + response.status), { stale: true });
    const arrived = response.clone().arrayBuffer().then(() => {}, () => {});
    return Promise.race([answered, arrived]).then(() => runScript(app.dataset.decoder)).then((loaded) => {
      const decoder = window['xz-decompress'];
      if (!decoder) throw Object.assign(new Error('decoder'), { stale: !loaded });
      const wasm = new Response(new decoder.XzReadableStream(response.body), { headers: { 'content-type': 'application/wasm' } });
      return WebAssembly.compileStreaming ? WebAssembly.compileStreaming(wasm) : wasm.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
    });
  });
  const engineFailed = (error) => worker.postMessage({ type: 'engine', error: String(error.message), stale: error.stale === true });
  compiled.then((module) => {
    // A module the browser cannot hand to a worker is a failure the page must hear of, not a
    // search that waits for ever.
    try { worker.postMessage({ type: 'engine', module }); } catch (error) { engineFailed(error); }
  }, engineFailed);
  Promise.race([answered, compiled.catch(() => {})]).then(() => worker.postMessage({ type: 'init', index: app.dataset.index }));

  function request(offset) {
    const filters = {};
    filterNames.forEach((name) => { if (selected[name].size) filters[name] = Array.from(selected[name]).sort(); });
    return { q: input.value, filters, limit: PAGE_SIZE, offset };
  }

  // Whether a filter is chosen; before the labels (which name the filters) arrive, any
  // parameter in the address besides the query may be one.
  function hasFilters() {
    if (!labelsLoaded) return Array.from(params.keys()).some((k) => k !== 'q');
    return filterNames.some((name) => selected[name].size > 0);
  }

  // While the engine loads: the build's answer to search number `id` (query `q`), if it has
  // one, unless the engine answered or failed first, or the search changed meanwhile.
  function firstAnswer(id, q) {
    const key = answerKey(q);
    const current = () => id === latest && engine === 'loading' && !hasFilters() && answerKey(input.value) === key;
    if (!key || !app.dataset.answers || !current()) return Promise.resolve();
    return labelsReady
      .then(() => ((labels.answered || []).includes(answerFile(key)) && current() ? fetch(app.dataset.answers + answerFile(key)) : null))
      .then((r) => (r && r.ok ? r.json() : null))
      .then((answer) => {
        if (!answer || answer.q !== key || answer.limit !== PAGE_SIZE || !current()) return;
        appending = false;
        show(answer.response);
        firstOnScreen = { key, json: comparable(answer.response) };
        // More hits come from the engine: until it is ready, there is no next page to ask for.
        more.hidden = true;
      })
      .catch(() => {});
  }

  // Whether the build's first answer on screen is this very search's, which the engine's
  // answer will most likely leave as it is.
  function firstForThis() {
    return firstOnScreen !== null && answerKey(input.value) === firstOnScreen.key && !hasFilters();
  }

  // Takes the results off the screen and says a search is on its way.
  function clearResults() {
    results.replaceChildren();
    results.hidden = true;
    more.hidden = true;
    firstOnScreen = null;
    partialOnScreen = null;
    facetsBox.removeAttribute('aria-busy');
    shown = 0;
  }

  function hasQuery() {
    return input.value.trim() !== '' || filterNames.some((name) => selected[name].size > 0);
  }

  function updateUrl() {
    const next = new URLSearchParams();
    if (input.value.trim()) next.set('q', input.value);
    filterNames.forEach((name) => Array.from(selected[name]).sort().forEach((v) => next.append(name, v)));
    const query = next.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  }

  function search(offset) {
    latest += 1;
    updateUrl();
    if (!hasQuery()) {
      clearResults();
      filtersBox.hidden = true;
      fallback.hidden = false;
      announce('');
      return;
    }
    // While the engine loads, results on screen belong to an earlier search: take them away
    // rather than leave them under the new query or filter.
    if (offset === 0 && engine === 'loading') clearResults();
    if (offset === 0 && !results.childElementCount) status.textContent = text('search_loading');
    appending = offset > 0;
    if (offset === 0) {
      partialOnScreen = null;
      firstAnswer(latest, input.value);
    }
    worker.postMessage({ type: 'search', id: latest, request: request(offset) });
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

  // One checkbox row. `id` is stable across re-renders, so focus can be put back on it.
  function optionRow(name, value, counts) {
    const id = 'f-' + name + '-' + value.replace(/[^a-z0-9-]/gi, '_');
    const row = document.createElement('div');
    row.className = 'facet__option';
    row.dataset.find = fold(label(name, value));
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
    return row;
  }

  // Statuses of barriers and of projects, each group under its own heading (a nested legend).
  function statusGroups(values, counts) {
    const kinds = labels.status_kind || {};
    const parts = [];
    [['barrier', 'filter_status_barrier'], ['project', 'filter_status_project'], [null, null]].forEach(([kind, heading]) => {
      const mine = values.filter((v) => (kind ? kinds[v] === kind : !['barrier', 'project'].includes(kinds[v])));
      if (!mine.length) return;
      const rows = mine.map((v) => optionRow('status', v, counts));
      if (!heading) { parts.push(...rows); return; }
      const group = document.createElement('fieldset');
      group.className = 'facet__group';
      group.dataset.kind = kind;
      const legend = document.createElement('legend');
      legend.textContent = text(heading);
      group.append(legend, ...rows);
      parts.push(group);
    });
    return parts;
  }

  // A long list: a field that narrows it (when the theme names one for this filter), the
  // options, a line for when nothing matches, and the button that shows all or fewer.
  function longList(name, values, counts) {
    const parts = [];
    const findKey = 'filter_find_' + name;
    if (labels.text[findKey]) {
      const find = document.createElement('div');
      find.className = 'facet__find';
      const lab = document.createElement('label');
      lab.htmlFor = 'facet-' + name + '-find';
      lab.textContent = text(findKey);
      const field = document.createElement('input');
      field.type = 'search';
      field.id = 'facet-' + name + '-find';
      field.className = 'facet__find-input';
      field.autocomplete = 'off';
      field.dataset.facet = name;
      field.setAttribute('aria-controls', 'facet-' + name + '-options');
      field.value = view[name].find;
      find.append(lab, field);
      parts.push(find);
    }
    const list = document.createElement('div');
    list.className = 'facet__options';
    list.id = 'facet-' + name + '-options';
    list.append(...values.map((v) => optionRow(name, v, counts)));
    const none = document.createElement('p');
    none.className = 'facet__none';
    none.textContent = text('filter_find_none');
    none.hidden = true;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'link-button facet__toggle';
    toggle.id = 'facet-' + name + '-toggle';
    toggle.dataset.facet = name;
    toggle.setAttribute('aria-controls', list.id);
    parts.push(list, none, toggle);
    return parts;
  }

  // Shows, of a long list, the first SHORT values that match the find field (all of them when
  // expanded), and always the ticked ones and the one with focus. Returns how many match.
  function applyView(name, keep) {
    const list = document.getElementById('facet-' + name + '-options');
    if (!list) return 0;
    const field = document.getElementById('facet-' + name + '-find');
    const query = field ? fold(view[name].find.trim()) : '';
    const expanded = view[name].expanded;
    let matching = 0;
    Array.from(list.children).forEach((row) => {
      const box = row.firstChild;
      const match = !query || row.dataset.find.includes(query);
      if (match) matching += 1;
      row.hidden = !(box.checked || box.id === keep || (match && (expanded || matching <= SHORT)));
    });
    const fieldset = list.closest('.facet');
    fieldset.querySelector('.facet__none').hidden = matching > 0;
    const toggle = document.getElementById('facet-' + name + '-toggle');
    toggle.hidden = matching <= SHORT;
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.textContent = expanded ? text('filter_show_fewer') : text('filter_show_all').replace('{n}', matching);
    list.classList.toggle('facet__options--open', expanded && matching > SHORT);
    return matching;
  }

  function renderFacets(facets) {
    // Keep focus on the control the user just used when the lists are rebuilt, and keep a
    // checkbox just unticked in view while it has focus.
    const active = document.activeElement;
    const focused = active && active.closest('#search-facets') ? active.id : null;
    const caret = focused && active.type === 'search' ? [active.selectionStart, active.selectionEnd] : null;
    // An expanded list scrolls in its own box; keep where it was scrolled to.
    const scrolled = {};
    facetsBox.querySelectorAll('.facet__options--open').forEach((list) => { scrolled[list.id] = list.scrollTop; });
    const groups = [];
    const long = [];
    filterNames.forEach((name) => {
      const counts = facets[name] || {};
      const values = Object.keys(counts).filter((v) => counts[v] > 0 || selected[name].has(v));
      selected[name].forEach((v) => { if (!values.includes(v)) values.push(v); });
      if (focused && active.name === name && !values.includes(active.value)) values.push(active.value);
      if (!values.length) return;
      values.sort((a, b) => (counts[b] || 0) - (counts[a] || 0) || label(name, a).localeCompare(label(name, b), 'nb'));
      const fieldset = document.createElement('fieldset');
      fieldset.className = 'facet';
      fieldset.id = 'facet-' + name;
      const legend = document.createElement('legend');
      legend.textContent = text('filter_' + name);
      fieldset.append(legend);
      if (name === 'status') fieldset.append(...statusGroups(values, counts));
      else if (values.length > SHORT) {
        fieldset.append(...longList(name, values, counts));
        long.push(name);
      } else fieldset.append(...values.map((v) => optionRow(name, v, counts)));
      groups.push(fieldset);
    });
    facetsBox.replaceChildren(...groups);
    facetsBox.removeAttribute('aria-busy');
    long.forEach((name) => applyView(name, focused));
    Object.keys(scrolled).forEach((id) => {
      const list = document.getElementById(id);
      if (list) list.scrollTop = scrolled[id];
    });
    if (focused) {
      const again = document.getElementById(focused);
      if (again) {
        again.focus();
        if (caret) again.setSelectionRange(caret[0], caret[1]);
      }
    }
    filtersBox.hidden = groups.length === 0;
    clear.hidden = !filterNames.some((name) => selected[name].size > 0);
  }

  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === 'ready') {
      engine = message.ok ? 'ready' : 'failed';
      // Search even when the engine failed to open: the worker answers with the reason.
      labelsReady.then(() => {
        if (message.ok) fallback.hidden = hasQuery();
        search(0);
      });
      return;
    }
    if (message.id !== latest) return; // an answer to a query the user has already changed
    if (message.type === 'error') {
      // No results beside the message, not even a first answer shown while the engine loaded,
      // and no announcement of that answer's count still waiting to overwrite the message.
      clearResults();
      clearTimeout(announceTimer);
      fallback.hidden = false;
      fallbackText.textContent = text(message.stale ? 'search_stale' : 'search_error');
      status.textContent = fallbackText.textContent;
      return;
    }
    if (message.partial) {
      // The engine's first hits, without filter counts, while the rest is fetched: shown
      // unless the build's first answer to this search is on screen (it has them all).
      if (!firstForThis()) {
        firstOnScreen = null;
        show(message.response, true);
        partialOnScreen = comparable(message.response.hits);
      }
      return;
    }
    const first = firstForThis() ? firstOnScreen : null;
    const partial = partialOnScreen;
    firstOnScreen = null;
    partialOnScreen = null;
    if (!appending && first && comparable(message.response) === first.json) {
      // The engine's answer is the first answer on screen: only the next page is new.
      more.hidden = shown >= message.response.total;
      return;
    }
    const { hits, total, facets } = message.response;
    if (partial && comparable(hits.slice(0, shown)) === partial) {
      // The first hits are on screen: the rest go below them, so focus and scroll stay, and
      // the counts beside them. The summary, already said, is the same.
      hits.slice(shown).forEach((hit) => results.append(hitElement(hit)));
      shown = hits.length;
      more.hidden = shown >= total;
      renderFacets(facets);
      return;
    }
    show(message.response);
  };

  // Puts an answer on screen: the engine's, or a first answer while it loads, or the engine's
  // first hits (`partial`: no filter counts yet, so the filters stay as they are, and no next
  // page until the full answer).
  function show(response, partial = false) {
    if (!appending) {
      results.replaceChildren();
      shown = 0;
    }
    response.hits.forEach((hit) => results.append(hitElement(hit)));
    shown += response.hits.length;
    results.hidden = shown === 0;
    more.hidden = partial || shown >= response.total;
    fallback.hidden = true;
    if (partial) {
      // The filters' box shows already, as it will with the counts (on a phone, folded above
      // the results, which would otherwise move down under a reader's thumb when they come);
      // its lists, if any, are the last search's until then.
      if (shown > 0) filtersBox.hidden = false;
      facetsBox.setAttribute('aria-busy', 'true');
    } else renderFacets(response.facets);
    summary = response.total + ' ' + text(response.total === 1 ? 'search_result_one' : 'search_results');
    if (input.value.trim()) summary += ' ' + text('search_for') + ' «' + input.value.trim() + '»';
    if (response.total === 0) summary = text('search_none');
    else if (response.relaxed) summary += '. ' + text('search_relaxed');
    announce(summary);
  }

  let typingTimer = null;
  input.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => labelsReady.then(() => search(0)), 60);
  });
  app.addEventListener('submit', (event) => {
    event.preventDefault();
    labelsReady.then(() => search(0));
  });
  facetsBox.addEventListener('change', (event) => {
    const box = event.target;
    if (!box.name || !selected[box.name]) return;
    if (box.checked) selected[box.name].add(box.value);
    else selected[box.name].delete(box.value);
    search(0);
  });
  // Typing in a find field narrows its list without a search; the status line keeps the
  // results' summary and adds how many values match.
  facetsBox.addEventListener('input', (event) => {
    const field = event.target;
    const name = field.dataset.facet;
    if (!name || field.type !== 'search') return;
    view[name].find = field.value;
    const matching = applyView(name, null);
    const total = document.getElementById('facet-' + name + '-options').childElementCount;
    if (!field.value.trim()) { announce(summary); return; }
    const count = text('filter_find_count').replace('{filter}', text('filter_' + name)).replace('{n}', matching).replace('{total}', total);
    announce(summary ? summary + '. ' + count : count);
  });
  facetsBox.addEventListener('keydown', (event) => {
    // Enter in a find field would submit the search form; the list is already narrowed.
    if (event.key === 'Enter' && event.target.dataset.facet && event.target.type === 'search') event.preventDefault();
  });
  facetsBox.addEventListener('click', (event) => {
    const toggle = event.target.closest('.facet__toggle');
    if (!toggle) return;
    const name = toggle.dataset.facet;
    view[name].expanded = !view[name].expanded;
    applyView(name, null);
    toggle.scrollIntoView({ block: 'nearest' });
  });
  clear.addEventListener('click', () => {
    filterNames.forEach((name) => selected[name].clear());
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
