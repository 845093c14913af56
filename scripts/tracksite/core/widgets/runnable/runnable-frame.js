/* tracksite /// runnable: the script of the sandboxed frame the page's Python runs in
   (runnable-sandbox.js makes the frame: `sandbox="allow-scripts"`, no allow-same-origin, so its
   origin is opaque and holds no cookie, no storage and no cache of the site). It is loaded
   before the frame's own policy (default-src 'none', connect-src 'none', script-src
   'wasm-unsafe-eval', worker-src blob:), which then holds for the worker it starts: that worker
   can make no request at all. This script only starts the worker from the script the page hands
   over (a Blob: Pyodide and runnable-worker.js), compiles the WebAssembly and reads the saved
   memory the page hands over for it, and passes messages both ways; it reads nothing the worker
   sends. */
(() => {
  "use strict";
  const up = (data, transfer) => window.parent.postMessage(data, "*", transfer);
  const at = () => performance.timeOrigin + performance.now(); /* the page marks the steps (runnable-sandbox.js) */
  const marks = [["frame-script", at()]];
  let worker = null;

  /* The frame compiles the WebAssembly and reads the saved memory while its worker evaluates
     its script (issue 81: both came after it, 0.2-0.35 s of a second lesson's start): a
     compiled module and the memory's bytes pass to the worker without a copy (a module may be
     posted within the frame's agent cluster, which its own worker shares). */
  function start({ script, files }) {
    const wasm = files["pyodide/pyodide.asm.wasm"];
    let compiled = null;
    try {
      compiled = WebAssembly.compileStreaming(new Response(wasm, { headers: { "Content-Type": "application/wasm" } }));
    } catch (e) {
      compiled = Promise.reject(e);
    }
    try {
      marks.push(["frame-start", at()]);
      worker = new Worker(URL.createObjectURL(script));
      marks.push(["frame-worker", at()]);
      up({ kind: "marks", marks }, []);
    } catch (e) {
      up({ kind: "failed", reason: String((e && e.message) || e) }, []);
      return;
    }
    worker.onmessage = (e) => {
      const m = e.data;
      up(m, m && m.kind === "memory" && m.bytes ? [m.bytes.buffer] : []);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      up({ kind: "error", reason: String(e.message || "") }, []);
    };
    worker.postMessage({ kind: "files", files });
    compiled.then((module) => {
      worker.postMessage({ kind: "module", module });
      up({ kind: "marks", marks: [["frame-module", at()]] }, []);
    }, (e) => worker.postMessage({ kind: "module", module: null, reason: String((e && e.message) || e) }));
  }
  const saved = (memory) => {
    const read = memory instanceof Blob ? memory.arrayBuffer() : Promise.resolve(null);
    read.then((bytes) => bytes, () => null).then((bytes) => {
      worker.postMessage({ kind: "saved", memory: bytes }, bytes ? [bytes] : []);
      if (bytes) up({ kind: "marks", marks: [["frame-memory", at()]] }, []);
    });
  };

  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || !e.data) return;
    if (e.data.kind === "start") {
      if (!worker) start(e.data);
    } else if (e.data.kind === "saved") {
      if (worker) saved(e.data.memory);
    } else if (worker) {
      worker.postMessage(e.data);
    }
  });
  up({ kind: "frame" }, []);
})();
