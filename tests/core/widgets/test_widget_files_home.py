"""Issue 87: a widget is one folder in every language. Its script and stylesheet live in its home
(core/widgets/<home>/) beside its Python, and the site publishes them at the addresses pages have
always linked (`assets/tracksite/predict.js`), from the registry alone: no list of files elsewhere."""

from __future__ import annotations

import tomllib
from pathlib import PurePosixPath

from support import harness
from support.course import REPO, lesson_md, make_course, write
from tracksite import theme
from tracksite.core import widgetregistry as W
from tracksite.core.site import scripts, sheets

PACKAGE = REPO / "scripts" / "tracksite"
PREDICT = '/// predict\ncode: print(1 + 1)\noutput: "2"\nexplain: One and one make two.\n///\n'


def test_every_script_and_stylesheet_of_a_home_is_its_entrys():
    named = {piece for w in W.WIDGETS for piece in w.pieces()}
    found = sorted(p.relative_to(PACKAGE).as_posix() for p in W.HOMES.glob("*/*") if p.suffix in (".js", ".css"))
    assert {"core/widgets/predict/predict.js", "core/widgets/attention/attention.js"} <= set(found)
    assert [f for f in found if f not in named] == []


def test_the_files_in_a_home_are_published_where_pages_link_them(tmp_path):
    course = make_course(tmp_path / "course")
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=PREDICT))
    write(course, "docs/assets/tracksite/predict.css", "/* the course's own */\n")  # a course's file wins
    site = harness.build(course)
    published = dict(W.home_asset_files())
    assert {"assets/tracksite/predict.js", "assets/tracksite/predict.css", "assets/tracksite/attention.js"} <= set(
        published
    )
    assert {"assets/tracksite/runnable-worker.js", "assets/tracksite/runnable-editor.js"} <= set(published)
    for uri, path in published.items():
        if uri.startswith(theme.RUNTIME):  # the interpreter's side, in a site whose pages run code only
            assert not (site / uri).exists(), uri
            continue
        # tracksite's style sheets and scripts are published without their comments (sheets.py, scripts.py)
        own = path.read_text(encoding="utf-8")
        expected = (
            "/* the course's own */\n"
            if uri.endswith("predict.css")
            else sheets.published(own)
            if uri.endswith(".css")
            else scripts.published(own)
            if scripts.minified(uri)
            else own
        )
        assert (site / uri).read_text(encoding="utf-8") == expected, uri
    page = harness.page(site, "alpha/a1/")
    assert page.select_one("script[src$='assets/tracksite/predict.js']") is not None


def test_the_wheel_carries_every_file_a_home_publishes():
    """The package data of pyproject.toml names each (a file a wheel lacks is a page without its script)."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["tracksite"]
    files = [PurePosixPath(path.relative_to(PACKAGE).as_posix()) for _, path in W.home_asset_files()]
    words = [PurePosixPath(p) for w in W.WIDGETS for p in w.pieces() if p.endswith("/words.yml")]  # its words
    assert files and words and [f for f in [*files, *words] if not any(f.match(p) for p in patterns)] == []
