"""Glossaries: each track defines its terms once, in `lessons/<track>/glossary.yml`.

A term has a short definition, optional aliases, the lesson that teaches it and, optionally, an
earlier lesson that names it briefly first. The same source feeds the tooltips on first use
(`termlinks`), the track's glossary page and the checks: a term used in a lesson before the one
that introduces it, a term its teaching lesson never uses, a term never used, and a term two
tracks define differently. Uses are found in prose only (not code, not widget data), the way a
learner meets them. The field specs live with every other spec in `schema` (GLOSSARY, TERM).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tracksite.core.markdown.prose import offsets, prose_text
from tracksite.core.memo import memo
from tracksite.core.model.glossary import Glossary, Term

if TYPE_CHECKING:  # the loader imports this module
    from tracksite.core.model.course import Curriculum, Lesson
    from tracksite.core.model.project import Project
    from tracksite.core.problems.problem import ProblemList

FILE_NAME = "glossary.yml"
PAGE_KINDS = ("overview", "lesson", "cheatsheet")  # the pages whose prose is searched for terms


def terms_from(track: str, path: Path, located) -> list[Term]:
    """The terms of a glossary document that passed `schema.GLOSSARY` (`located` is a yamlsafe.Located)."""
    out = []
    for i, item in enumerate(located.value.get("terms") or []):
        lesson = str(item["lesson"])
        intro = item.get("introduced")
        out.append(
            Term(
                track=track,
                term=str(item["term"]).strip(),
                definition=str(item["definition"]).strip(),
                aliases=tuple(str(a).strip() for a in item.get("aliases") or ()),
                lesson=lesson if "/" in lesson else f"{track}/{lesson}",
                introduced=f"{track}/{intro}" if intro else None,
                line=located.line("terms", i),
                path=path,
            )
        )
    return out


_MATH = re.compile(r"\$[^$\n]*\$")  # within one line


def first_uses(glossary: Glossary, track: str, body: str, first_line: int) -> dict[Term, int]:
    """Each term of `track` used in `body`, with the line of its first use."""
    pattern, by_form = glossary.matcher(track)
    found: dict[Term, int] = {}
    if pattern is None:
        return found
    forms = memo(
        ("first-forms", pattern.pattern, body, first_line),
        lambda: _first_forms(pattern, tuple(by_form), body, first_line),
    )
    for form, number in forms:
        found.setdefault(by_form[form], number)
    return found


def _first_forms(pattern: re.Pattern, forms: tuple[str, ...], body: str, first_line: int) -> list[tuple[str, int]]:
    """Each form of a term `pattern` matches in the prose of `body`, with the line of its first
    use, in order (remembered by text: a serve rebuild scans again only the pages that changed)."""
    numbers, prose = prose_text(body, first_line)
    # formulas are never marked either; blanked to their own length, so offsets still find the line
    text = _MATH.sub(lambda m: " " * len(m[0]), prose)
    found: dict[str, int] = {}
    at = line = 0  # the line of offset `at`: the matches come in order, so newlines are counted once
    for m in _matches(pattern, forms, text):  # one scan of the page: a form never spans two lines
        form = m.group(1).lower()
        if form not in found:  # its first use: the line of a later one is never asked for
            line += text.count("\n", at, m.start())
            at = m.start()
            found[form] = numbers[line]
    return list(found.items())


def _matches(pattern: re.Pattern, forms: tuple[str, ...], text: str) -> Iterator[re.Match]:
    """What `pattern.finditer(text)` finds. On ASCII text with ASCII forms (lower-cased, none
    empty) a match can start only where `str.find` finds a form in the lower-cased text, so the
    pattern is tried at those places alone: the regex tried every place of the page, a fifth of the
    glossary's check."""
    if not (text.isascii() and forms and all(f and f.isascii() for f in forms)):
        yield from pattern.finditer(text)
        return
    end = 0
    for i in sorted(offsets(text.lower(), forms)):
        if i >= end and (m := pattern.match(text, i)) is not None:
            end = m.end()
            yield m


def conflicts(glossary: Glossary) -> list[tuple[Term, Term]]:
    """Pairs of terms with one name in two tracks and different definitions."""
    seen: dict[str, Term] = {}
    out = []
    for t in glossary.terms:
        other = seen.get(t.term.lower())
        if other is not None and other.track != t.track and _norm(other.definition) != _norm(t.definition):
            out.append((other, t))
        seen.setdefault(t.term.lower(), t)
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


# -- checks --------------------------------------------------------------------------------------
def check(project: Project, glossary: Glossary, problems: ProblemList) -> None:
    """Every glossary problem at once; fills `glossary.used_in` for the glossary pages."""
    c = project.curriculum
    _check_definitions(c, glossary, problems)
    uses = _find_uses(project, glossary)
    for term in glossary.terms:
        here = uses.get(term, {})
        glossary.used_in[term] = [k for k in (l.key for l in c.lessons_of(term.track)) if k in here]
        _check_order(c, term, here, problems)


