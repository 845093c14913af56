"""Static files (SVG, HTML, data, images, links) follow one rule set wherever they live.

Issue 13, case 2 as reported: an SVG check bypassed by a namespace prefix, a DTD entity and an
`<animate>` of `href`; `docs/*.html` and SVGs under `docs/` published unchecked; symbolic links
to `/etc/passwd`, to `/etc`, to `.` and to `.git/config`. Each is now a located error from
`tracksite check`, the build refuses to run, and nothing of it reaches the site. The hostile SVGs
are also opened in Chromium to show each one really runs a script there (the samples are live).
Case 5's data-file size cap is here too.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support import harness
from support.course import load, write
from support.sites import run_mkdocs
from support.waits import until
from tracksite.core.site.published import ASSET_SUFFIXES
from tracksite.core.site.statics import MAX_DATA_BYTES, html_findings, static_problems, svg_findings

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="80">\n{}\n</svg>\n'
HOSTILE_SVG = {
    "namespace-prefix": SVG.format('<s:script xmlns:s="http://www.w3.org/2000/svg">alert(document.domain)</s:script>'),
    "dtd-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x "<script>alert(document.domain)</script>">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>\n'
    ),
    "animate-href": SVG.format(
        '<a><animate attributeName="href" values="javascript:alert(document.domain)"/>'
        '<text x="10" y="40" font-size="30">click</text></a>'
    ),
    "set-xlink-href": SVG.format(
        '<a><set attributeName="xlink:href" to="javascript:alert(document.domain)"/>'
        '<text x="10" y="40" font-size="30">click</text></a>'
    ),
    "xhtml-script": SVG.format('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(document.domain)</h:script>'),
    "plain-script": SVG.format("<script>alert(document.domain)</script>"),
    "handler": SVG.format('<rect width="10" height="10" onclick="alert(1)"/>').replace(
        "<svg ", '<svg onload="alert(document.domain)" '
    ),
    "foreign-object": SVG.format(
        '<foreignObject width="100" height="50"><img xmlns="http://www.w3.org/1999/xhtml" '
        'src="x" onerror="alert(document.domain)"/></foreignObject>'
    ),
    "spaced-javascript-link": SVG.format(
        '<a xlink:href=" java&#9;script:alert(document.domain)"><text y="40">x</text></a>'
    ),
    "stylesheet-pi": '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>\n'
    ),
}
HARMLESS_SVG = {
    "drawing": SVG.format(
        '<title id="t">A box</title><defs><marker id="m"><path d="M0,0L10,5z"/></marker></defs>'
        '<rect x="1" y="1" width="10" height="10" fill="#fff" stroke="#000" marker-end="url(#m)"/>'
        '<use href="#m"/><text x="5" y="5" font-family="sans-serif">A &amp; B</text>'
    ),
    "link-out": SVG.format('<a href="https://example.org/paper"><text y="20">paper</text></a>'),
    "animation": SVG.format(
        '<circle r="5"><animate attributeName="r" values="5;10;5" dur="2s" repeatCount="indefinite"/></circle>'
    ),
    "inkscape": SVG.format(
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:zoom="1"/>'
    ),
    "embedded-png": SVG.format('<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'),
}


@pytest.mark.parametrize("name", list(HOSTILE_SVG))
def test_hostile_svg_is_refused(name):
    found = svg_findings(HOSTILE_SVG[name])
    assert found, name
    assert all(line >= 1 for line, _ in found)


@pytest.mark.parametrize("name", list(HARMLESS_SVG))
def test_plain_drawing_passes(name):
    assert svg_findings(HARMLESS_SVG[name]) == []


def test_bundled_diagrams_pass():
    from support.course import REPO

    svgs = sorted(REPO.glob("lessons/**/*.svg"))
    assert len(svgs) > 5
    assert {
        p.name: svg_findings(p.read_text(encoding="utf-8")) for p in svgs if svg_findings(p.read_text(encoding="utf-8"))
    } == {}


HOSTILE_HTML = {
    "script": "<p>x</p>\n<script>alert(1)</script>",
    "handler": '<img src="x.png" onerror="alert(1)">',
    "javascript-link": '<a href=" JAVA\tscript:alert(1)">x</a>',
    "iframe": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "svg-animate": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "object": '<object data="x.swf"></object>',
    "form": '<form action="https://evil.example"><input name="password"></form>',
}


@pytest.mark.parametrize("name", list(HOSTILE_HTML))
def test_hostile_html_is_refused(name):
    assert html_findings(HOSTILE_HTML[name]), name


def test_plain_html_passes():
    page = (
        '<!doctype html>\n<html lang="en"><head><title>Notes</title><style>p { color: #333 }</style></head>'
        '<body><h1>Notes</h1><p class="x">See <a href="../authoring/">the guide</a>.</p>'
        '<img src="d.png" alt="A diagram"><table><tr><td>1</td></tr></table></body></html>'
    )
    assert html_findings(page) == []


# -- in the course: docs/ and lessons/ the same ---------------------------------------------------


def errors(course: Path) -> list[str]:
    return [p.text() for p in load(course).problems.errors]


def tracksite(course: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI in `course`, through its entry point in this process (tests/support/harness.py)."""
    return harness.tracksite(*args, cwd=course)


