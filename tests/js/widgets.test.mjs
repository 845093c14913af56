// The widgets' and the exports' logic that needs no browser, under `node --test`: each script runs
// as the page runs it (a classic script, in a context of its own) over a small stand-in for the
// page (the course's <meta>, the script's address, localStorage, an LMS's SCORM API). What is
// checked: the storage keys and the course's namespace (widgets.js), that the SCORM runtime keeps
// its state in the same namespace as the pages (scorm.js), suspend_data packed and read back
// (scorm.js, laid out by commands/export/scormstate.py), the score of first checks, and the
// offline copy's answer to fetch() (offline.js). tests/search/test_search_engine_js.py runs this folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = (path) => readFileSync(new URL(`../../scripts/tracksite/theme/${path}`, import.meta.url), "utf8");
const WIDGETS = source("assets/tracksite/widgets.js");
// the launch page loads the suspend_data codec (scorm-state.js), then the runtime (scorm.js)
const SCORM = source("export/scorm-state.js") + "\n" + source("export/scorm.js");
const OFFLINE = source("export/offline.js");

/** localStorage as a browser keeps it: strings by key, in insertion order; `quota` characters at most. */
class Storage {
  constructor(items = {}, quota = Infinity) {
    this.items = new Map(Object.entries(items));
    this.quota = quota;
  }
  get length() { return this.items.size; }
  key(i) { return [...this.items.keys()][i] ?? null; }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) {
    const used = [...this.items].reduce((n, [key, value]) => n + (key === k ? 0 : key.length + value.length), 0);
    if (used + k.length + String(v).length > this.quota) throw new Error("QuotaExceededError");
    this.items.set(k, String(v));
  }
  removeItem(k) { this.items.delete(k); }
  dump() { return Object.fromEntries(this.items); }
}

/** A page's globals for a classic script: `window` is the context's global object. */
function page({ course = "0a1b2c3d", bound = false, src, storage = new Storage(), extra = {} }) {
  const meta = course === null ? null : { content: course, dataset: bound ? { bound: "location" } : {} };
  const listeners = {};
  const document = {
    querySelector: (s) => (s === 'meta[name="tracksite-course"]' ? meta : null),
    querySelectorAll: () => [],
    getElementById: () => ({ addEventListener() {}, src: "" }),
    currentScript: { src },
    readyState: "loading",
    addEventListener: () => {},
    documentElement: { lang: "en" },
    baseURI: src,
    head: { append() {} },
  };
  const window = {
    document, console, URL, Response, setTimeout, clearTimeout, JSON, Math, Date,
    location: { replace() {}, pathname: "/" },
    addEventListener: (type, f) => { (listeners[type] ||= []).push(f); },
    requestAnimationFrame: () => {},
    ...extra,
  };
  if (!("localStorage" in extra)) window.localStorage = storage;
  window.window = window;
  return { window, storage, listeners };
}

/** A value made in the script's context as one of this one (its arrays have another Array). */
const plain = (v) => JSON.parse(JSON.stringify(v));

function run(code, env) {
  vm.runInContext(code, vm.createContext(env.window));
  return env.window;
}

const ROOT = "https://lms.example/pluginfile.php/42/mod_scorm/content/1/";
const fnvHex = (text) => {
  let a = 2166136261;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
  return (a >>> 0).toString(16).padStart(8, "0");
};

test("widgets.js keeps the course's keys under its id, and leaves other keys alone", () => {
  const w = run(WIDGETS, page({ src: "https://host/c/assets/tracksite/widgets.js" }));
  assert.equal(w.tracksite.course, "0a1b2c3d");
  assert.equal(w.tracksite.key("tracksite:progress"), "tracksite:0a1b2c3d:progress");
  assert.equal(w.tracksite.key("other:progress"), "other:progress");
  w.tracksite.save("tracksite:progress", { "t/l": true });
  assert.deepEqual(w.tracksite.load("tracksite:progress", {}), { "t/l": true });
  assert.deepEqual(plain(w.tracksite.stored()), ["tracksite:copied", "tracksite:progress"]);
  w.tracksite.remove("tracksite:progress");
  assert.deepEqual(w.tracksite.load("tracksite:progress", "none"), "none");
});

