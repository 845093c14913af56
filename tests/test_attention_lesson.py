"""The attention lesson states what the committed attention data shows.

lessons/transformers-and-llms/attention-mechanism/lesson.md, section
`## What a real model does with "it"`, quotes numbers from it-tired.json and it-wide.json (real
attention weights of all-MiniLM-L6-v2, written by `tracksite attention`). This test finds the
sentences below in that section, reads the layer/head and the weights stated there, and checks
them against the data, recomputing every "best head" from the data. If the data is regenerated
or the text edited, the two must still agree.

Layers and heads are numbered from 1 in the text (index 0 in the JSON). Weights are stated with
2 decimals. Quotes, emphasis, case and line breaks in the text do not matter. The sentences
(numbers as placeholders; EXPECTED_SENTENCES below renders them from the data):

1. In the "tired" sentence, layer L, head H is the head where "it" gives "animal" the most
   weight: 0.xx of its attention.
2. In the "wide" sentence, the same head gives "animal" 0.xx and "street" 0.xx.
3. In that head, "it" still attends most to "animal" in the "wide" sentence, ... (the word
   after "attends most to" is checked: the top token of "it" in that head in the wide sentence,
   leaving aside [CLS], [SEP] and "it" itself; "still" may be "now")
4. Averaged over the 12 heads of the last layer, "it" gives "animal" 0.xx and "street" 0.xx in
   the "tired" sentence, and "animal" 0.xx and "street" 0.xx in the "wide" sentence.
5. In the "wide" sentence, the head that gives "street" the most weight is layer L, head H,
   with 0.xx.
6. Layer L, head H is the clearest switch: it gives "animal" 0.xx and "street" 0.xx in the
   "tired" sentence, but "animal" 0.xx and "street" 0.xx in the "wide" sentence.
   (clearest switch: among heads where "it" gives "animal" more than "street" in the tired
   sentence and "street" more than "animal" in the wide one, the largest sum of both margins)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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
HEAD = r"layer (\d+), head (\d+)"
PATTERNS = {
    "tired_best": (
        rf"in the tired sentence, {HEAD} is the head where it gives animal the most weight: "
        rf"{NUM} of its attention"
    ),
    "wide_same_head": rf"in the wide sentence, the same head gives animal {NUM} and street {NUM}",
    "wide_top_word": r"in that head, it (?:still|now) attends most to (\S+?),? in the wide sentence",
    "last_layer_average": (
        rf"averaged over the (\d+) heads of the last layer, it gives animal {NUM} and street "
        rf"{NUM} in the tired sentence, and animal {NUM} and street {NUM} in the wide sentence"
    ),
    "wide_street_best": (
        rf"in the wide sentence, the head that gives street the most weight is {HEAD}, with {NUM}"
    ),
    "clearest_switch": (
        rf"{HEAD} is the clearest switch: it gives animal {NUM} and street {NUM} in the tired "
        rf"sentence, but animal {NUM} and street {NUM} in the wide sentence"
    ),
}


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
            end = next((i for i in range(start + 1, len(lines))
                        if re.match(r"#{1,2} ", lines[i])), len(lines))
            return "\n".join(lines[start + 1:end])
    return None


def close(stated: str, actual: float) -> bool:
    return abs(float(stated) - actual) <= NUMBER_SLACK


def two(x: float) -> str:
    """2 decimals, halves rounded up (0.095 -> 0.10; binary floats would give 0.09)."""
    return f"{x + 1e-9:.2f}"


def expected_sentences(tired: Sentence, wide: Sentence) -> list[str]:
    """The six sentences with the numbers the data gives (what the lesson should say)."""
    (tl, th), tw = sorted(tired.best_heads("it", "animal")[0])[0], tired.best_heads("it", "animal")[1]
    (sl, sh), sw = sorted(wide.best_heads("it", "street")[0])[0], wide.best_heads("it", "street")[1]
    top = sorted(wide.top_content_tokens(tl, th, "it"))[0]
    margins = switch_margins(tired, wide)
    out = [
        f'In the "tired" sentence, layer {tl}, head {th} is the head where "it" gives "animal" '
        f"the most weight: {two(tw)} of its attention.",
        f'In the "wide" sentence, the same head gives "animal" {two(wide.w(tl, th, "it", "animal"))} '
        f'and "street" {two(wide.w(tl, th, "it", "street"))}.',
        f'In that head, "it" {"still" if top == "animal" else "now"} attends most to "{top}" in the '
        f'"wide" sentence, leaving aside [CLS], [SEP] and "it" itself.',
        f'Averaged over the {tired.heads} heads of the last layer, "it" gives "animal" '
        f'{two(tired.average_last_layer("it", "animal"))} and "street" '
        f'{two(tired.average_last_layer("it", "street"))} in the "tired" sentence, and "animal" '
        f'{two(wide.average_last_layer("it", "animal"))} and "street" '
        f'{two(wide.average_last_layer("it", "street"))} in the "wide" sentence.',
        f'In the "wide" sentence, the head that gives "street" the most weight is layer {sl}, '
        f"head {sh}, with {two(sw)}.",
    ]
    if margins:
        best = max(margins.values())
        cl, ch = sorted(k for k, v in margins.items() if v == best)[0]
        out.append(
            f'Layer {cl}, head {ch} is the clearest switch: it gives "animal" '
            f'{two(tired.w(cl, ch, "it", "animal"))} and "street" {two(tired.w(cl, ch, "it", "street"))} '
            f'in the "tired" sentence, but "animal" {two(wide.w(cl, ch, "it", "animal"))} and '
            f'"street" {two(wide.w(cl, ch, "it", "street"))} in the "wide" sentence.'
        )
    return out


def check_section(section: str, tired: Sentence, wide: Sentence) -> list[str]:
    """Every disagreement between the section's text and the data, as readable messages."""
    text = normalise(section)
    errors: list[str] = []
    found = {}
    for name, pattern in PATTERNS.items():
        matches = re.findall(pattern, text)
        if name == "clearest_switch" and not switch_margins(tired, wide):
            if matches:
                errors.append("the text names a clearest switch, but no head switches in the data")
            continue
        if len(matches) != 1:
            errors.append(f"{name}: expected exactly one sentence matching /{pattern}/, "
                          f"found {len(matches)}")
            continue
        found[name] = matches[0]

    if "tired_best" in found:
        l, h, weight = found["tired_best"]
        l, h = int(l), int(h)
        heads, best = tired.best_heads("it", "animal")
        if (l, h) not in heads:
            errors.append(f"tired: the text names layer {l}, head {h}, but the head where 'it' "
                          f"gives 'animal' the most weight is {sorted(heads)} with {best:.3f}")
        elif not close(weight, best):
            errors.append(f"tired: layer {l}, head {h} gives 'animal' {best:.3f}, text says {weight}")
        if "wide_same_head" in found and (l, h) in heads:
            animal, street = found["wide_same_head"]
            for word, stated in (("animal", animal), ("street", street)):
                actual = wide.w(l, h, "it", word)
                if not close(stated, actual):
                    errors.append(f"wide: layer {l}, head {h} gives {word!r} {actual:.3f}, "
                                  f"text says {stated}")
        if "wide_top_word" in found and (l, h) in heads:
            word = found["wide_top_word"].strip(".,;:")
            tops = wide.top_content_tokens(l, h, "it")
            if word not in tops:
                errors.append(f"wide: in layer {l}, head {h} 'it' attends most to {sorted(tops)} "
                              f"(leaving aside special tokens and itself), text says {word!r}")

    if "last_layer_average" in found:
        count, ta, ts, wa, ws = found["last_layer_average"]
        if int(count) != tired.heads:
            errors.append(f"the last layer has {tired.heads} heads, text says {count}")
        for label, data, word, stated in (("tired", tired, "animal", ta), ("tired", tired, "street", ts),
                                          ("wide", wide, "animal", wa), ("wide", wide, "street", ws)):
            actual = data.average_last_layer("it", word)
            if not close(stated, actual):
                errors.append(f"{label}: the last-layer average gives {word!r} {actual:.4f}, "
                              f"text says {stated}")

    if "wide_street_best" in found:
        l, h, weight = found["wide_street_best"]
        l, h = int(l), int(h)
        heads, best = wide.best_heads("it", "street")
        if (l, h) not in heads:
            errors.append(f"wide: the text names layer {l}, head {h} for 'street', but the best "
                          f"head is {sorted(heads)} with {best:.3f}")
        elif not close(weight, best):
            errors.append(f"wide: layer {l}, head {h} gives 'street' {best:.3f}, text says {weight}")

    if "clearest_switch" in found:
        l, h, ta, ts, wa, ws = found["clearest_switch"]
        l, h = int(l), int(h)
        margins = switch_margins(tired, wide)
        best = max(margins.values())
        winners = sorted(k for k, v in margins.items() if v == best)
        if (l, h) not in winners:
            errors.append(f"the clearest switch is {winners} (margins {best:.3f}), text says "
                          f"layer {l}, head {h}")
        else:
            for label, data, word, stated in (("tired", tired, "animal", ta),
                                              ("tired", tired, "street", ts),
                                              ("wide", wide, "animal", wa),
                                              ("wide", wide, "street", ws)):
                actual = data.w(l, h, "it", word)
                if not close(stated, actual):
                    errors.append(f"{label}: layer {l}, head {h} gives {word!r} {actual:.3f}, "
                                  f"text says {stated}")
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
    hint = "\n".join(["", "The section should contain these sentences:", *expected_sentences(tired, wide)])
    assert not errors, "\n".join(errors) + hint


