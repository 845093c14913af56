"""Root cause first: the problem an instructor has to fix, before (and instead of) its echoes.

One slip often surfaces as many problems. A YAML error in a lesson's front-matter drops the
lesson, so every link to it is "broken"; `phase:` typed for `phases:` in track.yml leaves the
track without lessons, so each lesson folder is "not listed" and each cheatsheet "has no
lesson". Listing the echoes first buries the cause. `refine` runs once on the finished problem
list: it explains YAML errors in plain words (`yamlhelp`), marks the causes so they sort first,
drops the problems that follow from a cause (the cause's hint says how many will clear with it),
and adds a did-you-mean to unknown lesson slugs and image names.
"""

from __future__ import annotations

import dataclasses
import difflib
import posixpath
import re
from pathlib import Path

from tracksite.core.problems.problem import Problem, ProblemList
from tracksite.core.schema import explain as yamlhelp

_NO_LESSON = re.compile(r"no lesson '(?P<lesson>[^']+)' in track '(?P<track>[^']+)'")
_NO_TRACK = re.compile(r"no track '(?P<track>[^']+)'")
_NOT_LISTED = re.compile(r"lesson folder '[^']+' is not listed in (?P<track>[^/]+)/track\.yml")
_CHEATSHEET = re.compile(r"cheatsheet has no lesson: (?P<track>[^/]+)/track\.yml")
_MISSING_KEY = re.compile(r"missing required key '(?P<key>[^']+)'")
_UNKNOWN_MEANT = re.compile(r"did you mean '(?P<key>[^']+)'\?")
_IMAGE_MISSING = re.compile(r"image '(?P<target>[^']+)' not found")


def refine(problems: ProblemList, curriculum) -> None:
    """Rewrite `problems` in place: YAML in plain words, causes marked, echoes dropped."""
    items = [_plain_yaml(p, problems.root) for p in problems.items]
    causes: dict[int, int] = {}  # index of a cause -> how many echoes its hint announces
    kept: list[int] = []
    for i, p in enumerate(items):
        cause, counted = _cause_of(p, items, curriculum)
        if cause is not None and cause != i:
            causes[cause] = causes.get(cause, 0) + counted
            continue
        kept.append(i)
    result = []
    for i in kept:
        p = items[i]
        if _is_plain_yaml(p) or i in causes:
            p = dataclasses.replace(p, cause=True, hint=_with_echoes(p.hint, causes.get(i, 0)))
        result.append(_did_you_mean(p, curriculum, problems.root))
    problems.items[:] = result


def _cause_of(p: Problem, items: list[Problem], curriculum) -> tuple[int | None, int]:
    """The index in `items` of the problem `p` follows from, if any, and whether to count it."""
    if p.severity != "error":
        return None, 0
    m = _NO_LESSON.search(p.message)
    if m and curriculum.lesson(f"{m['track']}/{m['lesson']}") is None:
        for where in (f"lessons/{m['track']}/{m['lesson']}/lesson.md", f"lessons/{m['track']}/track.yml"):
            cause = _structural_error(items, where)
            if cause is not None and where != p.path:
                return cause, 1
    m = _NO_TRACK.search(p.message) or _NOT_LISTED.search(p.message) or _CHEATSHEET.search(p.message)
    if m:
        return _structural_error(items, f"lessons/{m['track']}/track.yml"), 1
    m = _IMAGE_MISSING.search(p.message)
    if m:  # the file is there but its own check refused it: that refusal is the cause
        image = posixpath.normpath(posixpath.join(posixpath.dirname(p.path), m["target"]))
        refused = [i for i, other in enumerate(items) if other.path == image and other.severity == "error"]
        if refused:
            return refused[0], 1
    m = _MISSING_KEY.search(p.message)
    if m:  # `phase:` typed for `phases:`: the unknown key's did-you-mean already says it all
        for i, other in enumerate(items):
            meant = _UNKNOWN_MEANT.search(other.hint or "")
            if other.path == p.path and "unknown key" in other.message and meant and meant["key"] == m["key"]:
                return i, 0
    return None, 0


def _structural_error(items: list[Problem], path: str) -> int | None:
    """The first error that kept `path` from being read as a whole: a YAML slip, an unknown or
    missing key, a file that is not a mapping; the one to fix first."""
    found = [
        i
        for i, p in enumerate(items)
        if p.path == path and p.severity == "error" and (_is_plain_yaml(p) or any(w in p.message for w in _STRUCTURAL))
    ]
    found.sort(
        key=lambda i: (
            0 if _is_plain_yaml(items[i]) else 1,
            1 if _MISSING_KEY.search(items[i].message) else 0,
            items[i].line or 0,
        )
    )
    return found[0] if found else None


_STRUCTURAL = (
    "unknown key",
    "missing required key",
    "expected a mapping",
    "file is empty",
    "front-matter",
    "cannot read file",
    "not a regular file",
    "NUL bytes",
    "is not allowed in YAML",
    "tab used for indentation",
)


def _with_echoes(hint: str | None, echoes: int) -> str | None:
    if not echoes:
        return hint
    also = (
        f"fixing this also clears the {echoes} errors that follow from it"
        if echoes > 1
        else "fixing this also clears the error that follows from it"
    )
    return f"{hint}; {also}" if hint else also


# -- YAML in plain words -------------------------------------------------------------------------


def _plain_yaml(p: Problem, root: Path) -> Problem:
    if not p.message.startswith(yamlhelp.PREFIX):
        return p
    try:
        lines = (root / p.path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return p
    explained = yamlhelp.explain(p.message, lines, p.line)
    if explained is None:
        return p
    message, hint = explained
    return dataclasses.replace(p, message=f"{yamlhelp.PREFIX}{message}", hint=hint)


def _is_plain_yaml(p: Problem) -> bool:
    return p.message.startswith(yamlhelp.PREFIX)


# -- did you mean ------------------------------------------------------------------------------


def _did_you_mean(p: Problem, curriculum, root: Path) -> Problem:
    if p.hint and "did you mean" in p.hint:
        return p
    m = _NO_LESSON.search(p.message)
    if m:
        options = [l.slug for l in curriculum.lessons_of(m["track"])] if curriculum.track(m["track"]) else []
        return _suggest(p, m["lesson"], options + _lesson_folders(root, m["track"]))
    m = _NO_TRACK.search(p.message)
    if m:
        return _suggest(p, m["track"], [t.slug for t in curriculum.tracks])
    m = _IMAGE_MISSING.search(p.message)
    if m:
        folder = (root / p.path).parent
        names = [f.relative_to(folder).as_posix() for f in folder.rglob("*") if f.is_file() and f.suffix != ".md"]
        return _suggest(p, m["target"], names)
    return p


def _suggest(p: Problem, word: str, options: list[str]) -> Problem:
    near = difflib.get_close_matches(word, sorted(set(options) - {word}), n=1, cutoff=0.6)
    if not near:
        return p
    mean = f"did you mean {near[0]!r}?"
    return dataclasses.replace(p, hint=f"{mean} {p.hint}" if p.hint else mean)


def _lesson_folders(root: Path, track: str) -> list[str]:
    folder = root / "lessons" / track
    return [d.name for d in folder.iterdir() if d.is_dir()] if folder.is_dir() else []
