"""Instructor text is text: on every page, in every place it shows, and in the search index.

One course puts markup in every field an instructor writes (front-matter, track.yml, widget
inputs), builds, and reads every page back with a real HTML parser: no script element carries
our payload, no element has an event-handler attribute, no link or source uses a script URL,
and each field still reads exactly as written where it is shown. A second group checks that
script-like URLs and HTML in lesson bodies are refused by `tracksite check`, whatever their
spelling.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from support.course import lesson_md, load, make_course, write
from support.harness import page
from support.sites import run_mkdocs


def evil(field: str) -> str:
    """A field's value: its name, a script, an attribute break-out and a script URL."""
    return f'{field} <script>alert("{field}")</script>"onmouseover="alert(1)" \'x javascript:alert(1)'


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value)


FIELDS = {
    "lesson title": evil("LT"),
    "summary": evil("SU"),
    "objective": evil("OB"),
    "prerequisite": evil("PR"),
    "credits": evil("CR"),
    "track title": evil("TT"),
    "track summary": evil("TS"),
    "phase title": evil("PH"),
    "overview title": evil("OT"),
    "cheatsheet title": evil("CT"),
    "deep lesson title": evil("DL"),
    "quiz question": evil("QQ"),
    "quiz option": evil("QO"),
    "quiz explain": evil("QE"),
    "flashcard term": evil("FT"),
    "flashcard answer": evil("FA"),
    "docs page title": evil("DP"),
}
HEADING_TITLE = evil("H1")  # a docs page without front-matter takes its title from its first heading
EXERCISE_TITLE = 'Fix "onmouseover="alert(1)" \'x'  # a tag in a title is refused at check time


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("escaping") / "course")
    f = FIELDS
    write(
        root,
        "lessons/alpha/track.yml",
        f"number: 1\ntitle: {q(f['track title'])}\nsummary: {q(f['track summary'])}\nphases:\n"
        f"  - title: {q(f['phase title'])}\n    lessons: [a1, a2]\n  - title: Phase B\n    lessons: [a3]\n",
    )
    practice = (
        "## Practice\n\n"
        f"//// exercise | {EXERCISE_TITLE}\nDo it.\n\n/// solution\nDone.\n///\n////\n\n"
        "/// quiz\n"
        f"- question: {q(f['quiz question'])}\n  options:\n"
        f"    - text: {q(f['quiz option'])}\n      correct: true\n      explain: {q(f['quiz explain'])}\n"
        "    - text: Another\n      explain: Because.\n///\n\n"
        f"/// flashcards\n- term: {q(f['flashcard term'])}\n  answer: {q(f['flashcard answer'])}\n///\n"
    )
    write(
        root,
        "lessons/alpha/a1/lesson.md",
        lesson_md(
            q(f["lesson title"]),
            summary=q(f["summary"]),
            extra=f"prerequisites:\n  - text: {q(f['prerequisite'])}\ncredits: {q(f['credits'])}\n",
            body="## Introduction\n\n" + "Words to read here. " * 40 + "\n\n" + practice,
        ).replace("objectives:\n  - do the thing\n", f"objectives:\n  - {q(f['objective'])}\n"),
    )
    write(
        root,
        "lessons/alpha/a1/overview.md",
        f"---\ntitle: {q(f['overview title'])}\n---\n## What you'll learn\n\nThings.\n",
    )
    write(root, "cheatsheets/alpha/a1.md", f"---\ntitle: {q(f['cheatsheet title'])}\n---\n## Key ideas\n\nIdeas.\n")
    write(root, "docs/guide.md", f"---\ntitle: {q(f['docs page title'])}\n---\n## Section\n\nText.\n")
    write(root, "docs/heading.md", f"# {HEADING_TITLE.replace('<', '&lt;')}\n\nText.\n")
    b2 = root / "lessons/beta/b2/lesson.md"
    b2.write_text(b2.read_text().replace("title: Beta two", f"title: {q(f['deep lesson title'])}"))
    problems = [p.text() for p in load(root).problems.errors]
    assert problems == [], problems
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), harness.soup(path)


