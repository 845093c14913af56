"""The search's marks (`data-search-*`) count only where tracksite's templates write them
(issue 39): a page's own text cannot retitle its result, add a filter, move the indexed part or
weigh it. `tracksite check` refuses the marks at their line; a build whose check was skipped
renames them out of the way; a bad weight never breaks the build; a `summary:` that mentions a
mark is text. Each case is read back from the built site's search index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.course import lesson_md, run_cli, write
from support.search_index import filters, fragments
from tracksite.core.checks import rawhtml
from tracksite.search import page as searchpage

FORGED = (
    '<span data-search-meta="title">Forged title</span> and '
    '<span data-search-filter="track">Forged track</span>\n\n'
    '<p data-search-weight="nan">Weighed words.</p>\n\n'
    "Heavy paragraph.\n{: data-search-weight=inf }\n\n"
    "<div data-search-body>Moved.</div>\n"
)


def forge(course: Path) -> list[str]:
    """The lesson a1 with every forged mark; returns its lines."""
    body = "## Start\n\n" + "Words to read here. " * 40 + "\n\n" + FORGED
    text = lesson_md("First lesson", body=body)
    write(course, "lessons/alpha/a1/lesson.md", text)
    return text.splitlines()


def test_forged_marks_fail_check_at_their_lines(course):
    lines = forge(course)
    result = run_cli(course, ["check"])
    assert result.returncode == 1
    found = [line for line in result.stdout.splitlines() if "[TS520]" in line]
    expected = {(n + 1, name) for n, line in enumerate(lines) for name in rawhtml.TEMPLATE_MARKS if name in line}
    assert len(expected) == 5
    for n, name in expected:
        column = lines[n - 1].index(name) + 1
        assert any(f"lessons/alpha/a1/lesson.md:{n}:{column}: [TS520] {name}=" in line for line in found), found
    assert "Traceback" not in result.stderr


def build_without_check(course: Path) -> subprocess.CompletedProcess:
    """`mkdocs build` with the page-content check switched off, as if a contributor's page had
    slipped past it: what the build itself does with the marks."""
    patch = (
        "import tracksite.core.checks.content as c; c._active_content = lambda *a, **k: []\n"
        "import sys; from mkdocs.__main__ import cli\n"
        "sys.exit(cli(['build', '--strict'], standalone_mode=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", patch],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_a_build_honours_only_the_templates_marks(course):
    forge(course)
    result = build_without_check(course)
    assert result.returncode == 0, result.stderr[-3000:]  # `nan` ended the build with exit 70
    site = course / "site"
    page = fragments(site)["/alpha/a1/"]
    assert page["meta"]["title"] == "First lesson"
    assert not [value for values in filters(site).values() for value in values if "Forged" in value]
    text = " ".join(t for _a, _h, t in page["sections"])
    assert "Weighed words" in text and "Moved" in text and "Words to read here" in text
    assert "Forged title" in text  # the span's words stay the page's own text


def test_a_summary_that_mentions_the_body_mark_is_text(course):
    """A `summary:` holding `data-search-body` (printed in the head's description) moved the
    indexed part's start into the head, and the navigation's words into the lesson's result."""
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md("First lesson", summary='"Marks such as data-search-body stay text"'),
    )
    result = run_cli(course, ["build"])
    assert result.returncode == 0, result.stderr[-3000:]
    page = fragments(course / "site")["/alpha/a1/"]
    text = " ".join(t for _a, _h, t in page["sections"])
    assert "Words to read here" in text
    assert "Beta two" not in text and "Skip to content" not in text, text[:300]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-3", "1e400", "x"])
def test_a_bad_weight_counts_as_one(value):
    page = searchpage.read_page(
        f'<div data-search-body data-search-weight="{value}"><p data-search-weight="{value}">softmax</p></div>', "/x/"
    )
    assert page is not None and page.weight == 1.0 and page.words["softmax"] == 1.0


def test_forged_marks_in_content_are_renamed_and_template_marks_kept():
    content = (
        '<p data-search-meta="title" class="x">A</p><p>data-search-meta in prose</p><span data-search-ignore>B</span>'
    )
    out = searchpage.unmarked(content)
    assert 'data-unmarked-meta="title"' in out and "data-search-meta in prose" in out and "data-search-ignore" in out
    assert "data-search-meta=" not in out
