/* tracksite learning widgets: flashcards, quiz, attention, attention-steps and progress.
   Progressive enhancement of the HTML the build writes (readable without this file).
   No dependencies, no inline code, no eval; every text goes in through textContent. */
(() => {
  "use strict";

  /* ---- storage: localStorage when it works, memory when it does not (private mode) ---- */
  const mem = {};
  let ls = null;
  try {
    ls = window.localStorage;
    ls.setItem("tracksite:probe", "1");
    ls.removeItem("tracksite:probe");
  } catch (e) {
    ls = null;
  }
  const load = (key, fallback) => {
    let raw = null;
    if (key in mem) raw = mem[key];
    else if (ls) {
      try { raw = ls.getItem(key); } catch (e) { raw = null; }
    }
    try {
      const value = raw == null ? null : JSON.parse(raw);
      return value && typeof value === "object" && !Array.isArray(value) ? value : fallback;
    } catch (e) {
      return fallback;
    }
  };
  const save = (key, value) => {
    const raw = JSON.stringify(value);
    mem[key] = raw;
    if (ls) {
      try { ls.setItem(key, raw); delete mem[key]; } catch (e) { /* keep it in memory */ }
    }
  };

  /* ---- DOM helpers ---- */
  const h = (tag, props, ...kids) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid != null) node.append(kid);
    return node;
  };
  const $$ = (root, sel) => Array.from(root.querySelectorAll(sel));
  const button = (text, onclick, cls) =>
    h("button", { type: "button", class: "ts-btn" + (cls ? " " + cls : ""), onclick }, text);
  const liveRegion = () => h("p", { class: "ts-sr", "aria-live": "polite" });
  const say = (region, text) => {
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 30);
  };
  const q = (s) => "\u201c" + s + "\u201d";
  const num = (x) => (Math.round(x * 100) / 100).toFixed(2);
  let uid = 0;
  const newId = (p) => p + "-" + ++uid;
  const setDisabled = (btn, off) => btn.setAttribute("aria-disabled", off ? "true" : "false");
  const isDisabled = (btn) => btn.getAttribute("aria-disabled") === "true";

  /* copies of an element's children (text and MathML), to show the same content elsewhere */
  const copyOf = (node) => Array.from(node.childNodes, (n) => n.cloneNode(true));
  /* an element's text for a live region: a formula as the symbols it draws ("√dk"), never
     its TeX source, which would be read out backslash by backslash */
  const spoken = (node) => node.textContent.replace(/\s+/g, " ").trim();

  /* ---- flashcards ---- */
  function flashcards(root) {
    /* a card's sides keep their markup (a formula is MathML); its term's text is its key */
    const cards = $$(root, ".ts-card").map((li) => ({
      term: spoken(li.querySelector(".ts-card__term")),
      termNode: li.querySelector(".ts-card__term"),
      answerNode: li.querySelector(".ts-card__answer"),
    }));
    if (!cards.length) return;
    const key = root.dataset.key || "tracksite:cards:" + location.pathname;
    const marks = load(key, {});
    const order = () => {
      const again = [], fresh = [], known = [];
      cards.forEach((c, i) =>
        (marks[c.term] === "again" ? again : marks[c.term] === "known" ? known : fresh).push(i));
      return again.concat(fresh, known);
    };
    let seq = order(), pos = 0, flipped = false;
    const help = newId("ts-cards-help");
    const side = h("span", { class: "ts-cards__side" });
    const face = h("span", { class: "ts-cards__face" });
    const card = h("button", { type: "button", class: "ts-cards__card", "aria-describedby": help,
      onclick: () => flip() }, side, face);
    const count = h("p", { class: "ts-cards__count" });
    const prev = button("Previous", () => go(-1));
    const next = button("Next", () => go(1));
    const again = button("Again", () => mark("again"));
    const knew = button("Knew it", () => mark("known"), "ts-btn--primary");
    const live = liveRegion();
    const app = h("div", { class: "ts-cards__app" }, count, card,
      h("div", { class: "ts-cards__nav" }, prev, again, knew, next),
      h("p", { class: "ts-cards__help", id: help },
        "Select the card (Enter or Space) to flip it; the left and right arrow keys move " +
        "between cards. Cards marked \u201cAgain\u201d come back first."), live);
    root.querySelector(".ts-cards__list").hidden = true;
    root.append(app);
    const current = () => cards[seq[pos]];
    const render = (still) => {
      const c = current();
      const m = marks[c.term];
      const known = cards.filter((x) => marks[x.term] === "known").length;
      const redo = cards.filter((x) => marks[x.term] === "again").length;
      count.textContent = `Card ${pos + 1} of ${seq.length} \u00b7 ${known} known \u00b7 ` +
        `${redo} to see again` + (m ? ` \u00b7 this card: ${m === "known" ? "knew it" : "again"}` : "");
      side.textContent = flipped ? "Answer" : "Term";
      face.replaceChildren(...copyOf(flipped ? c.answerNode : c.termNode));
      card.classList.toggle("is-flipped", flipped);
      card.classList.remove("is-turning");
      if (still) return;
      void card.offsetWidth; // restart the turn animation
      card.classList.add("is-turning");
    };
    const flip = () => {
      flipped = !flipped;
      render();
      say(live, flipped ? "Answer: " + spoken(current().answerNode) : "Term: " + spoken(current().termNode));
    };
    const go = (step, prefix) => {
      let note = "";
      pos += step;
      if (pos >= seq.length) {
        seq = order();
        pos = 0;
        note = "Back to the start; cards marked Again come first. ";
      } else if (pos < 0) pos = seq.length - 1;
      flipped = false;
      render();
      say(live, (prefix || "") + note + `Card ${pos + 1} of ${seq.length}: ${current().term}`);
    };
    const mark = (m) => {
      marks[current().term] = m;
      save(key, marks);
      go(1, m === "known" ? "Marked as known. " : "Marked to see again. ");
    };
    app.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowRight") go(1);
      else if (e.key === "ArrowLeft") go(-1);
      else return;
      e.preventDefault();
    });
    render(true);
  }

  /* ---- quiz ---- */
  /* Options are shuffled per learner. The HTML holds one fixed shuffle from the build (what a
     reader without JavaScript and a printout see), each input's value being the option's place
     in the source; this moves the option nodes themselves, so the keyboard and screen-reader
     order is the order on screen. The order is seeded by a random learner id kept in storage
     plus the question, so a reload shows the same order. */
  const learnerId = () => {
    const saved = load("tracksite:learner", {});
    if (typeof saved.id === "string" && saved.id) return saved.id;
    const bytes = new Uint32Array(2);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else bytes.forEach((_, i) => { bytes[i] = Math.floor(Math.random() * 4294967296); });
    const id = Array.from(bytes, (b) => b.toString(36)).join("");
    save("tracksite:learner", { id });
    return id;
  };
  const seeded = (text) => {  /* FNV-1a hash of the text seeds mulberry32 */
    let a = 2166136261;
    for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
  /* an option's place in the instructor's source (blocks/quiz.py writes it as the input's value) */
  const sourceIndex = (node) => Number((node.querySelector(".ts-quiz__input") || node).value);
  const shuffleOptions = (list, seed) => {
    /* from the source order, not the build's, so only the learner and the question decide it */
    const nodes = Array.from(list.children).sort((a, b) => sourceIndex(a) - sourceIndex(b));
    const random = seeded(seed);
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
    }
    nodes.forEach((node) => list.append(node));
  };

  function quiz(root) {
    const key = root.dataset.key || "tracksite:quiz:" + location.pathname;
    const saved = load(key, {});
    const answers = saved.answers && typeof saved.answers === "object" ? saved.answers : {};
    const live = liveRegion();
    const score = h("p", { class: "ts-quiz__score" });
    const learner = learnerId();
    const questions = $$(root, ".ts-quiz__question").map((li, qi) => {
      /* in source order: inputs[i], explained[i] and notes[i] are the instructor's option i */
      const inputs = $$(li, ".ts-quiz__input").sort((a, b) => sourceIndex(a) - sourceIndex(b));
      const list = li.querySelector(".ts-quiz__options");
      if (list) shuffleOptions(list, `${learner}|${key}|${qi}`);
      const explained = $$(li, ".ts-quiz__explanation").map((x, n) => ({
        option: x.dataset.option === undefined ? n : Number(x.dataset.option),
        correct: x.dataset.correct === "true",
        text: x.querySelector(".ts-quiz__explain"),
      })).sort((a, b) => a.option - b.option);
      const details = li.querySelector(".ts-quiz__answers");
      if (details) details.hidden = true;
      const feedback = h("p", { class: "ts-quiz__feedback", tabindex: "-1" });
      const item = { li, qi, inputs, explained, feedback, done: false, right: false };
      item.check = button("Check answer", () => check(item, true), "ts-btn--primary");
      item.retry = button("Try this question again", () => retry(item));
      item.retry.hidden = true;
      item.notes = inputs.map((input) => {
        const note = h("p", { class: "ts-quiz__note", id: input.id + "-note", hidden: true });
        input.parentNode.append(note);
        return note;
      });
      li.append(h("div", { class: "ts-quiz__actions" }, item.check, item.retry), feedback);
      return item;
    });
    const updateScore = () => {
      const done = questions.filter((x) => x.done);
      const right = done.filter((x) => x.right).length;
      score.textContent = `Score: ${right} of ${questions.length}` +
        (done.length < questions.length ? ` (${done.length} of ${questions.length} answered)` : "");
      return score.textContent;
    };
    const check = (item, byUser) => {
      const chosen = item.inputs.filter((i) => i.checked).map((i) => Number(i.value));
      if (!chosen.length) {
        if (byUser) {
          item.feedback.textContent = "Choose an answer first.";
          item.feedback.focus();
        }
        return;
      }
      answers[item.qi] = chosen;
      if (byUser) save(key, { answers });
      item.right = item.explained.every((x, i) => x.correct === chosen.includes(i));
      item.done = true;
      item.inputs.forEach((input, i) => {
        const x = item.explained[i] || { correct: false, text: null };
        const note = item.notes[i];
        const mine = chosen.includes(i);
        note.textContent = "";
        note.append(h("strong", null, (x.correct ? "\u2713 Right answer" : "\u2717 Wrong answer") +
          (mine ? " (your choice)" : "") + ": "), ...(x.text ? copyOf(x.text) : []));
        note.hidden = false;
        input.disabled = true;
        input.setAttribute("aria-describedby", note.id);
        input.parentNode.classList.add(x.correct ? "is-correct" : "is-wrong");
        input.parentNode.classList.toggle("is-chosen", mine);
      });
      item.li.classList.add("is-answered");
      item.check.hidden = true;
      item.retry.hidden = false;
      const total = updateScore();
      item.feedback.textContent = (item.right ? "Correct! " : item.explained.filter((x) => x.correct).length > 1
        ? "Not quite: the right answers are marked, with why each option is right or wrong. "
        : "Not quite: the right answer is marked, with why each option is right or wrong. ") + total + ".";
      item.feedback.classList.toggle("is-right", item.right);
      if (byUser) item.feedback.focus();
    };
    const clear = (item) => {
      delete answers[item.qi];
      item.done = item.right = false;
      item.li.classList.remove("is-answered");
      item.check.hidden = false;
      item.retry.hidden = true;
      item.feedback.textContent = "";
      item.inputs.forEach((input, i) => {
        input.disabled = false;
        input.checked = false;
        input.removeAttribute("aria-describedby");
        input.parentNode.classList.remove("is-correct", "is-wrong", "is-chosen");
        item.notes[i].hidden = true;
      });
    };
    const firstInput = (item) => item.li.querySelector(".ts-quiz__input");
    const retry = (item) => {
      clear(item);
      save(key, { answers });
      const total = updateScore();
      firstInput(item).focus();
      say(live, `Question ${item.qi + 1} cleared: choose again. ${total}.`);
    };
    const reset = button("Reset quiz", () => {
      questions.forEach(clear);
      save(key, { answers });
      updateScore();
      if (questions[0] && firstInput(questions[0])) firstInput(questions[0]).focus();
      say(live, "Quiz reset: every answer cleared.");
    });
    root.append(h("div", { class: "ts-quiz__footer" }, score, reset), live);
    questions.forEach((item) => {
      const chosen = answers[item.qi];
      if (!Array.isArray(chosen)) return;
      item.inputs.forEach((input, i) => { input.checked = chosen.includes(i); });
      check(item, false);
    });
    updateScore();
  }

  /* ---- attention heatmap ---- */
  const SPECIAL = new Set(["[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<|endoftext|>"]);
  const wordLabel = (tokens, pieces) =>
    pieces.map((i, n) => (n && tokens[i].startsWith("##") ? tokens[i].slice(2) : tokens[i])).join("");

  async function attention(root) {
    let cfg;
    try {
      cfg = JSON.parse(root.dataset.config);
    } catch (e) {
      return;
    }
    const app = root.querySelector(".ts-attn__app");
    const table = root.querySelector(".ts-attn__table");
    if (!app || !table || !Array.isArray(cfg.sets) || !cfg.sets.length) return;
    const status = h("p", { class: "ts-attn__status", role: "status" }, "Loading the attention weights\u2026");
    app.hidden = false;
    app.append(status);
    let sets;
    try {
      sets = await Promise.all(cfg.sets.map((s) => s.data ? s.data
        : fetch(s.url, { credentials: "same-origin" }).then((r) => {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })));
      if (!sets.every((d) => Array.isArray(d.tokens) && Array.isArray(d.weights) && d.weights.length &&
          d.weights[0].length)) throw new Error("unexpected data");
    } catch (e) {
      status.textContent = "The interactive view could not load its data, so the table below " +
        "shows the opening head only.";
      return;
    }
    status.remove();
    const state = { set: 0, layer: cfg.layer || 0, head: cfg.head || 0, merge: false, focus: 0, hide: false };
    const caption = root.querySelector(".ts-attn__caption");
    const authored = caption ? caption.textContent : "";
    const sentenceLines = $$(root, ".ts-attn__sentence");
    const data = () => sets[state.set];
    const help = newId("ts-attn-help");
    const layerSel = h("select", { class: "ts-attn__select" });
    const headSel = h("select", { class: "ts-attn__select" });
    const controls = h("div", { class: "ts-attn__controls" });
    const tokensBox = h("div", { class: "ts-attn__tokens", role: "toolbar", "aria-label": "Tokens",
      "aria-describedby": help });
    const readout = h("p", { class: "ts-attn__readout", "aria-live": "polite" });
    const fillSelects = () => {
      const d = data();
      const opts = (sel, n, label, extra) => {
        sel.textContent = "";
        if (extra) sel.append(h("option", { value: "avg" }, extra));
        for (let i = 0; i < n; i++) sel.append(h("option", { value: String(i) }, `${label} ${i + 1}`));
      };
      opts(layerSel, d.weights.length, "Layer");
      opts(headSel, d.weights[0].length, "Head", "Average of heads");
      state.layer = Math.min(state.layer, d.weights.length - 1);
      if (state.head !== "avg") state.head = Math.min(state.head, d.weights[0].length - 1);
      layerSel.value = String(state.layer);
      headSel.value = String(state.head);
    };
    const field = (label, control) => h("label", { class: "ts-attn__field" }, label + " ", control);
    if (sets.length > 1) {
      const name = newId("ts-attn-set");
      const group = h("fieldset", { class: "ts-attn__sets" }, h("legend", null, "Sentence"));
      sets.forEach((d, i) => {
        const id = name + "-" + i;
        group.append(h("span", { class: "ts-attn__set" },
          h("input", { type: "radio", name, id, value: String(i), checked: i === 0,
            onchange: () => { switchSet(i); } }),
          h("label", { for: id }, cfg.sets[i].label || d.sentence)));
      });
      controls.append(group);
    }
    controls.append(field("Layer", layerSel), field("Head", headSel));
    const hasSpecial = sets.some((d) => d.tokens.some((t) => SPECIAL.has(t)));
    if (hasSpecial) {
      const hideBox = h("input", { type: "checkbox", class: "ts-attn__hide", onchange: () => {
        state.hide = hideBox.checked;
        draw(true);
      } });
      controls.append(h("label", { class: "ts-attn__field" }, hideBox, " Hide [CLS] and [SEP]"));
    }
    const canMerge = sets.some((d) => Array.isArray(d.words) && d.words.some((w) => w.length > 1));
    let mergeBox = null;
    if (canMerge) {
      mergeBox = h("input", { type: "checkbox", onchange: () => {
        const piece = (groups()[state.focus] || [0])[0];
        state.merge = mergeBox.checked;
        state.focus = Math.max(0, groups().findIndex((g) => g.includes(piece)));
        draw(true);
      } });
      controls.append(h("label", { class: "ts-attn__field" }, mergeBox, " Merge word pieces into words"));
    }
    app.append(controls,
      h("p", { class: "ts-attn__help", id: help }, "Choose a token (click it, or move with the " +
        "arrow keys) to see how its attention is spread over the sentence: the number under each " +
        "token is its share, and the more strongly coloured a token, the more attention it gets."),
      tokensBox, readout);
    table.classList.add("ts-sr");

    /* weights of the current view: rows = queries, columns = keys */
    const groups = () => {
      const d = data();
      return state.merge && Array.isArray(d.words) ? d.words : d.tokens.map((_, i) => [i]);
    };
    const labels = () => groups().map((g) => wordLabel(data().tokens, g));
    const matrix = () => {
      const d = data();
      const layer = d.weights[state.layer];
      const heads = state.head === "avg" ? layer : [layer[state.head]];
      const n = d.tokens.length;
      const base = [];
      for (let r = 0; r < n; r++) {
        base.push(new Array(n).fill(0));
        for (const head of heads) for (let c = 0; c < n; c++) base[r][c] += head[r][c] / heads.length;
      }
      const g = groups();
      if (g.length === n) return base;
      return g.map((qs) => g.map((ks) =>
        qs.reduce((sum, r) => sum + ks.reduce((s, c) => s + base[r][c], 0), 0) / qs.length));
    };
    const findLabel = (label) => {
      const i = labels().indexOf(label);
      return i >= 0 ? i : Math.max(0, labels().findIndex((t) => !SPECIAL.has(t)));
    };
    const where = () => `Layer ${state.layer + 1}, ` +
      (state.head === "avg" ? "average of heads" : `head ${state.head + 1}`);
    const HIDDEN_NOTE = "[CLS] and [SEP] hidden; the other tokens' shares are rescaled to sum to 1";
    /* the sentence lines name the sentence on screen first, then the one(s) to compare with */
    const showSentences = () => {
      const order = [state.set].concat(sets.map((_, i) => i).filter((i) => i !== state.set));
      sentenceLines.forEach((p, n) => {
        const d = sets[order[n]];
        if (!d || typeof d.sentence !== "string") return;
        const strong = p.querySelector("strong");
        p.textContent = "";
        if (strong) p.append(strong, " ");
        p.append(d.sentence);
      });
    };
    /* the bold caption: the build's sentence for the opening view, else what is on screen now */
    const describe = (names, row, shown) => {
      const opening = state.set === 0 && state.layer === (cfg.layer || 0) && state.head === (cfg.head || 0) &&
        !state.merge && !state.hide && names[state.focus] === cfg.focus;
      if (opening && authored) return authored;
      const others = shown.filter((i) => i !== state.focus);
      const best = (others.length ? others : shown).reduce((a, b) => (row[b] > row[a] ? b : a));
      let text = `${where()}: ${q(names[state.focus])} puts ${num(row[best])} of its attention on ` +
        `${q(names[best])}, more than on any other ${others.length ? "token" : "one"}`;
      const target = shown.find((i) => names[i] === cfg.target);
      if (target !== undefined && target !== best && target !== state.focus) {
        text += `; ${num(row[target])} on ${q(names[target])}`;
      }
      return text + (state.hide ? ` (${HIDDEN_NOTE})` : "") + ".";
    };
    let buttons = [], shownIdx = [];
    const draw = (rebuild, announce) => {
      const names = labels();
      const shown = names.map((_, i) => i).filter((i) => !(state.hide && SPECIAL.has(names[i])));
      if (!shown.length) shown.push(...names.map((_, i) => i));
      if (!shown.includes(state.focus)) state.focus = shown[0];
      const full = matrix()[state.focus] || [];
      const kept = shown.reduce((sum, i) => sum + (full[i] || 0), 0) || 1;
      const row = full.map((w) => (state.hide ? (w || 0) / kept : w || 0));
      const top = Math.max(...shown.map((i) => row[i]), 1e-9);
      if (rebuild || shownIdx.join() !== shown.join()) {
        tokensBox.textContent = "";
        shownIdx = shown;
        buttons = shown.map((i) => {
          const b = h("button", { type: "button", class: "ts-tok", "aria-pressed": "false", tabindex: "-1",
            onclick: () => select(i, true), onfocus: () => select(i, true) },
          h("span", { class: "ts-tok__text" }, names[i]), h("span", { class: "ts-tok__w" }));
          tokensBox.append(b);
          return b;
        });
      }
      buttons.forEach((b, k) => {
        const i = shownIdx[k];
        const on = i === state.focus;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
        b.classList.toggle("is-query", on);
        b.style.setProperty("--w", String(row[i] / top));
        b.lastChild.textContent = num(row[i]);
      });
      showSentences();
      if (caption) caption.textContent = describe(names, row, shown);
      /* the screen-reader table */
      if (table.caption) {
        table.caption.textContent = `Attention from ${q(names[state.focus])}: ${where()}` +
          (state.hide ? ` (${HIDDEN_NOTE})` : "");
      }
      const body = table.tBodies[0];
      body.textContent = "";
      shown.forEach((i) => body.append(h("tr", null, h("th", { scope: "row" }, names[i]),
        h("td", null, num(row[i])))));
      const ranked = shown.slice().sort((a, b) => row[b] - row[a]).slice(0, 3);
      const text = `${where()}: ${q(names[state.focus])} attends most to ` +
        ranked.map((i) => `${q(names[i])} (${num(row[i])})`).join(", then ") + ".";
      if (announce !== false) say(readout, text);
      else readout.textContent = text;
    };
    const select = (i, fromUser) => {
      if (i === state.focus && fromUser) return;
      state.focus = i;
      draw(false);
    };
    const switchSet = (i) => {
      const label = labels()[state.focus];
      state.set = i;
      fillSelects();
      state.focus = findLabel(label);
      draw(true);
    };
    tokensBox.addEventListener("keydown", (e) => {
      const last = buttons.length - 1;
      const at = shownIdx.indexOf(state.focus);
      const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1,
        ArrowUp: at - 1, Home: 0, End: last }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      buttons[Math.max(0, Math.min(last, to))].focus();
    });
    layerSel.addEventListener("change", () => { state.layer = Number(layerSel.value); draw(false); });
    headSel.addEventListener("change", () => {
      state.head = headSel.value === "avg" ? "avg" : Number(headSel.value);
      draw(false);
    });
    fillSelects();
    state.focus = findLabel(cfg.focus);
    draw(true, false);
  }

  /* ---- attention, step by step ---- */
  function steps(root) {
    const items = $$(root, ".ts-steps__step");
    if (items.length < 2) return;
    let at = 0;
    const status = h("p", { class: "ts-steps__status", "aria-live": "polite" });
    const back = button("Back", () => show(at - 1, true));
    const next = button("Next", () => show(at + 1, true), "ts-btn--primary");
    const show = (i, byUser) => {
      if (i < 0 || i >= items.length) return;
      at = i;
      items.forEach((item, k) => { item.hidden = k !== i; });
      setDisabled(back, i === 0);
      setDisabled(next, i === items.length - 1);
      const name = items[i].querySelector(".ts-steps__name");
      const text = name ? name.textContent : `Step ${i + 1} of ${items.length}`;
      if (byUser) say(status, text);
      else status.textContent = text;
    };
    root.querySelector(".ts-steps__list").before(h("div", { class: "ts-steps__nav" }, back, status, next));
    for (const b of [back, next]) {
      b.addEventListener("click", (e) => { if (isDisabled(b)) e.stopImmediatePropagation(); }, true);
    }
    root.classList.add("is-stepping");
    show(0, false);
  }

  /* ---- progress: lesson pages, track page, home page ---- */
  const PROGRESS = "tracksite:progress";
  const progressRenders = [];
  const doneMap = () => load(PROGRESS, {});

  function progress(root) {
    const id = root.dataset.lesson;
    const toggle = root.querySelector(".ts-progress__toggle");
    const status = root.querySelector(".ts-progress__status");
    if (!id || !toggle) return;
    toggle.hidden = false;
    const render = (announce) => {
      const done = doneMap()[id] === true;
      toggle.setAttribute("aria-pressed", done ? "true" : "false");
      toggle.textContent = done ? "Completed \u2713 (undo)" : "Mark lesson complete";
      root.classList.toggle("is-done", done);
      if (announce && status) {
        say(status, done ? "Lesson marked complete." : "Lesson marked as not complete.");
      }
    };
    toggle.addEventListener("click", () => {
      const map = doneMap();
      if (map[id] === true) delete map[id];
      else map[id] = true;
      save(PROGRESS, map);
      render(true);
      markLessons();
    });
    render(false);
    progressRenders.push(() => render(false));
  }

  const summarise = (root, lessons) => {
    const map = doneMap();
    let done = 0, minutes = 0, total = 0;
    for (const [id, min] of lessons) {
      total += min;
      if (map[id] === true) { done++; minutes += min; }
    }
    const summary = root.querySelector(".ts-progress__summary");
    const bar = root.querySelector("progress");
    const text = `${done} of ${lessons.length} lessons \u00b7 ${minutes} of ${total} minutes`;
    if (summary) summary.textContent = text;
    if (bar) {
      bar.hidden = false;
      bar.max = Math.max(lessons.length, 1);
      bar.value = done;
      if (!bar.hasAttribute("aria-label") && !bar.hasAttribute("aria-labelledby")) {
        bar.setAttribute("aria-label", "Lessons completed");
      }
      bar.setAttribute("aria-valuetext", text);
    }
    return map;
  };
  const minutesOf = (node) => Number(node.dataset.minutes) || 0;

  /* every lesson entry on the page (track listing, sidebar): a tick and "completed" */
  const markLessons = () => {
    const map = doneMap();
    for (const li of $$(document, "li[data-lesson], li[data-nav-lesson]")) {
      const done = map[li.dataset.lesson || li.dataset.navLesson] === true;
      li.classList.toggle("is-done", done);
      const title = li.querySelector("h2, h3, h4") || li.querySelector("a") || li;
      const badge = title.querySelector(".ts-progress__done");
      if (done && !badge) {
        title.append(h("span", { class: "ts-progress__done" }, h("span", { "aria-hidden": "true" }, " \u2713"),
          h("span", { class: "ts-sr" }, " completed")));
      } else if (!done && badge) badge.remove();
    }
  };

  function track(root) {
    const slug = root.dataset.track;
    if (!slug) return;
    const lessons = new Map();
    for (const li of $$(document, "li[data-lesson]")) {
      const id = li.dataset.lesson;
      if (id.startsWith(slug + "/")) lessons.set(id, Math.max(lessons.get(id) || 0, minutesOf(li)));
    }
    const reset = root.querySelector("[data-progress-reset]");
    const render = () => {
      const map = summarise(root, Array.from(lessons));
      const done = Array.from(lessons.keys()).filter((id) => map[id] === true).length;
      if (reset) reset.hidden = done === 0;
      markLessons();
    };
    if (reset) {
      const label = reset.textContent;
      let armed = false;
      const disarm = () => { armed = false; reset.textContent = label; };
      const live = liveRegion();
      root.append(live);
      reset.addEventListener("click", () => {
        if (!armed) {
          armed = true;
          reset.textContent = "Press again to confirm the reset";
          say(live, "Press again to confirm: this clears the completed lessons of this track.");
          return;
        }
        const map = doneMap();
        for (const id of Object.keys(map)) if (id.startsWith(slug + "/")) delete map[id];
        save(PROGRESS, map);
        disarm();
        render();
        const resume = document.querySelector("[data-continue-track] a");
        if (resume) resume.focus();  /* the reset button hides itself at no progress */
        say(live, "Progress reset.");
      });
      reset.addEventListener("blur", disarm);
    }
    render();
    progressRenders.push(render);
  }

  function home(root) {
    let lessons = [];
    try {
      lessons = Object.entries(JSON.parse(root.dataset.lessons || "{}")).map(([id, m]) => [id, Number(m) || 0]);
    } catch (e) {
      lessons = [];
    }
    if (!lessons.length) lessons = $$(root, "[data-lesson]").map((n) => [n.dataset.lesson, minutesOf(n)]);
    const render = () => summarise(root, lessons);
    render();
    progressRenders.push(render);
  }

  window.addEventListener("storage", (e) => {
    if (e.key && e.key !== PROGRESS) return;
    delete mem[PROGRESS];
    progressRenders.forEach((render) => render());
    markLessons();
  });

  /* ---- figures and wide tables on a phone (theme.css: "Phones") ---- */
  /* A course figure (an SVG image alone in its paragraph) gets a link to its file, full size
     (shown on narrow screens), and scrolls sideways there in its own region; a table or figure
     wider than its column becomes a named, focusable region so the keyboard can scroll it. */
  const figures = () => {
    for (const img of $$(document, ".md-content .md-typeset p > img[src$='.svg']")) {
      const p = img.parentNode;
      if (p.classList.contains("ts-figure") || p.childElementCount !== 1 || p.textContent.trim()) continue;
      p.classList.add("ts-figure");
      p.after(h("p", { class: "ts-figure__more" }, h("a", { class: "ts-figure__open",
        href: img.getAttribute("src") }, "Open the figure full size")));
    }
  };
  const scrollRegions = () => {
    for (const box of $$(document, ".md-content .md-typeset__scrollwrap, .md-content .ts-figure")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("ts-scrolls", scrolls);
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.classList.contains("ts-figure")
          ? "Figure (scrolls sideways)" : "Table (scrolls sideways)");
      } else if (!scrolls && box.getAttribute("role") === "region") {
        for (const a of ["tabindex", "role", "aria-label"]) box.removeAttribute(a);
      }
    }
  };
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(scrollRegions, 150);
  });

  /* ---- start (again after each of Material's instant page loads) ---- */
  /* The heatmap's data (tens of KB) loads only when the widget comes near the viewport. */
  const whenNear = (start) => (root) => {
    const run = () => Promise.resolve(start(root)).catch((e) => console.error("tracksite widget:", e));
    if (!("IntersectionObserver" in window)) return run();
    const io = new IntersectionObserver((seen) => {
      if (seen.some((e) => e.isIntersecting)) { io.disconnect(); run(); }
    }, { rootMargin: "600px 0px" });
    io.observe(root);
  };
  const widgets = { flashcards, quiz, attention: whenNear(attention), "attention-steps": steps, progress,
    "progress-track": track, "progress-home": home };
  const init = () => {
    markLessons();
    figures();
    /* Material wraps tables in .md-typeset__scrollwrap from its own script: measure after it */
    requestAnimationFrame(() => setTimeout(scrollRegions, 0));
    for (const root of $$(document, "[data-widget]")) {
      const start = widgets[root.dataset.widget];
      if (!start || root.dataset.tsReady) continue;
      root.dataset.tsReady = "1";
      try {
        const result = start(root);
        if (result && result.catch) result.catch((e) => console.error("tracksite widget:", e));
      } catch (e) {
        console.error("tracksite widget:", e);
      }
    }
  };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
