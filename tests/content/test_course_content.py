"""The bundled course as a learner meets it: complete, reachable, honest about its times."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from support.course import REPO, load
from support.harness import page
from tracksite.core.learning.coverage import covers
from tracksite.core.learning.readingtime import estimate
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.quiz.body import parse_quiz

PROJECT = load(REPO)
LESSONS = list(PROJECT.curriculum.all_lessons())
TRACKS = {t.slug: t for t in PROJECT.curriculum.tracks}


def test_bundled_course_has_no_problems():
    assert [p.text() for p in PROJECT.problems.items] == []


def test_tracks_and_lesson_counts():
    assert {s: (t.number, len(PROJECT.curriculum.lessons_of(s))) for s, t in TRACKS.items()} == {
        "deep-learning-survey": (4, 10),
        "transformers-and-llms": (5, 7),
    }
    t4 = [l.slug for l in PROJECT.curriculum.lessons_of("deep-learning-survey")]
    assert t4[2:4] == ["attention-and-transformers", "convolutions"]
    assert PROJECT.curriculum.lessons_of("transformers-and-llms")[2].slug == "attention-mechanism"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.key)
def test_lesson_size_time_and_practice(lesson):
    doc = PROJECT.document(f"{lesson.key}/index.md")
    reading = estimate(doc.body)
    # issue 71: a lesson that trains a model and teaches its optimisers, or holds the dated table, runs to 2,500
    assert 500 <= reading.words <= 2500, f"{lesson.key}: {reading.words} words of prose"
    assert abs(lesson.read - reading.minutes) <= 0.3 * reading.minutes, reading.describe()
    practice = doc.body.split("## Practice", 1)
    assert len(practice) == 2, f"{lesson.key} has no ## Practice section"
    assert re.search(r"(?m)^/{3,}\s*exercise\b", practice[1]) and re.search(r"(?m)^/{3,}\s*solution\b", practice[1])
    assert re.search(r"(?m)^/{3,}\s*(quiz|flashcards)\b", practice[1])
    assert re.search(r"!\[[^\]]+\]\([^)]+\.svg\)|^\|.*\|\s*$", doc.body, re.M), "no figure or table"
    for text in (
        doc.body,
        PROJECT.document(f"{lesson.key}/overview.md").body,
        PROJECT.document(f"{lesson.key}/cheatsheet.md").body,
    ):
        assert not re.search(r"lorem|coming soon|\bTODO\b|\bTBD\b", text, re.I)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.key)
def test_every_objective_is_practised_by_a_quiz_or_an_exercise(lesson):
    """Flashcards alone do not count: each objective needs a quiz question or an exercise that
    touches it (the same word rule `tracksite check` applies, with exercises in place of cards)."""
    doc = PROJECT.document(f"{lesson.key}/index.md")
    blocks, _ = find_blocks(doc.body, doc.body_line)
    items = []
    for block in iter_blocks(blocks):
        if block.name == "quiz":
            items += [
                "\n".join([q.question] + [f"{o.text}\n{o.explain}" for o in q.options])
                for q in parse_quiz(block.body)[0]
            ]
        elif block.name == "exercise" or block.name == "runnable" and "tests:" in block.body:
            items.append(block.body)  # a runnable block with tests is a checked exercise
    assert [o for o in lesson.objectives if not covers(o, items)] == []


def test_questions_and_key_points_everywhere():
    for lesson in LESSONS:
        meta = PROJECT.document(f"{lesson.key}/index.md").meta.value
        assert meta.get("questions") and meta.get("keypoints"), lesson.key
    assert len(PROJECT.curriculum.lesson("transformers-and-llms/attention-mechanism").objectives) <= 5


def test_cross_track_links_both_ways():
    brief = PROJECT.curriculum.lesson("deep-learning-survey/attention-and-transformers")
    assert "transformers-and-llms/attention-mechanism" in brief.deep_dives
    deep = PROJECT.curriculum.lesson("transformers-and-llms/attention-mechanism")
    assert brief in PROJECT.curriculum.backlinks(deep)


def test_own_words():
    tool = REPO.parent / "shared" / "tools" / "seed_overlap.py"
    if not tool.is_file():
        pytest.skip("shared/ is not beside the checkout")
    result = subprocess.run([sys.executable, str(tool), str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_lesson_numbers_in_headers(built_site):
    def where(url):
        return " ".join(page(built_site, url).select_one(".ts-lesson-header__where").get_text(" ", strip=True).split())

    assert (
        where("deep-learning-survey/attention-and-transformers")
        == "Track 4 · Phase 1: Foundations and sequences · Lesson 3 of 10"
    )
    assert where("transformers-and-llms/attention-mechanism").endswith("Lesson 3 of 7")


def test_track_pages_list_every_lesson(built_site):
    for slug in TRACKS:
        listed = [li["data-lesson"] for li in page(built_site, slug).select(".ts-lessons__item")]
        assert listed == [l.key for l in PROJECT.curriculum.lessons_of(slug)]


def test_every_page_reachable_from_home(built_site):
    """Crawl links from the home page; every built HTML page (but 404 and the stubs a renamed
    lesson leaves at its old address, which only old bookmarks reach) must be reached."""
    pages = {
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    } - {"404.html"}
    seen, todo = set(), ["index.html"]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        soup = BeautifulSoup((built_site / current).read_text(encoding="utf-8"), "lxml")
        for a in soup.select("a[href]"):
            target = urlparse(urljoin("http://x/" + current, a["href"]))
            if target.netloc != "x":
                continue
            path = target.path.lstrip("/")
            path = path + "index.html" if path.endswith("/") or path == "" else path
            if path.endswith(".html") and (built_site / path).is_file():
                todo.append(path)
    assert pages - seen == set()


def test_math_is_mathml_and_no_tex_left(built_site):
    soup = page(built_site, "transformers-and-llms/attention-mechanism")
    assert soup.select("math"), "no MathML on the attention lesson"
    assert not soup.select(".arithmatex")


DATED = re.compile(r"\bas of (?:early |mid-|late )?20\d\d\b|\bcurrently\b|\bthe largest\b", re.I)
DATED_PLACE = ("lessons/deep-learning-survey/limits-and-frontiers/lesson.md", "## The state of the field")


def course_texts() -> dict[str, str]:
    files = [*REPO.glob("lessons/*/*/*.md"), *REPO.glob("cheatsheets/*/*.md"), *REPO.glob("lessons/*/*.yml")]
    return {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in files}


def single_and_multi_questions():
    single, multi = [], []
    for lesson in LESSONS:
        doc = PROJECT.document(f"{lesson.key}/index.md")
        blocks, _ = find_blocks(doc.body, doc.body_line)
        for block in iter_blocks(blocks):
            if block.name == "quiz":
                for q in parse_quiz(block.body)[0]:
                    (single if sum(o.correct for o in q.options) == 1 else multi).append((lesson.key, q))
    return single, multi


def test_quizzes_do_not_give_their_answers_away():
    """A learner who always picks the longest (or the shortest) option must not score well, and a
    "choose all" item with nearly every option correct tests nothing: each has two wrong options or more."""
    single, multi = single_and_multi_questions()

    def right_length(q, pick) -> bool:
        return len(next(o for o in q.options if o.correct).text) == pick(len(o.text) for o in q.options)

    longest = [(k, q.question) for k, q in single if right_length(q, max)]
    shortest = [(k, q.question) for k, q in single if right_length(q, min)]
    assert len(single) >= 90
    assert len(longest) <= 0.45 * len(single), f"the correct option is the longest in {len(longest)} of {len(single)}"
    assert len(shortest) <= 0.45 * len(single), (
        f"the correct option is the shortest in {len(shortest)} of {len(single)}"
    )
    assert [(k, q.question) for k, q in multi if sum(not o.correct for o in q.options) < 2] == []


def test_dated_phrases_live_in_the_state_of_the_field_only():
    """Snapshots that age ("as of 2026", "currently", "the largest") are kept in one section that the
    other lessons link to, so a yearly update touches one place."""
    outside = []
    for path, text in course_texts().items():
        if path == DATED_PLACE[0]:
            start = text.index(DATED_PLACE[1])
            end = text.find("\n## ", start + 1)
            text = text[:start] + text[end:]
        outside += [f"{path}: {m[0]!r}" for m in DATED.finditer(text)]
    assert outside == []
    section = course_texts()[DATED_PLACE[0]].split(DATED_PLACE[1], 1)[1].split("\n## ", 1)[0]
    assert DATED.search(section), "the state of the field no longer says when it was written"
    linked = [p for p, t in course_texts().items() if "#the-state-of-the-field" in t]
    assert len(linked) >= 4, linked


def test_home_page_names_only_what_the_course_has(built_site):
    start = page(built_site, "").select_one(".ts-start")
    assert start.select_one("#ts-start-needs").get_text(strip=True) == "What you need:"
    needs = [" ".join(li.get_text(" ", strip=True).split()) for li in start.select("ul.ts-start__needs > li")]
    assert not any("basics track" in need or "Track " in need for need in needs), needs
    assert [need.split(":")[0].split(" (")[0] for need in needs] == ["A web browser", "the basics of neural networks"]
