"""Fixtures the browser tests share (beside those of tests/conftest.py)."""

from __future__ import annotations

import pytest

from support.widget_pages import WIDGETS, pages_with


@pytest.fixture(scope="module")
def lesson_url(built_site) -> str:
    """A lesson page (it has the "Mark lesson complete" widget) with every widget: the
    attention lesson today; else the lesson with the most kinds of widget."""
    lessons = set(pages_with(built_site, "progress"))
    counts = {}
    for widget in WIDGETS:
        for url in pages_with(built_site, widget):
            if url in lessons:
                counts[url] = counts.get(url, 0) + 1
    assert counts, "no lesson page of the built site has a widget"
    return max(sorted(counts), key=lambda url: counts[url])
