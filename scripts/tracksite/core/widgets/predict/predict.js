/* tracksite /// predict: a text box and a Check button under the code. The expected output is
   read from the page's own "Show the output" disclosure (written once, by the build); checking
   compares the answer with it in a canonical form (canon), says the verdict in a live region
   and opens the disclosure after a right answer or a second miss. Uses window.tracksite
   (widgets.js). No inline code, no eval; text goes in through textContent. */
(() => {
  "use strict";
  const { h, button, newId, say, widget, t } = window.tracksite;
  /* blank lines, end spaces, runs of spaces and spaces by brackets and commas do not count:
     "[6,3,4,7]" is the "[6, 3, 4, 7]" Python prints */
  const canon = (s) => s.replace(/\r\n?/g, "\n").split("\n")
    .map((l) => l.trim().replace(/[ \t]+/g, " ").replace(/ ?([,;:()[\]{}]) ?/g, "$1"))
    .filter((l) => l !== "").join("\n");
  const TRIES = 2;

  function predict(root) {
    const question = root.querySelector(".ts-predict__question");
    const answer = root.querySelector(".ts-predict__answer");
    const output = root.querySelector(".ts-predict__output");
    if (!question || !answer || !output) return;
    const expected = output.textContent;
    const id = newId("ts-predict-in");
    const rows = Math.min(Math.max(expected.split("\n").length, 2), 8);
    const input = h("textarea", {
      id, class: "ts-predict__input", rows: String(rows), spellcheck: "false",
      autocomplete: "off", autocapitalize: "off", "aria-labelledby": question.id,
      "aria-describedby": id + "-hint",
    });
    const hint = h("p", { id: id + "-hint", class: "ts-predict__hint" },
      t("pdHint"));
    const feedback = h("p", { class: "ts-predict__feedback", "aria-live": "polite" });
    let misses = 0;
    const check = () => {
      const right = canon(input.value) === canon(expected);
      if (!right) misses += 1;
      const reveal = right || misses >= TRIES;
      root.classList.toggle("is-right", right);
      root.classList.toggle("is-wrong", !right);
      say(feedback, t(right ? "pdRight" : reveal ? "pdShown" : "pdAgain"));
      if (reveal) answer.open = true;
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); }
    });
    input.addEventListener("input", () => root.classList.remove("is-right", "is-wrong"));
    const app = h("div", { class: "ts-predict__app" }, input, hint,
      h("p", { class: "ts-predict__actions" }, button(t("pdCheck"), check, "ts-btn--primary")), feedback);
    question.after(app);
  }

  widget("predict", predict);
})();
