"""One rule set for every static file the site publishes, wherever it lives (docs/, lessons/).

A static file is served from the site's own origin, so a browser that opens it directly runs
whatever it holds with the site's rights: an SVG or HTML file may only be a plain document.
SVG is parsed as XML by defusedxml (no DTD, no entities, no external references) and every
element and attribute must be on an allow-list; HTML is parsed as browsers parse it (the WHATWG
algorithm, core/htmlread.py) and held to the same rules, and the build gives each published HTML
file the pages' Content-Security-Policy (adapter/published/statichtml.py). Any other type is published only if it is on the allow-list of types that
cannot run as a page (core/site/published.py): an XML file, say, is refused. Symbolic links may not leave the project or reach a hidden folder (`.git`),
loops are errors, and files a learner's browser downloads are capped in size.

`static_problems(root, path)` answers for one file; `walk(root, folder)` lists a folder's files
the way the build collects them, with the problems of links it could not follow.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tracksite.core import htmlread
from tracksite.core.memo import kept_fact
from tracksite.core.problems.problem import Problem
from tracksite.core.site.addresses import (
    LOADING,
    REMOTE_HINT,
    css_imports,
    remote_in_css,
    remote_message,
    unlisted,
)
from tracksite.core.site.published import refusal
from tracksite.core.site.svgsafe import ANIMATED_URL as _ANIMATED_URL
from tracksite.core.site.svgsafe import ANIMATIONS, SVG_ATTRIBUTES, SVG_ELEMENTS, URL_LIKE, review
from tracksite.core.site.svgsafe import DOCUMENT_URL as _DOCUMENT_URL
from tracksite.core.site.svgsafe import INVISIBLE as _INVISIBLE
from tracksite.core.site.svgsafe import SCRIPT_URL as _SCRIPT_URL
from tracksite.core.site.svgsafe import svg_findings as svg_findings  # re-exported: the SVG rules live in svgsafe
from tracksite.core.sources import MAX_BYTES

DATA_SUFFIXES = {".json", ".yml", ".yaml", ".csv", ".tsv", ".txt"}
MAX_DATA_BYTES = MAX_BYTES  # a widget's data file, like a lesson: the page fetches it whole
MAX_FILE_BYTES = 10_000_000  # an image or any other download
# Documents a browser renders (and may run scripts in) that no course needs.
# The engine makes a page of these as it does of `.md` (MkDocs' `utils.markdown_extensions`, case
# as written); the project's pages end in `.md`, the one suffix the loader, its checks and the
# site plan read as a page, so any other would be a page nothing checked.
OTHER_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd")
MAX_FINDINGS = 20

HTML_ELEMENTS = set(
    """
html head title body main header footer nav section article aside h1 h2 h3 h4 h5 h6 p div span br hr
a em strong b i u s small sub sup mark code kbd samp var pre blockquote q cite abbr dfn time data
ul ol li dl dt dd figure figcaption table caption thead tbody tfoot tr th td col colgroup img picture
details summary style wbr ruby rt rp bdi bdo ins del address
""".split()
) | {e.lower() for e in SVG_ELEMENTS - {"style"}}
HTML_ATTRIBUTES = set(
    """