def test_expected_sentences_pass_even_wrapped_and_curly(data):
    tired, wide = data
    text = "\n".join(expected_sentences(tired, wide))
    assert check_section(text, tired, wide) == []
    curly = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text).replace(", head", ",\nhead")
    assert check_section("**" + curly.replace("layer", "Layer") + "**", tired, wide) == []


def _edits(text: str) -> list[str]:
    """Copies of a correct text with one number changed each (first occurrence)."""
    out = []
    for match in re.finditer(r"\d\.\d\d|head \d+|layer \d+", text, flags=re.IGNORECASE):
        old = match.group()
        if "." in old:
            new = f"{(float(old) + 0.02) % 1:.2f}"
        else:
            word, n = old.split()
            new = f"{word} {int(n) % 12 + 1}"
        out.append(text[:match.start()] + new + text[match.end():])
    return out


def test_every_changed_number_is_caught(data):
    tired, wide = data
    text = "\n".join(expected_sentences(tired, wide))
    edits = _edits(text)
    assert len(edits) >= 15
    for edited in edits:
        assert check_section(edited, tired, wide), f"not caught:\n{edited}"


def test_a_wrong_top_word_or_missing_sentence_is_caught(data):
    tired, wide = data
    sentences = expected_sentences(tired, wide)
    text = "\n".join(sentences)
    top = sorted(wide.top_content_tokens(*sorted(tired.best_heads("it", "animal")[0])[0], "it"))[0]
    other = "street" if top != "street" else "animal"
    assert check_section(text.replace(f'attends most to "{top}"', f'attends most to "{other}"'),
                         tired, wide)
    for i in range(len(sentences)):
        assert check_section("\n".join(sentences[:i] + sentences[i + 1:]), tired, wide)
