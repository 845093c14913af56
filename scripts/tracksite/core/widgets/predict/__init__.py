"""`/// predict`: a short program whose output the learner predicts. `schema.py` describes its
body, `body.py` parses it (`BODY`), `block.py` draws it; its files are
theme/assets/tracksite/predict.js and predict.css. This module imports nothing."""
