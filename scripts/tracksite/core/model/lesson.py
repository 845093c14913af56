"""A lesson of the model from its lesson.md's front-matter (core/model/course.py, core/schema/specs.py).

The loader has reported already what does not fit the schema; here every field is read with
the schema's own default (`schema.value`, which gives a choice as its enum of core/schema/choices.py),
and what is malformed falls back to a harmless value so that a build with problems never
crashes. The fields are the schema's (core/model/shapes.py is generated from it), and those
without a default must be given: a field the schema makes required that this forgets fails.
"""

from __future__ import annotations

from tracksite.core.model.course import Lesson, LessonSources, Prerequisite, Track
from tracksite.core.schema import specs as schema
from tracksite.core.sources import MarkdownSource


def lesson_from(
    track: Track,
    slug: str,
    src: MarkdownSource,
    status,
    sources: LessonSources,
    overview: MarkdownSource | None,
    cheatsheet: MarkdownSource | None,
) -> Lesson:
    """The model's lesson from lesson.md's front-matter and its companions' titles."""
    meta = src.meta.value
    return Lesson(
        track=track.slug,
        slug=slug,
        title=_text(meta.get("title"), slug),
        summary=_text(meta.get("summary"), ""),
        objectives=_texts(meta.get("objectives")),
        prerequisites=prerequisites(src),
        read=_minutes(meta.get("time"), "read") or 1,
        practice=_minutes(meta.get("time"), "practice"),
        teach=_minutes(meta.get("time"), "teach"),
        difficulty=schema.value(schema.LESSON, meta, "difficulty"),
        math=schema.value(schema.LESSON, meta, "math"),
        deep_dives=_texts(meta.get("deep_dives")),
        credits=meta.get("credits") if isinstance(meta.get("credits"), str) else None,
        status=status,
        sources=sources,
        overview_title=_text(overview.meta.value.get("title"), None) if overview else None,
        cheatsheet_title=_text(cheatsheet.meta.value.get("title"), None) if cheatsheet else None,
        questions=_texts(meta.get("questions")),
        keypoints=_texts(meta.get("keypoints")),
        dated_facts=meta.get("dated_facts") is True,
    )


def prerequisites(src: MarkdownSource) -> tuple[Prerequisite, ...]:
    """Each prerequisite written in the front-matter, with its line (for the cycle check)."""
    items = src.meta.value.get("prerequisites")
    if not isinstance(items, list):
        return ()
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("lesson"), str):
            out.append(Prerequisite(lesson=item["lesson"], line=src.meta.line("prerequisites", i)))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            link = item.get("link") if isinstance(item.get("link"), str) else None
            out.append(Prerequisite(text=item["text"], link=link, line=src.meta.line("prerequisites", i)))
    return tuple(out)


def _texts(value) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _text(value, default):
    return value if isinstance(value, str) and value.strip() else default


def _minutes(time, key) -> int | None:
    if isinstance(time, dict):
        v = schema.value(schema.TIME, time, key)
        if v:
            return v
    return None