test("a page without a course id (a site built before it) keeps the plain keys", () => {
  const w = run(WIDGETS, page({ course: null, src: "https://host/assets/tracksite/widgets.js" }));
  assert.equal(w.tracksite.course, "");
  assert.equal(w.tracksite.key("tracksite:progress"), "tracksite:progress");
  const bad = run(WIDGETS, page({ course: "not-an-id", src: "https://host/assets/tracksite/widgets.js" }));
  assert.equal(bad.tracksite.course, "");
});

test("an id bound to the copy's place differs per place, as the LMS serves each activity", () => {
  const at = (root) => run(WIDGETS, page({ bound: true, src: root + "assets/tracksite/widgets.js" })).tracksite.course;
  assert.equal(at(ROOT), fnvHex("0a1b2c3d\n" + ROOT));
  assert.notEqual(at(ROOT), at(ROOT.replace("/42/", "/43/")));
  assert.match(at(ROOT), /^[0-9a-f]{8}$/);
});

test("keys of a site built before the namespace are copied in once, not moved", () => {
  const storage = new Storage({ "tracksite:progress": '{"t/a":true}', "tracksite:ffffffff:progress": "{}" });
  const w = run(WIDGETS, page({ src: "https://host/assets/tracksite/widgets.js", storage }));
  assert.deepEqual(w.tracksite.load("tracksite:progress", {}), { "t/a": true });
  assert.equal(storage.getItem("tracksite:progress"), '{"t/a":true}'); /* another course may read it */
  assert.equal(storage.getItem("tracksite:0a1b2c3d:ffffffff:progress"), null); /* another course's */
  storage.setItem("tracksite:progress", '{"t/b":true}');
  const again = run(WIDGETS, page({ src: "https://host/assets/tracksite/widgets.js", storage }));
  assert.deepEqual(again.tracksite.load("tracksite:progress", {}), { "t/a": true }); /* once */
});

test("what storage holds that is not an object reads as the fallback", () => {
  const storage = new Storage({
    "tracksite:0a1b2c3d:a": "[1, 2]", "tracksite:0a1b2c3d:b": "{broken", "tracksite:0a1b2c3d:c": "null",
    "tracksite:0a1b2c3d:d": "7", "tracksite:0a1b2c3d:copied": "{}",
  });
  const w = run(WIDGETS, page({ src: "https://host/assets/tracksite/widgets.js", storage }));
  for (const k of ["a", "b", "c", "d", "missing"]) assert.deepEqual(w.tracksite.load("tracksite:" + k, { f: 1 }), { f: 1 });
});

test("a full or refused storage keeps the values in memory for the page", () => {
  const full = run(WIDGETS, page({ src: "https://host/assets/tracksite/widgets.js", storage: new Storage({}, 40) }));
  full.tracksite.save("tracksite:quiz:t/l:abc", { answers: { 0: [1] }, first: { 0: 0 } });
  assert.deepEqual(plain(full.tracksite.load("tracksite:quiz:t/l:abc", {})), { answers: { 0: [1] }, first: { 0: 0 } });
  const env = page({ src: "https://host/assets/tracksite/widgets.js", extra: {} });
  Object.defineProperty(env.window, "localStorage", { get() { throw new Error("SecurityError"); } });
  const off = run(WIDGETS, env);
  off.tracksite.save("tracksite:progress", { x: true });
  assert.deepEqual(off.tracksite.load("tracksite:progress", {}), { x: true });
  assert.deepEqual(plain(off.tracksite.stored()), []);
});

/* ---- the SCORM runtime ---- */

/** An LMS's SCORM 1.2 API that keeps what it is given. */
function lms(values = {}) {
  const data = { "cmi.core.lesson_status": "not attempted", "cmi.interactions._count": "0", ...values };
  return {
    data,
    LMSInitialize: () => "true", LMSFinish: () => "true", LMSCommit: () => "true",
    LMSGetValue: (k) => data[k] ?? "", LMSSetValue: (k, v) => { data[k] = String(v); return "true"; },
  };
}

const COURSE = {
  version: "1.2", threshold: 1, mastery: null, start: "index.html", id: "0a1b2c3d", limit: 4096,
  lessons: [
    {
      id: "t/one", code: "a", qc: "AA", cc: "BB", decks: [["tracksite:cards:t/one:1", ["alpha", "beta"]]],
      questions: [
        { key: "tracksite:quiz:t/one:q1", also: ["tracksite:quiz:t/exercises:q1"], n: 3, h: 5, id: "t/one/q1", type: "choice", right: [1], text: "Q1" },
        { key: "tracksite:quiz:t/one:q2", also: [], n: 4, h: 9, id: "t/one/q2", type: "multiple", right: [0, 2], text: "Q2" },
      ],
    },
    { id: "t/two", code: "b", qc: "CC", cc: "DD", decks: [], questions: [
      { key: "tracksite:runnable:t/two:x", also: [], n: 1, h: 33, id: "t/two/x", type: "code", right: [0], text: "" },
    ] },
  ],
};

