/* tracksite: progress that travels. On the home page (partials/home.html), a learner saves
   everything this browser keeps of the course (lessons done, the flashcard schedule, flashcard
   marks, quiz answers: the course's entries of localStorage that widgets.js, progress.js and
   learner.js write, named without the course's namespace) to a small JSON file, loads such a file in another browser, or resets it all.
   A loaded file is checked before anything is written: only "tracksite:" keys holding plain
   objects, within a size bound, are taken. The same state moves into and out of a SCORM
   package (tracksite export scorm; scorm.js). Uses widgets.js's helpers (window.tracksite). */
(() => {
  "use strict";
  const FORMAT = "tracksite-progress";
  const PREFIX = "tracksite:";
  const SKIP = new Set(["tracksite:probe", "tracksite:copied"]);
  const MAX_BYTES = 2 * 1024 * 1024; /* a course's state is kilobytes: a bigger file is not ours */

  /* the course's own keys (widgets.js keeps them under its namespace), named without it: a file
     saved here loads into another copy of the course, or one published before the namespace */
  const keys = () => window.tracksite.stored().filter((k) => !SKIP.has(k)).sort();
  const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  /* every entry of the course's state, parsed */
  const snapshot = () => {
    const state = {};
    for (const k of keys()) {
      const v = window.tracksite.load(k, null);
      if (plain(v)) state[k] = v;
    }
    return state;
  };

  /* what a file (or suspend_data) holds, checked: a list of problems, or the state */
  const check = (doc) => {
    if (!plain(doc) || doc.format !== FORMAT || !plain(doc.state)) {
      return { error: window.tracksite.t("tNotOurs") };
    }
    for (const [k, v] of Object.entries(doc.state)) {
      if (!k.startsWith(PREFIX) || k.length > 400 || SKIP.has(k) || !plain(v)) {
        return { error: window.tracksite.t("tStrange", { key: k.slice(0, 60) }) };
      }
    }
    return { state: doc.state };
  };

  /* the pages' scripts re-read their state on a storage event (another tab saving): one with no
     key says "everything changed" */
  const announce = () => {
    try { window.dispatchEvent(new StorageEvent("storage", { key: null })); } catch (e) { /* old browser */ }
  };

  const clear = () => {
    for (const k of keys()) window.tracksite.remove(k);
  };

  /* A quiz's first checks (widgets.js: what an LMS scores), and a code exercise's pass, are this browser's own: a file's
     never replaces them, so that a file cannot change a score (scorm.js reports first checks) */
  const restore = (state, replace) => {
    const firsts = {};
    for (const k of keys()) {
      const scored = k.startsWith("tracksite:quiz:") || k.startsWith("tracksite:runnable:"); /* runnable.js's too */
      const first = scored && window.tracksite.load(k, {}).first;
      if (plain(first)) firsts[k] = first;
    }
    if (replace) clear();
    for (const [k, v] of Object.entries(state)) {
      const { first, ...rest } = v;
      window.tracksite.save(k, firsts[k] ? { ...rest, first: firsts[k] } : rest);
    }
    for (const [k, first] of Object.entries(firsts)) {
      if (!(k in state)) window.tracksite.save(k, { ...window.tracksite.load(k, {}), first });
    }
    announce();
  };

  const toFile = () => JSON.stringify({ format: FORMAT, version: 1, course: document.title,
    saved: new Date().toISOString(), state: snapshot() });

  function start(root) {
    const status = root.querySelector(".ts-travel__status");
    const tell = (key, vars) => window.tracksite.say(status, window.tracksite.t(key, vars));
    const saveButton = root.querySelector("[data-ts-travel-save]");
    const loadInput = root.querySelector("[data-ts-travel-load]");
    const reset = root.querySelector("[data-ts-travel-reset]");
    /* the file input stays hidden: its button takes the focus, with the theme's focus ring */
    root.querySelector("[data-ts-travel-pick]").addEventListener("click", () => loadInput.click());
    root.hidden = false;
    saveButton.addEventListener("click", () => {
      const blob = new Blob([toFile()], { type: "application/json" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "course-progress.json";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      tell("tSaved");
    });
    loadInput.addEventListener("change", () => {
      const file = loadInput.files && loadInput.files[0];
      if (!file) return;
      if (file.size > MAX_BYTES) { tell("tTooBig"); return; }
      file.text().then((text) => {
        let doc = null;
        try { doc = JSON.parse(text); } catch (e) { doc = null; }
        const got = check(doc);
        if (got.error) { tell("tRefused", { why: got.error }); return; }
        restore(got.state, true);
        tell("tLoaded", { n: Object.keys(got.state).length });
      }).finally(() => { loadInput.value = ""; });
    });
    const label = reset.textContent;
    let armed = false;
    reset.addEventListener("click", () => {
      if (!armed) {
        armed = true;
        reset.textContent = window.tracksite.t("tConfirm");
        tell("tConfirmSay");
        return;
      }
      armed = false;
      reset.textContent = label;
      clear();
      announce();
      tell("tResetDone");
    });
    reset.addEventListener("blur", () => { armed = false; reset.textContent = label; });
  }

  /* loaded by the home page before widgets.js (the shared scripts close the body): it starts
     once they have run, and again on each page started in place (the dev server's update
     after a save), whose new roots only */
  const go = () => {
    for (const root of document.querySelectorAll("[data-ts-travel]")) {
      if (root.dataset.tsReady) continue;
      root.dataset.tsReady = "1";
      start(root);
    }
  };
  const boot = () => {
    if (!window.tracksite) return;
    window.tracksite.travel = { snapshot, check, restore, clear, FORMAT };
    window.tracksite.onPage(go);
  };
  if (window.tracksite) boot();
  else document.addEventListener("DOMContentLoaded", boot); /* deferred scripts all run before it */
})();
