"""The learner's state in a SCORM package's suspend_data: what scorm-state.js needs to lay it out, and
how long it can grow.

suspend_data is keyed by stable ids, not positions, so that a new version of the course (a lesson
inserted, a quiz edited) restores what still exists and drops what does not: each lesson is a
record under a short code of its id (`track/lesson`). Its quiz part holds an entry per question
or code exercise the learner answered, each under a few bits of what identifies it (the
question's text and options, blocks/quiz.py; the exercise's content), so that an edited question
drops its own answer only, and questions moved keep theirs; its flashcard part carries a check
of the terms it was written for. Inside a part, bits: per question its identity, the first check
(what the LMS scores) and the options chosen; per card its mark ("Knew it", "Again") and its
review schedule (box, due day).

SCORM 1.2 keeps 4,096 characters of suspend_data, 2004 64,000. When the state would not fit,
scorm-state.js drops parts in LEVELS order (card schedules first, then marks, then the options chosen)
and keeps lessons done and first checks to the end; the export measures each level's worst case.
Each code exercise's Checks and whether its solution was opened (an author's `show_solution:
after N checks`) go in "n", kept with the options chosen and dropped with them; the worst case
counts them for every checked exercise.
The learner's code per exercise goes in the room the fullest level leaves ("c", scorm-state.js's
keepCode): as much as fits, never in place of the rest, so it adds nothing to the worst case.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from typing import Any

from tracksite.commands.export import interactions
from tracksite.commands.export.coursedata import Course, Lesson, Question

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"  # 6 bits a character
LIMITS = {"1.2": 4096, "2004": 64000}
CODE = 3  # characters of a lesson's code: 18 bits
IDENT_BITS = 6  # of a question's identity: an edited question keeps its old answer 1 time in 64
SCHEDULE_BITS = 7  # a card's box (1-5) and days until due (0-16): 5 * 17 values
#: What each level of scorm.js's encoder keeps, fullest first.
LEVELS = (
    "everything",
    "all but the flashcard review schedule",
    "lessons done and quiz answers",
    "lessons done and each question's first check",
    "lessons done",
)
ESSENTIAL = 3  # the level that still tells the LMS completion and score
ANSWERS = 2  # the last level that keeps the options chosen, and each exercise's Checks ("n")
CHECKS = 14  # characters of an exercise's Checks in "n": its place (12 hex digits), count and opened


def _chars(text: str, n: int) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    value = int.from_bytes(digest[:8], "big")
    return "".join(ALPHABET[(value >> (6 * i)) & 63] for i in range(n))


def codes(ids: list[str]) -> dict[str, str]:
    """Each lesson's code: the same in every version of the course, unique within this one (a
    lesson whose code another, earlier by id, already has takes the code of its id with a suffix)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for ident in sorted(ids):
        code, n = _chars(ident, CODE), 0
        while code in taken:
            n += 1
            code = _chars(f"{ident}#{n}", CODE)
        taken.add(code)
        out[ident] = code
    return out


def _quiz_check(lesson: Lesson) -> str:
    """What a suspend_data of version 2 (one check over a lesson's quizzes) was checked by."""
    return _chars("\n".join(q.key for q in lesson.graded()), 2)


def _ident_bits(ident: str) -> int:
    return ALPHABET.index(_chars(ident, 1))


def questions(lesson: Lesson) -> list[tuple[Question, dict[str, Any]]]:
    """Each question and code exercise of `lesson` as scorm.js records and reports it: its state's
    keys and identity bits, its interaction's id, type, right options, description and the
    identifiers of its options (interactions.py says what an administrator reads)."""
    out = []
    for quiz in lesson.graded():
        code = quiz in lesson.exercises
        for question in quiz.questions:
            title = interactions.plain(question.text) if code else ""
            out.append(
                (
                    question,
                    {
                        "key": question.key,
                        "also": question.also,
                        "n": len(question.options),
                        "h": _ident_bits(question.ident),
                        "id": interactions.question_id(lesson, question, code, title),
                        "type": "code" if code else "multiple" if question.multiple else "choice",
                        "right": [0] if code else question.source_correct(),
                        "text": interactions.description(question.text if not code else html.escape(_exercise(title))),
                        "options": ["passed"] if code else interactions.option_ids(question),
                        "title": _exercise(title) if code else "",
                    },
                )
            )
    return out


