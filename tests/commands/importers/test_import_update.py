"""`tracksite import carpentries --update` and `--report`, on a copy of the vendored lesson excerpt.

The newer upstream release is made in the test by editing a copy of tests/data/carpentries-rmd
(r-novice-gapminder, CC BY 4.0); `--no-execute` keeps R out of these tests, which are about the
merge and the counts (tests/commands/importers/test_import_rmarkdown.py runs the chunks).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tracksite.commands.cli import main
from tracksite.commands.importers.pipeline import counting

LESSON = Path(__file__).resolve().parents[2] / "data" / "carpentries-rmd"
EPISODE = "episodes/08-plot-ggplot2.Rmd"
LESSON_MD = "lessons/gap/plot-ggplot2/lesson.md"


def _release(base: Path, dest: Path, old: str, new: str) -> Path:
    shutil.copytree(base, dest)
    path = dest / EPISODE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return dest


def _import(course: Path, src: Path, *extra: str) -> int:
    return main(["--root", str(course), "import", "carpentries", str(src), "--track", "gap", "--no-execute", *extra])


def _files(course: Path) -> dict[str, bytes]:
    return {p.relative_to(course).as_posix(): p.read_bytes() for p in sorted(course.rglob("*")) if p.is_file()}


def _course(tmp: Path) -> tuple[Path, Path]:
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "R course"]) == 0
    v1 = tmp / "v1"
    shutil.copytree(LESSON, v1)
    assert _import(course, v1) == 0
    assert (course / "lessons/gap/.import/record.json").is_file()
    return course, v1


def test_update_keeps_the_instructors_edit_and_takes_the_upstream_change(tmp_path, capsys):
    course, v1 = _course(tmp_path)
    lesson = course / LESSON_MD
    mine = "We start off by building an example using the gapminder data from earlier."
    lesson.write_text(
        lesson.read_text().replace("Let's start off building an example using the gapminder data from earlier.", mine)
    )
    v2 = _release(
        v1,
        tmp_path / "v2",
        "represent the relationship between **x** and **y** as a scatterplot",
        "represent the relationship between **x** and **y** as a scatter plot",
    )
    capsys.readouterr()
    assert _import(course, v2, "--update") == 0
    out = capsys.readouterr().out
    text = lesson.read_text()
    assert mine in text, "the instructor's edit is kept"
    assert "as a scatter plot of points" in text.replace("\n", " "), "the upstream change is taken"
    assert "1 merged" in out
    assert main(["--root", str(course), "check"]) == 0
    # the next update starts from the new release: importing it again changes nothing
    before = _files(course)
    assert _import(course, v2, "--update") == 0
    assert _files(course) == before, "an update with nothing to do writes nothing, not even the record"
    assert "nothing was written" in capsys.readouterr().out


def test_a_conflicting_edit_stops_the_update_with_file_and_line_and_changes_nothing(tmp_path, capsys):
    course, v1 = _course(tmp_path)
    lesson = course / LESSON_MD
    lines = lesson.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Here we called `ggplot`"))
    lines[at] = "Here we called `ggplot` (my wording) and told it what data we want to show on"
    lesson.write_text("\n".join(lines) + "\n")
    v2 = _release(
        v1, tmp_path / "v2", "Here we called `ggplot` and told it", "Here we called the `ggplot` function and told it"
    )
    v2_other = v2 / "episodes/01-rstudio-intro.Rmd"
    v2_other.write_text(v2_other.read_text().replace("## Vectorization", "## Vectors and vectorization"))
    before = _files(course)
    capsys.readouterr()
    assert _import(course, v2, "--update") == 1
    out = capsys.readouterr().out
    assert f"conflict: {LESSON_MD}:{at + 1}: changed here and upstream" in out, out
    assert "no file was changed" in out
    assert _files(course) == before, "all or nothing: not even the other episode's change is applied"
    assert _import(course, v2, "--update", "--keep-yours") == 0
    assert "(my wording)" in lesson.read_text()
    assert "## Vectors and vectorization" in (course / "lessons/gap/rstudio-intro/lesson.md").read_text()


def test_update_needs_a_track_imported_before(tmp_path, capsys):
    course = tmp_path / "course"
    main(["init", str(course), "--site-name", "T"])
    assert _import(course, LESSON, "--update") == 2
    assert "lessons/gap does not exist" in capsys.readouterr().err


def test_a_normal_import_reports_the_same_counts_in_source_and_lesson(tmp_path, capsys):
    course = tmp_path / "course"
    main(["init", str(course), "--site-name", "T"])
    assert _import(course, LESSON, "--report", str(tmp_path / "r.json")) == 0
    data = json.loads((tmp_path / "r.json").read_text())
    counts = {e["source"]: e["source_counts"] for e in data["episodes"]}
    assert counts[EPISODE] == {
        "headings": 0,
        "code_blocks": 5,
        "output_blocks": 0,
        "exercises": 1,
        "solutions": 1,
        "callouts": 0,
        "figures": 0,
        "tables": 0,
        "links": 0,
        "keypoints": 2,
        "questions": 1,
        "objectives": 5,
    }
    pages = {e["source"]: e["page_counts"] for e in data["episodes"]}
    assert pages[EPISODE] == counts[EPISODE], "counted in the HTML the build wrote"
    assert all(e["differences"] == {} for e in data["episodes"]), data["episodes"]
    assert "0 count(s) differ" in capsys.readouterr().out


def test_a_listed_change_is_no_difference(tmp_path, capsys):
    """A remote image cannot be shown under the site's CSP: it becomes a link, the import lists
    that change, and the built page is compared with the source plus that change."""
    src = _release(
        LESSON,
        tmp_path / "src",
        "Here we called `ggplot`",
        "![A gapminder chart](https://example.org/chart.png){alt='A chart'}\n\nHere we called `ggplot`",
    )
    course = tmp_path / "course"
    main(["init", str(course), "--site-name", "T"])
    assert _import(course, src, "--report", str(tmp_path / "r.json")) == 0
    entry = next(e for e in json.loads((tmp_path / "r.json").read_text())["episodes"] if e["source"] == EPISODE)
    assert entry["listed_changes"] == {"figures": -1, "links": 1}
    assert entry["source_counts"]["figures"] - 1 == entry["page_counts"]["figures"]
    assert entry["differences"] == {}
    assert any("remote image" in n for n in entry["notes"])


def test_counting_is_independent_of_the_conversion():
    source = (
        "::: challenge\n\n## A\n\n::: solution\n\nS\n\n:::\n\n## B\n\n::: solution\n\nT\n\n:::\n\n:::\n\n"
        "```r\nx\n```\n\n> ```output\n> 1\n> ```\n\n[a\nlink](https://e.org) and ![fig [1]](f.png)\n\n"
        "::: instructor\n\n## Hidden\n\n```r\ny\n```\n\n:::\n\n| a |\n|---|\n| 1 |\n"
    )
    counts = counting.count_source(source)
    assert (counts["exercises"], counts["solutions"], counts["code_blocks"], counts["output_blocks"]) == (2, 2, 1, 1)
    assert (counts["links"], counts["figures"], counts["tables"], counts["headings"]) == (1, 1, 1, 0)


def test_keep_yours_keeps_upstream_beside_the_file_until_it_is_taken_or_dropped(tmp_path, capsys):
    """Issue 38: --keep-yours once moved the base forward, so upstream's change was lost for good."""
    course, v1 = _course(tmp_path)
    lesson = course / LESSON_MD
    lesson.write_text(
        lesson.read_text().replace(
            "Here we called `ggplot` and told it", "Here we called `ggplot` (my wording) and told it"
        )
    )
    v2 = _release(
        v1, tmp_path / "v2", "Here we called `ggplot` and told it", "Here we called the `ggplot` function and told it"
    )
    assert _import(course, v2, "--update", "--keep-yours") == 0
    beside = course / "lessons/gap/plot-ggplot2/.lesson.upstream.md"
    assert "(my wording)" in lesson.read_text()
    assert "the `ggplot` function" in beside.read_text(), "upstream's version is kept beside the file"
    assert ".lesson.upstream.md" in capsys.readouterr().out
    assert main(["--root", str(course), "check"]) == 0  # hidden: never published, never a page
    # the next update still offers upstream's change: the same conflict, file and line
    assert _import(course, v2, "--update") == 1
    assert f"conflict: {LESSON_MD}:" in capsys.readouterr().out
    # dropped: the instructor deletes upstream's copy, and the next update takes nothing and stops offering it
    beside.unlink()
    assert _import(course, v2, "--update") == 0
    assert "(my wording)" in lesson.read_text() and not beside.exists()
    assert _import(course, v2, "--update") == 0
    assert "nothing was written" in capsys.readouterr().out
