"""Issue 30: every widget is declared once, in core/widgetregistry.py, and the rest derives from it.

- No other module of `core` or `adapter` spells a widget's name as a string (the few strings
  that mean something else are listed with their meaning).
- Every registry entry has a block in its folder (core/widgets/<home>/block.py), every data widget a body
  (core/widgets/bodies.py), and the block syntax, the glossary, reading time, term linking, the
  editor schemas, the field tables, the exercise pack and the linked assets follow the registry.
"""

from __future__ import annotations

import ast
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from support import package_source
from support.course import REPO
from tracksite import theme
from tracksite.adapter.blocks import BLOCKS, RENDERERS
from tracksite.commands.editor_schema import SCHEMAS
from tracksite.core import widgetregistry as W
from tracksite.core.learning import readingtime, termlinks
from tracksite.core.markdown import blocks as blocksyntax
from tracksite.core.markdown import prose
from tracksite.core.site import fingerprints
from tracksite.core.widgets import tables as fieldtables
from tracksite.core.widgets.bodies import BODIES
from tracksite.core.widgets.validate import WIDGET_BLOCKS

PACKAGE = REPO / "scripts" / "tracksite"

# Strings equal to a widget's name that name something else.
OTHER_MEANINGS = {
    ("adapter/blocks/__init__.py", "instructor"): "the extension's option for the instructor build",
    ("core/widgets/common.py", "instructor"): "the extension's option for the instructor build",
    (
        "adapter/pages/pagecontext.py",
        "instructor",
    ): "the plugin's option for the instructor build, in each page's context",
    ("core/siteconfig.py", "attention"): "one of pymdown-extensions' default admonition types",
    ("core/widgets/runnable/body.py", "solution"): "the key of a runnable block's body that holds the author's answer",
    ("core/widgets/runnable/check.py", "solution"): "the key of a runnable block's body that holds the author's answer",
    ("core/widgets/predict/body.py", "runnable"): "the key of a predict block's body that lets the learner run it",
}