def text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def squash(s: str) -> str:
    return " ".join(s.split())


URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset")
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.I)


def assert_inert(where: str, soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        assert "alert(" not in (script.string or ""), f"{where}: our text became a script: {script}"
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"{where}: <{tag.name} {name}=...> from instructor text"
            if name.lower() in URL_ATTRS:
                assert not SCRIPT_URL.match(str(value)), f"{where}: <{tag.name} {name}={value!r}>"


def test_no_page_runs_instructor_text(evil_site):
    seen = 0
    for url, soup in pages(evil_site):
        assert_inert(url, soup)
        seen += 1
    assert seen >= 15
    for path in evil_site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        assert '<script>alert("' not in raw, path


def test_search_index_holds_text_not_markup(evil_site):
    """The search index keeps a page's text as plain text, markup characters included; search-ui.js puts
    every piece of it in with textContent (tests/browser/test_search_browser.py runs it on this
    kind of title). The lesson title is stored exactly as written; the quiz and the flashcard
    answers stay out of the index. A flashcard's term is found on the track's review page (the
    deck a learner searches for), as text, and nowhere else."""
    from support.search_index import content, fragments

    pages = fragments(evil_site)
    assert "/alpha/a1/" in pages
    assert squash(pages["/alpha/a1/"]["meta"]["title"]) == squash(FIELDS["lesson title"])
    every = squash(" ".join(content(f) + " " + json.dumps(f["meta"]) for f in pages.values()))
    assert squash(FIELDS["objective"]) in every  # the teaching text is there, as text
    # nor is a guide of docs/ (the learner's search holds the course only)
    for field in (
        "quiz question",
        "quiz option",
        "quiz explain",
        "flashcard answer",
        "docs page title",
    ):
        assert squash(FIELDS[field]) not in every, field
    holding_term = [url for url, f in pages.items() if squash(FIELDS["flashcard term"]) in squash(content(f))]
    assert holding_term == ["/alpha/review/"]


def test_title_tag_and_meta(evil_site):
    soup = page(evil_site, "alpha/a1")
    assert soup.title.get_text() == f"{FIELDS['lesson title']} - Fixture course"
    assert soup.select_one('meta[name="description"]')["content"] == FIELDS["summary"]
    assert len(soup.find_all("title")) == 1


def test_lesson_page_shows_every_field_as_text(evil_site):
    soup = page(evil_site, "alpha/a1")
    assert text(soup.select_one("h1")) == squash(FIELDS["lesson title"])
    assert squash(FIELDS["prerequisite"]) in text(soup.select_one(".ts-prereqs"))
    assert squash(FIELDS["credits"]) in text(soup.select_one(".ts-credits"))
    where = text(soup.select_one(".ts-lesson-header__where"))
    assert squash(FIELDS["phase title"]) in where
    body = text(soup)
    for name in ("quiz question", "quiz option", "quiz explain", "flashcard term", "flashcard answer"):
        assert squash(FIELDS[name]) in body, name
    exercise = soup.select_one('[data-widget="exercise"]')
    assert squash(EXERCISE_TITLE) in text(exercise)
    quiz = soup.select_one('[data-widget="quiz"]')
    assert quiz is not None and not quiz.find("script")


def test_overview_and_cheatsheet(evil_site):
    overview = page(evil_site, "alpha/a1/overview")
    assert overview.title.get_text() == f"{FIELDS['overview title']} - Fixture course"
    assert text(overview.select_one("h1")) == squash(FIELDS["lesson title"])  # the lesson header
    assert [text(li) for li in overview.select(".ts-objectives li")] == [squash(FIELDS["objective"])]
    cheatsheet = page(evil_site, "alpha/a1/cheatsheet")
    assert cheatsheet.title.get_text() == f"{FIELDS['cheatsheet title']} - Fixture course"
    tabs = [text(a) for a in cheatsheet.select(".ts-tabs__link")]
    assert tabs == ["Overview", "Lesson", "Cheatsheet"]


def test_navigation_pager_and_neighbours(evil_site):
    a2 = page(evil_site, "alpha/a2")
    assert text(a2.select_one(".ts-pager__link--prev .ts-pager__title")) == squash(FIELDS["lesson title"])
    assert squash(FIELDS["lesson title"]) in text(a2.select_one(".ts-nav"))
    assert squash(FIELDS["lesson title"]) in text(a2.select_one(".ts-prereqs"))  # a1 is a2's prerequisite
    assert squash(FIELDS["deep lesson title"]) in text(a2.select_one(".ts-crosslinks--deeper"))
    nav_text = " ".join(text(n) for n in a2.select("nav"))
    assert squash(FIELDS["phase title"]) in nav_text
    assert squash(FIELDS["track title"]) in nav_text


def test_track_and_home_pages(evil_site):
    track = page(evil_site, "alpha")
    assert squash(FIELDS["phase title"]) in [text(h) for h in track.select(".ts-phase h2")][0]
    assert squash(FIELDS["lesson title"]) in text(track.select_one(".ts-lessons__item"))
    assert squash(FIELDS["summary"]) in text(track.select_one(".ts-lessons__item"))
    assert squash(FIELDS["track summary"]) in text(track)
    assert squash(FIELDS["track title"]) in track.title.get_text()
    home = page(evil_site, "")
    card = home.select_one(".ts-track-card")
    assert text(card.h2) == squash(FIELDS["track title"])
    assert squash(FIELDS["track summary"]) in text(card)


@pytest.mark.parametrize("url, title", [("guide", FIELDS["docs page title"]), ("heading", HEADING_TITLE)])
def test_docs_page_title_is_text_everywhere(evil_site, url, title):
    """Issue 13, case 1: Material prints a docs page's title unescaped in the header."""
    soup = page(evil_site, url)
    assert soup.title.get_text() == f"{title} - Fixture course"
    assert text(soup.select_one("[data-md-component=header-topic]")) == squash(title)
    assert squash(title) in [text(a) for a in soup.select("nav a")]
    assert text(soup.select_one("article h1")).removesuffix(" ¶") == squash(title)
    # A learner's home lists the course only; the guides are listed on their own pages.
    assert squash(title) not in [text(a) for a in page(evil_site, "").select("nav a")]


# -- script URLs and HTML in lesson bodies are refused at check time ------------------------------

A2 = "lessons/alpha/a2/lesson.md"


def body_problems(course: Path, addition: str) -> tuple[list, int]:
    """Append to a2's body; the problems, and the line the addition starts on."""
    path = course / A2
    before = path.read_text(encoding="utf-8")
    assert before.endswith("\n")
    path.write_text(before + "\n" + addition + "\n", encoding="utf-8")
    return load(course).problems.errors, before.count("\n") + 2


REFUSED = {
    "javascript": ("[a](javascript:alert(1))", 0),
    "data": ("[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", 0),
    "vbscript": ("[a](vbscript:msgbox(1))", 0),
    "file": ("[a](file:///etc/passwd)", 0),
    "mixed-case": ("[a](JaVaScRiPt:alert(1))", 0),
    "leading-space": ("[a](   javascript:alert(1))", 0),
    "angle-brackets": ("[a](<javascript:alert(1)>)", 0),
    "tab-inside": ("[a](<java\tscript:alert(1)>)", 0),
    "entity-encoded": ("[a](&#106;avascript:alert(1))", 0),
    "entity-tab": ("[a](java&#x09;script:alert(1))", 0),
    "entity-colon": ("[a](javascript&colon;alert(1))", 0),
    "next-line": ("[a](\njavascript:alert(1))", 1),
    "with-title": ('[a](javascript:alert(1) "title")', 0),
    "image": ("![alt](javascript:alert(1))", 0),
    "reference": ("[a][r]\n\n[r]: javascript:alert(1)", 2),
    "reference-no-space": ("[a][r]\n\n[r]:javascript:alert(1)", 2),
    "reference-indented-titled": ('[a][r]\n\n   [r]: <JAVASCRIPT:alert(1)> "t"', 2),
    "reference-next-line": ("[a][r]\n\n[r]:\n    javascript:alert(1)", 3),
    "reference-data": ("[a][r]\n\n[r]: data:text/html,<script>alert(1)</script>", 2),
    "attr-list-href": ('[a](https://example.org){: href="javascript:alert(1)" }', 0),
    "attr-list-onclick": ('[a](https://example.org){: onclick="alert(1)" }', 0),
    "attr-list-heading": ('## Heading {: onmouseover="alert(1)" }', 0),
    "attr-list-paragraph": ("Text.\n{: onclick=alert(1) }", 1),
    "html-script": ("<script>alert(1)</script>", 0),
    "html-script-upper": ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", 0),
    "html-iframe": ('<iframe src="https://evil.example"></iframe>', 0),
    "html-object": ('<object data="x.swf"></object>', 0),
    "html-base": ('<base href="https://evil.example/">', 0),
    "html-handler": ('<img src="x.png" onerror="alert(1)">', 0),
    "html-handler-slash": ("<img/onerror=alert(1) src=x>", 0),
    "html-handler-upper": ('<img src="nope.png" ONERROR="fetch(\'http://127.0.0.1:9444/x\')">', 0),
    "html-handler-mixed-case": ('<div OnMouseOver="alert(1)">x</div>', 0),
    "attr-list-upper": ('## Heading {: ONCLICK="alert(1)" }', 0),
    "html-handler-next-line": ('<div\n  onclick="alert(1)">x</div>', 1),
    "html-href": ('<a href="javascript:alert(1)">x</a>', 0),
    "html-href-unquoted": ("<a href=javascript:alert(1)>x</a>", 0),
    "html-href-spaced-upper": ('<a href=" JAVA\tSCRIPT:alert(1)">x</a>', 0),
    "svg-xlink": ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', 0),
    "tex-href": ("Math: $\\href{javascript:alert(1)}{x}$", 0),
    "in-exercise": ("//// exercise | Task\n[a](javascript:alert(1))\n\n/// solution\nx\n///\n////", 1),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_script_in_lesson_body_is_refused(course, name):
    addition, offset = REFUSED[name]
    problems, first = body_problems(course, addition)
    located = [p for p in problems if p.path == A2 and p.line == first + offset]
    assert located, [p.text() for p in problems]
    assert any(re.search(r"javascript|vbscript|data|file|<\w+>|event handler", p.message) for p in located)


ALLOWED = {
    "prose": "Languages such as JavaScript: a note, and data: a word. Click on=off.",
    "code-span": "Write `[a](javascript:alert(1))` or `<script>` in code to show them.",
    "fenced-code": '```html\n<script>alert(1)</script>\n<a href="javascript:x" onclick="y">\n```',
    "https-link": "[the paper](https://arxiv.org/abs/1706.03762) and <https://example.org>",
    "math-braces": "$$\n\\frac{a}{b} = \\text{on} \\quad \\{x = 1\\}\n$$",
    "html-emphasis": '<kbd>Ctrl</kbd> and <abbr title="data: text">abbr</abbr>',
    "quiz-text": '/// quiz\n- question: What does <script> do?\n  options:\n    - text: "[a](javascript:x)"\n'
    "      correct: true\n      explain: It is text here.\n    - text: b\n      explain: c\n///",
}


@pytest.mark.parametrize("name", list(ALLOWED))
def test_harmless_text_is_not_refused(course, name):
    problems, _ = body_problems(course, ALLOWED[name])
    # `math:` vs formulas used is a separate check (test_body_checks.py); the fixture says `math: none`
    assert [p.text() for p in problems if p.path == A2 and p.field != "math"] == []
