"""`tracksite export offline`: a zip of the course that works opened from `file://`.

Browsers refuse `fetch()` and module scripts to a page opened from a file, and the course search
uses both (search.js imports search-ui.js, which imports search-engine.js and fetches the
index's JSON files). The copy keeps the site's files and adds, before every page's scripts,
theme/export/offline.js: it answers the search's fetches from one classic script holding the
whole index (search-files.js, loaded on the first search), and loads the search's modules,
turned here into classic scripts, with `<script>` elements. Links name `index.html`
(staging.explicit). The pages' Content-Security-Policy stays as built: 'self' covers the
copy's own files under file:// in Chromium (the offline test holds it). Runnable code does not
run from a file (the page cannot fetch Pyodide's files there): its block says so and how to serve
the folder instead; served over http (`python3 -m http.server`), the copy runs code as the site
does, so the runnable block's scripts are left as built (`_AS_BUILT`): rewriting runnable.js's
`import(` of its editor broke the editor and the worker over http (issue 82, H2).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tracksite import theme
from tracksite.commands.export import coursedata, staging
from tracksite.core import widgetregistry
from tracksite.errors import UserError

INDEX = "search-index"
START = "index.html"
_EXPORTED = re.compile(r"^export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)", re.M)
#: Scripts the copy keeps as built: Python's (theme.RUNTIME, which no page opened from a file
#: loads) and those of the widgets a learner's intent loads (the runnable block's), which import
#: nothing from a file (runnable.js says so) and import natively over http.
_AS_BUILT = frozenset(
    [
        *theme.RUNTIME,
        *(
            a
            for w in widgetregistry.WIDGETS
            if w.on_intent
            for a in widgetregistry.widget_assets(w)
            if a.endswith(".js")
        ),
    ]
)
_UNSUPPORTED = re.compile(r"^\s*import\s+[\w{*\"']|^export\s*(?:\{|\*|default\b)", re.M)


def classic(source: str, name: str) -> str:
    """A module script of the theme as a classic script: its exports registered in
    window.tracksiteModules under its own address, `import.meta.url` its address, `import()`
    offline.js's loader. Only the forms the theme's modules use are taken; another is refused,
    so that a change to them fails the export, not a learner's search."""
    if _UNSUPPORTED.search(source):
        raise UserError(f"{name}: the offline copy cannot load this module (a static import or an export list)")
    names = _EXPORTED.findall(source)
    body = re.sub(r"^export\s+", "", source, flags=re.M)
    body = body.replace("import.meta.url", "tsModuleUrl")
    body = re.sub(r"\bimport\(", "window.tracksiteImport(", body)
    return (
        '(() => {\n"use strict";\nconst tsModuleUrl = document.currentScript.src;\n'
        + body
        + f"\nwindow.tracksiteModules[tsModuleUrl] = {{ {', '.join(names)} }};\n}})();\n"
    )


def convert_scripts(staged: Path) -> int:
    """Turn the theme's module scripts into classic ones and its dynamic imports into the
    loader's; returns how many files changed."""
    changed = 0
    for path in sorted((staged / "assets/tracksite").glob("*.js")):
        if f"assets/tracksite/{path.name}" in _AS_BUILT:
            continue
        source = path.read_text(encoding="utf-8")
        if _EXPORTED.search(source) or "import.meta" in source:
            text = classic(source, path.name)
        elif re.search(r"\bimport\(", source):
            text = re.sub(r"\bimport\(", "window.tracksiteImport(", source)
        else:
            continue
        path.write_text(text, encoding="utf-8")
        changed += 1
    return changed


def index_script(staged: Path) -> str:
    """search-files.js: every file of the search index, by its address in the copy."""
    files = {}
    for path in sorted((staged / INDEX).rglob("*.json")):
        files[path.relative_to(staged).as_posix()] = json.loads(path.read_text(encoding="utf-8"))
    return "window.tracksiteFiles = " + json.dumps(files, ensure_ascii=False, separators=(",", ":")) + ";\n"


def package(site: Path, out: Path, work: Path, track: str | None = None) -> int:
    """The offline copy of the built `site`; with `track`, the copy of that track's learners:
    the whole site, its progress under the track's id (apart from the whole course's copy)."""
    course_id = coursedata.read(site, track).course_id if track else None
    staged = work / "course"
    staging.copy_site(site, staged)
    staging.refuse_remote(staged)
    staging.prepare(staged, ("portable.js", "offline.js"), course_id=course_id or None)
    convert_scripts(staged)
    (staged / staging.ASSETS / "search-files.js").write_text(index_script(staged), encoding="utf-8")
    shutil.rmtree(staged / INDEX)  # served from search-files.js: a second copy would only weigh
    return staging.write_zip(staged, out, first=(START,))
