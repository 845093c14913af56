"""Issue 74: whatever `tracksite check` accepts builds, exports and prints without a traceback,
and the battery's last open cases of the commands that change a course.

- `site_name: "\\uD800"` checked clean, then the build stopped in a traceback and `export` with
  exit 70: now a located error of check and build (TS012, the escape's line and column).
- A page that navigates away while `tracksite pdf` prints it stopped the command with exit 70:
  now one line naming the page, exit 1, no file printed in its place.
- `new track --title` with a line break folded the lines into one title without a word: refused
  at the argument. `new lesson --title` with HTML in it was refused as markup: it is text,
  escaped in the starter's Markdown. `rename`, `move` and `new` follow one rule on a course whose
  check fails, said in their help. A user whose cache folder cannot be made checks and makes a
  lesson without it, told so.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from support.course import run_cli
from support.pdfs import need_browser, pdf_command
from support.sites import run_mkdocs
from tracksite.commands.cli import build_parser
from tracksite.core import localstate

# -- a lone surrogate in mkdocs.yml ----------------------------------------------------------------


def test_a_lone_surrogate_in_site_name_is_a_located_error_of_check_and_build(course):
    config = course / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: Fixture course", 'site_name: "A\\uD800"'))
    where = "mkdocs.yml:1:12: [TS012] character U+D800, written as an escape, cannot be written"
    checked = run_cli(course, ["check"])
    assert checked.returncode == 1 and where in checked.stdout, checked.stdout + checked.stderr
    built = run_mkdocs(course)
    said = built.stdout + built.stderr
    assert built.returncode != 0 and where in said and "Traceback" not in said, said[-2000:]
    exported = run_cli(course, ["export", "offline", "--out", str(course / "offline.zip")])
    said = exported.stdout + exported.stderr
    assert exported.returncode == 1 and "Traceback" not in said and "U+D800" in said, said[-2000:]


# -- a page that leaves while it prints --------------------------------------------------------------


@pytest.mark.browser
def test_a_page_that_navigates_away_stops_pdf_with_one_line(course, chromium):
    need_browser()
    assert run_mkdocs(course).returncode == 0
    page = course / "site/alpha/a1/cheatsheet/index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<h2", '<meta http-equiv="refresh" content="0;url=../../../">\n<h2', 1))
    out = course / "pdf"
    result = pdf_command(course, "alpha", "--no-build", "--no-exercises", "--out", str(out), browser=chromium)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "alpha/a1/cheatsheet/ left its address while it was printed" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- the battery's open cases --------------------------------------------------------------------------


def test_a_title_with_a_line_break_is_refused_at_the_argument(course):
    result = run_cli(course, ["new", "track", "gamma", "--number", "3", "--title", "Line one\nLine two"])
    assert result.returncode != 0
    assert "--title holds a line break; it is one line of text" in result.stderr, result.stderr
    assert not (course / "lessons/gamma").exists()
    result = run_cli(course, ["new", "lesson", "alpha", "a4", "--title", "Fourth", "--summary", "One.\r\nTwo."])
    assert result.returncode != 0 and "--summary holds a line break" in result.stderr
    assert run_cli(course, ["new", "lesson", "alpha", "a4", "--title", "Fourth  lesson\n"]).returncode == 0


def test_a_title_with_html_is_text_escaped_in_the_new_lesson(course):
    title = "Using <script> & <b>tags</b> | $5 *now*"
    result = run_cli(course, ["new", "lesson", "alpha", "a4", "--title", title])
    assert result.returncode == 0, result.stdout + result.stderr
    lesson = (course / "lessons/alpha/a4/lesson.md").read_text(encoding="utf-8")
    prose = lesson.split("---", 2)[2].split("/// flashcards")[0]  # (a flashcard's term is text)
    assert "<script>" not in prose
    assert "Explain using &lt;script&gt; &amp; &lt;b&gt;tags&lt;/b&gt; \\| \\$5 \\*now\\*" in prose, prose
    # a draft is built by --drafts: its page and cheatsheet show the title as the text it is
    built = run_cli(course, ["build", "--drafts"])
    assert built.returncode == 0, built.stdout + built.stderr
    for page in ("alpha/a4/index.html", "alpha/a4/cheatsheet/index.html"):
        published = (course / "site" / page).read_text(encoding="utf-8")
        article = published.split('<article class="md-content__inner', 1)[1].split("</article>")[0]
        assert "<script>" not in article and "<b>" not in article
        assert "using &lt;script&gt; &amp; &lt;b&gt;tags&lt;/b&gt; | $5 *now*" in article, article


def test_commands_that_change_a_course_follow_one_rule_said_in_their_help(course):
    lesson = course / "lessons/beta/b1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nSee [x](lesson:nowhere).\n", encoding="utf-8")
    assert run_cli(course, ["check"]).returncode == 1
    note = "note: the course still has the 1 error it had before this change, which added none"
    for args in (
        ["new", "lesson", "alpha", "a4", "--title", "Fourth"],
        ["move", "alpha", "a1", "--after", "a2"],
        ["rename", "alpha", "a3", "a3b"],
    ):
        result = run_cli(course, args)
        assert result.returncode == 0 and note in result.stdout, (args, result.stdout, result.stderr)
    for command in (["new", "track"], ["new", "lesson"], ["move"], ["rename"]):
        text = " ".join(_help(command).split())
        assert "a change that would add an error to `tracksite check` is undone" in text, command
        assert "Errors the course already had are not the change's" in text, command


def _help(command: list[str]) -> str:
    parser = build_parser([*command, "--help"])
    action = next(a for a in parser._actions if a.choices and command[0] in a.choices)  # type: ignore[operator]
    sub = action.choices[command[0]]
    if len(command) > 1:
        inner = next(a for a in sub._actions if a.choices and command[1] in a.choices)
        sub = inner.choices[command[1]]
    return sub.format_help()


def test_without_a_cache_folder_check_and_new_lesson_work_and_say_so(course, monkeypatch, tmp_path):
    """A home whose cache folder cannot be made: the making of any folder under it is refused
    with "permission denied", as for a user without write access (the tests run as root)."""
    monkeypatch.setenv(localstate.ENV, str(tmp_path / "readonly" / "cache"))
    refused = str(tmp_path / "readonly")

    def no_mkdir(real):
        def mkdir(path, *args, **kwargs):
            if str(path).startswith(refused):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        return mkdir

    monkeypatch.setattr(os, "mkdir", no_mkdir(os.mkdir))
    monkeypatch.setattr(pathlib.Path, "mkdir", no_mkdir(pathlib.Path.mkdir))
    checked = run_cli(course, ["check"])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "note: checked without a cache: the state folder" in checked.stderr
    made = run_cli(course, ["new", "lesson", "alpha", "a4", "--title", "Fourth"])
    assert made.returncode == 0, made.stdout + made.stderr
    assert (course / "lessons/alpha/a4/lesson.md").is_file()
    assert "note: the change is made without a journal" in made.stderr
    assert not (tmp_path / "readonly").exists()
