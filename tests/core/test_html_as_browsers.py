"""Issue 51: HTML is read as browsers read it, so what `tracksite check` sees is what Chromium runs.

As reported: `docs/x.html` files holding each of five payloads passed the check (Python's
html.parser ends the comment or CDATA section elsewhere than a browser, or reads SVG's `<style>`
as text), were published without a policy, and ran their handler in Chromium; the Carpentries
importer copied and linked such a file. Also reported (low): a handler after a `>` inside a
quoted value, `<animate>`/`<set>` of `href`, form `action`/`formaction`/`ping`, and remote
addresses written with HTML entities or CSS escapes. Each is now a located error; the published
copy of an HTML file starts its head with the site's policy (tests/browser/test_published_html.py
shows in Chromium that no payload runs under it).
"""

from __future__ import annotations

import zipfile

import html5lib
import pytest

from support.course import load, write
from support.html_payloads import HTML_HEAD, PAYLOADS, page_with, workbench_lesson
from support.sites import run_mkdocs
from tracksite.adapter.published import statichtml
from tracksite.commands.cli import main
from tracksite.core.checks import rawhtml
from tracksite.core.htmlread import first_markup, read
from tracksite.core.site import statics
from tracksite.core.site.addresses import remote_in_css
from tracksite.core.site.statics import html_findings

PAYLOAD_LINE = HTML_HEAD.count("\n") + 1
A2 = "lessons/alpha/a2/lesson.md"


def errors(course) -> list[str]:
    return [p.text() for p in load(course).problems.errors]


# -- the five payloads ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_payload_in_a_docs_html_file_fails_check_with_its_line(course, name):
    write(course, "docs/x.html", page_with(PAYLOADS[name]))
    found = [e for e in errors(course) if e.startswith("docs/x.html")]
    assert found == [
        f"docs/x.html:{PAYLOAD_LINE}: [TS706] HTML file has an onerror= event handler"
        + found[0][found[0].index(" (") :]
    ], found


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_payload_in_lesson_markdown_fails_check_with_its_line_and_column(course, name):
    path = course / A2
    before = path.read_text(encoding="utf-8")
    path.write_text(f"{before}\nSome text.\n\n{PAYLOADS[name]}\n", encoding="utf-8")
    line = before.count("\n") + 4
    column = PAYLOADS[name].index("onerror") + 1
    assert f"{A2}:{line}:{column}: [TS502] event handler attribute onerror= is not allowed in course pages" in [
        p.text().split(" (")[0] for p in load(course).problems.errors
    ]


