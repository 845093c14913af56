"""R Markdown lessons: chunks run with knitr as the Workbench runs them, or plainly reported missing.

The lesson is a shortened copy of Software Carpentry's r-novice-gapminder (CC BY 4.0, see
tests/data/carpentries-rmd/README.md): an episode with an `include=FALSE` chunk, inline R, an
error chunk and output, and one drawing ggplot2 plots with `fig.alt` and `fig.cap`. With R the
import is built strictly and the HTML read back; without R (Rscript taken off the PATH) the
import still completes and says what is missing and how to install it.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from support import harness
from support.harness import page as _page
from support.rmarkdown import LESSON, import_lesson, lesson_variant
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import knitr

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def knitted(r_ready, tmp_path_factory):
    """The lesson imported with R (once for the module), its report, and the strictly built site."""
    tmp = tmp_path_factory.mktemp("knitted")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "R course"]) == 0
    code = main(
        [
            "--root",
            str(course),
            "import",
            "carpentries",
            str(LESSON),
            "--track",
            "gapminder",
            "--execute",
            "--report",
            str(tmp / "report.json"),
        ]
    )
    assert code == 0
    harness.build(course, "-d", str(tmp / "site"))
    return course, json.loads((tmp / "report.json").read_text()), tmp / "site" / "gapminder"


def test_chunks_run_with_knitr_and_their_output_is_published(knitted):
    course, _, site = knitted
    intro = _page(site, "rstudio-intro").select_one("article")
    outputs = [pre.get_text() for pre in intro.select(".language-output")]
    assert any("[1]  2  4  8 16 32" in o for o in outputs), outputs  # 2^(1:5), run by R
    assert intro.select(".language-error"), "rm(list <- ls()) fails: error=TRUE shows R's error"
    text = intro.get_text(" ")
    assert "contains 1, 2, 3, 4, 5:" in text, "inline `r x` is replaced by its value"
    assert "`r x`" not in text and "{r" not in text


def test_include_false_chunks_never_reach_learners(knitted):
    course, _, site = knitted
    for path in ("rstudio-intro", "plot-ggplot2"):
        html = (site / path / "index.html").read_text()
        assert "HIDDEN-SETUP-CHUNK" not in html and "read.csv" not in html, path
    assert "read.csv" not in (course / "lessons/gapminder/plot-ggplot2/lesson.md").read_text()


def test_plots_land_beside_the_lesson_with_their_alt_text_and_caption(knitted):
    course, _, site = knitted
    plots = sorted(p.name for p in (course / "lessons/gapminder/plot-ggplot2").glob("*-rendered-*.png"))
    assert len(plots) == 4, plots
    page = _page(site, "plot-ggplot2").select_one("article")
    images = {img["src"].rsplit("/", 1)[-1]: img for img in page.select("img")}
    scatter = images["08-plot-ggplot2-rendered-lifeExp-vs-gdpPercap-scatter-1.png"]
    assert scatter["alt"] == "Scatter plot of life expectancy vs GDP per capita, now showing the data points."
    assert (site / "plot-ggplot2" / scatter["src"]).is_file() or (
        site / "plot-ggplot2" / ".." / scatter["src"]
    ).is_file()
    solution = page.select_one(".ts-exercise details.ts-solution")
    cap = "Binned scatterplot of life expectancy versus year showing how life expectancy has increased over time"
    assert solution.find("img", alt=cap) is not None and cap in solution.get_text(" ")
    assert (site / "plot-ggplot2" / "08-plot-ggplot2-rendered-ch1-sol-1.png").read_bytes()[:4] == b"\x89PNG"


def test_the_report_counts_the_knitted_source_and_the_lesson_alike(knitted):
    _, report, _ = knitted
    by_source = {e["source"]: e for e in report["episodes"]}
    plot = by_source["episodes/08-plot-ggplot2.Rmd"]
    assert plot["source_counts"]["figures"] == 4 and plot["source_counts"]["exercises"] == 1
    intro = by_source["episodes/01-rstudio-intro.Rmd"]
    assert intro["source_counts"]["output_blocks"] >= 3 and intro["source_counts"]["keypoints"] == 6
    for entry in report["episodes"]:
        assert entry["differences"] == {}, entry
    assert report["r_markdown"]["executed"] == ["01-rstudio-intro.Rmd", "08-plot-ggplot2.Rmd"]


def test_without_r_the_import_completes_and_says_what_is_missing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no Rscript anywhere
    assert shutil.which("Rscript") is None
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "R course"]) == 0
    assert (
        main(
            [
                "--root",
                str(course),
                "import",
                "carpentries",
                str(LESSON),
                "--track",
                "gapminder",
                "--execute",
                "--report",
                str(tmp_path / "report.json"),
            ]
        )
        == 0
    )
    out = " ".join(capsys.readouterr().out.split())
    assert "R is not installed (no Rscript on the PATH), so the code of 2 R Markdown episode(s) was not run" in out
    assert "without its output, and about 4 plot(s) are missing" in out
    assert "apt-get install r-base-core r-cran-knitr r-cran-ggplot2" in out
    assert f"tracksite import carpentries {LESSON} --track gapminder --update" in out
    for slug in ("rstudio-intro", "plot-ggplot2"):
        text = (course / "lessons/gapminder" / slug / "lesson.md").read_text()
        assert "HIDDEN-SETUP-CHUNK" not in text and "read.csv" not in text
    assert "ggplot(data = gapminder)" in (course / "lessons/gapminder/plot-ggplot2/lesson.md").read_text()
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["episodes"][1]["not_run"] == {
        "chunks_without_output": 4,
        "plots_missing": 4,
        "hidden_chunks_left_out": 1,
    }
    harness.build(course, "-d", str(tmp_path / "site"))


def test_chunk_options_are_read_as_knitr_reads_them():
    lines = [
        '```{r setup, include = FALSE, fig.alt="a, b"}',
        "x <- 1",
        "```",
        "",
        "```{r}",
        "#| echo: false",
        "plot(1)",
        "```",
        "```python",
        "```{r} not a chunk inside code",
        "```",
    ]
    found = knitr.chunks(lines)
    assert [(c.label, c.shown, c.runs) for c in found] == [("setup", False, True), ("", False, True)]
    assert found[0].options["fig.alt"] == '"a, b"' and found[1].plots
    text, missing = knitr.without_r("\n".join(lines))
    assert text.count("\n") == len(lines) and "x <- 1" not in text and "plot(1)" not in text
    # the include=FALSE chunk shows nothing even with R; the echo: false one would show its plot
    assert (missing.chunks, missing.plots, missing.hidden) == (1, 1, 2)


def test_a_chunk_header_split_over_two_lines_is_joined_and_noted(tmp_path, capsys):
    """Issue 38 then 53: knitr reads such a header as text (the chunk swallowed the next exercise
    and `////` was printed on the page); the import stopped. Its author meant one header: the
    import joins it, notes where, and the chunk is a chunk (here shown as code, not run)."""
    lesson = lesson_variant(
        tmp_path, "## Challenge 1", '```{r, fig.alt="a plot\nin two lines"}\nplot(1)\n```\n\n## Challenge 1'
    )
    line = (lesson / "episodes/08-plot-ggplot2.Rmd").read_text().splitlines().index('```{r, fig.alt="a plot') + 1
    assert import_lesson(tmp_path / "course", lesson, "--no-execute") == 0
    out = capsys.readouterr().out
    assert f"episodes/08-plot-ggplot2.Rmd:{line}: a code chunk header over several lines was joined" in out
    text = (tmp_path / "course/lessons/gapminder/plot-ggplot2/lesson.md").read_text()
    assert "```r\nplot(1)\n```" in text and "in two lines" not in text


def test_a_chunk_header_that_never_closes_is_still_an_error_with_its_line(tmp_path, capsys):
    lesson = lesson_variant(tmp_path, "## Challenge 1", '```{r, fig.alt="a plot\nplot(1)\n```\n\n## Challenge 1')
    line = (lesson / "episodes/08-plot-ggplot2.Rmd").read_text().splitlines().index('```{r, fig.alt="a plot') + 1
    assert import_lesson(tmp_path / "course", lesson, "--no-execute") == 1
    assert f"episodes/08-plot-ggplot2.Rmd:{line}: the code chunk header" in capsys.readouterr().err
    assert not (tmp_path / "course/lessons/gapminder").exists()


def test_a_missing_package_stops_the_import_naming_it_unless_errors_are_allowed(tmp_path, capsys, r_ready):
    """Issue 38: with a package missing, R's error blocks were published and the import said 'no errors'."""
    lesson = lesson_variant(
        tmp_path, "## Challenge 1", "```{r}\nlibrary(nosuchpackagehere)\n```\n\n## Challenge 1", alone=True
    )
    line = (lesson / "episodes/08-plot-ggplot2.Rmd").read_text().splitlines().index("library(nosuchpackagehere)") + 1
    assert (
        import_lesson(tmp_path / "course", lesson, "--execute") == 1
    )  # the lesson's problem, not usage (README: 2 is usage)
    err = capsys.readouterr().err
    assert f"episodes/08-plot-ggplot2.Rmd:{line}: nosuchpackagehere" in err
    assert "apt-get install r-cran-nosuchpackagehere" in err and "--allow-errors" in err
    assert not (tmp_path / "course/lessons/gapminder").exists()
    assert import_lesson(tmp_path / "course2", lesson, "--execute", "--allow-errors") == 0
    text = (tmp_path / "course2/lessons/gapminder/plot-ggplot2/lesson.md").read_text()
    assert "there is no package called" in text, "allowed: R's error is what learners see"


