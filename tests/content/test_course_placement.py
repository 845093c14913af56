"""Placement and definitions the specialist review of issue 86 asked for, read from the lessons.

Each test reads the lesson text as a learner meets it: which `##` section holds an exercise,
whether the prose, the exercise, the flashcard and the cheatsheet define a term alike, and
whether a practice widget asks about a topic the lesson teaches.
"""

from __future__ import annotations

import re

from support.course import REPO
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.quiz.body import parse_quiz

LESSONS = REPO / "lessons"


def section_of(slug: str, needle: str) -> str:
    """The `##` heading under which `needle` first appears in a lesson."""
    text = (LESSONS / slug / "lesson.md").read_text(encoding="utf-8")
    at = text.index(needle)
    headings = re.findall(r"^## (.+)$", text[:at], re.M)
    return headings[-1]


def widget_texts(slug: str, name: str) -> list[str]:
    text = (LESSONS / slug / "lesson.md").read_text(encoding="utf-8")
    blocks, _ = find_blocks(text, 1)
    return ["\n".join(b.body_lines) for b in iter_blocks(blocks) if b.name == name]


def test_the_few_shot_exercise_sits_with_prompting():
    assert section_of("transformers-and-llms/using-llms", "/// runnable | Write a few-shot prompt") == (
        "Prompting and in-context learning"
    )


def test_one_sliding_window_definition_across_prose_exercise_flashcard_and_cheatsheet():
    """A window of w holds the token itself and the w - 1 before it, everywhere it is defined."""
    lesson = (LESSONS / "transformers-and-llms/scaling-and-context/lesson.md").read_text(encoding="utf-8")
    prose = re.search(r"^- \*\*Sliding-window attention\*\*(.+)$", lesson, re.M)
    assert prose and "itself and the $w - 1$ just before it" in prose.group(1)
    assert "itself and the w - 1 positions just before it" in lesson  # the exercise's own comment
    assert "return [[i - w < j <= i for j in range(n)] for i in range(n)]" in lesson  # and its solution
    card = re.search(r"term: Sliding-window attention\n\s+answer: (.+)", lesson)
    assert card and "itself and the w - 1 before it" in card.group(1)
    assert "previous $w$ tokens" not in lesson and "fixed number of recent tokens" not in lesson
    sheet = (REPO / "cheatsheets/transformers-and-llms/scaling-and-context.md").read_text(encoding="utf-8")
    assert "itself and the $w - 1$ tokens before it" in sheet and "the last $w$ tokens" not in sheet


def test_the_rope_lesson_names_both_pair_layouts():
    lesson = (LESSONS / "transformers-and-llms/positional-encoding/lesson.md").read_text(encoding="utf-8")
    paragraph = next(p for p in lesson.split("\n\n") if "rotate_half" in p)
    assert "Hugging Face" in paragraph and "$i + d/2$" in paragraph and "$2i + 1$" in paragraph


def test_backprop_and_the_optimisers_have_quiz_questions_and_flashcards():
    slug = "deep-learning-survey/deep-learning-era"
    questions = [q for body in widget_texts(slug, "quiz") for q in parse_quiz(body + "\n")[0]]
    asked = " ".join(q.question for q in questions)
    for topic in ("backward", "gradient back to zero", "Adam", "AdamW", "momentum"):
        assert topic in asked, topic
    cards = " ".join(widget_texts(slug, "flashcards"))
    for term in ("term: Backpropagation", "term: Reverse topological order", "term: Momentum", "term: Adam\n"):
        assert term in cards + "\n", term
    assert "term: AdamW's decoupled weight decay" in cards
