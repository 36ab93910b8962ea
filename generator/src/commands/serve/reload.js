// Live reload for `deling serve` (never part of a built site). Listens for rebuilds and reloads
// the page when its own file changed; shows build errors over the page until they are fixed.
(() => {
  "use strict";
  const here = () => {
    let path = decodeURIComponent(location.pathname).replace(/^\//, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  };

  let overlay = null;
  const showProblems = (problems) => {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "deling-feil";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "deling-feil-tittel");
      overlay.style.cssText =
        "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;border-top:6px solid #b00020;" +
        "font:1rem/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
      document.body.append(overlay);
    }
    const title = document.createElement("h2");
    title.id = "deling-feil-tittel";
    title.style.cssText = "margin:0 0 .5rem;font-size:1.2rem;color:#b00020";
    title.textContent = "Nettstedet kunne ikke bygges på nytt";
    const intro = document.createElement("p");
    intro.style.margin = "0 0 .5rem";
    intro.textContent =
      "Du ser den siste versjonen som virket. Rett feilene under og lagre filen, så forsvinner denne meldingen.";
    const list = document.createElement("ol");
    list.style.cssText = "margin:0;padding-left:1.5rem;font-family:ui-monospace,monospace;white-space:pre-wrap";
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      list.append(item);
    }
    overlay.replaceChildren(title, intro, list);
  };
  const clearProblems = () => {
    overlay?.remove();
    overlay = null;
  };

  const events = new EventSource("/__deling/events");
  // Tells tests (and the curious) that this page listens.
  events.onopen = () => { document.documentElement.dataset.delingLive = "open"; };
  events.onmessage = (message) => {
    const update = JSON.parse(message.data);
    if (update.problems) {
      showProblems(update.problems);
      return;
    }
    clearProblems();
    if (update.changed === "*" || (update.changed || []).includes(here())) {
      sessionStorage.setItem("deling-scroll", String(scrollY));
      location.reload();
    }
  };
  const scroll = sessionStorage.getItem("deling-scroll");
  if (scroll !== null) {
    sessionStorage.removeItem("deling-scroll");
    addEventListener("load", () => scrollTo(0, Number(scroll)));
  }
})();
