"""`/// attention-steps`: attention worked through step by step on small matrices. `schema.py`
describes its body, `body.py` parses it and computes the matrices (`BODY`), `block.py` draws
them; its script and stylesheet are the attention widget's (core/widgets/attention/). This module imports nothing."""
