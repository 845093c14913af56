/* tracksite: the "Print this cheatsheet" button (overrides/partials/print-button.html).
   The button ships hidden; this shows it and makes it print. An external file, because the
   site's Content-Security-Policy allows no inline script of ours. */
(function () {
  "use strict";
  function wire() {
    var buttons = document.querySelectorAll("button[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (button.dataset.printReady) continue;
      button.dataset.printReady = "1";
      button.addEventListener("click", function () { window.print(); });
      button.hidden = false;
    }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(wire); /* Material's instant navigation, if it is ever enabled */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
