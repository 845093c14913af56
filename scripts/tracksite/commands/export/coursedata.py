"""What the exports need to know of a course, read from its built pages: the lessons in course
order, each lesson's flashcard terms and quizzes (question, options in the order the page shows
them, which are right, the feedback) and its checked exercises.

Read from the build, not the sources, so that `--site DIR` exports exactly the site it is given
and a package's answer key is the one its pages show. The widgets' data is not scraped back out
of their markup: in an export's build (the one `tracksite export` makes, or `tracksite build
--for-export`) each widget an export takes gives the data its block parsed, as a JSON island
(adapter/blocks/common.py). Which widgets those are, and what each gives (a lesson's quizzes,
exercises or decks), is their registry entries' `export`; nothing here names a widget. The home
page and the tracks' navigation are read with a small tree built with the standard library's
parser.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tracksite.core import widgetregistry as W
from tracksite.core.site import courseid
from tracksite.errors import UserError

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def find_all(self, cls: str) -> list[Node]:
        out = []
        for kid in self.children:
            if isinstance(kid, Node):
                if cls in kid.classes():
                    out.append(kid)
                out.extend(kid.find_all(cls))
        return out

    def find(self, cls: str) -> Node | None:
        found = self.find_all(cls)
        return found[0] if found else None

    def text(self) -> str:
        """The text as a browser's textContent has it, white space folded (widgets.js's `spoken`)."""
        return re.sub(r"\s+", " ", self._raw_text()).strip()

    def _raw_text(self) -> str:
        return "".join(k if isinstance(k, str) else k._raw_text() for k in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


@dataclass
class Question:
    text: str  # HTML
    multiple: bool
    options: list[str]  # HTML, in the instructor's order
    correct: list[int]  # places in `options`
    feedback: list[str]  # HTML per option
    key: str = ""  # where the page keeps the learner's answer (blocks/quiz.py's `question_keys`)
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

    def questions(self) -> int:
        return sum(len(q.questions) for lesson in self.lessons for q in lesson.quizzes)


#: A widget's JSON island, as adapter/blocks/common.py writes it: the widget's name, its data.
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
    key = str(data.get("key", ""))
    return Quiz(
        key,
        [
            Question(
                q["text"],
                bool(q["multiple"]),
                list(q["options"]),
                list(q["correct"]),
                list(q["feedback"]),
                # a site built before the questions' own keys: by the quiz's, and its place
                str(q.get("key") or f"{key}|{n}"),
                order=[int(i) for i in q.get("order", range(len(q["options"])))],
            )
            for n, q in enumerate(data.get("questions", []))
        ],
    )


def exercises(found: list[dict]) -> list[Quiz]:
    """The checked exercises (code with tests or an expected output) among a page's `exercises`,
    each as a quiz of one question with one right option: runnable.js records a passed Check as
    that option chosen and first checked right, so the SCORM state carries and scores it as it
    does a question (the Common Cartridge's QTI items hold the quizzes only)."""
    return [
        Quiz(str(d.get("key", "")), [Question("", False, [""], [0], [""], str(d.get("key", "")))])
        for d in found
        if d.get("checked")
    ]


def read(site: Path, track: str | None = None) -> Course:
    """The course of the built site `site` (its home page lists every track's lessons in order),
    or with `track` that track alone, as a course of its own (`only`)."""
    course = _read(site)
    return only(course, track) if track else course


def only(course: Course, slug: str) -> Course:
    """The track `slug` of `course` as a course of its own: its lessons, its title after the
    course's, and an id of its own (its learners' state apart from the whole course's)."""
    titles = dict(course.tracks)
    if slug not in titles:
        known = ", ".join(t for t, _ in course.tracks) or "none"
        raise UserError(f"--track {slug}: the course has no such track; its tracks: {known}")
    lessons = [lesson for lesson in course.lessons if lesson.track == slug]
    if not lessons:
        raise UserError(f"--track {slug}: the track lists no lessons on the home page")
    return Course(
        f"{course.title}: {titles[slug]}",
        [(slug, titles[slug])],
        lessons,
        courseid.track_id(course.course_id, slug) if course.course_id else "",
        lang=course.lang,
        track=slug,
    )


def _read(site: Path) -> Course:
    home = site / "index.html"
    tree = parse(home.read_text(encoding="utf-8"))
    title_node = next((n for n in _walk(tree) if n.tag == "title"), None)
    title = title_node.text() if title_node else "Course"
    tracks: list[tuple[str, str]] = []
    lessons: list[Lesson] = []
    for p in _walk(tree):
        if "data-continue-track" not in p.attrs or "data-continue-lessons" not in p.attrs:
            continue
        slug = p.attrs["data-continue-track"]
        if any(slug == t for t, _ in tracks):
            continue
        heading = next((n for n in _walk(tree) if n.attrs.get("id") == f"track-{slug}"), None)
        tracks.append((slug, heading.text() if heading else slug))
        phases = _phases(site / slug / "index.html")
        for lesson_id, label in json.loads(p.attrs["data-continue-lessons"]):
            lessons.append(_lesson(site, slug, lesson_id, label))
            lessons[-1].phase = phases.get(lesson_id, "")
    if not lessons:
        raise UserError(f"{home} lists no lessons: is it a tracksite course's built site?")
    _copies(site, tracks, lessons)
    meta = next((n for n in _walk(tree) if n.tag == "meta" and n.attrs.get("name") == "tracksite-course"), None)
    given = meta.attrs.get("content", "") if meta is not None else ""
    # none on a site built before the namespace: its pages keep their keys without one
    course_id = given if courseid.PATTERN.match(given) else ""
    return Course(title, tracks, lessons, course_id, lang=page_language(home.read_text(encoding="utf-8")))


def _copies(site: Path, tracks: list[tuple[str, str]], lessons: list[Lesson]) -> None:
    """Note in each lesson question and exercise the keys of its copies on the tracks' exercise
    packs: a copy's key ends with the same identity (the block writes it), its answers are kept
    apart."""
    by_ident: dict[str, Question] = {}
    for lesson in lessons:
        for quiz in lesson.graded():
            for question in quiz.questions:
                by_ident.setdefault(question.ident, question)
    for slug, _ in tracks:
        pack = site / slug / "exercises" / "index.html"
        if not pack.is_file():
            continue
        found = islands(pack.read_text(encoding="utf-8"))
        copies = [q.key for data in found["quizzes"] for q in _quiz(data).questions]
        copies += [str(d.get("key", "")) for d in found["exercises"]]
        for key in copies:
            original = by_ident.get(key.rsplit(":", 1)[-1])
            if original is not None and key and key != original.key and key not in original.also:
                original.also.append(key)


def _phases(track_page: Path) -> dict[str, str]:
    """lesson id -> the title of its phase, from the track page's navigation."""
    if not track_page.is_file():
        return {}
    out: dict[str, str] = {}
    for phase in parse(track_page.read_text(encoding="utf-8")).find_all("ts-nav__phase"):
        title = phase.find("ts-nav__phase-title")
        for node in _walk(phase):
            if "data-nav-lesson" in node.attrs and title is not None:
                out.setdefault(node.attrs["data-nav-lesson"], title.text())
    return out


def _lesson(site: Path, track: str, lesson_id: str, label: str) -> Lesson:
    url = f"{lesson_id}/"
    page = site / lesson_id / "index.html"
    if not page.is_file():
        raise UserError(f"{site}: the home page lists lesson {lesson_id}, but {url}index.html is not in the site")
    text = page.read_text(encoding="utf-8")
    if _unexported(text):
        raise UserError(
            f"{page}: the page was built without the data of its quizzes, cards and exercises that an export "
            "reads; leave out --site (the export builds the course itself), or build the site with "
            "`tracksite build --for-export`"
        )
    found = islands(text)
    decks = [(str(d.get("key", "")), [str(t) for t in d.get("terms", [])]) for d in found["decks"]]
    terms = [term for _, deck in decks for term in deck]
    quizzes = [_quiz(q) for q in found["quizzes"]]
    pages = [url] + [
        f"{url}{kind}/" for kind in ("overview", "cheatsheet") if (site / lesson_id / kind / "index.html").is_file()
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
        lang=page_language(text),
        exercises=exercises(found["exercises"]),
    )


_LANG = re.compile(r"<html\b[^>]*?\blang=\"([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\"")


def page_language(text: str) -> str:
    """The `lang` of a built page's `<html>` (the templates write it; English where absent)."""
    m = _LANG.search(text[:4096])
    return m.group(1) if m else "en"


def _walk(node: Node) -> Iterator[Node]:
    for kid in node.children:
        if isinstance(kid, Node):
            yield kid
            yield from _walk(kid)
