"""The learner's pages of a track besides its lessons: glossary, key points, review and exercises.

Each is drawn from sources that already exist (glossary.yml, the lessons' `keypoints`, their
flashcards, quizzes and exercises), so nothing is written twice. This module says where each page
lives and gives the templates plain data (or Markdown, for the exercise pack, whose widgets the
Markdown adapter renders as on the lessons). URLs are relative to the site root.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracksite.core import messages
from tracksite.core import widgetregistry as W
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.memo import memo
from tracksite.core.widgets.bodies import BODIES
from tracksite.core.widgets.flashcards.body import parse_flashcards

if TYPE_CHECKING:
    from tracksite.core.model.course import Curriculum, Lesson, Track
    from tracksite.core.model.project import Project

# kind -> the catalogue's keys of (its title, what the link says on the track page): core/messages.py
PAGES: dict[str, tuple[str, str]] = {
    "glossary": ("glossary", "aboutGlossary"),
    "keypoints": ("keyPoints", "aboutKeyPoints"),
    "review": ("review", "aboutReview"),
    "exercises": ("exercisePack", "aboutExercisePack"),
}


def page_words(kind: str, lang: str = "en") -> tuple[str, str]:
    """A track page's title and what its link says, in `lang`."""
    words = messages.catalogue(lang)
    return words.text(PAGES[kind][0]), words.text(PAGES[kind][1])


# Lesson slugs these pages (and the instructor's schedule) would collide with.
RESERVED_SLUGS = frozenset(PAGES) | {"schedule"}


def src_uri(kind: str, track: str) -> str:
    return f"{track}/{kind}.md"


def url(kind: str, track: str) -> str:
    return f"{track}/{kind}/"


def kind_of(src: str) -> tuple[str, str] | None:
    """(kind, track) of a generated track page's src_uri, else None."""
    parts = src.split("/")
    if len(parts) == 2 and parts[1].endswith(".md") and parts[1][:-3] in PAGES:
        return parts[1][:-3], parts[0]
    return None


def pdf_url(kind: str, track: str, lesson: str | None = None) -> str:
    """Where `tracksite pdf --publish` puts each PDF in the site, relative to its root: one name
    for the command that prints it and the track page that links it."""
    if kind == "cheatsheet":
        return f"{track}/{lesson}.pdf"
    return f"{track}.pdf" if kind == "booklet" else f"{track}-exercises.pdf"


def downloads(project: Project, track: Track, lang: str = "en") -> list[dict[str, str]]:
    """The PDFs a track page offers when the course publishes them (the plugin's `pdfs`): the
    booklet of its cheatsheets and its exercise pack, each only where the track has one."""
    lessons = project.curriculum.lessons_of(track.slug)
    sheets = sum(1 for lesson in lessons if lesson.sources.cheatsheet is not None)
    out = []
    words = messages.catalogue(lang)
    if sheets:
        about = words.text("cheatsheetsAbout" if sheets != 1 else "cheatsheetAbout", n=sheets)
        out.append({"title": words.text("cheatsheets"), "about": about, "url": pdf_url("booklet", track.slug)})
    if "exercises" in pages_of(project, track):
        about = words.text("exercisePackAbout")
        out.append({"title": words.text("exercisePack"), "about": about, "url": pdf_url("exercises", track.slug)})
    return out


def pages_of(project: Project, track: Track) -> list[str]:
    """The kinds of page this track has: only those with something to show."""
    lessons = project.curriculum.lessons_of(track.slug)
    out = []
    if project.glossary.of_track(track.slug):
        out.append("glossary")
    if any(l.keypoints for l in lessons):
        out.append("keypoints")
    if any(_blocks(project, l, (W.FLASHCARDS.name,)) for l in lessons):
        out.append("review")
    if any(_blocks(project, l, W.GRADED) for l in lessons):
        out.append("exercises")
    return out