@pytest.mark.parametrize("where", ["docs/figures/x.svg", "lessons/alpha/a1/x.svg"])
@pytest.mark.parametrize("name", ["namespace-prefix", "dtd-entity", "animate-href"])
def test_reported_svg_bypasses_fail_check_and_build(course, where, name):
    """Case 2, first sentence and "SVGs anywhere under docs/ are published unchecked"."""
    write(course, where, HOSTILE_SVG[name])
    found = [e for e in errors(course) if e.startswith(where)]
    assert found and ":" in found[0][len(where) :], errors(course)
    result = run_mkdocs(course)
    assert result.returncode != 0 and where in result.stderr and "Traceback" not in result.stderr
    assert not (course / "site").exists()


def test_docs_html_file_is_refused_unless_plain(course):
    """Case 2: `docs/*.html` was published unchecked."""
    write(course, "docs/evil.html", "<h1>Hi</h1>\n<script>alert(document.domain)</script>\n")
    write(course, "docs/plain.html", "<h1>Hi</h1>\n<p>Plain text.</p>\n")
    assert [e for e in errors(course) if "html" in e.lower()] == [
        "docs/evil.html:2: [TS706] HTML file contains a <script> element, which is not plain text (diagrams and pages must be "
        "plain drawings and text: remove scripts, event handlers, script links and embedded documents)"
    ]
    (course / "docs/evil.html").unlink()
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (course / "site/plain.html").is_file()


@pytest.mark.parametrize(
    "case",
    [
        ("docs/leak.txt", "/etc/passwd", "points outside the project"),
        ("docs/etc", "/etc", "points outside the project"),
        ("docs/loop", ".", "folder that contains it"),
        ("docs/up", "..", "folder that contains it"),
        ("docs/gone.png", "nowhere.png", "points to nothing"),
        ("docs/a.png", "b.png", "loop back"),
        ("lessons/alpha/a1/config.json", "../../../.git/config", "hidden folder .git"),
        ("lessons/alpha/a1/leak.json", "/etc/passwd", "points outside the project"),
    ],
    ids=["leak-txt", "etc", "loop", "parent-loop", "dangling", "link-cycle", "git-config", "lesson-leak"],
)
def test_symlinks_that_leave_or_loop_are_errors(course, case):
    """Case 2: `docs/leak.txt -> /etc/passwd` was published, `docs/etc -> /etc` and `docs/loop -> .`
    ended in tracebacks, a lesson asset linked to `.git/config` was published."""
    link, target, says = case
    (course / ".git").mkdir()
    (course / ".git/config").write_text("[core]\nsecret = 1\n")
    if target == "b.png":
        os.symlink("a.png", course / "docs/b.png")
    os.symlink(target, course / link)
    found = [e for e in errors(course) if e.startswith(link)]
    assert found and says in found[0], errors(course)
    checked = tracksite(course, "check")
    assert checked.returncode == 1 and link in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    result = run_mkdocs(course)
    assert result.returncode != 0 and link in result.stderr and "Traceback" not in result.stderr
    assert not (course / "site").exists()


