"""Issue 52: the exports read the widgets' data, not their markup. In an export's build each
widget an export takes (its registry entry's `export`) ends with a JSON island of the data its
block parsed, its texts as the page shows them; the published site holds none, and
commands/export/ names no widget: which widgets it reads, and as what, is the registry's."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, SoupStrainer

from support.course import REPO
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.commands.export import coursedata
from tracksite.core import widgetregistry as W
from tracksite.core.site import coursejson
from tracksite.core.widgets import islands
from tracksite.errors import UserError

EXPORT = REPO / "scripts" / "tracksite" / "commands" / "export"
_TOKEN = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(c) for c in sorted({c for w in W.WIDGETS for c in (w.css_class, w.answers) if c}))
    + r")(?:__[\w-]+)?(?![\w-])"
)
_CONSTANTS = {attr for attr, value in vars(W).items() if isinstance(value, W.Widget)}


def widget_names(folder: Path) -> set[tuple[str, str]]:
    """(module, what) for every widget a module of `folder` names by itself: a string that is a
    widget's name or holds one of its classes, or a registry entry taken by its constant
    (`W.QUIZ`) rather than found by what it gives (`export`)."""
    found = set()
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in W.NAMES:
                    found.add((rel, node.value))
                found |= {(rel, m.group(0)) for m in _TOKEN.finditer(node.value)}
            elif isinstance(node, (ast.Attribute, ast.ImportFrom)):
                names = [node.attr] if isinstance(node, ast.Attribute) else [a.name for a in node.names]
                found |= {(rel, name) for name in names if name in _CONSTANTS | {"BY_NAME"}}
    return found


def test_exports_name_no_widget_outside_the_registry():
    assert widget_names(EXPORT) == set()


def test_the_check_finds_a_widget_named_in_an_export(tmp_path):
    (tmp_path / "leak.py").write_text(
        "from tracksite.core.widgetregistry import BY_NAME\nfrom tracksite.core import widgetregistry as W\n"
        'A = "quiz"\nB = ".ts-cards .ts-card__term"\nC = W.RUNNABLE.css_class\nD = "quizzes"\n'
    )
    assert widget_names(tmp_path) == {
        ("leak.py", "BY_NAME"),
        ("leak.py", "quiz"),
        ("leak.py", "ts-cards"),
        ("leak.py", "RUNNABLE"),
    }


def test_the_published_site_holds_no_island(built_site):
    """No page of the published site carries an island (a page may still name one in its prose:
    the architecture guide describes them)."""
    islands = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if W.ISLAND not in text:  # no element can carry an attribute its page never names
            continue
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.find_all(attrs={W.ISLAND: True}), page
        islands += 1
    assert islands, "the guide that names the islands is part of the published site: the test reads it"


def _html(fragment) -> str:
    """An element's content or an HTML text, as one parser writes it back (entities decoded)."""
    text = fragment if isinstance(fragment, str) else fragment.decode_contents()
    return BeautifulSoup(text.strip(), "html.parser").decode()


def _shown(page: Path) -> dict[str, list]:
    """What the published page shows of each exported widget, read from its markup, as the
    islands of the same page in an export's build should hold it."""
    # only the exported widgets' elements are parsed (SoupStrainer), each as the whole page's parse
    # has it: the rest of the pages was most of what the test cost
    exported = SoupStrainer(attrs={"data-widget": [w.name for w in W.WIDGETS if w.export]})
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser", parse_only=exported)
    out: dict[str, list] = {kind: [] for kind in W.EXPORTS}
    for w in W.WIDGETS:
        if not w.export:
            continue
        for root in soup.find_all(attrs={"data-widget": w.name}):
            key = root["data-key"]
            if w is W.QUIZ:
                out["quizzes"].append(
                    {"key": key, "questions": [_question(q) for q in root.select(".ts-quiz__question")]}
                )
            elif w is W.FLASHCARDS:
                terms = [" ".join(t.get_text().split()) for t in root.select(".ts-card__term")]
                out["decks"].append({"key": key, "terms": terms})
            else:
                checked = root.select_one(".ts-run__tests, .ts-run__expected") is not None
                line = root.select_one(".ts-widget__title")  # its title: the line after the kind's word
                strong = line.select_one("strong") if line else None
                title = line.get_text()[len(strong.get_text()) if strong else 0 :].strip() if line else ""
                out["exercises"].append({"key": key, "checked": checked, "title": title})
    return out


def _question(li) -> dict:
    explanations = li.select(".ts-quiz__explanation")
    return {
        "key": li["data-key"],
        "text": _html(li.select_one(".ts-quiz__question-text")),
        "multiple": li["data-multiple"] == "true",
        "options": [_html(label) for label in li.select(".ts-quiz__label")],
        "correct": [n for n, x in enumerate(explanations) if x["data-correct"] == "true"],
        "feedback": [_html(x.select_one(".ts-quiz__explain")) for x in explanations],
        "order": [int(x["data-option"]) for x in explanations],
    }


def _normal(found: dict[str, list]) -> dict[str, list]:
    for kind in found.values():
        for island in kind:
            assert island.pop("v") == islands.VERSION  # every island carries its version
    for quiz in found["quizzes"]:
        for q in quiz["questions"]:
            q["text"] = _html(q["text"])
            q["options"] = [_html(o) for o in q["options"]]
            q["feedback"] = [_html(f) for f in q["feedback"]]
    return found


