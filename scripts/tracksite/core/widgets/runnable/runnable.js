/* tracksite /// runnable: editor, Run, Stop, Reset and Check over the build's HTML. Python runs
   in a Web Worker (runnable-worker.js) started when the learner shows intent (focus, a key, a
   pointer over the editor or Run), so a page whose learner runs nothing loads no interpreter;
   Stop and the time limit end it, and a fresh one starts at once from the browser's caches, so
   the next Run does not wait. A predict block with `runnable: true` gets the editor once its
   output is shown. The editor is CodeMirror 6 (runnable-editor.js). This script, and so the
   editor, loads when a learner shows intent on a block (intent.js, from the page's
   <meta name="tracksite-on-intent">), never with the page (issue 83), and draws that block's
   editor only, another's when it is touched (issue 93); until then a block is the build's
   highlighted code, focusable. The learner's code is kept per exercise in this
   browser (codeStore). No inline code, no eval. */
(() => {
  "use strict";
  const { h, button, widget, t, load, save, remove, newId, setDisabled, isDisabled } = window.tracksite;
  const script = document.currentScript;
  const EDITOR = new URL("runnable-editor.js", script ? script.src : location.href);
  const SHOWN = 200000; /* characters of output a block shows */
  /* the site opened as a file can load no module, fetch nothing: the offline copy can (offline.js) */
  const NOFILE = location.protocol === "file:" && !window.tracksiteImport;

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
      /* in a sandboxed frame of no origin that may make no request (runnable-sandbox.js, issue 81) */
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
     exercise's place (the block's data-code-key, core/widgets/runnable/block.py's code_key), with
     the key of the starting code it began from (data-start): a course update that rewords the
     starting code keeps the learner's code, and the block says the starting code changed (issue
     83). Code kept before, by the block's content fingerprint (the last part of its data-key),
     moves to the new key once. Kept apart from the pass (data-key), which the LMS state carries;
     scorm.js carries the code too, by the key's last part. */
  const fingerprint = (key) => (key ? key.slice(key.lastIndexOf(":") + 1) : "");
  const codeStore = (name, start, legacy) => {
    const entry = () => {
      const own = name ? load(name, null) : null;
      if (own && typeof own.code === "string") return own;
      const old = legacy ? load(legacy, null) : null; /* same text as now: same starting code */
      if (!old || typeof old.code !== "string") return null;
      save(name, { code: old.code, start });
      remove(legacy);
      return { code: old.code, start };
    };
    return {
      /* {code, changed}: the code kept, and whether the starting code changed since */
      get: () => {
        const e = entry();
        return e ? { code: e.code, changed: Boolean(e.start && start && e.start !== start) } : null;
      },
      /* the starting code it began from stays until the learner takes the new one (Reset) or
         keeps theirs (the notice's button) */
      set: (code) => {
        if (!name) return;
        const e = load(name, null);
        save(name, { code, start: (e && e.start) || start });
      },
      settle: () => { const e = name ? load(name, null) : null; if (e) save(name, { code: e.code, start }); },
      clear: () => { if (name) remove(name); },
    };
  };
  const sharedPass = (key) => (key ? "tracksite:passed:" + fingerprint(key) : null);

  /* ---- starting early: when the learner shows intent ---- */
  /* Python takes seconds to start afresh, mostly CPython starting itself, and a second or less
     from the memory a first start saved (runnable-worker.js). It starts when a learner shows
     intent on a block (focus, a key, a pointer over the editor or Run), never on a page view nor
     in the background (issue 83); after the first lesson its files come from the HTTP cache. */
  /* a start before any Run; the page says how far it got (<html data-ts-python>: "starting",
     then "ready"), which the tests and the benchmark read */
  const startEarly = () => {
    if (py.worker || NOFILE) return;
    startWorker();
    const worker = py.worker;
    if (!worker) return;
    document.documentElement.dataset.tsPython = "starting";
    worker.addEventListener("message", (e) => {
      if (e.data && e.data.kind === "ready" && py.worker === worker) document.documentElement.dataset.tsPython = "ready";
    });
  };
  /* ---- the editor: CodeMirror, loaded once for the page, drawn block by block ---- */
  const INTENT = window.tracksite.intentEvents; /* intent.js brought this script */
  let editorModule = null;
  const loadEditor = () => (editorModule = editorModule || (window.tracksiteImport || ((u) => import(u)))(EDITOR.href));
  /* the box, its visible label and keys; the highlighted code stays until CodeMirror is there,
     so a page whose module fails still shows the code (and runs what it shows) */
  function editor(code, title, shown, hooks) {
    const id = newId("ts-run-code");
    const holder = h("div", { class: "ts-run__cm" });
    const label = h("p", { id: id + "-label", class: "ts-run__label" }, t("rnEditor"));
    /* how to leave, said where the editor is announced (its aria-describedby), and Tab's meaning
       while Escape or Ctrl+M has made it move the focus (shown and read out) */
    const mode = h("span", { class: "ts-run__tabmode", role: "status" });
    const keys = h("p", { id: id + "-keys", class: "ts-run__keys" }, t("rnKeys"), " ", mode);
    /* a printout gets the code whole as text (CodeMirror draws only the lines in view) */
    const print = h("pre", { class: "ts-run__print" });
    print.textContent = code;
    const box = h("div", { class: "ts-run__edit" }, label, holder, print, keys);
    if (shown) holder.append(shown);
    /* until drawn, the build's code stands in; the learner's own code, when kept, replaces its
       text (plain, as the printout has it) */
    const standIn = shown && shown.querySelector("code");
    if (standIn && code !== hooks.start) standIn.textContent = code;
    const ed = { box, value: code, ready: null, cm: null };
    /* the whole text replaced: one undoable step in a drawn editor, the stand-in's text before */
    ed.put = (text) => {
      if (ed.cm) ed.cm.replace(text);
      else { print.textContent = text; if (standIn) standIn.textContent = text; }
      ed.value = text;
    };
    /* CodeMirror drawn in this block, once, when the learner shows intent on it (a pack page's
       other exercises stay the build's code until touched: issue 93) */
    ed.draw = () => ed.ready || (ed.ready = NOFILE ? Promise.resolve(null) : loadEditor().then((m) => {
      const had = holder.contains(document.activeElement);
      holder.replaceChildren();
      box.classList.add("is-live");
      ed.cm = m.createEditor({
        parent: holder, doc: ed.value, label: t("rnOf", { what: t("rnEditor"), title }),
        describedBy: id + "-keys", onRun: hooks.onRun, onIntent: hooks.onIntent,
        onChange: (text) => { ed.value = text; print.textContent = text; hooks.onChange(text); },
        onTabMode: (moves) => { mode.textContent = moves ? t("rnTabMoves") : ""; },
      });
      if (had) ed.cm.focus();
      return ed.cm;
    }, (e) => { keys.textContent = t("rnLoadFailed", { reason: String((e && e.message) || e) }); }));
    return ed;
  }

  /* the notice over an exercise whose starting code changed since the learner's code was kept:
     their code stays; the new starting code is there to compare, Reset takes it (undoably), and
     "Keep my code" ends the notice */
  function startChanged(code, kept) {
    const newCode = h("pre", { class: "ts-run__newstart" });
    newCode.textContent = code;
    const box = h("div", { class: "ts-run__changed", role: "note" },
      h("p", null, t("rnStartChanged")),
      h("details", null, h("summary", null, t("rnShowNewStart")), newCode));
    box.append(button(t("rnKeepMine"), () => { kept.settle(); box.remove(); }, "ts-run__keepmine"));
    return box;
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

  /* ---- what a verdict tells the learner (runner.py's `run` says what each field holds) ---- */
  /* where the learner's code stopped: its line, the function, the lines that called it */
  const where = (v) => {
    if (!v.line) return "";
    const calls = (v.calls || []).map((c) => c[0]).reverse().join(", ");
    return t("rnAtLine", { n: v.line }) + (v.function ? t("rnInFunction", { name: v.function }) : "") +
      (calls ? t("rnCalledFrom", { lines: calls }) : "");
  };
  /* the values an assert compared: "f(2) is 3, expected 4" when one side is written out */
  const compared = (v) => {
    const sides = v.sides || [];
    if (v.op === "==" && sides.length === 2 && sides[0][2] !== sides[1][2]) {
      const [got, want] = sides[0][2] ? [sides[1], sides[0]] : sides;
      return " (" + t("rnExpectedGot", { what: got[0], got: got[1], want: want[1] }) + ")";
    }
    const shown = sides.filter((s) => !s[2]).map((s) => s[0] + " = " + s[1]).join("; ");
    return shown ? " (" + t("rnValues", { values: shown }) + ")" : "";
  };
  const alsoStopped = (v) => (v.codeError ? " " + t("rnAlsoStopped", { error: v.codeError.detail || "", where: where(v.codeError) }) : "");
  const assertText = (v) => t("rnFailed", {
    why: t("rnTestFailed", { n: v.line || "?", test: v.message || v.test || v.source || "" }),
  }) + compared(v) + alsoStopped(v);
  const testErrorText = (v) => {
    const code = v.code ? t("rnInYourCode", { where: where(v.code), source: v.code.codeSource || "" }) : "";
    let said = t("rnTestError", { n: v.line || "?", error: v.detail || "", where: code });
    if (v.missing) said += " " + t("rnNameMissing");
    if (v.prepares) said += " " + t("rnPrepares", { n: v.prepares.line, message: v.prepares.message });
    return said;
  };

  /* ---- one block: editor, buttons, output ---- */
  /* blocks shown, each with what it does once an update in place (serve) removed it */
  const mounted = new Set();
  function mount(root, place, opts) {
    const { code, tests, expected, seconds, hint, key, title, shown, store } = opts;
    const kept = codeStore(store && store.code, store && store.start, store && store.legacy);
    const saved = kept.get();
    const named = (what) => t("rnOf", { what, title });
    const warm = startEarly;
    let saveTimer = null;
    const keep = (text) => (text === code ? kept.clear() : kept.set(text));
    const ed = editor(saved ? saved.code : code, title, shown, {
      start: code,
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
    /* after an error at a line: a button to that line in the editor (issue 83) */
    const goB = button("", () => { if (ed.cm && goB.dataset.line) ed.cm.goToLine(Number(goB.dataset.line)); }, "ts-run__goto");
    goB.hidden = true;
    const outBox = h("div", { class: "ts-run__result", hidden: true }, status, goB, output);
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
      ed.put(code); /* drawn, one undoable step: Ctrl+Z or "Undo reset" brings it back */
      kept.clear();
      if (changed) { changed.remove(); changed = null; }
      undoB.hidden = !ed.cm;
      tell(t("rnResetDone") + (ed.cm ? " " + t("rnResetUndo") : ""));
    }, "ts-run__reset"), t("rnReset"));
    const checkB = tests != null || expected != null ? labelled(button(t("rnCheck"), () => runIt(true), "ts-run__check"), t("rnCheck")) : null;
    setDisabled(stopB, true);
    const actions = h("div", { class: "ts-run__actions" }, runB, checkB, stopB, resetB, undoB);
    let changed = saved && saved.changed && saved.code !== code ? startChanged(code, kept) : null;
    place(...(changed ? [changed] : []), ed.box, actions, outBox);
    /* the status first, then the output: set at once (a live region's text said before the
       output it introduces), never after */
    function tell(text, extra) {
      outBox.hidden = false;
      status.replaceChildren(text);
      if (extra) status.append(h("span", { class: "ts-sr" }, " " + extra));
    }
    if (NOFILE) {
      actions.replaceChildren(h("p", { class: "ts-run__note", role: "note" }, t("rnFileUrl")));
      return;
    }
    /* an exercise's work: its code downloaded and loaded again, its last checks (runnable-work.js) */
    const work = checkB && window.tracksite.runnableWork ? window.tracksite.runnableWork({
      name: store ? fingerprint(store.code) : null, title, named, tell, get: () => ed.value,
      put: (text) => { ed.put(text); keep(text); },
    }) : null;
    if (work) outBox.after(work.box);
    /* the editor is drawn for the block the learner touched (opts.now), and for another when
       touched: a pointer, a touch, the focus or a key anywhere in it (issue 93) */
    const touch = () => { INTENT.forEach((type) => root.removeEventListener(type, touch, true)); ed.draw(); };
    if (opts.now) touch();
    else INTENT.forEach((type) => root.addEventListener(type, touch, { capture: true, passive: true }));
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
    const counted = window.tracksite.runnableSolution(root, store ? fingerprint(store.code) : null);
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
    const verdictText = (v) => {
      if (v.status === "passed") return t("rnPassed");
      if (v.output) return t("rnFailed", { why: t("rnWrongOutput") });
      if (v.status === "error") return t("rnCodeError", { error: v.detail || "", where: where(v) });
      return v.kind === "assert" ? assertText(v) : testErrorText(v);
    };
    /* what is shown apart from the learner's output: what the tests printed, and their traceback */
    const apart = h("details", { class: "ts-run__apart", hidden: true });
    const apartText = h("pre", { class: "ts-run__checks", tabindex: "0" });
    apart.append(h("summary", null, t("rnChecksPrinted")), apartText);
    outBox.append(apart);
    function runIt(checking) {
      if (running) return;
      output.replaceChildren();
      apart.hidden = true;
      apart.open = false;
      shownChars = 0;
      cut = false;
      root.classList.remove("is-right", "is-wrong");
      if (hint) hint.hidden = true;
      if (ed.cm) ed.cm.markLine(null);
      goB.hidden = true;
      tell(py.ready ? t("rnRunning") : t("rnStarting"));
      setDisabled(runB, true);
      if (checkB) setDisabled(checkB, true);
      setDisabled(stopB, false);
      const ran = ed.value;
      clearTimeout(saveTimer); /* the code run is kept at once, not a moment later */
      saveTimer = null;
      keep(ran);
      running = {
        code: ran,
        tests: checking ? tests : null,
        expected: checking ? expected : null,
        started: () => { if (status.textContent !== t("rnRunning")) tell(t("rnRunning")); },
        out: show,
        finish: (v) => finish(v, checking, ran),
      };
      submit(running, seconds);
    }
    function finish(v, checking, code) {
      running = null;
      setDisabled(runB, false);
      if (checkB) setDisabled(checkB, false);
      setDisabled(stopB, true);
      const marked = v.status === "error" ? v.line : (v.code || v.codeError || {}).line;
      if (marked && ed.cm) {
        ed.cm.markLine(marked);
        goB.dataset.line = String(marked);
        goB.textContent = t("rnGoToLine", { n: marked });
        goB.setAttribute("aria-label", t("rnOf", { what: t("rnGoToLine", { n: marked }), title }));
        goB.hidden = false;
      }
      if (v.checksPrinted) { apartText.textContent = v.checksPrinted; apart.hidden = false; }
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
        counted();
        if (work) work.checked(code, right);
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
    const focused = shown.contains(document.activeElement);
    /* the block whose touch brought this script (intent.js), or under the pointer, draws now */
    const touched = window.tracksite.intended;
    const now = focused || Boolean(touched && root.contains(touched)) || root.matches(":hover");
    shown.replaceWith(holder);
    mount(root, (...parts) => { holder.replaceWith(...parts); }, {
      code, tests: text(root, ".ts-run__tests"), expected: text(root, ".ts-run__expected"),
      seconds: Number(root.dataset.timeout) || 10, hint, title: titleOf(root), shown, now,
      key: checked ? root.dataset.key : null,
      store: root.dataset.codeKey ? {
        code: root.dataset.codeKey, start: root.dataset.start,
        legacy: root.dataset.key ? "tracksite:code:" + fingerprint(root.dataset.key) : null,
      } : null,
    });
    /* the focus that brought this script (intent.js loads it on intent) stays on the code
       until the editor takes it (runnable-editor.js's, in editor()) */
    if (focused) shown.focus({ preventScroll: true });
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
    const opened = () => {
      if (!answer.open || done) return;
      done = true;
      mount(root, (...parts) => { answer.after(h("div", { class: "ts-run__inpredict" }, ...parts)); }, {
        code, tests: null, expected: null, seconds: Number(root.dataset.timeout) || 10, hint: null, key: null,
        title: titleOf(root), shown: null, now: true,
      });
    };
    /* (this script may load as the answer opens: intent.js loads it on intent) */
    answer.addEventListener("toggle", opened);
    opened();
  }

  widget("runnable", runnable);
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
