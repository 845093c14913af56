"""Are a lesson's objectives practised? A problem for each objective no practice touches.

The authoring contract asks that a lesson's practice "together touch every objective". Whether a
question really tests an objective is for people to judge; this check only catches the clear
misses, with a heuristic that is easy to predict:

1. The objective's significant words are its words minus common English words and the verbs
   objectives start with ("explain", "compute", "describe", ...), each reduced to a crude stem
   ("layers" and "layer", "trained" and "training" match).
2. A practice item is one exercise (its task and solution, code included) or one item of a
   data widget that declares its practice text (core/widgets/bodies.py): a quiz question (its
   question, options and explanations together), a flashcard (term and answer), and so on, in
   the lesson's own body.
3. The objective is covered when the practice items together contain at least half of its
   significant stems, and one item alone contains at least two of them (the one, for an
   objective with a single significant word). Objectives often list several things ("describe
   A, B and C") that separate items practise, hence the union; the single-item condition keeps
   a scatter of common words from counting. An objective with no significant words is not
   judged.

What a miss is depends on the track's `practice` setting in track.yml. `suggested` (the
default) makes it a warning, a reminder. `required` makes it an error and counts only the
practice that checks an answer (the registry's `graded`: quiz questions, exercises): a
flashcard asks the learner to recall, and grades nothing.

A lesson with objectives and no practice at all gets one problem instead of one per objective.
Drafts are judged like published lessons.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.problems.problem import Problem
from tracksite.core.widgets.bodies import BODIES

if TYPE_CHECKING:  # pragma: no cover
    from tracksite.core.model.project import Document, Project

_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    """
a about above after again against all also an and any are as at be because been before being
below between both but by can could did do does doing down during each either few for from
further had has have having here how i if in into is it its itself just least less like many
may might more most much must no nor not now of off often on once one only or other our out
over own per same several should so some such than that the their them then there these they
this those through to too two under until up upon very via was way we well were what when where
whether which while who whom why will with within without would yet you your
explain explains describe describes compute computes calculate calculates identify identifies
list lists name names define defines compare compares contrast contrasts distinguish
distinguishes use uses using apply applies recognise recognises recognize recognizes understand
understands know knows give gives state states predict predicts place places choose chooses
decide decides read reads interpret interprets sketch sketches show shows tell tells outline
outlines summarise summarises summarize summarizes discuss discusses argue argues justify
justifies evaluate evaluates assess assesses estimate estimates derive derives trace traces
work works walk walks build builds write writes spot spots say says make makes relate relates
connect connects count counts see sees find finds check checks judge judges reason reasons
able learner learners lesson lessons example examples idea ideas main simple basic key
correctly clearly precisely roughly briefly properly own words
""".split()
)


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem (remembered: a course repeats its words, and every rebuild asks again), applied alike to objectives and practice text, so that plurals, tenses and
    a final e meet: "features", "feature" -> "featur"; "generated", "generating" -> "generat"."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and word[-3:-2] in ("s", "x", "z") or word.endswith(("ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= (4 if suffix == "ed" else 3):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # "running" -> "run"
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def significant(text: str) -> set[str]:
    return {
        stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2 or w.isdigit() and len(w) > 1
    }


@functools.lru_cache(maxsize=1 << 14)
def _stems(item: str) -> frozenset[str]:
    """The stems of one practice item, worked out once for all the lesson's objectives."""
    return frozenset(stem(w) for w in _WORD.findall(item.lower()))


def covers(objective: str, items: list[str]) -> bool:
    """The coverage rule: see the module's docstring."""
    wanted = significant(objective)
    if not wanted:
        return True
    found = [wanted & _stems(item) for item in items]
    together = set().union(*found) if found else set()
    best = max((len(f) for f in found), default=0)
    return len(together) >= math.ceil(len(wanted) / 2) and best >= min(2, len(wanted))


def practice_items(body: str, first_line: int = 1, *, graded_only: bool = False) -> list[str]:
    """The text of each practice item in a Markdown body: exercises and the items of every data
    widget with practice text; with `graded_only`, only those of graded widgets (the
    registry's `graded`: what `practice: required` counts)."""
    blocks, _ = find_blocks(body, first_line)
    items: list[str] = []
    for block in iter_blocks(blocks):
        widget = W.BY_NAME.get(block.name)
        if widget is None or (graded_only and not widget.graded):
            continue
        if block.name == W.EXERCISE.name:
            items.append(block.body)
            continue
        spec = BODIES.get(block.name)
        if spec is not None and spec.practice is not None:
            value, _ = spec.parse(block.body, Path())
            items += spec.practice(value) if value else []
    return items


def _broken_practice(body: str, first_line: int) -> bool:
    """Whether a practice widget of the body (a quiz, a deck) has an error: what it would
    practise is unknown until it is fixed, so a coverage warning now would come before its own
    cause."""
    blocks, _ = find_blocks(body, first_line)
    for block in iter_blocks(blocks):
        spec = BODIES.get(block.name)
        if spec is not None and spec.practice is not None:
            if any(f.severity == "error" for f in spec.parse(block.body, Path())[1]):
                return True
    return False


def objective_warnings(project: Project) -> list[Problem]:
    """One problem per objective of a lesson that no practice touches: a warning, or an error
    in a track whose track.yml says `practice: required`."""
    problems: list[Problem] = []
    for doc in project.documents:
        if doc.kind != "lesson":
            continue
        track = project.curriculum.track((doc.lesson_key or "").partition("/")[0])
        where = functools.partial(_relative, project.root, doc.path)
        problems += _lesson_warnings(doc, where, required=track is not None and track.practice == "required")
    return problems


def _relative(root: Path, path: Path) -> str:
    """`path` from the project's root, as a warning names it: worked out only for a lesson that
    has one (each resolve asks the file system about every folder above, and the check asks one
    lesson at a time)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _lesson_warnings(doc: Document, where: Callable[[], str], *, required: bool = False) -> list[Problem]:
    meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
    objectives = meta.get("objectives")
    if not isinstance(objectives, list):
        return []
    objectives = [(i, o) for i, o in enumerate(objectives) if isinstance(o, str) and o.strip()]
    if not objectives:
        return []
    if _broken_practice(doc.body, doc.body_line):
        return []  # a quiz or deck that does not parse is the error to fix first; its coverage follows
    severity: Literal["error", "warning"]
    severity, kinds = (
        ("error", "quiz question or exercise") if required else ("warning", "quiz question, exercise or flashcard")
    )
    blocks = "quiz or exercise" if required else "quiz, exercise or flashcards"
    items = practice_items(doc.body, doc.body_line, graded_only=required)
    if not items:
        n = len(objectives)
        return [
            Problem(
                where(),
                doc.meta.line("objectives"),
                f"the lesson has no {blocks}, so none of its {n} objective{'s' if n > 1 else ''} is practised",
                field="objectives",
                hint="add a `/// quiz` or an `//// exercise` with a `/// solution` to the Practice section",
                severity=severity,
                code="TS511",
            )
        ]
    missed = [(i, objective) for i, objective in objectives if not covers(objective, items)]
    path = where() if missed else ""
    return [
        Problem(
            path,
            doc.meta.line("objectives", i),
            f"objective {objective!r} is not practised by any {kinds}",
            field=f"objectives[{i}]",
            hint=f"add a question or exercise that uses its key words ({', '.join(sorted(significant(objective))[:6])}), "
            "or reword the objective",
            severity=severity,
            code="TS511",
        )
        for i, objective in missed
    ]
