"""Issue 74: HTML judged as today's browsers parse it, and as Markdown publishes it.

html5lib 1.1 (2020) predates two changes of the HTML specification that Chromium ships: `</p>`
and `</br>` inside SVG or MathML leave the foreign element before a `<style>`, `<title>`,
`<textarea>` or `<xmp>`, and `<select>` now holds `<style>`, `<xmp>`, `<noscript>`, `<iframe>`,
`<title>` and `<noembed>` (customizable select). In both, what html5lib read as an attribute's
value is a live `<meta http-equiv="refresh">` or `<img onerror>` in Chromium, and the lesson
passed check and the strict build. A backtick pair inside a raw HTML block is no code span (the
engine passes the block through), yet the check masked it as one. Each shape is now refused at
its line and column by check and build alike (tests/browser/test_html_corpus.py holds the same
readings against Chromium, on a corpus of mutation shapes).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from support.course import REPO, load, write
from support.html_payloads import HTML_HEAD, page_with, workbench_lesson
from support.sites import run_mkdocs
from tracksite.commands.cli import main
from tracksite.core.htmlread import read

META = "<meta http-equiv=refresh content='2;url=https://elsewhere.example/'>"
IMG = "<img src=x onerror=alert(1)>"
#: name -> (payload, what check names, the text the finding's column points at)
PAYLOADS = {
    "svg-p-style-meta": (f'<svg></p><style><a id="</style>{META}"></style></svg>', "TS501", "<meta"),
    "select-style-meta": (f'<select><style><a id="</style>{META}"></style></select>', "TS501", "<meta"),
    "backtick-in-html-block": (
        '<div title="`"><meta http-equiv="refresh" content="2;url=https://elsewhere.example/"><i x="`"></i></div>',
        "TS501",
        "<meta",
    ),
    "math-br-title-onerror": (f'<math></br><title><a id="</title>{IMG}"></title></math>', "TS502", "onerror"),
    "select-noscript-onerror": (f'<select><noscript><a id="</noscript>{IMG}"></noscript></select>', "TS502", "onerror"),
    "select-xmp-onerror": (f'<select><xmp><a id="</xmp>{IMG}"></xmp></select>', "TS502", "onerror"),
    # issue 81 (H9): scripting on, `<noscript>` holds text; a visitor without JavaScript (and any
    # DOMParser) reads markup: the refresh sent them to another site
    "noscript-meta": (f"<noscript>{META}</noscript>", "TS501", "<meta"),
    "noscript-img-onerror": (f"<p>Hi</p><noscript><p>No script. {IMG}</p></noscript>", "TS502", "onerror"),
}
A2 = "lessons/alpha/a2/lesson.md"


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_payload_in_a_lesson_is_refused_at_its_line_by_check_and_build(course, name):
    payload, code, at = PAYLOADS[name]
    path = course / A2
    before = path.read_text(encoding="utf-8")
    path.write_text(f"{before}\nSome text.\n\n{payload}\n\nMore text.\n", encoding="utf-8")
    where = f"{A2}:{before.count(chr(10)) + 4}:{payload.index(at) + 1}: [{code}]"
    checked = [p.text() for p in load(course).problems.errors]
    assert any(text.startswith(where) for text in checked), checked
    built = run_mkdocs(course)
    assert built.returncode != 0
    assert where in built.stdout + built.stderr, (built.stdout + built.stderr)[-3000:]
    assert not (course / "site").exists()


def test_code_spans_outside_raw_html_blocks_stay_text(course):
    """A code span in a paragraph, or in a block marked `markdown` (md_in_html), is code: the
    masking still holds there."""
    path = course / A2
    before = path.read_text(encoding="utf-8")
    body = (
        'Write `<meta http-equiv="refresh">` only in code.\n\n'
        '<div markdown="1">\n\nA `<script>` tag, as code.\n\n</div>\n\n'
        "<div>\nplain <b>text</b>\n</div>\n"
    )
    path.write_text(f"{before}\n{body}", encoding="utf-8")
    assert [p.text() for p in load(course).problems.errors] == []


@pytest.mark.parametrize("name", ["svg-p-style-meta", "select-style-meta", "select-noscript-onerror"])
def test_payload_in_a_docs_html_file_is_refused_at_its_line(course, name):
    write(course, "docs/x.html", page_with(PAYLOADS[name][0]))
    line = HTML_HEAD.count("\n") + 1
    found = [e for e in (p.text() for p in load(course).problems.errors) if e.startswith(f"docs/x.html:{line}:")]
    what = "<meta> element" if "meta" in name else "onerror= event handler"
    assert any(what in e for e in found), found


def test_an_imported_html_file_with_the_payloads_is_published_only_zipped(tmp_path, capsys):
    """The shapes html5lib misses are found in a lesson's HTML file too: the importer sees the
    `<meta>` a browser would read and publishes the file zipped, never as a page of the site."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny course"]) == 0
    source = workbench_lesson(tmp_path)
    shapes = [PAYLOADS[n][0] for n in ("svg-p-style-meta", "select-style-meta", "math-br-title-onerror")]
    (source / "episodes/files/page.html").write_text(page_with("\n".join(shapes)), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny"]) == 0
    imported = "".join(capsys.readouterr())
    assert "page.html contains a <meta> element" in imported and "published zipped" in imported, imported
    assert [p.name for p in (course / "docs").rglob("page.html*")] == ["page.html.zip"]


def test_todays_reading_adds_only_what_html5lib_missed():
    """Plain markup is read once (no element twice); the shapes html5lib misses are added at the
    line and column where they are written."""
    plain = read('<p class="x">A <a href="y.html">link</a>.</p>\n<svg viewBox="0 0 1 1"><rect/></svg>', fragment=True)
    assert [t.name for t in plain.tags] == ["p", "a", "svg", "rect"]
    text = "Words\n" + PAYLOADS["select-style-meta"][0]
    reading = read(text, fragment=True, first_line=10)
    meta = [t for t in reading.tags if t.name == "meta"]
    assert [(t.line, t.column, t.attributes["http-equiv"]) for t in meta] == [
        (11, text.split("\n")[1].index("<meta") + 1, "refresh")
    ]
    assert [s.text for s in reading.styles] == ['<a id="']


def test_the_build_reads_the_published_content_for_a_meta_http_equiv():
    """The build's own reading of each rendered page (the check's readings holding, it never
    fires): a `<meta http-equiv>` in the content is found as a browser reads it; the same words
    shown as code are text."""
    from tracksite.core.checks.rawhtml import published_refresh

    assert published_refresh('<div title="`"><meta http-equiv="Refresh" content="0;url=x"></div>') == "Refresh"
    assert published_refresh(f"<p>A</p>{PAYLOADS['select-style-meta'][0]}") == "refresh"
    assert published_refresh("<pre><code>&lt;meta http-equiv=refresh&gt;</code></pre><p>http-equiv</p>") is None


def test_todays_reading_is_loaded_only_by_a_text_with_markup():
    """Issue 88: justhtml's import (0.36 billion instructions, near two lessons' build) was paid by
    every build, though a course whose pages hold no raw HTML never reads one; the build's plugin
    and the checks load without it, and the first read of markup brings it in and finds what
    only it sees."""
    probe = (
        "import sys\n"
        "import tracksite.adapter.plugin, tracksite.core.checks, tracksite.core.site.statics\n"
        "print('justhtml' in sys.modules)\n"
        "from tracksite.core.htmlread import read\n"
        f"tags = read({PAYLOADS['select-style-meta'][0]!r}, fragment=True).tags\n"
        "print('justhtml' in sys.modules, [t.name for t in tags if t.name == 'meta'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split("\n")[:2] == ["False", "True ['meta']"], out.stderr