function launch(storage, api, course = COURSE) {
  const env = page({ course: null, src: ROOT + "assets/tracksite-export/scorm.js", storage, extra: { API: api, tracksiteCourse: course } });
  return run(SCORM, env).tracksiteScorm;
}

test("the SCORM runtime keeps its state where the package's pages keep theirs", () => {
  const storage = new Storage();
  launch(storage, lms());
  const pages = run(WIDGETS, page({ bound: true, src: ROOT + "assets/tracksite/widgets.js", storage: new Storage() }));
  assert.ok(storage.getItem(pages.tracksite.key("tracksite:copied")) !== null, JSON.stringify(storage.dump()));
});

test("suspend_data carries lessons done, first checks, options chosen and cards, and reads back", () => {
  const own = "tracksite:" + fnvHex("0a1b2c3d\n" + ROOT) + ":";
  const api = lms();
  const storage = new Storage();
  const scorm = launch(storage, api);
  const state = {
    progress: { "t/one": true },
    "quiz:t/one:q1": { answers: { 0: [2] }, first: { 0: 0 } },
    "quiz:t/one:q2": { answers: { 0: [0, 2] } },
    "runnable:t/two:x": { answers: { 0: [0] }, first: { 0: 1 } },
    "cards:t/one:1": { alpha: "known", beta: "again" },
    learner: { id: "k2j4h5g6" },
  };
  for (const [k, v] of Object.entries(state)) storage.setItem(own + k, JSON.stringify(v));
  assert.equal(scorm.saveState(), 0);
  const saved = api.data["cmi.suspend_data"];
  assert.ok(saved.length < 200, saved);
  assert.equal(JSON.parse(saved).k, "0a1b2c3d");
  /* first checks only: one right (the code exercise), one wrong (q1); q2, never checked, counts as not right */
  assert.equal(scorm.score(), 33);

  const again = new Storage();
  launch(again, lms({ "cmi.suspend_data": saved }));
  const read = (k) => JSON.parse(again.getItem(own + k));
  assert.deepEqual(read("progress"), { "t/one": true });
  assert.deepEqual(read("quiz:t/one:q1"), { answers: { 0: [2] }, first: { 0: 0 } });
  assert.deepEqual(read("quiz:t/exercises:q1"), { answers: { 0: [2] } }); /* its copy on the exercise pack */
  assert.deepEqual(read("quiz:t/one:q2"), { answers: { 0: [0, 2] } });
  assert.deepEqual(read("runnable:t/two:x"), { answers: { 0: [0] }, first: { 0: 1 } });
  assert.deepEqual(read("cards:t/one:1"), { alpha: "known", beta: "again" });
  assert.deepEqual(read("learner"), { id: "k2j4h5g6" });
});

/* days as scorm.js counts them: the learner's local days */
const DAY = 24 * 60 * 60 * 1000;
const dayOf = (ms) => Math.floor((ms - new Date(ms).getTimezoneOffset() * 60000) / DAY);
const startOf = (day) => { const ms = day * DAY; return ms + new Date(ms).getTimezoneOffset() * 60000; };

