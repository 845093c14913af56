/* tracksite /// runnable: the Web Worker that runs the learner's Python, so the page never
   freezes. runnable.js starts it (a module worker, from the site itself) only when a learner
   runs code; it loads Pyodide from ./pyodide/ (the site's own copy: no request leaves the
   origin; below, how it starts from hosts with few file types) and runner.py, the checking code `tracksite check` runs in CPython too. To stop an
   endless loop the page ends this worker and starts another: Python cannot be interrupted
   from outside without SharedArrayBuffer, which needs headers a static site cannot send.

   Messages in: {id, code, tests, expected}. Out: {kind: "ready", restored}, {kind: "failed", reason},
   and per run {id, kind: "started"}, {id, kind: "out", stream, text}, {id, kind: "done", verdict}. */
const HERE = new URL("./", import.meta.url);
const LIMIT = 200000; /* characters of output a run shows; the rest is dropped, once said */
const EVERY = 100, BURST = 20; /* at most BURST messages of output in EVERY ms */

let run = null; /* the current run: {id, sent, pending, window, posts} */
const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

function send(stream, text, force) {
  if (!run) return;
  if (text) {
    if (run.sent >= LIMIT) return;
    const room = LIMIT - run.sent;
    const kept = text.length > room ? text.slice(0, room) + "\n…\n" : text;
    run.sent += kept.length;
    run.pending.push([stream, kept]);
  }
  if (!run.pending.length) return;
  /* each write is sent at once (a print before an endless loop shows), unless the code floods:
     past BURST messages in EVERY ms, pieces wait for the next write, up to 2 KB */
  const now = Date.now();
  if (now - run.window >= EVERY) { run.window = now; run.posts = 0; }
  const size = run.pending.reduce((n, [, t]) => n + t.length, 0);
  if (!force && run.posts >= BURST && size < 2048) return;
  const merged = []; /* neighbouring pieces of one stream go as one */
  for (const [s, t] of run.pending) {
    if (merged.length && merged[merged.length - 1][0] === s) merged[merged.length - 1][1] += t;
    else merged.push([s, t]);
  }
  for (const [s, t] of merged) postMessage({ id: run.id, kind: "out", stream: s, text: t });
  run.pending = [];
  run.posts += 1;
}

const writer = (stream) => ({
  write: (bytes) => {
    send(stream, decoders[stream].decode(bytes, { stream: true }), false);
    return bytes.length;
  },
});

/* ---- loading Pyodide wherever the site or package is served ---- */
/* Pyodide's files are plain .js modules (pyodide.js, pyodide.asm.js: the vendored .mjs files,
   renamed), since a module needs a JavaScript type and an LMS's file store (Moodle's stock list)
   knows .js and not .mjs. The interpreter (pyodide.asm.wasm) is compiled from its bytes when the
   host does not serve it as application/wasm, which streaming compilation requires. A file that
   cannot be loaded gives its address and the reason, where Pyodide would wait for ever. */
let refused = null; /* set when the interpreter cannot be compiled: the start fails with it */
const failed = new Promise((_, reject) => { refused = reject; });
failed.catch(() => {});
const streaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  try {
    const response = await source;
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    if (type === "application/wasm" && streaming) return await streaming.call(WebAssembly, response, imports);
    return await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  } catch (e) {
    refused(new Error(String((e && e.message) || e)));
    throw e;
  }
};

/* a module that would not load: why, as the server's answer tells it (in its own terms, which
   need no translation: "pyodide/pyodide.js: Content-Type text/plain") */
const why = async (url, e) => {
  let detail = String((e && e.message) || e);
  try {
    const r = await fetch(url, { cache: "no-store" });
    const type = (r.headers.get("Content-Type") || "none").split(";")[0].trim();
    if (!r.ok) detail = `HTTP ${r.status}`;
    else if (!/javascript|ecmascript/i.test(type)) detail = `Content-Type ${type}`;
  } catch (f) { /* unreachable: the first error says it */ }
  return new Error(`${url.pathname.split("/").slice(-2).join("/")}: ${detail}`);
};
const load = async (name) => {
  const url = new URL(name, HERE);
  try { return await import(url.href); } catch (e) { throw await why(url, e); }
};

/* ---- a second start from the interpreter's memory, saved by the first ----
   Measured (issue 70): once the files are in the HTTP cache and Chromium keeps the compiled
   WebAssembly, compiling takes a fraction of a second and the rest of a start, seconds of
   processor time on every page, is the interpreter starting itself (CPython's initialisation,
   Pyodide's own modules). Pyodide can copy the interpreter's memory once it has started
   (makeMemorySnapshot) and start from such a copy (_loadSnapshot): the first start in a browser
   saves it in Cache Storage, named by the site's folder and Pyodide's version; the next pages,
   and the restart after Stop, start from it. Pyodide refuses a copy from another build (its build
   id is inside); a copy that fails to load is deleted and Python starts afresh. The copy is made
   before any code of a lesson has run, and the cache is held here only: confine() takes `caches`
   from the learner's code. Where Cache Storage is missing (a page not served over HTTPS or from
   this machine), each page starts afresh, as before. */
const CACHES = self.caches;
const SAVED = "tracksite-python";
/* a copy as Pyodide writes it (its magic number, then a header, then whole pages of 64 KiB of
   memory): a copy cut short would make a memory Pyodide cannot start in, and wait for ever */
