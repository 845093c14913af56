/* /// flashcards (widgets.js's window.tracksite): docs/architecture.md, How to add a widget. */
(() => {
  "use strict";
  const { load, save, h, $$, button, liveRegion, say, newId, t, copyOf, spoken, widget } = window.tracksite;

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
    const prev = button(t("cPrev"), () => go(-1));
    const next = button(t("cNext"), () => go(1));
    const again = button(t("cAgain"), () => mark("again"));
    const knew = button(t("cKnew"), () => mark("known"), "ts-btn--primary");
    const live = liveRegion();
    const app = h("div", { class: "ts-cards__app" }, count, card,
      h("div", { class: "ts-cards__nav" }, prev, again, knew, next),
      h("p", { class: "ts-cards__help", id: help }, t("cHelp")), live);
    root.querySelector(".ts-cards__list").hidden = true;
    root.append(app);
    const current = () => cards[seq[pos]];
    const render = (still) => {
      const c = current();
      const m = marks[c.term];
      const known = cards.filter((x) => marks[x.term] === "known").length;
      const redo = cards.filter((x) => marks[x.term] === "again").length;
      count.textContent = t("cCount", { n: pos + 1, of: seq.length, known, redo }) +
        (m ? t(m === "known" ? "cThisKnew" : "cThisAgain") : "");
      side.textContent = t(flipped ? "cAnswer" : "cTerm");
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
      say(live, t(flipped ? "cAnswer" : "cTerm") + ": " + spoken(flipped ? current().answerNode : current().termNode));
    };
    const go = (step, prefix) => {
      let note = "";
      pos += step;
      if (pos >= seq.length) {
        seq = order();
        pos = 0;
        note = t("cRestart");
      } else if (pos < 0) pos = seq.length - 1;
      flipped = false;
      render();
      say(live, (prefix || "") + note + t("cCard", { n: pos + 1, of: seq.length, term: current().term }));
    };
    const mark = (m) => {
      marks[current().term] = m;
      save(key, marks);
      go(1, t(m === "known" ? "cMarkedKnown" : "cMarkedAgain"));
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

  widget("flashcards", flashcards);
})();
