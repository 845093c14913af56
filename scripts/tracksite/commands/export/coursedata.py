"""What the exports need to know of a course, read from its built pages: the lessons in course
order, each lesson's flashcard terms and quizzes (question, options in the instructor's order,
which are right, the feedback).

Read from the build, not the sources, so that `--site DIR` exports exactly the site it is given
and a package's answer key is the one its pages show. The pages are ours (the widgets' HTML is
written by adapter/blocks), so a small tree built with the standard library's parser is enough.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tracksite.core.site import courseid
from tracksite.core.widgetregistry import BY_NAME
from tracksite.errors import UserError

# the quiz and flashcard widgets' rendered classes, named by the widget registry (adapter/blocks draws them)
_QUIZ = BY_NAME["quiz"].css_class or ""
_CARDS = BY_NAME["flashcards"].css_class or ""
_RUN = BY_NAME["runnable"].css_class or ""

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

    def inner_html(self) -> str:
        return "".join(html.escape(k, quote=False) if isinstance(k, str) else k.outer_html() for k in self.children)

    def outer_html(self) -> str:
        attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in self.attrs.items())
        if self.tag in _VOID:
            return f"<{self.tag}{attrs}>"
        return f"<{self.tag}{attrs}>{self.inner_html()}</{self.tag}>"


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


@dataclass
class Quiz:
    key: str
    questions: list[Question]
    also: list[str] = field(default_factory=list)  # the keys of its copies (a track's exercise pack)


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
    exercises: list[Quiz] = field(default_factory=list)  # its checked runnable exercises (see `_exercises`)

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

    def questions(self) -> int:
        return sum(len(q.questions) for lesson in self.lessons for q in lesson.quizzes)


def _quiz(node: Node) -> Quiz:
    questions = []
    for li in node.find_all(f"{_QUIZ}__question"):
        inputs = [n for n in li.find_all(f"{_QUIZ}__input")]
        labels = li.find_all(f"{_QUIZ}__label")
        by_place: dict[int, str] = {}
        for inp, label in zip(inputs, labels, strict=False):
            by_place[int(inp.attrs.get("value", "0"))] = label.inner_html().strip()
        verdicts = {}
        for x in li.find_all(f"{_QUIZ}__explanation"):
            explain = x.find(f"{_QUIZ}__explain")
            verdicts[int(x.attrs.get("data-option", "0"))] = (
                x.attrs.get("data-correct") == "true",
                explain.inner_html().strip() if explain else "",
            )
        places = list(by_place)  # the page's order: the build's fixed shuffle, not the source's
        text = li.find(f"{_QUIZ}__question-text")
        questions.append(
            Question(
                text=text.inner_html().strip() if text else "",
                multiple=li.attrs.get("data-multiple") == "true",
                options=[by_place[p] for p in places],
                correct=[i for i, p in enumerate(places) if verdicts.get(p, (False, ""))[0]],
                feedback=[verdicts.get(p, (False, ""))[1] for p in places],
            )
        )
    return Quiz(node.attrs.get("data-key", ""), questions)


def _exercises(tree: Node) -> list[Quiz]:
    """The page's checked runnable exercises (those with tests or an expected output), each as a
    quiz of one question with one right option: runnable.js records a passed Check as that
    option chosen and first checked right, so the SCORM state carries and scores it as it does a
    question (the Common Cartridge's QTI items hold the quizzes only)."""
    return [
        Quiz(node.attrs.get("data-key", ""), [Question("", False, [""], [0], [""])])
        for node in tree.find_all(_RUN)
        if node.attrs.get("data-widget") == BY_NAME["runnable"].name
        and (node.find(f"{_RUN}__tests") or node.find(f"{_RUN}__expected"))
    ]


def read(site: Path) -> Course:
    """The course of the built site `site`: its home page lists every track's lessons in order."""
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
    """Note in each lesson quiz the keys of its copies on the tracks' exercise packs: a copy's key
    ends with the same content key (adapter/blocks/quiz.py), its answers are kept apart."""
    by_content: dict[str, Quiz] = {}
    for lesson in lessons:
        for quiz in lesson.graded():
            by_content.setdefault(quiz.key.rsplit(":", 1)[-1], quiz)
    for slug, _ in tracks:
        pack = site / slug / "exercises" / "index.html"
        if not pack.is_file():
            continue
        tree = parse(pack.read_text(encoding="utf-8"))
        for node in [*tree.find_all(_QUIZ), *tree.find_all(_RUN)]:
            key = node.attrs.get("data-key", "")
            original = by_content.get(key.rsplit(":", 1)[-1])
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
    tree = parse(text)
    decks = [
        (cards.attrs.get("data-key", ""), [t.text() for t in cards.find_all("ts-card__term")])
        for cards in tree.find_all(_CARDS)
    ]
    terms = [term for _, deck in decks for term in deck]
    quizzes = [_quiz(q) for q in tree.find_all(_QUIZ)]
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
        exercises=_exercises(tree),
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
