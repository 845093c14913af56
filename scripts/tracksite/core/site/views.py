"""What each kind of page shows, as plain data for the templates.

Kept out of the adapter so that another engine can draw the same header, tabs, pager and
track listings from the same numbers. URLs are relative to the site root; the template layer
makes them relative to the page.
"""

from __future__ import annotations

from typing import Any

from tracksite.core import messages
from tracksite.core.markdown import references as refs
from tracksite.core.model.course import Curriculum, Lesson, Track
from tracksite.core.schema import specs as schema
from tracksite.core.schema.choices import Difficulty


def choice_label(name: str, value: str, lang: str = "en") -> str:
    """What a page shows for a lesson's `difficulty:` or `math:`, in the page's language; the
    schema's own label (what the editor and `tracksite schema` show) where the catalogue has none."""
    found = messages.catalogue(lang).page.get(f"{name}_{value}")
    return found or schema.label(schema.LESSON, name, value)


def track_label(track: Track, lang: str = "en") -> str:
    """ "Track 4", in the language of the page that shows it (core/messages.py)."""
    return messages.catalogue(lang).text("trackN", n=track.number)


def _imported(c: Curriculum, lesson: Lesson) -> bool:
    track = c.track(lesson.track)
    return track is not None and track.imported is not None


def _facts(c: Curriculum, lesson: Lesson, lang: str) -> dict[str, Any]:
    """A lesson's time and difficulty as its page and its track page show them. An imported
    lesson shows only what its source said: no reading time where the source planned no teaching
    time (`teaching: 0`, or none), no difficulty where it set none (the schema's default)."""
    imported = _imported(c, lesson)
    unset = imported and lesson.difficulty == Difficulty.STANDARD
    return {
        "read": None if imported else lesson.read,
        "teach": lesson.teach,
        "practice": lesson.practice,
        "minutes": lesson.minutes,
        "difficulty": None if unset else choice_label("difficulty", lesson.difficulty, lang),
        "difficulty_key": lesson.difficulty,
        "math": choice_label("math", lesson.math, lang),
    }


def _phases(c: Curriculum, track: Track, lang: str, row) -> list[dict[str, Any]]:
    """The track's phases, each with its lessons as `row` draws them. An imported lesson has no
    phases: its track's (a layout of the course map in columns) are not shown as phases, but as
    one list of its episodes under the word the source uses."""
    phases = list(c.phases_of(track))
    if track.imported is not None and phases:
        lessons = [row(lesson) for _, ls in phases for lesson in ls]
        return [{"title": messages.catalogue(lang).text("impEpisodes"), "number": 1, "plain": True, "lessons": lessons}]
    return [
        {"title": phase.title, "number": i, "plain": False, "lessons": [row(lesson) for lesson in ls]}
        for i, (phase, ls) in enumerate(phases, 1)
    ]


def lesson_link(c: Curriculum, lesson: Lesson, kind: str = "lesson") -> dict[str, Any]:
    pos = c.position(lesson)
    return {
        "key": lesson.key,
        "url": refs.url(kind, lesson.track, lesson.slug),
        "title": lesson.title,
        "number": pos.number,
        "of": pos.of,
    }


def lesson_row(c: Curriculum, lesson: Lesson, lang: str = "en") -> dict[str, Any]:
    """A lesson as listed on its track page."""
    return {
        **lesson_link(c, lesson),
        "summary": lesson.summary,
        **_facts(c, lesson, lang),
        "draft": lesson.is_draft,
    }


def track_summary(c: Curriculum, track: Track, lang: str = "en") -> dict[str, Any]:
    lessons = c.lessons_of(track.slug)
    words = messages.catalogue(lang)
    return {
        "slug": track.slug,
        "label": track_label(track, lang),
        "number": track.number,
        "title": track.title,
        "summary": track.summary,
        "url": refs.url("track", track.slug),
        "lesson_count": len(lessons),
        "minutes": c.track_minutes(track),
        "lesson_minutes": {l.key: l.minutes for l in lessons},
        # "Continue" picks one of these (learner.js): key and "Lesson N, title", in course order
        "continue_lessons": [
            [l.key, words.text("lessonNumbered", n=c.position(l).number, title=l.title)] for l in lessons
        ],
        "first_lesson": lesson_link(c, lessons[0]) if lessons else None,
        "stage": _stage(track, lang),
    }


def _stage(track: Track, lang: str) -> dict[str, str] | None:
    """The track's `stage:` as its page and card show it: the stage's name, and a sentence
    saying what it means for a learner (a stage before `stable` warns that the track changes)."""
    if not track.stage:
        return None
    words = messages.catalogue(lang)
    key = str(track.stage)
    name = words.page.get(f"stage_{key}") or schema.label(schema.TRACK, "stage", key)
    note = words.text("trackStable") if key == "stable" else words.text("trackInTheMaking", stage=name)
    return {"key": key, "name": name, "note": note}


