"""`/// flashcards`: cards to flip, a term on the front and its meaning on the back. `body.py`
describes its body and parses it (`BODY`), `block.py` draws it and gives an export its
deck; its script is theme/assets/tracksite/widgets.js. This module imports nothing."""
