/* tracksite: the course search's button (partials/search-box.html), shown once this script runs,
   and its keys ("/" or "s", as Material's search). This is all of the search a page loads: the
   dialog's code (search-ui.js) and the engine (search-engine.js) load when a learner first opens
   it, and the index's files while they type (docs/benchmarks.md). The dialog opens at once; what is typed before the
   code has arrived is searched when it has. */
(() => {
  "use strict";
  const root = document.querySelector("[data-ts-search]");
  if (!root || typeof HTMLDialogElement !== "function") return; /* no dead button */
  const dialog = root.querySelector(".ts-search__dialog"), input = root.querySelector(".ts-search__input");
  const ui = new URL(root.dataset.ui, document.baseURI).href;
  let started = null;

  const start = () => {
    if (!started) {
      started = import(ui).then((module) => module.attach(root));
      started.catch(() => {
        started = null;
        const status = root.querySelector(".ts-search__status");
        status.textContent = root.dataset.unavailable || "";  /* the catalogue's searchUnavailable */
      });
    }
  };

  const open = () => {
    if (!dialog.open) {
      dialog.showModal();
      input.select();
    }
    input.focus();
    start();
  };

  const editable = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || editable(e.target)) return;
    if (e.key === "/" || e.key === "s" || e.key === "S") {
      e.preventDefault();
      open();
    }
  });
  const button = root.querySelector(".ts-search__open");
  button.addEventListener("click", open);
  /* here, not with the dialog's code: a dialog closed before that code arrived gives focus back too */
  dialog.addEventListener("close", () => {
    if (!dialog.dataset.followed) button.focus();
    delete dialog.dataset.followed;
  });
  root.hidden = false;
})();
