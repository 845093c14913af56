"""The instructor's schedule of a track: cumulative times and every lesson's teaching notes.

Built as Markdown from the model and the lessons' `/// instructor` blocks, so any engine can
render it; only the instructor build publishes it.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from tracksite.core import messages
from tracksite.core import widgetregistry as W
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import block_text, find_blocks, iter_blocks

if TYPE_CHECKING:  # an annotation only: the loader sits above the schedule
    from tracksite.core.model.project import Project


def instructor_notes(markdown: str) -> list[str]:
    """The text of every closed `/// instructor` block, nested blocks included."""
    blocks, _ = find_blocks(markdown)
    return [block_text(markdown, b).strip() for b in iter_blocks(blocks) if b.name == W.INSTRUCTOR.name and b.closed]


def schedule_src_uri(track: str) -> str:
    return f"{track}/schedule.md"


def schedule_markdown(project: Project, track_slug: str, lang: str | None = None) -> str:
    """The schedule page in `lang`, the track's language (a track imported from a Spanish
    lesson into an English course has it in Spanish, as its other pages)."""
    c = project.curriculum
    track = c.track(track_slug)
    assert track is not None
    words = messages.catalogue(lang)
    here = schedule_src_uri(track_slug)
    # a track planned for a workshop (lessons with `time.teach`, as imported Carpentries episodes
    # are) is scheduled by its teaching minutes, as its source plans it, not by reading time
    teach = any(lesson.teach for lesson in c.lessons_of(track_slug))
    way = "Teach" if teach else "Read"
    columns = ("schedLesson", "schedTitle", f"sched{way}", "schedPractice", "schedCumulative")
    lines = [
        "# " + words.text("schedHeading", n=track.number, title=_md(track.title)),
        "",
        words.text(f"schedIntro{way}"),
        "",
        "| " + " | ".join(words.text(key) for key in columns) + " |",
        "|---:|---|---:|---:|---:|",
    ]
    total = 0
    for lesson in c.lessons_of(track_slug):
        total += lesson.minutes
        link = refs.relative_src(here, refs.src_uri("lesson", lesson.track, lesson.slug))
        pos = c.position(lesson)
        lines.append(
            f"| {pos.number} | [{_md(lesson.title)}]({link}) | {lesson.teach or lesson.read} min | "
            f"{lesson.practice or 0} min | {_duration(total)} |"
        )
    lines += ["", words.text(f"schedTotal{way}", total=_duration(total)), ""]
    for lesson in c.lessons_of(track_slug):
        pos = c.position(lesson)
        lines += ["## " + words.text("schedLessonHeading", n=pos.number, title=_md(lesson.title)), ""]
        doc = project.document(refs.src_uri("lesson", lesson.track, lesson.slug))
        notes = instructor_notes(doc.body) if doc else []
        if doc is not None and notes:
            for note in notes:
                lines += [_moved(note, doc.src_uri, here), ""]
        else:
            lines += [words.text("schedNoNotes"), ""]
    return "\n".join(lines)


def _moved(note: str, from_src: str, to_src: str) -> str:
    """A lesson's note as the schedule shows it: its relative links and figures (written from the
    lesson's folder) point from the schedule's folder instead; `lesson:` links are resolved later."""
    replacements = {}
    for link in refs.find_links(note, 1):
        target = link.target
        if refs.scheme_of(target) or re.match(r"^(?:[a-z][a-z0-9+.-]*:|/)", target, re.I):
            continue
        path, hash_, anchor = target.partition("#")
        full = posixpath.normpath(posixpath.join(posixpath.dirname(from_src), path)) if path else from_src
        replacements[(link.start, link.end)] = refs.relative_src(to_src, full) + hash_ + anchor
    return refs.rewrite(note, replacements)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _md(text: str) -> str:
    """Instructor text as Markdown text, never as markup."""
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)
