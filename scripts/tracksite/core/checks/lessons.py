"""References between lessons in front-matter: prerequisites and deep dives."""

from __future__ import annotations

import re

from tracksite.core.checks.common import near, problems_of
from tracksite.core.markdown import references as refs
from tracksite.core.model.glossary import GLOSSARY_ANCHOR


def resolve(ref: refs.Ref, project, source_is_draft: bool) -> str | None:
    """Why `ref` leads nowhere on the learner site, or None. A published page that links to a
    draft is an error whether or not this run includes drafts: the learner site leaves the
    draft out, so `check` (drafts included) and the build (drafts left out) agree."""
    if ref.kind == "glossary":
        return refs.resolve(ref, project.curriculum) or _term_problem(ref, project)
    if ref.kind != "track" and not source_is_draft:
        key = f"{ref.track}/{ref.lesson}"
        if key in project.drafts:
            return f"{key!r} is a draft, left out of the learner site; link to it once it is published"
    return refs.resolve(ref, project.curriculum)


def _term_problem(ref: refs.Ref, project) -> str | None:
    """Why `glossary:term` names no term of the track's glossary (lessons/<track>/glossary.yml)."""
    anchors = [t.anchor for t in project.glossary.terms if t.track == ref.track]
    if ref.anchor in anchors:
        return None
    slug = (ref.anchor or "").removeprefix(GLOSSARY_ANCHOR)
    known = ", ".join(a.removeprefix(GLOSSARY_ANCHOR) for a in anchors[:8]) or "none"
    return f"no term {slug!r} in lessons/{ref.track}/glossary.yml (terms: {known})"


def lesson_documents(project) -> dict:
    """lesson key -> its lesson.md Document."""
    return {d.lesson_key: d for d in project.documents if d.kind == "lesson"}


def lesson_references(project) -> list:
    """Prerequisites and deep dives name real, published lessons; a deep dive leaves its track."""
    out = problems_of(project)
    all_lessons = list(project.curriculum.all_lessons())
    docs = lesson_documents(project)
    for lesson in all_lessons:
        doc = docs.get(lesson.key)
        if doc is None:
            continue
        _prerequisites(out, project, lesson, doc)
        _deep_dives(out, project, lesson, doc, all_lessons)
    return out.items


def _prerequisites(out, project, lesson, doc) -> None:
    """Each prerequisite's `link:` leads somewhere, and its `lesson:` is another lesson, real and
    published (TS214); a slug of its own track alone is read in that track."""
    for i, pre in enumerate(lesson.prerequisites):
        if pre.link:
            _prerequisite_link(out, project, doc.path, pre, i)
        if pre.lesson is None:
            continue
        ref = refs.parse(f"lesson:{pre.lesson}", lesson.track)
        why = ref if isinstance(ref, str) else resolve(ref, project, lesson.is_draft)
        if why:
            out.add(
                doc.path,
                pre.line,
                why,
                field=f"prerequisites[{i}].lesson",
                hint=_near_lesson(why, pre.lesson, [l.slug for l in project.curriculum.lessons_of(lesson.track)]),
                code="TS214",
            )
        elif not isinstance(ref, str) and ref.track == lesson.track and ref.lesson == lesson.slug:
            out.add(
                doc.path,
                pre.line,
                "a lesson cannot be its own prerequisite",
                field=f"prerequisites[{i}].lesson",
                code="TS214",
            )


def _deep_dives(out, project, lesson, doc, all_lessons: list) -> None:
    """Each deep dive is a real, published lesson of another track (TS216): one of its own
    track is a link in the text or a prerequisite. `all_lessons`: the course's, for a hint."""
    for i, target in enumerate(lesson.deep_dives):
        line = doc.meta.line("deep_dives", i)
        ref = refs.parse(f"lesson:{target}", None)
        why = ref if isinstance(ref, str) else resolve(ref, project, lesson.is_draft)
        if why:
            out.add(
                doc.path,
                line,
                why,
                field=f"deep_dives[{i}]",
                hint=_near_lesson(why, target, [l.key for l in all_lessons]),
                code="TS216",
            )
        elif not isinstance(ref, str) and ref.track == lesson.track:
            out.add(
                doc.path,
                line,
                f"deep dive {target!r} is in the same track; a deep dive leads into another track",
                field=f"deep_dives[{i}]",
                hint="link to it in the text, or name it as a prerequisite",
                code="TS216",
            )


