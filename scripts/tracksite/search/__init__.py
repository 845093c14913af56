"""The course search as one unit, engine-free: the index a build writes (`index.py`, from each page
as `page.py` reads it, in words `words.py` makes), the browser engine that reads it
(`search-engine.js`, beside them so the two readings of a word change together) and the index's
format (README.md). It sits between core and the adapter: it reads built HTML and writes files, and
knows nothing of MkDocs, so another engine could call it as it is; the adapter publishes the
browser engine (`adapter/published/searchengine.py`) and calls the index from the plugin."""
