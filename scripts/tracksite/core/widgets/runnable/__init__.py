"""`/// runnable`: Python the learner edits and runs in the page, an exercise when it has tests.
`schema.py` describes its body, `body.py` parses it (`BODY`) and names the modules the browser
may import, `block.py` draws it and gives an export its exercise, `check.py` is the pass the
check runs on its code (`PASS`); beside them its page files (runnable.js the editor and buttons,
runnable-sandbox.js the frame of no origin the code runs in, runnable-work.js, runnable.css,
runnable-print.css), published at assets/tracksite/; the interpreter's side (runner.py,
runnable-frame.js, runnable-worker.js, the editor's bundle) is theme.RUNTIME's, under
theme/assets/tracksite/. This module imports nothing."""
