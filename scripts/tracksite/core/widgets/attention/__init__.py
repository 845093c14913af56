"""`/// attention`: a heat map of a model's attention weights, read from a data file. `body.py`
describes its body and parses it and its data file (`BODY`), `block.py` draws it; its
script and stylesheet are attention.js and attention.css beside them (published at
assets/tracksite/), which the attention-steps widget shares. This module imports nothing."""
