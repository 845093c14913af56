/* tracksite offline copy (tracksite export offline): what a page opened from file:// lacks.
   Chromium and Firefox refuse fetch() and module scripts from file://, and the course search
   uses both: this loads first on every page and
   - answers fetch() for the copy's own search index from search-files.js, a classic script
     holding every file of the index, loaded with a <script> element on the first search;
   - loads the search's scripts and the code editor (turned into classic scripts by the export)
     with <script> elements, where the site uses import();
   - answers fetch() for Python's files (PACKED, which runnable-sandbox.js fetches when a learner
     shows intent on a code block) from classic scripts the export made of their bytes
     (python/<name>.js: text as a string, other bytes in base64), loaded then and only then, so a
     visit that runs no code weighs what it did. The page hands those bytes to the sandboxed
     frame as on the site (issue 82: file:// runs code).
   The same path serves the copy opened from a file and served over http; no request leaves the
   copy. Served over http, the copy's other files are fetched as on the site. */
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

  /* Python's files, by their address under assets/tracksite/ (the export packs exactly these
     and leaves their originals out of the copy) */
  const PACKED = ["runnable-worker.js", "runner.py", "pyodide/pyodide.js", "pyodide/pyodide.asm.js",
    "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"];
  const TYPES = { js: "text/javascript", py: "text/x-python", json: "application/json", wasm: "application/wasm", zip: "application/zip" };
  const packed = (window.tracksitePacked = window.tracksitePacked || {});
  const loading = {};
  const decoded = (data) => {
    if (typeof data.text === "string") return data.text;
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(data.base64);
    const raw = atob(data.base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  };
  const python = (name) => {
    loading[name] = loading[name] || script(here + "python/" + name + ".js").then(() => {
      const data = packed[name];
      delete packed[name]; /* the page keeps the Blob, not a second copy as text */
      if (!data) throw new Error("python/" + name + ".js holds no " + name);
      return new Blob([decoded(data)], { type: TYPES[name.slice(name.lastIndexOf(".") + 1)] || "application/octet-stream" });
    });
    loading[name].catch(() => { delete loading[name]; }); /* a later start tries again */
    return loading[name].then((blob) => new Response(blob, { status: 200, headers: { "Content-Type": blob.type } }));
  };

  let files = null;
  const index = () => files || (files = script(here + "search-files.js").then(() => window.tracksiteFiles || {}));
  const own = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = (input, init) => {
    /* a Request has its address in .url; a URL object (no .url) and a string are the address */
    const url = new URL(input && typeof input.url === "string" ? input.url : String(input), document.baseURI);
    const path = url.pathname.startsWith(root.pathname) ? decodeURIComponent(url.pathname.slice(root.pathname.length)) : null;
    const name = url.protocol === root.protocol && path && path.startsWith("assets/tracksite/") ? path.slice(17) : "";
    if (PACKED.includes(name)) return python(name);
    /* the index's files always (the copy has no search-index/ folder), the copy's other files
       only from file://: served over http, they are fetched as on the site */
    if (url.protocol === root.protocol && path !== null && (root.protocol === "file:" || path.startsWith("search-index/"))) {
      return index().then((all) => (Object.prototype.hasOwnProperty.call(all, path)
        ? new Response(JSON.stringify(all[path]), { status: 200, headers: { "Content-Type": "application/json" } })
        : new Response("", { status: 404, statusText: "not in the offline copy" })));
    }
    return own ? own(input, init) : Promise.reject(new Error("no network in the offline copy"));
  };
})();
