"""Issue 84, forms of the Workbench format that none of the 22 example lessons holds.

Each is taken from the format's own sources (sandpaper's `get_drafts`: a file of `episodes/`,
`instructors/` or `profiles/` that config.yaml does not list is a draft and not published; Pandoc's
footnotes, which the Workbench renders) and written here by the test, nothing read outside the
repository. The newcomer's path must hold after the import: the import verifies, `tracksite check`
passes, a strict build and the link check too; and nothing is lost without a word.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import htmltables
from tracksite.commands.importers.pipeline import counting

CONFIG = """title: 'Unseen forms'
license: 'CC-BY 4.0'
episodes:
- 02-second.md
- 01-first.md
- 04-renamed.md
learners:
- setup.md
- gone.md
instructors:
- instructor-notes.md
"""

FIRST = """---
title: First
teaching: 5
exercises: 0
---

A claim with a footnote[^1] and a second one[^note], then [the second episode](02-second.md)
and [the renamed one](04-renamed.md).

[^1]: The footnote's own words, with [a link](https://example.org/source).

[^note]: A second footnote.

## A section

![A plot of one point](fig/my plot.png){alt='One point'} and ![The same plot](<fig/my plot.png>).

The [survey data](data/my survey.csv "The survey, as a table"), [the setup](../learners/setup.md "Setup")
and [what comes next](02-second.md 'Next').

<table class="table">
<thead><tr><th>Step **one**</th><th>Where</th></tr></thead>
<tbody>
<tr><td markdown="1">*Read* the `data`</td><td><a href="02-second.md">the next episode</a></td></tr>
</tbody>
</table>

<table>
<tr><td>A plain table</td><td>with no Markdown</td></tr>
</table>

:::::::::::::: challenge

## List the files

:::::::::: solution

::: group-tab

### Windows

Use `dir`.

### Linux

Use `ls`.

:::

::::::::::

