/* tracksite /// runnable: the Web Worker that runs the learner's Python, so the page never
   freezes. It runs inside the sandboxed frame of runnable-sandbox.js (an opaque origin, no
   request allowed): runnable-frame.js starts it as a classic worker from the blob: script the
   page made of Pyodide's two modules (as classic scripts) and this file, which calls boot().
   Every file
   Pyodide asks for comes from those bytes (the first message); nothing is fetched. To stop an
   endless loop the page removes the frame, and this worker with it: Python cannot be
   interrupted from outside without SharedArrayBuffer, which needs headers a static site cannot
   send.

   Messages in: {kind: "files", files: {name: Blob}}, first; {kind: "module", module:
   WebAssembly.Module | null, reason} (compiled by the frame); {kind: "saved", memory:
   ArrayBuffer | null} (the page's copy, read by the frame, which may come later); {id, code, tests, expected}. Out: {kind: "memory", bytes} (a fresh start's memory,
   before any code of a lesson ran), {kind: "ready", restored}, {kind: "failed", reason}, and per
   run {id, kind: "started"}, {id, kind: "out", stream, text}, {id, kind: "done", verdict}. */

(() => {
"use strict";
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

/* ---- Pyodide, from the bytes handed over ---- */
/* Pyodide asks for its files by address under indexURL (the lock file, the standard library,
   the WebAssembly); they are answered from the bytes the page sent, so no request is made (the
   frame's policy, connect-src 'none', would refuse it anyway). The WebAssembly comes compiled
   by the frame, which compiled it from its Blob while this script was evaluated. */
const INDEX = "https://tracksite.invalid/pyodide/";
const TYPES = { wasm: "application/wasm", json: "application/json", zip: "application/zip" };
function serve(files, compiled) {
  const answer = (name) => {
    const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] || "application/octet-stream";
    return new Response(files[name], { headers: { "Content-Type": type } });
  };
  self.fetch = (input) => {
    const url = String(input && input.url ? input.url : input);
    const name = url.startsWith(INDEX) ? "pyodide/" + url.slice(INDEX.length).split(/[?#]/)[0] : "";
    if (!files[name]) return Promise.reject(new TypeError("no such file here: " + url));
    return Promise.resolve(answer(name));
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const module = await compiled;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

/* a copy as Pyodide writes it (its magic number, then a header, then whole pages of 64 KiB of
   memory): a copy cut short would make a memory Pyodide cannot start in, and wait for ever */
const whole = (b) => {
  if (!b || b.length <= 48) return false;
  const v = new DataView(b.buffer, b.byteOffset, 48);
  return v.getUint32(0, true) === 1886286592 && (b.length - v.getUint32(4, true)) % 65536 === 0;
};

/* The copy as kept: Pyodide's copy with its memory's pages of zeros left out (about half of the
   31 MB after a fresh start), so that the page hashes, stores and reads back, and the frame
   copies, half as much. [PACKED, its length unpacked, the header's length, the pages, then a byte
   per page (1: kept), Pyodide's header, the kept pages]. A copy of Pyodide's own form is taken as
   it is; one that does not add up, or would unpack to more than MOST (a fresh start's copy is
   31 MB: a 64 KB file of pages of zeros must not make the frame ask for 4 GB before its digest is
   checked), unpacks to nothing (the start is then a fresh one). */
const PACKED = 0x315a5354, PAGE = 65536, MOST = 256 * 1024 * 1024;
const zeros = (words, from, to) => {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
};
function pack(copy) {
  const head = new DataView(copy.buffer, copy.byteOffset, 8).getUint32(4, true);
  const pages = (copy.length - head) / PAGE;
  if (copy.byteOffset % 4 || head % 4 || !Number.isInteger(pages)) return copy;
  const words = new Uint32Array(copy.buffer, copy.byteOffset, copy.length / 4);
  const map = new Uint8Array(pages);
  let kept = 0;
  for (let p = 0; p < pages; p++) {
    const from = (head + p * PAGE) / 4;
    if (!zeros(words, from, from + PAGE / 4)) { map[p] = 1; kept++; }
  }
  const start = 16 + Math.ceil(pages / 4) * 4;
  const out = new Uint8Array(start + head + kept * PAGE);
  new Uint32Array(out.buffer, 0, 4).set([PACKED, copy.length, head, pages]);
  out.set(map, 16);
  out.set(copy.subarray(0, head), start);
  let at = start + head;
  for (let p = 0; p < pages; p++) {
    if (!map[p]) continue;
    out.set(copy.subarray(head + p * PAGE, head + (p + 1) * PAGE), at);
    at += PAGE;
  }
  return out;
}
function unpack(b) {
  if (!b || b.length < 16) return b;
  const v = new DataView(b.buffer, b.byteOffset, 16);
  if (v.getUint32(0, true) !== PACKED) return b;
  const [length, head, pages] = [v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true)];
  const start = 16 + Math.ceil(pages / 4) * 4;
  if (start > b.length || length !== head + pages * PAGE || length > MOST) return null;
  const map = b.subarray(16, 16 + pages);
  const kept = map.reduce((n, x) => n + (x === 1 ? 1 : x === 0 ? 0 : Infinity), 0);
  if (b.length !== start + head + kept * PAGE) return null;
  const copy = new Uint8Array(length);
  copy.set(b.subarray(start, start + head));
  let at = start + head;
  for (let p = 0; p < pages; p++) {
    if (!map[p]) continue;
    copy.set(b.subarray(at, at + PAGE), head + p * PAGE);
    at += PAGE;
  }
  return copy;
}

/* the start's steps, for the page's performance marks (runnable-sandbox.js) */
const marks = [];
const mark = (name) => marks.push([name, performance.timeOrigin + performance.now()]);

async function start(loader, asm, files, memory) {
  mark("files-in");
  /* an empty module first: a policy that forbids WebAssembly says so at once, where Pyodide's
     own loading would wait for ever */
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    throw new Error("WebAssembly is not allowed here (the server's Content-Security-Policy needs 'wasm-unsafe-eval')");
  }
  /* compiled by the frame while this script was evaluated (runnable-frame.js) */
  const wasm = files["pyodide/pyodide.asm.wasm"];
  compiled.then(() => mark("compiled"), () => {});
  /* the others read whole (from memory): every request Pyodide makes is answered from bytes;
     the WebAssembly, compiled by the frame, is not read here at all */
  const bytes = { "pyodide/pyodide.asm.wasm": wasm };
  /* the memory's bytes, read by the frame meanwhile */
  const snapshot = memory.then((given) => { mark("memory-in"); return given; });
  await Promise.all(Object.keys(files).filter((name) => files[name] !== wasm)
    .map(async (name) => { bytes[name] = await files[name].arrayBuffer(); }));
  serve(bytes, compiled);
  const base = { indexURL: INDEX, packages: [], createPyodideModule: asm };
  const read = await snapshot;
  const saved = read instanceof ArrayBuffer ? unpack(new Uint8Array(read)) : null;
  let py = null, restored = false;
  if (whole(saved)) {
    /* the page keeps this memory and checked it against the digest it noted when it received it
       from a fresh start; Pyodide refuses one of another build (its build id is inside) */
    try {
      py = await loader.loadPyodide({ ...base, _loadSnapshot: saved });
      mark("loaded");
      restored = true;
    } catch (e) { py = null; }
  }
  const runner = new TextDecoder().decode(bytes["runner.py"]);
  if (!py) {
    py = await loader.loadPyodide({ ...base, _makeSnapshot: true });
    imported(py, runner); /* into the copy: a start from it imports nothing */
    try {
      const bytes = pack(py.makeMemorySnapshot());
      postMessage({ kind: "memory", bytes }, [bytes.buffer]);
    } catch (e) { /* not kept: the next page starts afresh */ }
  } else {
    imported(py, runner);
  }
  mark("runner");
  py.setStdout(writer("stdout"));
  py.setStderr(writer("stderr"));
  py.setStdin({ error: true }); /* input() has no one to ask: EOFError */
  const module = py.pyimport("tracksite_runner");
  return { py, module, restored };
}

/* The runner (and the standard modules it imports) is imported before the fresh start's memory
   is copied, and only by this worker's own code (no lesson's code has run): a start from the
   copy then skips the import, which took 0.5-1.0 s of a second lesson's start (issue 81). A
   copy whose runner is not this runner's text (another tracksite's) imports this one afresh.
   Its file is written in both cases: the file system is not in the copy. */
const IMPORT = `import importlib, sys
m = sys.modules.get("tracksite_runner")
if m is None or getattr(m, "_ts_source", None) != source:
    sys.modules.pop("tracksite_runner", None)
    importlib.invalidate_caches()
    importlib.import_module("tracksite_runner")._ts_source = source`;
function imported(py, runner) {
  py.FS.writeFile("/home/pyodide/tracksite_runner.py", runner);
  const scope = py.toPy({ source: runner });
  try {
    py.runPython(IMPORT, { globals: scope });
  } finally {
    scope.destroy();
  }
}

let starting = null;
let compiled = null;
function boot(loader, asm) {
  marks.push(["worker-origin", performance.timeOrigin]);
  mark("evaluated");
  let files = null, saved = null, made = null;
  compiled = new Promise((resolve, reject) => { made = (m) => (m.module ? resolve(m.module) : reject(new Error(m.reason))); });
  compiled.catch(() => {});
  const handed = new Promise((resolve) => { files = resolve; });
  const memory = new Promise((resolve) => { saved = resolve; });
  starting = handed.then((m) => start(loader, asm, m.files, memory));
  starting.then(
    ({ restored }) => {
      postMessage({ kind: "marks", marks });
      postMessage({ kind: "ready", restored });
    },
    (e) => postMessage({ kind: "failed", reason: String((e && e.message) || e) }),
  );
  onmessage = (event) => {
    const m = event.data || {};
    if (m.kind === "files") files(m);
    else if (m.kind === "module") made(m);
    else if (m.kind === "saved") saved(m.memory || null);
    else runOne(m);
  };
}

async function runOne({ id, code, tests, expected }) {
  let verdict;
  try {
    const { module } = await starting;
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
}

/* runnable-frame.js's script calls it once Pyodide's two parts are defined */
self.tracksiteBoot = boot;
})();