def links(project: Project, track: Track, lang: str = "en", *, instructor: bool = False) -> list[dict[str, str]]:
    """The track's own pages, as every page of the track lists them in its bar: its docs pages
    (an imported lesson's landing page, Setup, Reference, Learner profiles; the instructor pages
    in the instructor view), then the glossary, key points, review and exercise pack."""
    schedule = messages.catalogue(lang).text("instructorSchedule")
    return (
        docs_pages(project, track, instructor=instructor)
        + (
            [{"kind": "schedule", "title": schedule, "about": schedule, "url": f"{track.slug}/schedule/"}]
            if instructor
            else []
        )
        + [
            {"kind": k, "title": page_words(k, lang)[0], "about": page_words(k, lang)[1], "url": url(k, track.slug)}
            for k in pages_of(project, track)
        ]
    )


def instructors_only(doc: Any) -> bool:
    """Whether a docs page is for the instructor view only (its front-matter's `audience`)."""
    meta = doc.meta.value if doc is not None and doc.kind == "page" else None
    return isinstance(meta, dict) and meta.get("audience") == "instructors"


def docs_pages(project: Project, track: Track, *, instructor: bool = False) -> list[dict[str, str]]:
    """The pages under docs/<track>/ (the Workbench's landing page, learner pages and profiles,
    and, for the instructor view, its instructor pages): the track's own, so every page of the
    track links them, as the Workbench's bar does. The landing page (an `index.md`) comes first,
    then Setup, then the others by file name; `kind` is `setup`, `instructor-page` or `page`."""
    found: list[tuple[tuple, dict[str, str]]] = []
    for doc in project.documents:
        if doc.kind != "page" or not doc.src_uri.startswith(f"{track.slug}/"):
            continue
        only = instructors_only(doc)
        if only and not instructor:
            continue
        folder, _, name = doc.src_uri.rpartition("/")
        meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
        title = str(meta.get("title") or Path(name).stem.replace("-", " ").replace("_", " ").capitalize())
        page_url = f"{folder}/" if name in ("index.md", "README.md") else f"{folder}/{name[:-3]}/"
        kind = "instructor-page" if only else "setup" if name == "setup.md" else "page"
        order = (only, name not in ("index.md", "README.md"), name != "setup.md", doc.src_uri)
        found.append((order, {"kind": kind, "title": title, "about": title, "url": page_url}))
    return [link for _, link in sorted(found, key=lambda f: f[0])]


def _lesson(c: Curriculum, lesson: Lesson) -> dict[str, Any]:
    return {
        "key": lesson.key,
        "title": lesson.title,
        "number": c.position(lesson).number,
        "url": refs.url("lesson", lesson.track, lesson.slug),
    }


def _where(c: Curriculum, key: str, track: str, lang: str) -> dict[str, Any] | None:
    lesson = c.lesson(key)
    if lesson is None:
        return None
    out = _lesson(c, lesson)
    t, words = c.track_of(lesson), messages.catalogue(lang)
    if lesson.track == track:
        out["label"] = words.text("lessonN", n=out["number"])
    else:
        out["label"] = words.text("trackLesson", track=words.text("trackN", n=t.number), n=out["number"])
    return out


def glossary_view(project: Project, track: Track, lang: str = "en") -> list[dict[str, Any]]:
    """Every term of the track, sorted, with the lesson that teaches it and the lessons using it."""
    c = project.curriculum
    out = []
    for term in project.glossary.of_track(track.slug):
        out.append(
            {
                "term": term.term,
                "anchor": term.anchor,
                "definition": term.definition,
                "aliases": list(term.aliases),
                "taught": _where(c, term.lesson, track.slug, lang),
                "introduced": _where(c, term.introduced, track.slug, lang) if term.introduced else None,
                "used": [
                    w for w in (_where(c, k, track.slug, lang) for k in project.glossary.used_in.get(term, [])) if w
                ],
            }
        )
    return out


def keypoints_view(c: Curriculum, track: Track) -> list[dict[str, Any]]:
    """Each lesson's key points, in lesson order."""
    return [{**_lesson(c, l), "keypoints": list(l.keypoints)} for l in c.lessons_of(track.slug) if l.keypoints]