def test_each_island_holds_what_the_published_page_shows(built_site, export_site):
    """Every quiz (each question, its options in the page's order, the right ones, the
    feedback), every deck's terms and every exercise of the bundled course, on the lessons and
    the exercise packs: the export build's islands hold what the published page shows."""
    counts = dict.fromkeys(W.EXPORTS, 0)
    for page in sorted(built_site.rglob("index.html")):
        exported = export_site / page.relative_to(built_site)
        islands = _normal(coursedata.islands(exported.read_text(encoding="utf-8")))
        shown = _shown(page)
        assert islands == shown, page
        for kind in W.EXPORTS:
            counts[kind] += len(shown[kind])
    assert counts["quizzes"] > 50 and counts["decks"] > 10 and counts["exercises"] > 10, counts


def test_an_island_is_inert_json_that_no_text_can_close():
    """`</script>`, `&` and quotes in a question stay inside the island's JSON."""
    context = WidgetContext("t/l", REPO, islands=True)
    md = markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: context)])
    body = (
        '- question: "Is </script><b>x</b> & \\"y\\" code?"\n  options:\n'
        "    - text: '`</script>`'\n      correct: true\n      explain: Yes & no.\n"
        "    - text: No\n      explain: It is.\n"
    )
    html = md.convert(f"/// quiz\n{body}///\n")
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert len(scripts) == 1 and scripts[0]["type"] == "application/json"
    data = json.loads(scripts[0].string)
    assert "<" not in scripts[0].string and "&" not in scripts[0].string
    question = data["questions"][0]
    assert BeautifulSoup(question["text"], "html.parser").get_text() == 'Is </script><b>x</b> & "y" code?'
    assert "<code>&lt;/script&gt;</code>" in question["options"]


# Issue 75: the course's structure comes from course.json, written from the model; no export
# reads it out of the built pages' markup.


def test_the_outline_says_what_the_home_and_track_pages_show(built_site):
    """course.json (written from the model) and the pages (written from the same model by the
    templates) agree on every fact the exports took from the markup before: the course's title
    and id, each track's title, its lessons in order with their numbers, each lesson's phase as
    the navigation numbers it, and the lesson's pages the site has."""
    outline = json.loads((built_site / coursejson.SRC_URI).read_text(encoding="utf-8"))
    assert outline["version"] == coursejson.VERSION
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert outline["title"] == home.title.get_text(strip=True)
    assert outline["id"] == home.find("meta", attrs={"name": "tracksite-course"})["content"]
    assert outline["lang"] == home.html["lang"]
    listed = [p["data-continue-track"] for p in home.find_all(attrs={"data-continue-track": True})]
    assert [t["slug"] for t in outline["tracks"]] == list(dict.fromkeys(listed)) and listed
    for track in outline["tracks"]:
        lessons = {lesson["id"]: lesson for lesson in track["lessons"]}
        assert " ".join(home.find(id=f"track-{track['slug']}").get_text().split()) == track["title"]
        shown = json.loads(home.find(attrs={"data-continue-track": track["slug"]})["data-continue-lessons"])
        assert shown == [[l["id"], f"Lesson {l['number']}, {l['title']}"] for l in track["lessons"]]
        nav = BeautifulSoup((built_site / track["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        phased = 0
        for phase in nav.select(".ts-nav__phase"):
            title = " ".join(phase.select_one(".ts-nav__phase-title").get_text().split())
            for item in phase.select("[data-nav-lesson]"):
                found = lessons[item["data-nav-lesson"]]["phase"]
                assert title == f"Phase {found['number']}: {found['title']}"
                phased += 1
        assert phased == len(lessons)
        for lesson in track["lessons"]:
            has = [lesson["url"]] + [
                f"{lesson['url']}{kind}/"
                for kind in coursejson.COMPANIONS
                if (built_site / lesson["url"] / kind).is_dir()
            ]
            assert lesson["pages"] == has


def _pages_only(folder: str, names: list[str]) -> list[str]:
    """What a copy of a site for coursedata leaves out: every file but pages and the outline."""
    here = Path(folder)
    return [n for n in names if not ((here / n).is_dir() or n.endswith(".html") or n == coursejson.SRC_URI)]


def test_the_exports_read_the_outline_not_the_home_pages_markup(export_site, tmp_path):
    """A home page and track pages of other templates (no list of tracks, no navigation, no
    title) change nothing of what an export reads: the outline holds the course's structure."""
    site = tmp_path / "site"
    shutil.copytree(export_site, site, ignore=_pages_only)
    before = coursedata.read(site)
    bare = "<!doctype html><html><head></head><body><p>Welcome</p></body></html>"
    (site / "index.html").write_text(bare, encoding="utf-8")
    for slug, _ in before.tracks:
        (site / slug / "index.html").write_text(bare, encoding="utf-8")
    after = coursedata.read(site)
    assert after == before
    assert after.lessons[0].phase.startswith("Phase 1: ") and after.lessons[0].title.startswith("Lesson 1, ")
    track = coursedata.read(site, before.tracks[1][0])
    assert track.lessons == [l for l in before.lessons if l.track == before.tracks[1][0]]


def test_a_site_without_a_readable_outline_is_refused_with_the_way_out(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>A course</title>", encoding="utf-8")
    outline = tmp_path / coursejson.SRC_URI
    refused = {
        None: "has no course.json",
        "{not json": "not JSON",
        '{"tracks": []}': "no version",
        '{"version": 2, "tracks": []}': "written by a later tracksite (version 2",
        '{"version": 1, "tracks": {}}': "not a list of tracks",
        '{"version": 1, "tracks": []}': "lists no lessons",
        # a hostile outline names no file outside the site
        '{"version": 1, "tracks": [{"slug": "t", "lessons": [{"id": "../../etc"}]}]}': "index.html is not in the site",
    }
    for text, said in refused.items():
        if text is not None:
            outline.write_text(text, encoding="utf-8")
        with pytest.raises(UserError, match=re.escape(said)):
            coursedata.read(tmp_path)