::::::::::::::
"""


def _png() -> bytes:
    """A 1x1 PNG (zlib from the standard library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    head = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + head + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")


def _lesson(root: Path) -> Path:
    for folder in ("episodes/fig", "episodes/data", "learners", "instructors"):
        (root / folder).mkdir(parents=True)
    (root / "episodes/fig/my plot.png").write_bytes(_png())
    (root / "episodes/data/my survey.csv").write_text("a,b\n1,2\n")
    (root / "config.yaml").write_text(CONFIG)
    (root / "episodes/01-first.md").write_text(FIRST)
    (root / "episodes/02-second.md").write_text("---\nteaching: 1\nexercises: 0\n---\n\nWords.\n")  # no title
    (root / "episodes/03-draft.md").write_text("---\ntitle: Draft\n---\n\nDRAFT-EPISODE-TEXT\n")
    (root / "learners/setup.md").write_text("---\ntitle: Setup\n---\n\nNothing to install.\n")
    (root / "instructors/instructor-notes.md").write_text("---\ntitle: Notes\n---\n\nNotes.\n")
    (root / "instructors/old-notes.md").write_text("---\ntitle: Old\n---\n\nOLD-NOTES-TEXT\n")
    return root


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The lesson imported once, the import's words and report, and the strict build."""
    tmp = tmp_path_factory.mktemp("unseen-forms")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Unseen"]) == 0
    lesson = _lesson(tmp / "src")
    result = harness.tracksite(
        "import", "carpentries", str(lesson), "--track", "u", "--report", str(tmp / "r.json"), cwd=course
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-4000:]
    assert harness.mkdocs(course).returncode == 0
    return course, out, json.loads((tmp / "r.json").read_text())


def test_the_newcomers_path_passes_after_the_import(imported):
    course, out, report = imported
    assert "verified: the built learner pages of 2 episodes show what their sources hold" in out
    assert all(e["differences"] == {} for e in report["episodes"]), report["episodes"]
    check = harness.tracksite("check", cwd=course)
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stdout + check.stderr, check.stdout
    links = harness.tracksite("linkcheck", "site", cwd=course)
    assert links.returncode == 0 and " 0 broken" in links.stdout + links.stderr, links.stdout


def test_a_footnote_keeps_its_text(imported):
    """Old: `[^1]: The footnote's ...` was read as a link definition to `The`, reported as a link
    that points nowhere and written `[^1]: #`: the footnote's words were lost."""
    course, out, _ = imported
    assert "link to The" not in out and "link to A " not in out
    body = harness.page(course / "site", "u/first/").select_one(".ts-page")
    notes = body.select_one(".footnote")
    assert notes is not None
    text = notes.get_text(" ", strip=True)
    assert "The footnote's own words" in text and "A second footnote." in text
    assert notes.find("a", href="https://example.org/source") is not None
    assert len(body.select("sup a.footnote-ref")) == 2


def test_the_source_count_reads_a_footnote_as_no_link():
    counts = counting.count_source(FIRST.split("---\n", 2)[2])
    assert counts["links"] == 7  # four to episodes, the footnote's link, data, setup; not `[^1]`, `[^note]`
    assert counts["figures"] == 2


def test_a_draft_is_left_out_with_a_note_and_a_listed_file_that_is_not_there_is_a_warning(imported):
    """Old: the draft episode and instructor page vanished without a word; a listed episode that
    is not there stopped the import ("config.yaml lists episodes that do not exist") and a listed
    learner page that is not there vanished."""
    course, out, report = imported
    assert "note: episodes/03-draft.md:1: not listed in config.yaml `episodes:`, so a draft" in out
    assert "note: instructors/old-notes.md:1: not listed in config.yaml `instructors:`" in out
    assert "warning: config.yaml:6: `episodes:` lists 04-renamed.md, which is not in episodes/" in out
    assert "warning: config.yaml:9: `learners:` lists gone.md, which is not in learners/" in out
    assert "episodes/01-first.md:8: link to 04-renamed.md points nowhere" in out
    written = "".join(p.read_text() for p in course.rglob("*.md") if ".import" not in p.parts)
    assert "DRAFT-EPISODE-TEXT" not in written and "OLD-NOTES-TEXT" not in written
    track = (course / "lessons/u/track.yml").read_text()
    assert track.index("- second") < track.index("- first")  # config.yaml's order, not the files'


def test_a_lesson_whose_listed_episodes_are_all_missing_stops_saying_which(tmp_path):
    lesson = _lesson(tmp_path / "src")
    (lesson / "config.yaml").write_text("title: T\nepisodes:\n- 09-none.md\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Unseen"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "u", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out
    assert "episodes holds no episode to import" in out
    assert "config.yaml:3: `episodes:` lists 09-none.md, which is not in episodes/" in out


def test_a_path_with_a_space_and_a_link_with_a_title_are_resolved(imported):
    """Pandoc reads `fig/my plot.png` (a space where no title follows), `<fig/my plot.png>` and
    `[text](path "title")`. Old: the image was cut at the space (`TS303 image 'fig/my' not found`:
    the import stopped its check), the angled image and the titled link were left unresolved (a
    link to `data/my survey.csv` the site does not have)."""
    course, out, _ = imported
    assert "TS303" not in out and "points nowhere" not in out.replace("link to 04-renamed.md points nowhere", "")
    body = harness.page(course / "site", "u/first/").select_one(".ts-page")
    images = body.select("img")
    assert [i["alt"] for i in images] == ["One point", "The same plot"]
    assert {i["src"] for i in images} == {"my-plot.png"}
    assert (course / "site/u/first/my-plot.png").read_bytes() == _png()
    data = body.find("a", string="survey data")
    assert data["title"] == "The survey, as a table" and data["href"].endswith("data/my%20survey.csv")
    assert (course / "site/u/data/my survey.csv").is_file()
    setup = body.find("a", string="the setup")
    assert setup["title"] == "Setup" and setup["href"].endswith("learners/setup/")
    after = body.find("a", string="what comes next")
    assert after["title"] == "Next" and after["href"].endswith("second/")


def test_an_html_table_with_markdown_in_its_cells_becomes_a_table_that_shows_it(imported):
    """Pandoc reads Markdown inside HTML blocks, Python-Markdown none in a table's cells. Old: the
    page showed `**one**`, `*Read*` and the episode link as typed (`[the next episode](lesson:u/second)`)
    and the import's verification stopped (a link in the source, none on the page)."""
    course, out, _ = imported
    line = FIRST.splitlines().index('<table class="table">') + 1
    assert f"episodes/01-first.md:{line}: an HTML table with Markdown in its cells became a pipe table" in out
    body = harness.page(course / "site", "u/first/").select_one(".ts-page")
    first, plain = body.select("table")
    assert [th.decode_contents() for th in first.select("th")] == ["Step <strong>one</strong>", "Where"]
    cells = first.select("td")
    assert cells[0].decode_contents() == "<em>Read</em> the <code>data</code>"
    assert cells[1].find("a")["href"].endswith("second/") and "lesson:" not in str(first)
    assert [td.get_text() for td in plain.select("td")] == ["A plain table", "with no Markdown"]


def test_an_episode_without_a_title_is_titled_by_its_file_name_with_a_warning(imported):
    course, out, _ = imported
    assert "warning: episodes/02-second.md:1: the episode has no `title:` in its front matter; titled 'Second'" in out
    assert "title: Second\n" in (course / "lessons/u/second/lesson.md").read_text()


def test_a_front_matter_the_yaml_reader_refuses_stops_at_its_file_and_line_with_a_hint(tmp_path):
    lesson = _lesson(tmp_path / "src")
    (lesson / "episodes/01-first.md").write_text('---\ntitle: "Bad: [unclosed\nteaching: 5\n---\n\nBody.\n')
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Unseen"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "u", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out
    assert "episodes/01-first.md:3: YAML syntax error" in out and "quote a title that holds a colon" in out


RMD = """---
title: Knitted
teaching: 5
exercises: 0
---

Before the child.

```{r child="files/shared.Rmd"}
```

```{r, child='files/absent.Rmd'}
```

After the child.
"""


def test_a_child_document_stands_in_its_chunks_place_without_r(tmp_path):
    """knitr's `child=` chunk puts the child's text in its place. Old (without --execute): the
    chunk became an empty code block and the child's text was lost, with no note."""
    lesson = tmp_path / "src"
    (lesson / "episodes/files").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Knit\nepisodes:\n- 01-knitted.Rmd\n")
    (lesson / "episodes/01-knitted.Rmd").write_text(RMD)
    (lesson / "episodes/files/shared.Rmd").write_text(
        "Text the episodes share.\n\n```{r}\nprint('shared')\n```\n\n```{r, include=FALSE}\nsecret <- 1\n```\n"
    )
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Knit"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "k", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "note: episodes/01-knitted.Rmd:9: child document files/shared.Rmd: its text put in the chunk's place" in out
    assert "warning: episodes/01-knitted.Rmd:12: child document files/absent.Rmd: not in the lesson" in out
    assert "verified: the built learner pages of 1 episodes" in out
    body = (course / "lessons/k/knitted/lesson.md").read_text().split("\n---\n", 1)[1]
    assert body.index("Before the child.") < body.index("Text the episodes share.") < body.index("After the child.")
    assert "```r\nprint('shared')\n```" in body and "secret" not in body
    assert "```r\n```" not in body  # no empty code block for either chunk


def test_a_solution_made_of_tabs_alone_is_no_empty_solution(imported):
    """A challenge's solution that is one tab per platform (`::: group-tab` inside `::: solution`).
    Old: `tracksite check` said TS404 "the solution is empty" (it read only the solution's own
    lines, not the tabs in it) and the import's check, the strict build and the course failed."""
    course, out, _ = imported
    assert "TS404" not in out
    body = harness.page(course / "site", "u/first/").select_one(".ts-page")
    solution = body.select_one("details.ts-solution")
    assert [label.get_text() for label in solution.select(".tabbed-labels label")] == ["Windows", "Linux"]
    assert [c.get_text() for c in solution.select(".tabbed-block code")] == ["dir", "ls"]


def test_a_lesson_in_the_older_jekyll_format_is_named_so_with_the_way_on(tmp_path):
    """pegboard's old-style lessons (`_config.yml`, `_episodes/`). Old: "has no config.yaml: is
    it a Carpentries Workbench lesson?", which did not say what it is nor what to do."""
    lesson = tmp_path / "old"
    (lesson / "_episodes").mkdir(parents=True)
    (lesson / "_config.yml").write_text("title: Old\n")
    (lesson / "_episodes/01-intro.md").write_text("---\ntitle: Intro\n---\n\nText.\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Old"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "o", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in out
    assert "_config.yml:1: a lesson in the Carpentries' older Jekyll format" in out
    assert "move it to the Workbench first" in out


def test_an_r_markdown_learner_page_hides_its_hidden_chunks_and_takes_its_child(tmp_path):
    """sandpaper knits `learners/setup.Rmd` too. Old: its `include=FALSE` chunk was shown to
    learners as code, and a child document's chunk as an empty code block."""
    lesson = tmp_path / "src"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "learners/files").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Knit\nepisodes:\n- 01-a.md\n")
    (lesson / "episodes/01-a.md").write_text("---\ntitle: A\nteaching: 1\nexercises: 0\n---\n\nWords.\n")
    (lesson / "learners/setup.Rmd").write_text(
        "---\ntitle: Setup\n---\n\nInstall:\n\n```{r, eval=FALSE}\ninstall.packages('x')\n```\n\n"
        "```{r, include=FALSE}\nHIDDEN_SETUP <- 1\n```\n\n```{r child='files/more.Rmd'}\n```\n"
    )
    (lesson / "learners/files/more.Rmd").write_text("Shared setup words.\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Knit"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "k", cwd=course)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    page = (course / "docs/k/learners/setup.md").read_text()
    assert "install.packages('x')" in page and "Shared setup words." in page
    assert "HIDDEN_SETUP" not in page and "```r\n```" not in page


def test_an_html_table_that_is_no_plain_grid_stays_html_and_says_so():
    spanned = ["<table>", '<tr><td colspan="2">**wide**</td></tr>', "<tr><td>a</td><td>b</td></tr>", "</table>"]
    lines, numbers, notes = htmltables.rewrite(spanned, [5, 6, 7, 8])
    assert lines == spanned and numbers == [5, 6, 7, 8]
    assert notes == [(5, notes[0][1])] and "kept as HTML: its Markdown shows as typed" in notes[0][1]
    headless = ["<table>", "<tr><td>*a* | b</td><td>c</td></tr>", "<tr><td>d</td><td>e</td></tr>", "</table>"]
    lines, numbers, notes = htmltables.rewrite(headless, [1, 2, 3, 4])
    assert [line for line in lines if line] == ["| *a* \\| b | c |", "|---|---|", "| d | e |"]
    assert "its first row is the header row" in notes[0][1]
    # no Markdown: `SELECT *` (a lone star, sql-ecology-lesson's glossary), an address, a_name
    plain = ["<table>", '<tr><td rowspan="2">SELECT * <br> FROM t</td><td><a href="https://x.org">x</a></td></tr>']
    plain += ["<tr><td>snake_case_name</td></tr>", "</table>"]
    assert htmltables.rewrite(plain, [1, 2, 3, 4]) == (plain, [1, 2, 3, 4], [])
    fenced = ["```html", "<table><tr><td>*x*</td></tr></table>", "```"]
    assert htmltables.rewrite(fenced, [1, 2, 3])[0] == fenced  # code shows HTML as typed
