/* tracksite: a widget's files loaded on a learner's intent (issue 83). Linked (deferred, after
   widgets.js) only by the pages that show such a widget (adapter/published/widgetassets.py). */
(() => {
  "use strict";
  const { h, $$ } = window.tracksite;
  /* <meta name="tracksite-on-intent" content="<selector of its roots>" data-src="<a file>">:
     a pointer, touch, focus or key on such a root loads its style sheets, then its scripts, and
   leaves the element touched as window.tracksite.intended */
  const intended = new Set();
  const isCss = (src) => /\.css$/.test(src.split(/[?#]/)[0]);
  const fetchFile = (src) => new Promise((done) => {
    const node = isCss(src) ? h("link", { rel: "stylesheet", href: src }) : h("script", { src });
    /* a script added by script runs when it arrives unless told otherwise: these run in the
       order the registry names them (runnable-work.js before runnable.js, which calls it) */
    if (!isCss(src)) node.async = false;
    node.addEventListener("load", done);
    node.addEventListener("error", done);
    document.head.append(node);
  });
  const onIntent = (e) => {
    const target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    const files = [];
    for (const meta of $$(document, 'meta[name="tracksite-on-intent"]')) {
      const src = meta.dataset.src;
      let hit = false;
      try { hit = Boolean(target.closest(meta.content)); } catch (err) { hit = false; }
      if (src && hit && !intended.has(src)) { intended.add(src); files.push(src); }
    }
    /* the element touched, for the scripts it brings (runnable.js draws that block's editor) */
    if (files.length) window.tracksite.intended = target;
    const css = files.filter(isCss);
    if (files.length) Promise.all(css.map(fetchFile)).then(() => files.filter((f) => !isCss(f)).forEach(fetchFile));
  };
  /* what counts as intent, here and for the blocks the scripts brought (runnable.js) */
  window.tracksite.intentEvents = ["pointerover", "pointerdown", "focusin", "keydown"];
  window.tracksite.intentEvents.forEach((type) =>
    document.addEventListener(type, onIntent, { capture: true, passive: true }));
})();