def review_view(project: Project, track: Track) -> list[dict[str, Any]]:
    """Each lesson's flashcards, in lesson order: the review page's deck."""
    out = []
    for lesson in project.curriculum.lessons_of(track.slug):
        cards = []
        for block in _blocks(project, lesson, (W.FLASHCARDS.name,)):
            parsed, _ = parse_flashcards(block.body)
            cards += [{"term": card.term, "answer": card.answer} for card in parsed]
        if cards:
            out.append({**_lesson(project.curriculum, lesson), "cards": cards})
    return out


def _blocks(project: Project, lesson: Lesson, names: tuple[str, ...]):
    doc = project.document(refs.src_uri("lesson", lesson.track, lesson.slug))
    if doc is None:
        return []
    top, _ = find_blocks(doc.body, doc.body_line)
    return [b for b in iter_blocks(top) if b.name in names and b.parent is None]


def practice_blocks(body: str, with_solutions: bool, first_line: int = 1, page_id: str | None = None) -> list[str]:
    """The source of every top-level block that checks an answer (the registry's `graded`:
    exercises, quizzes) of a lesson body, in order; without their `/// solution` blocks unless
    `with_solutions` (the learner's pack is a worksheet, and the print stylesheet hides the
    other widgets' answers). `first_line`: the file line the body starts on, as the checks parse
    its blocks (the same parse; the blocks' text does not depend on it). With the lesson's
    `page_id`, a block whose body says so (`Body.placed`) keeps its lesson's place (`_placed`)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    top, _ = find_blocks(body, first_line)
    every = list(iter_blocks(top))
    out: list[str] = []
    floor = first_line  # the first line after the block before: a task paragraph starts here or later
    for block in top:
        after_previous, floor = floor, (block.end_line or block.line) + 1
        if block.name not in W.GRADED or block.indent or not _checks_an_answer(block):
            continue
        last = block.end_line if block.end_line is not None else len(lines) + first_line - 1
        # a block whose task is the paragraph that leads into it (the registry's `lead_in`) comes with it
        lead_in = block.name in W.LEAD_IN
        task = task_paragraph(lines, block.line - first_line, after_previous - first_line) if lead_in else []
        lead = "\n".join(task) + "\n\n" if task else ""
        dropped: set[int] = set()
        if not with_solutions:
            for child in iter_blocks(block.children):
                if child.name == W.SOLUTION.name:
                    dropped.update(range(child.line, (child.end_line or last) + 1))
        text = [lines[n - first_line] for n in range(block.line, last + 1) if n not in dropped]
        kind = BODIES.get(block.name)
        if page_id and kind is not None and kind.placed is not None:
            number = [b for b in every if b.name == block.name].index(block) + 1
            text = _placed(text, kind.placed(page_id, number))
        out.append(lead + "\n".join(text))
    return out


def _placed(text: list[str], attrs: dict[str, str]) -> list[str]:
    """A block copied into the pack with the attributes that keep it its lesson's exercise
    (issue 83: where the learner's code is kept), as its `attrs` option; a block with options of
    its own keeps them, and its place in the pack instead."""
    if len(text) > 1 and text[1].startswith("    ") and text[1].strip():
        return text
    given = ", ".join(f"{name}: {json.dumps(value)}" for name, value in attrs.items())
    return [text[0], f"    attrs: {{{given}}}", *text[1:]]


#: Lines that open no paragraph of prose: a heading, a fence, a block's line, HTML, display math.
_NOT_PROSE = re.compile(r"^\s*(#|```|~~~|///|<|\$\$|\||[-*_]{3,}\s*$)")


def task_paragraph(lines: list[str], at: int, floor: int) -> list[str]:
    """The paragraph just above line index `at` (a block's header), no higher than `floor`: a
    block that holds code, tests and a hint has its task ("Fill in `softmax`...") in the prose
    that leads into it, which the exercise pack must carry with it. Empty when what stands
    above is not a paragraph of prose (a heading, code, another block)."""
    end = at
    while end > floor and not lines[end - 1].strip():
        end -= 1
    start = end
    while start > floor and lines[start - 1].strip():
        start -= 1
    para = lines[start:end]
    if not para or any(_NOT_PROSE.match(line) for line in para):
        return []
    return para


def _checks_an_answer(block) -> bool:
    """Whether the graded block asks something its page checks, as its body says
    (`Body.checks_answer`): a runnable snippet that only runs is something to read in its
    lesson, not a task for the pack."""
    body = BODIES.get(block.name)
    if body is None or body.checks_answer is None:
        return True
    value, _ = body.parse(block.body, Path("."))  # (a body that asks needs no data file to say so)
    return value is not None and body.checks_answer(value)


def exercises_markdown(project: Project, track: Track, instructor: bool, lang: str = "en") -> str:
    """The exercise pack: every lesson's exercises and quizzes under a heading per lesson, its
    words in `lang` (core/messages.py)."""
    c = project.curriculum
    here = src_uri("exercises", track.slug)
    words = messages.catalogue(lang)
    label = words.text("trackN", n=track.number)
    lines = [f"# {_md(words.text('exercisePack'))}: {_md(label)}, {_md(track.title)}", ""]
    lines.append(_md(words.text("packIntro") + " " + words.text("packSolutions" if instructor else "packNoSolutions")))
    lines.append("")
    for lesson in c.lessons_of(track.slug):
        doc = project.document(refs.src_uri("lesson", lesson.track, lesson.slug))
        if doc is not None:  # remembered by the lesson's text: a serve rebuild redoes the saved one
            number = c.position(lesson).number
            key = ("exercise-pack", doc.body, instructor, here, lesson.track, lesson.slug, number, lesson.title, lang)
            lines += memo(
                key,
                lambda d=doc, le=lesson, n=number: _lesson_part(d.body, d.body_line, instructor, here, le, n, words),
            )
    return "\n".join(lines)


def _lesson_part(
    body: str, first_line: int, instructor: bool, here: str, lesson, number: int, words: messages.Catalogue
) -> list[str]:
    """One lesson's part of the exercise pack: its heading and its practice blocks, relinked."""
    blocks = practice_blocks(body, instructor, first_line, f"{lesson.track}/{lesson.slug}")
    if not blocks:
        return []
    lesson_src = refs.src_uri("lesson", lesson.track, lesson.slug)
    lines = [
        f"## {_md(words.text('lessonN', n=number))}: {_md(lesson.title)}",
        "",
        _md(words.text("fromLesson", lesson="\x00")).replace(
            "\x00", f"[{_md(words.text('lessonN', n=number))}]({refs.relative_src(here, lesson_src)})"
        ),
        "",
    ]
    for block in blocks:
        lines += [_relink(block, lesson_src, here, lesson.track), ""]
    return lines


def _relink(block: str, from_src: str, to_src: str, track: str) -> str:
    """A block copied from a lesson, its links and images pointed from the pack's address:
    course links (`lesson:x`) resolved, relative files and `#anchors` kept on the lesson's."""
    replacements = {}
    for link in refs.find_links(block, 1):
        target = link.target
        if refs.scheme_of(target) is not None:
            ref = refs.parse(target, track)
            if isinstance(ref, str):
                continue
            new = refs.relative_src(to_src, ref.src_uri) + (f"#{ref.anchor}" if ref.anchor else "")
        elif target.startswith("#"):
            new = refs.relative_src(to_src, from_src) + target
        elif re.match(r"^[a-z][a-z0-9+.-]*:|^/", target, re.I):
            continue
        else:
            path, _, anchor = target.partition("#")
            full = posixpath.normpath(posixpath.join(posixpath.dirname(from_src), path))
            new = refs.relative_src(to_src, full) + (f"#{anchor}" if anchor else "")
        replacements[(link.start, link.end)] = new
    return refs.rewrite(block, replacements)


def _md(text: str) -> str:
    """Instructor text as Markdown text, never as markup."""
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)
