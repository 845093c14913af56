/* tracksite: the course search's dialog, loaded by search.js when a learner first opens the
   search (nothing of it loads with the page). Its engine (search-engine.js) and the index's entry
   file start loading as soon as this module runs, while the learner types; each query then
   fetches the word files of its words. Closed with Esc; the arrow keys move between the box and
   the results. Every text goes in through textContent, an excerpt's marks as <mark> elements. */
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = text;
  return node;
}

/* The interface's words in the page's language, from tracksite's message catalogue
   (theme/messages/, written into the search box's data-messages by the template). */
export function messages(root) {
  let found = {};
  try { found = JSON.parse(root.dataset.messages || "{}"); } catch (e) { found = {}; }
  const lang = document.documentElement.lang || "en";
  return (key, vars = {}) => String(found[key] || key).replace(/\{(\w+)\}/g, (_, name) => {
    const value = vars[name];
    return typeof value === "number" ? value.toLocaleString(lang) : (value ?? "");
  });
}

export function attach(root) {
  const text = messages(root);
  const $ = (sel) => root.querySelector(sel);
  const dialog = $(".ts-search__dialog"), input = $(".ts-search__input");
  const status = $(".ts-search__status"), list = $(".ts-search__results"), more = $(".ts-search__more");
  const selects = { track: $("select[name=track]"), kind: $("select[name=kind]") };
  const PAGE = 5; /* results drawn at a time: each one fetches its page's fragment (docs/benchmarks.md) */
  const WAIT = 120; /* ms without a keystroke before a query runs: no fragments for half-typed words */
  const KIND_ORDER = ["lesson", "overview", "cheatsheet", "track", "glossary", "keypoints", "review", "exercises", "page"];
  const kindName = (kind) => kind && text("kind_" + kind); /* the index holds the page kind, the dialog names it */
  let loading = null, shown = [], drawn = 0, generation = 0, seen = new Set();
  let suggested = ""; /* the query with each word no page has replaced by the nearest word that one has */
  const suggest = el("p", "ts-search__suggest");
  suggest.hidden = true;
  status.after(suggest);

  const load = () => {
    if (!loading) {
      loading = import(new URL("search-engine.js", import.meta.url).href)
        .then((engine) => new engine.Index(root.dataset.index).ready);
      loading.catch(() => { loading = null; });
    }
    return loading;
  };

  /* The track and kind menus are filled from the index's filter file when a learner first goes
     to one (focus or pointer), not when the search opens: most searches never filter, and on a
     large course that file is a good part of a first query's bytes (docs/benchmarks.md). */
  let filling = null;
  const loadFilters = () => {
    if (!filling) {
      filling = load().then((index) => index.filters()).then(fillFilters);
      filling.catch(() => { filling = null; });
    }
    return filling;
  };

  const fillFilters = (filters) => {
    for (const [name, select] of Object.entries(selects)) {
      const values = Object.keys((filters && filters[name]) || {})
        .filter((v) => name !== "kind" || v !== "page" || "guide" in root.dataset);
      values.sort(name === "kind" ? (a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b)
        : (a, b) => a.localeCompare(b, undefined, { numeric: true }));
      for (const value of values) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = name === "kind" ? kindName(value) : value;
        select.append(option);
      }
      select.closest("label").hidden = values.length < 2;
    }
  };

  const chosenFilters = () => {
    const filters = {};
    for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
    return filters;
  };


  /* A result's link is named by what it shows, in the order shown (title, kind and place,
     section, excerpt): a name of the title and section alone left out words a learner sees on
     the link, and a speech user saying them could not follow it (WCAG 2.5.3, label in name). */
  const renderHit = (data) => {
    const meta = data.meta || {};
    const item = el("li", "ts-search__hit");
    const link = el("a", "ts-search__link");
    link.href = data.url;
    const title = el("span", "ts-search__hit-title", meta.title || data.url);
    const where = el("span", "ts-search__hit-meta", [kindName(meta.kind), meta.where].filter(Boolean).join(" · "));
    link.append(title, where);
    if (data.section && data.section !== meta.title) link.append(el("span", "ts-search__hit-section", data.section));
    const excerpt = el("span", "ts-search__excerpt");
    for (const [text, marked] of data.excerpt) excerpt.append(marked ? el("mark", null, text) : document.createTextNode(text));
    link.append(excerpt);
    item.append(link);
    return item;
  };

  /* Two tracks' glossaries often define a term in the same words: one definition is shown once. */
  const duplicate = (data) => {
    if ((data.meta || {}).kind !== "glossary") return false;
    const key = data.section + "\n" + data.excerpt.map(([text]) => text).join("");
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };

  /* Each result goes on screen as soon as its own fragment (and those of the results above it)
     has arrived, instead of when the slowest of the batch has: the first result shows after one
     fragment's round trip. `announce` runs once the first one is drawn; the list is aria-busy
     until the whole batch is. */
  const drawMore = async (announce) => {
    const mine = generation;
    const pending = shown.slice(drawn, drawn + PAGE).map((r) => r.data());
    list.setAttribute("aria-busy", "true");
    try {
      for (const next of pending) {
        const data = await next;
        if (mine !== generation) return;
        drawn += 1;
        if (duplicate(data)) continue;
        list.append(renderHit(data));
        if (announce) { announce(); announce = null; }
      }
      more.hidden = drawn >= shown.length;
    } finally {
      if (mine === generation) list.removeAttribute("aria-busy");
    }
  };

  const say = (text) => { status.textContent = text; };

  /* "Did you mean ...?" for the words no page has, from the word files the query already
     fetched: one click on the suggestion, or Enter in the box. */
  const offer = (term, suggestions) => {
    const swaps = Object.entries(suggestions || {});
    suggested = "";
    suggest.replaceChildren();
    suggest.hidden = !swaps.length;
    if (!swaps.length) return;
    suggested = term;
    for (const [typed, near] of swaps) {
      suggested = suggested.replace(new RegExp("(^|[^\\p{L}\\p{N}])" + typed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![\\p{L}\\p{N}])", "iu"), "$1" + near);
      if (!suggested.toLowerCase().includes(near)) suggested += " " + near; /* typed with accents or another case */
    }
    const button = el("button", "ts-search__suggestion", suggested);
    button.type = "button";
    /* the placeholder is kept (filled with itself) to split the sentence around the button */
    const [before, after] = text("searchDidYouMean", { query: "{query}" }).split("{query}");
    suggest.append(document.createTextNode(before || ""), button, document.createTextNode(after || ""));
  };

  const follow = () => {
    if (!suggested) return false;
    input.value = suggested;
    input.focus();
    run();
    return true;
  };

  /* A word of one or two letters is matched whole, not as the start of longer words, and its
     word file is that of its two letters, not the one the finished word will need: the word
     being typed is fetched ahead from its third letter on (docs/benchmarks.md). */
  const longEnough = (term) => term.split(/\s+/).pop().length >= 3;

  const run = async () => {
    const term = input.value.trim();
    const mine = ++generation;
    list.removeAttribute("aria-busy"); /* an earlier query's batch is overtaken: no longer busy */
    if (!term) {
      offer(term, {});
      list.replaceChildren(); list.removeAttribute("aria-busy"); more.hidden = true; shown = []; say("");
      return;
    }
    let index;
    try {
      index = await load();
    } catch (e) {
      say(text("searchIndexFailed", { reason: e && e.message ? e.message : String(e) }));
      return;
    }
    if (longEnough(term)) index.preload(term).catch(() => {}); /* word files, while typing */
    /* A last word of one or two letters is most often the start of a longer one, typed slowly: it
       waits three times as long, so a short word like "AI" is still searched, but a hesitation
       after "t" does not fetch the word file and fragments of "t". */
    await new Promise((resolve) => setTimeout(resolve, longEnough(term) ? WAIT : 3 * WAIT));
    if (mine !== generation) return; /* a newer keystroke took over */
    let search;
    try {
      search = await index.search(term, { filters: chosenFilters() });
    } catch (e) {
      if (mine === generation) say(text("searchPartFailed", { reason: e && e.message ? e.message : String(e) }));
      return;
    }
    if (mine !== generation) return;
    shown = search.results; drawn = 0; seen = new Set();
    list.replaceChildren();
    offer(term, search.suggestions);
    more.hidden = true;
    const n = shown.length;
    const quote = (w) => text("quoted", { text: w });
    const left = search.ignored.length ? " " + text("searchNoPageHas", { words: search.ignored.map(quote).join(text("or")) }) : "";
    if (n === 0) say(text("searchNoResults", { query: quote(term) }) + left);
    else await drawMore(() => say(text(n === 1 ? "searchOneResult" : "searchResults", { n, query: quote(term) }) + left));
  };

  /* Esc closes at once, as Material's did (a search field would first clear itself); the arrow
     keys go from the box to the first result, and between results. */
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      dialog.close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (document.activeElement === input && e.key === "ArrowDown" && links.length) {
      e.preventDefault(); links[0].focus();
    } else if (at >= 0) {
      e.preventDefault();
      if (e.key === "ArrowUp" && at === 0) input.focus();
      else links[Math.min(links.length - 1, Math.max(0, at + (e.key === "ArrowDown" ? 1 : -1)))].focus();
    }
  });

  $(".ts-search__close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); }); /* the backdrop */
  /* (focus goes back to the header button in search.js's `close` listener: this code may arrive
     after a learner has already closed the dialog; a result followed keeps it) */
  list.addEventListener("click", (e) => { /* a result on this very page: close over it */
    if (e.target.closest("a")) { dialog.dataset.followed = "1"; dialog.close(); }
  });
  /* Enter opens the first result, unless a word of the query is on no page and has a suggestion:
     the results then match the other words only ("transfomer architecture" found pages about
     architecture), so Enter runs the corrected query first, whose first result a second Enter opens. */
  $(".ts-search__form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (follow()) return;
    const first = list.querySelector("a");
    if (first) first.click();
  });
  input.addEventListener("input", run);
  suggest.addEventListener("click", (e) => { if (e.target.closest("button")) follow(); });
  for (const select of Object.values(selects)) {
    select.addEventListener("change", run);
    for (const type of ["focus", "pointerdown"]) select.addEventListener(type, () => { loadFilters().catch(() => {}); });
  }
  more.addEventListener("click", () => {
    const next = drawn;
    drawMore().then(() => { const link = list.querySelectorAll("a")[next]; if (link) link.focus(); });
  });
  load().catch(() => {}); /* fetch the engine and the index's entry while the learner types */
  if (input.value.trim()) run(); /* typed while this module was on its way */
}
