"""The attention lesson states what the committed attention data shows.

lessons/transformers-and-llms/attention-mechanism/lesson.md, section
`## What a real model does with "it"`, shows a table of heads with the share of "it" that goes to
"animal" and to "street" in the "tired" and the "wide" sentence (real attention weights of
all-MiniLM-L6-v2 in it-tired.json and it-wide.json, written by `tracksite attention`), and its
prose reads the table. This test reads the table and checks it against the data:

- every row's four numbers, stated with 2 decimals as the heatmap shows them;
- the rows the prose relies on are there: the two heads where "it" gives "animal" the most
  weight in the "tired" sentence (in that order, first), the clearest switch from "animal" to
  "street", the head that gives "street" the most in the "wide" sentence, and the mean of the
  last layer;
- no number in the section lies outside the table, so the prose quotes no unchecked figure;
- the claims the prose makes in words hold in the data (see `test_the_prose_claims_hold`).

Rows read `| layer L, head H | a | b | c | d |` or `| layer L, mean of N heads | a | b | c | d |`,
layers and heads numbered from 1 (index 0 in the JSON). If the data is regenerated or the text
edited, the two must still agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LESSON_DIR = REPO / "lessons" / "transformers-and-llms" / "attention-mechanism"
LESSON = LESSON_DIR / "lesson.md"
HEADING = '## What a real model does with "it"'
TIRED_SENTENCE = "The animal didn't cross the street because it was too tired"
WIDE_SENTENCE = "The animal didn't cross the street because it was too wide"
SPECIAL = {"[CLS]", "[SEP]", "[PAD]"}
# A stated 2-decimal number matches a weight (itself rounded to 3 decimals in the data) if it
# is that weight rounded either way: half a unit of the last stated decimal, plus slack.
NUMBER_SLACK = 0.005 + 1e-6
NUM = r"(\d\.\d\d)"
ROW = re.compile(
    rf"^\|\s*layer (\d+), (?:head (\d+)|mean of (\d+) heads)\s*\|\s*{NUM}\s*\|\s*{NUM}\s*\|"
    rf"\s*{NUM}\s*\|\s*{NUM}\s*\|\s*$"
)
COLUMNS = (("tired", "animal"), ("tired", "street"), ("wide", "animal"), ("wide", "street"))


# --- the data ------------------------------------------------------------------------------


@dataclass
class Sentence:
    tokens: list[str]
    weights: list  # [layer][head][query][key]

    @property
    def layers(self) -> int:
        return len(self.weights)

    @property
    def heads(self) -> int:
        return len(self.weights[0])

    def index(self, token: str) -> int:
        return self.tokens.index(token)

    def w(self, layer: int, head: int, query: str, key: str) -> float:
        """Weight with layer and head numbered from 1."""
        return self.weights[layer - 1][head - 1][self.index(query)][self.index(key)]

    def all_heads(self):
        return [(l, h) for l in range(1, self.layers + 1) for h in range(1, self.heads + 1)]

    def best_heads(self, query: str, key: str) -> tuple[set[tuple[int, int]], float]:
        """Every (layer, head) where query gives key the most weight (ties kept), and the weight."""
        best = max(self.w(l, h, query, key) for l, h in self.all_heads())
        return {(l, h) for l, h in self.all_heads() if self.w(l, h, query, key) == best}, best

    def average_last_layer(self, query: str, key: str) -> float:
        return sum(self.w(self.layers, h, query, key) for h in range(1, self.heads + 1)) / self.heads

    def top_content_tokens(self, layer: int, head: int, query: str) -> set[str]:
        """The token(s) query attends to most, leaving aside special tokens and itself."""
        q = self.index(query)
        row = self.weights[layer - 1][head - 1][q]
        keys = [k for k, t in enumerate(self.tokens) if t not in SPECIAL and k != q]
        best = max(row[k] for k in keys)
        return {self.tokens[k] for k in keys if row[k] == best}


def load(name: str, sentence: str) -> Sentence:
    data = json.loads((LESSON_DIR / name).read_text("utf-8"))
    assert data["sentence"] == sentence, f"{name} is not about {sentence!r}"
    return Sentence(tokens=data["tokens"], weights=data["weights"])


def switch_margins(tired: Sentence, wide: Sentence) -> dict[tuple[int, int], float]:
    """Heads where "it" goes from animal (tired) to street (wide), with the summed margins."""
    margins = {}
    for l, h in tired.all_heads():
        before = tired.w(l, h, "it", "animal") - tired.w(l, h, "it", "street")
        after = wide.w(l, h, "it", "street") - wide.w(l, h, "it", "animal")
        if before > 0 and after > 0:
            margins[(l, h)] = before + after
    return margins


# --- the text ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, no quotes or Markdown emphasis/code marks, whitespace collapsed."""
    text = re.sub(r"[\"'`*_\u2018\u2019\u201c\u201d]", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def find_section(markdown: str) -> str | None:
    lines = markdown.splitlines()
    wanted = normalise(HEADING)
    for start, line in enumerate(lines):
        if line.startswith("## ") and normalise(line) == wanted:
            end = next((i for i in range(start + 1, len(lines)) if re.match(r"#{1,2} ", lines[i])), len(lines))
            return "\n".join(lines[start + 1 : end])
    return None


def close(stated: str, actual: float) -> bool:
    return abs(float(stated) - actual) <= NUMBER_SLACK


def two(x: float) -> str:
    """2 decimals, halves rounded up (0.095 -> 0.10; binary floats would give 0.09)."""
    return f"{x + 1e-9:.2f}"


@dataclass(frozen=True)
class Row:
    layer: int
    head: int | None  # None: the mean of the layer's heads
    count: int | None
    numbers: tuple[str, str, str, str]

    @property
    def label(self) -> str:
        return f"layer {self.layer}, " + (f"head {self.head}" if self.head else f"mean of {self.count} heads")


def table_rows(section: str) -> tuple[list[Row], str]:
    """The rows of the heads table, and the section's text without them."""
    rows, rest = [], []
    for line in section.splitlines():
        m = ROW.match(normalise(line))
        if m:
            l, h, c, *nums = m.groups()
            rows.append(Row(int(l), int(h) if h else None, int(c) if c else None, tuple(nums)))
        else:
            rest.append(line)
    return rows, "\n".join(rest)


def actual(row: Row, data: dict[str, Sentence], sentence: str, word: str) -> float:
    d = data[sentence]
    if row.head is None:
        return d.average_last_layer("it", word)
    return d.w(row.layer, row.head, "it", word)


def wanted_heads(tired: Sentence, wide: Sentence) -> dict[str, tuple[int, int]]:
    """The heads the prose relies on, recomputed from the data."""
    ranked = sorted(tired.all_heads(), key=lambda lh: -tired.w(*lh, "it", "animal"))
    margins = switch_margins(tired, wide)
    best = max(margins.values())
    return {
        "strongest animal head": ranked[0],
        "second animal head": ranked[1],
        "clearest switch": sorted(k for k, v in margins.items() if v == best)[0],
        "strongest street head in the wide sentence": sorted(wide.best_heads("it", "street")[0])[0],
    }


def expected_table(tired: Sentence, wide: Sentence) -> str:
    """The table the data gives, in the lesson's order (what the lesson should show)."""
    data = {"tired": tired, "wide": wide}
    heads = list(dict.fromkeys(wanted_heads(tired, wide).values()))
    rows = [Row(l, h, None, ("", "", "", "")) for l, h in heads] + [
        Row(tired.layers, None, tired.heads, ("", "", "", ""))
    ]
    lines = []
    for r in rows:
        nums = " | ".join(two(actual(r, data, s, w)) for s, w in COLUMNS)
        lines.append(f"| {r.label} | {nums} |")
    return "\n".join(lines)


def check_section(section: str, tired: Sentence, wide: Sentence) -> list[str]:
    """Every disagreement between the section's table and the data, as readable messages."""
    data = {"tired": tired, "wide": wide}
    rows, prose = table_rows(section)
    errors: list[str] = []
    if not rows:
        return ["no heads table found: rows like `| layer 6, head 12 | 0.65 | 0.02 | 0.50 | 0.04 |`"]
    for row in rows:
        if row.head is None and (row.layer != tired.layers or row.count != tired.heads):
            errors.append(
                f"{row.label}: the mean is over the {tired.heads} heads of the last layer, layer {tired.layers}"
            )
            continue
        if row.head is not None and (row.layer, row.head) not in tired.all_heads():
            errors.append(f"{row.label}: no such head")
            continue
        for (sentence, word), stated in zip(COLUMNS, row.numbers):
            value = actual(row, data, sentence, word)
            if not close(stated, value):
                errors.append(
                    f"{row.label}: in the {sentence!r} sentence 'it' gives {word!r} {value:.3f}, the table says {stated}"
                )
    listed = [(r.layer, r.head) for r in rows if r.head is not None]
    for name, head in wanted_heads(tired, wide).items():
        if head not in listed:
            errors.append(f"the table lacks the {name}, layer {head[0]}, head {head[1]}")
    want = [wanted_heads(tired, wide)[k] for k in ("strongest animal head", "second animal head")]
    if listed[:2] != want:
        errors.append(f"the first two rows must be the two strongest 'animal' heads of the 'tired' sentence, {want}")
    if not any(r.head is None for r in rows):
        errors.append("the table lacks the mean of the last layer's heads")
    stray = re.findall(r"\b\d\.\d+\b", prose)
    if stray:
        errors.append(f"numbers outside the table are not checked against the data: {stray}")
    return errors


# --- tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data() -> tuple[Sentence, Sentence]:
    return load("it-tired.json", TIRED_SENTENCE), load("it-wide.json", WIDE_SENTENCE)


def test_lesson_states_what_the_data_shows(data):
    tired, wide = data
    section = find_section(LESSON.read_text("utf-8"))
    assert section is not None, f"{LESSON} has no section {HEADING!r}"
    errors = check_section(section, tired, wide)
    hint = "\n".join(["", "The table should read:", expected_table(tired, wide)])
    assert not errors, "\n".join(errors) + hint


def test_the_prose_claims_hold(data):
    """Each claim the section's prose makes in words, checked in the data."""
    tired, wide = data
    heads = wanted_heads(tired, wide)
    s1, s2 = heads["strongest animal head"], heads["second animal head"]
    # "two heads send nearly two thirds of the attention of "it" to "animal""
    assert tired.w(*s1, "it", "animal") > 0.6 and tired.w(*s2, "it", "animal") > 0.6
    # the strongest head "hardly notices: animal keeps half the weight, street stays near zero"
    assert wide.w(*s1, "it", "animal") >= 0.45 and wide.w(*s1, "it", "street") < 0.05
    # the second "does respond: animal loses more than half its share (most of it goes to [CLS])
    # and street more than doubles, though animal still leads"
    lost = tired.w(*s2, "it", "animal") - wide.w(*s2, "it", "animal")
    assert lost > tired.w(*s2, "it", "animal") / 2
    gained_cls = wide.w(*s2, "it", "[CLS]") - tired.w(*s2, "it", "[CLS]")
    assert gained_cls > lost / 2
    assert wide.w(*s2, "it", "street") > 2 * tired.w(*s2, "it", "street")
    assert wide.top_content_tokens(*s2, "it") == {"animal"}
    # the clearest switch "is a weak head to begin with"
    switch = heads["clearest switch"]
    assert max(tired.w(*switch, "it", w) for w in ("animal", "street")) < 0.2
    # the strongest "street" head of the wide sentence "gives it nearly as much in the tired one"
    street = heads["strongest street head in the wide sentence"]
    assert tired.w(*street, "it", "street") > 0.8 * wide.w(*street, "it", "street")
    # "averaged over the last layer, the two sentences look almost alike"
    for word in ("animal", "street"):
        assert abs(tired.average_last_layer("it", word) - wide.average_last_layer("it", word)) < 0.02


def test_expected_table_passes_even_with_curly_quotes(data):
    tired, wide = data
    table = expected_table(tired, wide)
    assert check_section(table, tired, wide) == []
    assert check_section("Some prose about \u201cit\u201d.\n" + table.replace("layer", "Layer"), tired, wide) == []


def _edits(text: str) -> list[str]:
    """Copies of a correct table with one number changed each."""
    out = []
    for match in re.finditer(r"\d\.\d\d|head \d+|layer \d+", text):
        old = match.group()
        if "." in old:
            new = f"{(float(old) + 0.02) % 1:.2f}"
        else:
            word, n = old.split()
            new = f"{word} {int(n) % 6 + 1}" if word == "layer" else f"{word} {int(n) % 12 + 1}"
        out.append(text[: match.start()] + new + text[match.end() :])
    return out


def test_every_changed_number_is_caught(data):
    tired, wide = data
    edits = _edits(expected_table(tired, wide))
    assert len(edits) >= 25
    for edited in edits:
        assert check_section(edited, tired, wide), f"not caught:\n{edited}"


def test_a_missing_row_or_a_stray_number_is_caught(data):
    tired, wide = data
    lines = expected_table(tired, wide).splitlines()
    for i in range(len(lines)):
        assert check_section("\n".join(lines[:i] + lines[i + 1 :]), tired, wide)
    assert check_section("\n".join(lines) + "\nThe head gives it 0.99 of its weight.", tired, wide)
    assert check_section("\n".join(lines[1:2] + lines[:1] + lines[2:]), tired, wide)
