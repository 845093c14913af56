// The course search's engine (scripts/tracksite/search/search-engine.js) under
// `node --test`: how a query is read in each language, which groups of a word file it matches,
// how results rank, and what "Did you mean" offers. Word files are written here in the index's
// format (scripts/tracksite/search/README.md); the stems are Snowball's, as the
// Python indexer writes them (tests/search/test_search_languages.py checks the two sides agree).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../scripts/tracksite/search/search-engine.js", import.meta.url), "utf8");
const engine = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
const { words, fold, forms, distance, matchGroups, nearest, excerpt, diversify, ROOT, Index } = engine;

test("a query is folded like the index: case, accents, hyphens, -ise, CJK", () => {
  assert.deepEqual(words("Multi-Head ATENCIÓN"), ["multi", "head", "atencion", "multihead"]);
  assert.deepEqual(words("normalise tokenisation"), ["normalize", "tokenization"]);
  assert.deepEqual(words("normalise", "fr"), ["normalise"]);
  assert.deepEqual(words("中文字"), ["中", "文", "字"]);
  assert.equal(fold("Übung Ação Réseau"), "ubung acao reseau");
});

// each language: a query's word form -> the Snowball stem of the page's word (from Python's snowballstemmer)
const STEMS = {
  en: [["tokenization", "token"], ["embedded", "embed"], ["normalization", "normal"], ["studying", "studi"], ["encodes", "encod"]],
  es: [["informaciones", "inform"], ["funciones", "funcion"], ["graficos", "grafic"], ["visualizacion", "visualiz"], ["aprendiendo", "aprend"]],
  fr: [["fonctions", "fonction"], ["reseaux", "reseau"], ["normalisation", "normalis"], ["entrainement", "entrain"]],
  de: [["Übungen", "ubung"], ["Netzwerke", "netzwerk"], ["Funktionen", "funktion"]],
  pt: [["informações", "inform"], ["funcoes", "funca"], ["aprendendo", "aprend"], ["redes", "red"], ["graficos", "grafic"]],
};
for (const [lang, pairs] of Object.entries(STEMS)) {
  test(`${lang}: other word forms reach the page's stem`, () => {
    for (const [query, stem] of pairs) {
      const [word] = words(query, lang);
      assert.ok(forms(word, lang).has(stem), `${query} -> ${[...forms(word, lang)]} lacks ${stem}`);
    }
  });
}

test("edit distance counts a transposition as one edit and gives up past the limit", () => {
  assert.equal(distance("atention", "attention"), 1);
  assert.equal(distance("transfomer", "transformer"), 1);
  assert.equal(distance("teh", "the"), 1);
  assert.equal(distance("embeding", "embedding"), 1);
  assert.equal(distance("softmax", "sigmoid"), 3);
});

// A word file: words -> group, each group's stem, and [page ids as gaps from -1, scores, sections].
const SHARD = {
  words: { gradient: 0, gradients: 0, grades: 1, gradually: 2, grad: 3 },
  stems: ["gradient", "grade", "gradual", "grad"],
  groups: [[[0, 1, 1, 1, 1], [50, 40, 30, 20, 10], [0, 0, 0, 0, 0]], [[5], [90], [1]], [[6], [60], [0]], [[7], [10], [0]]],
};

test("matching: the word's own group counts whole, words it begins by how many pages use them", () => {
  const { factor } = matchGroups(SHARD, "gra");
  assert.ok(factor.get(0) > 0.4, "gradient, on five pages");
  assert.ok(factor.get(1) < 0.15 && factor.get(2) < 0.15, "grades and gradually, on one page each");
  const exact = matchGroups(SHARD, "grad").factor;
  assert.equal(exact.get(3), 1);
});

test("matching: a form no page uses reaches its stem's group", () => {
  const shard = { words: { token: 0, tokens: 0, tokenizer: 0, topic: 1 }, stems: ["token", "topic"], groups: [[[0], [50], [0]], [[1], [50], [0]]] };
  const { factor, matched } = matchGroups(shard, "tokenization");
  assert.deepEqual([...factor.keys()], [0]);
  assert.ok(matched.has("tokenizer"));
  assert.equal(matchGroups(shard, "tokenization", ["fr"]).factor.size, 0, "English endings only for English");
});