id class style lang dir title href src alt width height colspan rowspan scope headers datetime cite
start reversed type value open loading decoding srcset sizes media target rel
""".split()
) | {a.lower() for a in SVG_ATTRIBUTES}


def static_problems(root: Path, path: Path, allowed: frozenset[str] = frozenset()) -> list[Problem]:
    """Everything that keeps one static file (or folder link) off the site (`allowed`: remote-files.yml's);
    under serve, found again only after the watcher reported a change there (core/memo.py)."""
    kind = f"static-problems:{root}:{sorted(allowed)}"
    return kept_fact(kind, (str(path),), lambda: _static_problems(root, path, allowed))


def _static_problems(root: Path, path: Path, allowed: frozenset[str]) -> list[Problem]:
    shown = _shown(root, path)
    found = _link_problems(root, path)
    if found or path.is_dir():
        return [Problem(shown, None, message, hint=hint, code="TS701") for message, hint in found]
    if path.name.endswith(OTHER_MARKDOWN_SUFFIXES):
        hint = f"rename it to {path.stem}.md"
        return [Problem(shown, None, f"a Markdown page must end in .md, not {path.suffix}", hint=hint, code="TS702")]
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        return [Problem(shown, None, f"cannot read file: {e.strerror or e}", code="TS703")]
    if not os.access(path, os.R_OK):
        return [Problem(shown, None, "cannot read file: permission denied", hint=_CHMOD, code="TS703")]
    limit = MAX_DATA_BYTES if suffix in DATA_SUFFIXES | {".svg", ".html", ".htm"} else MAX_FILE_BYTES
    if size > limit:
        return [
            Problem(
                shown,
                None,
                f"file is {size:,} bytes; {_kind(suffix)} files are limited to {limit:,}",
                hint="a learner's browser downloads it whole: make it smaller or leave it out",
                code="TS704",
            )
        ]
    refused = refusal(path.name)
    if refused is not None:
        return [Problem(shown, None, refused[0], hint=refused[1], code="TS705")]
    if suffix == ".css":
        return _css_problems(path, shown, allowed)
    if suffix not in (".svg", ".html", ".htm"):
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [
            Problem(shown, None, f"cannot read file as UTF-8 text: {getattr(e, 'strerror', None) or e}", code="TS703")
        ]
    if suffix == ".svg":
        return _svg_problems(shown, text, allowed)
    return [
        Problem(shown, line, f"HTML file {message}", hint=_hint(message), code=_code(message, "TS706"))
        for line, message in html_findings(text, allowed)[:MAX_FINDINGS]
    ]


_PLAIN_HINT = "diagrams and pages must be plain drawings and text: remove scripts, event handlers, script links and embedded documents"


_CHMOD = "make it readable (chmod a+r)"


def _hint(message: str) -> str:
    return REMOTE_HINT if "third party" in message else _PLAIN_HINT


def _code(message: str, active: str) -> str:
    """A file from another host is one kind of problem (TS709) whatever file loads it."""
    return "TS709" if "third party" in message else active


def _svg_problems(shown: str, text: str, allowed: frozenset[str] = frozenset()) -> list[Problem]:
    """Refusals are errors; inert data the build strips is one warning per figure (svgsafe.py)."""
    found = review(text, allowed)
    if found.refused:
        return [
            Problem(shown, line, f"SVG {message}", hint=_hint(message), code=_code(message, "TS707"))
            for line, message in found.refused[:MAX_FINDINGS]
        ]
    if found.removed:
        return [
            Problem(
                shown,
                None,
                "SVG holds data for drawing programs that browsers ignore; the published copy "
                f"leaves it out: {'; '.join(found.removed)}",
                severity="warning",
                hint="save it as plain SVG (Inkscape: Save as > Optimized or Plain SVG) to keep the file as published",
                code="TS708",
            )
        ]
    return []


def _css_problems(path: Path, shown: str, allowed: frozenset[str] = frozenset()) -> list[Problem]:
    """A style sheet the site publishes: no file from another host (fonts, images, @import)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [
            Problem(shown, None, f"cannot read file as UTF-8 text: {getattr(e, 'strerror', None) or e}", code="TS703")
        ]
    return [
        Problem(shown, line, f"style sheet {remote_message(url)}", hint=REMOTE_HINT, code="TS709")
        for line, url in remote_in_css(text, allowed=allowed)[:MAX_FINDINGS]
    ]


def walk(root: Path, folder: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under `folder` the build publishes (hidden names are skipped, as MkDocs does),
    following folder links that stay in the project once; the problems of links that do not."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def visit(current: Path) -> None:
        real = os.path.realpath(current)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as e:
            problems.append(
                Problem(_shown(root, current), None, f"cannot read folder: {e.strerror or e}", code="TS703")
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                link = _link_problems(root, path)
                if link:
                    problems.extend(Problem(_shown(root, path), None, m, hint=h, code="TS701") for m, h in link)
                    continue
            if path.is_dir():
                visit(path)
            else:
                files.append(path)

    if folder.is_dir():
        visit(folder)
    return files, problems


# -- symbolic links ---------------------------------------------------------------------------


def _link_problems(root: Path, path: Path) -> list[tuple[str, str | None]]:
    """A link (of the file or a folder above it) must land on something real, inside the
    project, outside hidden folders such as `.git`, and not on a folder that contains it."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return [("symbolic links loop back on themselves", "remove the link")]
        if os.path.islink(path):
            return [("symbolic link points to nothing", "remove the link or restore its target")]
        return [(f"cannot read file: {e.strerror or e}", None)]
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    try:
        inside = real.relative_to(base)
    except ValueError:
        return [("symbolic link points outside the project", "copy the file into the project instead")]
    if any(part.startswith(".") for part in inside.parts):
        return [
            (
                f"symbolic link points into the hidden folder {inside.parts[0]}",
                "hidden files (.git, .env) are never published; copy what you need instead",
            )
        ]
    if real.is_dir() and os.path.islink(path):
        here = Path(os.path.realpath(path.parent))
        if here == real or real in here.parents:
            return [("symbolic link to a folder that contains it: the site would never end", "remove the link")]
    return []


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _kind(suffix: str) -> str:
    return "data" if suffix in DATA_SUFFIXES else suffix.lstrip(".").upper() if suffix else "static"


# -- HTML ----------------------------------------------------------------------------------------


_FORM_URLS = {"action", "formaction", "ping"}  # where a form or a click sends the reader's data


def html_findings(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, what) for everything in an HTML file that is not plain text and drawings, read
    as a browser reads it (core/htmlread.py): what a comment or CDATA section hides from another
    parser is seen here where Chromium sees it."""
    reading = htmlread.read(text)
    found: list[tuple[int, str]] = []
    for tag in reading.tags:
        found += _tag_findings(tag, allowed)
    if reading.refused:
        found.append((reading.refused[0], f"is too complex to check: {reading.refused[1]}"))
    for style in reading.styles:
        remote = remote_in_css(style.text, style.line, allowed=allowed)
        if remote:
            found.append((remote[0][0], f"<style> {remote_message(remote[0][1])}"))
        elif _SCRIPT_URL.search(_INVISIBLE.sub("", style.text)) or css_imports(style.text):
            found.append((style.line, "has a style sheet that imports or links to a script"))
    return sorted(found, key=lambda item: item[0])


def _tag_findings(tag: htmlread.Tag, allowed: frozenset[str]) -> list[tuple[int, str]]:
    """What one start tag holds that is not plain: the element itself, or each attribute."""
    name, line = tag.name, tag.line
    if name.lower() not in HTML_ELEMENTS:
        return [(line, f"contains a <{name}> element, which is not plain text")]
    found: list[tuple[int, str]] = []
    for attribute, value in tag.attributes.items():
        lowered, line = attribute.lower(), tag.where(attribute)[0]
        plain = _INVISIBLE.sub("", value)
        if lowered.startswith("on"):
            found.append((line, f"has an {lowered}= event handler"))
        elif (lowered in LOADING | _FORM_URLS or lowered in ("href", "xlink:href") and name != "a") and unlisted(
            value, allowed
        ):
            found.append((line, f"<{name}> {remote_message(value)}"))
        elif lowered == "style" and remote_in_css(value, allowed=allowed):
            found.append((line, f"style= {remote_message(remote_in_css(value, allowed=allowed)[0][1])}"))
        elif _SCRIPT_URL.search(plain) or lowered in URL_LIKE and _DOCUMENT_URL.search(plain):
            found.append((line, f"has a script or document URL in {lowered}="))
        elif name.lower() in _ANIMATION_NAMES and lowered == "attributename" and _ANIMATED_URL.match(plain):
            found.append((line, f"<{name}> changes {plain}=, which can turn it into a script link"))
        elif (
            lowered not in HTML_ATTRIBUTES
            and not lowered.startswith(("aria-", "data-", "xmlns"))
            and lowered != "xlink:href"
        ):
            found.append((line, f"has a {lowered}= attribute, which is not allowed"))
    return found


_ANIMATION_NAMES = {a.lower() for a in ANIMATIONS}
