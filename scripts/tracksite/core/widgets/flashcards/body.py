"""`/// flashcards`: a YAML list of cards (`FLASHCARDS`, core/widgets/flashcards/schema.py), or a Markdown
definition list (`term` then `: answer`)."""

from __future__ import annotations

import re

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.widgets.body import Body, clean_text, read_body
from tracksite.core.widgets.flashcards.schema import CARD, FLASHCARDS
from tracksite.core.widgets.flashcards.shapes import Flashcard

# The body's description (CARD, FLASHCARDS) is core/widgets/flashcards/schema.py; `Flashcard` is generated
# from it (core/widgets/flashcards/shapes.py, `tracksite docs --write`).
RE_DEFLIST_ANSWER = re.compile(r"^:[ \t]+(.*)$")


def parse_flashcards(body: str) -> tuple[list[Flashcard], list[Finding]]:
    if any(RE_DEFLIST_ANSWER.match(line) for line in body.split("\n")):
        return _parse_deflist(body)
    value, findings, _ = read_body(body, FLASHCARDS, "no cards: expected a list of cards with term and answer")
    if value is INVALID:
        return [], findings
    return [Flashcard(term=c["term"], answer=c["answer"]) for c in value], findings


def _parse_deflist(body: str) -> tuple[list[Flashcard], list[Finding]]:
    issues: list[Finding] = []
    cards: list[Flashcard] = []
    term: str | None = None
    term_line = 0
    answer: list[str] | None = None

    def finish() -> None:
        if term is None:
            return
        if not answer or not clean_text(" ".join(answer)):
            issues.append(
                Finding(
                    term_line,
                    f"the term {term!r} has no answer",
                    field="answer",
                    hint="add a line ': answer' right after it",
                    code="TS406",
                )
            )
        else:
            cards.append(Flashcard(term=term, answer=clean_text(" ".join(answer))))

    for number, line in enumerate(body.split("\n"), start=1):
        m = RE_DEFLIST_ANSWER.match(line)
        if m:
            if term is None:
                issues.append(
                    Finding(number, "an answer line ': ...' without a term above it", field="term", code="TS406")
                )
            elif answer:
                issues.append(
                    Finding(
                        number,
                        f"the term {term!r} has a second answer",
                        field="answer",
                        hint="one answer per term",
                        code="TS406",
                    )
                )
            else:
                answer = [m.group(1)]
        elif not line.strip():
            continue
        elif line[:1] in (" ", "\t") and answer:
            answer.append(line.strip())
        else:
            finish()
            term, term_line, answer = clean_text(line), number, None
    finish()
    if not cards and not issues:
        issues.append(Finding(None, "no cards: expected at least one term with an answer", code="TS404"))
    return cards, issues


BODY = Body(
    W.FLASHCARDS,
    FLASHCARDS,
    lambda body, _: parse_flashcards(body),
    tables=(("flashcard", CARD),),
    practice=lambda cards: [f"{c.term}\n{c.answer}" for c in cards],
)
