"""`//// exercise` and its `/// solution`: a task for the learner and its folded answer, written
as Markdown. `block.py` draws both. This module imports nothing."""
