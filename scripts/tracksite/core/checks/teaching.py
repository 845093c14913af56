"""Warnings a reviewer of the teaching would raise, found before a learner does (issue 44):
quizzes that give their answers away, and facts that date outside the course's place for them.

- The correct option is the longest in most of a lesson's single-answer questions: a learner
  who knows nothing scores by picking the longest. A content review found it in 81 of 99.
- A "choose all" question with all options correct, or all but one of four or more: ticking
  everything is nearly right without reading.
- "As of 2026", "currently the best", "the largest models", "state of the art": true the day they were
  written. Such snapshots belong on one page (`dated_facts: true` in its front-matter), where
  they are updated once; elsewhere they are warned about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.checks.common import problems_of
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.markdown.prose import prose_lines
from tracksite.core.memo import memo
from tracksite.core.widgets.quiz import QuizQuestion, parse_quiz, question_lines

#: More than this share of single-answer questions with the longest option correct is a pattern
#: (by chance, with four options, about a quarter would be) ...
LONGEST_SHARE = 0.6
#: ... over at least this many questions, in the lesson or its track: fewer is too few to tell.
LONGEST_MIN = 5
#: A "choose all" question with at least this many options and at most one wrong.
CHOOSE_ALL_MIN = 4

_LATER = r"(?:\s+[\w-]+){0,2}?\s+(?:models?|LLMs?|networks?|systems?|labs?|context windows?|datasets?|training runs?|releases?|versions?|chips?|GPUs?)"  # fmt: skip
DATED = re.compile(
    r"\b(?:as of (?:(?:early |mid-|late )?(?:19|20)\d\d|today|now|this year|writing)"
    # "currently" only before a claim about the field ("currently the largest", "currently
    # available", "currently leads"): a tutorial's "the file currently looks like this" or an
    # agent's "the action it currently believes best" tells the state of an example, not of the world
    r"|at the time of writing|currently (?:the |available\b|leads?\b|holds?\b|tops?\b|state[- ]of)"
    r"|nowadays|these days|today's"
    r"|state[- ]of[- ]the[- ]art"
    # superlatives about what changes every year; "the best model" under a budget is a fit, not news
    rf"|the (?:largest|biggest|latest|newest|most capable|strongest){_LATER})\b",
    re.I,
)
_NOT_SHOWN = frozenset({W.INSTRUCTOR.name})  # the instructor's notes: not what a learner reads
#: A word every match of DATED contains: a page's prose without any of them (most pages) is not
#: scanned line by line. The four letters other than ASCII that IGNORECASE matches to an ASCII one
#: (U+0130, U+0131, U+017F, U+212A) are not lower-cased to it, so prose holding one is scanned.
_DATED_WORDS = (
    "as of",
    "writing",
    "currently",
    "nowadays",
    "these days",
    "today",
    "state",
    "largest",
    "biggest",
    "latest",
    "newest",
    "most capable",
    "strongest",
)
_FOLDED_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _may_date(prose: str) -> bool:
    if any(c in prose for c in _FOLDED_TO_ASCII):
        return True
    lowered = prose.lower()
    return any(word in lowered for word in _DATED_WORDS)


@dataclass(frozen=True)
class _Single:
    """One single-answer question: where it is and whether its correct option is the longest."""

    line: int
    longest: bool


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def _quizzes(body: str, body_line: int) -> list[tuple[int, QuizQuestion]]:
    """(file line, question) of every quiz question of a page, remembered by text."""

    def compute() -> list[tuple[int, QuizQuestion]]:
        found = []
        blocks, _ = find_blocks(body, body_line)
        for block in iter_blocks(blocks):
            if block.name != W.QUIZ.name:
                continue
            questions, _ = parse_quiz(block.body)
            lines = question_lines(block.body)
            found += [(block.body_line + line - 1, q) for line, q in zip(lines, questions)]
        return found

    return memo(("quiz-questions", body, body_line), compute)


def quiz_answers(project) -> list:
    """The correct option consistently the longest; "choose all" with nearly all options correct."""
    out = problems_of(project)
    singles: dict[str, list[_Single]] = {}  # lesson key -> its single-answer questions
    pages = {}
    for doc in project.documents:
        if doc.kind != "lesson" or not doc.lesson_key:
            continue
        pages[doc.lesson_key] = doc.path
        for line, q in _quizzes(doc.body, doc.body_line):
            right = [o for o in q.options if o.correct]
            if len(right) == 1 and len(q.options) >= 2:
                longest = all(_length(right[0].text) > _length(o.text) for o in q.options if not o.correct)
                singles.setdefault(doc.lesson_key, []).append(_Single(line, longest))
            elif len(q.options) >= CHOOSE_ALL_MIN and len(right) >= len(q.options) - 1:
                out.add(
                    doc.path,
                    line,
                    f"{len(right)} of {len(q.options)} options are correct: ticking every box is "
                    f"{'right' if len(right) == len(q.options) else 'nearly right'} without reading the question",
                    hint="make two or more options wrong but plausible, so that choosing takes knowing",
                    severity="warning",
                    code="TS421",
                )
    _longest_correct(out, singles, pages)
    return out.items


def _longest_correct(out, singles: dict[str, list[_Single]], pages: dict) -> None:
    """A lesson whose single-answer questions mostly have the longest option correct, over at
    least LONGEST_MIN questions of its own, or of its track when the track shows the same pattern."""
    tracks: dict[str, list[_Single]] = {}
    for key, items in singles.items():
        tracks.setdefault(key.partition("/")[0], []).extend(items)
    for key, items in singles.items():
        hits = [s.line for s in items if s.longest]
        track = tracks[key.partition("/")[0]]
        track_hits = sum(s.longest for s in track)
        biased_track = len(track) >= LONGEST_MIN and track_hits > LONGEST_SHARE * len(track)
        if not hits or len(hits) <= LONGEST_SHARE * len(items) or not (len(items) >= LONGEST_MIN or biased_track):
            continue
        track_part = (
            f", {track_hits} of {len(track)} in its track ({track_hits / len(track):.0%})" if biased_track else ""
        )
        out.add(
            pages[key],
            hits[0],
            f"the correct option is the longest in {len(hits)} of {len(items)} single-answer questions of this "
            f"lesson ({len(hits) / len(items):.0%}){track_part}: a learner can score by picking the longest "
            f"(lines {', '.join(map(str, hits))})",
            hint=f"write distractors as long and careful as the answer, or the answer shorter; the warning stops at "
            f"{LONGEST_SHARE:.0%} or fewer over at least {LONGEST_MIN} questions",
            severity="warning",
            code="TS420",
        )


def dated_phrases(project) -> list:
    """Phrases true only when written, outside the pages marked `dated_facts: true`."""
    out = problems_of(project)
    for doc in project.documents:
        meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
        if meta.get("dated_facts") is True:
            continue
        for line, column, phrase in memo(("dated", doc.body, doc.body_line), lambda d=doc: _dated(d.body, d.body_line)):
            out.add(
                doc.path,
                line,
                f"{phrase!r} dates: it is true the day it is written and wrong a year later",
                hint='say what was true and when ("in 2024, GPT-4o ..."), or move the snapshot to the course\'s '
                "page with `dated_facts: true` and link to it, so it is updated in one place",
                severity="warning",
                code="TS521",
                column=column,
            )
    return out.items


def _dated(body: str, body_line: int) -> list[tuple[int, int | None, str]]:
    """(file line, column, phrase) of each dated phrase a learner reads: prose, quiz and card
    texts (not code, not the instructor's notes)."""
    lines = prose_lines(body, body_line, _NOT_SHOWN)
    if not _may_date("\n".join(text for _, text in lines)):
        return []
    original = body.split("\n")
    found = []
    for line, text in lines:
        for m in DATED.finditer(text):
            source = original[line - body_line] if 0 <= line - body_line < len(original) else ""
            at = source.find(m.group())
            found.append((line, at + 1 if at >= 0 else None, m.group()))
    return found
