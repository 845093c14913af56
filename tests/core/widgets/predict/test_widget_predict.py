"""`/// predict`: the widget added as four parts (issue 30): its body's validation with file and
line, its HTML read back with BeautifulSoup, its editor schema against the validator, the
practice it counts as, and its script's safety and size. The browser's side is in
tests/core/widgets/predict/test_predict_browser.py."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from support.course import REPO
from support.course_code import Block, course_files, run
from support.schemas import VALIDATORS, WRONG_TYPES, verdicts
from tracksite import theme
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.adapter.published import widgetassets
from tracksite.core import widgetregistry as W
from tracksite.core.learning import coverage
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.site import trackpages
from tracksite.core.widgets.bodies import BODIES
from tracksite.core.widgets.predict.body import PREDICT, parse_predict
from tracksite.core.widgets.validate import validate_widgets
from tracksite.core.yaml.safe import parse

SCHEMA = "predict.schema.json"
BODY = 'code: |\n  x = [1, 2, 3]\n  print(x[-1] * 2)\nlanguage: python\noutput: "6"\nexplain: Negative indices count from the end, so x[-1] is 3.\n'
BLOCK = f"/// predict\n{BODY}///\n"
DOC = {"code": "print(1 + 1)", "language": "python", "output": "2", "explain": "One plus one."}


def render(text: str, highlight: bool = True) -> BeautifulSoup:
    context = WidgetContext("track/lesson", Path.cwd())
    extensions: list = ["pymdownx.highlight", "pymdownx.superfences"] if highlight else []
    md = markdown.Markdown(extensions=[*extensions, TracksiteBlocksExtension(context=lambda: context)])
    return BeautifulSoup(md.convert(text), "lxml")


# -- the body ---------------------------------------------------------------------------------


def test_the_body_is_read_literally():
    value, findings = parse_predict(BODY)
    assert findings == []
    assert value is not None
    assert value.code == "x = [1, 2, 3]\nprint(x[-1] * 2)"
    assert (value.language, value.output) == ("python", "6")
    assert parse_predict("code: print(1)\noutput: 1\nexplain: e\n")[0].language == "python"  # the default


@pytest.mark.parametrize(
    "body,line,words",
    [
        ("code: |\n  print(6)\nexplain: Six.\n", 13, "missing required key 'output'"),
        ('output: "6"\nexplain: Six.\n', 13, "missing required key 'code'"),
        ('code: print(6)\noutput: "6"\nexplain: Six.\nanswer: 6\n', 16, "unknown key 'answer'"),
        ("code: print(6)\noutput:\nexplain: Six.\n", 14, "output: has no value"),
        ('code: print(6)\nlanguage: Python 3\noutput: "6"\nexplain: Six.\n', 14, "is not a language name"),
        ("- code: print(6)\n", 13, "expected a mapping"),
    ],
)
def test_problems_have_the_file_and_line(body, line, words):
    """The block starts on line 12 of the file (its body on 13): each problem points at its line."""
    problems = validate_widgets("lessons/t/l/lesson.md", f"/// predict\n{body}///\n", 12, Path("."))
    texts = [p.text() for p in problems]
    assert any(t.startswith(f"lessons/t/l/lesson.md:{line}: ") and words in t for t in texts), texts


def test_an_empty_block_is_an_error():
    problems = validate_widgets("l.md", "/// predict\n///\n", 1, Path("."))
    assert [(p.line, p.message) for p in problems] == [(1, "the predict block is empty")]


# -- the page ---------------------------------------------------------------------------------


def test_it_renders_code_question_and_a_closed_answer():
    soup = render("Intro\n\n" + BLOCK)
    root = soup.find(attrs={"data-widget": W.PREDICT.name})
    assert root is not None and "ts-predict" in root["class"] and root["id"] == "ts-predict-1"
    assert root.select_one(".ts-widget__title").get_text() == "Predict the output"
    code = root.select_one(".ts-predict__code .highlight code")
    assert code is not None and code.find("span") is not None, "highlighted like a fenced block"
    assert "print(x[-1] * 2)" in code.get_text()
    question = root.select_one(".ts-predict__question")
    assert question.get_text() == "What will this print?" and question["id"] == "ts-predict-1-question"
    answer = root.select_one("details.ts-predict__answer")
    assert answer is not None and not answer.has_attr("open") and answer.has_attr("data-search-ignore")
    assert answer.summary.get_text() == "Show the output"
    assert answer.select_one("pre.ts-predict__output > samp").get_text() == "6"
    assert answer.select_one(".ts-predict__explain").get_text() == "Negative indices count from the end, so x[-1] is 3."
    assert soup.find("script") is None and soup.find(attrs={"style": True}) is None


def test_without_the_highlighter_the_code_is_plain_and_escaped():
    soup = render(
        '/// predict | Tags\ncode: print("<b>hi</b>")\nlanguage: python\noutput: <b>hi</b>\nexplain: e\n///\n', False
    )
    root = soup.select_one("[data-widget=predict]")
    assert root.select_one(".ts-widget__title").get_text() == "Predict the output: Tags"
    code = root.select_one(".ts-predict__code pre code.language-python")
    assert code.get_text().rstrip("\n") == 'print("<b>hi</b>")' and code.find("b") is None
    assert root.select_one(".ts-predict__output").find("b") is None


def test_a_broken_body_shows_an_error_note_not_a_traceback():
    soup = render("/// predict\ncode: print(6)\n///\n")
    note = soup.select_one('[data-widget-error="predict"]')
    assert note is not None and "output" in note.get_text()


def test_two_blocks_get_their_own_ids():
    roots = render(BLOCK + "\n" + BLOCK).select("[data-widget=predict]")
    assert [r["id"] for r in roots] == ["ts-predict-1", "ts-predict-2"]


# -- the editor schema agrees with the validator --------------------------------------------------


def _variants():
    out = [("valid", DOC, True), ("a list", [DOC], False), ("a string", "print(1)", False)]
    for f in PREDICT.fields:
        out.append((f"without {f.name}", {k: v for k, v in DOC.items() if k != f.name}, not f.required))
        out.append((f"{f.name} empty", {**DOC, f.name: None}, None if not f.required else False))
        out += [(f"{f.name} = {wrong!r}", {**DOC, f.name: wrong}, None) for wrong in WRONG_TYPES]
    out += [
        ("unknown key", {**DOC, "answer": "2"}, False),
        ("language with capitals", {**DOC, "language": "Python"}, False),
        ("language c++", {**DOC, "language": "c++"}, True),
        ("a number as output", {**DOC, "output": 6}, True),
        ("a blank output", {**DOC, "output": "  "}, False),
    ]
    return out


@pytest.mark.parametrize("label,doc,expected", _variants(), ids=[v[0] for v in _variants()])
def test_the_editor_schema_agrees_with_the_validator(label, doc, expected):
    by_tracksite, by_editor = verdicts(SCHEMA, doc)
    assert by_tracksite == by_editor, label
    if expected is not None:
        assert by_tracksite == expected, label


@pytest.mark.parametrize("yaml_text", ["code: print(6)\noutput: 6\nexplain: no", "code: x\noutput: 6.0\nexplain: off"])
def test_yaml_is_read_as_editors_read_it(yaml_text):
    doc = parse(yaml_text).value
    assert verdicts(SCHEMA, doc) == (True, True)


def test_the_schema_is_generated_from_the_body():
    assert SCHEMA in VALIDATORS
    assert VALIDATORS[SCHEMA].schema["title"] == W.PREDICT.schema_title
    assert BODIES[W.PREDICT.name].spec is PREDICT


# -- practice -----------------------------------------------------------------------------------


def test_it_counts_as_practice_that_checks_an_answer():
    """Coverage counts its code, output and explanation, in a `practice: required` track too,
    and the exercise pack gathers it like an exercise."""
    body = "Some prose.\n\n" + BLOCK
    for graded_only in (False, True):
        items = coverage.practice_items(body, graded_only=graded_only)
        assert len(items) == 1 and "x[-1]" in items[0] and "Negative indices" in items[0]
    assert coverage.covers("use negative indices to read a list from the end", items)
    assert trackpages.practice_blocks(body, with_solutions=False) == [BLOCK.rstrip("\n")]


def _normalised(text: str) -> str:
    """As predict.js compares: no surrounding whitespace, no spaces at the ends of lines."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def course_predictions() -> list[tuple[Block, str]]:
    out = []
    for path in course_files():
        text = path.read_text(encoding="utf-8")
        for block in iter_blocks(find_blocks(text)[0]):
            value = parse_predict(block.body)[0] if block.name == W.PREDICT.name else None
            if value is not None and value.language == "python":
                out.append((Block(path.relative_to(REPO).as_posix(), block.line, value.code), value.output))
    return out