def test_an_error_from_the_machine_stops_the_import_and_one_the_lesson_teaches_stays(tmp_path, capsys, r_ready):
    """sandpaper shows every R error as output, so lessons teach errors without marking them;
    an error a missing package causes is this machine's, and names the package at its line.
    The lesson also has a renv.lock asking for a newer ggplot2 than this machine's (episode 08
    loads it): the import that completes names the package as older than the lock wants (one
    knitting of the episode for both, about two seconds of processor time each)."""
    taught = '```{r}\nstop("a lesson about errors")\n```\n\n'
    missing = '```{r}\nloadNamespace("nosuchpackagehere")\n```\n\n'
    lesson = lesson_variant(tmp_path, "## Challenge 1", taught + missing + "## Challenge 1", alone=True)
    lock = lesson / "renv/profiles/lesson-requirements/renv.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"Packages": {"ggplot2": {"Package": "ggplot2", "Version": "999.1.0"}}}, indent=2))
    line = (lesson / "episodes/08-plot-ggplot2.Rmd").read_text().splitlines().index(
        'loadNamespace("nosuchpackagehere")'
    ) + 1
    assert (
        import_lesson(tmp_path / "course", lesson, "--execute") == 1
    )  # the lesson's problem, not usage (README: 2 is usage)
    err = capsys.readouterr().err
    assert "episodes/08-plot-ggplot2.Rmd:" in err and "the R package nosuchpackagehere" in err, err
    assert f"episodes/08-plot-ggplot2.Rmd:{line}: the R package nosuchpackagehere" in err
    assert not (tmp_path / "course/lessons/gapminder").exists()
    assert import_lesson(tmp_path / "course2", lesson, "--execute", "--allow-errors") == 0
    text = (tmp_path / "course2/lessons/gapminder/plot-ggplot2/lesson.md").read_text()
    assert "a lesson about errors" in text and "nosuchpackagehere" in text
    # (what test_packages_older_than_the_lessons_renv_lock_are_named asserted of its own import;
    # that the older package stops no import, its exit code 0, the first import shows: it went on
    # to run the episode, and stopped at the chunk's line for the missing package alone)
    out = " ".join(capsys.readouterr().out.split())
    assert "renv/profiles/lesson-requirements/renv.lock:3: the R package ggplot2 is" in out
    assert "older than 999.1.0" in out
