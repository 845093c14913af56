/* tracksite widgets: what every widget script shares (storage, DOM helpers, the start of each
   widget on a page, as window.tracksite), the flashcards and quiz, and figures and wide tables
   on a phone. attention.js, progress.js and learner.js, loaded after it, use window.tracksite.
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

  /* ---- flashcards ---- */
  function flashcards(root) {
    /* a card's sides keep their markup (a formula is MathML); its term's text is its key */
    const cards = $$(root, ".ts-card").map((li) => ({
      term: spoken(li.querySelector(".ts-card__term")),
      termNode: li.querySelector(".ts-card__term"),
      answerNode: li.querySelector(".ts-card__answer"),
    }));
    if (!cards.length) return;
    const key = root.dataset.key || "tracksite:cards:" + location.pathname;
    const marks = load(key, {});
    const order = () => {
      const again = [], fresh = [], known = [];
      cards.forEach((c, i) =>
        (marks[c.term] === "again" ? again : marks[c.term] === "known" ? known : fresh).push(i));
      return again.concat(fresh, known);
    };
    let seq = order(), pos = 0, flipped = false;
    const help = newId("ts-cards-help");
    const side = h("span", { class: "ts-cards__side" });
    const face = h("span", { class: "ts-cards__face" });
    const card = h("button", { type: "button", class: "ts-cards__card", "aria-describedby": help,
      onclick: () => flip() }, side, face);
    const count = h("p", { class: "ts-cards__count" });
    const prev = button(t("cPrev"), () => go(-1));
    const next = button(t("cNext"), () => go(1));
    const again = button(t("cAgain"), () => mark("again"));
    const knew = button(t("cKnew"), () => mark("known"), "ts-btn--primary");
    const live = liveRegion();
    const app = h("div", { class: "ts-cards__app" }, count, card,
      h("div", { class: "ts-cards__nav" }, prev, again, knew, next),
      h("p", { class: "ts-cards__help", id: help }, t("cHelp")), live);
    root.querySelector(".ts-cards__list").hidden = true;
    root.append(app);
    const current = () => cards[seq[pos]];
    const render = (still) => {
      const c = current();
      const m = marks[c.term];
      const known = cards.filter((x) => marks[x.term] === "known").length;
      const redo = cards.filter((x) => marks[x.term] === "again").length;
      count.textContent = t("cCount", { n: pos + 1, of: seq.length, known, redo }) +
        (m ? t(m === "known" ? "cThisKnew" : "cThisAgain") : "");
      side.textContent = t(flipped ? "cAnswer" : "cTerm");
      face.replaceChildren(...copyOf(flipped ? c.answerNode : c.termNode));
      card.classList.toggle("is-flipped", flipped);
      card.classList.remove("is-turning");
      if (still) return;
      void card.offsetWidth; // restart the turn animation
      card.classList.add("is-turning");
    };
    const flip = () => {
      flipped = !flipped;
      render();
      say(live, t(flipped ? "cAnswer" : "cTerm") + ": " + spoken(flipped ? current().answerNode : current().termNode));
    };
    const go = (step, prefix) => {
      let note = "";
      pos += step;
      if (pos >= seq.length) {
        seq = order();
        pos = 0;
        note = t("cRestart");
      } else if (pos < 0) pos = seq.length - 1;
      flipped = false;
      render();
      say(live, (prefix || "") + note + t("cCard", { n: pos + 1, of: seq.length, term: current().term }));
    };
    const mark = (m) => {
      marks[current().term] = m;
      save(key, marks);
      go(1, t(m === "known" ? "cMarkedKnown" : "cMarkedAgain"));
    };
    app.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowRight") go(1);
      else if (e.key === "ArrowLeft") go(-1);
      else return;
      e.preventDefault();
    });
    render(true);
  }

  /* ---- quiz ---- */
  /* Options are shuffled per learner. The HTML holds one fixed shuffle from the build (what a
     reader without JavaScript and a printout see), each input's value being the option's place
     in the source; this moves the option nodes themselves, so the keyboard and screen-reader
     order is the order on screen. The order is seeded by a random learner id kept in storage
     plus the question, so a reload shows the same order. */
  const learnerId = () => {
    const saved = load("tracksite:learner", {});
    if (typeof saved.id === "string" && saved.id) return saved.id;
    const id = Array.from(crypto.getRandomValues(new Uint32Array(2)), (b) => b.toString(36)).join("");
    save("tracksite:learner", { id });
    return id;
  };
  const seeded = (text) => {  /* FNV-1a hash of the text seeds mulberry32 */
    let a = fnv(text);
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
  /* an option's place in the instructor's source (blocks/quiz.py writes it as the input's value) */
  const sourceIndex = (node) => Number((node.querySelector(".ts-quiz__input") || node).value);
  const shuffleOptions = (list, seed) => {
    /* from the source order, not the build's, so only the learner and the question decide it */
    const nodes = Array.from(list.children).sort((a, b) => sourceIndex(a) - sourceIndex(b));
    const random = seeded(seed);
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
    }
    nodes.forEach((node) => list.append(node));
  };

  function quiz(root) {
    const key = root.dataset.key || "tracksite:quiz:" + location.pathname;
    /* A question's answer is kept under its key (blocks/quiz.py), as an exercise's pass:
       {answers: {0: chosen}, first: {0: first check, 1 right}} (what scorm.js scores; Retry
       keeps it). The quiz's key held them by position before: read once. */
    const earlier = load(key, {});
    const stored = (li, qi) => {
      const own = li.dataset.key ? load(li.dataset.key, null) : null;
      if (own) return own;
      const was = {}, a = (earlier.answers || {})[qi], f = (earlier.first || {})[qi];
      if (Array.isArray(a)) was.answers = { 0: a };
      if (f === 0 || f === 1) was.first = { 0: f };
      return was;
    };
    const keep = (item) => {
      const value = {};
      if (Array.isArray(item.chosen)) value.answers = { 0: item.chosen };
      if (item.first !== undefined) value.first = { 0: item.first };
      if (Object.keys(value).length) save(item.key, value);
      else remove(item.key);
    };
    const live = liveRegion();
    const score = h("p", { class: "ts-quiz__score" });
    const learner = learnerId();
    const questions = $$(root, ".ts-quiz__question").map((li, qi) => {
      /* in source order: inputs[i], explained[i] and notes[i] are the instructor's option i */
      const inputs = $$(li, ".ts-quiz__input").sort((a, b) => sourceIndex(a) - sourceIndex(b));
      const list = li.querySelector(".ts-quiz__options");
      if (list) shuffleOptions(list, `${learner}|${key}|${qi}`);
      const explained = $$(li, ".ts-quiz__explanation").map((x, n) => ({
        option: x.dataset.option === undefined ? n : Number(x.dataset.option),
        correct: x.dataset.correct === "true",
        text: x.querySelector(".ts-quiz__explain"),
      })).sort((a, b) => a.option - b.option);
      const details = li.querySelector(".ts-quiz__answers");
      if (details) details.hidden = true;
      const feedback = h("p", { class: "ts-quiz__feedback", tabindex: "-1" });
      const state = stored(li, qi);
      const item = { li, qi, inputs, explained, feedback, done: false, right: false,
        key: li.dataset.key || `${key}|${qi}`, chosen: (state.answers || {})[0],
        first: [0, 1].includes((state.first || {})[0]) ? state.first[0] : undefined };
      item.check = button(t("qCheck"), () => check(item, true), "ts-btn--primary");
      item.retry = button(t("qRetry"), () => retry(item));
      item.retry.hidden = true;
      item.notes = inputs.map((input) => {
        const note = h("p", { class: "ts-quiz__note", id: input.id + "-note", hidden: true });
        input.parentNode.append(note);
        return note;
      });
      li.append(h("div", { class: "ts-quiz__actions" }, item.check, item.retry), feedback);
      return item;
    });
    const updateScore = () => {
      const done = questions.filter((x) => x.done);
      const right = done.filter((x) => x.right).length;
      score.textContent = t("qScore", { right, n: questions.length }) +
        (done.length < questions.length ? t("qAnswered", { done: done.length, n: questions.length }) : "");
      return score.textContent;
    };
    const check = (item, byUser) => {
      const chosen = item.inputs.filter((i) => i.checked).map((i) => Number(i.value));
      if (!chosen.length) {
        if (byUser) {
          item.feedback.textContent = t("qChoose");
          item.feedback.focus();
        }
        return;
      }
      item.chosen = chosen;
      item.right = item.explained.every((x, i) => x.correct === chosen.includes(i));
      if (byUser && item.first === undefined) item.first = item.right ? 1 : 0;
      if (byUser) keep(item);
      item.done = true;
      /* a wrong answer explains the chosen options only: the rest would give the answer away */
      item.inputs.forEach((input, i) => {
        const x = item.explained[i] || { correct: false, text: null };
        const note = item.notes[i];
        const mine = chosen.includes(i);
        input.disabled = true;
        if (!item.right && !mine) return;
        note.textContent = "";
        note.append(h("strong", null, t(x.correct ? "qRight" : "qWrong") + (mine ? t("qMine") : "") + ": "),
          ...(x.text ? copyOf(x.text) : []));
        note.hidden = false;
        input.setAttribute("aria-describedby", note.id);
        input.parentNode.classList.add(x.correct ? "is-correct" : "is-wrong");
        input.parentNode.classList.toggle("is-chosen", mine);
      });
      item.li.classList.add("is-answered");
      item.check.hidden = true;
      item.retry.hidden = false;
      const total = updateScore();
      const many = item.explained.filter((x) => x.correct).length > 1;
      item.feedback.textContent = t(item.right ? "qCorrect" : many ? "qNotMany" : "qNotOne") + total + ".";
      item.feedback.classList.toggle("is-right", item.right);
      if (byUser) item.feedback.focus();
    };
    const clear = (item) => {
      item.chosen = undefined;
      item.done = item.right = false;
      item.li.classList.remove("is-answered");
      item.check.hidden = false;
      item.retry.hidden = true;
      item.feedback.textContent = "";
      item.inputs.forEach((input, i) => {
        input.disabled = false;
        input.checked = false;
        input.removeAttribute("aria-describedby");
        input.parentNode.classList.remove("is-correct", "is-wrong", "is-chosen");
        item.notes[i].hidden = true;
      });
    };
    const firstInput = (item) => item.li.querySelector(".ts-quiz__input");
    const retry = (item) => {
      clear(item);
      keep(item);
      const total = updateScore();
      firstInput(item).focus();
      say(live, t("qCleared", { n: item.qi + 1, total }));
    };
    const reset = button(t("qReset"), () => {
      questions.forEach((item) => { clear(item); keep(item); });
      updateScore();
      if (questions[0] && firstInput(questions[0])) firstInput(questions[0]).focus();
      say(live, t("qResetDone"));
    });
    root.append(h("div", { class: "ts-quiz__footer" }, score, reset), live);
    if (Object.keys(earlier).length && root.dataset.key) {
      questions.forEach(keep);
      remove(key);
    }
    questions.forEach((item) => {
      const chosen = item.chosen;
      if (!Array.isArray(chosen)) return;
      item.inputs.forEach((input, i) => { input.checked = chosen.includes(i); });
      check(item, false);
    });
    updateScore();
  }

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
  const scrollRegions = () => {
    /* an inline formula wider than its column (MathML does not wrap) scrolls in a span of its own */
    for (const m of $$(document, ".md-content math:not([display=block])")) {
      const column = m.parentElement.closest("p, li, td, dd, div, legend, label, span");
      if (m.parentElement.classList.contains("ts-math-wide") || !column ||
          m.getBoundingClientRect().width <= column.clientWidth + 1) continue;
      m.before(h("span", { class: "ts-math-wide" }));
      m.previousSibling.append(m);
    }
    /* each region's name is unique on the page (axe landmark-unique): "Formula 2 (scrolls sideways)" */
    const counts = {};
    for (const box of $$(document, ".md-content :is(.md-typeset__scrollwrap, .ts-figure, .ts-math, .ts-math-wide, .ts-map__scroll)")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
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
    }
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
  const widgets = { flashcards, quiz };
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
    load, save, forget: (k) => { delete mem[ns(k)]; }, key: ns, stored, remove, course, COPIED, h, $$, button, liveRegion, say, q, num, newId, t,
    setDisabled, isDisabled, copyOf, spoken,
    widget: (name, start) => { widgets[name] = start; if (started) startWidgets(name); },
    onPage: (hook) => { pageHooks.push(hook); if (started) hook(); },
  };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
