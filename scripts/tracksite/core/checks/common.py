"""What the passes share: a problem list relative to the project root, and "did you mean"."""

from __future__ import annotations

import difflib

from tracksite.core.problems.problem import ProblemList


def problems_of(project) -> ProblemList:
    """An empty list whose paths are shown relative to the project root."""
    return ProblemList(project.root)


def near(word: str, options) -> str | None:
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {found[0]!r}?" if found else None
