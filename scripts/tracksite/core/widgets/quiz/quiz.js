/* /// quiz (widgets.js's window.tracksite): docs/architecture.md, How to add a widget. */
(() => {
  "use strict";
  const { load, save, remove, h, $$, button, liveRegion, say, t, copyOf, fnv, widget } = window.tracksite;

  /* Options are shuffled per learner. The HTML holds one fixed shuffle from the build (what a
     reader without JavaScript and a printout see), each input's value being the option's place
     in the source; this moves the option nodes themselves, so the keyboard and screen-reader
     order is the order on screen. The order is seeded by a random learner id kept in storage
     plus the question, so a reload shows the same order. */
  const learnerId = () => {
    const saved = load("tracksite:learner", {});
    if (typeof saved.id === "string" && saved.id) return saved.id;
    const id = Array.from(crypto.getRandomValues(new Uint32Array(2)), (b) => b.toString(36)).join("");
    save("tracksite:learner", { id });
    return id;
  };
  const seeded = (text) => {  /* FNV-1a hash of the text seeds mulberry32 */
    let a = fnv(text);
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
    /* A question's answer is kept under its key (blocks/quiz.py), as an exercise's pass:
       {answers: {0: chosen}, first: {0: first check, 1 right}} (what scorm.js scores; Retry
       keeps it). The quiz's key held them by position before: read once. */
    const earlier = load(key, {});
    const stored = (li, qi) => {
      const own = li.dataset.key ? load(li.dataset.key, null) : null;
      if (own) return own;
      const was = {}, a = (earlier.answers || {})[qi], f = (earlier.first || {})[qi];
      if (Array.isArray(a)) was.answers = { 0: a };
      if (f === 0 || f === 1) was.first = { 0: f };
      return was;
    };
    const keep = (item) => {
      const value = {};
      if (Array.isArray(item.chosen)) value.answers = { 0: item.chosen };
      if (item.first !== undefined) value.first = { 0: item.first };
      if (Object.keys(value).length) save(item.key, value);
      else remove(item.key);
    };
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
      const state = stored(li, qi);
      const item = { li, qi, inputs, explained, feedback, done: false, right: false,
        key: li.dataset.key || `${key}|${qi}`, chosen: (state.answers || {})[0],
        first: [0, 1].includes((state.first || {})[0]) ? state.first[0] : undefined };
      item.check = button(t("qCheck"), () => check(item, true), "ts-btn--primary");
      item.retry = button(t("qRetry"), () => retry(item));
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
      score.textContent = t("qScore", { right, n: questions.length }) +
        (done.length < questions.length ? t("qAnswered", { done: done.length, n: questions.length }) : "");
      return score.textContent;
    };
    const check = (item, byUser) => {
      const chosen = item.inputs.filter((i) => i.checked).map((i) => Number(i.value));
      if (!chosen.length) {
        if (byUser) {
          item.feedback.textContent = t("qChoose");
          item.feedback.focus();
        }
        return;
      }
      item.chosen = chosen;
      item.right = item.explained.every((x, i) => x.correct === chosen.includes(i));
      if (byUser && item.first === undefined) item.first = item.right ? 1 : 0;
      if (byUser) keep(item);
      item.done = true;
      /* a wrong answer explains the chosen options only: the rest would give the answer away */
      item.inputs.forEach((input, i) => {
        const x = item.explained[i] || { correct: false, text: null };
        const note = item.notes[i];
        const mine = chosen.includes(i);
        input.disabled = true;
        if (!item.right && !mine) return;
        note.textContent = "";
        note.append(h("strong", null, t(x.correct ? "qRight" : "qWrong") + (mine ? t("qMine") : "") + ": "),
          ...(x.text ? copyOf(x.text) : []));
        note.hidden = false;
        input.setAttribute("aria-describedby", note.id);
        input.parentNode.classList.add(x.correct ? "is-correct" : "is-wrong");
        input.parentNode.classList.toggle("is-chosen", mine);
      });
      item.li.classList.add("is-answered");
      item.check.hidden = true;
      item.retry.hidden = false;
      const total = updateScore();
      const many = item.explained.filter((x) => x.correct).length > 1;
      item.feedback.textContent = t(item.right ? "qCorrect" : many ? "qNotMany" : "qNotOne") + total + ".";
      item.feedback.classList.toggle("is-right", item.right);
      if (byUser) item.feedback.focus();
    };
    const clear = (item) => {
      item.chosen = undefined;
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
      keep(item);
      const total = updateScore();
      firstInput(item).focus();
      say(live, t("qCleared", { n: item.qi + 1, total }));
    };
    const reset = button(t("qReset"), () => {
      questions.forEach((item) => { clear(item); keep(item); });
      updateScore();
      if (questions[0] && firstInput(questions[0])) firstInput(questions[0]).focus();
      say(live, t("qResetDone"));
    });
    root.append(h("div", { class: "ts-quiz__footer" }, score, reset), live);
    if (Object.keys(earlier).length && root.dataset.key) {
      questions.forEach(keep);
      remove(key);
    }
    questions.forEach((item) => {
      const chosen = item.chosen;
      if (!Array.isArray(chosen)) return;
      item.inputs.forEach((input, i) => { input.checked = chosen.includes(i); });
      check(item, false);
    });
    updateScore();
  }

  widget("quiz", quiz);
})();