test("matching: a form of a root no group is the stem of reaches that root's groups, at half", () => {
  const shard = { words: { autoencoder: 0, autoencoders: 0, autumn: 1 }, stems: ["autoencoder", "autumn"], groups: [[[0], [50], [0]], [[1], [50], [0]]], roots: { 0: "autoencod" } };
  const { factor, matched, rooted } = matchGroups(shard, "autoencoding");
  assert.deepEqual([...factor], [[0, ROOT]]);
  assert.ok(rooted.has(0) && matched.has("autoencoder"));
  assert.equal(matchGroups(shard, "autumnal").factor.has(0), false, "an unrelated word reaches nothing of that root");
});

test("suggestions: the nearest word, the most used on a tie, nothing for a short or far word", () => {
  const shard = { words: { attention: 0, attend: 1, atlas: 2 }, stems: ["attent", "attend", "atlas"], groups: [[[0, 1, 1], [1, 1, 1], [0, 0, 0]], [[0], [1], [0]], [[0], [1], [0]]] };
  assert.equal(nearest(shard, "atention"), "attention");
  assert.equal(nearest(shard, "atend"), "attend");
  assert.equal(nearest(shard, "at"), null);
  assert.equal(nearest(shard, "zebra"), null);
});

test("excerpts mark the matched words, accents folded", () => {
  const pieces = excerpt("La información se guarda en una variable.", new Set(["informacion"]));
  assert.deepEqual(pieces.filter(([, marked]) => marked).map(([t]) => t), ["información"]);
});

