"""What the exports need to know of a course, read from its built site: the lessons in course
order, each lesson's flashcard terms and quizzes (question, options in the order the page shows
them, which are right, the feedback) and its checked exercises.

Read from the build, not the sources, so that `--site DIR` exports exactly the site it is given
and a package's answer key is the one its pages show. The course's structure (tracks, lessons,
their order, titles, phases, languages, the course's id) is the site's `course.json`, written from
the model when the site was built (core/site/coursejson.py). The widgets' data is not scraped
back out of their markup: in an export's build (the one `tracksite export` makes, or `tracksite
build --for-export`) each widget an export takes gives the data its block parsed, as a JSON
island (core/widgets/common.py), found here by its mark and read as JSON. Which widgets those
are, and what each gives (a lesson's quizzes, exercises or decks), is their registry entries'
`export`; nothing here names a widget. No HTML is parsed here (tests/architecture/test_imports.py holds that).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracksite.core import messages
from tracksite.core import widgetregistry as W
from tracksite.core.site import courseid, coursejson
from tracksite.core.widgets import islands as islands_
from tracksite.errors import UserError


@dataclass
class Question:
    text: str  # HTML
    multiple: bool
    options: list[str]  # HTML, in the instructor's order
    correct: list[int]  # places in `options`
    feedback: list[str]  # HTML per option
    key: str = ""  # where the page keeps the learner's answer (core/widgets/quiz/block.py's `question_keys`)
    order: list[int] = field(default_factory=list)  # each shown option's place in the source
    also: list[str] = field(default_factory=list)  # the keys of its copies (a track's exercise pack)

    def source_correct(self) -> list[int]:
        """The right options by their place in the instructor's source (what a page stores)."""
        order = self.order if len(self.order) == len(self.options) else list(range(len(self.options)))
        return sorted(order[i] for i in self.correct)

    @property
    def ident(self) -> str:
        """What identifies it across versions of the course: its key's last part (the question's
        text and options, or an exercise's content)."""
        return self.key.rsplit(":", 1)[-1]


@dataclass
class Quiz:
    key: str
    questions: list[Question]


@dataclass
class Lesson:
    id: str  # track/lesson, as data-lesson
    title: str
    track: str
    url: str  # relative to the site root, track/lesson/
    terms: list[str]  # flashcard terms, as widgets.js keys them
    quizzes: list[Quiz]
    pages: list[str]  # the lesson's pages (lesson, overview, cheatsheet) that the site has
    phase: str = ""  # its phase's title, as the track page's navigation shows it
    decks: list[tuple[str, list[str]]] = field(default_factory=list)  # each flashcards widget: its key, its terms
    lang: str = "en"  # its page's language (a track may have its own): the LMS's titles for it
    exercises: list[Quiz] = field(default_factory=list)  # its checked runnable exercises (see `exercises`)

    def graded(self) -> list[Quiz]:
        """What the SCORM state records and scores: its quizzes, then its code exercises."""
        return [*self.quizzes, *self.exercises]


@dataclass
class Course:
    title: str
    tracks: list[tuple[str, str]]  # slug, title
    lessons: list[Lesson]
    course_id: str = ""  # the namespace of the learner's state in the browser (core/site/courseid.py)
    lang: str = "en"  # the home page's language: the launch page's
    track: str = ""  # the track exported alone (`export --track`), or "" for the whole course
    elsewhere: list[Lesson] = field(default_factory=list)  # with `track`: the other tracks' lessons

    def questions(self) -> int:
        return sum(len(q.questions) for lesson in self.lessons for q in lesson.quizzes)


#: A widget's JSON island, as core/widgets/common.py writes it: the widget's name, its data.
_ISLAND = re.compile(rf'<script\b[^>]*\s{W.ISLAND}="([^"]+)"[^>]*>(.*?)</script>', re.S)
#: The widgets an export takes, and what of a lesson each gives (W.EXPORTS).
_EXPORTED = {w.name: w.export for w in W.WIDGETS if w.export}


def islands(text: str) -> dict[str, list[dict]]:
    """The data of the exported widgets of a built page, in page order, by what each gives (a
    lesson's `quizzes`, `exercises` or `decks`)."""
    found: dict[str, list[dict]] = {kind: [] for kind in W.EXPORTS}
    for m in _ISLAND.finditer(text):
        kind = _EXPORTED.get(html.unescape(m.group(1)))
        if kind is not None:
            try:
                found[kind].append(json.loads(m.group(2)))
            except ValueError as e:
                raise UserError(
                    f"a page holds the data of a widget that is not JSON ({e}); build the site again"
                ) from None
    return found


