/* tracksite: the course search's engine, on the index the build writes (tracksite.search).
   Loaded by search-ui.js when a learner opens the search. A query fetches the word files of its
   words (each lists the pages of a word's stem with the stem's score there) and, for each result
   drawn, the fragment file holding the section of the page it leads to (a page's sections packed
   into files of about half a KB): no WebAssembly, no list of every page (docs/benchmarks.md).

   A word matches the words of the index it equals or, from three letters on, that it begins
   ("enc" finds "encoder"); each word of the query must be on a page for the page to be a result
   (a word on no page of the course at all is left out of the query, and named as such),
   and the pages are ranked by BM25 (the score per page is computed at build time, the weight of a
   rare word here), a word in a page's title counting half a match more. A word file also says,
   for each page, the section where the word weighs most: a result leads to the section most of
   the query's weight points to, and its excerpt is cut from that section's text. */
const WORD = /[\p{L}\p{N}]+/gu;
const HYPHENATED = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;
const RUN = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const CJK = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])/gu;
const ISE = /(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations)$/;
const EXCERPT = 18; /* words in an excerpt */
export const TITLE = 1; /* what a word of a page's title adds to a match of it (a whole match) */
/* A word's other stems of the same root ("encoder" for "encoding"; the index keeps an agent noun
   or an -ation noun apart from its verb, tracksite.search.words) count this much, and
   without their title's half match: the exact word's sections come first. */
export const ROOT = 0.5;
/* Of the first results, at most this many from one lesson and its overview and cheatsheet, while
   another lesson has the query too. */
const TOP = 3, PER_LESSON = 2;
/* A section's number: its fragment file's number times this plus its place in the file
   (tracksite.search.stream PER_FILE). */
const PER_FILE = 256;

/* The query read as the index reads a page (tracksite.search.words, its twin): lower
   case, accents folded, a hyphenated word also whole, -ise read as -ize in English, CJK text
   cut into characters. */
export const fold = (text) => String(text).toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "").normalize("NFC");
export const normalise = (word, lang) => (lang === "en" ? word.replace(ISE, "iz$1") : word);
export function words(text, lang = "en") {
  const folded = fold(text).replace(CJK, " $1 ");
  const found = folded.match(WORD) || [];
  for (const m of folded.matchAll(HYPHENATED)) found.push(m[0].replace(/-/g, ""));
  return found.map((w) => normalise(w, lang));
}

/* The query's pieces (a word, or words hyphenated), each with its ways: the lists of words a page
   may hold it by, all of a list on the page. A hyphenated piece is its words joined or its words
   apart, whichever the page has: "kv-cache" finds a page that says "KV cache" as well as one that
   says "KV-cache" (the index files a hyphenated word under both, tracksite.search.words); asking
   for the three words at once missed every page that writes the term without its hyphen. Read in
   each language of the course: a spelling one language reads otherwise ("normalise") is one more way. */
export function pieces(text, langs = ["en"]) {
  const folded = fold(text).replace(CJK, " $1 ");
  const out = new Map();
  for (const [run] of folded.matchAll(RUN)) {
    const parts = run.split("-");
    const ways = new Map();
    for (const lang of langs) {
      for (const list of parts.length > 1 ? [[parts.join("")], parts] : [parts]) {
        const w = list.map((p) => normalise(p, lang));
        ways.set(w.join(" "), { words: w });
      }
    }
    if (!out.has(run)) out.set(run, { text: run, ways: [...ways.values()] });
  }
  return [...out.values()];
}

/* The endings a word of the language may have beyond its stem (accents folded; "oes>ao": an ending
   the stem's own form replaces, "funcoes" of "funcao"): a query word the
   course never uses ("tokenization") finds the group whose Snowball stem it is made of
   ("token"), the index's word files naming each group's stem. */
const SUFFIXES = {
  en: "ies>y s es ed d ing ly er ers or ors ation ations ization izations ize izes ized izing izer izers ement ements ment ments ness ity ities ive ives al als ally ial ion ions ence ences ance ances able ible ful ous ist ists ism isms ical ic ics y ies ied est",
  es: "ces>z s es a as o os ar er ir ando iendo ado ada ados adas ido ida idos idas cion ciones acion aciones mente amente idad idades able ables ible ibles ista istas ismo ismos ador adora adores adoras an en amos emos imos aron ieron aba aban ia ian",
  fr: "aux>al s x e es er ee ees ant ants ante antes ment ement tion tions ation ations ique iques eur eurs euse euses ite ites isme ismes iste istes able ables ible ibles ais ait aient ons ez ent ir ie",
  de: "e en er ern es s n st et ung ungen heit heiten keit keiten lich liche lichen isch ische ischen end ende enden te ten",
  pt: "oes>ao aes>ao s es a as o os ar er ir ando endo indo ado ada ados adas ido ida idos idas cao coes acao acoes mente amente idade idades avel aveis ivel iveis ista istas ismo ismos dor dora dores",
};
const ENDINGS = Object.fromEntries(Object.entries(SUFFIXES).map(([lang, s]) => [lang, s.split(" ").map((e) => e.split(">"))]));

