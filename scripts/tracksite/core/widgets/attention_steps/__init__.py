"""`/// attention-steps`: attention worked through step by step on small matrices. `body.py`
describes its body, parses it and computes the matrices (`BODY`), `block.py` draws
them; its script and stylesheet are the attention widget's (core/widgets/attention/). This module imports nothing."""
