/* tracksite attention widgets: the heatmap of a real model's attention weights, and attention
   worked step by step. Progressive enhancement of the HTML the build writes; uses the helpers
   widgets.js shares (window.tracksite), and fetches the heatmap's data from the site only. */
(() => {
  "use strict";
  const { h, $$, button, say, q, num, newId, setDisabled, isDisabled, widget, t } = window.tracksite;

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
    const status = h("p", { class: "ts-attn__status", role: "status" }, t("atLoading"));
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
      status.textContent = t("atFailed");
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
    const tokensBox = h("div", { class: "ts-attn__tokens", role: "toolbar", "aria-label": t("atTokens"),
      "aria-describedby": help });
    const readout = h("p", { class: "ts-attn__readout", "aria-live": "polite" });
    const fillSelects = () => {
      const d = data();
      const opts = (sel, n, key, extra) => {
        sel.textContent = "";
        if (extra) sel.append(h("option", { value: "avg" }, extra));
        for (let i = 0; i < n; i++) sel.append(h("option", { value: String(i) }, t(key, { n: i + 1 })));
      };
      opts(layerSel, d.weights.length, "atLayerN");
      opts(headSel, d.weights[0].length, "atHeadN", t("atAverage"));
      state.layer = Math.min(state.layer, d.weights.length - 1);
      if (state.head !== "avg") state.head = Math.min(state.head, d.weights[0].length - 1);
      layerSel.value = String(state.layer);
      headSel.value = String(state.head);
    };
    const field = (label, control) => h("label", { class: "ts-attn__field" }, label + " ", control);
    if (sets.length > 1) {
      const name = newId("ts-attn-set");
      const group = h("fieldset", { class: "ts-attn__sets" }, h("legend", null, t("atSentence")));
      sets.forEach((d, i) => {
        const id = name + "-" + i;
        group.append(h("span", { class: "ts-attn__set" },
          h("input", { type: "radio", name, id, value: String(i), checked: i === 0,
            onchange: () => { switchSet(i); } }),
          h("label", { for: id }, cfg.sets[i].label || d.sentence)));
      });
      controls.append(group);
    }
    controls.append(field(t("atLayer"), layerSel), field(t("atHead"), headSel));
    const hasSpecial = sets.some((d) => d.tokens.some((t) => SPECIAL.has(t)));
    if (hasSpecial) {
      const hideBox = h("input", { type: "checkbox", class: "ts-attn__hide", onchange: () => {
        state.hide = hideBox.checked;
        draw(true);
      } });
      controls.append(h("label", { class: "ts-attn__field" }, hideBox, " " + t("atHideSpecial")));
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
      controls.append(h("label", { class: "ts-attn__field" }, mergeBox, " " + t("atMerge")));
    }
    app.append(controls,
      h("p", { class: "ts-attn__help", id: help }, t("atHelp")),
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
    const where = () => (state.head === "avg" ? t("atWhereAverage", { layer: state.layer + 1 })
      : t("atWhere", { layer: state.layer + 1, head: state.head + 1 }));
    const HIDDEN_NOTE = t("atHidden");
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
      let text = t(others.length ? "atPuts" : "atPutsSelf",
        { where: where(), token: q(names[state.focus]), share: num(row[best]), other: q(names[best]) });
      const target = shown.find((i) => names[i] === cfg.target);
      if (target !== undefined && target !== best && target !== state.focus) {
        text += t("atAlso", { share: num(row[target]), token: q(names[target]) });
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
        table.caption.textContent = t("atFrom", { token: q(names[state.focus]), where: where() }) +
          (state.hide ? ` (${HIDDEN_NOTE})` : "");
      }
      const body = table.tBodies[0];
      body.textContent = "";
      shown.forEach((i) => body.append(h("tr", null, h("th", { scope: "row" }, names[i]),
        h("td", null, num(row[i])))));
      const ranked = shown.slice().sort((a, b) => row[b] - row[a]).slice(0, 3);
      const text = t("atMost", { where: where(), token: q(names[state.focus]),
        list: ranked.map((i) => `${q(names[i])} (${num(row[i])})`).join(t("atThen")) });
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
    const back = button(t("stBack"), () => show(at - 1, true));
    const next = button(t("stNext"), () => show(at + 1, true), "ts-btn--primary");
    const show = (i, byUser) => {
      if (i < 0 || i >= items.length) return;
      at = i;
      items.forEach((item, k) => { item.hidden = k !== i; });
      setDisabled(back, i === 0);
      setDisabled(next, i === items.length - 1);
      const name = items[i].querySelector(".ts-steps__name");
      const text = name ? name.textContent : t("stStep", { n: i + 1, of: items.length });
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

  /* The heatmap's data (tens of KB) loads only when the widget comes near the viewport
     (widgets.js reports a failed start). */
  const whenNear = (start) => (root) => new Promise((started) => {
    const io = new IntersectionObserver((seen) => {
      if (seen.some((e) => e.isIntersecting)) { io.disconnect(); started(start(root)); }
    }, { rootMargin: "600px 0px" });
    io.observe(root);
  });
  widget("attention", whenNear(attention));
  widget("attention-steps", steps);
})();