def test_imported_lesson_file_with_the_payloads_is_published_only_zipped(tmp_path, capsys):
    """The lesson's `files/page.html` holds live handlers: the importer never publishes it as a page
    of the site (it would run with the site's rights), but zipped, as a download, and says why at
    the episode's line (issue 73: a cheat sheet is offered, not refused); what the site serves
    then holds no payload, and check agrees."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny course"]) == 0
    source = workbench_lesson(tmp_path)
    capsys.readouterr()
    assert main(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny"]) == 0
    imported = "".join(capsys.readouterr())
    assert "files/page.html" in imported and "published zipped (page.html.zip)" in imported, imported
    published = [p.relative_to(course).as_posix() for p in (course / "docs").rglob("page.html*")]
    assert published == ["docs/tiny/files/page.html.zip"], published
    with zipfile.ZipFile(course / published[0]) as archive:
        assert archive.read("page.html") == (source / "episodes/files/page.html").read_bytes()
    lesson = next((course / "lessons/tiny").glob("*/lesson.md")).read_text(encoding="utf-8")
    assert "files/page.html.zip" in lesson
    assert main(["--root", str(course), "check"]) == 0


# -- the low findings ----------------------------------------------------------------------------

LESSON_CASES = {
    # a `>` inside a quoted value does not end the tag
    "quoted-gt": ('<a title="x>y" onclick="alert(1)">x</a>', "TS502", "onclick="),
    "animate-href": ('<svg><a><animate attributeName="href" to="#x"/><text>x</text></a></svg>', "TS501", "<animate>"),
    "set-xlink-href": ('<svg><a><set attributeName="xlink:href" to="#x"/></a></svg>', "TS501", "<set>"),
    "form-action": ('<form action="https://collect.example/"><input name="q"></form>', "TS504", "<form>"),
    "formaction": ('<button formaction="https://collect.example/">Send</button>', "TS504", "<button>"),
    "ping": ('<a href="#top" ping="https://track.example/p">top</a>', "TS504", "<a>"),
    "formaction-script": ('<button formaction="javascript:alert(1)">Go</button>', "TS503", "javascript:"),
    "entity-src": ('<img alt="" src="&#104;ttps://evil.example/x.png">', "TS504", "https://evil.example/x.png"),
    "css-escaped-url": (
        r'<p style="background: u\72l(\68ttps://evil.example/x.png)">x</p>',
        "TS504",
        "https://evil.example/x.png",
    ),
    "css-escaped-import": (
        '<style>@import "\\68ttps://evil.example/x.css";</style>',
        "TS504",
        "https://evil.example/x.css",
    ),
    "search-mark-after-gt": ('<span title="a>b" data-search-weight="9">x</span>', "TS520", "data-search-weight="),
}


@pytest.mark.parametrize("name", list(LESSON_CASES))
def test_low_findings_in_lesson_markdown(course, name):
    html, code, words = LESSON_CASES[name]
    path = course / A2
    before = path.read_text(encoding="utf-8")
    path.write_text(f"{before}\n{html}\n", encoding="utf-8")
    line = before.count("\n") + 2
    found = [p for p in load(course).problems.errors if str(p.path).endswith(A2) and p.code == code]
    assert [p.line for p in found] == [line] and words in found[0].message, [p.text() for p in found]


FILE_CASES = {
    "quoted-gt": ('<a title="x>y" onclick="alert(1)">x</a>', "has an onclick= event handler"),
    "animate-href": ('<svg><a><animate attributeName="href" to="#x"/></a></svg>', "<animate> changes href="),
    "set-xlink-href": ('<svg><a><set attributeName="xlink:href" to="#x"/></a></svg>', "<set> changes xlink:href="),
    "ping": ('<a href="#top" ping="https://track.example/p">top</a>', "<a> loads 'https://track.example/p'"),
    "entity-src": ('<img src="&#104;ttps://evil.example/x.png">', "<img> loads 'https://evil.example/x.png'"),
    "css-escaped-url": (
        r'<p style="background: u\72l(\68ttps://evil.example/x.png)">x</p>',
        "style= loads 'https://evil.example/x.png'",
    ),
    "css-escaped-import": (
        r'<style>@import "\68ttps://evil.example/x.css";</style>',
        "<style> loads 'https://evil.example/x.css'",
    ),
    "css-comment-import": ('<style>@import/**/"//evil.example/x.css";</style>', "<style> loads '//evil.example/x.css'"),
    "image-set": ("<p style='background: image-set(\"https://evil.example/x.png\" 1x)'>x</p>", "style= loads"),
}


@pytest.mark.parametrize("name", list(FILE_CASES))
def test_low_findings_in_an_html_file(name):
    html, message = FILE_CASES[name]
    found = html_findings(f"<p>First.</p>\n{html}\n")
    assert [line for line, _ in found] == [2] and message in found[0][1], found


def test_css_file_with_escaped_remote_url_fails_check(course):
    write(course, "docs/extra.css", "p {\n  background: u\\72l(\\68ttps://evil.example/x.png);\n}\n")
    assert any(
        e.startswith("docs/extra.css:2: [TS709] style sheet loads 'https://evil.example/x.png'") for e in errors(course)
    )


def test_listed_address_passes_only_as_written():
    """A listed address is the build's to copy: only as written, where its rewrite finds it."""
    listed = frozenset({"https://cdn.example/a.png"})
    assert remote_in_css("p{background:url(https://cdn.example/a.png)}", allowed=listed) == []
    assert remote_in_css(r"p{background:url(\68ttps://cdn.example/a.png)}", allowed=listed) == [
        (1, "https://cdn.example/a.png")
    ]