def widget_name_strings(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """(module, name) for every string constant equal to a widget name in core/ and adapter/."""
    found = set()
    for folder in ("core", "adapter"):
        for path in sorted((package / folder).rglob("*.py")):
            rel = path.relative_to(package).as_posix()
            for node in package_source.nodes(path):
                if isinstance(node, ast.Constant) and node.value in W.NAMES:
                    found.add((rel, node.value))
    return found


def test_widget_names_are_spelled_in_the_registry_only():
    found = widget_name_strings()
    assert {name for module, name in found if module == "core/widgetregistry.py"} == W.NAMES
    stray = {hit for hit in found if hit[0] != "core/widgetregistry.py"} - set(OTHER_MEANINGS)
    assert stray == set()
    assert set(OTHER_MEANINGS) <= found  # an exception nothing needs any more goes


def test_every_widget_has_a_renderer_and_the_lists_follow_the_registry():
    assert [b.NAME for b in BLOCKS] == [w.name for w in W.WIDGETS] == list(WIDGET_BLOCKS)
    assert all(RENDERERS[w.name].WIDGET is w for w in W.WIDGETS)
    assert blocksyntax.RAW_BLOCKS == {w.name for w in W.WIDGETS if w.data}
    assert prose.DATA_BLOCKS == {w.name for w in W.WIDGETS if not w.prose}
    assert readingtime.PRACTICE_BLOCKS >= {w.name for w in W.WIDGETS if w.practice}
    files = {name for name, _, _ in SCHEMAS}
    assert {w.schema_file for w in W.WIDGETS if w.data} <= files
    assert all(W.asset_file(a).is_file() for w in W.WIDGETS for a in w.assets)


def test_every_data_widget_declares_its_body_and_the_rest_follows():
    """A data widget's module under core/widgets/ ends with a `BODY`; the validation, the field
    tables, the exercise pack's blocks and the pages' assets are read from the registry and the
    bodies, with nothing listed by hand."""
    assert list(BODIES) == [w.name for w in W.WIDGETS if w.data]
    assert all(BODIES[name].widget is W.BY_NAME[name] for name in BODIES)
    assert all(name in fieldtables.SPECS for body in BODIES.values() for name, _ in body.tables)
    assert set(W.GRADED) <= set(fingerprints.SHARED_BLOCKS)
    linked = {a.removeprefix("assets/") for a in (*theme.SCRIPTS, *theme.STYLESHEETS, *W.WIDGET_ASSETS)}
    assert {a for w in W.WIDGETS for a in w.assets} <= linked
    assert all(w.css_class for w in W.WIDGETS if W.widget_assets(w))  # how a page is seen to show it
    assert theme.SCRIPTS[0] == "assets/tracksite/widgets.js"  # window.tracksite, which the others use


def test_each_widget_renders_with_its_registered_class():
    bodies = {
        W.QUIZ.name: (
            "- question: Which?\n  options:\n    - text: this\n      correct: true\n      explain: Yes.\n"
            "    - text: that\n      explain: No.\n"
        ),
        W.FLASHCARDS.name: "- term: Softmax\n  answer: Turns scores into weights that sum to 1.\n",
    }
    md = markdown.Markdown(extensions=["tracksite.adapter.blocks"])
    for name, body in bodies.items():
        html = md.reset().convert(f"/// {name}\n{body}///\n")
        root = BeautifulSoup(html, "html.parser").find(attrs={"data-widget": name})
        assert root is not None and W.BY_NAME[name].css_class in root["class"], html


def test_terms_are_not_linked_inside_a_data_widget():
    """Term linking skips the rendered data widgets by their registered classes (the attention
    widget's `ts-attn` used to be missed: its class was spelled `ts-attention` in the skip list)."""
    term = termlinks.Term(
        track="t",
        term="token",
        definition="a piece of text",
        aliases=(),
        lesson="t/a",
        introduced=None,
        line=1,
        path=Path("glossary.yml"),
    )
    html = '<figure class="ts-attn"><p>one token</p></figure><p>a token here</p>'
    out, used = termlinks.mark_first_uses(html, termlinks.Glossary([term]), "t", lambda t: "#x")
    soup = BeautifulSoup(out, "html.parser")
    assert used == [term]
    assert soup.figure.find(class_="ts-term") is None
    assert soup.find_all("p")[1].find(class_="ts-term") is not None


def widget_class_strings(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """(module, class) for every string of a Python module that spells a widget's CSS class (its
    root class, its answers' class or a BEM part of one, `ts-quiz__answers`), outside the registry
    and the widget's own folder (core/widgets/<home>/): a widget's modules do not spell another's."""
    import re

    homes: dict[str, set[str]] = {}
    for w in W.WIDGETS:
        for c in (w.css_class, w.answers):
            if c:
                homes.setdefault(c, set()).add(f"core/widgets/{w.home}/")
    token = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(homes))) + r")(?:__[\w-]+)?(?![\w-])")
    found = set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel == "core/widgetregistry.py":
            continue
        for node in package_source.nodes(path):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found |= {
                    (rel, m.group(0))
                    for m in token.finditer(node.value)
                    if not rel.startswith(tuple(homes[m.group(1)]))
                }
    return found


def test_widget_classes_are_spelled_in_the_registry_and_the_widgets_own_files_only():
    """Issue 41: search left out `ts-quiz`, `ts-cards`, `ts-solution` and `ts-instructor` by a list
    of its own, so a new widget with answers would have leaked them into results; it reads the
    registry's NOT_SEARCHED now, and nothing else outside a widget's own files names its classes."""
    assert widget_class_strings() == set()


def test_the_checker_finds_a_class_spelled_elsewhere(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "leak.py").write_text(
        'HIDDEN = {"ts-quiz", "ts-quiz__answers", "ts-quizzes", "x ts-cards y"}\n'
    )
    (tmp_path / "core" / "widgets" / "flashcards").mkdir(parents=True)
    (tmp_path / "core" / "widgets" / "flashcards" / "block.py").write_text('CLS = "ts-cards__face ts-quiz"\n')
    assert widget_class_strings(tmp_path) == {
        ("core/leak.py", "ts-quiz"),
        ("core/leak.py", "ts-quiz__answers"),
        ("core/leak.py", "ts-cards"),
        ("core/widgets/flashcards/block.py", "ts-quiz"),  # a widget's folder spells its own only
    }


def test_search_leaves_out_what_the_registry_says():
    from tracksite.search.page import EXCLUDED_CLASSES

    assert W.NOT_SEARCHED == {
        "ts-solution",
        "ts-cards",
        "ts-quiz",
        "ts-instructor",
        "ts-quiz__answers",
        "ts-predict__answer",
        "ts-run__solution",
    }
    assert W.NOT_SEARCHED <= EXCLUDED_CLASSES
