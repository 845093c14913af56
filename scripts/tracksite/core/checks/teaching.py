"""Warnings a reviewer of the teaching would raise, found before a learner does (issue 44):
quizzes that give their answers away, and facts that date outside the course's place for them.

- The correct option's length rank predicts it: over a track's single-answer questions, the
  correct option is the shortest, the longest or a middle-length one far more often than chance
  would make it. A learner who knows nothing scores by picking by length. A content review found
  the longest right in 81 of 99 questions; once that was fixed, the middle one in 78% (issue 56).
- A "choose all" question with all options correct, or all but one of four or more: ticking
  everything is nearly right without reading; and a track whose "choose all" questions all have
  the same number of right answers, or whose number of right answers follows from the number of
  options (every 4-option question 2 right, every 5-option one 3, issue 71): a learner learns
  to tick that many.
- The right option alone ending differently: a full stop after the right answer and none after
  the others (or the reverse) is read before the words are (issue 71).
- "As of 2026", "currently the best", "the largest models", "state of the art": true the day they were
  written. Such snapshots belong on one page (`dated_facts: true` in its front-matter), where
  they are updated once; elsewhere they are warned about.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.checks.common import problems_of
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.markdown.prose import FOLDED_TO_ASCII, offsets, prose_text
from tracksite.core.memo import memo
from tracksite.core.widgets.quiz.body import QuizQuestion, parse_quiz, question_lines

#: The length cue is measured per track, over its single-answer questions of at least three
#: options, from this many on: fewer is too few to tell.
CUE_MIN = 8
#: A length rank (shortest, middle, longest) whose share of the correct options passes what chance
#: gives it by more than this is a cue ...
CUE_MARGIN = 0.15
#: ... and so is a middle share over this, where chance gives the middle less (three options: a
#: third); with four options or more chance gives it half or more, and the margin alone decides.
MIDDLE_MOST = 0.5
#: A track with this many "choose all" questions or more, every one with the same number of right
#: answers, teaches how many to tick.
SAME_COUNT_MIN = 4
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


def _may_date(prose: str) -> bool:
    if any(c in prose for c in FOLDED_TO_ASCII):
        return True
    lowered = prose.lower()
    return any(word in lowered for word in _DATED_WORDS)


#: The length ranks of a correct option, as the warning names them.
RANKS = ("shortest", "middle", "longest")


@dataclass(frozen=True)
class _Single:
    """One single-answer question of three options or more: where it is, the length rank of its
    correct option, and how many options it has (chance's share of each rank follows from it)."""

    path: str
    line: int
    rank: str
    options: int


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|\*|`+|\$)(.+?)\1")
_TAG = re.compile(r"<[^>]+>|\{[:#.][^}]*\}")


def _length(text: str) -> int:
    """The characters a learner sees of an option's Markdown: no link targets, emphasis marks,
    backticks, math delimiters or tags; spaces run together."""
    text = _TAG.sub("", _LINK.sub(r"\1", text))
    text = _MARKS.sub(r"\2", text)
    return len(" ".join(text.split()))


def length_rank(lengths: list[int], right: int) -> str:
    """The rank of option `right` among `lengths`: shortest or longest only when strictly so (a
    tie reads as the same rank, which is not a cue), else middle."""
    mine, others = lengths[right], lengths[:right] + lengths[right + 1 :]
    if all(mine < o for o in others):
        return "shortest"
    if all(mine > o for o in others):
        return "longest"
    return "middle"


def rank_shares(items: list[_Single]) -> dict[str, tuple[float, float]]:
    """Each rank's (observed, expected) share of the correct options: chance gives a question of
    n options 1/n for shortest and for longest and (n-2)/n for the middle."""
    n = len(items)
    expected = {
        "shortest": sum(1 / s.options for s in items) / n,
        "longest": sum(1 / s.options for s in items) / n,
        "middle": sum((s.options - 2) / s.options for s in items) / n,
    }
    return {rank: (sum(s.rank == rank for s in items) / n, expected[rank]) for rank in RANKS}


def cue_ranks(items: list[_Single]) -> list[str]:
    """The ranks that predict the correct option over a track's questions (issue 56's rule): a
    share above chance's by more than CUE_MARGIN, or a middle share above MIDDLE_MOST where
    chance gives the middle less than that; none under CUE_MIN questions."""
    if len(items) < CUE_MIN:
        return []
    cues = []
    for rank, (seen, chance) in rank_shares(items).items():
        over = seen > chance + CUE_MARGIN + 1e-9
        if rank == "middle" and chance < MIDDLE_MOST and seen > MIDDLE_MOST + 1e-9:
            over = True
        if over:
            cues.append(rank)
    return cues


def quiz_questions(body: str, body_line: int) -> list[tuple[int, QuizQuestion]]:
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
    """A length rank that predicts the correct option in a track; "choose all" questions with
    nearly all options correct, or all with the same number right in a track."""
    out = problems_of(project)
    singles: dict[str, list[_Single]] = {}  # track -> its single-answer questions, in course order
    choose_all: dict[str, list[tuple[str, int, int, int]]] = {}  # track -> (path, line, right, options)
    for doc in project.documents:
        if doc.kind != "lesson" or not doc.lesson_key:
            continue
        track = doc.lesson_key.partition("/")[0]
        for line, q in quiz_questions(doc.body, doc.body_line):
            right = [i for i, o in enumerate(q.options) if o.correct]
            if len(right) == 1 and len(q.options) >= 3 and not q.multiple:
                rank = length_rank([_length(o.text) for o in q.options], right[0])
                singles.setdefault(track, []).append(_Single(doc.path, line, rank, len(q.options)))
            if q.multiple:
                choose_all.setdefault(track, []).append((doc.path, line, len(right), len(q.options)))
            if punctuation_cue(q):
                _punctuation(out, doc.path, line, q)
            if len(q.options) >= CHOOSE_ALL_MIN and len(right) >= len(q.options) - 1:
                out.add(
                    doc.path,
                    line,
                    f"{len(right)} of {len(q.options)} options are correct: ticking every box is "
                    f"{'right' if len(right) == len(q.options) else 'nearly right'} without reading the question",
                    hint="make two or more options wrong but plausible, so that choosing takes knowing",
                    severity="warning",
                    code="TS421",
                )
    for track, items in singles.items():
        _length_cue(out, track, items)
    for track, found in choose_all.items():
        _count_cue(out, track, found)
    return out.items


def count_follows_options(found: list[tuple[str, int, int, int]]) -> dict[int, int] | None:
    """{options: right answers} when a track's choose-all questions give it away: all with the same
    number right, or every question of one option count with the same number right as the others
    of that count, over SAME_COUNT_MIN questions or more that share their option count with
    another. None when the count varies."""
    counts: dict[int, set[int]] = {}
    for _, _, right, options in found:
        counts.setdefault(options, set()).add(right)
    if any(len(c) > 1 for c in counts.values()):
        return None
    shared = sum(1 for *_, options in found if sum(1 for *_, o in found if o == options) > 1)
    if len({n for _, _, n, _ in found}) == 1 and len(found) >= SAME_COUNT_MIN or shared >= SAME_COUNT_MIN:
        return {options: next(iter(c)) for options, c in sorted(counts.items())}
    return None


def _count_cue(out, track: str, found: list[tuple[str, int, int, int]]) -> None:
    given = count_follows_options(found)
    if given is None:
        return
    path, line, n, _ = found[0]
    if len(set(given.values())) == 1:
        message = f'all {len(found)} "choose all" questions of track {track!r} have exactly {n} right answers'
        lesson = f"a learner learns to tick {n}"
    else:
        pairs = ", ".join(f"{o} options: {r} right" for o, r in given.items())
        message = f'the {len(found)} "choose all" questions of track {track!r} have as many right answers as their option count gives ({pairs})'
        lesson = "a learner who counts the boxes knows how many to tick"
    out.add(
        path,
        line,
        f"{message}: {lesson}",
        hint="vary how many are right (one, two, three, four) from question to question, whatever the number of options",
        severity="warning",
        code="TS422",
    )


_ENDINGS = ".!?;:…"


def _ending(text: str) -> str:
    """The punctuation mark an option's visible text ends with, or "" for none."""
    text = _TAG.sub("", text).rstrip().rstrip("*_`)\"'’”").rstrip()
    return text[-1] if text and text[-1] in _ENDINGS else ""


