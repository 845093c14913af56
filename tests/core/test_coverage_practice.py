"""Practice for every objective: track.yml's `practice: required` turns an unpractised objective
into an error that fails `tracksite check`, and the bundled course meets the rule, with at least
three options in every quiz question."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from support.course import REPO, lesson_md, load, make_course, write
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.quiz.body import parse_quiz

check = load

A1 = "lessons/alpha/a1/lesson.md"

QUIZ = """
/// quiz
- question: Which way does the thing go?
  options:
    - text: Round the thing, clockwise.
      correct: true
      explain: Doing the thing means going round it.
    - text: Straight through.
      explain: That skips the thing.
    - text: Nowhere.
      explain: Then the thing is not done.
///
"""

EXERCISE = """
//// exercise | Do it
Do the thing once by hand.

/// solution
Round the thing, clockwise.
///
////
"""

CARDS = """
/// flashcards
- term: The thing
  answer: What to do, round and clockwise.
///
"""


def coverage(root: Path):
    """The objective problems of a course, as `tracksite check` reports them."""
    project = check(root)
    return [p for p in project.problems.items if p.field and p.field.startswith("objectives")]


def require_practice(root: Path) -> None:
    track = root / "lessons/alpha/track.yml"
    track.write_text(track.read_text() + "practice: required\n")


def with_practice(root: Path, rel: str, practice: str) -> None:
    write(
        root,
        rel,
        lesson_md(
            "First lesson", body="## Introduction\n\n" + "Words to read here. " * 40 + "\n\n## Practice\n" + practice
        ),
    )


def cli_check(root: Path) -> int:
    from tracksite.commands.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["--root", str(root), "check", "--errors-only"])


def test_by_default_an_unpractised_objective_is_a_warning(tmp_path):
    root = make_course(tmp_path / "course")
    found = coverage(root)
    assert {p.path for p in found} >= {A1} and {p.severity for p in found} == {"warning"}
    assert cli_check(root) == 0


def test_required_practice_makes_it_an_error_that_fails_check(tmp_path):
    root = make_course(tmp_path / "course")
    require_practice(root)
    found = coverage(root)
    errors = {p.path for p in found if p.severity == "error"}
    assert errors == {f"lessons/alpha/{s}/lesson.md" for s in ("a1", "a2", "a3")}
    # the other track keeps the default: warnings
    assert {p.severity for p in found if "/beta/" in p.path} == {"warning"}
    one = next(p for p in found if p.path == A1)
    assert (one.line, one.field) == (4, "objectives")
    assert "no quiz or exercise" in one.message and "//// exercise" in (one.hint or "")
    assert cli_check(root) != 0


@pytest.mark.parametrize("practice", [QUIZ, EXERCISE], ids=["quiz", "exercise"])
def test_a_quiz_question_or_an_exercise_practises_an_objective(tmp_path, practice):
    root = make_course(tmp_path / "course")
    require_practice(root)
    with_practice(root, A1, practice)
    assert [p.text() for p in coverage(root) if p.path == A1] == []


def test_a_flashcard_counts_only_as_a_suggestion(tmp_path):
    root = make_course(tmp_path / "course")
    with_practice(root, A1, CARDS)
    assert [p for p in coverage(root) if p.path == A1] == []
    require_practice(root)
    [problem] = [p for p in coverage(root) if p.path == A1]
    assert problem.severity == "error" and "no quiz or exercise" in problem.message


def test_a_quiz_on_something_else_leaves_the_objective_unpractised(tmp_path):
    root = make_course(tmp_path / "course")
    require_practice(root)
    with_practice(
        root,
        A1,
        QUIZ.replace("the thing", "the weather")
        .replace("The thing", "The weather")
        .replace("Doing the thing", "Weather"),
    )
    [problem] = [p for p in coverage(root) if p.path == A1]
    assert problem.severity == "error" and problem.field == "objectives[0]"
    assert problem.message == "objective 'do the thing' is not practised by any quiz question or exercise"


def test_a_misspelt_setting_is_reported_with_a_suggestion(tmp_path):
    root = make_course(tmp_path / "course")
    track = root / "lessons/alpha/track.yml"
    track.write_text(track.read_text() + "practice: requird\n")
    project = load(root)
    [problem] = [p for p in project.problems.errors if p.field == "practice"]
    assert "did you mean 'required'" in (problem.hint or "")


PROJECT = load(REPO)


def test_the_bundled_course_requires_practice_and_meets_it():
    tracks = {t.slug: t.practice for t in PROJECT.curriculum.tracks}
    assert tracks == {"deep-learning-survey": "required", "transformers-and-llms": "required"}
    project = check(REPO)
    assert [p.text() for p in project.problems.items if p.field and p.field.startswith("objectives")] == []


@pytest.mark.parametrize("lesson", list(PROJECT.curriculum.all_lessons()), ids=lambda l: l.key)
def test_every_quiz_question_has_three_options_each_explained(lesson):
    doc = PROJECT.document(f"{lesson.key}/index.md")
    blocks, _ = find_blocks(doc.body, doc.body_line)
    short = []
    for block in iter_blocks(blocks):
        if block.name == "quiz":
            questions, problems = parse_quiz(block.body)
            assert problems == [], f"{lesson.key}: quiz at line {block.line}: {problems}"
            short += [
                q.question for q in questions if len(q.options) < 3 or not all(o.explain.strip() for o in q.options)
            ]
    assert short == [], f"{lesson.key}: questions with fewer than three explained options"
