"""What an instructor writes, as the model's dataclasses: GENERATED from core/schema/specs.py
by core/model/generate.py. Do not edit: change the schema, then run `tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.schema.choices import BrokenLinks, Difficulty, MathLevel, PracticeRule, Status, TrackStage


@dataclass(frozen=True, kw_only=True)
class Prerequisite:
    """One of a lesson's `prerequisites:`."""

    #: Slug of a lesson in this track, or track/slug.
    lesson: str | None = None
    #: A prerequisite that is not a lesson.
    text: str | None = None
    #: With `text:`, where a newcomer learns it: a page of the course's docs/ (`basics.md`) or a web address
    #: (`https://...`); the text is shown as a link to it.
    link: str | None = None
    #: The line it was written on.
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class Phase:
    """One of track.yml's `phases:`."""

    #: The phase's title.
    title: str
    #: Lesson slugs in order: the only source of lesson numbers.
    lessons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Imported:
    """track.yml `imported:` of a track `tracksite import` wrote."""

    #: The lesson the track was imported from: its address or folder name.
    source: str | None = None
    #: How check treats a link to a heading the target page lacks: `warning` (TS308) or `error` (TS302).
    broken_links: BrokenLinks = BrokenLinks.WARNING


@dataclass(frozen=True, kw_only=True)
class LessonFields:
    """A lesson's front-matter (core/model/course.py's `Lesson` adds where it lives)."""

    #: The lesson's title.
    title: str
    #: One sentence; shown on the track page and used as the meta description.
    summary: str
    #: What a learner can do by the end ("By the end, you'll be able to").
    objectives: tuple[str, ...]
    #: The questions the lesson answers, shown at its top ("Questions this lesson answers").
    questions: tuple[str, ...] = ()
    #: What to remember, shown at the foot of the lesson and gathered on the track's Key points page.
    keypoints: tuple[str, ...] = ()
    #: What to know first: lessons (linked) or text.
    prerequisites: tuple[Prerequisite, ...] = ()
    #: Reading time in minutes; kept within 30% of the estimate from the prose (200 words a minute, plus time per
    #: formula).
    read: int
    #: Minutes for the practice section.
    practice: int | None = None
    #: Minutes an instructor plans to teach the lesson in a workshop (an imported Carpentries episode's `teaching:`);
    #: the lesson's time is then teaching and practice, not reading and practice.
    teach: int | None = None
    #: How demanding the lesson is.
    difficulty: Difficulty = Difficulty.STANDARD
    #: How much mathematics the lesson uses.
    math: MathLevel = MathLevel.NONE
    #: Lessons of other tracks that go deeper: a "Go deeper" box.
    deep_dives: tuple[str, ...] = ()
    #: Source attribution shown at the foot of the lesson.
    credits: str | None = None
    #: Drafts show under `mkdocs serve` only.
    status: Status = Status.PUBLISHED
    #: This page is the course's place for facts that date (`as of 2026`, `the largest models`): the dated-phrase
    #: warning leaves it alone, so such snapshots are kept, and updated, in one place.
    dated_facts: bool = False


@dataclass(frozen=True, kw_only=True)
class TrackFields:
    """A track's track.yml (core/model/course.py's `Track` adds where it lives)."""

    #: The track's number, unique in the course.
    number: int
    #: The track's title.
    title: str
    #: One or two sentences for the home page.
    summary: str
    #: Phases in order, each with its lessons.
    phases: tuple[Phase, ...]
    #: The practice every lesson of the track is expected to have: `quiz`, `flashcards` (objectives no quiz or
    #: flashcard practises are warned about) and `solutions` (an exercise without one is warned about). An empty list
    #: expects none, e.g. for a lesson imported from a format without quizzes.
    expects: tuple[str, ...] = (W.QUIZ.name, W.FLASHCARDS.name, "solutions")
    #: How `tracksite check` treats a lesson objective that no practice touches: `suggested`, a warning (quiz
    #: questions, exercises and flashcards count); `required`, an error (only quiz questions and exercises count, since
    #: a flashcard recalls and does not check).
    practice: PracticeRule = PracticeRule.SUGGESTED
    #: The track's language when it differs from the course's (`theme.language`), as a language tag (`es`, `pt-BR`):
    #: its pages carry it as `lang`, its interface strings come from that language's catalogue and search stems its
    #: words in it. `tracksite import` sets it from a lesson's `lang:`.
    language: str | None = None
    #: How finished the track is, in the stages of the Carpentries' lesson life cycle: `pre-alpha` (written, not yet
    #: taught), `alpha` (taught once, being revised), `beta` (ready for other instructors) or `stable`. The track's
    #: page and its card on the home page show it; `tracksite import carpentries` sets it from a lesson's
    #: `life_cycle:`.
    stage: TrackStage | None = None
    #: Set by `tracksite import` on a track it imported: where the lesson came from, and how `tracksite check` treats
    #: the lesson's own broken links (an anchor that was a typo upstream).
    imported: Imported | None = None


@dataclass(frozen=True, kw_only=True)
class TermFields:
    """One term of glossary.yml (core/model/glossary.py's `Term` adds its track and file)."""

    #: The term as learners read it; a plural (-s, -es) counts as a use too.
    term: str
    #: One or two sentences, shown in the tooltip and on the glossary page.
    definition: str
    #: Other spellings or forms that also count as a use.
    aliases: tuple[str, ...] = ()
    #: The lesson that teaches the term ("taught in"): a slug of this track, or track/slug.
    lesson: str
    #: An earlier lesson of this track that names the term briefly before `lesson` teaches it (or, when `lesson` is in
    #: another track, the lesson of this track that explains it first): uses from that lesson on are expected, not
    #: warned about.
    introduced: str | None = None
    #: The line it was written on.
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class RemoteFileFields:
    """One entry of remote-files.yml (core/model/listing.py's `RemoteFile` adds its file)."""

    #: The file's address, exactly as the pages, drawings and style sheets name it.
    url: str
    #: The file's licence, as an SPDX id (or `public-domain`).
    licence: str
    #: Who made it, as its licence asks to be credited; shown to learners under every page that uses it. Required
    #: unless the licence is CC0-1.0, Unlicense or public-domain.
    credit: str | None = None
    #: The page the file comes from (its author and licence), linked from the credit.
    source: str | None = None
    #: The line it was written on.
    line: int | None = None
