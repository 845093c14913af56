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
   suspend_data is kept only there) and the note of the interpreter's saved memory (not the
   learner's: without it each launch started Python afresh): an LMS serves every package from one origin, each activity
   from a path of its own, and another activity's state stays as it is.

   suspend_data: scorm-state.js lays it out and reads it back. Each
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
     fit suspend_data lives only here (keepCode), and the code the LMS has replaces its own; and
     but for the digest of the interpreter's saved memory (runnable-sandbox.js), which is no
     learner's state: a relaunch's Python starts from that memory, not afresh */
  const MEMORY = ns(PREFIX + "python-memory");
  const clearOwn = () => {
    if (!ls) return;
    const out = [];
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (k && ours(k) && !k.startsWith(ns(CODE)) && k !== MEMORY) out.push(k);
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

  /* ---- the learner's state: suspend_data to storage and back (scorm-state.js) ---- */
  const limit = Number(course.limit) || (v12 ? 4096 : 64000);
  const { encode, restore, questionState, locked, reported, CODE } = window.tracksiteScormState({
    course, ls, get, put, ns, limit,
    completed: () => completed(), /* below: the course's rule */
    onCompleted: () => { wasCompleted = true; },
  });

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
