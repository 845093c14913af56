"""A lesson's R code runs only when asked (`import --execute`), and then only in the sandbox.

The project's rule for code inside a lesson (docs/security.md): never run unless asked, and then
with no files, no network, no other process and limits. Until issue 73 an import ran every R
chunk by default, with the user's rights. The lesson here is tests/data/carpentries-rmd (a
shortened r-novice-gapminder, CC BY 4.0) with one chunk added that tries what a hostile lesson
would: write beside the test, into the lesson and the home folder, connect to a listener on this
machine, start a program.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from support.rmarkdown import import_lesson, lesson_variant
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import knitr
from tracksite.core import sandbox


def test_without_execute_no_r_code_runs_and_the_import_says_how_to_run_it(tmp_path, capsys):
    """Old: the chunk ran (with R installed) and wrote its file; nothing said how to choose."""
    ran = tmp_path / "r-ran.txt"
    chunk = f'```{{r}}\ncat("ran", file = "{ran}")\n```\n\n## Challenge 1'
    lesson = lesson_variant(tmp_path, "## Challenge 1", chunk, alone=True)
    assert import_lesson(tmp_path / "course", lesson) == 0
    assert not ran.exists()
    out = " ".join(capsys.readouterr().out.split())
    assert knitr.NOT_ASKED + ", so the code of 1 R Markdown episode(s) was not run" in out
    assert f"tracksite import carpentries {lesson} --track gapminder --update --execute" in out
    assert f'cat("ran", file = "{ran}")' in (tmp_path / "course/lessons/gapminder/plot-ggplot2/lesson.md").read_text()


@pytest.mark.usefixtures("r_ready")
def test_an_r_chunk_run_with_execute_writes_nothing_outside_and_reaches_no_network(tmp_path, capsys, monkeypatch):
    """Old: each attempt succeeded (the files written, the listener connected, `touch` run)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    outside, ran = tmp_path / "outside.txt", tmp_path / "program-ran.txt"
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        lesson_dir = tmp_path / "lesson"
        chunk = (
            "```{r sandbox-attempts}\n"
            "attempts <- list(\n"
            f'  outside = function() writeLines("x", "{outside}"),\n'
            f'  lesson = function() writeLines("x", "{lesson_dir}/episodes/written.txt"),\n'
            '  home = function() writeLines("x", path.expand("~/written.txt")),\n'
            f'  network = function() socketConnection("127.0.0.1", {port}, blocking = TRUE, timeout = 3)\n'
            ")\n"
            "for (a in names(attempts)) cat(a, if (inherits(try(attempts[[a]](), silent = TRUE), "
            '"try-error")) "refused" else "DONE", "\\n")\n'
            f'cat("program", suppressWarnings(system("touch {ran}")), "\\n")\n'
            'writeLines("kept", "inside.txt"); cat("inside", readLines("inside.txt"), "\\n")\n'
            "```\n\n## Challenge 1"
        )
        lesson = lesson_variant(tmp_path, "## Challenge 1", chunk, alone=True)
        assert lesson == lesson_dir
        assert import_lesson(tmp_path / "course", lesson, "--execute") == 0
        server.setblocking(False)
        try:
            server.accept()
            connected = True
        except BlockingIOError:
            connected = False
    assert not connected, "the chunk reached a listener on this machine"
    assert not outside.exists() and not ran.exists() and not (lesson / "episodes/written.txt").exists()
    assert not (home / "written.txt").exists()
    harness.build(tmp_path / "course", "-d", str(tmp_path / "site"))
    page = BeautifulSoup((tmp_path / "site/gapminder/plot-ggplot2/index.html").read_text(), "lxml")
    said = " ".join(pre.get_text(" ") for pre in page.select(".language-output"))
    for attempt in ("outside", "lesson", "network"):
        assert f"{attempt} refused" in said, said
    assert "home DONE" in said  # its home is the sandbox's scratch folder: the user's stays as it was
    assert "program 127" in said and "inside kept" in said, said  # the work copy is writable


@pytest.mark.usefixtures("r_ready")
def test_execute_without_a_sandbox_stops_and_says_what_to_do(tmp_path, capsys, monkeypatch):
    """Old: no sandbox was needed (R ran unsandboxed); there was no --execute (a usage error)."""
    monkeypatch.setattr(
        sandbox, "unavailable", lambda: "the sandbox needs bubblewrap (`bwrap`), which is not installed"
    )
    lesson = lesson_variant(tmp_path, "## Challenge 1", "```{r}\n1 + 1\n```\n\n## Challenge 1", alone=True)
    assert import_lesson(tmp_path / "course", lesson, "--execute") == 2  # an optional tool missing, as check --run-code
    err = " ".join(capsys.readouterr().err.split())
    assert "--execute runs the lesson's R code only in a sandbox, and none can be made here" in err
    assert "bubblewrap (`bwrap`), which is not installed" in err and "apt-get install bubblewrap" in err
    assert "import without --execute" in err and "Nothing was written" in err
    assert not (tmp_path / "course/lessons/gapminder").exists()


