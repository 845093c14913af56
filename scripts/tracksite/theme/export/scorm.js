/* tracksite SCORM runtime, on the package's launch page (scorm-launch.html, written by
   tracksite export scorm). The whole course is one SCO: this page holds the LMS session and shows
   the course's pages in a frame, so that moving between pages neither ends nor restarts it.

   It finds the LMS's API (API for SCORM 1.2, API_1484_11 for 2004) up the chain of parent
   windows and then the opener's, as the SCORM run-time environment describes; without one the
   launch page simply opens the course (the package is also a plain site). With one: it
   initialises, puts the learner's saved state (suspend_data) into this browser's storage before
   the first page loads, and, whenever a page of the course saves progress (a storage event),
   tells the LMS what changed: the state, the completion status per the course's rule, the quiz
   score. It commits 2 s after the last change, when the page is hidden and once at exit, and
   calls nothing after the session ended.

   Storage: only the course's own namespace ("tracksite:<course id>:", widgets.js), replaced at
   launch: an LMS serves every package from one origin, and another course's state stays as it is.

   suspend_data (commands/export/scormstate.py lays it out): {"v":2,"k":course,"t":day,"z":level,
   "l":learner,"s":records}, a record per lesson with any state, "<code><done>,<quiz part>,<cards part>", keyed
   by the lesson's code and checked per part, so that a new version of the course keeps what still
   exists. A part is two check characters and bits, 6 a character: per question its first check
   (2 bits: none, right, wrong) and the options chosen (a bit each); per card its mark (2 bits) and
   its review schedule (7 bits: box and days until due, due at the start of its day). When the
   LMS refuses it (SCORM 1.2 keeps 4,096 characters), the card schedules go first, then the marks,
   then the options chosen; lessons done and first checks stay. */
