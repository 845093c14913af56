"""`/// attention`: a heat map of a model's attention weights, read from a data file. `schema.py`
describes its body, `body.py` parses it and its data file (`BODY`), `block.py` draws it; its
script is theme/assets/tracksite/attention.js. This module imports nothing."""
