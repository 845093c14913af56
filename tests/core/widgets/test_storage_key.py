"""Issue 87: a learner's storage key is spelled once (`widgetregistry.storage_key`), and the page
carries each key as data (`data-key`, `data-code-key`) for the scripts to read."""

from __future__ import annotations

import ast
import re

import markdown
from bs4 import BeautifulSoup

from support.course import REPO
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.core import widgetregistry as W
from tracksite.core.widgets.runnable.body import code_key

PACKAGE = REPO / "scripts" / "tracksite"
SPELLED = re.compile(r"tracksite:(quiz|cards|runnable|code)\b")


def literals(path) -> list[str]:
    """The text of every string literal of a module, the fixed parts of its f-strings included
    (a docstring names the format in words, so docstrings are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_module_spells_a_storage_key_but_the_registry():
    spelled = {
        str(path.relative_to(PACKAGE)): found
        for path in PACKAGE.rglob("*.py")
        if (found := [s for s in literals(path) if SPELLED.search(s)])
    }
    assert spelled == {}, spelled


def test_the_page_carries_the_keys_the_registry_makes():
    quiz = (
        "/// quiz\n- question: Two?\n  options:\n    - text: '2'\n      correct: true\n      explain: Yes.\n"
        "    - text: '3'\n      explain: No.\n///\n\n/// flashcards\n- term: Loss\n  answer: A number.\n///\n\n"
        "/// runnable\ncode: print(1)\n///\n"
    )
    md = markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: WidgetContext("t/l", REPO))])
    soup = BeautifulSoup(md.convert(quiz), "lxml")
    assert soup.select_one("[data-widget=flashcards]")["data-key"] == W.storage_key("cards", "t/l", 1)
    assert soup.select_one("[data-widget=quiz]")["data-key"].startswith(W.storage_key("quiz", "t/l", 1) + ":")
    question = soup.select_one(".ts-quiz__question")["data-key"]
    assert question.startswith(W.storage_key("quiz", "t/l") + ":") and question.count(":") == 3
    runnable = soup.select_one("[data-widget=runnable]")
    assert runnable["data-key"].startswith(W.storage_key("runnable", "t/l", 1) + ":")
    assert runnable["data-code-key"] == code_key("t/l", 1) and re.fullmatch(
        r"tracksite:code:[0-9a-f]{12}", code_key("t/l", 1)
    )