def test_links_inside_the_project_still_work(course):
    os.symlink("../lessons/alpha/a2/diagram.svg", course / "docs/diagram.svg")
    (course / "docs/shared").mkdir()
    (course / "docs/shared/note.txt").write_text("a note\n")
    os.symlink("shared", course / "docs/also")
    assert errors(course) == []
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (course / "site/diagram.svg").is_file() and (course / "site/also/note.txt").is_file()


@pytest.mark.parametrize("where", ["lessons/alpha/a1/big.json", "docs/data/big.json"])
def test_data_files_are_capped_like_lessons(course, where):
    """Case 5: an 80 MB attention data file was published (the page would fetch it)."""
    path = course / where
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(b'{"x": "' + b"a" * (MAX_DATA_BYTES + 10) + b'"}')
    found = [e for e in errors(course) if e.startswith(where)]
    assert found and "limited to 2,000,000" in found[0]


@pytest.mark.parametrize("name", ["page.xhtml", "style.xsl", "drawing.svgz"])
def test_documents_a_browser_would_run_are_refused(tmp_path, name):
    (tmp_path / name).write_text("<x/>")
    assert static_problems(tmp_path, tmp_path / name)


# -- the samples are live: Chromium runs each when the file is opened ------------------------------

LIVE = ["namespace-prefix", "dtd-entity", "animate-href", "xhtml-script", "plain-script", "handler"]


@pytest.mark.browser
@pytest.mark.parametrize("name", LIVE)
def test_hostile_svg_runs_when_opened(chromium, serve_site, tmp_path, name):
    (tmp_path / "x.svg").write_text(HOSTILE_SVG[name], encoding="utf-8")
    context = chromium.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(serve_site(tmp_path) + "x.svg", wait_until="load")
    if not dialogs and page.locator("text").count():
        page.locator("text").first.click(timeout=3000)
    until(page, lambda: dialogs)
    context.close()
    assert dialogs, f"{name}: the sample did not run, so refusing it proves nothing"