// The whole engine on a small index served from memory: ranking and suggestions end to end.
function serve(files) {
  globalThis.document = { baseURI: "https://course.example/" };
  globalThis.fetch = async (href) => {
    const path = new URL(href).pathname.replace(/^\//, "");
    return path in files ? { ok: true, json: async () => files[path] } : { ok: false, status: 404 };
  };
}
const hex = (s) => Buffer.from(s).toString("hex");

test("ranking: the page a word weighs most on comes first; a typo gets a suggestion", async () => {
  const page = (id, title) => ({ url: `/p${id}/`, meta: { title, kind: "Lesson" }, sections: [["", title, `${title} text`]] });
  serve({
    "search-index/index.json": { format: 3, version: "v1", pages: 3, shards: ["at", "so"], split: [], languages: ["en"] },
    [`search-index/words/${hex("at")}.json`]: { words: { attention: 0 }, stems: ["attent"], groups: [[[1, 1], [20, 180], [0, 0]]] },
    [`search-index/words/${hex("so")}.json`]: { words: { softmax: 0 }, stems: ["softmax"], groups: [[[1, 2], [30, 90], [0, 0]]] },
    "search-index/pages/0-0.json": page(0, "Zero"),
    "search-index/pages/1-0.json": page(1, "Attention"),
    "search-index/pages/2-0.json": page(2, "Softmax"),
  });
  const index = await new Index("search-index/index.json").ready;
  const found = await index.search("attention");
  assert.deepEqual(found.results.map((r) => r.id), [1, 0]);
  assert.equal((await found.results[0].data()).meta.title, "Attention");
  const both = await index.search("softmax attention");
  assert.deepEqual(both.results.map((r) => r.id), [0], "every word must be on the page");
  const typo = await index.search("atention");
  assert.deepEqual(typo.results, []);
  assert.deepEqual(typo.suggestions, { atention: "attention" });
});

test("a result's section is fetched from the file its number names, at its place there", async () => {
  const file = (sections) => ({ url: "/p0/", meta: { title: "P0", kind: "lesson" }, sections });
  serve({
    "search-index/index.json": { format: 3, version: "v3", pages: 1, shards: ["de"], split: [], languages: ["en"] },
    [`search-index/words/${hex("de")}.json`]: { words: { deep: 0 }, stems: ["deep"], groups: [[[1], [50], [257]]] },
    "search-index/pages/0-0.json": file([["top", "Top", "nothing here"]]),
    "search-index/pages/0-1.json": file([["a", "A", "not this one"], ["deeper", "Deeper", "a deep dive"]]),
  });
  const index = await new Index("search-index/index.json").ready;
  const [result] = (await index.search("deep")).results;
  const shown = await result.data();
  assert.equal(shown.url, "https://course.example/p0/#deeper");
  assert.equal(shown.section, "Deeper");
  assert.deepEqual(shown.excerpt.filter(([, marked]) => marked).map(([t]) => t), ["deep"]);
});

test("ranking: the best lesson's summary follows it, but one lesson holds at most two of the top three", async () => {
  const page = (id) => ({ url: `/p${id}/`, meta: { title: `P${id}`, kind: "lesson" }, sections: [["", `P${id}`, "kv"]] });
  /* pages 0 (a lesson), 1 and 2 (its cheatsheet and overview), 3 (another lesson) */
  serve({
    "search-index/index.json": { format: 3, version: "v2", pages: 4, shards: ["ca"], split: [], languages: ["en"], family: [2, 1] },
    [`search-index/words/${hex("ca")}.json`]: { words: { cache: 0 }, stems: ["cach"], groups: [[[1, 1, 1, 1], [90, 40, 30, 60], [0, 0, 0, 0]]] },
    ...Object.fromEntries([0, 1, 2, 3].map((id) => [`search-index/pages/${id}-0.json`, page(id)])),
  });
  const index = await new Index("search-index/index.json").ready;
  assert.deepEqual((await index.search("cache")).results.map((r) => r.id), [0, 1, 3, 2]);
});

test("ranking: an overview never above its own lesson; one lesson alone keeps the top three", () => {
  const lessonOf = (r) => r.lesson;
  const r = (id, lesson) => ({ id, lesson });
  assert.deepEqual(diversify([r(0, 0), r(1, 0), r(2, 0)], lessonOf).map((x) => x.id), [0, 1, 2]);
  assert.deepEqual(diversify([r(0, 0), r(1, 0), r(2, 0), r(5, 5), r(6, 5)], lessonOf).map((x) => x.id), [0, 1, 5, 2, 6]);
});

test("matching: a word's own stem whole, the other stems of its root at half ('encoder' is not 'encoding')", async () => {
  /* the index keeps "encoder" (an agent noun) apart from "encoding"; both have Snowball's root "encod" */
  const shard = {
    words: { encoder: 0, encoders: 0, encoding: 1, encode: 1 },
    stems: ["encoder", "encod"],
    roots: { 0: "encod" },
    groups: [[[1], [40], [3]], [[2], [90], [1]]],
  };
  assert.deepEqual([...matchGroups(shard, "encoder").factor], [[0, 1], [1, ROOT]]);
  assert.deepEqual([...matchGroups(shard, "encoding").factor], [[1, 1], [0, ROOT]]);
  assert.deepEqual([...matchGroups(shard, "encoderz").factor], [], "no stem, no root");
  const page = (id) => ({ url: `/p${id}/`, meta: { title: `P${id}`, kind: "lesson" }, anchor: "", title: "", text: "x" });
  serve({
    "search-index/index.json": { format: 3, version: "v3", pages: 3, shards: ["en"], split: [], languages: ["en"] },
    [`search-index/words/${hex("en")}.json`]: { ...shard, groups: [[[1], [60], [0]], [[2], [190], [0]]] },
    ...Object.fromEntries([0, 1].map((id) => [`search-index/pages/${id}-0.json`, page(id)])),
  });
  const index = await new Index("search-index/index.json").ready;
  /* page 1 has "encoding" in its title and often; page 0 says "encoder": it comes first */
  assert.deepEqual((await index.search("encoders")).results.map((r) => r.id), [0, 1]);
  assert.deepEqual((await index.search("encoding")).results.map((r) => r.id), [1, 0]);
});