def _exercise(title: str) -> str:
    return f"Code exercise: {title}" if title else "Code exercise"


def _cards_check(lesson: Lesson) -> str:
    return _chars("\n".join(lesson.terms), 2)


def course_data(
    course: Course, version: str, threshold: float, mastery: float | None = None, start: str = "index.html"
) -> dict[str, Any]:
    """scorm-course.js: the layout of suspend_data, the answer key of the score and of each
    question's interaction, the completion rule and the mastery score (None: no pass or fail)."""
    code = codes([lesson.id for lesson in course.lessons])
    taken = set(code.values())
    others = codes([lesson.id for lesson in course.lessons + course.elsewhere])
    return {
        "version": version,
        "threshold": threshold,
        "mastery": mastery,
        "start": start,
        "id": course.course_id,
        "limit": LIMITS[version],
        "lessons": [_lesson(lesson, code[lesson.id]) for lesson in course.lessons],
        # a track's package: what a learner does in the other tracks' lessons it holds, kept in
        # the room its own track's state leaves (scorm.js's keepElsewhere), counted nowhere
        "elsewhere": [
            _lesson(lesson, others[lesson.id]) for lesson in course.elsewhere if others[lesson.id] not in taken
        ],
    }


def _lesson(lesson: Lesson, code: str) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "code": code,
        "qc": _quiz_check(lesson),
        "cc": _cards_check(lesson),
        "decks": [[key, terms] for key, terms in lesson.decks],
        "questions": [data for _, data in questions(lesson)],
    }


def _record(questions: list[int], cards: int, level: int) -> int:
    """The longest record of a lesson with these questions (their option counts) and cards."""
    quiz_bits = sum(IDENT_BITS + 2 + (n if level <= 2 else 0) for n in questions) if level <= 3 else 0
    card_bits = cards * (2 + (SCHEDULE_BITS if level == 0 else 0)) if level <= 1 else 0
    fields = [CODE + 1]
    fields.append(math.ceil(quiz_bits / 6) if quiz_bits else 0)
    fields.append(2 + math.ceil(card_bits / 6) if card_bits else 0)
    while len(fields) > 1 and not fields[-1]:
        fields.pop()
    return sum(fields) + len(fields) - 1  # and the commas between them


def worst_case(course: Course, level: int = 0) -> int:
    """The longest suspend_data scorm.js writes for `course` at `level`: every lesson done, every
    question checked with every option chosen, every card marked and scheduled."""
    header = json.dumps(
        {"v": 3, "k": course.course_id, "t": 99999, "z": 0, "d": 1, "l": "x" * 24, "s": ""}, separators=(",", ":")
    )
    records = [
        _record([len(question.options) for q in lesson.graded() for question in q.questions], len(lesson.terms), level)
        for lesson in course.lessons
    ]
    checks = sum(len(lesson.exercises) for lesson in course.lessons) * CHECKS if level <= ANSWERS else 0
    return len(header) + sum(records) + max(len(records) - 1, 0) + (len(',"n":""') + checks if checks else 0)


def check(course: Course, version: str) -> str | None:
    """A warning when the learner's whole state may not fit the version's suspend_data (scorm.js
    then drops parts of it); a refusal (ValueError) when not even completion and score fit."""
    limit = LIMITS[version]
    full = worst_case(course)
    if full <= limit:
        return None
    essential = worst_case(course, ESSENTIAL)
    lessons = len(course.lessons)
    if essential > limit:
        raise ValueError(
            f"the learner's state of this {lessons}-lesson course needs up to {essential:,} characters of "
            f"suspend_data to keep lessons done and quiz scores, and SCORM {version} keeps {limit:,}: "
            + (
                "export it for SCORM 2004 (--version 2004, 64,000 characters), or "
                if version == "1.2"
                else "export a track at a time (--track SLUG), or "
            )
            + "split the course into smaller packages"
        )
    kept = next(name for n, name in enumerate(LEVELS) if worst_case(course, n) <= limit)
    return (
        f"the learner's whole state of this {lessons}-lesson course needs up to {full:,} characters of "
        f"suspend_data and SCORM {version} keeps {limit:,}: a learner who uses every flashcard and quiz keeps "
        f"{kept} in the LMS (at worst {essential:,} characters keep lessons done and scores)"
        + ("; SCORM 2004 (--version 2004) keeps 64,000 characters" if version == "1.2" else "")
    )
