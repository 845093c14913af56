"""What an exported widget writes into a page of an export's build (its JSON island), typed and
versioned once for both sides: the blocks make these values (`island()`, core/widgets/common.py
writes them), and the exports import the same types to read them back (`read`,
commands/export/coursedata.py), so a field added on one side is a field the other side knows.

`VERSION` is written into every island as `v`. A reader takes every version up to its own (an
island without `v` is version 1, as every site built before the number was); a newer one, from a
site built by a newer tracksite, is refused with what to do rather than read wrongly."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tracksite.errors import UserError

VERSION = 1


@dataclass(frozen=True)
class Question:
    """One question of a quiz as the page shows it: its options in the page's order."""

    key: str  # where the page keeps the learner's answer (its `data-key`)
    text: str  # HTML, as the page shows it
    multiple: bool
    options: list[str]  # HTML per option, in the page's order
    correct: list[int]  # places in `options`
    feedback: list[str]  # HTML per option
    order: list[int] = field(default_factory=list)  # each shown option's place in the source


@dataclass(frozen=True)
class QuizIsland:
    key: str  # the quiz's own key (its root's `data-key`)
    questions: list[Question]


@dataclass(frozen=True)
class ExerciseIsland:
    key: str  # the runnable block's `data-key`
    checked: bool  # the page checks it: a SCORM score counts it
    title: str  # what an LMS's report names it by


@dataclass(frozen=True)
class DeckIsland:
    key: str  # the deck's `data-key`
    terms: list[str]  # each card's term as the page's `textContent` has it


Island = QuizIsland | ExerciseIsland | DeckIsland
#: What each kind of export (the registry's EXPORTS) reads.
KINDS: dict[str, type[Island]] = {"quizzes": QuizIsland, "exercises": ExerciseIsland, "decks": DeckIsland}


def written(island: Island) -> dict[str, Any]:
    """The island as its JSON holds it: its fields, then its version."""
    return {**asdict(island), "v": VERSION}


def read(kind: str, data: dict[str, Any]) -> Island:
    """An island of `kind` (`quizzes`, `exercises`, `decks`) from its JSON, of any version up to
    `VERSION`; a quiz from a site built before its questions had keys of their own keys each by the
    quiz's and its place."""
    version = data.get("v", 1)
    if not isinstance(version, int) or version > VERSION:
        raise UserError(
            f"a widget's data in the built site is of version {version!r}, newer than this tracksite's "
            f"({VERSION}): build the site again with this tracksite"
        )
    key = str(data.get("key", ""))
    if kind == "exercises":
        return ExerciseIsland(key, bool(data.get("checked")), str(data.get("title", "")))
    if kind == "decks":
        return DeckIsland(key, [str(t) for t in data.get("terms", [])])
    return QuizIsland(
        key,
        [
            Question(
                str(q.get("key") or f"{key}|{n}"),
                q["text"],
                bool(q["multiple"]),
                list(q["options"]),
                list(q["correct"]),
                list(q["feedback"]),
                [int(i) for i in q.get("order", range(len(q["options"])))],
            )
            for n, q in enumerate(data.get("questions", []))
        ],
    )