PREDICTIONS = course_predictions()


def test_the_course_has_a_prediction():
    assert PREDICTIONS, "no bundled lesson uses /// predict"


@pytest.mark.parametrize("block,output", PREDICTIONS, ids=[b.where for b, _ in PREDICTIONS])
def test_the_course_prints_what_it_predicts(block, output):
    """What the build cannot know: the program prints what the block says (run as
    tests/content/test_course_code.py runs the course's fences: numpy only, no network)."""
    result = run(block)
    assert result.returncode == 0, f"{block.where}: {result.stderr[-2000:]}"
    assert _normalised(result.stdout) == _normalised(output), block.where


# -- assets -------------------------------------------------------------------------------------


def test_only_a_page_that_shows_it_links_its_files_after_widgets_js():
    """predict.js and predict.css are linked where a predict block renders, after the shared
    files (widgets.js defines window.tracksite), and nowhere else."""
    page = "<html><head><link href='x.css'></head><body>{}<script src='w.js' defer></script></body></html>"
    shown = widgetassets.link(page.format('<div class="ts-predict" data-x>'), "track/lesson/")
    soup = BeautifulSoup(shown, "html.parser")
    scripts = [s["src"] for s in soup.find_all("script")]
    assert scripts == ["w.js", "../../assets/tracksite/predict.js"]
    assert soup.find("link", href="../../assets/tracksite/predict.css").parent.name == "head"
    for other in ('<div class="ts-predictor">', "<p>class=&quot;ts-predict&quot;</p>", ""):
        assert widgetassets.link(page.format(other), "") == page.format(other)
    assert "assets/tracksite/predict.js" not in theme.SCRIPTS


def test_the_script_is_small_and_csp_safe():
    js = W.asset_file("tracksite/predict.js").read_text(encoding="utf-8")
    css = W.asset_file("tracksite/predict.css").read_text(encoding="utf-8")
    for forbidden in (
        r"\beval\(",
        r"new Function",
        r"\.innerHTML",
        r"\.outerHTML",
        r"insertAdjacentHTML",
        r"document\.write",
        r"setAttribute\(\s*\"on",
        r"setTimeout\(\s*\"",
        r"https?://",
    ):
        assert not re.search(forbidden, js), forbidden
    assert not re.search(r"url\(|@import|https?://", css)
    assert 'widget("predict", predict)' in js  # started by widgets.js, like attention.js
    size = len(gzip.compress(js.encode(), 9)) + len(gzip.compress(css.encode(), 9))
    assert size <= 2 * 1024, f"predict.js and predict.css are {size} bytes gzipped"
