"""`/// runnable`: Python the learner edits and runs in the page, an exercise when it has tests.
`schema.py` describes its body, `body.py` parses it (`BODY`) and names the modules the browser
may import, `block.py` draws it and gives an export its exercise, `check.py` is the pass the
check runs on its code (`PASS`); its files are theme/assets/tracksite/runnable.js, runnable.css
and runner.py. This module imports nothing."""
