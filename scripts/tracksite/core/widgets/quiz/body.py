"""`/// quiz`: a YAML list of questions (`QUIZ`, core/widgets/quiz/schema.py, in the schema language)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.quiz.schema import OPTION, QUESTION, QUIZ
from tracksite.core.widgets.quiz.shapes import QuizOption, QuizQuestionFields

# The body's description (OPTION, QUESTION, QUIZ) is core/widgets/quiz/schema.py; `QuizOption` and
# `QuizQuestionFields` are generated from it (core/widgets/quiz/shapes.py, `tracksite docs --write`).


@dataclass(frozen=True, kw_only=True)
class QuizQuestion(QuizQuestionFields):
    """A question as the widget reads it: the written fields, and whether to choose several."""

    @property
    def multiple(self) -> bool:
        """Checkboxes: several options are right, or the author asks for "choose all" anyway."""
        return self.choose_all or sum(1 for o in self.options if o.correct) > 1


EMPTY = "no questions: expected at least one"


@functools.lru_cache(maxsize=2048)
def parse_quiz(body: str) -> tuple[list[QuizQuestion], list[Finding]]:
    """The questions of a quiz's body. Remembered per text, beyond the check's own memory
    (core/memo.py, emptied once the pages render): the widget check, the quiz answers' check, the
    objectives' coverage and the page itself (core/widgets/quiz/block.py) read the model parsed here
    once. Callers only read the result."""
    value, findings, _ = read_body(body, QUIZ, EMPTY)
    if value is INVALID:
        return [], findings
    return [
        QuizQuestion(
            question=q["question"],
            options=tuple(QuizOption(text=o["text"], correct=o["correct"], explain=o["explain"]) for o in q["options"]),
            choose_all=q["choose_all"],
            id=q.get("id"),
        )
        for q in value
    ], findings


def question_lines(body: str) -> list[int]:
    """The line of each question in the body (1 = its first line), for the checks that point at
    one question (checks/teaching.py); the same read as `parse_quiz`, remembered by text."""
    value, _, lines = read_body(body, QUIZ, EMPTY)
    return [] if value is INVALID else [lines.get((i, "question"), lines.get((i,), 1)) for i in range(len(value))]


def _practice(questions: list[QuizQuestion]) -> list[str]:
    """One item per question: its question, options and explanations together."""
    return ["\n".join([q.question, *(f"{o.text}\n{o.explain}" for o in q.options)]) for q in questions]


BODY = Body(
    W.QUIZ,
    QUIZ,
    lambda body, _: parse_quiz(body),
    tables=(("quiz-question", QUESTION), ("quiz-option", OPTION)),
    practice=_practice,
)
