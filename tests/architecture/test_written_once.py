"""What the review of issue 87 found written twice or more, or kept for the tests alone, is written
once and used by the product: the data widgets' root and title line (`DataBlock.on_end`), the
search's template marks (one list for the check and the build), Chromium's arguments (one list for
`tracksite pdf` and the browser tests), and no facade of names in `core/widgets/__init__.py`."""

from __future__ import annotations

import ast
import re

import markdown
import pytest
from bs4 import BeautifulSoup

from support.course import REPO
from tracksite import localserver
from tracksite.adapter.blocks import TracksiteBlocksExtension
from tracksite.core.checks import rawhtml
from tracksite.core.widgets import common
from tracksite.search import page as searchpage

PACKAGE = REPO / "scripts" / "tracksite"
WIDGETS = PACKAGE / "core" / "widgets"


def calls(path, names: set[str]) -> list[str]:
    """The calls of `names` in a module, as `name:line`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.func.id}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    ]


def test_no_widget_writes_its_own_root_or_title_line():
    """A data widget's block draws its body only: its root (class, `data-widget`, id) and its title
    line are `DataBlock.on_end`'s, from its `ROOT_ID` and `TITLE` (or `title`)."""
    blocks = sorted(WIDGETS.glob("*/block.py"))
    assert len(blocks) >= 8
    found = {str(p.relative_to(WIDGETS)): calls(p, {"widget_root", "title_line"}) for p in blocks}
    assert not {name: c for name, c in found.items() if c}, found
    assert calls(WIDGETS / "common.py", {"widget_root", "title_line"}), "DataBlock.on_end writes them"


QUIZ = (
    "/// quiz | Check\n- question: Two?\n  options:\n    - text: '2'\n      correct: true\n      explain: One and one.\n"
    "    - text: '3'\n      explain: One too many.\n///\n"
)
CARDS = "/// flashcards\n- term: Loss\n  answer: A number.\n///\n"


@pytest.mark.parametrize(
    "source,root,title",
    [(QUIZ, "ts-quiz-1", "Quiz: Check"), (CARDS, "ts-cards-1", "Flashcards")],
)
def test_the_root_and_title_line_as_a_page_shows_them(source, root, title):
    html = markdown.markdown(source, extensions=[TracksiteBlocksExtension()])
    element = BeautifulSoup(html, "lxml").select_one("[data-widget]")
    assert element is not None and element["id"] == root
    first = element.find()
    assert first is not None and "ts-widget__title" in first["class"] and first.get_text() == title


def test_every_data_widget_names_its_root():
    blocks = [cls for cls in _subclasses(common.DataBlock) if cls.__module__.endswith(".block")]
    assert len(blocks) >= 6
    assert all(re.fullmatch(r"ts-[a-z]+", cls.ROOT_ID) for cls in blocks), [(c, c.ROOT_ID) for c in blocks]


def _subclasses(cls):
    import importlib

    for path in WIDGETS.glob("*/block.py"):
        importlib.import_module(f"tracksite.core.widgets.{path.parent.name}.block")
    out, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


@pytest.mark.parametrize("mark", rawhtml.TEMPLATE_MARKS)
def test_the_check_and_the_build_read_one_list_of_template_marks(mark):
    """Each mark the check refuses (TS520) is one the build renames out of a page's content."""
    content = f'<span {mark}="x">words</span>\n'
    assert [f[-1] for f in rawhtml.findings(content, 1)] == ["TS520"]
    assert mark not in searchpage.unmarked(content)


def test_a_mark_the_content_may_keep_is_neither_refused_nor_renamed():
    content = "<p data-search-ignore>words</p>\n"
    assert rawhtml.findings(content, 1) == [] and searchpage.unmarked(content) == content


def test_chromium_arguments_are_written_once():
    """`tracksite pdf` and the browser tests start Chromium with the same list (localserver.py)."""
    assigned = [
        str(path.relative_to(REPO))
        for top in ("scripts", "tests")
        for path in (REPO / top).rglob("*.py")
        if re.search(r"^\s*CHROMIUM_ARGS\s*=", path.read_text(encoding="utf-8"), re.M)
    ]
    assert assigned == ["scripts/tracksite/localserver.py"]
    assert "--headless" in localserver.CHROMIUM_ARGS


def test_the_widgets_package_module_is_its_docstring_alone():
    """No lazy facade (PEP 562) of names defined elsewhere: a caller imports the defining module."""
    tree = ast.parse((WIDGETS / "__init__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), [type(n).__name__ for n in tree.body]