def _ending_name(mark: str) -> str:
    return f"{mark!r}" if mark else "no punctuation"


def punctuation_cue(q: QuizQuestion) -> bool:
    """The right options end one way and the wrong ones, at least two, another: the learner can
    pick by the full stop."""
    rights = {_ending(o.text) for o in q.options if o.correct}
    wrongs = [_ending(o.text) for o in q.options if not o.correct]
    return len(rights) == 1 and len(wrongs) >= 2 and len(set(wrongs)) == 1 and rights != set(wrongs)


def _punctuation(out, path, line: int, q: QuizQuestion) -> None:
    right = next(o.text for o in q.options if o.correct)
    wrong = next(o.text for o in q.options if not o.correct)
    several = sum(1 for o in q.options if o.correct) > 1
    out.add(
        path,
        line,
        f"the right option{'s alone end' if several else ' alone ends'} with {_ending_name(_ending(right))}, "
        f"the others with {_ending_name(_ending(wrong))}: a learner can pick by the punctuation",
        hint="end every option the same way (all with a full stop, or none)",
        severity="warning",
        code="TS423",
    )


def _length_cue(out, track: str, items: list[_Single]) -> None:
    """One warning for a track whose correct options' length ranks are a cue, at its first
    question with the correct option in the over-represented rank, naming every rank's count."""
    cues = cue_ranks(items)
    if not cues:
        return
    first = next(s for s in items if s.rank in cues)
    shares = rank_shares(items)
    counts = "; ".join(
        f"{rank} {sum(s.rank == rank for s in items)} ({seen:.0%}, chance {chance:.0%})"
        for rank, (seen, chance) in shares.items()
    )
    out.add(
        first.path,
        first.line,
        f"in track {track!r} the correct option is the {' and the '.join(cues)} one far more often than chance "
        f"over {len(items)} single-answer questions ({counts}): a learner can score by picking by length",
        hint=f"make the right option sometimes the shortest, sometimes the longest, sometimes neither (each rank "
        f"within {CUE_MARGIN:.0%} of chance, the middle at most {MIDDLE_MOST:.0%} with three options); put "
        "reasons in `explain`, not in a distractor's text",
        severity="warning",
        code="TS420",
    )


