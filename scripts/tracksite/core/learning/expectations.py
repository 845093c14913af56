"""What practice a track expects of its lessons (track.yml `expects`), applied to the warnings.

A track of the bundled course expects a quiz, flashcards and a solution for every exercise, and
`tracksite check` warns about a lesson that lacks them. A track imported from a format that has
no quizzes (a Carpentries lesson) declares that it expects none of them: the warnings it could
never act on are left out, and those that matter (a broken link, a term used before it is
taught) are not buried under them.
"""

from __future__ import annotations

from tracksite.core.problems.problem import Problem, ProblemList
from tracksite.core.widgetregistry import FLASHCARDS, QUIZ

# Which expectation each kind of warning stands for, by its field and the start of its message.
_PRACTICE = "practised"  # coverage.py: objectives no quiz, exercise or flashcard practises
_SOLUTION = "the exercise has no solution"  # widgets/validate.py


def _expectation(problem: Problem) -> set[str] | None:
    """The expectations a warning stands for (any one of them keeps it), or None for any other."""
    if problem.severity != "warning":
        return None
    if (problem.field or "").startswith("objectives") and _PRACTICE in problem.message:
        return {QUIZ.name, FLASHCARDS.name}
    if problem.message.startswith(_SOLUTION):
        return {"solutions"}
    return None


def _track_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] in ("lessons", "cheatsheets") else None


def apply(problems: ProblemList, curriculum) -> None:
    """Leave out, in place, the warnings about practice a lesson's track does not expect."""
    kept = []
    for p in problems.items:
        wanted = _expectation(p)
        track = curriculum.track(_track_of(p.path) or "") if wanted else None
        if wanted is not None and track is not None and not wanted & set(track.expects):
            continue
        kept.append(p)
    problems.items[:] = kept
