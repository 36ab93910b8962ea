// The registers (barriers, projects, practices), enhanced. Without JavaScript each is a list in
// a fixed order with links to filtered pages; with it, the whole register (<kind>/register.json,
// all pages of it) becomes one table, sorted by the column header buttons and filtered by the
// selects in place, the state kept in the URL query (?status=meldt&sorter=days&retning=descending)
// and each change announced in a polite live region. The JSON describes the columns and gives
// each row one cell per column, so this one script serves every register. Nothing inline: the
// CSP allows only files from the site.
(function () {
  "use strict";
  const section = document.querySelector("[data-register]");
  if (!section) return;
  const words = section.dataset;
  const live = document.getElementById("register-status");
  const pageLang = document.documentElement.lang;
  const collator = new Intl.Collator(pageLang === "en" ? "en" : "nb");

  fetch(section.dataset.register)
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(enhance)
    .catch(() => {
      // The static list and its filter links stay as they are.
    });

  /// Compares two cells' sort values: numbers as numbers, text by the language's collation;
  /// a missing value (null) always sorts last.
  function compareCells(a, b, sign) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return sign * (a - b);
    return sign * collator.compare(String(a), String(b));
  }

  function enhance(data) {
    const state = readState(data);
    const selects = buildControls(data, state);
    const table = buildTable(data);
    const buttons = buildSortButtons(data, table);
    for (const pager of document.querySelectorAll("nav.pager")) pager.hidden = true;

    const update = (announcement) => {
      leaveFilteredPage();
      render(data, state, table, buttons);
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
    render(data, state, table, buttons);
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
    if (data.columns.some((c) => c.sortable && c.key === sort)) {
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

  /// The table of the whole register, in place of the page's own list (cards or a table of
  /// one page of it), which is removed.
  function buildTable(data) {
    const table = document.createElement("table");
    table.className = "register is-enhanced";
    const old = document.querySelector("[data-register-static]");
    if (old && old.tagName === "TABLE") {
      table.className = `${old.className} is-enhanced`;
      table.removeAttribute("data-register-static");
      const describedBy = old.getAttribute("aria-describedby");
      if (describedBy) table.setAttribute("aria-describedby", describedBy);
    }
    const caption = table.createCaption();
    caption.className = "visually-hidden";
    caption.textContent = section.dataset.heading || document.querySelector("h1").textContent;
    const row = table.createTHead().insertRow();
    for (const column of data.columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = column.label;
      if (column.sortable) th.dataset.sort = column.key;
      row.append(th);
    }
    table.createTBody();
    const statics = document.querySelectorAll("[data-register-static]");
    if (statics.length > 0) statics[0].before(table);
    else live.after(table);
    for (const element of statics) element.remove();
    return table;
  }

  function buildSortButtons(data, table) {
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

  function render(data, state, table, buttons) {
    const rows = visible(data, state);
    if (state.sort) {
      const sign = state.direction === "ascending" ? 1 : -1;
      const key = state.sort;
      // Stable: ties keep the register's own order.
      rows.sort((a, b) => compareCells(a.cells[key].sort, b.cells[key].sort, sign));
    }
    for (const [key, button] of Object.entries(buttons)) {
      const th = button.parentElement;
      if (key === state.sort) th.setAttribute("aria-sort", state.direction);
      else th.removeAttribute("aria-sort");
    }
    const body = document.createElement("tbody");
    for (const row of rows) body.append(rowElement(data.columns, row));
    table.tBodies[0].replaceWith(body);
    for (const count of document.querySelectorAll("[data-register-count]")) {
      count.textContent = String(rows.length);
    }
    for (const noun of document.querySelectorAll("[data-register-noun]")) {
      noun.textContent = rows.length === 1 ? noun.dataset.one : noun.dataset.many;
    }
  }

  function link(text, href) {
    if (!href) return document.createTextNode(text);
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  /// A cell's content, by its kind (`register/columns.rs`).
  function content(cell, row) {
    switch (cell.kind) {
      case "title": {
        const title = link(cell.text, cell.extra);
        if (row.lang !== pageLang) title.lang = row.lang;
        if (!cell.summary) return [title];
        const summary = document.createElement("p");
        summary.className = "register__summary";
        summary.textContent = cell.summary;
        if (row.lang !== pageLang) summary.lang = row.lang;
        return [title, summary];
      }
      case "badge": {
        const badge = document.createElement("span");
        badge.className = cell.extra ? `badge ${cell.extra}` : "badge";
        badge.textContent = cell.text;
        return [badge];
      }
      case "abbr": {
        const abbr = document.createElement("abbr");
        abbr.title = cell.extra;
        abbr.textContent = cell.text;
        return [abbr];
      }
      case "links": {
        const links = [];
        (cell.links || []).forEach((l, i) => {
          if (i > 0) links.push(", ");
          links.push(link(l.name, l.url));
        });
        return links;
      }
      case "time": {
        const time = document.createElement("time");
        time.dateTime = cell.extra;
        time.textContent = cell.text;
        return [time];
      }
      default:
        return [cell.text];
    }
  }

  function rowElement(columns, row) {
    const tr = document.createElement("tr");
    for (const column of columns) {
      const cell = row.cells[column.key];
      let element;
      if (cell.kind === "title") {
        element = document.createElement("th");
        element.scope = "row";
      } else {
        element = document.createElement("td");
        element.dataset.label = column.label;
        if (cell.kind === "number") element.className = "register__number";
      }
      element.append(...content(cell, row));
      tr.append(element);
    }
    return tr;
  }
})();
