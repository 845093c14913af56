"""The course as data: tracks, phases and lessons, with numbering computed from track.yml.

Plain frozen dataclasses and no engine imports, so that a later move away from MkDocs keeps
all of this. A lesson never stores its own number or neighbours: the curriculum derives them
from the order of slugs in track.yml, which is the one source of truth.

What an instructor writes is described once, in core/schema/specs.py: the dataclasses of it
(core/model/shapes.py: a lesson's front-matter, track.yml, a phase, a prerequisite, `imported:`)
are generated from there (core/model/generate.py, `tracksite docs --write`); the classes here add
what no one writes (a lesson's track, slug and files, a track's slug and path) and what is
computed from it. The loader reads each field with the schema's default (`schema.value`), a
choice arrives as its enum of core/schema/choices.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core.model.shapes import Imported, LessonFields, Phase, Prerequisite, TrackFields
from tracksite.core.schema.choices import Status

__all__ = ["Curriculum", "Imported", "Lesson", "LessonSources", "Phase", "Position", "Prerequisite", "Track"]


@dataclass(frozen=True)
class LessonSources:
    """Where a lesson's three pages come from (overview and cheatsheet may be missing in drafts)."""

    folder: Path
    lesson: Path
    overview: Path | None
    cheatsheet: Path | None
    assets: tuple[Path, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Lesson(LessonFields):
    """A lesson: its front-matter (LessonFields, from the schema), where it lives and its companions' titles."""

    track: str
    slug: str
    sources: LessonSources
    overview_title: str | None = None
    cheatsheet_title: str | None = None

    @property
    def key(self) -> str:
        return f"{self.track}/{self.slug}"

    @property
    def minutes(self) -> int:
        """Reading and practice; a lesson planned for a workshop (`teach`) counts its teaching instead."""
        return (self.teach or self.read) + (self.practice or 0)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


@dataclass(frozen=True, kw_only=True)
class Track(TrackFields):
    """A track: its track.yml (TrackFields, from the schema) and where it lives."""

    slug: str
    path: Path

    @property
    def lesson_slugs(self) -> tuple[str, ...]:
        return tuple(s for p in self.phases for s in p.lessons)


@dataclass(frozen=True)
class Position:
    """Where a lesson sits: computed, never written by hand."""

    number: int
    of: int
    phase_number: int
    phase: Phase


@dataclass
class Curriculum:
    """Every track and lesson that will be published, in order, with lookups the pages need."""

    tracks: list[Track] = field(default_factory=list)
    lessons: dict[str, Lesson] = field(default_factory=dict)  # "track/slug" -> Lesson
    draft_keys: set[str] = field(default_factory=set)  # drafts left out of this build

    def __post_init__(self) -> None:
        self.tracks.sort(key=lambda t: t.number)
        self._track_by_slug = {t.slug: t for t in self.tracks}
        self._order: dict[str, list[Lesson]] = {}
        for t in self.tracks:
            self._order[t.slug] = [
                self.lessons[f"{t.slug}/{s}"] for s in t.lesson_slugs if f"{t.slug}/{s}" in self.lessons
            ]
        self._index = {l.key: i for ls in self._order.values() for i, l in enumerate(ls)}
        self._backlinks: dict[str, list[Lesson]] = {}
        self._positions: dict[str, Position] = {}
        for lesson in self.all_lessons():
            for ref in lesson.deep_dives:
                self._backlinks.setdefault(ref, []).append(lesson)

    def track(self, slug: str) -> Track | None:
        return self._track_by_slug.get(slug)

    def track_of(self, lesson: Lesson) -> Track:
        """The track a published lesson belongs to: it always exists, so no None to check."""
        return self._track_by_slug[lesson.track]

    def lesson(self, key: str) -> Lesson | None:
        return self.lessons.get(key)

    def lessons_of(self, track: str) -> list[Lesson]:
        return self._order.get(track, [])

    def all_lessons(self) -> Iterator[Lesson]:
        for t in self.tracks:
            yield from self._order[t.slug]

    def position(self, lesson: Lesson) -> Position:
        """Where a lesson stands in its track; remembered, as the checks and every page of its
        track ask for it (the glossary's order check once per term and use)."""
        found = self._positions.get(lesson.key)
        if found is None:
            found = self._positions[lesson.key] = self._position(lesson)
        return found

    def _position(self, lesson: Lesson) -> Position:
        track = self._track_by_slug[lesson.track]
        ordered = self._order[lesson.track]
        for i, phase in enumerate(track.phases, 1):
            if lesson.slug in phase.lessons:
                visible = Phase(
                    title=phase.title, lessons=tuple(s for s in phase.lessons if f"{track.slug}/{s}" in self.lessons)
                )
                return Position(self._index[lesson.key] + 1, len(ordered), i, visible)
        raise KeyError(lesson.key)  # pragma: no cover

    def phases_of(self, track: Track) -> list[tuple[Phase, list[Lesson]]]:
        """Phases with their published lessons; a phase left empty by drafts is not shown."""
        out = []
        for phase in track.phases:
            lessons = [self.lessons[f"{track.slug}/{s}"] for s in phase.lessons if f"{track.slug}/{s}" in self.lessons]
            if lessons:
                out.append((phase, lessons))
        return out

    def previous(self, lesson: Lesson) -> Lesson | None:
        i = self._index[lesson.key]
        return self._order[lesson.track][i - 1] if i > 0 else None

    def next(self, lesson: Lesson) -> Lesson | None:
        ordered = self._order[lesson.track]
        i = self._index[lesson.key]
        return ordered[i + 1] if i + 1 < len(ordered) else None

    def backlinks(self, lesson: Lesson) -> list[Lesson]:
        """Lessons that name this one in `deep_dives`: shown as "The brief version"."""
        return self._backlinks.get(lesson.key, [])

    def track_minutes(self, track: Track) -> int:
        return sum(l.minutes for l in self._order[track.slug])
