"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class QuizOption:
    """One option of a quiz question."""

    #: What the learner picks (inline Markdown).
    text: str
    #: Whether this option is right; at least one per question is.
    correct: bool = False
    #: Why the option is right or wrong, shown after answering.
    explain: str


@dataclass(frozen=True, kw_only=True)
class QuizQuestionFields:
    """One question of a `/// quiz` block (core/widgets/quiz/body.py's `QuizQuestion` adds what it computes)."""

    #: The question (inline Markdown).
    question: str
    #: Two or more options, at least one correct, each text once.
    options: tuple[QuizOption, ...]
    #: What keeps a learner's answer when the question or its options are reworded (not when an option is added or
    #: removed): without it a question is known by its text and its options' texts, and an edit of either drops the
    #: answers given to it (in the browser and in an LMS). Change it when the question asks something else.
    id: str | None = None
    #: Ask the learner to choose every right option even when only one is right, so that the kind of control
    #: (checkboxes or round buttons) does not say how many are right.
    choose_all: bool = False
