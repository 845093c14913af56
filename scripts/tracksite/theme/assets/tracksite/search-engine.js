/* tracksite: the course search's engine, on the index the build writes (tracksite.adapter.search).
   Loaded by search-ui.js when a learner opens the search. A query fetches the word files of its
   words (each lists the pages of a word's stem with the stem's score there) and, for each result
   drawn, the fragment of the one section of the page it leads to: no WebAssembly, no list of
   every page (docs/benchmarks.md).

   A word matches the words of the index it equals or, from three letters on, that it begins
   ("enc" finds "encoder"); each word of the query must be on a page for the page to be a result
   (a word on no page of the course at all is left out of the query, and named as such),
   and the pages are ranked by BM25 (the score per page is computed at build time, the weight of a
   rare word here), a word in a page's title counting half a match more. A word file also says,
   for each page, the section where the word weighs most: a result leads to the section most of
   the query's weight points to, and its excerpt is cut from that section's text. */
const WORD = /[\p{L}\p{N}]+/gu;
const EXCERPT = 18; /* words in an excerpt */

export const words = (text) => (String(text).toLowerCase().match(WORD) || []);
const head = (word, n) => Array.from(word).slice(0, n).join("");
const hex = (key) => Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
const ungap = (gaps) => { let at = -1; return gaps.map((g) => (at += g)); };

export class Index {
  constructor(url) {
    this.url = new URL(url, document.baseURI);
    this.root = new URL("../", this.url); /* the site's root: index.json is at search-index/index.json */
    this.files = new Map();
    this.ready = this.json(this.url.href, true).then((entry) => {
      this.entry = entry;
      this.shards = new Set(entry.shards);
      this.split = new Set(entry.split);
      return this;
    });
  }

  json(href, fresh) {
    if (!this.files.has(href)) {
      const got = fetch(href, fresh ? { cache: "no-cache" } : {}).then((r) => {
        if (!r.ok) throw new Error(r.status + " for " + href);
        return r.json();
      });
      got.catch(() => this.files.delete(href)); /* a failed fetch is tried again next time */
      this.files.set(href, got);
    }
    return this.files.get(href);
  }

  file(path) { return this.json(new URL(path + "?v=" + this.entry.version, this.url).href); }

  /* The word file a word lives in: its first two letters, or three where that pair was split. */
  shardOf(word) {
    const pair = head(word, 2);
    const key = Array.from(word).length > 2 && this.split.has(pair) ? head(word, 3) : pair;
    return this.shards.has(key) ? this.file("words/" + hex(key) + ".json") : Promise.resolve(null);
  }

  /* The pages a query word is on: page id -> [score, section, vote], and the index's words it
     matched. The vote (the score of the word's own stem, a prefix match not halved) is how much
     the word pulls the result towards its section. */
  async match(word) {
    const shard = await this.shardOf(word);
    const pages = new Map(), matched = new Set();
    if (!shard) return { pages, matched };
    const prefix = Array.from(word).length >= 3;
    const factor = new Map(); /* group -> 1 for the word itself, 0.5 for words it begins */
    for (const [w, group] of Object.entries(shard.words)) {
      if (w === word || (prefix && w.startsWith(word))) {
        matched.add(w);
        factor.set(group, Math.max(factor.get(group) || 0, w === word ? 1 : 0.5));
      }
    }
    const n = this.entry.pages;
    for (const [group, f] of factor) {
      const [gaps, scores, sections] = shard.groups[group];
      const idf = Math.log(1 + (n - gaps.length + 0.5) / (gaps.length + 0.5));
      ungap(gaps).forEach((page, i) => {
        const q = scores[i]; /* over 100: a word of the page's title, worth half a match more */
        const score = idf * f * ((q % 100) / 100 + (q > 100 ? 0.5 : 0));
        if (score > ((pages.get(page) || [0])[0])) pages.set(page, [score, sections[i], score / f]);
      });
      for (const [w, g] of Object.entries(shard.words)) if (g === group) matched.add(w);
    }
    return { pages, matched };
  }

  preload(query) { return this.ready.then(() => Promise.all(words(query).map((w) => this.shardOf(w)))); }