test("the cards' review schedules travel in suspend_data, and go first when the LMS keeps less", () => {
  const own = "tracksite:" + fnvHex("0a1b2c3d\n" + ROOT) + ":";
  const api = lms();
  const storage = new Storage();
  const scorm = launch(storage, api);
  const today = dayOf(Date.now());
  const review = {
    cards: { "t/one|alpha": { box: 3, due: startOf(today + 4) }, "t/one|beta": { box: 1, due: startOf(today) } },
    decks: { "t/one": ["t/one|alpha", "t/one|beta"] },
  };
  const fill = (into) => { /* after the launch, which replaces the namespace's keys with the LMS's state */
    into.setItem(own + "review", JSON.stringify(review));
    into.setItem(own + "cards:t/one:1", JSON.stringify({ alpha: "known" }));
    into.setItem(own + "quiz:t/one:q1", JSON.stringify({ answers: { 0: [1] }, first: { 0: 1 } }));
    into.setItem(own + "quiz:t/one:q2", JSON.stringify({ answers: { 0: [0, 2] } })); /* not checked */
  };
  fill(storage);
  assert.equal(scorm.saveState(), 0);
  const again = new Storage();
  launch(again, lms({ "cmi.suspend_data": api.data["cmi.suspend_data"] }));
  assert.deepEqual(JSON.parse(again.getItem(own + "review")), review);

  /* an LMS that keeps fewer characters: the schedules are dropped first, then the marks, then
     the options chosen; the first checks stay */
  const sizes = [0, 1, 2, 3].map((level) => scorm.encode(level).length);
  assert.ok(sizes[0] > sizes[1] && sizes[1] > sizes[2] && sizes[2] > sizes[3], String(sizes));
  const small = lms();
  const fewer = new Storage();
  const kept = launch(fewer, small, { ...COURSE, limit: sizes[3] });
  fill(fewer);
  assert.equal(kept.saveState(), 3);
  const last = new Storage();
  launch(last, lms({ "cmi.suspend_data": small.data["cmi.suspend_data"] }));
  assert.deepEqual(JSON.parse(last.getItem(own + "quiz:t/one:q1")), { first: { 0: 1 } });
  assert.equal(last.getItem(own + "quiz:t/one:q2"), null);
  assert.equal(last.getItem(own + "cards:t/one:1"), null);
  assert.deepEqual(JSON.parse(last.getItem(own + "review")).cards, {});
});

test("a question the new version changed loses its own answer, no other", () => {
  const own = "tracksite:" + fnvHex("0a1b2c3d\n" + ROOT) + ":";
  const api = lms();
  const storage = new Storage();
  const scorm = launch(storage, api);
  storage.setItem(own + "quiz:t/one:q1", JSON.stringify({ answers: { 0: [1] }, first: { 0: 1 } }));
  storage.setItem(own + "quiz:t/one:q2", JSON.stringify({ answers: { 0: [3] }, first: { 0: 0 } }));
  scorm.saveState();
  const edited = structuredClone(COURSE);
  edited.lessons[0].questions[0].h = 6; /* q1's text changed: another identity */
  const again = new Storage();
  launch(again, lms({ "cmi.suspend_data": api.data["cmi.suspend_data"] }), edited);
  assert.equal(again.getItem(own + "quiz:t/one:q1"), null);
  assert.deepEqual(JSON.parse(again.getItem(own + "quiz:t/one:q2")), { answers: { 0: [3] }, first: { 0: 0 } });
});

test("suspend_data that is not the runtime's restores nothing and breaks nothing", () => {
  for (const saved of ["", "not json", '{"v":1,"s":"a1"}', '{"v":3,"s":7}', '{"v":3,"s":"zz1.q0,,"}']) {
    const storage = new Storage();
    assert.doesNotThrow(() => launch(storage, lms({ "cmi.suspend_data": saved })));
    const own = "tracksite:" + fnvHex("0a1b2c3d\n" + ROOT) + ":";
    assert.equal(storage.getItem(own + "quiz:t/one:q1"), null);
  }
});

/* ---- the offline copy ---- */

test("the offline copy answers fetch() for its search files, however the address is given", async () => {
  const copy = "file:///home/learner/course/";
  const files = { "search-index/words-en.json": { a: 1 } };
  const asked = [];
  const env = page({ course: null, src: copy + "assets/tracksite-export/offline.js", extra: {
    fetch: (input) => { asked.push(String(input)); return Promise.reject(new Error("network")); },
  } });
  env.window.document.baseURI = copy + "t/lesson/index.html";
  env.window.document.createElement = () => ({});
  env.window.document.head.append = (s) => { env.window.tracksiteFiles = files; s.onload(); };
  const w = run(OFFLINE, env);
  for (const input of ["../../search-index/words-en.json", new URL(copy + "search-index/words-en.json"),
    { url: copy + "search-index/words-en.json" }]) {
    const r = await w.fetch(input);
    assert.equal(r.status, 200, String(input));
    assert.deepEqual(await r.json(), { a: 1 });
  }
  assert.equal((await w.fetch(copy + "search-index/other.json")).status, 404);
  await assert.rejects(w.fetch("https://elsewhere.example/x.json"), /network/);
  assert.deepEqual(asked, ["https://elsewhere.example/x.json"]);
});