def _check_definitions(c: Curriculum, glossary: Glossary, problems: ProblemList) -> None:
    forms: dict[tuple[str, str], Term] = {}
    for term in glossary.terms:
        for form in term.forms:
            first = forms.setdefault((term.track, form.lower()), term)
            if first is not term:
                problems.add(
                    term.path,
                    term.line,
                    f"{form!r} is already a term or alias of {first.term!r} (line {first.line})",
                    field="terms",
                    hint="define each term once per track",
                    code="TS601",
                )
        for key, what in ((term.lesson, "lesson"), (term.introduced, "introduced")):
            if key and c.lesson(key) is None and key not in c.draft_keys:
                problems.add(
                    term.path,
                    term.line,
                    f"term {term.term!r}: {what} {key!r} is not a lesson of the course",
                    field=what,
                    hint="write the slug of a lesson listed in track.yml",
                    code="TS602",
                )
        taught, intro = c.lesson(term.lesson), c.lesson(term.introduced or "")
        # an earlier lesson of the teaching track; or, for a term taught in another track, the
        # lesson of this track where the learner first meets it (see _check_taught_elsewhere)
        if taught and intro and intro.track == taught.track and _number(c, intro) >= _number(c, taught):
            problems.add(
                term.path,
                term.line,
                f"term {term.term!r}: `introduced` must be a lesson before the one that teaches it ({taught.slug})",
                field="introduced",
                severity="warning",
                hint="after a move, point `introduced` at the earlier lesson or remove it",
                code="TS603",
            )
    for first, second in conflicts(glossary):
        problems.add(
            second.path,
            second.line,
            f"term {second.term!r} is defined differently in {first.track}/glossary.yml (line {first.line})",
            field="definition",
            hint="a term means one thing in the whole course: use the same definition",
            code="TS604",
        )


def _find_uses(project: Project, glossary: Glossary) -> dict[Term, dict[str, tuple[Path, int]]]:
    """For each term, the lessons whose pages use it: lesson key -> (file, line) of the first use."""
    uses: dict[Term, dict[str, tuple[Path, int]]] = {}
    tracks = {t.track for t in glossary.terms}
    for doc in project.documents:
        if doc.kind not in PAGE_KINDS or doc.track not in tracks or not doc.lesson_key:
            continue
        for term, line in first_uses(glossary, doc.track, doc.body, doc.body_line).items():
            seen = uses.setdefault(term, {})
            if doc.lesson_key not in seen or doc.kind == "lesson":  # the lesson page's own line wins
                seen[doc.lesson_key] = (doc.path, line)
    return uses


def _check_order(c: Curriculum, term: Term, here: dict[str, tuple[Path, int]], problems: ProblemList) -> None:
    taught = c.lesson(term.lesson)
    if not here:
        problems.add(
            term.path,
            term.line,
            f"term {term.term!r} is defined but no lesson, overview or cheatsheet uses it",
            hint="remove it, or add the word where the course relies on it",
            severity="warning",
            code="TS605",
        )
        return
    if taught is None:
        return
    if taught.track != term.track:
        _check_taught_elsewhere(c, term, taught, here, problems)
        return
    if taught.key not in here:
        problems.add(
            term.path,
            term.line,
            f"term {term.term!r}: lesson {taught.slug!r}, which should teach it, never uses it",
            field="lesson",
            hint="point `lesson:` at the lesson that explains the term",
            severity="warning",
            code="TS605",
        )
    intro = c.lesson(term.introduced or "")
    if intro is not None and (intro.key not in here or here[intro.key][0] != intro.sources.lesson):
        problems.add(
            term.path,
            term.line,
            f"term {term.term!r}: lesson {intro.slug!r}, which should introduce it, never uses it"
            + (" (only its overview or cheatsheet does)" if intro.key in here else ""),
            field="introduced",
            hint="point `introduced:` at the lesson that first names the term, or remove it",
            severity="warning",
            code="TS605",
        )
    start = intro or taught
    for key, (path, line) in here.items():
        lesson = c.lesson(key)
        if lesson is not None and _number(c, lesson) < _number(c, start):
            problems.add(
                path,
                line,
                f"term {term.term!r} is used in Lesson {_number(c, lesson)} before Lesson "
                f"{_number(c, taught)} ({taught.slug}) teaches it",
                hint=f"explain it here and point the glossary's `lesson:` at this lesson, or set "
                f"`introduced: {lesson.slug}` in {term.track}/glossary.yml when a brief mention is meant",
                severity="warning",
                code="TS606",
            )


def _check_taught_elsewhere(
    c: Curriculum, term: Term, taught: Lesson, here: dict[str, tuple[Path, int]], problems: ProblemList
) -> None:
    """A term this track's glossary sends to another track's lesson ("Token" taught in Track 5,
    used from Track 4's first lesson): lessons of two tracks have no order, so the learner is
    ready for it from the first lesson of this track that `introduced` names, or that names
    the teaching lesson as a prerequisite (or follows one that does). A use before that is a
    word the learner has not been given."""
    ready = None
    for lesson in c.lessons_of(term.track):
        if lesson.key == (term.introduced or "") or any(
            _prerequisite_key(lesson, p.lesson) == taught.key for p in lesson.prerequisites if p.lesson
        ):
            ready = _number(c, lesson)
            break
    numbers = {key: _number(c, found) for key in here if (found := c.lesson(key)) is not None}
    early = sorted((n, key) for key, n in numbers.items() if ready is None or n < ready)
    for number, key in early[:1]:  # the first use is the one to fix; the rest follow from it
        path, line = here[key]
        later = f"; Lesson {ready} is the first to lead there" if ready else ""
        problems.add(
            path,
            line,
            f"term {term.term!r} is used in Lesson {number}, but {taught.track}/{taught.slug} teaches it and no "
            f"lesson up to here names that lesson as a prerequisite{later}",
            hint=f"add `- lesson: {taught.track}/{taught.slug}` to this lesson's prerequisites, explain the term "
            f"here and set `introduced: {key.partition('/')[2]}` in {term.track}/glossary.yml, or avoid the word",
            severity="warning",
            code="TS620",
        )


def _prerequisite_key(lesson: Lesson, written: str) -> str:
    return written if "/" in written else f"{lesson.track}/{written}"


def _number(c: Curriculum, lesson: Lesson) -> int:
    return c.position(lesson).number
