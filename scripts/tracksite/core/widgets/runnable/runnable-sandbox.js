/* tracksite /// runnable: where the page's Python runs (issue 81). The code of a run (the
   learner's, an exercise's hidden `tests:`) runs in a worker inside a sandboxed frame without
   allow-same-origin: an opaque origin, which never had the site's cookies, Cache Storage,
   IndexedDB, OPFS or storage buckets, under a policy that allows no request at all
   (runnable-frame.js). This page, the trusted side, fetches the interpreter's files itself and
   hands their bytes over; it keeps the interpreter's saved memory itself, and accepts only the
   memory a fresh frame sends before it was given any code, checked against the digest noted then.

   window.tracksite.python() makes one such frame and returns an object with a Worker's surface
   for runnable.js: postMessage, terminate (the frame is removed, its worker with it), onmessage,
   onerror and addEventListener("message"). docs/security.md ("Runnable code") says why. */
(() => {
  "use strict";
  const { load, save, remove, key } = window.tracksite;
  const script = document.currentScript;
  const BASE = new URL("./", script ? script.src : location.href);
  const FRAME = new URL("runnable-frame.js", BASE);
  /* the offline copy gives the frame's script as text (theme/export/offline.js): a frame of no
     origin may load no file:// script, so there it runs inline, allowed by its SHA-256, which
     the export adds to each page's policy (and the frame inherits) */
  const INLINE = typeof window.tracksiteFrame === "string" ? window.tracksiteFrame : null;
  /* the frame's own policy, after its script: its worker inherits it with the page's */
  const POLICY = "default-src 'none'; script-src 'wasm-unsafe-eval'; worker-src blob:; connect-src 'none'; "
    + "style-src 'none'; img-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";
  const FILES = ["runnable-worker.js", "runner.py", "pyodide/pyodide.js", "pyodide/pyodide.asm.js",
    "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"];
  const WORKER = ["runner.py", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"];

  /* ---- the interpreter's files, fetched once for the page and handed to each frame as Blobs
     (posted without a copy). A private window's HTTP cache lives in memory and keeps no entry
     as large as pyodide.asm.wasm (9.6 MB, fetched again in full on every lesson: issue 83), so
     the page keeps Pyodide's files in Cache Storage as well, each under the SHA-256 this script
     carries (the vendored files': one entry per file for every course of the origin). A copy
     read from there is handed over and checked at once, like the saved memory: the frame is
     given no code before it is the one named; one that differs (planted by another course's
     script) is deleted, the frame removed, and the files are fetched again. ---- */
  const INDEX = "https://tracksite.invalid/pyodide/";
  const SHA = {
    "pyodide/pyodide.js": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide/pyodide.asm.js": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide/pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "pyodide/python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
    "pyodide/pyodide-lock.json": "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010",
  };
  const SHELF = "tracksite-interpreter";
  const hex = async (bytes) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
    (b) => b.toString(16).padStart(2, "0")).join("");
  const opened = (name) => (window.caches && window.crypto && crypto.subtle ? caches.open(name) : Promise.reject(new Error("none")));
  /* the start's steps as performance marks ("ts-python:<step>"), the frame's and the worker's
     among them (sent as times since the epoch): the benchmark and the tests read where a start
     goes (docs/benchmarks.md) */
  const mark = (name, at) => {
    try {
      performance.mark("ts-python:" + name, at === undefined ? undefined : { startTime: at - performance.timeOrigin });
    } catch (e) { /* no User Timing here */ }
  };
  mark("script");
  const shelved = (name) => INDEX + "sha256/" + SHA[name];
  const named = (name, blob) => blob.arrayBuffer().then(hex).then((digest) => digest === SHA[name], () => false);
  const refused = new Set(); /* the kept copies this page found not to be the files named */
  /* the digests are taken once the first frame has its files (issue 81: hashing 13 MB of files
     and the 31 MB memory while they were read slowed the reading on the start's path by
     0.2-0.4 s); a frame is still given no code before they are the ones named */
  let quiet = null;
  const over = new Promise((resolve) => { quiet = resolve; });
  const later = (f) => over.then(f);
  const read = async (name) => {
    if (SHA[name] && !refused.has(name)) {
      try {
        const found = await (await opened(SHELF)).match(shelved(name));
        const blob = found && await found.blob();
        if (blob) {
          return [name, blob, later(() => named(name, blob)).then((ok) => {
            if (!ok) {
              refused.add(name);
              opened(SHELF).then((cache) => cache.delete(shelved(name))).catch(() => {});
            }
            return ok;
          })];
        }
      } catch (e) { /* no Cache Storage here: from the network */ }
    }
    let response;
    try {
      response = await fetch(new URL(name, BASE).href);
    } catch (e) {
      throw new Error(`${name}: ${(e && e.message) || e}`);
    }
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    const blob = await response.blob();
    /* kept only when it is the file named (a site of another tracksite serves other bytes) */
    if (SHA[name]) {
      later(() => named(name, blob)).then((ok) => ok && opened(SHELF).then((cache) => cache.put(shelved(name), new Response(blob))))
        .catch(() => {});
    }
    return [name, blob, Promise.resolve(true)];
  };
  let files = null;
  const fetched = () => {
    files = files || Promise.all(FILES.map(read)).then(async (pairs) => {
      mark("read");
      const all = Object.fromEntries(pairs.map(([name, blob]) => [name, blob]));
      const intact = Promise.all(pairs.map(([, , ok]) => ok)).then((oks) => oks.every(Boolean));
      let script;
      try {
        script = await joined(all);
      } catch (e) { /* refused by name: unless a kept copy was not the file named, then fetched */
        quiet();
        if (await intact) throw e;
        files = null;
        return fetched();
      }
      return { script, files: Object.fromEntries(WORKER.map((name) => [name, all[name]])), intact };
    });
    files.catch(() => { files = null; quiet(); }); /* a later start tries again */
    return files;
  };
  /* The worker's one classic script: Pyodide's two modules as its parts, then runnable-worker.js.
     Chromium starts no module worker from a blob: URL of an opaque origin (measured: the load
     fails with no message), and a classic worker's importScripts() is a script (script-src,
     which allows none in the frame). Their export statements become assignments,
     `import.meta.url` the address their files are asked for under (the worker answers those from
     the bytes); a file not of that form is refused by name, never run half-converted. */
  const part = (source, from, to, name) => {
    if (!from || source.split(from).length !== 2) throw new Error(`pyodide/${name}: not the vendored Pyodide this tracksite knows`);
    return "(() => {\n" + source.replace(from, to).split("import.meta.url").join(JSON.stringify(INDEX + name)) + "\n})();\n";
  };
  const names = (list) => list.split(",").map((pair) => pair.trim().split(/\s+as\s+/)).map(([a, b]) => `${b || a}: ${a}`).join(", ");
  const joined = async (all) => {
    const loader = await all["pyodide/pyodide.js"].text();
    const found = loader.match(/export\s*\{([^}]*)\};?/);
    return new Blob([
      part(loader, found && found[0], `self.tracksitePyodide = { ${found ? names(found[1]) : ""} };`, "pyodide.js"),
      part(await all["pyodide/pyodide.asm.js"].text(), "export default _createPyodideModule;",
        "self.tracksiteAsm = _createPyodideModule;", "pyodide.asm.js"),
      await all["runnable-worker.js"].text(),
      "\nself.tracksiteBoot(self.tracksitePyodide, self.tracksiteAsm);\n",
    ], { type: "text/javascript" });
  };

  /* ---- the interpreter's memory after its own start (issue 70), kept by this page ----
     Under this course's key (one entry per course of the origin, in Cache Storage), with its
     SHA-256 in the course's local storage, noted when this page received it from a fresh frame
     before any run of that frame started. A copy is read, handed to the frame and checked
     while the frame starts (hashing 31 MB took 0.26-0.37 s, as long as the start from it); the frame
     is given no code and said ready to no one before the digest is the one noted. One that
     differs is deleted, its frame removed, and a new frame starts afresh; Pyodide refuses one of
     another build. Where Cache Storage or SubtleCrypto is missing (a page not served over HTTPS
     or from this machine), each page starts afresh. */
  const NOTE = "tracksite:python-memory";
  const CACHE = "tracksite-python-memory";
  const entry = () => new URL("pyodide/memory/" + encodeURIComponent(key(NOTE)), BASE).href;
  const storage = () => opened(CACHE);
  const NONE = { bytes: null, checked: Promise.resolve(true) };
  let memory = null; /* {bytes, checked}: the copy this page read or received, for its next frames */
  if (window.caches) caches.delete("tracksite-python").catch(() => {}); /* written where runs could write, before issue 81 */
  const forget = () => {
    memory = null;
    remove(NOTE);
    storage().then((cache) => cache.delete(entry())).catch(() => {});
  };
  const kept = async () => {
    if (memory) return memory;
    const note = load(NOTE, {});
    if (typeof note.digest !== "string") return NONE;
    try {
      const found = await (await storage()).match(entry());
      const bytes = found ? await found.blob() : null;
      if (bytes) {
        const checked = later(() => bytes.arrayBuffer()).then(hex).then((digest) => digest === note.digest, () => false);
        checked.then((ok) => { if (!ok) forget(); });
        return (memory = { bytes, checked });
      }
    } catch (e) { /* no storage here */ }
    forget();
    return NONE;
  };
  /* the memory (15-16 MB as the worker packs it) is copied once, into the Blob the next frames are handed and Cache Storage
     keeps (a Response of the bytes themselves sent them to the browser a second time) */
  const keep = async (bytes) => {
    const blob = new Blob([bytes]);
    memory = { bytes: blob, checked: Promise.resolve(true) };
    try {
      const cache = await storage();
      const digest = await hex(bytes);
      await cache.put(entry(), new Response(blob));
      save(NOTE, { digest });
    } catch (e) { /* not kept: the next page starts afresh */ }
  };

  /* ---- one frame ---- */
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const sandboxed = () => {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = "Python";
    frame.hidden = true;
    frame.className = "ts-run__sandbox";
    frame.srcdoc = (INLINE ? `<!doctype html><script>${INLINE}</script>` : `<!doctype html><script src="${escape(FRAME.href)}"></script>`)
      + `<meta http-equiv="Content-Security-Policy" content="${escape(POLICY)}">`;
    return frame;
  };

  function python() {
    const box = new EventTarget();
    let handler = null, failure = null, gone = false;
    let now = null; /* this box's frame: {frame, hello, held, ran, checked, memory, remembered} */
    const queue = []; /* runs given before the frame could take them */
    Object.defineProperty(box, "onmessage", { set: (f) => { handler = f; } });
    Object.defineProperty(box, "onerror", { set: (f) => { failure = f; } });
    const deliver = (data) => {
      const event = new MessageEvent("message", { data });
      if (handler) handler(event);
      box.dispatchEvent(event);
    };
    const fail = (reason) => { if (!gone) deliver({ kind: "failed", reason }); };
    /* the files and the saved memory are read from the start, while the frame loads; the
       memory goes right after the files, so that the frame reads it and compiles the
       WebAssembly while its worker evaluates its script, and the page checks both meanwhile */
    mark("asked");
    fetched().then(() => mark("files"), () => {}); /* (a failure is said when the frame asks for them) */
    const begin = (f, remembered) => fetched().then(({ script, files: handed, intact }) => {
      if (gone || now !== f) return;
      const win = f.frame.contentWindow;
      win.postMessage({ kind: "start", script, files: handed }, "*");
      mark("handed");
      quiet();
      remembered.then(({ bytes, checked }) => {
        if (gone || now !== f) return;
        win.postMessage({ kind: "saved", memory: bytes }, "*");
        mark("memory");
        Promise.all([intact, checked]).then(([whole, ok]) => {
          if (gone || now !== f) return;
          mark("checked");
          if (!whole) { /* a file not the one named: fetched again, into a new frame */
            files = null;
            fetched().catch(() => {});
            open(ok ? remembered : Promise.resolve(NONE));
            return;
          }
          if (!ok) { open(Promise.resolve(NONE)); return; } /* not the copy noted: afresh */
          f.checked = true;
          if (f.memory) keep(f.memory);
          queue.splice(0).forEach((m) => win.postMessage(m, "*"));
          f.held.splice(0).forEach(said);
        });
      });
    }, (e) => fail(String((e && e.message) || e)));
    const said = (m) => {
      if (m.kind === "ready" || m.kind === "started" || m.kind === "done") mark(m.kind);
      if (m.kind !== "error") deliver(m);
      else if (failure) failure({ preventDefault() {}, message: m.reason });
    };
    const listen = (e) => {
      const f = now;
      if (gone || !f || e.source !== f.frame.contentWindow) return;
      const m = e.data;
      if (!m || typeof m !== "object") return;
      if (m.kind === "marks") { /* the frame's and the worker's steps: times, nothing else */
        if (Array.isArray(m.marks)) {
          m.marks.slice(0, 20).forEach((x) => {
            if (Array.isArray(x) && /^[a-z-]{1,20}$/.test(x[0]) && Number.isFinite(x[1])) mark(x[0], x[1]);
          });
        }
        return;
      }
      if (m.kind === "frame") {
        mark("hello");
        if (!f.hello) begin(f, f.remembered);
        f.hello = true;
        return;
      }
      if (m.kind === "memory") {
        /* only a fresh start's, sent before any run of this frame started: no code of a lesson
           has run in it yet (the worker runs a job only once its start is over) */
        const b = m.bytes;
        if (f.ran || !(b instanceof Uint8Array)) return;
        /* and only once the copy this frame was handed, if any, is the one noted: an interpreter
           that started from another copy could have sent this too */
        /* (handed over, not copied: the frame keeps nothing of it; a view of part of a buffer is
           cut out, the whole buffer, Pyodide's own copy, is kept as it came) */
        f.memory = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        if (f.checked) keep(f.memory);
        return;
      }
      if (m.id) f.ran = true;
      /* ready, or failed, is said once the files and the memory it started from are the ones
         named: a planted file's failure goes with its frame */
      if (f.checked) said(m);
      else f.held.push(m);
    };
    window.addEventListener("message", listen);
    const open = (remembered) => {
      if (now) now.frame.remove();
      const f = (now = { frame: sandboxed(), hello: false, held: [], ran: false, checked: false, memory: null, remembered });
      f.frame.addEventListener("load", () => {
        /* loaded, and its script never said hello: the script was refused or missing */
        setTimeout(() => { if (!f.hello && now === f) fail("runnable-frame.js: not loaded"); }, 1000);
      }, { once: true });
      document.body.append(f.frame);
      mark("frame");
    };
    open(kept());
    box.postMessage = (m) => {
      if (gone) return;
      if (!now.frame.isConnected) open(kept()); /* a page's script removed it (an update in place) */
      if (now.checked) now.frame.contentWindow.postMessage(m, "*");
      else queue.push(m);
    };
    box.terminate = () => {
      gone = true;
      window.removeEventListener("message", listen);
      if (now) now.frame.remove();
    };
    return box;
  }

  window.tracksite.python = python;
})();