def _prerequisite_link(out, project, path, pre, i: int) -> None:
    """A prerequisite's `link:` leads somewhere: it goes with `text:` (a lesson is linked by
    itself), and a docs/ page it names is one the course has."""
    if pre.lesson is not None:
        why, hint = "`link:` goes with `text:`: a lesson prerequisite is linked already", "remove `link:`"
    elif "://" not in pre.link and pre.link not in {d.src_uri for d in project.documents if d.kind == "page"}:
        pages = sorted(d.src_uri for d in project.documents if d.kind == "page")
        why = f"no page {pre.link!r} in docs/"
        hint = near(pre.link, pages) or "name a Markdown page of docs/ (`basics.md`) or a web address"
    else:
        return
    out.add(path, pre.line, why, field=f"prerequisites[{i}].link", hint=hint, code="TS214")


_TRACK_NUMBER = re.compile(r"\btrack\s+(\d+)\b", re.I)
_NAMED_TRACK = re.compile(r"([\w-]+)\s+track\b", re.I)
# words before "track" that point at a track without naming one
_NOT_A_NAME = frozenset(
    "a an the this that each every any one first second previous next last same other our your".split()
)


def prerequisite_tracks(project) -> list:
    """A prerequisite's text that names a track the course does not have ("the neural-network
    basics track", "Track 2"): the home page lists the first lesson's prerequisites as what a
    newcomer needs, and a learner looks for that track in vain."""
    out = problems_of(project)
    c = project.curriculum
    numbers = {t.number for t in c.tracks}
    title_words = {w for t in c.tracks for w in re.findall(r"[\w-]+", t.title.lower())}
    docs = lesson_documents(project)
    for lesson in c.all_lessons():
        doc = docs.get(lesson.key)
        for i, pre in enumerate(lesson.prerequisites):
            if doc is None or not pre.text:
                continue
            missing = [m.group() for m in _TRACK_NUMBER.finditer(pre.text) if int(m.group(1)) not in numbers]
            missing += [
                m.group()
                for m in _NAMED_TRACK.finditer(pre.text)
                if m.group(1).lower() not in _NOT_A_NAME | title_words
            ]
            for named in missing[:1]:
                have = ", ".join(f"Track {t.number}: {t.title}" for t in c.tracks)
                out.add(
                    doc.path,
                    pre.line,
                    f"prerequisite {pre.text!r} names {named!r}, which is not a track of this course ({have})",
                    field=f"prerequisites[{i}].text",
                    hint="name what to know in words of its own, or a lesson (`- lesson: track/slug`), which is linked",
                    severity="warning",
                    code="TS220",
                )
    return out.items


def _near_lesson(why: str, written: str, options) -> str | None:
    return near(written, options) if why.startswith("no lesson") else None


def prerequisite_cycles(project) -> list:
    """Prerequisites never go round in a circle (A needs B needs A): a learner could not start.
    Each cycle is reported once, at the prerequisite line that closes it in its first lesson."""
    out = problems_of(project)
    c = project.curriculum
    docs = lesson_documents(project)
    needs: dict[str, list[tuple[str, int | None]]] = {}
    for lesson in c.all_lessons():
        for pre in lesson.prerequisites:
            ref = refs.parse(f"lesson:{pre.lesson}", lesson.track) if pre.lesson else None
            key = f"{ref.track}/{ref.lesson}" if isinstance(ref, refs.Ref) else None
            if key and key != lesson.key and c.lesson(key) and key in docs:
                needs.setdefault(lesson.key, []).append((key, pre.line))
    reported: set[frozenset] = set()
    for start in sorted(needs):
        cycle = _cycle_from(start, needs)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        line = next(ln for key, ln in needs[start] if key == cycle[1])
        shown = " -> ".join(cycle)
        out.add(
            docs[start].path,
            line,
            f"prerequisites form a cycle: {shown}",
            field="prerequisites",
            hint="a lesson cannot need a lesson that needs it; drop one of these",
            code="TS215",
        )
    return out.items


def _cycle_from(start: str, needs: dict) -> list[str] | None:
    """The shortest path of prerequisites from `start` back to itself, or None."""
    paths = [[start]]
    seen = {start}
    while paths:
        grown = []
        for path in paths:
            for nxt, _ in needs.get(path[-1], ()):
                if nxt == start:
                    return path + [start]
                if nxt not in seen:
                    seen.add(nxt)
                    grown.append(path + [nxt])
        paths = grown
    return None
