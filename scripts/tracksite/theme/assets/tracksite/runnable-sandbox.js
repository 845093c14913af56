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
  /* the frame's own policy, after its script: its worker inherits it with the page's */
  const POLICY = "default-src 'none'; script-src 'wasm-unsafe-eval'; worker-src blob:; connect-src 'none'; "
    + "style-src 'none'; img-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";
  const FILES = ["runnable-worker.js", "runner.py", "pyodide/pyodide.js", "pyodide/pyodide.asm.js",
    "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"];

  /* ---- the interpreter's files, fetched once for the page (from the HTTP cache after the
     first lesson) and copied to each frame ---- */
  let files = null;
  const fetched = () => {
    files = files || Promise.all(FILES.map(async (name) => {
      let response;
      try {
        response = await fetch(new URL(name, BASE).href);
      } catch (e) {
        throw new Error(`${name}: ${(e && e.message) || e}`);
      }
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return [name, await response.arrayBuffer()];
    })).then((pairs) => Object.fromEntries(pairs));
    files.catch(() => { files = null; }); /* a later start tries again */
    return files;
  };

  /* ---- the interpreter's memory after its own start (issue 70), kept by this page ----
     Under this course's key (one entry per course of the origin, in Cache Storage), with its
     SHA-256 in the course's local storage, noted when this page received it from a fresh frame
     before any code was given to that frame. A copy whose digest differs is not used (and is
     deleted); Pyodide refuses one of another build. Where Cache Storage or SubtleCrypto is
     missing (a page not served over HTTPS or from this machine), each page starts afresh. */
  const NOTE = "tracksite:python-memory";
  const CACHE = "tracksite-python-memory";
  const entry = () => new URL("pyodide/memory/" + encodeURIComponent(key(NOTE)), BASE).href;
  const storage = () => (window.caches && window.crypto && crypto.subtle ? caches.open(CACHE) : Promise.reject(new Error("none")));
  const hex = async (bytes) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
    (b) => b.toString(16).padStart(2, "0")).join("");
  let memory = null; /* the checked copy, for the next frame of this page (after Stop) */
  if (window.caches) caches.delete("tracksite-python").catch(() => {}); /* written where runs could write, before issue 81 */
  const kept = async () => {
    if (memory) return memory;
    const note = load(NOTE, {});
    if (typeof note.digest !== "string") return null;
    try {
      const cache = await storage();
      const found = await cache.match(entry());
      const bytes = found ? await found.arrayBuffer() : null;
      if (bytes && await hex(bytes) === note.digest) return (memory = bytes);
      cache.delete(entry()).catch(() => {});
    } catch (e) { /* no storage here */ }
    remove(NOTE);
    return null;
  };
  const keep = async (bytes) => {
    memory = bytes;
    try {
      const cache = await storage();
      const digest = await hex(bytes);
      await cache.put(entry(), new Response(bytes));
      save(NOTE, { digest });
    } catch (e) { /* not kept: the next page starts afresh */ }
  };

  /* ---- one frame ---- */
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  function python() {
    const box = new EventTarget();
    let handler = null, failure = null, frame = null, hello = false, ready = false, ran = false, gone = false;
    const queue = [];
    Object.defineProperty(box, "onmessage", { set: (f) => { handler = f; } });
    Object.defineProperty(box, "onerror", { set: (f) => { failure = f; } });
    const deliver = (data) => {
      const event = new MessageEvent("message", { data });
      if (handler) handler(event);
      box.dispatchEvent(event);
    };
    const fail = (reason) => { if (!gone) deliver({ kind: "failed", reason }); };
    /* the files and the saved memory are read from the start, while the frame loads; the
       memory goes after the files, so that the worker compiles while the page checks it */
    const interpreter = fetched(), remembered = kept();
    const begin = () => interpreter.then((all) => {
      if (gone) return;
      const win = frame.contentWindow, copies = {};
      for (const name of FILES) copies[name] = all[name].slice(0);
      win.postMessage({ kind: "start", files: copies }, "*", Object.values(copies));
      ready = true;
      queue.splice(0).forEach((m) => win.postMessage(m, "*"));
      remembered.then((bytes) => {
        const copy = bytes ? bytes.slice(0) : null;
        if (!gone) win.postMessage({ kind: "saved", memory: copy }, "*", copy ? [copy] : []);
      });
    }, (e) => fail(String((e && e.message) || e)));
    const listen = (e) => {
      if (gone || !frame || e.source !== frame.contentWindow) return;
      const m = e.data;
      if (!m || typeof m !== "object") return;
      if (m.kind === "frame") {
        if (!hello) begin();
        hello = true;
        return;
      }
      if (m.kind === "memory") {
        /* only a fresh start's, sent before any run of this frame started: no code of a lesson
           has run in it yet (the worker runs a job only once its start is over) */
        const b = m.bytes;
        if (!ran && b instanceof Uint8Array) keep(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        return;
      }
      if (m.id) ran = true;
      if (m.kind === "error") {
        if (failure) failure({ preventDefault() {}, message: m.reason });
        return;
      }
      deliver(m);
    };
    window.addEventListener("message", listen);
    const open = () => {
      hello = ready = ran = false;
      frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-scripts");
      frame.setAttribute("aria-hidden", "true");
      frame.setAttribute("tabindex", "-1");
      frame.title = "Python";
      frame.hidden = true;
      frame.className = "ts-run__sandbox";
      frame.srcdoc = `<!doctype html><script src="${escape(FRAME.href)}"></script>`
        + `<meta http-equiv="Content-Security-Policy" content="${escape(POLICY)}">`;
      const mine = frame;
      frame.addEventListener("load", () => {
        /* loaded, and its script never said hello: the script was refused or missing */
        setTimeout(() => { if (!hello && frame === mine) fail("runnable-frame.js: not loaded"); }, 1000);
      }, { once: true });
      document.body.append(frame);
    };
    open();
    box.postMessage = (m) => {
      if (gone) return;
      if (!frame.isConnected) open(); /* a page's script removed it (an update in place): a new one */
      if (ready) frame.contentWindow.postMessage(m, "*");
      else queue.push(m);
    };
    box.terminate = () => {
      gone = true;
      window.removeEventListener("message", listen);
      frame.remove();
    };
    return box;
  }

  window.tracksite.python = python;
})();
