// Issue 83: a hyphenated word in a query finds the pages that write it apart as well as the pages
// that write it with a hyphen (scripts/tracksite/search/search-engine.js `pieces`). Asking for "kv", "cache" and "kvcache" all at once missed every page saying
// "KV cache"; "top-k routing" found nothing at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../scripts/tracksite/search/search-engine.js", import.meta.url), "utf8");
const { pieces, Index } = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

const hex = (s) => Buffer.from(s).toString("hex");
function serve(files) {
  globalThis.document = { baseURI: "https://course.example/" };
  globalThis.fetch = async (href) => {
    const path = new URL(href).pathname.replace(/^\//, "");
    return path in files ? { ok: true, json: async () => files[path] } : { ok: false, status: 404 };
  };
}

test("a hyphenated piece is its words joined or its words apart", () => {
  assert.deepEqual(pieces("KV-cache top-k routing").map((p) => p.ways.map((w) => w.words)), [
    [["kvcache"], ["kv", "cache"]],
    [["topk"], ["top", "k"]],
    [["routing"]],
  ]);
  assert.deepEqual(pieces("normalise", ["en", "fr"])[0].ways.map((w) => w.words), [["normalize"], ["normalise"]]);
  assert.deepEqual(pieces("cache Cache").length, 1, "a piece asked twice is one piece");
});

/* Page 0 writes "KV cache" and "top k ... routes"; page 1 "KV-cache" (the index files its
   words and the joined word); page 2 says "cache" and "top-k sampling"; page 3 "kvcache" solid. */
function course() {
  const group = (ids, score = 50) => [[ids[0] + 1, ...ids.slice(1).map((id, i) => id - ids[i])], ids.map(() => score), ids.map(() => 0)];
  const page = (id) => ({ url: `/p${id}/`, meta: { title: `P${id}`, kind: "lesson" }, sections: [["", `P${id}`, "text"]] });
  serve({
    "search-index/index.json": { format: 3, version: "v1", pages: 4, shards: ["kv", "ca", "to", "k", "ro"], split: [], languages: ["en"] },
    [`search-index/words/${hex("kv")}.json`]: { words: { kv: 0, kvcache: 1 }, stems: ["kv", "kvcach"], groups: [group([0, 1]), group([1, 3])] },
    [`search-index/words/${hex("ca")}.json`]: { words: { cache: 0 }, stems: ["cach"], groups: [group([0, 1, 2])] },
    [`search-index/words/${hex("to")}.json`]: { words: { top: 0, topk: 1 }, stems: ["top", "topk"], groups: [group([0, 2]), group([2])] },
    [`search-index/words/${hex("k")}.json`]: { words: { k: 0 }, stems: ["k"], groups: [group([0, 2])] },
    [`search-index/words/${hex("ro")}.json`]: { words: { routes: 0, routing: 0 }, stems: ["rout"], groups: [group([0])] },
    ...Object.fromEntries([0, 1, 2, 3].map((id) => [`search-index/pages/${id}-0.json`, page(id)])),
  });
  return new Index("search-index/index.json").ready;
}

test("'kv-cache' finds the page saying 'KV cache' as well as the one saying 'KV-cache'", async () => {
  const index = await course();
  const found = await index.search("kv-cache");
  assert.deepEqual(found.results.map((r) => r.id).sort(), [0, 1, 3]);
  assert.deepEqual(found.ignored, []);
  assert.deepEqual((await index.search("KV cache")).results.map((r) => r.id).sort(), [0, 1]);
});

test("'top-k routing' finds the page with 'top k' and 'routes'", async () => {
  const index = await course();
  assert.deepEqual((await index.search("top-k routing")).results.map((r) => r.id), [0]);
});

test("a word written solid finds only the pages that write it solid or hyphenated", async () => {
  /* (cutting a solid word into two words of the course cut "encoder" into "encode" and "r") */
  const index = await course();
  assert.deepEqual((await index.search("kvcache")).results.map((r) => r.id).sort(), [1, 3]);
});

test("a hyphenated piece no page holds is named as typed; its unknown word gets a suggestion", async () => {
  const index = await course();
  const found = await index.search("cache kv-cashe");
  assert.deepEqual(found.ignored, ["kv-cashe"]);
  assert.equal(found.suggestions.cashe, "cache");
  assert.deepEqual(found.results.map((r) => r.id), [0, 1, 2]);
});
