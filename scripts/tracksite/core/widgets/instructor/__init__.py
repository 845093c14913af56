"""`/// instructor`: teaching notes, drawn in the instructor build only. `block.py` draws them.
This module imports nothing."""
