"""`tracksite export offline`: a zip of the course that works opened from `file://`.

Browsers refuse `fetch()` and module scripts to a page opened from a file, and the course search
uses both (search.js imports search-ui.js, which imports search-engine.js and fetches the
index's JSON files). The copy keeps the site's files and adds, before every page's scripts,
theme/export/offline.js: it answers the search's fetches from one classic script holding the
whole index (search-files.js, loaded on the first search), and loads the search's modules,
turned here into classic scripts, with `<script>` elements. Links name `index.html`
(staging.explicit). The pages' Content-Security-Policy stays as built: 'self' covers the
copy's own files under file:// in Chromium (the offline test holds it), with one hash added.

Code runs in the copy from a file and over http alike, by one path (issue 82). A page opened
from a file can fetch nothing, and a frame of no origin can load no file:// script; it can load
classic scripts. So `pack_python` turns Python's files (offline.js's PACKED) into classic
scripts carrying their bytes, which offline.js loads when runnable-sandbox.js fetches them (on
a learner's intent) and answers with the bytes, which the page hands to its sandboxed frame as
on the site; their originals leave the copy. The frame's script (runnable-frame.js) is given
to the page as text (`window.tracksiteFrame`, at the end of the copy's offline.js) and runs
inline in the frame's srcdoc, allowed by its SHA-256 in each page's script-src (`allow_frame`).
The editor (runnable-editor.js with CodeMirror) becomes one classic script (`editor_script`).
The runnable block's other scripts are left as built (`_AS_BUILT`): rewriting runnable.js's
`import(` broke the editor and the worker over http (issue 82, H2).
"""

from __future__ import annotations

import base64
import hashlib
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


TRACKSITE = "assets/tracksite"
EDITOR = f"{TRACKSITE}/runnable-editor.js"
CODEMIRROR = f"{TRACKSITE}/codemirror/codemirror.js"
_PACKED = re.compile(r"const PACKED = \[([^\]]*)\];")
_CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src )')


def packed_names() -> list[str]:
    """The files offline.js answers from packed scripts (its PACKED: the list lives once)."""
    found = _PACKED.search((staging.EXPORT / "offline.js").read_text(encoding="utf-8"))
    if found is None:
        raise UserError("theme/export/offline.js: no `const PACKED = [...]` list of Python's files")
    return [json.loads(n) for n in re.findall(r'"[^"]*"', found[1])]


def pack_python(staged: Path) -> int:
    """Python's files as classic scripts of their bytes, under the export's assets (python/<name>.js):
    a text as a string, other bytes in base64 (a third larger, about as large once zipped as the
    zipped original's wasm; docs/lms-and-offline.md says the cost). The originals leave the copy,
    so that over http too the copy has one path. Returns the bytes written."""
    written = 0
    for name in packed_names():
        source = staged / TRACKSITE / name
        if not source.is_file():
            raise UserError(f"{TRACKSITE}/{name}: Python's file is missing from the built site; build it again")
        raw = source.read_bytes()
        try:
            data = {"text": raw.decode("utf-8")}
        except UnicodeDecodeError:
            data = {"base64": base64.b64encode(raw).decode("ascii")}
        out = staged / staging.ASSETS / "python" / f"{name}.js"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = f"(window.tracksitePacked = window.tracksitePacked || {{}})[{json.dumps(name)}] = {json.dumps(data)};\n"
        out.write_text(text, encoding="ascii")
        written += len(text)
        source.unlink()
    return written


def allow_frame(staged: Path) -> str:
    """The frame's script given to the page as text (the copy's offline.js ends with it), and its
    SHA-256 added to each page's script-src, which the frame's srcdoc inherits: the hash allows
    exactly that text inline and nothing else. Returns the hash source."""
    frame = (staged / TRACKSITE / "runnable-frame.js").read_text(encoding="utf-8")
    if re.search(r"</script", frame, re.I):
        raise UserError(f"{TRACKSITE}/runnable-frame.js: holds `</script`, so it cannot run inline in the frame")
    digest = base64.b64encode(hashlib.sha256(frame.encode("utf-8")).digest()).decode("ascii")
    source = f"'sha256-{digest}'"
    loader = staged / staging.ASSETS / "offline.js"
    with loader.open("a", encoding="utf-8") as f:
        f.write(f"window.tracksiteFrame = {json.dumps(frame)};\n")
    for page in staging.pages(staged):
        text = page.read_text(encoding="utf-8")
        allowed = _CSP.sub(lambda m: m[1] + source + " ", text, count=1)
        if allowed != text:
            page.write_text(allowed, encoding="utf-8")
    return source


def editor_script(staged: Path) -> None:
    """runnable-editor.js and the CodeMirror module it imports as one classic script in its place
    (codemirror.js leaves the copy): its one export list becomes an object, the editor's import
    of it a destructuring, and the editor registers with offline.js's loader as the search's
    modules do. Another form is refused by name."""
    cm_path, ed_path = staged / CODEMIRROR, staged / EDITOR
    cm, ed = cm_path.read_text(encoding="utf-8"), ed_path.read_text(encoding="utf-8")
    exports = list(re.finditer(r"export\s*\{([^}]*)\};?", cm))
    imports = list(re.finditer(r'import\s*\{([^}]*)\}\s*from\s*"\./codemirror/codemirror\.js";', ed))
    if len(exports) != 1 or len(imports) != 1 or _UNSUPPORTED.search(cm) or re.search(r"\bimport\s*[(.]", cm):
        raise UserError(f"{CODEMIRROR}: not the vendored CodeMirror this tracksite knows (one export list, no import)")
    pairs = [p.strip().split(" as ") for p in exports[0][1].split(",") if p.strip()]
    shown = ", ".join(f"{p[-1].strip()}: {p[0].strip()}" for p in pairs)
    part = "const tsCodemirror = (() => {\n" + cm[: exports[0].start()] + cm[exports[0].end() :]
    part += f"\nreturn {{ {shown} }};\n}})();\n"
    body = ed.replace(imports[0][0], part + f"const {{ {imports[0][1]} }} = tsCodemirror;")
    ed_path.write_text(classic(body, "runnable-editor.js"), encoding="utf-8")
    cm_path.unlink()


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
    if (staged / EDITOR).is_file():  # the site runs code: the plan publishes the runnable's runtime
        editor_script(staged)
        pack_python(staged)
        allow_frame(staged)
    (staged / staging.ASSETS / "search-files.js").write_text(index_script(staged), encoding="utf-8")
    shutil.rmtree(staged / INDEX)  # served from search-files.js: a second copy would only weigh
    return staging.write_zip(staged, out, first=(START,))
