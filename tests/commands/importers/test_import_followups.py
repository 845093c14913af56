"""Issue 38's follow-ups: what an import does with links the source lesson gets wrong or that its
glossary move changes, and what `tracksite rename`/`move` do with glossary references.

- a link to a file the source lesson does not have is kept as its text and is a located warning,
  in the command's output and in the `--report` file (the report held notes only); an HTML
  `<a href>` is resolved like a Markdown link (it was left pointing at the source's file name);
- the track's learner pages under docs/ (the introduction, setup) point a link to a reference-page
  term at the term in the track's glossary, as the lessons do (they kept the reference page's id);
- a rename rewrites glossary.yml's `lesson:`/`introduced:` and leaves every `glossary:` link
  resolving; a move changes no reference.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from support.course import lesson_md, load, make_course, write
from support.sites import run_mkdocs
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import anchorfix

EPISODE = """---
title: {title}
teaching: 5
exercises: 5
---

::: objectives

- use a widget

:::

This episode explains the widget idea in a few plain words for learners.
{extra}
::: challenge

## Try

Run it.

::: solution

It runs.

:::

:::
"""
REFERENCE = """---
title: 'Reference'
---

## Glossary

{:auto_ids}
widget
:   A small part that does one thing.
"""
SETUP = """---
title: Setup
---

Install the tools before the first [widget](reference.md#widget) lesson; the
[missing notes](files/notes.pdf) are not in this lesson.
"""


def workbench_lesson(root: Path) -> Path:
    """A two-episode Workbench lesson whose links the import must mend or report."""
    (root / "episodes").mkdir(parents=True)
    (root / "learners").mkdir()
    (root / "config.yaml").write_text("title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-one.md\n- 02-two.md\n")
    one_extra = (
        "\nSee [the gone page](../learners/nothere.md) and [a gone file](files/nothere.zip);\n"
        'also <a href="02-two.md">the next episode</a> and <a href="gone.html">a gone page</a>.\n'
    )
    (root / "episodes/01-one.md").write_text(EPISODE.format(title="One", extra=one_extra))
    (root / "episodes/02-two.md").write_text(EPISODE.format(title="Two", extra=""))
    (root / "learners/reference.md").write_text(REFERENCE)
    (root / "learners/setup.md").write_text(SETUP)
    return root


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The lesson imported with --report into a fresh course: (course, report, output)."""
    tmp = tmp_path_factory.mktemp("followups")
    course = tmp / "course"
    src = workbench_lesson(tmp / "src")
    assert main(["init", str(course), "--site-name", "Tiny course"]) == 0
    out = harness.tracksite(
        "--root",
        str(course),
        "import",
        "carpentries",
        str(src),
        "--track",
        "tiny",
        "--report",
        str(tmp / "report.json"),
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return course, json.loads((tmp / "report.json").read_text()), out.stdout


def test_a_link_to_a_file_the_lesson_lacks_is_a_located_warning_in_the_report(imported):
    course, report, output = imported
    one = next(e for e in report["episodes"] if e["source"] == "episodes/01-one.md")
    lines = {"../learners/nothere.md": 15, "files/nothere.zip": 15, "gone.html": 16}
    for target, line in lines.items():
        message = f"episodes/01-one.md:{line}: link to {target} points nowhere in the lesson's files"
        assert any(w.startswith(message) for w in one["warnings"]), one["warnings"]
        assert f"warning: {message}" in output
    assert any(
        w.startswith("learners/setup.md:6: link to files/notes.pdf points nowhere") for w in report["other_warnings"]
    )
    assert one["differences"] == {} and one["listed_changes"] == {"links": -3}  # Setup is in the header, not the body
    body = (course / "lessons/tiny/one/lesson.md").read_text()
    assert "[the next episode](lesson:tiny/two)" in body  # an HTML link to an episode, resolved
    assert "a gone page" in body and "gone.html" not in body  # kept as text, as a Markdown link's would be


def test_learner_pages_point_reference_terms_at_the_track_glossary(imported, tmp_path):
    course, report, _ = imported
    setup = (course / "docs/tiny/learners/setup.md").read_text()
    assert "[widget](glossary:tiny/widget)" in setup and "reference.md#" not in setup
    assert "{ #widget }" in (course / "docs/tiny/learners/reference.md").read_text()  # its own id stays
    result = run_mkdocs(course, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = BeautifulSoup((tmp_path / "site/tiny/learners/setup/index.html").read_text(), "lxml")
    href = page.find("a", string="widget")["href"]
    assert href == "../../glossary/#term-widget"
    glossary = BeautifulSoup((tmp_path / "site/tiny/glossary/index.html").read_text(), "lxml")
    assert glossary.find(id="term-widget") is not None


def test_an_html_link_is_read_as_a_markdown_link_outside_code_only():
    from tracksite.commands.importers.carpentries.pandoc import rewrite_html

    line = 'See <a href="02-two.md">next</a>, <a href="https://e.org">web</a> and `<a href="x.md">y</a>`.'
    assert rewrite_html(line, lambda *_: None) == (
        'See [next](02-two.md), <a href="https://e.org">web</a> and `<a href="x.md">y</a>`.'
    )


def test_to_glossary_leaves_the_reference_page_and_code_alone():
    files = {
        "lessons/t/a/lesson.md": "A [commit](../learners/reference.md#commit).\n",
        "docs/t/learners/setup.md": "A [commit](reference.md#commit), `[x](reference.md#commit)`.\n\n[c]: reference.md#commit\n",
        "docs/t/learners/reference.md": "See [commit](#commit) and [again](reference.md#commit).\n",
        "docs/other/learners/setup.md": "A [commit](reference.md#commit).\n",
    }
    before = dict(files)
    assert anchorfix.to_glossary(files, "t", [("commit", "Commit")]) == 3
    assert files["lessons/t/a/lesson.md"] == "A [commit](glossary:commit).\n"
    assert files["docs/t/learners/setup.md"] == (
        "A [commit](glossary:t/commit), `[x](reference.md#commit)`.\n\n[c]: glossary:t/commit\n"
    )
    for untouched in ("docs/t/learners/reference.md", "docs/other/learners/setup.md"):
        assert files[untouched] == before[untouched]


def test_rename_and_move_keep_glossary_references_resolving(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "lessons/alpha/glossary.yml", "terms:\n  - term: Widget\n    definition: A part.\n    lesson: a3\n")
    body = "## Part\n\nA widget, see [widget](glossary:widget) and [there](glossary:alpha/widget). " + "Words. " * 40
    write(course, "lessons/alpha/a3/lesson.md", lesson_md("Third", body=body + "\n"))
    write(course, "docs/notes.md", "# Notes\n\nThe [widget](glossary:alpha/widget), taught in [a3](lesson:alpha/a3).\n")
    before = {p.code for p in load(course).problems.items}
    assert main(["--root", str(course), "rename", "alpha", "a3", "widgets"]) == 0
    assert "    lesson: widgets\n" in (course / "lessons/alpha/glossary.yml").read_text()
    assert "(lesson:alpha/widgets)" in (course / "docs/notes.md").read_text()
    assert main(["--root", str(course), "move", "alpha", "widgets", "--first"]) == 0
    after = load(course).problems
    assert not after.errors, [p.text() for p in after.errors]
    assert {p.code for p in after.items} <= before | {"TS606"}  # no broken link of any kind