def test_plain_html_and_prose_still_pass(course):
    assert (
        html_findings('<p title="a > b">x &lt;script&gt;</p><!-- a note --><svg><style>rect{fill:red}</style></svg>')
        == []
    )
    assert rawhtml.findings("Compare a < b and <kbd>Ctrl</kbd>; see <https://example.org>.", 1) == []
    assert [e for e in errors(course) if "html" in e.lower()] == []


def test_reading_keeps_lines_of_tags_and_attributes():
    reading = read("<p>\nx</p>\n<div\n  onclick=go()>", first_line=10)
    div = next(t for t in reading.tags if t.name == "div")
    assert (div.line, div.column, div.where("onclick")) == (12, 1, (13, 3))


def test_lesson_text_without_markup_is_not_parsed():
    assert first_markup("Prose with a < b, x<2 and -> arrows.") is None
    assert first_markup("<!-- c -->") == 0 and first_markup("a <b>bold</b>") == 2


@pytest.mark.parametrize(
    "markup, what",
    [
        ("<a" + " onx=1" * 300_000 + ">", "more than 1,000 attributes"),  # 6 minutes of html5lib
        ("<div>" * 20_000, "nested more than 400 deep"),  # 15 s
        ("<b>" * 20_000, "nested more than 400 deep"),
    ],
)
def test_markup_that_would_take_the_parser_minutes_is_refused_at_its_line(markup, what):
    """html5lib compares each attribute with every earlier one of its tag, and each element with
    the open ones: a reading stops at a bound far above any real page, as a located TS512, and
    what it read before stays checked (the handler flood's `onx=` is still named)."""
    found = rawhtml.findings("Intro.\n\n" + markup + "\n", 10)
    refused = [f for f in found if f[4] == "TS512"]
    assert len(refused) == 1 and what in refused[0][2] and refused[0][0] == 12, refused
    if "onx" in markup:
        assert any(f[4] == "TS502" and "onx" in f[2] for f in found)
    assert any(what in message for _, message in statics.html_findings("<!doctype html>\n" + markup))


# -- published: the pages' policy first in the head ---------------------------------------------


def _head(text: str):
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False).find("head")


@pytest.mark.parametrize(
    "text",
    [
        "<h1>Hi</h1>",
        page_with("<p>x</p>"),
        "\ufeff<!-- a --><!DOCTYPE html>\r\n<html lang=en><head><title>t</title></head><body>x</body></html>",
        "<!-->\n<!doctype html>\n<p>x</p>",
        '<html><head><meta http-equiv="Content-Security-Policy" content="script-src * \'unsafe-inline\'"></head></html>',
    ],
)
def test_policy_is_the_first_element_of_the_head_and_the_doctype_stays_first(text):
    out = statichtml.with_policy(text)
    first = next(iter(_head(out)))
    assert first.tag == "meta" and first.get("http-equiv") == "Content-Security-Policy"
    assert (
        first.get("content") == statichtml.POLICY
        and "'unsafe-inline'" not in statichtml.POLICY.split("script-src")[1].split(";")[0]
    )
    if "doctype" in text.lower():
        assert "<!doctype" in out.lower().split("<meta", 1)[0]


def test_build_publishes_an_html_file_with_the_policy_first(course):
    write(course, "docs/notes.html", page_with("<p>Plain text.</p>"))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-2000:]
    published = (course / "site/notes.html").read_text(encoding="utf-8")
    assert published.startswith("<!doctype html>" + statichtml.META)
    assert "<p>Plain text.</p>" in published
    assert (course / "docs/notes.html").read_text(encoding="utf-8") == page_with("<p>Plain text.</p>")
