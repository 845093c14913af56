/* tracksite /// runnable: the script of the sandboxed frame the page's Python runs in
   (runnable-sandbox.js makes the frame: `sandbox="allow-scripts"`, no allow-same-origin, so its
   origin is opaque and holds no cookie, no storage and no cache of the site). It is loaded
   before the frame's own policy (default-src 'none', connect-src 'none', script-src
   'wasm-unsafe-eval', worker-src blob:), which then holds for the worker it starts: that worker
   can make no request at all. This script only starts the worker from the script the page hands
   over (a Blob: Pyodide and runnable-worker.js) and passes messages both ways; it reads nothing
   the worker sends. */
(() => {
  "use strict";
  const up = (data, transfer) => window.parent.postMessage(data, "*", transfer);
  let worker = null;

  function start({ script, files }) {
    try {
      worker = new Worker(URL.createObjectURL(script));
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
  }

  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || !e.data) return;
    if (e.data.kind === "start") {
      if (!worker) start(e.data);
    } else if (worker) {
      worker.postMessage(e.data);
    }
  });
  up({ kind: "frame" }, []);
})();
