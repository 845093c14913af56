"""One meaning per term: the glossary's definition and every place a lesson defines the term agree.

`tracksite check` already refuses a term that two glossaries define in different words. What it
cannot see is a lesson that defines a term its own way: a flashcard, a cheatsheet's "Words to use
precisely" line, or a sentence that introduces the term in bold ("A **Q-function** is ..."). This
test gathers those definitions from the bundled course and holds each one, and the glossary's, to
the facts that define the term: what a specialist would insist every definition says, and what
none may say. A cheatsheet's one-line reminder ("**Stride**: step size of the slide.") need not
state every fact, but may not contradict one. The last test shows the check failing on the
definitions the glossary used to have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import yaml

from support.course import REPO
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.flashcards.body import parse_flashcards


@dataclass(frozen=True)
class Meaning:
    """The defining facts of one term: every pattern in `must` is found in each definition,
    no pattern in `must_not` is; `glossary_must` applies to the glossary's own definition only."""

    names: tuple[str, ...]  # the term and the forms lessons define it under
    must: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    glossary_must: tuple[str, ...] = ()


MEANINGS = {
    "Context window": Meaning(
        names=("context window",),
        must=(r"\btokens?\b", r"at once|at one time|together"),
        must_not=(r"\bremembers?\b", r"\bwords\b"),
        glossary_must=(r"prompt", r"repl(y|ies)|writ(es|ing|ten)", r"not seen|does not exist|invisible"),
    ),
    "Q-value": Meaning(
        names=("q-value", "q-function"),
        must=(r"expected (discounted )?return", r"\baction\b", r"\bstate\b", r"polic(y|ies)"),
        must_not=(r"total reward", r"acting well afterwards"),
    ),
    "Stride": Meaning(
        names=("stride",),
        must=(r"mov|step",),
        must_not=(r"(?<!roughly )\bhalves\b",),
        glossary_must=(r"roughly halves", r"width and height"),
    ),
    "KV cache": Meaning(
        names=("kv cache",),
        must=(r"keys? and values?", r"earlier|previous"),
        glossary_must=(r"KV head",),
    ),
    "Temperature": Meaning(names=("temperature",), must=(r"divides?", r"logits?", r"below 1", r"above 1")),
    "Perplexity": Meaning(names=("perplexity",), must=(r"\be\b|exponential", r"average")),
    "Grouped-query attention": Meaning(
        names=("grouped-query attention",), must=(r"query heads", r"share", r"key head|key and (one )?value head")
    ),
}

GLOSSARIES = sorted(REPO.glob("lessons/*/glossary.yml"))
PAGES = sorted([*REPO.glob("lessons/*/*/lesson.md"), *REPO.glob("cheatsheets/*/*.md")])
BULLET = re.compile(r"^\s*- \*\*(?P<name>[^*]+)\*\*:\s*(?P<text>.+)$")


def glossary_definitions(name: str) -> list[tuple[str, str]]:
    found = []
    for path in GLOSSARIES:
        for term in yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]:
            if term["term"].lower() == name.lower():
                found.append((path.relative_to(REPO).as_posix(), term["definition"]))
    return found


def lesson_definitions(text: str, where: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Flashcards named after the term, "**Term**: ..." reminder lines (their place ends in
    "(reminder)"), and prose lines that bold the term or say "The term is the/a/how ..."."""
    found = []
    blocks, _ = find_blocks(text, 1)
    for block in iter_blocks(blocks):
        if block.name == "flashcards":
            found += [
                (f"{where} (flashcard)", c.answer) for c in parse_flashcards(block.body)[0] if c.term.lower() in names
            ]
    for number, line in enumerate(text.splitlines(), 1):
        bullet = BULLET.match(line)
        if bullet and bullet["name"].lower() in names:
            found.append((f"{where}:{number} (reminder)", bullet["text"]))
        elif not bullet and not line.lstrip().startswith(("|", "-  ", "answer:", "term:")):
            for name in names:
                if re.search(rf"\*\*{re.escape(name)}\*\*|\bThe {re.escape(name)} is (the|a|an|how)\b", line, re.I):
                    found.append((f"{where}:{number}", line))
    return found


def all_definitions(term: str) -> list[tuple[str, str]]:
    names = MEANINGS[term].names
    found = []
    for page in PAGES:
        found += lesson_definitions(page.read_text(encoding="utf-8"), page.relative_to(REPO).as_posix(), names)
    return found


def disagreements(meaning: Meaning, definition: str, glossary: bool = False) -> list[str]:
    wanted = meaning.must + (meaning.glossary_must if glossary else ())
    missing = [f"lacks /{p}/" for p in wanted if not re.search(p, definition, re.I)]
    return missing + [f"says /{p}/" for p in meaning.must_not if re.search(p, definition, re.I)]


@pytest.mark.parametrize("term", MEANINGS)
def test_glossary_definition_states_the_defining_facts(term):
    defined = glossary_definitions(term)
    assert defined, f"{term} is in no glossary"
    assert len({text for _, text in defined}) == 1, f"{term} is defined differently in two glossaries: {defined}"
    for where, text in defined:
        assert disagreements(MEANINGS[term], text, glossary=True) == [], f"{where}: {text}"


@pytest.mark.parametrize("term", MEANINGS)
def test_every_lesson_definition_agrees_with_the_glossary(term):
    found = all_definitions(term)
    assert found, f"no lesson, flashcard or cheatsheet defines {term}: the test would check nothing"
    wrong = {}
    for where, text in found:
        problems = disagreements(MEANINGS[term], text)
        if where.endswith("(reminder)"):
            problems = [p for p in problems if p.startswith("says")]
        wrong[f"{where}: {text}"] = problems
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_three_disputed_terms_are_defined_in_several_places():
    """Context window, Q-value and stride were the disagreements of issue 29: the comparison has
    material on both sides for each (the glossary and at least one lesson page)."""
    for term in ("Context window", "Q-value", "Stride"):
        assert glossary_definitions(term) and len(all_definitions(term)) >= 2, term


def test_the_check_catches_the_old_definitions_and_a_contradicting_lesson():
    old = {
        "Context window": "The most tokens a model can take in at once; anything beyond it is simply not seen.",
        "Q-value": "The total reward an agent expects from taking one action in one state and acting well afterwards.",
        "Stride": "How many positions the kernel moves between two outputs; a stride of 2 halves the size of the feature map.",
    }
    for term, text in old.items():
        assert disagreements(MEANINGS[term], text, glossary=True), term
    page = "/// flashcards\n- term: Stride\n  answer: The step of the filter; a stride of 2 halves the image.\n///\n"
    found = lesson_definitions(page, "lesson.md", MEANINGS["Stride"].names)
    assert found == [("lesson.md (flashcard)", "The step of the filter; a stride of 2 halves the image.")]
    assert disagreements(MEANINGS["Stride"], found[0][1]) == [r"says /(?<!roughly )\bhalves\b/"]
    prose = "A **Q-function** $Q(s, a)$ is the total reward for an action in a state."
    assert disagreements(MEANINGS["Q-value"], lesson_definitions(prose, "l.md", ("q-function",))[0][1])