/* The stems a query word can be of: the word, the word less one or two endings, and each of
   those with a doubled last letter single ("embedd"), a final "e" dropped ("encode") or a final
   "y" as Snowball's "i" ("studi"). */
export function forms(word, lang = "en") {
  const out = new Set([word]);
  let frontier = [word];
  for (let round = 0; round < 2; round++) {
    const next = [];
    for (const w of frontier) {
      for (const [ending, instead = ""] of ENDINGS[lang] || []) {
        if (w.length - ending.length < 3 || !w.endsWith(ending)) continue;
        const base = w.slice(0, -ending.length) + instead;
        if (!out.has(base)) { out.add(base); next.push(base); }
      }
    }
    frontier = next;
  }
  for (const base of [...out]) {
    if (base === word) continue;
    if (/(.)\1$/u.test(base)) out.add(base.slice(0, -1));
    if (base.endsWith("e")) out.add(base.slice(0, -1));
    if (base.endsWith("y")) out.add(base.slice(0, -1) + "i");
  }
  return out;
}

/* Edit distance with transpositions ("atention", "transfomer", "teh"), given up past `most`. */
export function distance(a, b, most = 2) {
  a = Array.from(a); b = Array.from(b);
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let before = null, row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      next.push(d);
      low = Math.min(low, d);
    }
    if (low > most) return most + 1;
    before = row; row = next;
  }
  return row[b.length];
}

const head = (word, n) => Array.from(word).slice(0, n).join("");
const hex = (key) => Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
const ungap = (gaps) => { let at = -1; return gaps.map((g) => (at += g)); };

/* The pages each group of a word file leads to, matched by a query word: group -> factor. The
   word itself, or a group whose stem the word is a form of, counts whole; from three letters on,
   the words it begins count half, the more pages a completion is on the nearer to half ("grad"
   finds "gradient" before "grades"). */
export function matchGroups(shard, word, langs = ["en"]) {
  const factor = new Map(), matched = new Set();
  const put = (group, f) => factor.set(group, Math.max(factor.get(group) || 0, f));
  const stems = new Set(); /* the stems the word may be a form of, when it is no word of the file */
  if (word in shard.words) put(shard.words[word], 1);
  else {
    for (const lang of langs) for (const f of forms(word, lang)) stems.add(f);
    /* the longest stem the word is a form of: "embeding" is "embed" + "ing", not "emb" + "eding" */
    const found = (shard.stems || []).map((s, group) => [s, group]).filter(([s]) => stems.has(s));
    const longest = Math.max(0, ...found.map(([s]) => s.length));
    for (const [s, group] of found) if (s.length === longest) put(group, 1);
  }
  if (Array.from(word).length >= 3) {
    const begun = Object.entries(shard.words).filter(([w]) => w !== word && w.startsWith(word));
    const most = Math.max(1, ...begun.map(([, g]) => shard.groups[g][0].length));
    for (const [, g] of begun) put(g, 0.5 * shard.groups[g][0].length / most);
  }
  /* the groups of the same root as a group matched whole ("encoding" for "encoder"), at ROOT; where
     none matched whole, those whose root the word is a form of ("autoencoding" finds "autoencoder",
     which the index keeps apart from the verb the course never uses) */
  const rootOf = (g) => (shard.roots || {})[g] ?? (shard.stems || [])[g];
  const roots = new Set([...factor].filter(([, f]) => f === 1).map(([g]) => rootOf(g)));
  if (!roots.size) for (const f of stems) roots.add(f);
  const rooted = new Set((shard.stems || []).map((_, g) => g).filter((g) => !factor.has(g) && roots.has(rootOf(g))));
  for (const g of rooted) put(g, ROOT);
  for (const [w, g] of Object.entries(shard.words)) if (factor.has(g)) matched.add(w);
  return { factor, matched, rooted };
}

