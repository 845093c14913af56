"""`/// attention-steps`: attention worked through step by step on small matrices. `schema.py`
describes its body, `body.py` parses it and computes the matrices (`BODY`), `block.py` draws
them; its script is core/widgets/attention/attention.js, the attention widget's. This module imports nothing."""