def test_unreadable_static_file_is_a_located_problem(tmp_path, monkeypatch):
    """Case 5: an unreadable file in docs/ ended the build in a traceback; it is a problem of its own."""
    import tracksite.core.site.statics as statics

    (tmp_path / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    real = os.access
    monkeypatch.setattr(statics.os, "access", lambda p, mode: False if str(p).endswith("figure.png") else real(p, mode))
    assert [p.text() for p in static_problems(tmp_path, tmp_path / "figure.png")] == [
        "figure.png: [TS703] cannot read file: permission denied (make it readable (chmod a+r))"
    ]


def test_lesson_downloads_are_published_and_other_files_are_named(course, tmp_path):
    """Slides, notebooks and scripts beside a lesson reach the site; a file the site leaves out
    (a type it does not publish, a subfolder) is a warning naming it, not silently dropped."""
    for name in ("slides.pdf", "notebook.ipynb", "train.py"):
        write(course, f"lessons/alpha/a1/{name}", "{}\n")
    write(course, "lessons/alpha/a1/deck.key", "x")
    write(course, "lessons/alpha/a1/figures/pic.png", "x")
    write(course, "lessons/alpha/a1/draft.md~", "backup")
    write(course, "lessons/alpha/a1/__pycache__/train.cpython-311.pyc", "x")
    project = load(course)
    warnings = [(p.path, p.message) for p in project.problems.warnings]
    assert (
        "lessons/alpha/a1/deck.key",
        "not published: .key files are not published from a lesson folder "
        "(published: " + ", ".join(sorted(ASSET_SUFFIXES)) + ")",
    ) in warnings
    assert any(path == "lessons/alpha/a1/figures" and "subfolders" in msg for path, msg in warnings)
    assert not [
        w for w in warnings if "draft.md~" in w[0] or "__pycache__" in w[0] or w[0].endswith((".pdf", ".ipynb", ".py"))
    ]
    assert not project.problems.errors
    site = tmp_path / "site"
    result = run_mkdocs(course, site=site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in (site / "alpha/a1").iterdir() if p.is_file()) == [
        "index.html",
        "notebook.ipynb",
        "slides.pdf",
        "train.py",
    ]


# -- an allow-list of types, not a deny-list (issue 39, case 2) -----------------------------------

XHTML_SCRIPT = (
    '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
    "<script>alert(document.domain)</script></body></html>\n"
)


@pytest.mark.parametrize("where", ["docs/schema.xsd", "docs/grammar.rng", "docs/feed.rss", "docs/data/shapes.xml.gz"])
def test_xml_family_files_are_refused_with_the_reason(course, where):
    """`docs/schema.xsd` holding an XHTML root with a script passed check and was published: the
    refused suffixes were a deny-list that did not name .xsd or .rng."""
    write(course, where, XHTML_SCRIPT)
    found = [e for e in errors(course) if e.startswith(where)]
    assert len(found) == 1, errors(course)
    assert "[TS705]" in found[0] and "XML documents, which can run script" in found[0]
    assert "zipped (.zip)" in found[0]  # the suggestion
    result = run_mkdocs(course)
    assert result.returncode != 0 and where in result.stderr and "Traceback" not in result.stderr
    assert not (course / "site").exists()


@pytest.mark.parametrize("name", ["notes.foo", "page.html.gz", "README"])
def test_a_type_not_on_the_allow_list_is_refused(tmp_path, name):
    (tmp_path / name).write_text("<html><script>alert(1)</script></html>")
    found = static_problems(tmp_path, tmp_path / name)
    assert [p.code for p in found] == ["TS705"], found
    assert "not published" in found[0].message and found[0].hint


@pytest.mark.parametrize("name", ["data.csv.gz", "code.tar.gz", "font.woff2", "CNAME", "slides.PDF", "clip.vtt"])
def test_inert_types_are_published(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    assert static_problems(tmp_path, tmp_path / name) == []


@pytest.mark.browser
def test_an_xsd_served_as_xml_runs_script_when_opened(chromium, tmp_path):
    """The sample is live: a host that sends .xsd as application/xml runs its script on the
    site's origin, so publishing it would matter."""
    from tracksite.localserver import QuietHandler, serve_folder

    class AsXml(QuietHandler):
        extensions_map = {**QuietHandler.extensions_map, ".xsd": "application/xml"}

    (tmp_path / "schema.xsd").write_text(XHTML_SCRIPT, encoding="utf-8")
    with serve_folder(tmp_path, handler=AsXml) as base:
        context = chromium.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "schema.xsd", wait_until="load")
        until(page, lambda: dialogs)
        context.close()
    assert dialogs, "the .xsd sample did not run, so refusing it proves nothing"


def test_an_imported_lesson_publishes_only_allowed_types(tmp_path, capsys):
    """An imported lesson linking `files/schema.xsd` had it copied under docs/ and published."""
    from tracksite.commands.cli import main

    src = tmp_path / "src"
    write(src, "config.yaml", "title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-one.md\n")
    write(
        src,
        "episodes/01-one.md",
        "---\ntitle: One\nteaching: 5\nexercises: 5\n---\n\n::: objectives\n\n- do things\n\n:::\n\n"
        "This episode explains the idea in a few plain words, with [the schema](files/schema.xsd) "
        "and [the data](files/data.csv).\n",
    )
    write(src, "episodes/files/schema.xsd", XHTML_SCRIPT)
    write(src, "episodes/files/data.csv", "a,b\n1,2\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "T"]) == 0
    assert main(["--root", str(course), "import", "carpentries", str(src), "--track", "tiny"]) == 0
    out = capsys.readouterr().out
    assert "files/schema.xsd is not a file type the site publishes" in out
    published = sorted(p.name for p in (course / "docs").rglob("*") if p.is_file())
    assert "data.csv" in published and "schema.xsd" not in published
    assert main(["--root", str(course), "check"]) == 0