def track_view(c: Curriculum, track: Track, lang: str = "en") -> dict[str, Any]:
    return {
        **track_summary(c, track, lang),
        "phases": _phases(c, track, lang, lambda l: lesson_row(c, l, lang)),
    }


def home_view(c: Curriculum, lang: str = "en") -> dict[str, Any]:
    return {
        "tracks": [track_summary(c, t, lang) for t in c.tracks if c.lessons_of(t.slug)],
        "start": start_here(c, lang),
    }


def start_here(c: Curriculum, lang: str = "en") -> dict[str, Any] | None:
    """For someone new to the course: the first track (in number order) whose lessons build on no
    other track's, how long it takes, what its first lesson asks of the learner, and the tracks
    that follow. A home page that lists the tracks alone leaves the newcomer to guess."""
    tracks = [t for t in c.tracks if c.lessons_of(t.slug)]
    if not tracks:
        return None

    def builds_on_another(track: Track) -> bool:
        return any(
            p.lesson and "/" in p.lesson and p.lesson.split("/")[0] != track.slug
            for lesson in c.lessons_of(track.slug)
            for p in lesson.prerequisites
        )

    first = next((t for t in tracks if not builds_on_another(t)), tracks[0])
    lesson = c.lessons_of(first.slug)[0]
    words = messages.catalogue(lang)
    return {
        "track": track_summary(c, first, lang),
        # the main button's "Continue" (learner.js) over the first track and those that follow, a later
        # track's lessons named with their track: it went on from the first track's progress alone, and
        # sent a learner in Track 5 back to Track 4
        "continue_lessons": track_summary(c, first, lang)["continue_lessons"]
        + [
            [l.key, words.text("trackLesson", track=track_label(t, lang), n=c.position(l).number) + ", " + l.title]
            for t in tracks
            if t is not first
            for l in c.lessons_of(t.slug)
        ],
        "needs": [need for p in lesson.prerequisites if (need := _need(c, lesson, p.lesson, p.text, p.link))],
        # a need linked to a page of the course (an imported lesson's Setup) is something to set up:
        # the browser line must not then say there is nothing to install
        "sets_up": any(p.text and p.link and "://" not in p.link for p in lesson.prerequisites),
        "then": [track_summary(c, t, lang) for t in tracks if t is not first],
    }


def _need(
    c: Curriculum, lesson: Lesson, slug: str | None, text: str | None, link: str | None = None
) -> dict[str, Any] | None:
    """One thing the first lesson asks for, as the home page lists it: a lesson of the course
    (linked), or the instructor's words, linked where their `link:` points (a newcomer's way to
    the basics), else to the track they name when the course has it ("Track 4", or its title).
    The words are the instructor's own, never recased."""
    if slug:
        ref = refs.parse(f"lesson:{slug}", lesson.track)
        target = c.lesson(f"{ref.track}/{ref.lesson}") if isinstance(ref, refs.Ref) else None
        if target is None:
            return None
        return {"text": target.title, "url": refs.url("lesson", target.track, target.slug)}
    if not text:
        return None
    if link:
        return {"text": text, "url": link_url(link)}
    named = next((t for t in c.tracks if t.slug != lesson.track and names_track(text, t)), None)
    return {"text": text, "url": refs.url("track", named.slug) if named else None}


def link_url(link: str) -> str:
    """A prerequisite's `link:` as the templates' `url` filter takes it: a web address as written,
    a docs/ page (`basics.md`, `guide/index.md`) at its site-root URL (`basics/`, `guide/`)."""
    if "://" in link:
        return link
    stem = link.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def names_track(text: str, track: Track) -> bool:
    """Whether a prerequisite's words name this track: "Track 4" or its title, in any case."""
    lowered = f" {' '.join(text.lower().split())} "
    return f" {track_label(track).lower()} " in lowered.replace(":", " ").replace(",", " ") or (
        f" {track.title.lower()}" in lowered
    )


def nav_view(c: Curriculum, track: Track, lang: str = "en") -> dict[str, Any]:
    """The sidebar for one track: its phases and lessons only, so a page's size stays bounded.
    The same for every page of the track (the template marks the page's own lesson): made once
    per track, not once per lesson, which grew with the square of a track's lessons."""
    return {
        "track": {
            "label": track_label(track, lang),
            "title": track.title,
            "url": refs.url("track", track.slug),
            "slug": track.slug,
        },
        "phases": _phases(c, track, lang, lambda l: {**lesson_link(c, l), "draft": l.is_draft}),
    }


