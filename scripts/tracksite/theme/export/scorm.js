/* tracksite SCORM runtime, on the package's launch page (scorm-launch.html, written by
   tracksite export scorm). The whole course is one SCO: this page holds the LMS session and shows
   the course's pages in a frame, so that moving between pages neither ends nor restarts it.

   It finds the LMS's API (API for SCORM 1.2, API_1484_11 for 2004) up the chain of parent
   windows and then the opener's, as the SCORM run-time environment describes; without one the
   launch page opens the course in its frame under a line saying that nothing is recorded (the
   package is also a plain site). With one: it
   initialises, puts the learner's saved state (suspend_data) into this browser's storage before
   the first page loads, and, whenever a page of the course saves progress (a storage event),
   tells the LMS what changed: the state, the completion status per the course's rule, the quiz
   score. It commits 2 s after the last change, when the page is hidden and once at exit, and
   calls nothing after the session ended.

   Storage: only the course's own namespace ("tracksite:<id>:", widgets.js: the course's id bound
   to the package's address), replaced at launch but for the learner's code (what did not fit
   suspend_data is kept only there): an LMS serves every package from one origin, each activity
   from a path of its own, and another activity's state stays as it is.

   suspend_data (commands/export/scormstate.py lays it out): {"v":3,"k":course,"t":day,"z":level,
   "l":learner,"s":records,"c":code}, a record per lesson with any state,
   "<code><done>,<quiz part>,<cards part>", keyed by the lesson's code, so that a new version of
   the course keeps what still exists. Parts are bits, 6 a character. The quiz part: an entry per question or code exercise answered, its
   identity (6 bits of its text and options), its first check (2 bits: none, right, wrong) and the
   options chosen (a bit each): an edited question drops its own answer, no other. The cards part:
   two check characters of the lesson's terms, then per card its mark (2 bits) and its review
   schedule (7 bits: box and days until due, due at the start of its day). When the LMS refuses it
   (SCORM 1.2 keeps 4,096 characters), the card schedules go first, then the marks, then the
   options chosen; lessons done and first checks stay. In the room left, "c": the learner's code
   per exercise (its fingerprint: the code), as much of it as fits (SCORM 2004's 64,000
   characters hold most courses' code; 1.2's 4,096, some), dropped before anything else. Each
   first check is also reported as an interaction (cmi.interactions.n), once. */