/* The word of a word file nearest a word no page has (one edit for a short word, two for a longer
   one), the word on most pages among the nearest; null when there is none, or when the word has
   fewer than three letters (most often the start of a word still being typed). */
export function nearest(shard, word) {
  const length = Array.from(word).length;
  if (length < 3) return null;
  const most = length <= 4 ? 1 : 2;
  let best = null, bestD = most + 1, bestPages = 0;
  for (const [w, g] of Object.entries(shard.words)) {
    const d = distance(word, w, most);
    const pages = shard.groups[g][0].length;
    if (d < bestD || (d === bestD && d <= most && pages > bestPages)) { best = w; bestD = d; bestPages = pages; }
  }
  return bestD <= most ? best : null;
}

export class Index {
  constructor(url) {
    this.url = new URL(url, document.baseURI);
    this.root = new URL("../", this.url); /* the site's root: index.json is at search-index/index.json */
    this.files = new Map();
    this.ready = this.json(this.url.href, true).then((entry) => {
      this.entry = entry;
      this.shards = new Set(entry.shards);
      this.split = new Set(entry.split);
      this.languages = entry.languages || ["en"];
      /* each page's lesson: a lesson's overview and cheatsheet follow it (ids in URL order) */
      this.lessonOf = new Map();
      for (const id of ungap(entry.family || [])) this.lessonOf.set(id, this.lessonOf.get(id - 1) ?? id - 1);
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
    const pages = new Map();
    if (!shard) return { pages, matched: new Set() };
    const { factor, matched, rooted } = matchGroups(shard, word, this.languages);
    const n = this.entry.pages;
    for (const [group, f] of factor) {
      const [gaps, scores, sections] = shard.groups[group];
      const idf = Math.log(1 + (n - gaps.length + 0.5) / (gaps.length + 0.5));
      ungap(gaps).forEach((page, i) => {
        const q = scores[i]; /* over 100: a word of the page's title, worth half a match more */
        const score = idf * f * ((q % 100) / 100 + (q > 100 && !rooted.has(group) ? TITLE : 0));
        if (score > ((pages.get(page) || [0])[0])) pages.set(page, [score, sections[i], score / f]);
      });
    }
    return { pages, matched };
  }

  /* For each word no page has, the nearest word of its word file (already fetched to match it). */
  async suggest(terms) {
    const out = {};
    for (const word of terms) {
      const shard = await this.shardOf(word);
      const near = shard && nearest(shard, word);
      if (near) out[word] = near;
    }
    return out;
  }

  terms(query) { return [...new Set(this.languages.flatMap((lang) => words(query, lang)))]; }

  preload(query) { return this.ready.then(() => Promise.all(this.terms(query).map((w) => this.shardOf(w)))); }

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

  /* The pages holding a piece by one of its ways: page -> [score, hits], the best way's score
     and its words' [section, vote] pairs. */
  static hold(piece, matches) {
    const pages = new Map();
    for (const way of piece.ways) {
      const each = way.words.map((w) => matches.get(w).pages);
      if (each.some((m) => !m.size)) continue;
      const fewest = each.reduce((a, b) => (b.size < a.size ? b : a));
      for (const page of fewest.keys()) {
        const hits = each.map((m) => m.get(page));
        if (hits.some((h) => h === undefined)) continue;
        const score = hits.reduce((t, h) => t + h[0], 0);
        if (score > ((pages.get(page) || [0])[0])) pages.set(page, [score, hits.map((h) => [h[1], h[2]])]);
      }
    }
    return pages;
  }

  /* Every page holding every piece of the query, best first; `data()` fetches a result's
     fragment. `ignored`: the words no page of the course has (or a hyphenated piece whose words
     no page holds together), left out rather than making the whole query fail (a typo, a word
     the course never uses). */
  async search(query, { filters } = {}) {
    await this.ready;
    const asked = pieces(query, this.languages);
    if (!asked.length) return { results: [], ignored: [], suggestions: {} };
    const all = [...new Set(asked.flatMap((p) => p.ways.flatMap((w) => w.words)))];
    const [got, keep] = await Promise.all([Promise.all(all.map((w) => this.match(w))), this.allowed(filters)]);
    const matches = new Map(all.map((w, i) => [w, got[i]]));
    const held = asked.map((piece) => Index.hold(piece, matches));
    const missing = asked.filter((_, i) => !held[i].size);
    /* a word alone is named as the index reads it, a hyphenated piece as typed; the words no page
       has get a suggestion */
    const ignored = [...new Set(missing.map((p) => (p.text.includes("-") ? p.text : p.ways[0].words[0])))];
    const unknown = missing.flatMap((p) => p.ways.flatMap((w) => w.words));
    const suggestions = await this.suggest([...new Set(unknown)].filter((w) => !matches.get(w).pages.size));
    const found = held.filter((h) => h.size).sort((a, b) => a.size - b.size);
    if (!found.length) return { results: [], ignored, suggestions };
    const matched = new Set(asked.filter((_, i) => held[i].size).flatMap((p) => p.ways.flatMap((w) => w.words.flatMap((x) => [...matches.get(x).matched]))));
    const results = [];
    for (const page of found[0].keys()) {
      if (keep && !keep.has(page)) continue;
      const hits = found.map((f) => f.get(page));
      if (hits.some((h) => h === undefined)) continue;
      /* the section the query's words weigh most in, each word voting with its stem's score: a
         rare word ("temperature") outvotes a common one ("softmax") */
      const votes = new Map();
      for (const [, pairs] of hits) for (const [section, vote] of pairs) votes.set(section, (votes.get(section) || 0) + vote);
      let section = hits[0][1][0][0];
      for (const [s, v] of votes) if (v > votes.get(section) || (v === votes.get(section) && s < section)) section = s;
      results.push({ id: page, score: hits.reduce((t, h) => t + h[0], 0), section });
    }
    results.sort((a, b) => b.score - a.score || a.id - b.id);
    /* the best result's lesson: its overview and cheatsheet rank with it, just after it, up to
       twice their own score (they weigh half in the index so that the lesson comes first), so the
       lesson that teaches the query and its summaries come before another lesson's passing mention */
    const top = results.length ? this.lessonOf.get(results[0].id) ?? results[0].id : -1;
    const topScore = results.length ? results[0].score : 0;
    const lessonOf = (r) => this.lessonOf.get(r.id) ?? r.id;
    const ranked = new Map(results.map((r) => [r.id, lessonOf(r) === top ? Math.min(topScore, 2 * r.score) : r.score]));
    /* an overview or cheatsheet (a thin excerpt of the lesson) never above its own lesson */
    for (const r of results) if (ranked.has(lessonOf(r))) ranked.set(r.id, Math.min(ranked.get(r.id), ranked.get(lessonOf(r))));
    results.sort((a, b) => ranked.get(b.id) - ranked.get(a.id) || a.id - b.id);
    diversify(results, lessonOf);
    for (const r of results) {
      const file = Math.floor(r.section / PER_FILE), place = r.section % PER_FILE;
      r.data = () => this.file("pages/" + r.id + "-" + file + ".json").then((f) => this.result(f, place, matched));
    }
    return { results, ignored, suggestions };
  }

  /* A result as the list shows it, from the section at `place` of its fragment file: an excerpt
     around the densest hits in the section's text. */
  result(fragment, place, matched) {
    const page = new URL(fragment.url.replace(/^\//, ""), this.root).href;
    const [anchor, title, text] = fragment.sections[place];
    return {
      url: anchor ? page + "#" + anchor : page,
      meta: fragment.meta,
      section: anchor ? title : "",
      excerpt: excerpt(text || title, matched),
    };
  }
}

/* The first TOP results hold at most PER_LESSON of one lesson's pages (the lesson, its overview,
   its cheatsheet) while a result of another lesson is further down: that one moves up, the rest
   keep their order. Two summaries of the best lesson pushed a second lesson that teaches the
   query out of the top three. */
export function diversify(results, lessonOf) {
  for (let at = 0; at < Math.min(TOP, results.length); at++) {
    const before = (l) => results.slice(0, at).filter((r) => lessonOf(r) === l).length;
    if (before(lessonOf(results[at])) < PER_LESSON) continue;
    const other = results.findIndex((r, i) => i > at && before(lessonOf(r)) < PER_LESSON);
    if (other > at) results.splice(at, 0, ...results.splice(other, 1));
  }
  return results;
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
    if (!matched.has(fold(m[0]))) continue;
    if (m.index > at) pieces.push([shown.slice(at, m.index), false]);
    pieces.push([m[0], true]);
    at = m.index + m[0].length;
  }
  if (at < shown.length) pieces.push([shown.slice(at), false]);
  if (start > 0) pieces.unshift(["… ", false]);
  if (start + EXCERPT < spaced.length) pieces.push([" …", false]);
  return pieces;
}
