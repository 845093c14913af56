/* tracksite widgets: what every widget script shares (storage, DOM helpers, the start of each
   widget on a page, as window.tracksite), and figures and wide tables on a phone. Each widget's
   own script (quiz.js, flashcards.js, attention.js, ... in its home, core/widgets/<home>/),
   progress.js and learner.js, loaded after it, use window.tracksite.
   Progressive enhancement of the HTML the build writes (readable without these files).
   No dependencies, no inline code, no eval; every text goes in through textContent. */
(() => {
  "use strict";

  /* ---- storage: localStorage when it works, memory when it does not (private mode) ---- */
  /* Keys live under the course's namespace (<meta name="tracksite-course">, courseid.py): an
     origin (an LMS, user.github.io) may hold several courses. ns() adds it to callers' keys. */
  const fnv = (text) => {  /* FNV-1a */
    let a = 2166136261;
    for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
    return a;
  };
  const PREFIX = "tracksite:";
  const meta = document.querySelector('meta[name="tracksite-course"]');
  const given = meta && /^[0-9a-f]{8}$/.test(meta.content) ? meta.content : "";
  /* data-bound (an export, whose LMS activities each serve it from their own path; a site
     without site_url): the id and the copy's root address, as scorm.js (courseid.py) */
  const here = document.currentScript ? new URL("../../", document.currentScript.src).href : "";
  const placed = (id) => (fnv(id + "\n" + here) >>> 0).toString(16).padStart(8, "0");
  const course = given && here && meta.dataset.bound === "location" ? placed(given) : given;
  /* a declared course_id (courseid.py): the namespace the name and address gave (data-earlier,
     bound as that site was), whose keys move to the course's own below */
  const before = meta && course && /^[0-9a-f]{8}$/.test(meta.dataset.earlier || "")
    ? (meta.dataset.earlierBound === "location" ? (here ? placed(meta.dataset.earlier) : "") : meta.dataset.earlier) : "";
  const ns = (k) => (course && k.startsWith(PREFIX) ? PREFIX + course + ":" + k.slice(PREFIX.length) : k);
  const COPIED = "tracksite:copied"; /* set once the earlier, un-namespaced keys were copied in */
  const mem = {};
  let ls = null;
  try {
    ls = window.localStorage;
    ls.setItem("tracksite:probe", "1");
    ls.removeItem("tracksite:probe");
  } catch (e) {
    ls = null;
  }
  /* A course that now declares its id finds its learner's keys under the earlier namespace and
     moves them (never over a key the course's own namespace already holds: that one is newer) */
  if (ls && before && before !== course) {
    try {
      const from = PREFIX + before + ":", moved = [];
      for (let i = 0; i < ls.length; i++) { const k = ls.key(i); if (k && k.startsWith(from)) moved.push(k); }
      for (const k of moved) {
        const to = PREFIX + course + ":" + k.slice(from.length);
        if (ls.getItem(to) === null) ls.setItem(to, ls.getItem(k));
        ls.removeItem(k);
      }
    } catch (e) { /* full: the earlier keys stay, and move on a later page */ }
  }
  /* Keys of a site built before the namespace are copied in once (not moved: another course
     of the origin may read them); a SCORM launch marks it done, the LMS's state wins there. */
  const earlier = (k) => k.startsWith(PREFIX) && !/^tracksite:[0-9a-f]{8}:/.test(k) && k !== "tracksite:probe";
  if (ls && course) {
    try {
      if (ls.getItem(ns(COPIED)) === null) {
        const old = [];
        for (let i = 0; i < ls.length; i++) { const k = ls.key(i); if (k && earlier(k)) old.push(k); }
        for (const k of old) if (ls.getItem(ns(k)) === null) ls.setItem(ns(k), ls.getItem(k));
        ls.setItem(ns(COPIED), "{}");
      }
    } catch (e) { /* full: the earlier keys stay where they are */ }
  }
  const load = (k, fallback) => {
    const real = ns(k);
    let raw = null;
    if (real in mem) raw = mem[real];
    else if (ls) {
      try { raw = ls.getItem(real); } catch (e) { raw = null; }
    }
    try {
      const value = raw == null ? null : JSON.parse(raw);
      return value && typeof value === "object" && !Array.isArray(value) ? value : fallback;
    } catch (e) {
      return fallback;
    }
  };
  const save = (k, value) => {
    const real = ns(k), raw = JSON.stringify(value);
    mem[real] = raw;
    if (ls) {
      try { ls.setItem(real, raw); delete mem[real]; } catch (e) { /* keep it in memory */ }
    }
  };
  /* the course's keys in storage, as callers name them (travel.js saves and clears them) */
  const stored = () => {
    const out = [], own = ns(PREFIX);
    if (!ls) return out;
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (!k || !k.startsWith(own)) continue;
      const name = course ? PREFIX + k.slice(own.length) : k;
      if (course || earlier(k)) out.push(name);
    }
    return out;
  };
  const remove = (k) => {
    delete mem[ns(k)];
    try { if (ls) ls.removeItem(ns(k)); } catch (e) { /* off */ }
  };

  /* ---- DOM helpers ---- */
  const h = (tag, props, ...kids) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid != null) node.append(kid);
    return node;
  };
  const $$ = (root, sel) => Array.from(root.querySelectorAll(sel));
  const button = (text, onclick, cls) =>
    h("button", { type: "button", class: "ts-btn" + (cls ? " " + cls : ""), onclick }, text);
  const liveRegion = () => h("p", { class: "ts-sr", "aria-live": "polite" });
  const say = (region, text) => {
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 30);
  };
  const lang = () => document.documentElement.lang || undefined;
  /* an interface string in the page's language: the catalogue's `script:` part, which the page
     carries in data-messages (core/messages.py); {name} filled from `vars`, numbers as the
     language writes them; q() quotes, num() a share (0,25 in Spanish) */
  const t = (key, vars) => {
    let words = {};
    try { words = JSON.parse(document.querySelector("[data-messages]").dataset.messages); } catch (e) { /* none */ }
    const fill = (v) => (typeof v === "number" ? v.toLocaleString(lang()) : v ?? "");
    return String(words[key] ?? key).replace(/\{(\w+)\}/g, (_, n) => fill((vars || {})[n]));
  };
  const q = (s) => t("quoted", { text: s });
  const num = (x) => x.toLocaleString(lang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let uid = 0;
  const newId = (p) => p + "-" + ++uid;
  const setDisabled = (btn, off) => btn.setAttribute("aria-disabled", off ? "true" : "false");
  const isDisabled = (btn) => btn.getAttribute("aria-disabled") === "true";

  /* copies of an element's children (text and MathML), to show the same content elsewhere */
  const copyOf = (node) => Array.from(node.childNodes, (n) => n.cloneNode(true));
  /* an element's text for a live region: a formula as the symbols it draws ("√dk"), never
     its TeX source, which would be read out backslash by backslash */
  const spoken = (node) => node.textContent.replace(/\s+/g, " ").trim();

  /* ---- figures and wide tables on a phone (theme.css: "Phones") ---- */
  /* A course figure (an SVG image alone in its paragraph) gets a link to its file, full size
     (shown on narrow screens), and scrolls sideways there in its own region; a table or figure
     wider than its column becomes a named, focusable region so the keyboard can scroll it. */
  const figures = () => {
    for (const img of $$(document, ".md-content .md-typeset p > img[src$='.svg']")) {
      const p = img.parentNode;
      if (p.classList.contains("ts-figure") || p.childElementCount !== 1 || p.textContent.trim()) continue;
      p.classList.add("ts-figure");
      p.after(h("p", { class: "ts-figure__more" }, h("a", { class: "ts-figure__open",
        href: img.getAttribute("src") }, t("fullSize"))));
    }
  };
  /* Each pass reads every size first and writes after: a read after a write makes the browser
     lay the page out again on the spot, once per table or formula (docs/benchmarks.md). */
  const wideFormulas = (maths) => maths.filter((m) => {
    const column = m.parentElement.closest("p, li, td, dd, div, legend, label, span");
    return column && m.getBoundingClientRect().width > column.clientWidth + 1;
  });
  const scrollRegions = () => {
    /* an inline formula wider than its column (MathML does not wrap) scrolls in a span of its own;
       a column a wrapped formula narrowed (a table's) is measured again for the others in it */
    let maths = $$(document, ".md-content math:not([display=block])")
      .filter((m) => !m.parentElement.classList.contains("ts-math-wide"));
    for (let wide = wideFormulas(maths); wide.length; wide = wideFormulas(maths)) {
      for (const m of wide) {
        m.before(h("span", { class: "ts-math-wide" }));
        m.previousSibling.append(m);
      }
      maths = maths.filter((m) => !wide.includes(m));
    }
    /* each region's name is unique on the page (axe landmark-unique): "Formula 2 (scrolls sideways)" */
    const counts = {};
    const boxes = $$(document, ".md-content :is(.md-typeset__scrollwrap, .ts-figure, .ts-math, .ts-math-wide, .ts-map__scroll)");
    const scrolling = boxes.map((box) => box.scrollWidth > box.clientWidth + 1);
    boxes.forEach((box, i) => {
      const scrolls = scrolling[i];
      box.classList.toggle("ts-scrolls", scrolls);
      if (scrolls && (!box.hasAttribute("tabindex") || box.getAttribute("role") === "region")) {
        const kind = t(box.matches(".ts-figure") ? "rFigure" : box.matches("[class*=ts-math]") ? "rFormula"
          : box.matches(".ts-map__scroll") ? "rMap" : "rTable");
        counts[kind] = (counts[kind] || 0) + 1;
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", t("rScrolls", { kind, n: counts[kind] }));
      } else if (!scrolls && box.getAttribute("role") === "region") {
        for (const a of ["tabindex", "role", "aria-label"]) box.removeAttribute(a);
      }
    });
    /* Material gives each code block's buttons a <nav> without a name: name each after its
       block, so that the page's navigation landmarks stay distinguishable (axe landmark-unique) */
    $$(document, ".md-content .md-code__nav").forEach((nav, i) => {
      if (!nav.hasAttribute("aria-label")) nav.setAttribute("aria-label", t("codeActions", { n: i + 1 }));
    });
  };
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(scrollRegions, 150);
  });

  /* ---- start each widget (again after each of Material's instant page loads) ---- */
  /* The other scripts register theirs with tracksite.widget(name, start); one registered after
     the page started (Material's document$ may have fired already) starts its own at once. */
  const widgets = {};
  const pageHooks = [];
  let started = false;
  const startWidgets = (only) => {
    for (const root of $$(document, "[data-widget]")) {
      const start = widgets[root.dataset.widget];
      if (!start || root.dataset.tsReady || (only && root.dataset.widget !== only)) continue;
      root.dataset.tsReady = "1";
      try {
        const result = start(root);
        if (result && result.catch) result.catch((e) => console.error("tracksite widget:", e));
      } catch (e) {
        console.error("tracksite widget:", e);
      }
    }
  };
  const init = () => {
    started = true;
    pageHooks.forEach((hook) => hook());
    figures();
    /* Material wraps tables in .md-typeset__scrollwrap from its own script: measure after it */
    requestAnimationFrame(() => setTimeout(scrollRegions, 0));
    startWidgets();
  };
  window.tracksite = {
    load, save, forget: (k) => { delete mem[ns(k)]; }, key: ns, stored, remove, course, COPIED, h, $$, button, liveRegion, say, q, num, newId, t, fnv,
    setDisabled, isDisabled, copyOf, spoken,
    widget: (name, start) => { widgets[name] = start; if (started) startWidgets(name); },
    onPage: (hook) => { pageHooks.push(hook); if (started) hook(); },
  };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
