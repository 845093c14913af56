"""`/// quiz`: a YAML list of questions (tracksite.core.schema.specs.QUIZ)."""

from __future__ import annotations

from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import INVALID
from tracksite.core.widgets.body import Body, read_body


@dataclass(frozen=True)
class QuizOption:
    text: str
    correct: bool
    explain: str


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    options: tuple[QuizOption, ...]

    @property
    def multiple(self) -> bool:
        return sum(1 for o in self.options if o.correct) > 1


EMPTY = "no questions: expected at least one"


def parse_quiz(body: str) -> tuple[list[QuizQuestion], list[Finding]]:
    value, findings, _ = read_body(body, schema.QUIZ, EMPTY)
    if value is INVALID:
        return [], findings
    return [
        QuizQuestion(q["question"], tuple(QuizOption(o["text"], o["correct"], o["explain"]) for o in q["options"]))
        for q in value
    ], findings


def question_lines(body: str) -> list[int]:
    """The line of each question in the body (1 = its first line), for the checks that point at
    one question (checks/teaching.py); the same read as `parse_quiz`, remembered by text."""
    value, _, lines = read_body(body, schema.QUIZ, EMPTY)
    return [] if value is INVALID else [lines.get((i, "question"), lines.get((i,), 1)) for i in range(len(value))]


def _practice(questions: list[QuizQuestion]) -> list[str]:
    """One item per question: its question, options and explanations together."""
    return ["\n".join([q.question, *(f"{o.text}\n{o.explain}" for o in q.options)]) for q in questions]


BODY = Body(
    W.QUIZ,
    schema.QUIZ,
    lambda body, _: parse_quiz(body),
    tables=(("quiz-question", schema.QUESTION), ("quiz-option", schema.OPTION)),
    practice=_practice,
)
