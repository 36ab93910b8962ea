// The barrier register, enhanced. Without JavaScript the page is a table in a fixed order with
// links to filtered pages; with it, the whole register (hindringer/register.json, all pages of
// it) is sorted by the column header buttons and filtered by the selects in place, the state
// kept in the URL query (?status=meldt&sorter=days&retning=descending) and each change
// announced in a polite live region. Nothing inline: the CSP allows only files from the site.
(function () {
  "use strict";
  const section = document.querySelector("[data-register]");
  const table = document.querySelector("table.register");
  if (!section || !table) return;
  const words = section.dataset;
  const live = document.getElementById("register-status");
  const pageLang = document.documentElement.lang;
  const collator = new Intl.Collator(pageLang === "en" ? "en" : "nb");

  const compare = {
    title: (a, b) => collator.compare(a.title, b.title),
    status: (a, b) => a.status_rank - b.status_rank,
    ministry: (a, b) => collator.compare(a.ministry, b.ministry),
    network: (a, b) => collator.compare(a.networks.join(", "), b.networks.join(", ")),
    since: (a, b) => (a.since.iso < b.since.iso ? -1 : a.since.iso > b.since.iso ? 1 : 0),
    days: (a, b) => a.days - b.days,
  };

  fetch(section.dataset.register)
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(enhance)
    .catch(() => {
      // The static table and its filter links stay as they are.
    });

  function enhance(data) {
    const state = readState(data);
    const selects = buildControls(data, state);
    const buttons = buildSortButtons(state);
    table.classList.add("is-enhanced");
    for (const pager of document.querySelectorAll("nav.pager")) pager.hidden = true;

    const update = (announcement) => {
      leaveFilteredPage();
      render(data, state, buttons);
      writeState(state);
      live.textContent = announcement();
    };
    for (const [key, select] of Object.entries(selects)) {
      select.addEventListener("change", () => {
        state.filters[key] = select.value;
        update(() => `${words.tShown} ${visible(data, state).length}`);
      });
    }
    for (const [key, button] of Object.entries(buttons)) {
      button.addEventListener("click", () => {
        state.direction =
          state.sort === key && state.direction === "ascending" ? "descending" : "ascending";
        state.sort = key;
        update(() => {
          const direction = state.direction === "ascending" ? words.tAscending : words.tDescending;
          return `${words.tSorted} ${button.textContent}, ${direction}`;
        });
      });
    }
    render(data, state, buttons);
  }

  function readState(data) {
    const query = new URLSearchParams(location.search);
    const state = { filters: {}, sort: null, direction: "ascending" };
    const preset = section.dataset.filterKey;
    for (const facet of data.facets) {
      const wanted = query.get(facet.key) ?? (facet.key === preset ? section.dataset.filterValue : "");
      state.filters[facet.key] = facet.values.some((v) => v.slug === wanted) ? wanted : "";
    }
    const sort = query.get("sorter");
    if (sort && compare[sort]) {
      state.sort = sort;
      state.direction = query.get("retning") === "descending" ? "descending" : "ascending";
    }
    return state;
  }

  function writeState(state) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(state.filters)) if (value) query.set(key, value);
    if (state.sort) {
      query.set("sorter", state.sort);
      query.set("retning", state.direction);
    }
    const search = query.toString();
    // On a filtered page (/hindringer/status/meldt/) the state now lives in the query of the
    // whole register, so a reload or a shared link shows what the reader chose.
    const path = section.dataset.root || location.pathname;
    history.replaceState(null, "", search ? `${path}?${search}` : path);
  }

  /// After the first change on a filtered page, the page is the whole register, filtered.
  function leaveFilteredPage() {
    if (!section.dataset.root) return;
    const heading = document.querySelector("h1");
    if (heading) heading.textContent = section.dataset.heading;
    document.title = document.title.replace(/^[^–]*–/, `${section.dataset.heading} –`);
  }

  function buildControls(data, state) {
    const controls = document.createElement("div");
    controls.className = "register-controls";
    const selects = {};
    for (const facet of data.facets) {
      if (facet.values.length === 0) continue;
      const label = document.createElement("label");
      label.append(facet.label);
      const select = document.createElement("select");
      select.name = facet.key;
      select.append(new Option(words.tAll, ""));
      for (const value of facet.values) select.append(new Option(value.name, value.slug));
      select.value = state.filters[facet.key];
      label.append(select);
      controls.append(label);
      selects[facet.key] = select;
    }
    for (const old of section.querySelectorAll(".register-filters__groups, .register-filters__current")) {
      old.hidden = true;
    }
    section.append(controls);
    return selects;
  }

  function buildSortButtons(state) {
    const buttons = {};
    for (const th of table.querySelectorAll("thead th[data-sort]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.append(button);
      buttons[th.dataset.sort] = button;
    }
    return buttons;
  }

  function visible(data, state) {
    return data.rows.filter((row) =>
      Object.entries(state.filters).every(([key, value]) => !value || row.filters[key].includes(value)),
    );
  }

  function render(data, state, buttons) {
    const rows = visible(data, state);
    if (state.sort) {
      const order = compare[state.sort];
      const sign = state.direction === "ascending" ? 1 : -1;
      // Stable: ties keep the register's own order.
      rows.sort((a, b) => sign * order(a, b));
    }
    for (const [key, button] of Object.entries(buttons)) {
      const th = button.parentElement;
      if (key === state.sort) th.setAttribute("aria-sort", state.direction);
      else th.removeAttribute("aria-sort");
    }
    const labels = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    const body = document.createElement("tbody");
    for (const row of rows) body.append(rowElement(row, labels));
    table.tBodies[0].replaceWith(body);
  }

  function cell(label, ...content) {
    const td = document.createElement("td");
    td.dataset.label = label;
    td.append(...content);
    return td;
  }

  function link(text, href) {
    if (!href) return document.createTextNode(text);
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function rowElement(row, labels) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    const title = link(row.title, row.url);
    if (row.lang !== pageLang) title.lang = row.lang;
    th.append(title);
    const badge = document.createElement("span");
    badge.className = `badge status--${row.status_class}`;
    badge.textContent = row.status;
    const abbr = document.createElement("abbr");
    abbr.title = row.ministry;
    abbr.textContent = row.ministry_short;
    const laws = [];
    row.laws.forEach((law, i) => {
      if (i > 0) laws.push(", ");
      laws.push(link(law.name, law.url));
    });
    const time = document.createElement("time");
    time.dateTime = row.since.iso;
    time.textContent = row.since.text;
    const days = cell(labels[6], String(row.days));
    days.className = "register__number";
    tr.append(
      th,
      cell(labels[1], badge),
      cell(labels[2], abbr),
      cell(labels[3], ...laws),
      cell(labels[4], row.networks.join(", ")),
      cell(labels[5], time),
      days,
    );
    return tr;
  }
})();
