/* tracksite SCORM runtime, the learner's state (loaded before scorm.js, which calls it): what the
   course's pages keep in this browser's storage, written to suspend_data and read back into
   storage at launch.

   suspend_data (commands/export/scormstate.py lays it out): {"v":3,"k":course,"t":day,"z":level,
   "l":learner,"s":records,"c":code}, a record per lesson with any state,
   "<code><done>,<quiz part>,<cards part>", keyed by the lesson's code, so that a new version of
   the course keeps what still exists. Parts are bits, 6 a character. The quiz part: an entry per
   question or code exercise answered, its
   identity (6 bits of its text and options), its first check (2 bits: none, right, wrong) and the
   options chosen (a bit each): an edited question drops its own answer, no other. The cards part:
   two check characters of the lesson's terms, then per card its mark (2 bits) and its review
   schedule (7 bits: box and days until due, due at the start of its day). When the LMS refuses it
   (SCORM 1.2 keeps 4,096 characters), the card schedules go first, then the marks, then the
   options chosen; lessons done and first checks stay. "n": each code exercise's Checks and
   whether its solution was opened (an author's `show_solution: after N checks`), kept with the
   options chosen and dropped with them (keepChecks). In the room left, "c": the learner's code
   per exercise (its fingerprint: the code), as much of it as fits (SCORM 2004's 64,000
   characters hold most courses' code; 1.2's 4,096, some), dropped before anything else; before
   it, in a track's package, the other tracks' lessons (their links work) as whole records.
   "d": 1 once the course was completed (it stays so). */
window.tracksiteScormState = (env) => {
  "use strict";
  const { course, ls, get, put, ns, limit, completed, onCompleted } = env;
  const PREFIX = "tracksite:";
  const DAY = 24 * 60 * 60 * 1000;
  const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

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
    if (completed()) state.d = 1; /* the course was completed: it stays so (scorm.js's wasCompleted) */
    const learner = (get(PREFIX + "learner") || {}).id;
    if (typeof learner === "string") state.l = learner.slice(0, 24);
    state.s = records.join(".");
    if (level <= 2) keepChecks(state);
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

  /* each code exercise's Checks and whether its solution was opened (runnable.js's
     "tracksite:checks:<place>", the place 12 hex digits: core/widgets/runnable/body.py's code_key),
     for an author's `show_solution: after N checks`: "n", 14 characters an exercise, its place
     and 2 characters (the Checks, at most 2,047, and a bit for opened); kept with the answers
     (levels 0-2), dropped with the options chosen, before the first checks */
  const CHECKS = PREFIX + "checks:";
  const keepChecks = (state) => {
    if (!ls) return;
    let out = "";
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (!k || !k.startsWith(ns(CHECKS))) continue;
      const fp = k.slice(ns(CHECKS).length), v = get(CHECKS + fp) || {};
      const value = Math.min(2047, Math.max(0, Math.floor(Number(v.n)) || 0)) * 2 + (v.seen === true ? 1 : 0);
      if (/^[0-9a-f]{12}$/.test(fp) && value) out += fp + ALPHABET[value >> 6] + ALPHABET[value & 63];
    }
    if (out) state.n = out;
  };
  const restoreChecks = (text) => {
    for (let i = 0; i + 14 <= text.length; i += 14) {
      const fp = text.slice(i, i + 12), hi = ALPHABET.indexOf(text[i + 12]), lo = ALPHABET.indexOf(text[i + 13]);
      if (!/^[0-9a-f]{12}$/.test(fp) || hi < 0 || lo < 0) continue;
      const value = hi * 64 + lo;
      put(CHECKS + fp, value & 1 ? { n: value >> 1, seen: true } : { n: value >> 1 });
    }
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
    if (s.d === 1) onCompleted();
    if (typeof s.n === "string") restoreChecks(s.n);
    if (s.c && typeof s.c === "object") {
      for (const [fp, code] of Object.entries(s.c)) if (/^[\w-]{1,64}$/.test(fp) && typeof code === "string") put(CODE + fp, { code });
    }
    return true;
  };

  return { encode, restore, questionState, locked, reported, CODE };
};
