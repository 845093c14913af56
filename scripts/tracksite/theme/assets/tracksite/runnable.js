/* tracksite /// runnable: editor, Run, Stop, Reset and Check over the build's HTML. Python runs
   in a Web Worker (runnable-worker.js) started at the first Run, so a page whose learner runs
   nothing loads no interpreter; Stop and the time limit end it, the next run starts afresh.
   A predict block with `runnable: true` gets the editor once its output is shown. The editor
   is a <textarea>: Tab indents, Escape then Tab leaves it. No inline code, no eval. */
(() => {
  "use strict";
  const { h, button, say, widget, t, load, save, newId, setDisabled, isDisabled } = window.tracksite;
  const script = document.currentScript;
  const WORKER = new URL("runnable-worker.js", script ? script.src : location.href);
  const INDENT = "    ";
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
  };
  const STARTUP = 90; /* seconds Python may take to start before the run is given up */
  const startWorker = () => {
    let worker, boot;
    try {
      /* from a blob: URL, so that the worker inherits this page's policy, from a <meta> tag or a
         header alike (no other host, no eval); a worker loaded from a URL of the site takes only its
         own response's headers, under a <meta> policy none (docs/security.md, issue 69). The
         module is imported, not named in a static import: those count as the worker's own script
         (worker-src, which allows blob: only), an import() as a script (script-src 'self'); the
         messages that arrive before it has loaded wait for it */
      const source = `const early = []; onmessage = (e) => early.push(e);
import(${JSON.stringify(WORKER.href)}).then(() => early.forEach((e) => onmessage(e)),
  (e) => postMessage({ kind: "failed", reason: String((e && e.message) || e) }));\n`;
      boot = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      worker = new Worker(boot, { type: "module" });
    } catch (e) { /* a sandboxed frame, a browser without module workers */
      py.failed = String((e && e.message) || e);
      return;
    }
    const booted = () => { if (boot) URL.revokeObjectURL(boot); boot = null; };
    /* a worker that never says ready (WebAssembly refused by a server's policy) is given up */
    const limit = setTimeout(() => { if (py.worker === worker && !py.ready) stopAll("unavailable"); }, STARTUP * 1000);
    worker.onmessage = (e) => {
      const m = e.data || {};
      booted();
      if (m.kind === "ready") { py.ready = true; clearTimeout(limit); return; }
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
      booted();
      stopAll("unavailable", first ? "the page's Content-Security-Policy must allow worker-src blob:" : undefined);
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

  /* ---- the editor ---- */
  const lineStart = (text, at) => text.lastIndexOf("\n", at - 1) + 1;
  const insert = (area, text) => {
    /* execCommand keeps the browser's undo; where it is gone, setRangeText */
    if (!(document.execCommand && document.execCommand("insertText", false, text))) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    }
  };
  const outdent = (area) => {
    const v = area.value, from = lineStart(v, area.selectionStart);
    const spaces = v.slice(from, from + INDENT.length).match(/^ */)[0].length;
    if (!spaces) return;
    area.setSelectionRange(from, from + spaces);
    insert(area, "");
  };
  function editor(code, labelText, onRun) {
    const id = newId("ts-run-code");
    const rows = () => Math.min(Math.max(area.value.split("\n").length + 1, 4), 30);
    const area = h("textarea", {
      id, class: "ts-run__editor", spellcheck: "false", autocomplete: "off", autocapitalize: "off",
      wrap: "off", "aria-describedby": id + "-keys",
    });
    area.value = code;
    area.rows = rows();
    let leaving = false; /* Escape pressed: the next Tab moves focus on, as it normally does */
    area.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { leaving = true; return; }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); onRun(); return; }
      if (e.key === "Tab" && !leaving && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        if (e.shiftKey) outdent(area);
        else insert(area, INDENT.slice((area.selectionStart - lineStart(area.value, area.selectionStart)) % INDENT.length));
        return;
      }
      if (e.key === "Enter" && !e.shiftKey && area.selectionStart === area.selectionEnd) {
        /* keep the line's indentation, one step more after a colon */
        const v = area.value, at = area.selectionStart, line = v.slice(lineStart(v, at), at);
        const indent = line.match(/^ */)[0] + (/:\s*$/.test(line) ? INDENT : "");
        if (indent) { e.preventDefault(); insert(area, "\n" + indent); }
      }
      if (e.key !== "Shift") leaving = false;
    });
    area.addEventListener("blur", () => { leaving = false; });
    area.addEventListener("input", () => { area.rows = rows(); });
    const label = h("label", { for: id, class: "ts-run__label" }, labelText);
    const keys = h("p", { id: id + "-keys", class: "ts-run__keys" }, t("rnKeys"));
    return { area, box: h("div", { class: "ts-run__edit" }, label, area, keys) };
  }

  /* ---- one block: editor, buttons, output ---- */
  function mount(root, place, opts) {
    const { code, tests, expected, seconds, hint, key } = opts;
    const ed = editor(code, t("rnEditor"), () => runIt(false));
    const output = h("pre", { class: "ts-run__output", role: "log", tabindex: "0", "aria-label": t("rnOutput") });
    const status = h("p", { class: "ts-run__status", "aria-live": "polite" });
    const outBox = h("div", { class: "ts-run__result", hidden: true }, status, output);
    let running = null;
    const runB = button(t("rnRun"), () => runIt(false), "ts-btn--primary ts-run__run");
    const stopB = button(t("rnStop"), () => { if (running && !isDisabled(stopB)) stopAll("stopped"); }, "ts-run__stop");
    const resetB = button(t("rnReset"), () => {
      ed.area.value = code;
      ed.area.rows = Math.min(Math.max(code.split("\n").length + 1, 4), 30);
      say(status, t("rnResetDone"));
      outBox.hidden = false;
      ed.area.focus();
    }, "ts-run__reset");
    const checkB = tests != null || expected != null ? button(t("rnCheck"), () => runIt(true), "ts-run__check") : null;
    setDisabled(stopB, true);
    const actions = h("div", { class: "ts-run__actions" }, runB, checkB, stopB, resetB);
    place(ed.box, actions, outBox);
    if (location.protocol === "file:") {
      /* Chromium refuses workers and WebAssembly fetched from file:// pages */
      actions.replaceChildren(h("p", { class: "ts-run__note", role: "note" }, t("rnFileUrl")));
      return;
    }
    /* a learner who starts editing, or reaches for Run, is about to run: Python starts then,
       seconds earlier, rather than at a page's mere visit */
    const warm = () => { if (!py.worker) startWorker(); };
    ed.area.addEventListener("focus", warm, { once: true });
    [runB, checkB].forEach((b) => b && b.addEventListener("pointerenter", warm, { once: true }));
    const passed = () => {
      root.classList.add("is-passed");
      if (key) save(key, { answers: { 0: [0] }, first: { 0: 1 } });
    };
    const before = key ? load(key, {}) : {};
    /* passed here (first), or in a progress file loaded from another browser (answers) */
    if ((before.first || {})[0] === 1 || String((before.answers || {})[0]) === "0") {
      root.classList.add("is-passed");
      actions.after(h("p", { class: "ts-run__before" }, t("rnPassedBefore")));
    }
    const show = (stream, text) => {
      if (output.textContent.length >= SHOWN) return;
      const span = h("span", stream === "stderr" ? { class: "ts-run__err" } : null);
      span.textContent = text;
      output.append(span);
    };
    const verdictText = (v) => {
      if (v.status === "passed") return t("rnPassed");
      if (v.output) return t("rnFailed", { why: t("rnWrongOutput") });
      if (v.status === "error") return t("rnFailed", { why: t("rnRaised", { error: v.detail || "" }) });
      return t("rnFailed", { why: t("rnTestFailed", { n: v.line || "?", test: v.source || v.detail || "" }) });
    };
    function runIt(checking) {
      if (running) return;
      outBox.hidden = false;
      output.replaceChildren();
      root.classList.remove("is-right", "is-wrong");
      if (hint) hint.hidden = true;
      say(status, py.ready ? t("rnRunning") : t("rnStarting"));
      setDisabled(runB, true);
      if (checkB) setDisabled(checkB, true);
      setDisabled(stopB, false);
      running = {
        code: ed.area.value,
        tests: checking ? tests : null,
        expected: checking ? expected : null,
        started: () => say(status, t("rnRunning")),
        out: show,
        finish: (v) => {
          running = null;
          setDisabled(runB, false);
          if (checkB) setDisabled(checkB, false);
          setDisabled(stopB, true);
          if (v.status === "timeout") say(status, t("rnTimeout", { n: seconds }));
          else if (v.status === "stopped") say(status, t("rnStopped"));
          else if (v.status === "unavailable") say(status, t("rnLoadFailed", { reason: v.detail || "" }));
          else if (!checking) {
            if (!output.textContent) show("stdout", t("rnNoOutput"));
            say(status, v.status === "error" ? t("rnFailed", { why: t("rnRaised", { error: v.detail || "" }) }) : t("rnDone"));
          } else {
            const right = v.status === "passed";
            root.classList.toggle("is-right", right);
            root.classList.toggle("is-wrong", !right);
            say(status, verdictText(v));
            if (right) passed();
            else if (hint) hint.hidden = false;
          }
        },
      };
      submit(running, seconds);
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
    mount(root, (...parts) => { shown.replaceWith(...parts); }, {
      code, tests: text(root, ".ts-run__tests"), expected: text(root, ".ts-run__expected"),
      seconds: Number(root.dataset.timeout) || 10, hint,
      key: text(root, ".ts-run__tests") != null || text(root, ".ts-run__expected") != null ? root.dataset.key : null,
    });
    if (hint) hint.setAttribute("role", "note");
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
      });
    });
  }

  widget("runnable", runnable);
  window.tracksite.onPage(() => {
    document.querySelectorAll('[data-widget="predict"][data-runnable="true"]').forEach((root) => {
      if (root.dataset.tsRunReady) return;
      root.dataset.tsRunReady = "1";
      predictRuns(root);
    });
  });
})();
