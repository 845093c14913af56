/* tracksite offline copy (tracksite export offline): what a page opened from file:// lacks.
   Chromium and Firefox refuse fetch() and module scripts from file://, and the course search
   uses both: this loads first on every page and
   - answers fetch() for the copy's own search index from search-files.js, a classic script
     holding every file of the index, loaded with a <script> element on the first search;
   - loads the search's scripts (turned into classic scripts by the export) with <script>
     elements, where the site uses import().
   Nothing else changes, and no request leaves the copy. Served over http, other files of the
   copy are fetched as on the site. */
(() => {
  "use strict";
  const root = new URL("../../", document.currentScript.src);
  const here = new URL(".", document.currentScript.src).href;
  const modules = (window.tracksiteModules = window.tracksiteModules || {});

  const script = (src) => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error("could not load " + src));
    document.head.append(s);
  });

  window.tracksiteImport = (href) => {
    const url = new URL(href, document.baseURI).href;
    if (modules[url]) return Promise.resolve(modules[url]);
    /* a module the export did not turn into a classic script registers nothing: the page that
       imported it is the one to name (issue 82: the editor's import blamed the editor) */
    return script(url).then(() => modules[url] || Promise.reject(new Error(
      "the offline copy loads only the search's modules from a file; a page script imported " + url)));
  };

  let files = null;
  const index = () => files || (files = script(here + "search-files.js").then(() => window.tracksiteFiles || {}));
  const own = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = (input, init) => {
    /* a Request has its address in .url; a URL object (no .url) and a string are the address */
    const url = new URL(input && typeof input.url === "string" ? input.url : String(input), document.baseURI);
    const path = url.pathname.startsWith(root.pathname) ? decodeURIComponent(url.pathname.slice(root.pathname.length)) : null;
    /* the index's files always (the copy has no search-index/ folder), the copy's other files
       only from file://: served over http, the copy's own files are fetched (Pyodide's, which
       the runnable block's page fetches; issue 82) */
    if (url.protocol === root.protocol && path !== null && (root.protocol === "file:" || path.startsWith("search-index/"))) {
      return index().then((all) => (Object.prototype.hasOwnProperty.call(all, path)
        ? new Response(JSON.stringify(all[path]), { status: 200, headers: { "Content-Type": "application/json" } })
        : new Response("", { status: 404, statusText: "not in the offline copy" })));
    }
    return own ? own(input, init) : Promise.reject(new Error("no network in the offline copy"));
  };
})();
