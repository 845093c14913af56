/* tracksite: the reload script `mkdocs serve` adds to every page it serves (adapter/serve/
   devserver.py, `inject_reload`; never part of a built site). It polls the server as MkDocs' own
   does (the two numbers on its tag: the epoch of the site the page shows and its request), and
   when a newer build exists it updates the open page in place, as Material's instant navigation
   does: the page is fetched again and its components (the container with the navigation, the
   content and the table of contents, the header's topic, ...) and title replace the shown ones,
   then Material's `document$` is told, which remounts Material's components and starts the
   widgets of the new content (widgets.js, learner.js, ...). A full reload after each save spent
   as long again as the build: every style sheet asked for, the page parsed, every script run.
   Whatever the swap cannot carry falls back to `location.reload()`: another set of style sheets or
   scripts, other <html> attributes or head, another page around the components, a new inline
   script in the new content, an answer that is not the page (an error, a redirect), a page that
   holds a <noscript>, any failure. */
(() => {
  "use strict";
  const me = document.currentScript;
  const base = me.dataset.base, requestId = me.dataset.request;
  let epoch = Number(me.dataset.epoch);
  const SELF = "__tracksite__/livereload.js";
  /* what Material's instant navigation replaces (Material 9.x, `setupInstantNavigation`) */
  const PARTS = ["announce", "container", "header-topic", "outdated", "logo", "skip", "tabs"]
    .map((name) => `[data-md-component=${name}]`);
  /* head elements that differ from page to page and are replaced with the title */
  const HEAD_META = "title, link[rel=prev], link[rel=next], link[rel=canonical], meta[name=author], meta[name=description]";
  /* a <script> of these types is data (Material's __config, a widget's JSON), not code */
  const CODE_TYPES = new Set(["", "text/javascript", "application/javascript", "module", "text/ecmascript"]);

  const isMe = (node) => (node.getAttribute("src") || "").endsWith(SELF);
  const isCode = (script) => CODE_TYPES.has((script.getAttribute("type") || "").trim().toLowerCase());

  /* ---- what must hold for the swap to carry the new page ---- */
  /* The page around the swapped parts is the same: the server's digest of it as it sent each
     page (adapter/serve/outside.py: the head's style sheets, scripts and CSP, <html>'s language,
     the header, Material's configuration, the scripts at the end of the body), read from this
     script's tag on either page; the page shown has changed since (its scripts ran). */
  const shown = me.dataset.outside;
  /* the new parts bring no code that would not run as a reload runs it: no script the page has
     not loaded (a widget's own), no inline script but those the page ran already (Material's
     own, which the site's CSP allows by their digest), run again after the swap as Material does */
  const inParts = (doc) => Array.from(doc.querySelectorAll(PARTS.map((p) => `${p} script`).join(",")));
  function newCode(next) {
    const loaded = new Set(Array.from(document.scripts, (s) => s.src).filter(Boolean));
    const ran = new Set(Array.from(document.scripts).filter((s) => !s.src && isCode(s)).map((s) => s.textContent));
    return inParts(next).some((script) => script.hasAttribute("src") ? !loaded.has(script.src)
      : isCode(script) && !ran.has(script.textContent));
  }
  function runInline() {
    for (const old of inParts(document)) {
      if (old.hasAttribute("src") || !isCode(old)) continue;
      const script = document.createElement("script");
      for (const name of old.getAttributeNames()) script.setAttribute(name, old.getAttribute(name));
      script.textContent = old.textContent;
      old.replaceWith(script);
    }
  }

  /* ---- the swap ---- */
  function replaceHeadMeta(next) {
    document.title = next.title;
    for (const old of document.head.querySelectorAll(HEAD_META)) if (!old.matches("title")) old.remove();
    for (const meta of next.head.querySelectorAll(HEAD_META)) {
      if (!meta.matches("title")) document.head.append(document.adoptNode(meta));
    }
  }

  /* after the browser has drawn a frame (or a moment, in a tab that draws none) */
  const drawn = () => new Promise((done) => {
    requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, 200);
  });

  /* The new parts go in at once and are drawn before Material's components and the widgets are
     started on them, as a reload draws the page before its scripts run: starting them (Material
     measures each code block) took as long as drawing the page again. */
  async function swap(next) {
    const x = window.scrollX, y = window.scrollY;
    replaceHeadMeta(next);
    for (const sel of PARTS) {
      const old = document.querySelector(sel), neu = next.querySelector(sel);
      if (old && neu) old.replaceWith(document.adoptNode(neu));
    }
    window.scrollTo(x, y); /* as a reload: where the reader was */
    await drawn();
    runInline();
    window.document$.next(document);
    window.scrollTo(x, y); /* whatever the components did */
  }

  /* the page again, in place if it can be; its epoch, or null once a full reload is under way */
  async function update() {
    const material = window.document$ && typeof window.document$.next === "function";
    if (!material || !document.querySelector(PARTS[1])) return reload(); /* the plain problems page */
    const res = await fetch(location.href, { cache: "no-store" });
    if (res.status !== 200 || res.redirected || !/^text\/html\b/.test(res.headers.get("Content-Type") || "")) {
      return reload();
    }
    const next = new DOMParser().parseFromString(await res.text(), "text/html");
    /* DOMParser reads with scripting off, so a <noscript>'s content is markup there, and would go
       in live (a <meta http-equiv=refresh>, an <img> that loads) where a reload, with scripting
       on, reads text (issue 81, LR1): scripting is the one flag that parses the two apart, and
       <noscript> the one element it changes, so such a page is reloaded, read as the browser reads it */
    if (next.querySelector("noscript")) return reload();
    const tag = Array.from(next.querySelectorAll("script[src]")).find(isMe);
    const newEpoch = tag ? Number(tag.dataset.epoch) : NaN, seen = tag ? tag.dataset.outside : "";
    if (!(newEpoch > epoch) || !seen || seen !== shown || !next.querySelector(PARTS[1]) || newCode(next)) return reload();
    await swap(next);
    return newEpoch;
  }

  function reload() {
    stop();
    location.reload();
    return null;
  }

  /* ---- MkDocs' polling (its livereload.py), answered at once when a newer build is shown ---- */
  let req, timeout, updating = false;
  function poll() {
    const mine = req = new XMLHttpRequest();
    req.onloadend = function () {
      if (req !== mine) return; /* stopped (an abort ends it too) */
      req = undefined;
      if (parseFloat(this.responseText) > epoch) newer();
      else timeout = setTimeout(() => { timeout = undefined; poll(); }, this.status === 200 ? 0 : 3000);
    };
    req.open("GET", base + "livereload/" + epoch + "/" + requestId);
    req.send();
  }
  function newer() {
    updating = true;
    update().then((next) => {
      updating = false;
      if (next === null) return;
      epoch = next;
      if (document.visibilityState === "visible") poll();
    }, (e) => {
      console.warn("tracksite: the page is reloaded whole:", e);
      reload();
    });
  }
  function stop() {
    const running = req;
    req = undefined;
    if (running) running.abort();
    if (timeout) clearTimeout(timeout);
    timeout = undefined;
  }
  const start = () => { if (!req && !timeout && !updating) poll(); };
  window.addEventListener("load", () => { if (document.visibilityState === "visible") start(); });
  window.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") start(); else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