@pytest.mark.usefixtures("r_ready")
def test_warnings_are_published_as_the_workbench_shows_them_and_no_machine_noise(tmp_path, capsys):
    """sandpaper knits with knitr's `warning = TRUE` and `class.warning = "warning"`: a lesson's
    warning is a Warning block, unless the chunk says `warning=FALSE`. R asking the machine for
    its time zone (`timedatectl`, which warns where systemd is not running) is not the lesson's.
    Old: the time zone's warning (timedatectl) was published with the lesson's own."""
    chunk = (
        '```{r}\nas.integer("seven")\ninvisible(Sys.timezone())\n```\n\n'
        '```{r, warning=FALSE}\nas.integer("eight")\n```\n\n## Challenge 1'
    )
    lesson = lesson_variant(tmp_path, "## Challenge 1", chunk, alone=True)
    assert import_lesson(tmp_path / "course", lesson, "--execute") == 0
    harness.build(tmp_path / "course", "-d", str(tmp_path / "site"))
    page = BeautifulSoup((tmp_path / "site/gapminder/plot-ggplot2/index.html").read_text(), "lxml")
    warnings = [pre.get_text(" ") for pre in page.select(".language-warning")]
    assert len(warnings) == 1 and "NAs introduced by coercion" in warnings[0], warnings
    text = page.get_text(" ")
    assert "timedatectl" not in text and "eight" in text
    css = Path(__file__).resolve().parents[3] / "scripts/tracksite/theme/assets/tracksite/theme.css"
    assert '.language-warning > pre::before { content: "Warning"; }' in css.read_text()


def test_a_course_made_before_gets_the_warning_blocks_name_in_its_mkdocs_yml(tmp_path):
    """A course whose mkdocs.yml predates ```warning blocks names ```error's alone: pymdownx would
    draw a warning as plain code (no label, counted as code). The import adds the name beside
    error's, keeping the file's other lines. Old: `ensure` had no such setting (a TypeError)."""
    from tracksite.commands.importers.pipeline import courseconfig

    before = (
        "site_name: X\nmarkdown_extensions:\n  - pymdownx.highlight:\n      pygments_lang_class: true\n"
        "      extend_pygments_lang:  # mine\n        - {name: error, lang: text}\n"
        "        - {name: source, lang: text}\n  - pymdownx.superfences\n"
    )
    (tmp_path / "mkdocs.yml").write_text(before)
    notes = courseconfig.ensure(tmp_path, instructor_view=False, extensions=[], warnings=True)
    after = (tmp_path / "mkdocs.yml").read_text()
    assert after == before.replace(
        "        - {name: error, lang: text}\n",
        "        - {name: error, lang: text}\n        - {name: warning, lang: text}\n",
    )
    assert notes == ["mkdocs.yml: ```warning blocks (R's warnings) named beside ```error's in extend_pygments_lang"]
    assert courseconfig.ensure(tmp_path, instructor_view=False, extensions=[], warnings=True) == []
    assert (tmp_path / "mkdocs.yml").read_text() == after


@pytest.mark.usefixtures("r_ready")
def test_verify_and_update_of_an_executed_import_ask_whether_to_run_again(tmp_path, capsys):
    """The output in the pages came from --execute: a later --verify or --update runs the code
    again only when asked, and says so rather than counting every output as lost.
    Old: R ran again by default, unasked."""
    lesson = tmp_path / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: 'Powers'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-powers.Rmd\n")
    (lesson / "episodes/01-powers.Rmd").write_text(
        "---\ntitle: Powers\nteaching: 5\nexercises: 0\n---\n\nPowers of two.\n\n```{r}\n2^(1:5)\n```\n"
    )
    assert import_lesson(tmp_path / "course", lesson, "--execute") == 0
    assert "[1]  2  4  8 16 32" in (tmp_path / "course/lessons/gapminder/powers/lesson.md").read_text()
    again = ["--root", str(tmp_path / "course"), "import", "carpentries", str(lesson), "--track", "gapminder"]
    capsys.readouterr()
    for extra in ("--verify", "--update"):
        assert main([*again, extra]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert "lessons/gapminder was imported with --execute" in err and "Pass --execute to run" in err, err
    assert main([*again, "--verify", "--execute"]) == 0
    assert "verified: the built learner pages of 1 episodes" in capsys.readouterr().out
