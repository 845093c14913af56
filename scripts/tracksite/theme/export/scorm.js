/* tracksite SCORM runtime, on the package's launch page (scorm-launch.html, written by
   tracksite export scorm). The whole course is one SCO: this page holds the LMS session and shows
   the course's pages in a frame, so that moving between pages neither ends nor restarts it.

   It finds the LMS's API (API for SCORM 1.2, API_1484_11 for 2004) up the chain of parent
   windows and then the opener's, as the SCORM run-time environment describes; without one the
   launch page simply opens the course (the package is also a plain site). With one: it
   initialises, puts the learner's saved state (suspend_data) into this browser's storage before
   the first page loads (replacing whatever another learner or course left there), and, whenever
   a page of the course saves progress (a storage event: lessons done, flashcards, quiz answers),
   writes the state back compactly, with the completion status per the course's rule and the
   quiz score (score.raw 0-100), and commits. On page hide it records the session time and ends
   the session.

   suspend_data is positional over the course's lessons, flashcard terms and quiz questions
   (scorm-course.js, written with the package): a 50-lesson course with every lesson done, every
   card scheduled and every question answered stays far below SCORM 1.2's 4,096 characters.
   The flashcard schedule keeps each card's box and its due day (a card due within the day is
   due at the day's start). */
(() => {
  "use strict";
  const course = window.tracksiteCourse;
  const frame = document.getElementById("ts-scorm-frame");
  const PREFIX = "tracksite:";
  const DAY = 24 * 60 * 60 * 1000;
  const root = new URL("../../", document.currentScript.src);

  let ls = null;
  try { ls = window.localStorage; } catch (e) { ls = null; }
  const get = (k) => {
    try {
      const v = JSON.parse(ls.getItem(k));
      return v && typeof v === "object" && !Array.isArray(v) ? v : null;
    } catch (e) { return null; }
  };
  const put = (k, v) => { try { ls.setItem(k, JSON.stringify(v)); } catch (e) { /* full or off */ } };
  const ours = () => {
    const out = [];
    if (!ls) return out;
    for (let i = 0; i < ls.length; i++) { const k = ls.key(i); if (k && k.startsWith(PREFIX)) out.push(k); }
    return out;
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
    init: () => api.LMSInitialize(""), get: (k) => api.LMSGetValue(k), set: (k, v) => api.LMSSetValue(k, String(v)),
    commit: () => api.LMSCommit(""), finish: () => api.LMSFinish(""),
  } : {
    init: () => api.Initialize(""), get: (k) => api.GetValue(k), set: (k, v) => api.SetValue(k, String(v)),
    commit: () => api.Commit(""), finish: () => api.Terminate(""),
  };
  const cmi = v12 ? {
    status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
    max: "cmi.core.score.max", time: "cmi.core.session_time", exit: "cmi.core.exit", where: "cmi.core.lesson_location",
  } : {
    status: "cmi.completion_status", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", time: "cmi.session_time", exit: "cmi.exit", where: "cmi.location",
  };

  /* ---- the state, compact ---- */
  const cardsKeys = (i) => {
    const page = new URL(course.lessons[i] + "/", root);
    return [PREFIX + "cards:" + page.pathname + "index.html", PREFIX + "cards:" + page.pathname];
  };
  const today = () => Math.floor(Date.now() / DAY);

  const encode = () => {
    const progress = get(PREFIX + "progress") || {};
    const done = course.lessons.map((id) => (progress[id] === true ? 1 : 0));
    let d = "";
    for (let i = 0; i < done.length; i += 4) d += (done[i] | (done[i + 1] << 1) | (done[i + 2] << 2) | (done[i + 3] << 3)).toString(16);
    const t = today();
    const review = (get(PREFIX + "review") || {}).cards || {};
    const r = course.lessons.map((id, i) => course.terms[i].map((term) => {
      const c = review[`${id}|${term}`];
      if (!c || !(c.box >= 1)) return "00";
      const ahead = Math.min(35, Math.max(0, Math.ceil(Number(c.due) / DAY) - t));
      return String(Math.min(9, c.box)) + ahead.toString(36);
    }).join("").replace(/(00)+$/, ""));
    const c = course.lessons.map((id, i) => {
      const keys = cardsKeys(i);
      const marks = get(keys[0]) || get(keys[1]) || {};
      return course.terms[i].map((term) => (marks[term] === "known" ? "k" : marks[term] === "again" ? "a" : "0"))
        .join("").replace(/0+$/, "");
    });
    const q = course.quizzes.map(([key, n]) => {
      const answers = (get(key) || {}).answers || {};
      const out = [];
      for (let qi = 0; qi < n; qi++) {
        const a = answers[qi];
        out.push(Array.isArray(a) ? a.map((x) => Number(x).toString(36)).join("") : "");
      }
      return out.join(".").replace(/\.+$/, "");
    });
    const trim = (list) => { while (list.length && !list[list.length - 1]) list.pop(); return list; };
    const learner = (get(PREFIX + "learner") || {}).id;
    const state = { v: 1, t, d: d.replace(/0+$/, ""), r: trim(r), c: trim(c), q: trim(q) };
    if (typeof learner === "string") state.l = learner.slice(0, 24);
    return JSON.stringify(state);
  };

  const restore = (text) => {
    let s = null;
    try { s = JSON.parse(text); } catch (e) { s = null; }
    if (!s || s.v !== 1) return false;
    const progress = {};
    course.lessons.forEach((id, i) => {
      if ((parseInt((s.d || "")[i >> 2] || "0", 16) >> (i & 3)) & 1) progress[id] = true;
    });
    put(PREFIX + "progress", progress);
    const cards = {}, decks = {};
    course.lessons.forEach((id, i) => {
      const row = (s.r || [])[i] || "";
      decks[id] = course.terms[i].map((term) => `${id}|${term}`);
      course.terms[i].forEach((term, n) => {
        const box = Number(row[2 * n] || 0);
        if (box >= 1) cards[`${id}|${term}`] = { box, due: (Number(s.t) + parseInt(row[2 * n + 1] || "0", 36)) * DAY };
      });
      const marks = {}, m = (s.c || [])[i] || "";
      course.terms[i].forEach((term, n) => {
        if (m[n] === "k") marks[term] = "known";
        else if (m[n] === "a") marks[term] = "again";
      });
      if (Object.keys(marks).length) cardsKeys(i).forEach((k) => put(k, marks));
    });
    put(PREFIX + "review", { cards, decks });
    course.quizzes.forEach(([key, n], i) => {
      const parts = ((s.q || [])[i] || "").split(".");
      const answers = {};
      for (let qi = 0; qi < n; qi++) {
        if (parts[qi]) answers[qi] = Array.from(parts[qi], (ch) => parseInt(ch, 36));
      }
      if (Object.keys(answers).length) put(key, { answers });
    });
    if (typeof s.l === "string" && s.l) put(PREFIX + "learner", { id: s.l });
    return true;
  };

  /* ---- what the LMS is told ---- */
  const same = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
  const score = () => {
    let right = 0, total = 0, answered = 0;
    for (const [key, n, correct] of course.quizzes) {
      const answers = (get(key) || {}).answers || {};
      for (let qi = 0; qi < n; qi++) {
        total++;
        if (Array.isArray(answers[qi])) {
          answered++;
          if (same(answers[qi].map(Number), correct[qi])) right++;
        }
      }
    }
    return answered ? Math.round((100 * right) / Math.max(total, 1)) : null;
  };
  const completed = () => {
    const progress = get(PREFIX + "progress") || {};
    const done = course.lessons.filter((id) => progress[id] === true).length;
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
  for (const k of ours()) ls.removeItem(k);
  const saved = lms.get("cmi.suspend_data");
  if (saved) restore(saved);
  const report = () => {
    lms.set("cmi.suspend_data", encode());
    const raw = score();
    if (raw !== null) {
      lms.set(cmi.min, 0);
      lms.set(cmi.max, 100);
      lms.set(cmi.raw, raw);
      if (!v12) lms.set("cmi.score.scaled", (raw / 100).toFixed(2));
    }
    lms.set(cmi.status, completed() ? "completed" : "incomplete");
    lms.commit();
  };
  let pending = null;
  window.addEventListener("storage", (e) => {
    if (e.key && !e.key.startsWith(PREFIX)) return;
    clearTimeout(pending);
    pending = setTimeout(report, 200);
  });
  frame.addEventListener("load", () => {
    try {
      const here = frame.contentWindow.location.href;
      if (here.startsWith(root.href)) lms.set(cmi.where, here.slice(root.href.length).slice(0, 255));
    } catch (e) { /* a page of another origin: not ours to record */ }
  });
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(pending);
    report();
    lms.set(cmi.time, elapsed(Date.now() - startedAt));
    lms.set(cmi.exit, "suspend");
    lms.commit();
    lms.finish();
  };
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") report(); });
  if (lms.get(cmi.status) === "not attempted" || lms.get(cmi.status) === "unknown") report();
  const where = lms.get(cmi.where);
  frame.src = where && !/^[a-z]+:|^\/|\.\./i.test(where) ? where : course.start;
  window.tracksiteScorm = { encode, restore, report, finish, score };
})();