(() => {
  "use strict";
  const course = window.tracksiteCourse;
  const frame = document.getElementById("ts-scorm-frame");
  const PREFIX = "tracksite:";
  const OWN = PREFIX + (course.id ? course.id + ":" : "");
  const DAY = 24 * 60 * 60 * 1000;
  const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  const root = new URL("../../", document.currentScript.src);

  /* ---- storage: the course's namespace, as widgets.js keeps it ---- */
  let ls = null;
  try { ls = window.localStorage; } catch (e) { ls = null; }
  const ns = (k) => OWN + k.slice(PREFIX.length);
  const get = (k) => {
    try {
      const v = JSON.parse(ls.getItem(ns(k)));
      return v && typeof v === "object" && !Array.isArray(v) ? v : null;
    } catch (e) { return null; }
  };
  const put = (k, v) => { try { ls.setItem(ns(k), JSON.stringify(v)); } catch (e) { /* full or off */ } };
  const ours = (k) => k.startsWith(OWN) && (course.id !== "" || !/^tracksite:[0-9a-f]{8}:/.test(k));
  const clearOwn = () => {
    if (!ls) return;
    const out = [];
    for (let i = 0; i < ls.length; i++) { const k = ls.key(i); if (k && ours(k)) out.push(k); }
    out.forEach((k) => ls.removeItem(k));
    put("tracksite:copied", {}); /* the LMS's state is the learner's: no earlier keys copied in */
  };

  /* ---- the LMS's API ---- */
  const search = (win, name) => {
    for (let i = 0; win && i < 12; i++) {
      try { if (win[name]) return win[name]; } catch (e) { return null; } /* another origin */
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  };
  const v12 = course.version === "1.2";
  const name = v12 ? "API" : "API_1484_11";
  const api = search(window, name) || (window.opener ? search(window.opener, name) : null);
  const lms = !api ? null : v12 ? {
    init: () => api.LMSInitialize(""), get: (k) => api.LMSGetValue(k), set: (k, v) => api.LMSSetValue(k, v),
    commit: () => api.LMSCommit(""), finish: () => api.LMSFinish(""),
  } : {
    init: () => api.Initialize(""), get: (k) => api.GetValue(k), set: (k, v) => api.SetValue(k, v),
    commit: () => api.Commit(""), finish: () => api.Terminate(""),
  };
  const cmi = v12 ? {
    status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
    max: "cmi.core.score.max", time: "cmi.core.session_time", exit: "cmi.core.exit", where: "cmi.core.lesson_location",
  } : {
    status: "cmi.completion_status", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", time: "cmi.session_time", exit: "cmi.exit", where: "cmi.location",
  };

  /* ---- bits, 6 a character ---- */
  const writer = () => {
    const bits = [];
    return {
      put: (value, n) => { for (let i = n - 1; i >= 0; i--) bits.push((value >> i) & 1); },
      text: () => {
        let out = "";
        for (let i = 0; i < bits.length; i += 6) {
          let v = 0;
          for (let j = 0; j < 6; j++) v = (v << 1) | (bits[i + j] || 0);
          out += ALPHABET[v];
        }
        return out.replace(/0+$/, ""); /* trailing zeros: nothing there */
      },
    };
  };
  const reader = (text) => {
    let pos = 0;
    const bit = (i) => { const v = ALPHABET.indexOf(text[i / 6 | 0] || "0"); return v < 0 ? 0 : (v >> (5 - (i % 6))) & 1; };
    return { get: (n) => { let v = 0; for (let i = 0; i < n; i++) v = (v << 1) | bit(pos++); return v; } };
  };

  /* ---- the state in storage, per lesson ---- */
  const today = () => Math.floor(Date.now() / DAY);
  const cardsOf = (lesson) => lesson.decks.flatMap(([key, terms]) => terms.map((term) => ({ key, term })));
  /* first checks reported to the LMS: never changed afterwards (a progress file loaded, a reset) */
  const locked = {};
  const quizState = (quiz) => {
    const copies = [quiz.key, ...quiz.also].map((k) => get(k) || {});
    const answers = (copies.find((c) => c.answers && Object.keys(c.answers).length) || {}).answers || {};
    return quiz.options.map((n, qi) => {
      const id = quiz.key + "|" + qi;
      let first = locked[id];
      if (first === undefined) {
        const seen = copies.map((c) => (c.first || {})[qi]).filter((f) => f === 0 || f === 1);
        if (seen.length) first = Math.min(...seen); /* which copy came first is unknown: the lower */
      }
      const chosen = Array.isArray(answers[qi]) ? answers[qi].map(Number).filter((x) => x >= 0 && x < n) : [];
      return { first, chosen };
    });
  };

  const quizPart = (lesson, level) => {
    if (level > 3 || !lesson.quizzes.length) return "";
    const w = writer();
    for (const quiz of lesson.quizzes) {
      quizState(quiz).forEach(({ first, chosen }, qi) => {
        w.put(first === 1 ? 1 : first === 0 ? 2 : 0, 2);
        if (level <= 2) for (let o = 0; o < quiz.options[qi]; o++) w.put(chosen.includes(o) ? 1 : 0, 1);
      });
    }
    const bits = w.text();
    return bits ? lesson.qc + bits : "";
  };

  const cardsPart = (lesson, level, review, t) => {
    const cards = cardsOf(lesson);
    if (level > 1 || !cards.length) return "";
    const w = writer();
    const marks = {};
    for (const { key } of cards) marks[key] = marks[key] || get(key) || {};
    for (const { key, term } of cards) w.put({ known: 1, again: 2 }[marks[key][term]] || 0, 2);
    if (level === 0) {
      for (const { term } of cards) {
        const c = review[`${lesson.id}|${term}`];
        const box = c && Math.min(5, Math.floor(Number(c.box)));
        /* due at the start of its day: a card due today stays due today */
        const ahead = box >= 1 ? Math.min(16, Math.max(0, Math.floor(Number(c.due) / DAY) - t)) : 0;
        w.put(box >= 1 ? (box - 1) * 17 + ahead + 1 : 0, 7);
      }
    }
    const bits = w.text();
    return bits ? lesson.cc + bits : "";
  };

  const encode = (level = 0) => {
    const progress = get(PREFIX + "progress") || {};
    const review = (get(PREFIX + "review") || {}).cards || {};
    const t = today();
    const records = [];
    for (const lesson of course.lessons) {
      const fields = [lesson.code + (progress[lesson.id] === true ? "1" : "0"),
        quizPart(lesson, level), cardsPart(lesson, level, review, t)];
      while (fields.length > 1 && !fields[fields.length - 1]) fields.pop();
      if (fields.length > 1 || fields[0].endsWith("1")) records.push(fields.join(","));
    }
    const state = { v: 2, k: course.id, t, z: level };
    const learner = (get(PREFIX + "learner") || {}).id;
    if (typeof learner === "string") state.l = learner.slice(0, 24);
    state.s = records.join(".");
    return JSON.stringify(state);
  };

  /* ---- suspend_data back into storage: what the course still has ---- */
  const restoreQuizzes = (lesson, part, options) => {
    const r = reader(part);
    for (const quiz of lesson.quizzes) {
      const answers = {}, first = {};
      quiz.options.forEach((n, qi) => {
        const f = r.get(2);
        const chosen = [];
        for (let o = 0; options && o < n; o++) if (r.get(1)) chosen.push(o);
        if (f === 1 || f === 2) first[qi] = locked[quiz.key + "|" + qi] = f === 1 ? 1 : 0;
        if (chosen.length) answers[qi] = chosen;
      });
      if (Object.keys(answers).length || Object.keys(first).length) put(quiz.key, { answers, first });
      if (Object.keys(answers).length) quiz.also.forEach((k) => put(k, { answers }));
    }
  };

  const restoreCards = (lesson, part, t, cards) => {
    const list = cardsOf(lesson);
    const r = reader(part);
    const marks = {};
    for (const { key, term } of list) {
      const m = r.get(2);
      marks[key] = marks[key] || {};
      if (m === 1) marks[key][term] = "known";
      else if (m === 2) marks[key][term] = "again";
    }
    for (const { term } of list) {
      const v = r.get(7);
      if (v) cards[`${lesson.id}|${term}`] = { box: Math.floor((v - 1) / 17) + 1, due: (t + ((v - 1) % 17)) * DAY };
    }
    for (const [key, m] of Object.entries(marks)) if (Object.keys(m).length) put(key, m);
  };

  const restore = (text) => {
    let s = null;
    try { s = JSON.parse(text); } catch (e) { s = null; }
    /* an earlier package's state (v 1) is positional over a course that may have changed; the
       course id (k) may differ (the course renamed): the codes and checks say what still exists */
    if (!s || s.v !== 2 || typeof s.s !== "string") return false;
    const level = Number(s.z) || 0; /* what the encoder dropped (encode) */
    const byCode = new Map(course.lessons.map((l) => [l.code, l]));
    const progress = {}, cards = {}, decks = {};
    const t = Number(s.t) || today();
    for (const record of s.s.split(".")) {
      const [head, quiz = "", deck = ""] = record.split(",");
      const lesson = byCode.get(head.slice(0, -1));
      if (!lesson) continue; /* a lesson this version does not have */
      if (head.endsWith("1")) progress[lesson.id] = true;
      if (quiz.startsWith(lesson.qc)) restoreQuizzes(lesson, quiz.slice(2), level <= 2);
      if (deck.startsWith(lesson.cc)) restoreCards(lesson, deck.slice(2), t, cards);
    }
    for (const lesson of course.lessons) {
      const terms = cardsOf(lesson).map(({ term }) => `${lesson.id}|${term}`);
      if (terms.length) decks[lesson.id] = terms;
    }
    put(PREFIX + "progress", progress);
    put(PREFIX + "review", { cards, decks });
    if (typeof s.l === "string" && s.l) put(PREFIX + "learner", { id: s.l });
    return true;
  };

  /* ---- what the LMS is told ---- */
  /* the score: each question's first check, right or not (widgets.js records it; a retry after
     a wrong answer, which shows the right one, does not change it) */
  const score = () => {
    let right = 0, total = 0, checked = 0;
    for (const lesson of course.lessons) {
      for (const quiz of lesson.quizzes) {
        quizState(quiz).forEach(({ first }, qi) => {
          total++;
          if (first === 0 || first === 1) {
            checked++;
            right += first;
            locked[quiz.key + "|" + qi] = first;
          }
        });
      }
    }
    return checked ? Math.round((100 * right) / Math.max(total, 1)) : null;
  };
  const completed = () => {
    const progress = get(PREFIX + "progress") || {};
    const done = course.lessons.filter((l) => progress[l.id] === true).length;
    return done / Math.max(course.lessons.length, 1) >= course.threshold;
  };
  const elapsed = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    if (!v12) return `PT${hh}H${mm}M${ss}S`;
    const two = (n) => String(n).padStart(2, "0");
    return `${String(hh).padStart(4, "0")}:${two(mm)}:${two(ss)}`;
  };

  if (!lms) {
    location.replace(course.start); /* no LMS: the package is the site */
    return;
  }
  const startedAt = Date.now();
  lms.init();
  let ended = false; /* after Terminate/LMSFinish the API takes no more calls (SCORM 2004 errors 133, 143) */
  const sent = {}; /* what the LMS holds, as last set: a value is set again only when it changes */
  let dirty = false, commitTimer = null, reportTimer = null;
  const set = (k, v) => {
    v = String(v);
    if (ended) return false;
    if (sent[k] === v) return true;
    const ok = String(lms.set(k, v)) === "true";
    if (ok) { sent[k] = v; dirty = true; }
    return ok;
  };
  const commit = () => {
    clearTimeout(commitTimer);
    commitTimer = null;
    if (ended || !dirty) return;
    dirty = false;
    lms.commit();
  };
  const limit = Number(course.limit) || (v12 ? 4096 : 64000);
  /* the fullest state the LMS takes: card schedules, marks, options chosen dropped in turn */
  const saveState = () => {
    for (let level = 0; level <= 4; level++) {
      const text = encode(level);
      if (text.length <= limit && set("cmi.suspend_data", text)) return level;
    }
    return -1;
  };
  const report = () => {
    clearTimeout(reportTimer);
    if (ended) return;
    saveState();
    const raw = score();
    if (raw !== null) {
      set(cmi.min, 0);
      set(cmi.max, 100);
      set(cmi.raw, raw);
      if (!v12) set("cmi.score.scaled", (raw / 100).toFixed(2));
    }
    set(cmi.status, completed() ? "completed" : "incomplete");
    if (dirty) { clearTimeout(commitTimer); commitTimer = setTimeout(commit, 2000); } /* 2 s after the last change */
  };

  clearOwn();
  const saved = lms.get("cmi.suspend_data");
  if (saved) restore(saved);
  sent["cmi.suspend_data"] = String(saved || "");
  for (const k of [cmi.status, cmi.where]) {
    try { sent[k] = String(lms.get(k)); } catch (e) { /* not readable: set when known */ }
  }
  window.addEventListener("storage", (e) => {
    if (e.key && !ours(e.key)) return; /* another course's */
    clearTimeout(reportTimer);
    reportTimer = setTimeout(report, 200);
  });
  frame.addEventListener("load", () => {
    try {
      const here = frame.contentWindow.location.href;
      if (here.startsWith(root.href)) set(cmi.where, here.slice(root.href.length).slice(0, 255));
    } catch (e) { /* a page of another origin: not ours to record */ }
  });
  /* the end, once: pagehide and beforeunload both come on most exits */
  const finish = () => {
    if (ended) return;
    report();
    set(cmi.time, elapsed(Date.now() - startedAt));
    set(cmi.exit, "suspend");
    dirty = true;
    commit();
    ended = true;
    clearTimeout(reportTimer);
    lms.finish();
  };
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && !ended) { report(); commit(); }
  });
  if (sent[cmi.status] === "not attempted" || sent[cmi.status] === "unknown" || sent[cmi.status] === "") report();
  const where = sent[cmi.where];
  frame.src = where && where !== "undefined" && !/^[a-z]+:|^\/|\.\./i.test(where) ? where : course.start;
  window.tracksiteScorm = { encode, restore, report, finish, score, saveState };
})();
