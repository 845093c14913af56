"""Where the installed tracksite keeps what every course needs at build time.

A course holds only its own content and its own small overrides; the templates, the widgets'
CSS and JavaScript, the editor schemas and the starter text of `tracksite init` ship inside the
package, so `pip install -U tracksite` reaches every course on its next build (Material ships
its theme the same way and a course overrides single partials in its `custom_dir`).

This module names the folders and the published files; the adapter puts `TEMPLATES` on the
theme's search path after the course's own `custom_dir`, and the site plan publishes `ASSETS`
at `assets/tracksite/...` unless the course's docs/ has a file at the same address. A layer of
its own at the bottom (tests/architecture/test_imports.py): it imports nothing of tracksite, so every layer
may read it; which widget links which of these files is the widget registry's.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"
SCHEMAS = HERE / "schemas"
STARTER = HERE / "starter"


#: The stylesheets and scripts every page links, in order (deferred scripts run in this order:
#: widgets.js first, whose window.tracksite the widgets' own scripts use). widgets.js and
#: widgets.css are what the widgets share (storage, helpers, the start of each widget, the frame
#: and buttons, the exercise's few rules); each widget's own files are in its home.
STYLESHEETS = (
    "assets/tracksite/theme.css",
    "assets/tracksite/widgets.css",
    "assets/tracksite/learner.css",
    "assets/tracksite/search.css",
)
SCRIPTS = (
    "assets/tracksite/widgets.js",
    "assets/tracksite/progress.js",
    "assets/tracksite/learner.js",
    "assets/tracksite/search.js",
)

#: What runs Python in the page (`/// runnable`): Pyodide (13 MB), the worker that runs it and the
#: runner it calls, and the code editor (CodeMirror 6, vendored by scripts/codemirror/build.sh, and
#: the module that sets it up). A site publishes them only when one of its pages runs code
#: (core/site/plan.py), so a course without runnable code ships none of it. These are addresses:
#: the worker's, the frame's and the editor's files live in the runnable widget's home
#: (core/widgets/runnable/, its entry's `fetched`), the rest under ASSETS.
RUNTIME = (
    "assets/tracksite/pyodide/",
    "assets/tracksite/runnable-worker.js",
    "assets/tracksite/runnable-frame.js",
    "assets/tracksite/runner.py",
    "assets/tracksite/codemirror/",
    "assets/tracksite/runnable-editor.js",
)


def asset_files() -> list[tuple[str, Path]]:
    """Every file published from the package, as (address in the site, file), sorted: the
    widgets' assets under assets/, and the editor schemas under schemas/ (so an editor can also
    take them from the published course by URL)."""
    return sorted(
        (f"{folder.name}/{p.relative_to(folder).as_posix()}", p)
        for folder in (ASSETS, SCHEMAS)
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