  /* The track and kind menus: each value with its number of pages. */
  async filters() {
    await this.ready;
    const all = await this.file("filters.json");
    const out = {};
    for (const [name, values] of Object.entries(all)) {
      out[name] = {};
      for (const [value, gaps] of Object.entries(values)) out[name][value] = gaps.length;
    }
    return out;
  }

  async allowed(chosen) {
    const names = Object.keys(chosen || {});
    if (!names.length) return null;
    const all = await this.file("filters.json");
    let keep = null;
    for (const name of names) {
      const ids = new Set(ungap(((all[name] || {})[chosen[name]]) || []));
      keep = keep ? new Set([...keep].filter((id) => ids.has(id))) : ids;
    }
    return keep;
  }

  /* Every page holding every word of the query, best first; `data()` fetches a result's
     fragment. `ignored`: the words no page of the course has, left out rather than making the
     whole query fail (a typo, a word the course never uses). */
  async search(query, { filters } = {}) {
    await this.ready;
    const terms = [...new Set(words(query))];
    if (!terms.length) return { results: [], ignored: [] };
    const [all, keep] = await Promise.all([Promise.all(terms.map((w) => this.match(w))), this.allowed(filters)]);
    const ignored = terms.filter((_, i) => !all[i].pages.size);
    const found = all.filter((f) => f.pages.size).sort((a, b) => a.pages.size - b.pages.size);
    if (!found.length) return { results: [], ignored };
    const matched = new Set(found.flatMap((f) => [...f.matched]));
    const results = [];
    for (const page of found[0].pages.keys()) {
      if (keep && !keep.has(page)) continue;
      const hits = found.map((f) => f.pages.get(page));
      if (hits.some((h) => h === undefined)) continue;
      /* the section the query's words weigh most in, each word voting with its stem's score: a
         rare word ("temperature") outvotes a common one ("softmax") */
      const votes = new Map();
      for (const [, section, vote] of hits) votes.set(section, (votes.get(section) || 0) + vote);
      let section = hits[0][1];
      for (const [s, v] of votes) if (v > votes.get(section) || (v === votes.get(section) && s < section)) section = s;
      results.push({ id: page, score: hits.reduce((t, h) => t + h[0], 0), section });
    }
    results.sort((a, b) => b.score - a.score || a.id - b.id);
    for (const r of results) {
      r.data = () => this.file("pages/" + r.id + "-" + r.section + ".json").then((f) => this.result(f, matched));
    }
    return { results, ignored: ignored.length < terms.length ? ignored : [] };
  }

  /* A result as the list shows it, from its section's fragment: an excerpt around the densest
     hits in the section's text. */
  result(fragment, matched) {
    const page = new URL(fragment.url.replace(/^\//, ""), this.root).href;
    return {
      url: fragment.anchor ? page + "#" + fragment.anchor : page,
      meta: fragment.meta,
      section: fragment.anchor ? fragment.title : "",
      excerpt: excerpt(fragment.text || fragment.title, matched),
    };
  }
}

/* Up to EXCERPT words of `text` around the part with the most matched words, as [text, marked]
   pieces: the list draws them as text and <mark> elements, never as HTML. */
export function excerpt(text, matched) {
  const spaced = text.split(/\s+/).filter(Boolean);
  const hits = spaced.map((piece) => words(piece).some((w) => matched.has(w)) ? 1 : 0);
  let start = 0, best = -1, sum = 0;
  for (let i = 0; i < spaced.length; i++) {
    sum += hits[i] - (i >= EXCERPT ? hits[i - EXCERPT] : 0);
    if (sum > best) { best = sum; start = Math.max(0, i - EXCERPT + 1); }
  }
  if (best > 0) start = Math.max(0, Math.min(start, spaced.length - EXCERPT)); /* a full window */
  const shown = spaced.slice(start, start + EXCERPT).join(" ");
  const pieces = [];
  let at = 0;
  for (const m of shown.matchAll(WORD)) {
    if (!matched.has(m[0].toLowerCase())) continue;
    if (m.index > at) pieces.push([shown.slice(at, m.index), false]);
    pieces.push([m[0], true]);
    at = m.index + m[0].length;
  }
  if (at < shown.length) pieces.push([shown.slice(at), false]);
  if (start > 0) pieces.unshift(["… ", false]);
  if (start + EXCERPT < spaced.length) pieces.push([" …", false]);
  return pieces;
}
