"""`/// quiz`: multiple-choice questions with feedback for each option. `body.py` describes its
body and parses it (`BODY`), `block.py` draws it and gives an export its questions; its
script is theme/assets/tracksite/widgets.js. This module imports nothing."""
