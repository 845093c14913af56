/* tracksite export: links that name their file. An exported copy (a SCORM package in an LMS's
   file store, an offline copy opened from file://) has no server to answer a folder's address
   with its index.html; the export writes every link of the built pages with index.html, and this
   does the same for the links the page's scripts make later ("Continue: Lesson N"). Loaded
   first on every page of the copy. */
(() => {
  "use strict";
  const root = new URL("../../", document.currentScript.src).href;
  const fix = (a) => {
    let url;
    try { url = new URL(a.getAttribute("href"), document.baseURI); } catch (e) { return; }
    if (url.href.startsWith(root) && url.pathname.endsWith("/")) {
      url.pathname += "index.html";
      a.setAttribute("href", url.href);
    }
  };
  const handler = (e) => {
    const a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (a) fix(a);
  };
  document.addEventListener("click", handler, true);
  document.addEventListener("auxclick", handler, true);
  document.addEventListener("keydown", (e) => { if (e.key === "Enter") handler(e); }, true);
})();
