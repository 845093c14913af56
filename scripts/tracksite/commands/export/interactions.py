"""Each question's result as an LMS administrator reads it (SCORM `cmi.interactions`), and the
mapping shipped with the package for reports that show ids only.

An LMS lays interactions out by their place in the learner's journal, which is the order that
learner answered in; what lines two learners up is the interaction's id. So the id names the
track, the lesson and the question (a few words of its text and the identity the learner's state
keys it by, blocks/quiz.py), the same in every version of the course that keeps the question, and
within both versions' limits: SCORM 1.2's CMIIdentifier (printable ASCII without spaces, 255
characters) and 2004's long identifier. A response names the options as the instructor wrote
them, whatever order the page showed: in SCORM 1.2 by letter (`a`, `b`, ... in the source's
order; choice responses are single characters there), in 2004 by a short identifier of the
letter and the option's first words (`a_seven`); `interactions.csv` at the package's root maps
each id and each letter back to the question's and the option's text.

The text an LMS shows (2004's description, the mapping) is plain text with `<`, `>` and `&`
escaped: a question about `&lt;img onerror&gt;` stays text in a report that prints it as HTML.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

from tracksite.commands.export.coursedata import Lesson, Question

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ID_LIMIT = 255  # SCORM 1.2's CMIIdentifier; 2004's long identifier allows 4,000
DESCRIPTION_LIMIT = 250  # 2004's localized string of 250 characters
_TAGS = re.compile(r"<[^>]*>")


def plain(fragment: str) -> str:
    """An HTML fragment's text, on one line."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def description(fragment: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The text of a question for an LMS's report: `<`, `>` and `&` escaped, at most `limit`
    characters and never an entity cut in two, never starting with `{` (2004 reads `{lang=..}`)."""
    out = ""
    for ch in plain(fragment).lstrip("{"):
        piece = html.escape(ch, quote=False)
        if len(out) + len(piece) > limit:
            break
        out += piece
    return out


def _words(text: str, size: int) -> str:
    """A few words of `text` in ASCII letters, digits and hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:size].strip("-")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_./-]", "-", text)


def question_id(lesson: Lesson, question: Question, code: bool, title: str = "") -> str:
    """`track/lesson/<words>-<identity>`: the question's first words (an exercise's title) and what
    identifies it across versions, within SCORM 1.2's 255 printable characters."""
    ident = _safe(question.ident)[-40:] or "q"
    words = _words(title if code else plain(question.text), 40) or ("code" if code else "question")
    head = _safe(lesson.id)[: ID_LIMIT - len(ident) - len(words) - 3]
    return f"{head}/{'code-' if code and not words.startswith('code') else ''}{words}-{ident}"[-ID_LIMIT:]


def source_options(question: Question) -> list[str]:
    """The options' HTML in the instructor's order (the page may show them shuffled)."""
    order = question.order if len(question.order) == len(question.options) else range(len(question.options))
    out = [""] * len(question.options)
    for shown, place in enumerate(order):
        out[place] = question.options[shown]
    return out


def option_ids(question: Question) -> list[str]:
    """SCORM 2004's short identifier of each option, in the instructor's order: its letter and
    first words (`a_seven`), unique within the question since the letter is."""
    out = []
    for n, option in enumerate(source_options(question)):
        words = _words(plain(option), 24).replace("-", "_")
        out.append(f"{LETTERS[n % 26]}{n // 26 or ''}" + (f"_{words}" if words else ""))
    return out


def _cell(text: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula: such text starts with '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def mapping(entries: list[tuple[Lesson, Question, dict]]) -> str:
    """interactions.csv: a row per option of each question (one per code exercise): the
    interaction's id, its track and lesson, the question's text, the response's letter (1.2) and
    identifier (2004), the option's text and whether it is right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "track", "lesson", "question", "letter", "response_2004", "option", "correct"])
    for lesson, question, data in entries:
        code = data["type"] == "code"
        text = data["title"] if code else plain(question.text)
        if code:
            writer.writerow([data["id"], lesson.track, lesson.title, _cell(text), "", "passed", "", "yes"])
            continue
        right = set(question.source_correct())
        for n, (option, ident) in enumerate(zip(source_options(question), data["options"], strict=True)):
            row = [data["id"], lesson.track, lesson.title, _cell(text), LETTERS[n % 26], ident]
            writer.writerow([*row, _cell(plain(option)), "yes" if n in right else "no"])
    return out.getvalue()
