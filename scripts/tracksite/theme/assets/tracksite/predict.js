/* tracksite /// predict: a text box and a Check button under the code. The expected output is
   read from the page's own "Show the output" disclosure (written once, by the build); checking
   compares the answer with it, ignoring surrounding whitespace and spaces at the ends of lines,
   says the verdict in a live region and opens the disclosure. Uses window.tracksite (widgets.js).
   No inline code, no eval; text goes in through textContent. */
(() => {
  "use strict";
  const { h, button, newId, say, widget } = window.tracksite;
  const norm = (s) => s.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/\s+$/, "")).join("\n").trim();

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
      "Type the output, then Check (or press Ctrl+Enter).");
    const feedback = h("p", { class: "ts-predict__feedback", "aria-live": "polite" });
    const check = () => {
      const right = norm(input.value) === norm(expected);
      root.classList.toggle("is-right", right);
      root.classList.toggle("is-wrong", !right);
      say(feedback, right ? "Matches" : "Not quite: here is what it prints");
      answer.open = true;
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); }
    });
    input.addEventListener("input", () => root.classList.remove("is-right", "is-wrong"));
    const app = h("div", { class: "ts-predict__app" }, input, hint,
      h("p", { class: "ts-predict__actions" }, button("Check", check, "ts-btn--primary")), feedback);
    question.after(app);
  }

  widget("predict", predict);
})();
