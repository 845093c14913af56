"""The attention heat map's data (JSON or YAML beside the lesson, its problems at the data file's
lines), its block's validation and its rendered HTML, read back with BeautifulSoup; in Chromium:
tests/browser/test_widgets_browser.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from support.widgets import render
from tracksite.adapter.blocks import WidgetContext
from tracksite.core.widgets.attention.body import attention_view, load_attention_data
from tracksite.core.widgets.validate import validate_widgets


def check(text: str, source_dir: Path = Path("."), first_line: int = 1, path: str = "l/lesson.md"):
    return validate_widgets(path, text, first_line, source_dir)


def messages(problems) -> str:
    return "\n".join(p.text() for p in problems)


# -- attention data for the tests --------------------------------------------------------------

TOKENS = ["[CLS]", "the", "animal", "was", "tired", "because", "it", "[SEP]"]


def softmax(row):
    top = max(row)
    e = [math.exp(v - top) for v in row]
    return [round(v / sum(e), 6) for v in e]


def make_data(tokens=TOKENS, layers=2, heads=3, plant=None, label=None, **extra):
    """Deterministic rows that sum to 1; `plant` = {(layer, head, q, k): logit bonus}."""
    n = len(tokens)
    weights = []
    for li in range(layers):
        layer = []
        for hi in range(heads):
            rows = []
            for q in range(n):
                logits = [((q * 7 + k * 3 + li * 5 + hi * 11) % 9) / 9 for k in range(n)]
                for (pl, ph, pq, pk), bonus in (plant or {}).items():
                    if (pl, ph, pq) == (li, hi, q):
                        logits[pk] += bonus
                rows.append(softmax(logits))
            layer.append(rows)
        weights.append(layer)
    data = {
        "sentence": "The animal was tired because it",
        "tokens": list(tokens),
        "weights": weights,
        "source": {"model": "test-model", "package": "none", "package_version": "0"},
    }
    if label:
        data["label"] = label
    data.update(extra)
    return data


@pytest.fixture
def lesson_dir(tmp_path) -> Path:
    it, animal = TOKENS.index("it"), TOKENS.index("animal")
    (tmp_path / "tired.json").write_text(json.dumps(make_data(plant={(1, 2, it, animal): 4.0}, label="tired")))
    (tmp_path / "wide.json").write_text(json.dumps(make_data(label="wide")))
    return tmp_path


# == attention data ===============================================================================


def test_attention_data_loads_and_picks_the_best_head(lesson_dir):
    data, issues = load_attention_data(lesson_dir / "tired.json")
    assert not issues
    assert (data.layers, data.heads, data.label) == (2, 3, "tired")
    assert data.source.startswith("test-model (package none 0")
    view = attention_view(data, "it", "animal")
    assert (view.layer, view.head) == (1, 2)
    assert view.caption.startswith("Layer 2, head 3: \u201cit\u201d puts ")
    assert "more than in any other head" in view.caption
    assert "and more than on any other token" in view.caption
    assert [t for t, _ in view.rows] == TOKENS
    assert abs(sum(w for _, w in view.rows) - 1) < 1e-3


def _two_heads(path: Path, head0: list[float], head1: list[float]):
    """tokens [CLS] animal tired it [SEP]; only the row of "it" (index 3) matters."""
    tokens = ["[CLS]", "animal", "tired", "it", "[SEP]"]
    uniform = [0.2] * 5
    rows = lambda it_row: [uniform, uniform, uniform, it_row, uniform]  # noqa: E731
    path.write_text(
        json.dumps(
            {
                "sentence": "animal tired it",
                "tokens": tokens,
                "weights": [[rows(head0), rows(head1)]],
                "source": "hand-made",
            }
        )
    )
    return load_attention_data(path)[0]


def test_attention_caption_is_honest_when_target_is_not_the_top(tmp_path):
    data = _two_heads(tmp_path / "a.json", [0.1, 0.5, 0.1, 0.2, 0.1], [0.1, 0.2, 0.5, 0.1, 0.1])
    view = attention_view(data, "it", "animal")
    assert (view.layer, view.head) == (0, 0)
    assert view.caption == (
        "Layer 1, head 1: \u201cit\u201d puts 0.50 of its attention on "
        "\u201canimal\u201d, more than in any other head, and more than on any "
        "other token."
    )
    data = _two_heads(tmp_path / "b.json", [0.1, 0.3, 0.1, 0.1, 0.4], [0.1, 0.2, 0.5, 0.1, 0.1])
    view = attention_view(data, "it", "animal")
    assert (
        "Only the special token [SEP] gets more (0.40); among the words, \u201canimal\u201d "
        "gets the most." in view.caption
    )
    data = _two_heads(tmp_path / "c.json", [0.1, 0.3, 0.4, 0.1, 0.1], [0.1, 0.2, 0.5, 0.1, 0.1])
    view = attention_view(data, "it", "animal")
    assert (view.layer, view.head) == (0, 0)
    assert (
        "Even here \u201cit\u201d attends more to \u201ctired\u201d (0.40): no head makes "
        "\u201canimal\u201d its main focus." in view.caption
    )
    view = attention_view(data)  # no focus, no target: the first real token, layer 1 head 1
    assert (view.layer, view.head, view.focus, view.target) == (0, 0, 1, None)


def _broken(tmp_path, mutate, name="d.json"):
    data = make_data()
    mutate(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1))
    return load_attention_data(path)


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda d: d["weights"][0][1][2].__setitem__(0, d["weights"][0][1][2][0] + 0.01), "sum to"),
        (lambda d: d["weights"][1][0][3].pop(), "expected 8 weights"),
        (lambda d: d["weights"][1][0].pop(), "expected 8 rows"),
        (lambda d: d["weights"][1].pop(), "every layer needs the same number"),
        (lambda d: d["weights"][0][0][0].__setitem__(1, -0.5), "between 0 and 1"),
        (lambda d: d["weights"][0][0][0].__setitem__(1, "x"), "must be a number"),
        (lambda d: d.__setitem__("weights", []), "at least one layer"),
        (lambda d: d.pop("source"), "missing required key 'source'"),
        (lambda d: d.__setitem__("tokens", "the animal"), "list of tokens"),
        (lambda d: d.__setitem__("words", [[0, 1], [3]]), "covering every token once"),
        (lambda d: d.__setitem__("wieghts", 1), "unknown key 'wieghts'"),
    ],
)
def test_attention_data_problems(tmp_path, mutate, words):
    data, issues = _broken(tmp_path, mutate)
    assert data is None
    assert any(words in i.message for i in issues), [i.message for i in issues]
    assert all(i.file == tmp_path / "d.json" for i in issues)


def test_attention_data_problem_lines_point_into_the_file(tmp_path):
    data, issues = _broken(tmp_path, lambda d: d["weights"][1][2][4].__setitem__(0, 0.9))
    text = (tmp_path / "d.json").read_text().split("\n")
    assert issues[0].line is not None
    assert "layer 2, head 3, query 5" in issues[0].message
    # indent=1 puts each number on its own line: the reported line is in that row
    assert text[issues[0].line - 1].strip().startswith(("[", "0", "1"))


def test_attention_data_invalid_json_and_nan(tmp_path):
    (tmp_path / "bad.json").write_text('{"sentence": "x",\n "tokens": [}')
    data, issues = load_attention_data(tmp_path / "bad.json")
    assert data is None and issues[0].line == 2 and "invalid JSON" in issues[0].message
    (tmp_path / "nan.json").write_text(json.dumps(make_data()).replace("0.", "NaN, 0.", 1))
    assert load_attention_data(tmp_path / "nan.json")[0] is None
    assert "not found" in load_attention_data(tmp_path / "missing.json")[1][0].message


def test_attention_data_in_yaml(tmp_path):

    (tmp_path / "d.yaml").write_text(yaml.safe_dump(make_data()))
    data, issues = load_attention_data(tmp_path / "d.yaml")
    assert not issues and data.tokens[2] == "animal"
    (tmp_path / "e.yaml").write_text("sentence: &s x\ntokens: *s\n")
    data, issues = load_attention_data(tmp_path / "e.yaml")
    assert data is None and "anchor" in issues[0].message.lower()


# == validating and rendering ==


def test_validate_attention_block(lesson_dir):
    ok = "/// attention\ndata: tired.json\ncompare: wide.json\nfocus: it\ntarget: animal\n///\n"
    assert check(ok, lesson_dir) == []
    problems = check(ok.replace("animal\n", "dog\n").replace("focus", "fokus"), lesson_dir, first_line=20)
    out = messages(problems)
    assert "l/lesson.md:23: [TS101] attention.fokus: unknown key 'fokus'" in out
    problems = check(ok.replace("target: animal", "target: dog"), lesson_dir, first_line=20)
    assert [(p.line, p.field) for p in problems] == [(24, "attention.target")]
    assert "not one of the tokens" in problems[0].message and "[CLS]" in problems[0].hint
    for bad in ("../x.json", "/etc/passwd.json", "x.txt", "https://e.com/x.json"):
        problems = check(f"/// attention\ndata: {bad}\n///\n", lesson_dir)
        assert problems and problems[0].line == 2, bad


def test_validate_reports_data_problems_at_the_data_file(lesson_dir):
    data = make_data()
    data["weights"][0][0][0][0] += 0.5
    (lesson_dir / "bad.json").write_text(json.dumps(data, indent=1))
    problems = check("/// attention\ndata: bad.json\n///\n", lesson_dir, path="lessons/t/l/lesson.md")
    assert problems and all(p.path == "lessons/t/l/bad.json" for p in problems)
    assert problems[0].line and problems[0].line > 1


def test_validate_compare_must_match_the_model(lesson_dir):
    (lesson_dir / "small.json").write_text(json.dumps(make_data(layers=1)))
    problems = check("/// attention\ndata: tired.json\ncompare: small.json\n///\n", lesson_dir)
    assert problems and problems[0].line == 3 and "same model" in problems[0].message


def test_attention_markup(lesson_dir):
    ctx = WidgetContext("t/l", lesson_dir, data_url=lambda name: "../l/" + name)
    soup = render("/// attention\ndata: tired.json\ncompare: wide.json\nfocus: it\ntarget: animal\n///\n", ctx)
    fig = soup.select_one('figure[data-widget="attention"]')
    config = json.loads(fig["data-config"])
    assert config == {
        "sets": [{"label": "tired", "url": "../l/tired.json"}, {"label": "wide", "url": "../l/wide.json"}],
        "layer": 1,
        "head": 2,
        "focus": "it",
        "target": "animal",
    }
    assert fig.figcaption.get_text().startswith("Layer 2, head 3:")
    rows = fig.select(".ts-attn__table tbody tr")
    assert [r.th.get_text() for r in rows] == TOKENS
    assert abs(sum(float(r.td.get_text()) for r in rows) - 1) < 0.02
    assert "is-target" in rows[TOKENS.index("animal")]["class"]
    assert fig.select_one(".ts-attn__app").has_attr("hidden")
    assert "test-model" in fig.select_one(".ts-attn__source").get_text()


def test_attention_yaml_data_is_embedded(tmp_path):

    (tmp_path / "d.yml").write_text(yaml.safe_dump(make_data()))
    soup = render("/// attention\ndata: d.yml\n///\n", WidgetContext("t/l", tmp_path))
    config = json.loads(soup.select_one('[data-widget="attention"]')["data-config"])
    assert "url" not in config["sets"][0]
    assert config["sets"][0]["data"]["tokens"] == TOKENS
