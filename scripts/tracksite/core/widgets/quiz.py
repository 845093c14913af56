"""`/// quiz`: a YAML list of questions (`QUIZ`, below, in the schema language)."""

from __future__ import annotations

from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import (
    INVALID,
    Bool,
    Field,
    ListOf,
    Mapping,
    Text,
    unique,
)
from tracksite.core.widgets.body import Body, read_body

# -- the body, in the schema language (the validator, the editor schema and the guide's tables read it)
# -- widget bodies ----------------------------------------------------------------------------
# Widget texts keep a number as written (`text: 42` is the option "42"), so an answer can be one.


def _one_correct(options, path, ctx):
    if not any(o["correct"] for o in options):
        ctx.report(path, "no correct option", "mark at least one option with 'correct: true'", code="TS406")


OPTION = Mapping(
    help="One answer to choose: its text, whether it is right, and why.",
    name="option",
    fields=(
        Field(
            "text",
            Text(numbers=True, max_length=500, help="What the learner picks (inline Markdown)."),
            required=True,
            example="text: A softmax over the scores",
        ),
        Field("correct", Bool(help="Whether this option is right; at least one per question is."), default=False),
        Field(
            "explain",
            Text(numbers=True, help="Why the option is right or wrong, shown after answering."),
            required=True,
            example="explain: Each row of weights sums to 1.",
        ),
    ),
)

QUESTION = Mapping(
    help="A question and its options.",
    name="question",
    fields=(
        Field(
            "question",
            Text(numbers=True, max_length=1000, help="The question (inline Markdown)."),
            required=True,
            example="question: What turns scores into weights?",
        ),
        Field(
            "options",
            ListOf(
                item=OPTION,
                min_items=2,
                max_items=12,
                noun="option",
                help="Two or more options, at least one correct, each text once.",
                rules=(unique("text", "option text", "option"), _one_correct),
                json_extra={"contains": {"required": ["correct"], "properties": {"correct": {"const": True}}}},
            ),
            required=True,
        ),
    ),
)

QUIZ = ListOf(
    item=QUESTION,
    min_items=1,
    max_items=50,
    noun="question",
    help="The body of a `/// quiz` block: a list of questions.",
)


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
    value, findings, _ = read_body(body, QUIZ, EMPTY)
    if value is INVALID:
        return [], findings
    return [
        QuizQuestion(q["question"], tuple(QuizOption(o["text"], o["correct"], o["explain"]) for o in q["options"]))
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
