"""The body of a `/// quiz` block, described in the schema language: only the description.

It lives apart from the widget's code (core/widgets/quiz/body.py) so that core/model/generate.py can
read it without importing the widget, whose `QuizOption` and `QuizQuestionFields` are generated
from `OPTION` and `QUESTION` into core/widgets/quiz/shapes.py: the validator, the editor schema, the
guide's tables and the dataclasses come from this one description. Widget texts keep a number as
written (`text: 42` is the option "42"), so an answer can be one.
"""

from __future__ import annotations

from tracksite.core.schema.language import Bool, Field, ListOf, Mapping, Text, unique


def _one_correct(options, path, ctx):
    if not any(o["correct"] for o in options):
        ctx.report(path, "no correct option", "mark at least one option with 'correct: true'", code="TS406")


def _unique_ids(questions, path, ctx):
    """Two questions of a quiz with one `id` would share one answer."""
    seen: dict[str, int] = {}
    for i, q in enumerate(questions):
        ident = q.get("id") if isinstance(q, dict) else None
        if ident is None:
            continue
        if ident in seen:
            ctx.report(
                path + (i, "id"),
                f"the question id {ident!r} is already on question {seen[ident] + 1}",
                "give each question its own id",
                code="TS106",
            )
        seen.setdefault(ident, i)


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
        Field(
            "id",
            Text(
                max_length=60,
                help="What keeps a learner's answer when the question or its options are reworded "
                "(not when an option is added or removed): without it a question is known by its text "
                "and its options' texts, and an edit of either drops the answers given to it (in the "
                "browser and in an LMS). Change it when the question asks something else.",
            ),
            example="id: softmax-weights",
        ),
        Field(
            "choose_all",
            Bool(
                help="Ask the learner to choose every right option even when only one is right, so "
                "that the kind of control (checkboxes or round buttons) does not say how many are right."
            ),
            default=False,
            example="choose_all: true",
        ),
    ),
)

QUIZ = ListOf(
    item=QUESTION,
    min_items=1,
    max_items=50,
    noun="question",
    rules=(_unique_ids,),
    help="The body of a `/// quiz` block: a list of questions.",
)


#: The dataclasses core/model/generate.py writes from this description (core/widgets/quiz/shapes.py):
#: name, description, docstring.
SHAPES = (
    ("QuizOption", OPTION, "One option of a quiz question."),
    (
        "QuizQuestionFields",
        QUESTION,
        "One question of a `/// quiz` block (core/widgets/quiz/body.py's `QuizQuestion` adds what it computes).",
    ),
)
