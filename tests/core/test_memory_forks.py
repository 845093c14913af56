"""What a forked helper copies and keeps (issue 57): every page of memory the build holds when it
forks counts again in the helper, so the build lets go of what its pages no longer need (the
sources' texts, core/sources.py `forget`) and a helper keeps only a page's worth of its own
remembered results, looking up the build's without changing them (core/memo.py `inherit`)."""

from __future__ import annotations

import os

import pytest

from support import harness
from support.course import make_course, override
from tracksite.core import forked, memo, sources


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a helper is a forked copy of the build")
def test_a_helper_reads_the_builds_remembered_results_and_keeps_few_of_its_own():
    memo.limit()
    memo.memo(("test-inherit", 1), lambda: "the build's")
    helper = forked.start(_in_helper)
    if helper is None:  # (threads here, no fork: test_parallel.py forks)
        pytest.skip("no helper can be forked while other threads run")
    found, own, inherited = helper.result()
    assert found == "the build's"  # looked up, not worked out again
    assert 0 < own <= memo.HELPER_MAX  # (the helper's own: a few pages' at a time)
    assert inherited  # the build's results were still there at the end
    # the build's own memory is as it was
    assert memo.memo(("test-inherit", 1), lambda: "again") == "the build's"
    assert memo.memo(("test-inherit-own", 0), lambda: "the build's own") == "the build's own"


def _in_helper() -> tuple[str, int, bool]:
    found = memo.memo(("test-inherit", 1), lambda: "worked out again")
    for i in range(3 * memo.HELPER_MAX):
        memo.memo(("test-inherit-own", i), lambda i=i: i)
    again = memo.memo(("test-inherit", 1), lambda: "worked out again")
    return found, len(memo.current().results), again == "the build's"


def test_forgotten_texts_are_read_again_from_the_disk(tmp_path, monkeypatch):
    path = tmp_path / "lesson.md"
    path.write_text("# One\n", encoding="utf-8")
    monkeypatch.setattr(sources, "RACY_NS", -1)  # (written just now: remembered all the same)
    assert sources.read_text(path) == "# One\n" and path in memo.current().owned("sources.texts", dict)
    sources.forget()
    assert path not in memo.current().owned("sources.texts", dict)
    assert sources.read_text(path) == "# One\n"


def test_a_template_that_reads_a_pages_markdown_still_gets_it(tmp_path):
    """`mkdocs build` lets a page's Markdown go once it is converted (adapter/caches/parallel.py,
    17 MB at 1,000 lessons) only where nothing reads it then: a course template that shows
    `page.markdown` (a reading time, say) gets the page's text as `mkdocs serve` gives it."""
    root = make_course(tmp_path / "course")
    pager = override(root, "partials/lesson-pager.html")
    pager.write_text(pager.read_text() + '<p class="ts-test-words">{{ page.markdown | wordcount }}</p>\n')
    result = harness.mkdocs(root, site=tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site" / "alpha" / "a1" / "index.html").read_text(encoding="utf-8")
    words = page.split('<p class="ts-test-words">')[1].split("<")[0]
    assert int(words) > 20, words