const whole = (b) => {
  if (b.length <= 48) return false;
  const v = new DataView(b.buffer, b.byteOffset, 48);
  return v.getUint32(0, true) === 1886286592 && (b.length - v.getUint32(4, true)) % 65536 === 0;
};
const savedStart = async (version) => {
  const key = new URL(`pyodide/python-${version}.memory`, HERE).href;
  let cache = null;
  try { cache = CACHES ? await CACHES.open(SAVED) : null; } catch (e) { /* storage refused: start afresh */ }
  const found = cache ? await cache.match(key).catch(() => undefined) : undefined;
  const bytes = found ? new Uint8Array(await found.arrayBuffer().catch(() => new ArrayBuffer(0))) : null;
  if (bytes && !whole(bytes)) cache.delete(key).catch(() => {});
  return {
    bytes: bytes && whole(bytes) ? bytes : null,
    save: (data) => cache && cache.put(key, new Response(data)).catch(() => {}),
    drop: () => cache && cache.delete(key).catch(() => {}),
  };
};

const starting = (async () => {
  /* an empty module first: a policy that forbids WebAssembly says so at once, where Pyodide's
     own loading would wait for ever */
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    throw new Error("WebAssembly is not allowed here (the server's Content-Security-Policy needs 'wasm-unsafe-eval')");
  }
  const loader = load("pyodide/pyodide.js"); /* small: the saved memory is read while the rest loads */
  const [{ loadPyodide }, asm, saved] = await Promise.all([
    loader, load("pyodide/pyodide.asm.js"), loader.then((m) => savedStart(m.version)),
  ]);
  const base = { indexURL: new URL("pyodide/", HERE).href, packages: [], createPyodideModule: asm.default };
  const pyodide = async () => {
    if (saved.bytes) {
      try {
        return { py: await loadPyodide({ ...base, _loadSnapshot: saved.bytes }), restored: true };
      } catch (e) {
        saved.drop(); /* another build's, or damaged: started afresh below */
      }
    }
    const py = await loadPyodide({ ...base, _makeSnapshot: true });
    try { saved.save(py.makeMemorySnapshot()); } catch (e) { /* not saved: the next page starts afresh */ }
    return { py, restored: false };
  };
  const [{ py, restored }, runner] = await Promise.race([failed, Promise.all([
    pyodide(),
    fetch(new URL("runner.py", HERE)).then((r) => {
      if (!r.ok) throw new Error("runner.py: " + r.status);
      return r.text();
    }),
  ])]);
  py.setStdout(writer("stdout"));
  py.setStderr(writer("stderr"));
  py.setStdin({ error: true }); /* input() has no one to ask: EOFError */
  py.FS.writeFile("/home/pyodide/tracksite_runner.py", runner);
  const module = py.pyimport("tracksite_runner");
  return { py, module, restored };
})();

starting.then(
  ({ restored }) => postMessage({ kind: "ready", restored }),
  (e) => postMessage({ kind: "failed", reason: String((e && e.message) || e) }),
);

/* ---- issue 69: what the code of a run can reach (keep this block whole) ----
   The page's policy (inherited: runnable.js starts this worker from a blob: URL) keeps requests
   on the site's origin and forbids eval. On that origin the code reaches only the site's own
   files: fetch is limited to the folder two levels above this file (the site, or the package in
   an LMS, which serves other things on the same origin with the learner's cookies), and what
   else makes requests or other workers is taken away, once Python has loaded and before any
   code runs. */
const SITE = new URL("../../", import.meta.url);
let confined = false;
function confine() {
  if (confined) return;
  confined = true;
  const own = fetch.bind(self);
  const inside = (url) => url.origin === SITE.origin && url.pathname.startsWith(SITE.pathname);
  self.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? String(input) : "about:blank", SITE);
    if (!inside(url)) return Promise.reject(new Error("only the site's own files can be fetched here"));
    return own(url.href, { ...(init || {}), credentials: "same-origin", mode: "same-origin" });
  };
  const drop = (name) => {
    try { delete self[name]; } catch (e) { /* not configurable: left to the policy */ }
    if (name in self) try { Object.defineProperty(self, name, { value: undefined }); } catch (e) { /* idem */ }
  };
  ["XMLHttpRequest", "WebSocket", "WebTransport", "EventSource", "importScripts", "SharedWorker",
    "BroadcastChannel", "indexedDB", "caches"].forEach(drop);
  if (typeof Worker === "function") drop(Worker.name); /* nested workers */
}
/* ---- end of issue 69's block ---- */

onmessage = async (event) => {
  const { id, code, tests, expected } = event.data;
  let verdict;
  try {
    const { module } = await starting;
    confine();
    run = { id, sent: 0, pending: [], window: Date.now(), posts: 0 };
    postMessage({ id, kind: "started" });
    /* undefined, not null: Pyodide turns null into JsNull, undefined into None */
    const result = module.run(code, tests == null ? undefined : tests, expected == null ? undefined : expected);
    verdict = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
  } catch (e) {
    verdict = { status: "error", detail: String((e && e.message) || e) };
  }
  send("stdout", "", true);
  run = null;
  postMessage({ id, kind: "done", verdict });
};
