"""One test per validation error: the problem names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.course import lesson_md, load, write


def problems(root: Path, *, errors_only: bool = True):
    project = load(root)
    return project.problems.errors if errors_only else project.problems.items


def only(root: Path, needle: str):
    found = [p for p in problems(root) if needle in p.message]
    assert found, f"no problem mentioning {needle!r}; got: {[p.text() for p in problems(root)]}"
    return found[0]


def test_fixture_course_is_clean(course):
    assert [p.text() for p in problems(course)] == []


def set_front(course: Path, rel: str, old: str, new: str) -> None:
    path = course / rel
    path.write_text(path.read_text().replace(old, new, 1))


A1 = "lessons/alpha/a1/lesson.md"


def test_yaml_syntax_error_has_line(course):
    set_front(course, A1, "difficulty: standard", "difficulty: [standard")
    p = only(course, "YAML syntax error")
    assert (p.path, p.line) == (A1, 10)


def test_missing_required_field(course):
    set_front(course, A1, "summary: A lesson for the tests.\n", "")
    p = only(course, "missing required key 'summary'")
    assert p.path == A1 and p.line == 2


def test_wrong_type(course):
    set_front(course, A1, "read: 1", "read: soon")
    p = only(course, "expected a whole number of minutes")
    assert (p.path, p.line, p.field) == (A1, 7, "time.read")


def test_non_positive_time(course):
    set_front(course, A1, "practice: 5", "practice: 0")
    p = only(course, "out of range")
    assert (p.line, p.field) == (8, "time.practice")


def test_unknown_key_suggests_the_right_one(course):
    set_front(course, A1, "summary:", "sumary:")
    p = only(course, "unknown key 'sumary'")
    assert (p.path, p.line, p.field) == (A1, 3, "sumary")
    assert p.hint == "did you mean 'summary'?"


def test_enum_value(course):
    set_front(course, A1, "difficulty: standard", "difficulty: hard")
    p = only(course, "'hard' is not allowed")
    assert (p.line, p.field) == (9, "difficulty")
    assert "intro, standard, advanced" in p.message


def test_objectives_need_one(course):
    set_front(course, A1, "objectives:\n  - do the thing\n", "objectives: []\n")
    p = only(course, "needs at least 1 item")
    assert (p.line, p.field) == (4, "objectives")


def test_slug_without_folder(course):
    set_front(course, "lessons/alpha/track.yml", "lessons: [a1, a2]", "lessons: [a1, a2, a9]")
    p = only(course, "'a9' is listed but")
    assert (p.path, p.line) == ("lessons/alpha/track.yml", 6)


def test_folder_not_in_track(course):
    write(course, "lessons/alpha/stray/lesson.md", lesson_md("Stray"))
    p = only(course, "lesson folder 'stray' is not listed")
    assert p.path == "lessons/alpha/stray"


def test_duplicate_slug(course):
    set_front(course, "lessons/alpha/track.yml", "      - a3", "      - a3\n      - a1")
    p = only(course, "listed twice")
    assert (p.path, p.line) == ("lessons/alpha/track.yml", 10)


def test_duplicate_track_number(course):
    set_front(course, "lessons/beta/track.yml", "number: 2", "number: 1")
    p = only(course, "track number 1 is already used")
    assert (p.path, p.line, p.field) == ("lessons/beta/track.yml", 1, "number")


def test_duplicate_yaml_key(course):
    set_front(course, A1, "math: none", "math: none\nmath: heavy")
    p = only(course, "duplicate key 'math'")
    assert (p.path, p.line) == (A1, 11)


def test_unresolved_prerequisite(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "lesson: a1", "lesson: a7")
    p = only(course, "no lesson 'a7'")
    assert (p.path, p.line, p.field) == ("lessons/alpha/a2/lesson.md", 12, "prerequisites[0].lesson")


def test_unresolved_deep_dive(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "  - beta/b2", "  - beta/b3")
    p = only(course, "no lesson 'b3' in track 'beta'")
    assert (p.line, p.field) == (15, "deep_dives[0]")


def test_a_glossary_link_names_a_term_of_the_track(course):
    """`glossary:term` points at the term on the track's glossary page: an unknown term is an
    error with its line, a known one passes (issue 38: imported glossary links)."""
    write(
        course,
        "lessons/alpha/glossary.yml",
        "terms:\n  - term: Pull request\n    definition: A change offered for review.\n    lesson: a2\n",
    )
    set_front(
        course,
        "lessons/alpha/a2/lesson.md",
        "[the track](track:beta)",
        "[a pull request](glossary:pull-request), [another](glossary:alpha/pull-request) and [x](glossary:nope)",
    )
    p = only(course, "broken link 'glossary:nope'")
    assert (p.path, p.code, p.severity) == ("lessons/alpha/a2/lesson.md", "TS301", "error")
    assert "no term 'nope' in lessons/alpha/glossary.yml (terms: pull-request)" in p.message
    assert [q.text() for q in problems(course) if "glossary:" in q.message] == [p.text()]


def test_unresolved_inline_reference(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "(overview:beta/b2)", "(overview:beta/nope)")
    p = only(course, "broken link 'overview:beta/nope'")
    assert (p.path, p.line) == ("lessons/alpha/a2/lesson.md", 20)


def test_unresolved_anchor(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "#deep-section", "#deep-sektion")
    p = only(course, "no heading with anchor #deep-sektion")
    assert (p.path, p.line) == ("lessons/alpha/a2/lesson.md", 20)
    assert p.hint == "did you mean 'deep-section'?"


def test_cheatsheet_without_lesson(course):
    write(course, "cheatsheets/alpha/a4.md", "## Orphan\n")
    p = only(course, "cheatsheet has no lesson")
    assert p.path == "cheatsheets/alpha/a4.md"


def test_published_lesson_without_cheatsheet(course):
    (course / "cheatsheets/alpha/a3.md").unlink()
    p = only(course, "has no cheatsheet")
    assert p.path == "cheatsheets/alpha/a3.md"


def test_published_lesson_without_overview(course):
    (course / "lessons/alpha/a3/overview.md").unlink()
    p = only(course, "has no overview")
    assert p.path == "lessons/alpha/a3/overview.md"


def test_draft_may_lack_overview_and_cheatsheet(course):
    write(course, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson", status="draft"))
    (course / "lessons/alpha/a3/overview.md").unlink()
    (course / "cheatsheets/alpha/a3.md").unlink()
    assert problems(course) == []


def test_missing_image(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "diagram.svg", "diagramm.svg")
    p = only(course, "image 'diagramm.svg' not found")
    assert (p.path, p.line) == ("lessons/alpha/a2/lesson.md", 22)


def test_javascript_url_rejected(course):
    set_front(course, "lessons/alpha/a2/lesson.md", "(track:beta)", "(javascript:alert(1))")
    p = only(course, "javascript: URL")
    assert p.line == 20


def test_all_problems_reported_at_once(course):
    set_front(course, A1, "difficulty: standard", "difficulty: hard")
    set_front(course, "lessons/beta/b1/lesson.md", "summary:", "sumary:")
    (course / "cheatsheets/alpha/a3.md").unlink()
    paths = {p.path for p in problems(course)}
    assert {A1, "lessons/beta/b1/lesson.md", "cheatsheets/alpha/a3.md"} <= paths


def test_reading_time_warning(course):
    set_front(course, A1, "read: 1", "read: 9")
    warnings = [p for p in problems(course, errors_only=False) if p.severity == "warning"]
    assert any(p.field == "time.read" and p.line == 7 for p in warnings)


@pytest.mark.parametrize("vague", ["here", "this link"])
def test_vague_link_text_warning(course, vague):
    set_front(course, "lessons/alpha/a2/lesson.md", "[the track]", f"[{vague}]")
    warnings = [p for p in problems(course, errors_only=False) if p.severity == "warning"]
    assert any("does not say where it goes" in p.message and p.line == 20 for p in warnings)