def _unexported(text: str) -> bool:
    """The page shows a widget an export takes, but was built without the widgets' data."""
    return not _ISLAND.search(text) and any(f'data-widget="{name}"' in text for name in _EXPORTED)


def _quiz(data: dict) -> Quiz:
    quiz = islands_.read("quizzes", data)
    assert isinstance(quiz, islands_.QuizIsland)
    return Quiz(
        quiz.key,
        [Question(q.text, q.multiple, q.options, q.correct, q.feedback, q.key, order=q.order) for q in quiz.questions],
    )


def exercises(found: list[dict]) -> list[Quiz]:
    """The checked exercises (code with tests or an expected output) among a page's `exercises`,
    each as a quiz of one question with one right option: runnable.js records a passed Check as
    that option chosen and first checked right, so the SCORM state carries and scores it as it
    does a question (the Common Cartridge's QTI items hold the quizzes only). Its text is its
    title, for the LMS's report."""
    read = [e for e in (islands_.read("exercises", d) for d in found) if isinstance(e, islands_.ExerciseIsland)]
    return [Quiz(e.key, [Question(html.escape(e.title), False, [""], [0], [""], e.key)]) for e in read if e.checked]


def read(site: Path, track: str | None = None) -> Course:
    """The course of the built site `site` (its course.json lists every track's lessons in order),
    or with `track` that track alone, as a course of its own (`only`)."""
    course = _read(site)
    return only(course, track) if track else course


def only(course: Course, slug: str) -> Course:
    """The track `slug` of `course` as a course of its own: its lessons, its title after the
    course's, and an id of its own (its learners' state apart from the whole course's); the
    other tracks' lessons, which its package holds too, as `elsewhere`."""
    titles = dict(course.tracks)
    if slug not in titles:
        known = ", ".join(t for t, _ in course.tracks) or "none"
        raise UserError(f"--track {slug}: the course has no such track; its tracks: {known}")
    lessons = [lesson for lesson in course.lessons if lesson.track == slug]
    if not lessons:
        raise UserError(f"--track {slug}: the site publishes no lesson of the track")
    return Course(
        f"{course.title}: {titles[slug]}",
        [(slug, titles[slug])],
        lessons,
        courseid.track_id(course.course_id, slug) if course.course_id else "",
        lang=course.lang,
        track=slug,
        elsewhere=[lesson for lesson in course.lessons if lesson.track != slug],
    )


def _read(site: Path) -> Course:
    outline = _outline(site)
    words = messages.catalogue(outline["lang"])  # the home page's: "Lesson N, title" as it lists them
    tracks: list[tuple[str, str]] = []
    lessons: list[Lesson] = []
    for track in outline["tracks"]:
        slug = _text(track, "slug")
        if any(slug == t for t, _ in tracks):
            continue
        tracks.append((slug, _fold(_text(track, "title")) or slug))
        lang = _language(track.get("lang"))  # its pages' (a track may have its own)
        phrases = messages.catalogue(lang)
        for entry in _list(track, "lessons"):
            label = words.text("lessonNumbered", n=entry.get("number"), title=_text(entry, "title"))
            lessons.append(_lesson(site, slug, entry, label, lang))
            phase = entry.get("phase")
            if isinstance(phase, dict):
                lessons[-1].phase = _fold(
                    phrases.text("phaseNumbered", n=phase.get("number"), title=_text(phase, "title"))
                )
    if not lessons:
        raise UserError(f"{site / coursejson.SRC_URI} lists no lessons: is it a tracksite course's built site?")
    _copies(site, tracks, lessons)
    given = str(outline.get("id") or "")
    # none on a site built before the namespace: its pages keep their keys without one
    course_id = given if courseid.PATTERN.match(given) else ""
    return Course(_fold(_text(outline, "title")), tracks, lessons, course_id, lang=outline["lang"])


