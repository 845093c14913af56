/* tracksite /// runnable: the script of the sandboxed frame the page's Python runs in
   (runnable-sandbox.js makes the frame: `sandbox="allow-scripts"`, no allow-same-origin, so its
   origin is opaque and holds no cookie, no storage and no cache of the site). It is loaded
   before the frame's own policy (default-src 'none', connect-src 'none', script-src
   'wasm-unsafe-eval', worker-src blob:), which then holds for the worker it starts: that worker
   can make no request at all. This script only starts the worker from the bytes the page hands
   over and passes messages both ways; it reads nothing the worker sends. */
(() => {
  "use strict";
  const up = (data, transfer) => window.parent.postMessage(data, "*", transfer);
  let worker = null;

  /* Pyodide's two modules as parts of one classic script: Chromium starts no module worker
     from a blob: URL of an opaque origin (measured: the load fails), and a classic worker's
     importScripts() is a script (script-src, which allows none here). Their export statements
     become assignments, `import.meta.url` the address their files are asked for under (the
     worker answers those from the bytes); a file not of that form is refused, not run. */
  const INDEX = "https://tracksite.invalid/pyodide/";
  const text = (bytes) => new TextDecoder().decode(bytes);
  const classic = (source, from, to, name) => {
    if (source.split(from).length !== 2) throw new Error(name + ": not the vendored Pyodide this tracksite knows");
    return "(() => {\n" + source.replace(from, to).split("import.meta.url").join(JSON.stringify(INDEX + name)) + "\n})();\n";
  };
  const exported = /export\s*\{([^}]*)\};?/;
  const names = (list) => list.split(",").map((pair) => pair.trim().split(/\s+as\s+/)).map(([a, b]) => `${b || a}: ${a}`).join(", ");

  function start({ files }) {
    try {
      const loader = text(files["pyodide/pyodide.js"]);
      const found = loader.match(exported);
      const script = [
        classic(loader, found ? found[0] : "\0", `self.tracksitePyodide = { ${found ? names(found[1]) : ""} };`, "pyodide.js"),
        classic(text(files["pyodide/pyodide.asm.js"]), "export default _createPyodideModule;",
          "self.tracksiteAsm = _createPyodideModule;", "pyodide.asm.js"),
        text(files["runnable-worker.js"]),
        "self.tracksiteBoot(self.tracksitePyodide, self.tracksiteAsm);\n",
      ].join("\n");
      worker = new Worker(URL.createObjectURL(new Blob([script], { type: "text/javascript" })));
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
    worker.postMessage({ kind: "files", files }, Object.values(files));
  }

  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || !e.data) return;
    if (e.data.kind === "start") {
      if (!worker) start(e.data);
    } else if (worker) {
      const m = e.data;
      worker.postMessage(m, m.kind === "saved" && m.memory ? [m.memory] : []);
    }
  });
  up({ kind: "frame" }, []);
})();
