"""`/// predict`: a short program whose output the learner predicts. `body.py` describes its
body and parses it (`BODY`), `block.py` draws it; its script and
stylesheet are predict.js and predict.css beside them (published at assets/tracksite/). This
module imports nothing."""
