"""Glossaries (lessons/<track>/glossary.yml), term links on first use, and the track's glossary
and key points pages: the checks on a small course written for each test, the pages in the
built bundled course, parsed with a real HTML parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import harness
from support.course import REPO, lesson_md, load, write
from support.harness import soup as html
from support.pdfs import COUNT_SOLUTION, need_browser, pdf_pages, printed_answers
from support.sites import run_mkdocs

TRACKS = ("deep-learning-survey", "transformers-and-llms")


def problems(root: Path) -> list[str]:
    """The glossary's problems (the fixture course has other warnings, about practice)."""
    return [
        p.text()
        for p in load(root).problems.items
        if "glossary" in p.path or "term '" in p.message or "slug" in p.message
    ]


def glossary(course: Path, track: str, text: str) -> None:
    write(course, f"lessons/{track}/glossary.yml", text)


def uses(course: Path, track: str, slug: str, title: str, words: str) -> None:
    write(
        course,
        f"lessons/{track}/{slug}/lesson.md",
        lesson_md(title, body=f"## Part\n\n{words} " + "Filler words to read. " * 40 + "\n"),
    )


# -- checks ---------------------------------------------------------------------------------------
def test_clean_glossary_has_no_problems(course):
    glossary(
        course,
        "alpha",
        "terms:\n  - term: Widget\n    aliases: [gadget]\n    definition: A small part.\n    lesson: a1\n",
    )
    uses(course, "alpha", "a1", "First lesson", "A widget is a small part.")
    uses(course, "alpha", "a3", "Third lesson", "Two gadgets.")  # an alias, in the plural
    assert problems(course) == []


def test_used_before_taught_warns_with_the_line_and_introduced_allows_it(course):
    glossary(course, "alpha", "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: a3\n")
    uses(course, "alpha", "a1", "First lesson", "A widget, briefly.")
    uses(course, "alpha", "a3", "Third lesson", "Widgets in depth.")
    found = problems(course)
    assert len(found) == 1, found
    assert re.match(
        r"lessons/alpha/a1/lesson\.md:\d+: warning: \[TS606\] term 'Widget' is used in Lesson 1 before Lesson 3 "
        r"\(a3\) teaches it",
        found[0],
    ), found
    assert "`introduced: a1`" in found[0]
    glossary(
        course, "alpha", "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: a3\n    introduced: a1\n"
    )
    assert problems(course) == []


def test_a_use_after_formulas_is_reported_at_its_own_line(course):
    """Formulas earlier on the page once shifted the reported line up (to a line with no use)."""
    glossary(course, "alpha", "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: a3\n")
    formulas = "".join(f"Sum $x_{i} + y_{i} = z_{i}$ and $a^{i}$.\n\n" for i in range(30))
    uses(course, "alpha", "a1", "First lesson", formulas + "A widget, briefly.")
    uses(course, "alpha", "a3", "Third lesson", "Widgets in depth.")
    (found,) = [p for p in load(course).problems.items if p.code == "TS606"]
    lines = (course / "lessons/alpha/a1/lesson.md").read_text(encoding="utf-8").split("\n")
    assert "widget" in lines[found.line - 1], (found.line, lines[found.line - 1])


def test_unused_term_and_a_teaching_lesson_that_never_uses_it_warn(course):
    glossary(
        course,
        "alpha",
        "terms:\n  - term: Sprocket\n    definition: A toothed wheel.\n    lesson: a1\n"
        "  - term: Widget\n    definition: A small part.\n    lesson: a1\n",
    )
    uses(course, "alpha", "a3", "Third lesson", "A widget.")
    found = problems(course)
    assert any(
        "warning: [TS605] term 'Sprocket' is defined but no lesson" in p
        and p.startswith("lessons/alpha/glossary.yml:2")
        for p in found
    ), found
    assert any("lesson 'a1', which should teach it, never uses it" in p for p in found), found


def test_two_tracks_defining_a_term_differently_is_an_error(course):
    glossary(course, "alpha", "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: a1\n")
    glossary(course, "beta", "terms:\n  - term: widget\n    definition: A large part.\n    lesson: b1\n")
    uses(course, "alpha", "a1", "First lesson", "A widget.")
    uses(course, "beta", "b1", "Beta one", "A widget.")
    load_result = load(course).problems
    errors = [p.text() for p in load_result.errors]
    assert errors == [
        "lessons/beta/glossary.yml:2: [TS604] definition: term 'widget' is defined differently in "
        "alpha/glossary.yml (line 2) (a term means one thing in the whole course: use the same definition)"
    ]
    glossary(course, "beta", "terms:\n  - term: widget\n    definition: a small part\n    lesson: b1\n")
    assert [p.text() for p in load(course).problems.errors] == []  # same words, case and final dot aside