def prerequisites_view(c: Curriculum, lesson: Lesson, lang: str = "en") -> list[dict[str, Any]]:
    """A lesson's prerequisites: lessons linked with their track and number, then free text."""
    prerequisites: list[dict[str, Any]] = []
    for pre in lesson.prerequisites:
        if pre.lesson:
            ref = refs.parse(f"lesson:{pre.lesson}", lesson.track)
            target = c.lesson(f"{ref.track}/{ref.lesson}") if isinstance(ref, refs.Ref) else None
            if target is not None:
                t = c.track(target.track)
                prerequisites.append(
                    {
                        "url": refs.url("lesson", target.track, target.slug),
                        "title": target.title,
                        "where": messages.catalogue(lang).text(
                            "trackLesson", track=track_label(t, lang), n=c.position(target).number
                        )
                        if t
                        else "",
                        "order": (t.number if t else 0, c.position(target).number),
                    }
                )
        elif pre.text:
            prerequisites.append({"url": link_url(pre.link) if pre.link else None, "title": pre.text, "where": ""})
    # lessons in course order (Lesson 1 before Lesson 2, whatever order the author wrote), then
    # the free-text prerequisites in the order written
    prerequisites.sort(key=lambda p: (p.get("order") is None, p.get("order") or (0, 0)))
    return prerequisites


def lesson_view(c: Curriculum, lesson: Lesson, kind: str, lang: str = "en") -> dict[str, Any]:
    """Header, tabs, prerequisites, deep dives, backlinks and pager of one lesson page."""
    track = c.track(lesson.track)
    assert track is not None
    pos = c.position(lesson)
    prev, nxt = c.previous(lesson), c.next(lesson)
    track_url = refs.url("track", track.slug)
    prerequisites = prerequisites_view(c, lesson, lang)

    def other_track_lesson(target: Lesson) -> dict[str, Any]:
        t = c.track_of(target)
        return {
            **lesson_link(c, target),
            "track_label": track_label(t, lang),
            "track_title": t.title,
            "summary": target.summary,
        }

    deep = [c.lesson(k) for k in lesson.deep_dives]
    return {
        "kind": kind,
        "key": lesson.key,
        "title": lesson.title,
        "summary": lesson.summary,
        "track": {"label": track_label(track, lang), "title": track.title, "url": track_url, "slug": track.slug},
        # an imported lesson has no phase (its track's phases lay out the course map only)
        "phase": None if track.imported is not None else {"number": pos.phase_number, "title": pos.phase.title},
        "number": pos.number,
        "of": pos.of,
        **_facts(c, lesson, lang),
        "objectives": list(lesson.objectives),
        "questions": list(lesson.questions),
        "keypoints": list(lesson.keypoints),
        "prerequisites": prerequisites,
        "deep_dives": [other_track_lesson(d) for d in deep if d is not None],
        "backlinks": [other_track_lesson(b) for b in c.backlinks(lesson)],
        "credits": lesson.credits,
        "draft": lesson.is_draft,
        "tabs": _tabs(lesson, kind, lang),
        "prev": _neighbour(c, track, prev, "prev", lang),
        "next": _neighbour(c, track, nxt, "next", lang),
    }


def _neighbour(c: Curriculum, track: Track, other: Lesson | None, rel: str, lang: str) -> dict[str, Any]:
    """The pager's previous or next link: a lesson, or the track page at either end."""
    words = messages.catalogue(lang)
    if other is None:
        return {
            "rel": rel,
            "url": refs.url("track", track.slug),
            "title": f"{track_label(track, lang)}: {track.title}",
            "label": words.text("backToTrack" if rel == "prev" else "trackDoneBack"),
        }
    link = lesson_link(c, other)
    return {
        "rel": rel,
        "url": link["url"],
        "title": other.title,
        "number": link["number"],
        "label": words.text("pagerPrev" if rel == "prev" else "pagerNext", n=link["number"], of=link["of"]),
    }


def _tabs(lesson: Lesson, kind: str, lang: str) -> list[dict[str, Any]]:
    """The overview, lesson and cheatsheet tabs the lesson has, the current one marked."""
    tabs = []
    for tab in ("overview", "lesson", "cheatsheet"):
        exists = {"overview": lesson.sources.overview, "lesson": True, "cheatsheet": lesson.sources.cheatsheet}[tab]
        if exists:
            tabs.append(
                {
                    "kind": tab,
                    "label": messages.catalogue(lang).text(f"tab_{tab}"),
                    "url": refs.url(tab, lesson.track, lesson.slug),
                    "current": tab == kind,
                }
            )
    return tabs