(() => {
  "use strict";
  const course = window.tracksiteCourse;
  const frame = document.getElementById("ts-scorm-frame");
  const PREFIX = "tracksite:";
  const root = new URL("../../", document.currentScript.src);
  /* the pages' namespace: the course's id bound to the package's address (widgets.js's `placed`):
     each LMS activity serves the package from a path of its own, and keeps its own state */
  const placed = (id, where) => {
    let a = 2166136261;
    const text = id + "\n" + where;
    for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
    return (a >>> 0).toString(16).padStart(8, "0");
  };
  const OWN = PREFIX + (course.id ? placed(course.id, root.href) + ":" : "");
  const DAY = 24 * 60 * 60 * 1000;
  const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

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
  /* at launch the LMS's state replaces this browser's, but for the learner's code: what did not
     fit suspend_data lives only here (keepCode), and the code the LMS has replaces its own */
  const clearOwn = () => {
    if (!ls) return;
    const out = [];
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (k && ours(k) && !k.startsWith(ns(CODE))) out.push(k);
    }
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
    const total = text.length * 6;
    const bit = (i) => { const v = ALPHABET.indexOf(text[i / 6 | 0] || "0"); return v < 0 ? 0 : (v >> (5 - (i % 6))) & 1; };
    const peek = (at, n) => { let v = 0; for (let i = 0; i < n; i++) v = (v << 1) | bit(at + i); return v; };
    const r = {
      pos: 0,
      get: (n) => { const v = peek(r.pos, n); r.pos += n; return v; },
      peek,
      /* nothing but zeros from `at` on: the writer strips them, no entry is all zeros */
      ended: (at) => { for (let i = at; i < total; i++) if (bit(i)) return false; return true; },
    };
    return r;
  };

  /* ---- the state in storage, per lesson ---- */
  /* days as the learner's clock counts them: a card due on the 30th in Los Angeles stays due on
     the 30th (UTC days moved it a day earlier) */
  const dayOf = (ms) => Math.floor((ms - new Date(ms).getTimezoneOffset() * 60000) / DAY);
  const startOf = (day) => { const ms = day * DAY; return ms + new Date(ms).getTimezoneOffset() * 60000; };
  const today = () => dayOf(Date.now());
  const cardsOf = (lesson) => lesson.decks.flatMap(([key, terms]) => terms.map((term) => ({ key, term })));
  /* first checks reported to the LMS: never changed afterwards (a progress file loaded, a reset) */
  const locked = {};
  const reported = {}; /* questions whose result the LMS has (interactions, below) */
  /* a question's or code exercise's state (widgets.js, runnable.js: {answers: {0: chosen},
     first: {0: 1 or 0}}), read from its key and its copies' (a track's exercise pack) */
  const questionState = (q) => {
    const copies = [q.key, ...q.also].map((k) => get(k) || {});
    const a = (copies.find((c) => Array.isArray((c.answers || {})[0])) || { answers: {} }).answers[0] || [];
    let first = locked[q.key];
    if (first === undefined) {
      const seen = copies.map((c) => (c.first || {})[0]).filter((f) => f === 0 || f === 1);
      if (seen.length) first = Math.min(...seen); /* which copy came first is unknown: the lower */
    }
    const chosen = a.map(Number).filter((x) => x >= 0 && x < q.n);
    return { first, chosen };
  };

  /* an entry per question answered: its identity (IDENT bits), its first check (2 bits: none,
     right, wrong) and, at levels 0-2, the options chosen (a bit each); no check characters */
  const IDENT = 6;
  const quizPart = (lesson, level) => {
    if (level > 3) return "";
    const w = writer();
    for (const q of lesson.questions) {
      const { first, chosen } = questionState(q);
      const f = first === 1 ? 1 : first === 0 ? 2 : 0;
      if (!f && (level > 2 || !chosen.length)) continue;
      w.put(q.h, IDENT);
      w.put(f, 2);
      if (level <= 2) for (let o = 0; o < q.n; o++) w.put(chosen.includes(o) ? 1 : 0, 1);
    }
    return w.text();
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
        const ahead = box >= 1 ? Math.min(16, Math.max(0, dayOf(Number(c.due)) - t)) : 0;
        w.put(box >= 1 ? (box - 1) * 17 + ahead + 1 : 0, 7);
      }
    }
    const bits = w.text();
    return bits ? lesson.cc + bits : "";
  };

  /* a lesson's record, "<code><done>,<quiz part>,<cards part>", or "" when it has no state */
  const recordOf = (lesson, level, progress, review, t) => {
    const fields = [lesson.code + (progress[lesson.id] === true ? "1" : "0"),
      quizPart(lesson, level), cardsPart(lesson, level, review, t)];
    while (fields.length > 1 && !fields[fields.length - 1]) fields.pop();
    return fields.length > 1 || fields[0].endsWith("1") ? fields.join(",") : "";
  };
  const encode = (level = 0) => {
    const progress = get(PREFIX + "progress") || {};
    const review = (get(PREFIX + "review") || {}).cards || {};
    const t = today();
    const records = course.lessons.map((lesson) => recordOf(lesson, level, progress, review, t)).filter(Boolean);
    const state = { v: 3, k: course.id, t, z: level };
    if (completed()) state.d = 1; /* the course was completed: it stays so (wasCompleted) */
    const learner = (get(PREFIX + "learner") || {}).id;
    if (typeof learner === "string") state.l = learner.slice(0, 24);
    state.s = records.join(".");
    if (level === 0) {
      keepElsewhere(state, progress, review, t);
      keepCode(state);
    }
    return JSON.stringify(state);
  };
  /* a track's package holds the other tracks' lessons too (their links work): what the learner
     does there is kept, whole records in the room the track's own state leaves (before the code),
     and counts for neither completion nor score */
  const keepElsewhere = (state, progress, review, t) => {
    let room = limit - JSON.stringify(state).length;
    const kept = [];
    for (const lesson of course.elsewhere || []) {
      const record = recordOf(lesson, 0, progress, review, t);
      if (!record || record.length + 1 > room) continue;
      kept.push(record);
      room -= record.length + 1;
    }
    if (kept.length) state.s += (state.s ? "." : "") + kept.join(".");
  };
  /* the learner's code per exercise (runnable.js's "tracksite:code:<fingerprint>"), in "c", in
     the room the rest leaves: never in place of progress or a check (level 0 only, so the
     encoder's next level drops it first); an exercise's code that does not fit stays in this
     browser only */
  const CODE = PREFIX + "code:";
  const keepCode = (state) => {
    if (!ls) return;
    let room = limit - JSON.stringify(state).length - ',"c":{}'.length;
    const kept = {};
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (!k || !k.startsWith(ns(CODE))) continue;
      const fp = k.slice(ns(CODE).length), code = (get(CODE + fp) || {}).code;
      if (typeof code !== "string" || !/^[\w-]{1,64}$/.test(fp)) continue;
      const size = JSON.stringify(fp).length + JSON.stringify(code).length + 2; /* ":" and "," */
      if (size > room) continue;
      kept[fp] = code;
      room -= size;
    }
    if (Object.keys(kept).length) state.c = kept;
  };

  /* ---- suspend_data back into storage: what the course still has ---- */
  const restoreQuestion = (q, f, chosen) => {
    const value = {};
    if (chosen.length) value.answers = { 0: chosen };
    if (f === 1 || f === 2) value.first = { 0: (locked[q.key] = f === 1 ? 1 : 0) };
    if (f === 1 || f === 2) reported[q.key] = true;
    if (!Object.keys(value).length) return;
    put(q.key, value);
    if (chosen.length) q.also.forEach((k) => put(k, { answers: { 0: chosen } }));
  };
  /* each entry goes to the question of this version with its identity (the first not taken: two
     may share 6 bits); an entry of a question this version changed or lost is skipped, its length
     found by where the next entry of a known question starts */
  const restoreQuizzes = (lesson, part, options) => {
    const r = reader(part);
    const free = lesson.questions.slice();
    const known = (at) => free.some((q) => q.h === r.peek(at, IDENT));
    while (!r.ended(r.pos)) {
      const h = r.get(IDENT), f = r.get(2);
      const at = free.findIndex((q) => q.h === h);
      if (at >= 0) {
        const q = free.splice(at, 1)[0];
        const chosen = [];
        for (let o = 0; options && o < q.n; o++) if (r.get(1)) chosen.push(o);
        restoreQuestion(q, f, chosen);
      } else if (options) {
        let n = 1;
        while (n <= 12 && !r.ended(r.pos + n) && !known(r.pos + n)) n++;
        if (n > 12) return;
        r.pos += n;
      }
    }
  };
  /* a package's state of version 2: one check over the lesson's quizzes, questions by position */
  const restoreV2 = (lesson, part, options) => {
    const r = reader(part);
    for (const q of lesson.questions) {
      const f = r.get(2), chosen = [];
      for (let o = 0; options && o < q.n; o++) if (r.get(1)) chosen.push(o);
      restoreQuestion(q, f, chosen);
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
      if (v) cards[`${lesson.id}|${term}`] = { box: Math.floor((v - 1) / 17) + 1, due: startOf(t + ((v - 1) % 17)) };
    }
    for (const [key, m] of Object.entries(marks)) if (Object.keys(m).length) put(key, m);
  };

  const restore = (text) => {
    let s = null;
    try { s = JSON.parse(text); } catch (e) { s = null; }
    /* an earlier package's state (v 1) is positional over a course that may have changed; the
       course id (k) may differ (the course renamed): the codes and checks say what still exists */
    if (!s || (s.v !== 2 && s.v !== 3) || typeof s.s !== "string") return false;
    const level = Number(s.z) || 0; /* what the encoder dropped (encode) */
    const all = [...course.lessons, ...(course.elsewhere || [])];
    const byCode = new Map(all.map((l) => [l.code, l]));
    const progress = {}, cards = {}, decks = {};
    const t = Number(s.t) || today();
    for (const record of s.s.split(".")) {
      const [head, quiz = "", deck = ""] = record.split(",");
      const lesson = byCode.get(head.slice(0, -1));
      if (!lesson) continue; /* a lesson this version does not have */
      if (head.endsWith("1")) progress[lesson.id] = true;
      if (s.v === 3) restoreQuizzes(lesson, quiz, level <= 2);
      else if (quiz.startsWith(lesson.qc)) restoreV2(lesson, quiz.slice(2), level <= 2);
      if (deck.startsWith(lesson.cc)) restoreCards(lesson, deck.slice(2), t, cards);
    }
    for (const lesson of all) {
      const terms = cardsOf(lesson).map(({ term }) => `${lesson.id}|${term}`);
      if (terms.length) decks[lesson.id] = terms;
    }
    put(PREFIX + "progress", progress);
    put(PREFIX + "review", { cards, decks });
    if (typeof s.l === "string" && s.l) put(PREFIX + "learner", { id: s.l });
    if (s.d === 1) wasCompleted = true;
    if (s.c && typeof s.c === "object") {
      for (const [fp, code] of Object.entries(s.c)) if (/^[\w-]{1,64}$/.test(fp) && typeof code === "string") put(CODE + fp, { code });
    }
    return true;
  };

  /* ---- what the LMS is told ---- */
  /* the score: each question's first check, right or not (widgets.js records it; a retry after
     a wrong answer, which shows the right one, does not change it) */
  const score = () => {
    let right = 0, total = 0, checked = 0;
    for (const lesson of course.lessons) {
      for (const q of lesson.questions) {
        const { first } = questionState(q);
        total++;
        if (first === 0 || first === 1) {
          checked++;
          right += first;
          locked[q.key] = first;
        }
      }
    }
    return checked ? Math.round((100 * right) / Math.max(total, 1)) : null;
  };
  /* a course the LMS holds as completed stays so: a new version's added lesson does not take it
     back (the learner finished the course they were given) */
  let wasCompleted = false;
  const completed = () => {
    const progress = get(PREFIX + "progress") || {};
    const done = course.lessons.filter((l) => progress[l.id] === true).length;
    return wasCompleted || done / Math.max(course.lessons.length, 1) >= course.threshold;
  };
  const elapsed = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    if (!v12) return `PT${hh}H${mm}M${ss}S`;
    const two = (n) => String(n).padStart(2, "0");
    return `${String(hh).padStart(4, "0")}:${two(mm)}:${two(ss)}`;
  };

  if (!lms) {
    /* no LMS (opened as a plain site, or hosted on another origin than the LMS's page, where its
       API cannot be reached): the course still works, and a line says that nothing is recorded */
    const alone = document.getElementById("ts-scorm-alone");
    if (alone) alone.hidden = false;
    frame.src = course.start;
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
  /* ---- each question's result, as SCORM interactions (the LMS's item analysis) ---- */
  /* one per question or code exercise at its first check (what the score counts), sent once:
     a first check restored from suspend_data was sent by the session that made it */
  const LETTERS = "abcdefghijkl";
  let nextInteraction = 0, lastSeen = Date.now();
  /* 1.2: the learner's time of day (CMITime); 2004: a date and time with the learner's offset
     from UTC, which SCORM's (and Moodle's) time type takes only after fractions of a second */
  const stamp = (ms) => {
    const d = new Date(ms), two = (n) => String(n).padStart(2, "0");
    const hms = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    if (v12) return hms;
    const off = -d.getTimezoneOffset(), abs = Math.abs(off);
    const zone = off === 0 ? "Z" : `${off < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${hms}.0${zone}`;
  };
  /* a response in terms of the options as the instructor wrote them: 1.2 by letter (single
     characters there), 2004 by the option's identifier (letter and first words, scormstate) */
  const named = (q, places) => places.map((i) => (v12 ? LETTERS[i] : (q.options || [])[i] || LETTERS[i])).join(v12 ? "," : "[,]");
  const interactions = () => {
    const now = Date.now();
    for (const lesson of course.lessons) {
      for (const q of lesson.questions) {
        if (reported[q.key]) continue;
        const { first, chosen } = questionState(q);
        if (first !== 0 && first !== 1) continue;
        reported[q.key] = true;
        const p = `cmi.interactions.${nextInteraction}.`;
        if (!set(p + "id", q.id)) continue;
        nextInteraction++;
        const code = q.type === "code";
        set(p + "type", code ? (v12 ? "performance" : "other") : "choice");
        if (!code) set(p + "correct_responses.0.pattern", named(q, q.right));
        set(p + (v12 ? "student_response" : "learner_response"), code ? "passed" : named(q, chosen));
        set(p + "result", first === 1 ? "correct" : v12 ? "wrong" : "incorrect");
        set(p + "weighting", 1);
        /* the time since the page was opened, or since the learner's previous check */
        set(p + "latency", elapsed(now - lastSeen));
        set(p + (v12 ? "time" : "timestamp"), stamp(now));
        if (!v12 && q.text) set(p + "description", q.text);
        lastSeen = now;
      }
    }
  };
  /* With a mastery score (export --mastery) a course is passed or failed once it is completed,
     never before. SCORM 1.2 has one status for both, and an LMS decides it itself: Moodle's
     LMSFinish (mod/scorm/datamodels/scorm_12.js, StoreData) makes the status passed or failed
     whenever the manifest has a mastery score and cmi.core.score.raw is set, whatever the package
     said, and its "Force completed" makes an incomplete status with a score completed
     (locallib.php, scorm_insert_track). So in 1.2 with a mastery score, no score is sent before
     the course is completed: an unfinished learner stays incomplete. SCORM 2004 keeps
     cmi.success_status apart: unknown until the course is completed. */
  const withheld = () => v12 && course.mastery != null && !completed();
  const report = () => {
    clearTimeout(reportTimer);
    if (ended || passive) return;
    saveState();
    const done = completed();
    let raw = score();
    /* a course completed without a question checked scores 0 of its questions */
    if (raw === null && done && course.mastery != null && course.lessons.some((l) => l.questions.length)) raw = 0;
    if (raw !== null && !withheld()) {
      set(cmi.min, 0);
      set(cmi.max, 100);
      set(cmi.raw, raw);
      if (!v12) set("cmi.score.scaled", (raw / 100).toFixed(2));
    }
    const success = course.mastery == null || raw === null || !done ? null : raw >= course.mastery ? "passed" : "failed";
    if (v12) set(cmi.status, done ? (success || "completed") : "incomplete");
    else {
      set(cmi.status, done ? "completed" : "incomplete");
      if (course.mastery != null) set("cmi.success_status", success || "unknown");
    }
    interactions();
    if (dirty) {
      lease(); /* this window is open and recording (a report that changed nothing writes nothing) */
      clearTimeout(commitTimer);
      commitTimer = setTimeout(commit, 2000); /* 2 s after the last change */
    }
  };

  /* two windows of one activity (a learner who opens it twice) share this browser's storage: the
     newer launch records, the older one stops (a line says so), and a launch that finds another
     still open keeps the browser's state, newer than what the LMS has committed, rather than
     replacing it (the other window would then have reported the loss) */
  const LAUNCH = PREFIX + "launch";
  const me = { token: Math.random().toString(36).slice(2), since: Date.now() };
  let passive = false;
  const other = get(LAUNCH);
  const open = other && !other.ended && other.token !== me.token && Date.now() - Number(other.at) < 60000;
  const lease = (ended = false) => put(LAUNCH, { ...me, at: Date.now(), ended });
  const saved = lms.get("cmi.suspend_data");
  if (!open) {
    clearOwn();
    if (saved) restore(saved);
  } else {
    /* the other window reported the checks made so far: none is sent twice */
    for (const lesson of course.lessons) for (const q of lesson.questions) if (questionState(q).first !== undefined) reported[q.key] = true;
  }
  lease();
  const yieldTo = () => {
    passive = true;
    clearTimeout(reportTimer);
    commit(); /* what this window set: the newer one records from here on */
    const line = document.getElementById("ts-scorm-elsewhere");
    if (line) line.hidden = false;
  };
  sent["cmi.suspend_data"] = String(saved || "");
  /* what the LMS holds already is not sent again (a relaunch re-sent the score) */
  for (const k of [cmi.status, cmi.where, cmi.raw, cmi.min, cmi.max, ...(v12 ? [] : ["cmi.score.scaled", "cmi.success_status"])]) {
    try { sent[k] = String(lms.get(k)); } catch (e) { /* not readable: set when known */ }
  }
  /* completed before: this package said so (suspend_data's "d"), or the LMS holds "completed".
     Not "passed" or "failed": Moodle sets those itself at LMSFinish from a score alone (an
     earlier package's unfinished learner is stored failed), so they say nothing of completion */
  wasCompleted = wasCompleted || sent[cmi.status] === "completed";
  nextInteraction = Number(lms.get("cmi.interactions._count")) || 0;
  window.addEventListener("storage", (e) => {
    if (e.key && !ours(e.key)) return; /* another course's */
    if (e.key === ns(LAUNCH)) {
      const newer = get(LAUNCH);
      if (!passive && newer && newer.token !== me.token && !newer.ended && Number(newer.since) >= me.since) yieldTo();
      return;
    }
    clearTimeout(reportTimer);
    reportTimer = setTimeout(report, 200);
  });
  frame.addEventListener("load", () => {
    try {
      const here = frame.contentWindow.location.href;
      if (here.startsWith(root.href)) set(cmi.where, here.slice(root.href.length).slice(0, 255));
      lastSeen = Date.now();
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
    if (!passive && (get(LAUNCH) || {}).token === me.token) lease(true);
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