def test_bad_glossary_fields_are_reported_with_lines(course):
    glossary(
        course,
        "alpha",
        "terms:\n  - term: Widget\n    defintion: A small part.\n    lesson: no-such\n"
        "  - term: Gear\n    definition: A wheel.\n    lesson: a1\n    introduced: a3\n",
    )
    found = problems(course)
    assert (
        "lessons/alpha/glossary.yml:3: [TS101] terms[0].defintion: unknown key 'defintion' (did you mean 'definition'?)"
        in found
    )
    # a file with schema errors feeds nothing else, so the second term's problem shows after a fix
    glossary(
        course,
        "alpha",
        "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: no-such\n"
        "  - term: Gear\n    definition: A wheel.\n    lesson: a1\n    introduced: a3\n",
    )
    found = problems(course)
    assert any("lesson: term 'Widget': lesson 'alpha/no-such' is not a lesson of the course" in p for p in found), found
    assert any(
        "introduced: term 'Gear': `introduced` must be a lesson before the one that teaches it" in p for p in found
    ), found


def test_a_lesson_slug_taken_by_a_track_page_is_an_error(course):
    text = (course / "lessons/alpha/track.yml").read_text().replace("a3", "glossary")
    write(course, "lessons/alpha/track.yml", text)
    (course / "lessons/alpha/a3").rename(course / "lessons/alpha/glossary")
    (course / "cheatsheets/alpha/a3.md").rename(course / "cheatsheets/alpha/glossary.md")
    assert any("lesson slug 'glossary' is taken by the track's own glossary page" in p for p in problems(course))


# -- the built fixture course: first use only, and the pages -------------------------------------
def test_first_use_link_and_tooltip_and_glossary_page(course):
    glossary(course, "alpha", "terms:\n  - term: Widget\n    definition: A small <part>.\n    lesson: a1\n")
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md(
            "First lesson",
            body=(
                "## A widget heading\n\nThe widget turns. Another widget.\n\n`widget` in code.\n\n"
                + "Filler words to read. " * 40
                + "\n"
            ),
        ),
    )
    uses(course, "alpha", "a3", "Third lesson", "Widgets again.")
    assert run_mkdocs(course).returncode == 0
    page = html(course / "site/alpha/a1/index.html")
    links = page.select(".md-content a.ts-term__link")
    assert [a.get_text() for a in links] == ["widget"]  # the first prose use, not the heading or the code
    tip = page.find(id=links[0]["aria-describedby"])
    assert tip["role"] == "tooltip" and tip.get_text() == "Widget: A small <part>."
    assert links[0]["href"] == "../glossary/#term-widget"
    assert not page.select("[title*=small]")  # never a title= tooltip
    assert html(course / "site/alpha/a2/index.html").select("a.ts-term__link") == []
    entry = html(course / "site/alpha/glossary/index.html").find(id="term-widget")
    assert entry.select_one("dt").get_text(strip=True) == "Widget"
    where = entry.select_one(".ts-glossary__where")
    assert where.find("a", string="Lesson 1: First lesson")["href"] == "../a1/"
    assert [a.get_text() for a in where.select("a")[1:]] == ["Lesson 1", "Lesson 3"]
    assert not (course / "site/beta/glossary").exists()  # beta has no glossary.yml


