/* tracksite learner features: term tooltips on touch and Escape, spaced review (Leitner boxes),
   due-card counts, "Continue" and "Next up", and the course map's progress colours.
   Progressive enhancement of HTML the build writes; everything is stored in this browser only
   (localStorage, or memory in private mode). Uses the helpers widgets.js shares; no other
   dependency, no inline code, no network. */
(() => {
  "use strict";

  /* ---- storage and helpers: widgets.js's (window.tracksite), so that in private mode, where
     storage is memory, a lesson marked complete is the same mark here ---- */
  const PROGRESS = "tracksite:progress";
  const REVIEW = "tracksite:review";
  const { save, forget, h, $$, spoken, say, t } = window.tracksite;
  const load = (key) => window.tracksite.load(key, {});
  const done = () => load(PROGRESS);

  /* ---- term tooltips: CSS shows them on hover and focus; this adds touch and Escape ---- */
  let touched = false;
  const closeTerms = (except) => {
    for (const t of $$(document, ".ts-term.is-open")) if (t !== except) t.classList.remove("is-open");
  };
  /* Keep a tip inside the window and off its term: on a wide screen it opens below the term,
     moved left at the right edge and above the term near the bottom (it went off-screen there);
     on a phone it sits at the foot of the screen, and at the top when the term is down there
     (it covered the term, and a tap meant for the term landed on the tip). `is-above` is the flip
     (learner.css), decided at once, before a tap's click is dispatched. */
  const place = (term) => {
    const tip = term.querySelector(".ts-term__tip");
    if (!tip) return;
    const wide = window.innerWidth >= 720;
    term.classList.remove("is-above");
    if (wide) tip.style.left = "0px";
    const r = tip.getBoundingClientRect(), at = term.getBoundingClientRect();
    if (!r.height) return;  /* not shown */
    if (!wide) {
      if (r.top < at.bottom + 8 && r.bottom > at.top) term.classList.add("is-above");
      return;
    }
    if (r.right > window.innerWidth - 8) tip.style.left = `${Math.round(window.innerWidth - 8 - r.right)}px`;
    if (r.bottom > window.innerHeight - 8 && at.top - r.height >= 8) term.classList.add("is-above");
  };
  const terms = () => {
    for (const term of $$(document, ".ts-term")) {
      if (term.dataset.tsReady) continue;
      term.dataset.tsReady = "1";
      const link = term.querySelector(".ts-term__link");
      if (!link) continue;
      link.addEventListener("click", (e) => {
        if (!touched || term.classList.contains("is-open")) return;  /* a second tap follows the link */
        e.preventDefault();
        closeTerms(term);
        term.classList.add("is-open");
        place(term);
      });
      link.addEventListener("focus", () => place(term));
      link.addEventListener("blur", () => term.classList.remove("is-dismissed", "is-open"));
      term.addEventListener("mouseenter", () => { term.classList.remove("is-dismissed"); place(term); });
      term.addEventListener("mouseleave", () => term.classList.remove("is-dismissed"));
    }
  };
  document.addEventListener("pointerdown", (e) => {
    touched = e.pointerType === "touch" || e.pointerType === "pen";
    if (!e.target.closest(".ts-term")) closeTerms(null);
  }, true);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    for (const t of $$(document, ".ts-term")) {
      if (t.classList.contains("is-open") || t.matches(":hover") || t.matches(":focus-within")) {
        t.classList.remove("is-open");
        t.classList.add("is-dismissed");
      }
    }
  });

  /* ---- spaced review: Leitner boxes 1 to 5; a card known moves up a box and comes back after
     2, 4, 8 or 16 days (boxes 2 to 5); "Again" puts it in box 1, back in the same session ---- */
  const DAY = 24 * 60 * 60 * 1000;
  const BOX_DAYS = [0, 1, 2, 4, 8, 16];
  const reviewState = () => {
    const s = load(REVIEW);
    if (!s.cards || typeof s.cards !== "object") s.cards = {};
    if (!s.decks || typeof s.decks !== "object") s.decks = {};
    return s;
  };
  const cardId = (lesson, termNode) => `${lesson}|${spoken(termNode)}`;
  /* which cards a lesson has: noted on its own page (and on the review page), so the count of
     due cards in the header needs no download */
  const recordDecks = () => {
    const decks = {};
    const lessonRoot = document.querySelector("[data-widget=progress][data-lesson]");
    if (lessonRoot) {
      const terms = $$(document, ".ts-cards .ts-card__term");
      if (terms.length) decks[lessonRoot.dataset.lesson] = terms.map((t) => cardId(lessonRoot.dataset.lesson, t));
    }
    for (const section of $$(document, "[data-review-lesson]")) {
      decks[section.dataset.reviewLesson] = $$(section, ".ts-card__term").map((t) => cardId(section.dataset.reviewLesson, t));
    }
    if (!Object.keys(decks).length) return;
    const s = reviewState();
    let changed = false;
    for (const [lesson, ids] of Object.entries(decks)) {
      if (JSON.stringify(s.decks[lesson]) !== JSON.stringify(ids)) { s.decks[lesson] = ids; changed = true; }
    }
    if (changed) save(REVIEW, s);
  };
  const isDue = (s, id, now) => !s.cards[id] || !(s.cards[id].due > now);
  const dueCount = (track) => {
    const s = reviewState(), map = done(), now = Date.now();
    let n = 0;
    for (const [lesson, ids] of Object.entries(s.decks)) {
      if (map[lesson] !== true || (track && !lesson.startsWith(track + "/")) || !Array.isArray(ids)) continue;
      n += ids.filter((id) => isDue(s, id, now)).length;
    }
    return n;
  };

  /* the count next to each Review link, and one link in the header to the fullest review */
  const badges = () => {
    let best = null, total = 0;
    for (const span of $$(document, "[data-review-due]")) {
      const n = dueCount(span.dataset.reviewDue);
      span.hidden = n === 0;
      span.replaceChildren(...(n ? [String(n), h("span", { class: "ts-sr" }, t(n === 1 ? "rvDue1" : "rvDueN"))] : []));
      const link = span.closest("a") || span.parentNode.querySelector("a");
      if (link && n && (!best || n > best.n)) best = { n, href: link.getAttribute("href") };
    }
    const tracks = new Set(Object.keys(reviewState().decks).map((k) => k.split("/")[0]));
    tracks.forEach((t) => { total += dueCount(t); });
    const inner = document.querySelector(".md-header__inner");
    if (!inner) return;
    let link = inner.querySelector(".ts-review-due-link");
    if (!total) { if (link) link.remove(); return; }
    const logo = document.querySelector(".md-header .md-logo");
    const href = best ? best.href : (logo ? logo.getAttribute("href") : "/");
    if (!link) {
      link = h("a", { class: "ts-review-due-link" });
      const title = inner.querySelector(".md-header__title");
      if (title) title.after(link); else inner.append(link);
    }
    link.setAttribute("href", href);
    /* short on a phone's header: "Review 6", the rest for screen readers */
    link.replaceChildren(t("rvHeader") + " ", h("span", { class: "ts-review-due" }, String(total),
      h("span", { class: "ts-sr" }, t(total === 1 ? "rvDue1" : "rvDueN"))));
  };

  function review(root) {
    const track = root.dataset.track;
    const status = root.querySelector(".ts-review__status");
    const deck = new Map();  /* id -> {term, answer, lesson} nodes, in lesson order */
    for (const section of $$(document, "[data-review-lesson]")) {
      for (const li of $$(section, ".ts-review__card")) {
        const term = li.querySelector(".ts-card__term");
        deck.set(cardId(section.dataset.reviewLesson, term), { term, answer: li.querySelector(".ts-card__answer"),
          lesson: section.dataset.reviewLesson, title: section.querySelector("h3").textContent.trim() });
      }
    }
    const side = h("span", { class: "ts-review__side" });
    const face = h("div", { class: "ts-review__face" });
    const card = h("div", { class: "ts-review__card-face", "aria-live": "polite" }, side, face);
    const count = h("p", { class: "ts-review__count" });
    const flip = h("button", { type: "button", class: "ts-btn ts-btn--primary", onclick: () => show() }, t("rvShow"));
    const again = h("button", { type: "button", class: "ts-btn", onclick: () => grade(false) }, t("cAgain"));
    const knew = h("button", { type: "button", class: "ts-btn ts-btn--primary", onclick: () => grade(true) }, t("cKnew"));
    const live = h("p", { class: "ts-sr", "aria-live": "polite" });
    const help = h("p", { class: "ts-muted" }, t("rvKeys"));
    const app = h("div", { class: "ts-review__app" }, count, card, h("div", { class: "ts-review__buttons" }, flip, again, knew), help, live);
    root.append(app);
    let queue = [], current = null, flipped = false;
    const start = () => {
      const s = reviewState(), map = done(), now = Date.now();
      queue = Array.from(deck.keys()).filter((id) => map[deck.get(id).lesson] === true && isDue(s, id, now));
      next();
    };
    const next = () => {
      current = queue.shift() || null;
      flipped = false;
      render();
    };
    const render = () => {
      const s = reviewState();
      const completed = Object.keys(done()).filter((k) => k.startsWith(track + "/") && done()[k] === true).length;
      app.hidden = !current;
      if (!current) {
        const waiting = Array.from(deck.keys()).filter((id) => s.cards[id] && s.cards[id].due > Date.now())
          .map((id) => s.cards[id].due).sort((a, b) => a - b);
        status.textContent = !completed ? t("rvNone") : t("rvCaughtUp") + (waiting.length
          ? t("rvNextDue", { date: new Date(waiting[0]).toLocaleDateString(document.documentElement.lang || undefined) }) : "");
        return;
      }
      const c = deck.get(current), box = (s.cards[current] && s.cards[current].box) || 1;
      status.textContent = t(queue.length ? "rvNowN" : "rvNow1", { n: queue.length + 1 });
      count.textContent = t("rvBox", { title: c.title, box });
      side.textContent = t(flipped ? "cAnswer" : "cTerm");
      face.replaceChildren(...Array.from((flipped ? c.answer : c.term).childNodes, (n) => n.cloneNode(true)));
      flip.hidden = flipped;
      again.hidden = knew.hidden = !flipped;
    };
    const show = () => {
      if (!current || flipped) return;
      flipped = true;
      render();
      knew.focus();
    };
    const grade = (knewIt) => {
      if (!current || !flipped) return;
      const s = reviewState();
      const old = (s.cards[current] && s.cards[current].box) || 1;  /* a new card starts in box 1 */
      const box = knewIt ? Math.min(old + 1, 5) : 1;
      s.cards[current] = { box, due: knewIt ? Date.now() + BOX_DAYS[box] * DAY : Date.now() };
      save(REVIEW, s);
      if (!knewIt) queue.push(current);  /* back at the end of this session */
      say(live, knewIt ? t("rvMoved", { box, days: BOX_DAYS[box] }) : t("rvBack"));
      next();
      badges();
      if (current) flip.focus();
      else { status.setAttribute("tabindex", "-1"); status.focus(); }
    };
    app.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const key = e.key.toLowerCase();
      if (key === "f") show();
      else if (key === "a") grade(false);
      else if (key === "k") grade(true);
      else return;
      e.preventDefault();
      e.stopPropagation();  /* Material's own shortcuts (F and S open its search) stay out of the review */
    });
    start();
  }

  /* ---- "Next up" after a lesson is marked done; "Continue" on the home page ---- */
  const nextUp = () => {
    const box = document.querySelector("[data-next-up]");
    const lesson = document.querySelector("[data-widget=progress][data-lesson]");
    if (!box || !lesson) return;
    box.hidden = done()[lesson.dataset.lesson] !== true;
  };
  /* "Continue", on a home page card, the home page's main button and the track page's "Start
     with Lesson 1", which it becomes (the main button is data-continue-start, so that a look-up
     of a track's own box by data-continue-track does not find it first): the first lesson not done after the last one done, as "Next up" said; lessons skipped
     before it come back once every later one is done. Each box lists its track's lessons in
     course order (key, "Lesson N, title"); its link's first address is Lesson 1's, so the
     others are found beside it. */
  const continueLinks = () => {
    const map = done();
    const isDone = ([key]) => map[key] === true;
    for (const box of $$(document, "[data-continue-track], [data-continue-start]")) {
      const link = box.querySelector("a");
      let items = [];
      try { items = JSON.parse(box.dataset.continueLessons || "[]"); } catch (e) { items = []; }
      if (!link || !Array.isArray(items) || !items.length) continue;
      if (link.dataset.start == null) {
        Object.assign(link.dataset, { start: link.textContent, startHref: link.getAttribute("href") });
        box.dataset.startHidden = box.hidden ? "1" : "";
      }
      /* an exported copy's links name their file (tracksite export): so do the ones made here */
      const file = /\/index\.html$/.test(link.dataset.startHref) ? "index.html" : "";
      const first = new URL(link.dataset.startHref, location.href).href.slice(0, -file.length || undefined);
      const root = first.slice(0, first.length - items[0][0].length - 1);
      const last = items.map(isDone).lastIndexOf(true);
      const next = items.slice(last + 1).find((i) => !isDone(i)) || items.find((i) => !isDone(i));
      const review = box.dataset.continueReview;
      box.hidden = last < 0 && box.dataset.startHidden === "1";
      if (last < 0) [link.textContent, link.href] = [link.dataset.start, link.dataset.startHref];
      else if (next) [link.textContent, link.href] = [t("rvContinue", { lesson: next[1] }), `${root}${next[0]}/${file}`];
      else [link.textContent, link.href] = [t("rvTrackDone"), review || link.dataset.startHref];
    }
  };

  /* ---- the course map: done, ready (every prerequisite in the lesson's own track done: one
     in another track is only recommended, so a learner may start any track first) or not yet;
     on a large course's home page, a box per track: done (every lesson), started, or not
     started. A box and its list item carry the same data-needs and go through `state`, so
     they agree; a box's name is its text (data-label) and then its state. ---- */
  const STATES = { done: "stDone", ready: "stReady", "not-yet": "stNotYet" };
  const TRACK_STATES = { done: "stDone", ready: "stStarted", "not-yet": "stNotStarted" };
  const mapStates = () => {
    const map = done();
    const trackOf = (key) => key.split("/")[0];
    const state = (key, needs) => map[key] === true ? "done"
      : needs.every((k) => map[k] === true || trackOf(k) !== trackOf(key)) ? "ready" : "not-yet";
    const trackState = (slug, count) => {
      const n = Object.keys(map).filter((k) => map[k] === true && k.startsWith(slug + "/")).length;
      return n >= count ? "done" : n ? "ready" : "not-yet";
    };
    for (const node of $$(document, ".ts-map__node[data-lesson], .ts-map__node[data-track]")) {
      const track = node.dataset.track;
      const st = track ? trackState(track, Number(node.dataset.lessonCount) || 0)
        : state(node.dataset.lesson, (node.dataset.needs || "").split(" ").filter(Boolean));
      node.setAttribute("data-state", st);
      const label = node.dataset.label || "";
      if (label) node.setAttribute("aria-label", `${label} (${t((track ? TRACK_STATES : STATES)[st])})`);
    }
    for (const li of $$(document, "li[data-map-lesson], li[data-map-track]")) {
      const track = li.dataset.mapTrack;
      const out = li.querySelector(".ts-map__state");
      const st = track ? trackState(track, Number(li.dataset.lessonCount) || 0)
        : state(li.dataset.mapLesson, (li.dataset.needs || "").split(" ").filter(Boolean));
      if (out) out.textContent = ` \u2014 ${t((track ? TRACK_STATES : STATES)[st])}`;
    }
  };

  /* ---- a code block wider than the screen stays focusable, so that a keyboard scrolls it (axe
     scrollable-region-focusable): Material gives it tabindex 0 only where the pointer hovers, and
     takes it away on a touch screen; the observer puts it back each time ---- */
  const codeFocus = () => {
    for (const code of $$(document, ".md-content pre > code")) {
      const keep = () => code.scrollWidth > code.clientWidth + 1 && code.tabIndex < 0 && (code.tabIndex = 0);
      keep();
      code.tsKeep ||= new MutationObserver(keep);
      code.tsKeep.observe(code, { attributeFilter: ["tabindex"] });
    }
  };

  /* ---- the skip link (main.html) lands on the page's title: the templates' titles take the
     focus already; a Markdown h1 (exercise packs, guides) is made to, so that the next Tab goes
     on from the title and not from the top of the page ---- */
  const skipTarget = () => {
    const link = document.querySelector("a.ts-skip[href^='#']");
    const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target && !target.hasAttribute("tabindex")) target.tabIndex = -1;
  };

  /* ---- the palette toggle (partials/palette.html): a button that clicks the radio Material
     switches on. Material hides the button just pressed and shows the other one, so the focus
     moves to it, or it would fall back to the top of the page. Enter stops here: Material's form
     switches on Enter too, which with the button's own click switched twice. ---- */
  const palette = () => {
    for (const button of $$(document, "[data-ts-palette]")) {
      if (button.dataset.tsReady) continue;
      button.dataset.tsReady = "1";
      button.addEventListener("keydown", (e) => { if (e.key === "Enter") e.stopPropagation(); });
      button.addEventListener("click", () => {
        const radio = document.getElementById(button.dataset.tsPalette);
        if (!radio) return;
        const hadFocus = document.activeElement === button;
        radio.click();
        const shown = button.form && button.form.querySelector("[data-ts-palette]:not([hidden])");
        if (hadFocus && shown) shown.focus();
      });
    }
  };

  /* ---- start, again after each of Material's instant page loads, and on every change ---- */
  const refresh = () => { badges(); nextUp(); continueLinks(); mapStates(); };
  const init = () => {
    skipTarget();
    palette();
    terms();
    codeFocus();
    recordDecks();
    for (const root of $$(document, "[data-ts-learner=review]")) {
      if (root.dataset.tsReady) continue;
      root.dataset.tsReady = "1";
      try { review(root); } catch (e) { console.error("tracksite review:", e); }
    }
    refresh();
    for (const toggle of $$(document, ".ts-progress__toggle, [data-progress-reset]")) {
      if (toggle.dataset.tsLearner) continue;
      toggle.dataset.tsLearner = "1";
      toggle.addEventListener("click", () => setTimeout(refresh, 0));
    }
  };
  window.addEventListener("storage", (e) => {
    if (e.key && e.key !== window.tracksite.key(PROGRESS) && e.key !== window.tracksite.key(REVIEW)) return;
    forget(PROGRESS);
    forget(REVIEW);
    refresh();
  });
  /* a focus the browser left under the sticky header (it scrolls only what is out of the
     viewport, not what the header covers): brought below it, within the page's scroll padding */
  document.addEventListener("focusin", (event) => {
    const header = document.querySelector(".md-header"), target = event.target;
    if (!header || !(target instanceof Element) || target.closest(".md-header, .md-sidebar, .md-tabs")) return;
    const tops = [...target.getClientRects()].map((r) => r.top);
    if (tops.length && Math.max(...tops) < header.getBoundingClientRect().bottom) target.scrollIntoView({ block: "nearest" });
  });
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
