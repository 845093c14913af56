"""Questions and key points (the Carpentries model): at the top and the foot of a lesson."""

from __future__ import annotations

from bs4 import BeautifulSoup

from support.course import lesson_md, write
from support.sites import run_mkdocs


def test_questions_open_the_lesson_and_key_points_close_it(course):
    extra = (
        "questions:\n  - Why does <b>this</b> matter?\n  - How is it done?\n"
        "keypoints:\n  - First point.\n  - Second point.\n"
    )
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", extra=extra))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((course / "site/alpha/a1/index.html").read_text(), "lxml")
    panel = soup.select_one("#ts-tabpanel")
    sections = [s.get("class")[0] for s in panel.find_all("section", recursive=False)]
    assert sections.index("ts-questions") < sections.index("ts-keypoints")
    questions = [li.get_text() for li in panel.select(".ts-questions li")]
    assert questions == ["Why does <b>this</b> matter?", "How is it done?"]  # escaped, never markup
    assert [li.get_text() for li in panel.select(".ts-keypoints li")] == ["First point.", "Second point."]
    intro = panel.find(lambda t: t.name == "h2" and t.get_text(strip=True).startswith("Introduction"))
    assert intro is not None and intro.find_previous("section", class_="ts-questions") is not None
    assert intro.find_next("section", class_="ts-keypoints") is not None
    overview = BeautifulSoup((course / "site/alpha/a1/overview/index.html").read_text(), "lxml")
    assert overview.select(".ts-questions li") and not overview.select(".ts-keypoints")


def test_lessons_without_the_fields_show_neither_section(fixture_site):
    soup = BeautifulSoup((fixture_site / "alpha/a1/index.html").read_text(), "lxml")
    assert not soup.select(".ts-questions, .ts-keypoints")
