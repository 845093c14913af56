"""The data widgets' values, as dataclasses: GENERATED from their bodies' descriptions
(the modules of core/schema/ their registry entries name) by core/model/generate.py.
Do not edit: change the description, then run `tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Flashcard:
    """One card of a `/// flashcards` block (a YAML item or a definition list's term)."""

    #: The front of the card.
    term: str
    #: The back of the card.
    answer: str


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
    """One question of a `/// quiz` block (core/widgets/quiz.py's `QuizQuestion` adds what it computes)."""

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


@dataclass(frozen=True, kw_only=True)
class Prediction:
    """The body of a `/// predict` block."""

    #: The program the learner reads; write it as a literal block (`code: |`).
    code: str
    #: The code's language, for highlighting (a Pygments name).
    language: str = "python"
    #: Exactly what the program prints. An answer matches it when they differ only in blank lines, runs of spaces and
    #: the spaces beside brackets, commas and colons.
    output: str
    #: Why it prints that, shown with the output (inline Markdown).
    explain: str
    #: Once the learner has seen the output, the code becomes editable and runs in the page (Python with the standard
    #: library only, as in a `/// runnable` block).
    runnable: bool = False


@dataclass(frozen=True, kw_only=True)
class RunnableFields:
    """The body of a `/// runnable` block (core/widgets/runnable.py's `Runnable` adds what it computes)."""

    #: The starting code the learner sees and edits: Python 3 with the standard library only; write it as a literal
    #: block (`code: |`).
    code: str
    #: Python run after the learner's code in the same namespace, usually `assert` lines: with them the block is a
    #: checked exercise (a Check button).
    tests: str | None = None
    #: The exact output expected, instead of (or besides) tests: compared as a predict block's output is, forgiving
    #: blank lines and runs of spaces.
    output: str | None = None
    #: The author's answer, folded until the learner opens it; needed with `tests` or `output`. `tracksite check` runs
    #: it and the tests in CPython.
    solution: str | None = None
    #: Shown when Check fails (inline Markdown).
    hint: str | None = None
    #: A run longer than this is stopped, and the learner can run again.
    timeout: int = 10


@dataclass(frozen=True, kw_only=True)
class AttentionSpecFields:
    """The body of an `/// attention` block (core/widgets/attention.py's `AttentionSpec` adds its lines)."""

    #: The data file `tracksite attention` wrote, beside lesson.md.
    data: str
    #: A second data file from the same model: a minimal pair.
    compare: str | None = None
    #: The token whose attention opens the widget.
    focus: str | None = None
    #: The token it should attend to: opens on the head that attends most.
    target: str | None = None


@dataclass(frozen=True, kw_only=True)
class StepsFields:
    """The body of an `/// attention-steps` block (core/widgets/steps.py's `StepsData` adds what it computes)."""

    #: The tokens, e.g. [it, animal].
    tokens: tuple[str, ...]
    #: One embedding row per token.
    x: tuple[tuple[float, ...], ...]
    #: Query weights: d_model rows (the width of x).
    w_q: tuple[tuple[float, ...], ...]
    #: Key weights: d_model rows and d_k columns, like w_q.
    w_k: tuple[tuple[float, ...], ...]
    #: Value weights: d_model rows (the width of x).
    w_v: tuple[tuple[float, ...], ...]