def dated_phrases(project) -> list:
    """Phrases true only when written, outside the pages marked `dated_facts: true` and the pages
    of the instructor view only (`audience: instructors`): no learner reads those, as no learner
    reads an instructor block of a lesson."""
    out = problems_of(project)
    for doc in project.documents:
        meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
        if meta.get("dated_facts") is True or meta.get("audience") == "instructors":
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
    numbers, prose = prose_text(body, body_line, _NOT_SHOWN)
    if not _may_date(prose):
        return []
    texts = prose.split("\n")
    original = body.split("\n")
    found = []
    for i in _dated_lines(prose, texts):
        line, text = numbers[i], texts[i]
        for m in DATED.finditer(text):
            source = original[line - body_line] if 0 <= line - body_line < len(original) else ""
            at = source.find(m.group())
            found.append((line, at + 1 if at >= 0 else None, m.group()))
    return found


def _dated_lines(prose: str, texts: list[str]) -> list[int]:
    """The index of each line of `prose` (split: `texts`) that holds one of _DATED_WORDS, in
    order: every match of DATED holds one, and the regex, tried at every place of every line, was
    most of this check. All lines when a letter IGNORECASE folds to ASCII is there, or when
    lower-casing changes the offsets."""
    lowered = prose.lower()
    if len(lowered) != len(prose) or any(c in prose for c in FOLDED_TO_ASCII):
        return list(range(len(texts)))
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
    return sorted({bisect.bisect_right(starts, at) - 1 for at in offsets(lowered, _DATED_WORDS)})
