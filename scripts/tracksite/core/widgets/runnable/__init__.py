"""`/// runnable`: Python the learner edits and runs in the page, an exercise when it has tests.
`body.py` describes its body, parses it (`BODY`) and names the modules the browser
may import, `block.py` draws it and gives an export its exercise, `check.py` is the pass the
check runs on its code (`PASS`); beside them its page files (runnable.js the editor and buttons,
runnable-sandbox.js the frame of no origin the code runs in, runnable-work.js, runnable.css,
runnable-print.css), published at assets/tracksite/, and the files those fetch by address
(its entry's `fetched`: runnable-editor.js, the editor's module; runnable-frame.js and
runnable-worker.js, the sandboxed frame's script and its worker's), published there too and,
like the rest of the interpreter's side (theme.RUNTIME: Pyodide, runner.py, CodeMirror's bundle,
under theme/assets/tracksite/), only by a site whose pages run code. This module imports nothing."""
