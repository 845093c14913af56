"""The course search as one unit: the index the build writes (`index.py`, from each page as
`page.py` reads it, in words `words.py` makes), the browser engine that reads it
(`search-engine.js`, beside them; `engine.py` publishes it at `assets/tracksite/`), its JavaScript
tests (`tests/`, run by `node --test`) and the index's format (README.md)."""
