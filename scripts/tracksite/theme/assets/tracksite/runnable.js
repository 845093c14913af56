/* tracksite /// runnable: editor, Run, Stop, Reset and Check over the build's HTML. Python runs
   in a Web Worker (runnable-worker.js) started when the learner shows intent (focus, a key, a
   pointer over the editor or Run), so a page whose learner runs nothing loads no interpreter;
   Stop and the time limit end it, and a fresh one starts at once from the browser's caches, so
   the next Run does not wait. A predict block with `runnable: true` gets the editor once its
   output is shown. The editor is CodeMirror 6 (runnable-editor.js), imported on these pages
   only; the learner's code is kept per exercise in this browser (codeStore). No inline code,
   no eval. */
(() => {
  "use strict";
  const { h, button, widget, t, load, save, remove, newId, setDisabled, isDisabled } = window.tracksite;
  const script = document.currentScript;
  const EDITOR = new URL("runnable-editor.js", script ? script.src : location.href);
  const SHOWN = 200000; /* characters of output a block shows */

  /* ---- the interpreter: one worker for the page, shared by its blocks ---- */
  const py = { worker: null, jobs: new Map(), ready: false, next: 0 };
  const stopAll = (why, detail) => {
    if (py.worker) py.worker.terminate();
    py.worker = null;
    py.ready = false;
    const jobs = Array.from(py.jobs.values());
    py.jobs.clear();
    jobs.forEach((job) => job.finish({ status: why, detail }));
    /* after Stop or the time limit the next Run should not wait: a fresh interpreter starts
       now, from the HTTP cache, Chromium's cache of compiled WebAssembly and the saved memory */
    delete document.documentElement.dataset.tsPython;
    delete document.documentElement.dataset.tsPythonStart;
    if (why === "stopped" || why === "timeout") setTimeout(startEarly, 0);
  };
  const STARTUP = 90; /* seconds Python may take to start before the run is given up */
  const startWorker = () => {
    let worker;
    try {
      /* in a sandboxed frame of an opaque origin, under a policy that allows no request
         (runnable-sandbox.js; docs/security.md, issue 81) */
      worker = window.tracksite.python();
    } catch (e) {
      py.failed = String((e && e.message) || e);
      return;
    }
    /* a worker that never says ready (WebAssembly refused by a server's policy) is given up */
    const limit = setTimeout(() => { if (py.worker === worker && !py.ready) stopAll("unavailable"); }, STARTUP * 1000);
    worker.onmessage = (e) => {
      const m = e.data || {};
      if (m.kind === "ready") {
        py.ready = true;
        clearTimeout(limit);
        /* how it started (the tests and the benchmark read it): from the memory an earlier
           start saved, or afresh */
        document.documentElement.dataset.tsPythonStart = m.restored ? "saved" : "fresh";
        return;
      }
      if (m.kind === "failed") { stopAll("unavailable", m.reason); return; }
      const job = py.jobs.get(m.id);
      if (!job) return;
      if (m.kind === "started") job.started();
      else if (m.kind === "out") job.out(m.stream, m.text);
      else if (m.kind === "done") { py.jobs.delete(m.id); job.finish(m.verdict || {}); }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const first = !py.ready; /* it never started: the policy forbade a blob: worker, or the module */
      stopAll("unavailable", first ? t("rnNeedsBlobWorker") : undefined);
    };
    py.worker = worker;
  };
  /* run {code, tests, expected}: callbacks started(), out(stream, text), finish(verdict) */
  const submit = (job, seconds) => {
    if (!py.worker) startWorker();
    if (!py.worker) { job.finish({ status: "unavailable", detail: py.failed }); return 0; }
    const id = ++py.next;
    let timer = null;
    const done = job.finish;
    job.finish = (verdict) => { clearTimeout(timer); done(verdict); };
    const started = job.started;
    job.started = () => {
      timer = setTimeout(() => { if (py.jobs.has(id)) stopAll("timeout"); }, seconds * 1000);
      started();
    };
    py.jobs.set(id, job);
    py.worker.postMessage({ id, code: job.code, tests: job.tests, expected: job.expected });
    return id;
  };

  /* ---- the learner's code, kept per exercise in this browser ---- */
  /* Under the course's storage namespace (widgets.js's save/load, as progress.js's keys), by the
     block's content fingerprint (the last part of its data-key): the same exercise in its lesson
     and in the track's exercise pack shares its code and its pass; an edited exercise starts
     afresh. Kept apart from the pass (data-key), which the LMS state carries. */
  const fingerprint = (key) => (key ? key.slice(key.lastIndexOf(":") + 1) : "");
  const codeStore = (key) => {
    const name = key ? "tracksite:code:" + fingerprint(key) : null;
    return {
      get: () => (name ? load(name, {}).code : undefined),
      set: (code) => { if (name) save(name, { code }); },
      clear: () => { if (name) remove(name); },
    };
  };
  const sharedPass = (key) => (key ? "tracksite:passed:" + fingerprint(key) : null);

  /* ---- starting early: a learner who has run code in this course is likely to run again ---- */
  /* Python takes seconds to start afresh, mostly CPython starting itself, and a second or less
     from the memory a first start saved (runnable-worker.js). A learner who ran code before (in
     any lesson of the course: a mark under its storage namespace) gets it started when a block
     comes into view; anyone else when they show intent (focus, a key, a pointer over the editor
     or Run). Either way the files come from the HTTP cache after the first lesson: no download
     on a page view. */
  const USED = "tracksite:runnable-used";
  /* a start before any Run; the page says how far it got (<html data-ts-python>: "starting",
     then "ready"), which the tests and the benchmark read */
  const startEarly = () => {
    if (py.worker || location.protocol === "file:") return;
    startWorker();
    const worker = py.worker;
    if (!worker) return;
    document.documentElement.dataset.tsPython = "starting";
    worker.addEventListener("message", (e) => {
      if (e.data && e.data.kind === "ready" && py.worker === worker) document.documentElement.dataset.tsPython = "ready";
    });
  };
  const warmWhenSeen = (roots) => {
    if (!load(USED, {}).ran || !("IntersectionObserver" in window) || location.protocol === "file:") return;
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen.disconnect();
      startEarly();
    }, { rootMargin: "200px" });
    roots.forEach((r) => seen.observe(r));
  };

  /* ---- the editor: CodeMirror, loaded once for the page ---- */
  let editorModule = null;
  const loadEditor = () => (editorModule = editorModule || import(EDITOR.href));

  /* the box, its visible label and keys; the highlighted code stays until CodeMirror is there,
     so a page whose module fails still shows the code (and runs what it shows) */
  function editor(code, title, shown, hooks) {
    const id = newId("ts-run-code");
    const holder = h("div", { class: "ts-run__cm" });
    const label = h("p", { id: id + "-label", class: "ts-run__label" }, t("rnEditor"));
    const keys = h("p", { id: id + "-keys", class: "ts-run__keys" }, t("rnKeys"));
    /* a printout gets the code whole as text (CodeMirror draws only the lines in view) */
    const print = h("pre", { class: "ts-run__print" });
    print.textContent = code;
    const box = h("div", { class: "ts-run__edit" }, label, holder, print, keys);
    if (shown) holder.append(shown);
    const ed = { box, value: code, ready: null, cm: null };
    /* a page opened as a file cannot import modules (nor run code): the highlighted code stays */
    if (location.protocol === "file:") return ed;
    ed.ready = loadEditor().then((m) => {
      holder.replaceChildren();
      box.classList.add("is-live");
      ed.cm = m.createEditor({
        parent: holder, doc: ed.value, label: t("rnOf", { what: t("rnEditor"), title }),
        describedBy: id + "-keys", onRun: hooks.onRun, onIntent: hooks.onIntent,
        onChange: (text) => { ed.value = text; print.textContent = text; hooks.onChange(text); },
      });
      return ed.cm;
    }, (e) => { keys.textContent = t("rnLoadFailed", { reason: String((e && e.message) || e) }); });
    return ed;
  }

  /* the exercise's title, for the names of its editor and buttons ("Run: Gradient step"); a
     block without one is named by its kind and its place among the page's blocks ("Run the
     code 2"), so that no two sound the same */
  const titleOf = (root) => {
    const line = root.querySelector(".ts-widget__title");
    const strong = line && line.querySelector("strong");
    const own = line ? line.textContent.slice(strong ? strong.textContent.length : 0).trim() : "";
    if (own) return own;
    const place = Array.from(document.querySelectorAll("[data-widget]")).indexOf(root) + 1;
    return ((line && line.textContent.trim()) || t("rnEditor")) + " " + place;
  };

  /* ---- one block: editor, buttons, output ---- */
  /* blocks shown, each with what it does once an update in place (serve) removed it */
  const mounted = new Set();
  function mount(root, place, opts) {
    const { code, tests, expected, seconds, hint, key, title, shown, store } = opts;
    const kept = codeStore(store);
    const saved = kept.get();
    const named = (what) => t("rnOf", { what, title });
    const warm = startEarly;
    let saveTimer = null;
    const keep = (text) => (text === code ? kept.clear() : kept.set(text));
    const ed = editor(typeof saved === "string" ? saved : code, title, shown, {
      onRun: () => runIt(false),
      onIntent: warm,
      onChange: (text) => {
        clearTimeout(saveTimer);
        saveTimer = setTimeout(() => { saveTimer = null; keep(text); }, 300);
      },
    });
    mounted.add({ root, leave: () => {
      if (saveTimer) { clearTimeout(saveTimer); saveTimer = null; keep(ed.value); }
      if (ed.cm) ed.cm.view.destroy();
    } });
    const output = h("pre", { class: "ts-run__output", role: "region", tabindex: "0", "aria-label": named(t("rnOutput")) });
    const status = h("p", { class: "ts-run__status", role: "status" });
    const outBox = h("div", { class: "ts-run__result", hidden: true }, status, output);
    let running = null;
    const labelled = (b, what) => { b.setAttribute("aria-label", named(what)); return b; };
    const runB = labelled(button(t("rnRun"), () => runIt(false), "ts-btn--primary ts-run__run"), t("rnRun"));
    const stopB = labelled(button(t("rnStop"), () => { if (running && !isDisabled(stopB)) stopAll("stopped"); }, "ts-run__stop"), t("rnStop"));
    const undoB = labelled(button(t("rnUndoReset"), () => {
      if (ed.cm) ed.cm.undo();
      undoB.hidden = true;
      tell(t("rnUndoneReset"));
      if (ed.cm) ed.cm.focus();
    }, "ts-run__undo"), t("rnUndoReset"));
    undoB.hidden = true;
    const resetB = labelled(button(t("rnReset"), () => {
      if (ed.value === code) { tell(t("rnResetDone")); return; }
      if (ed.cm) ed.cm.replace(code); /* one undoable step: Ctrl+Z or "Undo reset" brings it back */
      ed.value = code;
      kept.clear();
      undoB.hidden = !ed.cm;
      tell(t("rnResetDone") + (ed.cm ? " " + t("rnResetUndo") : ""));
    }, "ts-run__reset"), t("rnReset"));
    const checkB = tests != null || expected != null ? labelled(button(t("rnCheck"), () => runIt(true), "ts-run__check"), t("rnCheck")) : null;
    setDisabled(stopB, true);
    const actions = h("div", { class: "ts-run__actions" }, runB, checkB, stopB, resetB, undoB);
    place(ed.box, actions, outBox);
    /* the status first, then the output: set at once (a live region's text said before the
       output it introduces), never after */
    function tell(text, extra) {
      outBox.hidden = false;
      status.replaceChildren(text);
      if (extra) status.append(h("span", { class: "ts-sr" }, " " + extra));
    }
    if (location.protocol === "file:") {
      /* Chromium refuses workers and WebAssembly fetched from file:// pages */
      actions.replaceChildren(h("p", { class: "ts-run__note", role: "note" }, t("rnFileUrl")));
      return;
    }
    /* a learner who reaches for Run is about to run: Python starts then, seconds earlier */
    [runB, checkB].forEach((b) => b && b.addEventListener("pointerenter", warm, { once: true }));
    ed.box.addEventListener("pointerenter", warm, { once: true });
    const shareKey = sharedPass(key);
    const passed = () => {
      root.classList.add("is-passed");
      if (key) save(key, { answers: { 0: [0] }, first: { 0: 1 } });
      if (shareKey) save(shareKey, { passed: true });
    };
    const before = key ? load(key, {}) : {};
    /* passed here (first), in a progress file loaded from another browser (answers), or in the
       same exercise's other page (its lesson, its pack) */
    const here = (before.first || {})[0] === 1 || String((before.answers || {})[0]) === "0";
    if (here && shareKey) save(shareKey, { passed: true });
    if (here || (shareKey && load(shareKey, {}).passed === true)) {
      root.classList.add("is-passed");
      actions.after(h("p", { class: "ts-run__before" }, t("rnPassedBefore")));
    }
    let shownChars = 0, cut = false;
    const show = (stream, text) => {
      if (cut) return;
      if (shownChars + text.length >= SHOWN) {
        text = text.slice(0, Math.max(0, SHOWN - shownChars));
        cut = true;
      }
      shownChars += text.length;
      const span = h("span", stream === "stderr" ? { class: "ts-run__err" } : null);
      span.textContent = text;
      output.append(span);
      if (cut) output.append(h("span", { class: "ts-run__cut" }, "\n" + t("rnCut", { n: SHOWN })));
    };
    const where = (v) => (v.line ? t("rnAtLine", { n: v.line }) : "");
    const verdictText = (v) => {
      if (v.status === "passed") return t("rnPassed");
      if (v.output) return t("rnFailed", { why: t("rnWrongOutput") });
      if (v.status === "error") return t("rnCodeError", { error: v.detail || "", where: where(v) });
      if (v.kind === "assert") return t("rnFailed", { why: t("rnTestFailed", { n: v.line || "?", test: v.message || v.source || "" }) });
      return t("rnTestError", { n: v.line || "?", error: v.detail || "" });
    };
    function runIt(checking) {
      if (running) return;
      output.replaceChildren();
      shownChars = 0;
      cut = false;
      root.classList.remove("is-right", "is-wrong");
      if (hint) hint.hidden = true;
      if (ed.cm) ed.cm.markLine(null);
      tell(py.ready ? t("rnRunning") : t("rnStarting"));
      setDisabled(runB, true);
      if (checkB) setDisabled(checkB, true);
      setDisabled(stopB, false);
      running = {
        code: ed.value,
        tests: checking ? tests : null,
        expected: checking ? expected : null,
        started: () => { if (status.textContent !== t("rnRunning")) tell(t("rnRunning")); },
        out: show,
        finish: (v) => finish(v, checking),
      };
      if (!load(USED, {}).ran) save(USED, { ran: true });
      submit(running, seconds);
    }
    function finish(v, checking) {
      running = null;
      setDisabled(runB, false);
      if (checkB) setDisabled(checkB, false);
      setDisabled(stopB, true);
      if (v.status === "error" && v.line && ed.cm) ed.cm.markLine(v.line);
      if (v.status === "timeout") tell(t("rnTimeout", { n: seconds }));
      else if (v.status === "stopped") tell(t("rnStopped"));
      else if (v.status === "unavailable") tell(t("rnLoadFailed", { reason: v.detail || "" }));
      else if (!checking) {
        if (!output.textContent) show("stdout", t("rnNoOutput"));
        tell(v.status === "error" ? t("rnCodeError", { error: v.detail || "", where: where(v) }) : t("rnDone"));
      } else {
        const right = v.status === "passed";
        root.classList.toggle("is-right", right);
        root.classList.toggle("is-wrong", !right);
        if (right) passed();
        else if (hint) hint.hidden = false;
        tell(verdictText(v), !right && hint ? t("rnHintSay", { hint: hint.textContent.trim() }) : "");
      }
    }
  }

  const text = (root, sel) => {
    const node = root.querySelector(sel);
    return node ? node.textContent : null;
  };

  function runnable(root) {
    const code = text(root, ".ts-run__start");
    const shown = root.querySelector(".ts-run__code");
    if (code == null || !shown) return;
    const hint = root.querySelector(".ts-run__hint");
    const checked = text(root, ".ts-run__tests") != null || text(root, ".ts-run__expected") != null;
    const holder = h("div", { class: "ts-run__code" });
    shown.replaceWith(holder);
    mount(root, (...parts) => { holder.replaceWith(...parts); }, {
      code, tests: text(root, ".ts-run__tests"), expected: text(root, ".ts-run__expected"),
      seconds: Number(root.dataset.timeout) || 10, hint, title: titleOf(root), shown,
      key: checked ? root.dataset.key : null, store: root.dataset.key,
    });
    if (hint) {
      hint.setAttribute("role", "note");
      hint.setAttribute("aria-label", t("rnHint"));
    }
  }

  /* a predict block with `runnable: true`: once the learner has seen the output, its code
     can be changed and run (the prediction comes first) */
  function predictRuns(root) {
    const answer = root.querySelector(".ts-predict__answer");
    const code = text(root, ".ts-predict__source");
    if (!answer || code == null) return;
    let done = false;
    answer.addEventListener("toggle", () => {
      if (!answer.open || done) return;
      done = true;
      mount(root, (...parts) => { answer.after(h("div", { class: "ts-run__inpredict" }, ...parts)); }, {
        code, tests: null, expected: null, seconds: Number(root.dataset.timeout) || 10, hint: null, key: null,
        title: titleOf(root), shown: null,
      });
    });
  }

  widget("runnable", (root) => { runnable(root); warmWhenSeen([root]); });
  window.tracksite.onPage(() => {
    /* an update in place: what ran stops as on a reload (an idle interpreter stays), and the
       removed blocks keep their code and end their editors */
    if (py.jobs.size) stopAll("left");
    for (const block of mounted) {
      if (!block.root.isConnected) { mounted.delete(block); block.leave(); }
    }
    document.querySelectorAll('[data-widget="predict"][data-runnable="true"]').forEach((root) => {
      if (root.dataset.tsRunReady) return;
      root.dataset.tsRunReady = "1";
      predictRuns(root);
    });
  });
})();
