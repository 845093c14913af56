/* tracksite: Material's search worker, loaded on the first query instead of on every page.
   Material starts its worker as each page opens and sends it the search index; this stand-in
   answers "ready" at once, keeps the index message, and imports the real worker (named in the
   `real` query parameter, a file beside Material's bundle) only when a learner first searches. */
"use strict";
const params = new URL(self.location.href).searchParams;
const real = new URL("../javascripts/workers/" + (params.get("real") || ""), self.location.href).href;
let setup = null;
let loaded = false;
const replay = (data) => self.dispatchEvent(new MessageEvent("message", { data }));
self.addEventListener("message", (event) => {
  if (!event.isTrusted || loaded) return; /* replays, and everything once the real worker runs */
  const message = event.data;
  if (message && message.type === 0) {
    setup = message;
    self.postMessage({ type: 1 });
    return;
  }
  if (message && message.type === 2 && !String(message.data || "").trim()) {
    self.postMessage({ type: 3, data: { items: [] } }); /* the empty query of an idle search box */
    return;
  }
  loaded = true;
  importScripts(real);
  if (setup) replay(setup);
  setTimeout(() => replay(message), 0); /* after the index is built from the setup message */
});