def _outline(site: Path) -> dict[str, Any]:
    """The site's course.json, its version and its shape checked (a site given with `--site` was
    built by whoever built it)."""
    path = site / coursejson.SRC_URI
    if not path.is_file():
        raise UserError(
            f"{site} has no {coursejson.SRC_URI}, the course's outline the exports read: it is not a tracksite "
            "course's built site, or was built by an older tracksite; build it again, or leave out --site"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: not JSON ({e}); build the site again") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise UserError(f"{path}: not a course outline (no version); build the site again")
    if data["version"] > coursejson.VERSION:
        raise UserError(
            f"{path}: written by a later tracksite (version {data['version']}; this one reads "
            f"{coursejson.VERSION}); export with the tracksite that built it, or build the site again"
        )
    if not isinstance(data.get("tracks"), list) or not all(isinstance(t, dict) for t in data["tracks"]):
        raise UserError(f"{path}: its `tracks` are not a list of tracks; build the site again")
    data["lang"] = _language(data.get("lang"))
    return data


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _fold(text: str) -> str:
    """White space folded, as a page shows a title (and widgets.js's `spoken` reads it)."""
    return re.sub(r"\s+", " ", text).strip()


_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _language(value: object) -> str:
    """A language tag as a page's `lang` holds it; English where there is none or it is not one."""
    return value if isinstance(value, str) and _LANG.match(value) else "en"


def _copies(site: Path, tracks: list[tuple[str, str]], lessons: list[Lesson]) -> None:
    """Note in each lesson question and exercise the keys of its copies on its track's exercise
    pack: a copy's key ends with the same identity (the block writes it), its answers are kept
    apart. An exercise used in several lessons of the track is credited to each: the pack has a
    copy per lesson, in the lessons' order (a quiz question's second copy on the pack's page
    keyed with a suffix); a count that differs gives every copy to the first."""
    for slug, _ in tracks:
        pack = site / slug / "exercises" / "index.html"
        if not pack.is_file():
            continue
        by_ident: dict[str, list[Question]] = {}
        for lesson in lessons:
            if lesson.track == slug:
                for quiz in lesson.graded():
                    for question in quiz.questions:
                        by_ident.setdefault(question.ident, []).append(question)
        found = islands(pack.read_text(encoding="utf-8"))
        copies: dict[str, list[str]] = {}
        keys = [q.key for data in found["quizzes"] for q in _quiz(data).questions]
        for key in keys + [str(d.get("key", "")) for d in found["exercises"]]:
            ident = key.rsplit(":", 1)[-1]
            if ident not in by_ident:  # the pack's second copy of a question: its key's suffix
                ident = re.sub(r"-\d+$", "", ident)
            if key and ident in by_ident:
                copies.setdefault(ident, []).append(key)
        for ident, originals in by_ident.items():
            taken = copies.get(ident, [])
            if len(taken) == len(originals):  # a copy per lesson, in the lessons' order
                pairs = [(original, [key]) for original, key in zip(originals, taken, strict=True)]
            else:
                pairs = [(originals[0], taken)]
            for original, keys_of in pairs:
                for key in keys_of:
                    if key != original.key and key not in original.also:
                        original.also.append(key)


def _lesson(site: Path, track: str, entry: dict[str, Any], label: str, lang: str) -> Lesson:
    lesson_id = _text(entry, "id")
    url = f"{lesson_id}/"
    page = site / lesson_id / "index.html"
    if not lesson_id or not page.is_file() or not page.resolve().is_relative_to(site.resolve()):
        raise UserError(f"{site}: course.json lists lesson {lesson_id!r}, but {url}index.html is not in the site")
    text = page.read_text(encoding="utf-8")
    if _unexported(text):
        raise UserError(
            f"{page}: the page was built without the data of its quizzes, cards and exercises that an export "
            "reads; leave out --site (the export builds the course itself), or build the site with "
            "`tracksite build --for-export`"
        )
    found = islands(text)
    read_decks = (islands_.read("decks", d) for d in found["decks"])
    decks = [(d.key, d.terms) for d in read_decks if isinstance(d, islands_.DeckIsland)]
    terms = [term for _, deck in decks for term in deck]
    quizzes = [_quiz(q) for q in found["quizzes"]]
    listed = entry.get("pages")
    pages = [url] + [
        p for p in (listed if isinstance(listed, list) else []) if isinstance(p, str) and p != url and _has(site, p)
    ]
    return Lesson(
        lesson_id,
        label,
        track,
        url,
        terms,
        quizzes,
        pages,
        decks=decks,
        lang=lang,
        exercises=exercises(found["exercises"]),
    )


def _has(site: Path, url: str) -> bool:
    """The site holds the page at `url` (a folder's index.html inside the site)."""
    page = site / url / "index.html"
    return page.is_file() and page.resolve().is_relative_to(site.resolve())