def test_exercise_pack_hides_solutions_for_learners_and_shows_them_to_instructors(course, tmp_path):
    body = (
        "## Practice\n\n//// exercise | Count\nCount the parts. See [the next lesson](lesson:a3).\n\n"
        "/// solution\nTHE-ANSWER is three.\n///\n////\n\n/// quiz\n- question: Which?\n  options:\n"
        "    - text: This one\n      correct: true\n      explain: Yes.\n    - text: That one\n      explain: No.\n///\n\n"
        + "Filler words to read. "
        * 40
    )
    write(course, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body=body))
    assert run_mkdocs(course).returncode == 0
    pack = html(course / "site/alpha/exercises/index.html")
    assert [h.get_text(" ", strip=True).rstrip(" ¶") for h in pack.select(".md-content h2")] == [
        "Lesson 2: Second lesson"
    ]
    assert pack.select_one(".ts-exercise__task").get_text(" ", strip=True).startswith("Count the parts.")
    assert pack.select(".ts-quiz") and "THE-ANSWER" not in pack.get_text()
    assert pack.find("a", string="the next lesson")["href"] == "../a3/"
    out = tmp_path / "instructor"
    result = harness.tracksite("build", "--instructor", "--site-dir", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    solution = html(out / "alpha/exercises/index.html").select_one("details.ts-solution")
    assert solution.has_attr("open") and "THE-ANSWER" in solution.get_text()


# -- the bundled course --------------------------------------------------------------------------
def _cheatsheet_terms(track: str) -> list[list[str]]:
    """The "Words to use precisely" of every cheatsheet; "Kernel / filter" is one term, two names."""
    out = []
    for sheet in sorted((REPO / "cheatsheets" / track).glob("*.md")):
        section = re.search(r"## Words to use precisely\n(.*?)(?:\n## |\Z)", sheet.read_text(), re.S)
        for name in re.findall(r"\*\*([^*]+)\*\*:", section.group(1) if section else ""):
            out.append([n.strip() for n in name.split("/")])
    return out


@pytest.mark.parametrize("track", TRACKS)
def test_bundled_glossary_has_every_cheatsheet_term(built_site, track):
    page = html(built_site / track / "glossary/index.html")
    defined = {dt.get_text(" ", strip=True).split(" (also:")[0].lower() for dt in page.select(".ts-glossary__term")}
    aliases = {
        a.strip().lower()
        for dt in page.select(".ts-glossary__term .ts-muted")
        for a in dt.get_text().strip("()").removeprefix("also: ").split(",")
    }
    terms = _cheatsheet_terms(track)
    assert terms, "the cheatsheets list words to use precisely"
    missing = [t for t in terms if not any(name.lower() in defined | aliases for name in t)]
    assert missing == []
    assert len(defined) >= 30
    for entry in page.select(".ts-glossary__entry"):  # every term: where it is taught and used
        assert entry.select_one(".ts-glossary__where a"), entry.get("id")


@pytest.mark.parametrize("track", TRACKS)
def test_bundled_term_links_point_at_glossary_entries(built_site, track):
    ids = {e["id"] for e in html(built_site / track / "glossary/index.html").select(".ts-glossary__entry")}
    pages = sorted((built_site / track).glob("*/index.html")) + sorted((built_site / track).glob("*/*/index.html"))
    linked = 0
    for path in pages:
        page = html(path)
        links = page.select("a.ts-term__link")
        anchors = [a["href"].split("#")[1] for a in links]
        assert len(anchors) == len(set(anchors)), f"{path}: a term linked twice"
        for a in links:
            assert a["href"].split("#")[0].endswith("glossary/") and a["href"].split("#")[1] in ids
            assert page.find(id=a["aria-describedby"]).get("role") == "tooltip"
            assert not a.find_parent(["h1", "h2", "h3", "code", "pre"])
        linked += len(links)
    assert linked > 100


@pytest.mark.parametrize("track", TRACKS)
def test_key_points_page_gathers_every_lesson_in_order(built_site, track):
    project = load(REPO)
    lessons = project.curriculum.lessons_of(track)
    page = html(built_site / track / "keypoints/index.html")
    sections = page.select("section.ts-keypoints--track")
    assert [s.select_one("h2").get_text(strip=True) for s in sections] == [
        f"Lesson {i}: {l.title}" for i, l in enumerate(lessons, 1)
    ]
    for section, lesson in zip(sections, lessons):
        assert section.select_one("h2 a")["href"] == f"../{lesson.slug}/"
        assert len(section.select("li")) == len(lesson.keypoints)
    assert page.select_one("button[data-print]")
    # the track page and the sidebar link to it
    assert html(built_site / track / "index.html").select_one(".ts-track-pages a[href='keypoints/']")


# -- the course map, review deck and lesson page size ----------------------------------------------
def test_course_map_nodes_edges_and_text_agree(built_site):
    page = html(built_site / "index.html")
    nodes = page.select(".ts-map__svg a.ts-map__node")
    items = page.select(".ts-map__list li[data-map-lesson]")
    project = load(REPO)
    keys = [l.key for l in project.curriculum.all_lessons()]
    assert [n["data-lesson"] for n in nodes] == keys == [i["data-map-lesson"] for i in items]
    for node, item in zip(nodes, items):
        assert (built_site / node["href"] / "index.html").is_file()
        assert node["href"] == item.a["href"]
        assert node["data-needs"] == item["data-needs"]
    needs = {n["data-lesson"]: n["data-needs"].split() for n in nodes}
    t5l1 = project.curriculum.lesson("transformers-and-llms/tokens-and-embeddings")
    assert needs[t5l1.key] == [p.lesson for p in t5l1.prerequisites if p.lesson]
    dashed = page.select(".ts-map__svg path.ts-map__edge--deep-dive")
    assert len(dashed) == sum(len(l.deep_dives) for l in project.curriculum.all_lessons())
    assert (
        "goes deeper in Track 5, Lesson 3"
        in page.select_one("li[data-map-lesson='deep-learning-survey/attention-and-transformers']").get_text()
    )


def test_lesson_pages_carry_no_map_and_only_their_own_terms(built_site):
    for path in (built_site / "deep-learning-survey").glob("*/index.html"):
        text = path.read_text(encoding="utf-8")
        assert "ts-map__svg" not in text and "data-map-lesson" not in text, path
    page = html(built_site / "deep-learning-survey/convolutions/index.html")
    tips = page.select(".ts-term__tip")
    assert 0 < len(tips) == len(page.select("a.ts-term__link")) < 20  # not the whole glossary


def test_every_bundled_lesson_feeds_the_review_page(built_site):
    project = load(REPO)
    for track in TRACKS:
        page = html(built_site / track / "review/index.html")
        decks = {
            s["data-review-lesson"]: len(s.select(".ts-review__card")) for s in page.select("[data-review-lesson]")
        }
        assert list(decks) == [l.key for l in project.curriculum.lessons_of(track)]
        assert all(n >= 3 for n in decks.values()), decks


@pytest.mark.browser
def test_pdf_prints_the_exercise_pack_without_then_with_solutions(tmp_path_factory, chromium):
    """The pack of a course whose second lesson has COUNT_EXERCISE, as `tracksite pdf --publish`
    and `tracksite pdf alpha --instructor` printed it (tests/support/pdfs.py: printed once a run, with
    the pack tests of tests/commands/test_pdf_answers.py)."""
    need_browser()
    printed = printed_answers(tmp_path_factory, chromium)
    course = printed / "course"
    assert "wrote site/alpha-exercises.pdf" in (printed / "publish.out").read_text()
    assert "wrote pdf/alpha-exercises.pdf" in (printed / "instructor.out").read_text()
    learner = " ".join(pdf_pages(course / "site/alpha-exercises.pdf"))
    assert "Count the parts." in learner and COUNT_SOLUTION not in learner
    instructor = " ".join(pdf_pages(course / "pdf/alpha-exercises.pdf"))
    assert COUNT_SOLUTION in instructor and (course / "site-instructor/alpha/exercises/index.html").is_file()


def test_rename_updates_glossary_references(course):
    glossary(
        course,
        "alpha",
        "# terms\nterms:\n  - term: Widget\n    definition: A small part.\n    lesson: a3\n"
        "    introduced: a1   # named early\n",
    )
    glossary(
        course, "beta", "terms:\n  - term: Gear\n    definition: A wheel.\n    lesson: 'alpha/a3'\n    introduced: b1\n"
    )
    uses(course, "alpha", "a1", "First lesson", "A widget, a gear.")
    uses(course, "alpha", "a3", "Third lesson", "Widgets in depth.")
    uses(course, "beta", "b1", "Beta one", "A gear.")
    result = harness.tracksite("rename", "alpha", "a3", "widgets", cwd=course)
    assert result.returncode == 0, result.stderr
    assert "lessons/alpha/glossary.yml:5: a3 -> widgets" in result.stdout
    assert (
        (course / "lessons/alpha/glossary.yml")
        .read_text()
        .endswith("    lesson: widgets\n    introduced: a1   # named early\n")
    )
    assert "    lesson: 'alpha/widgets'\n" in (course / "lessons/beta/glossary.yml").read_text()
    assert problems(course) == []
