"""Issue 87: the island each exported widget writes is typed and versioned once
(core/widgets/islands.py): the blocks make those values, the exports read them back with the same
types, and an island of a newer version is refused with what to do, not read wrongly."""

from __future__ import annotations

import json

import markdown
import pytest
from bs4 import BeautifulSoup

from support.course import REPO
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.commands.export import coursedata
from tracksite.core.widgets import islands
from tracksite.errors import UserError

BODY = (
    "/// quiz\n- question: Two?\n  options:\n    - text: '2'\n      correct: true\n      explain: Yes.\n"
    "    - text: '3'\n      explain: No.\n///\n\n/// flashcards\n- term: Loss\n  answer: A number.\n///\n\n"
    "/// runnable | Add\ncode: print(0)\noutput: '1'\nsolution: print(1)\n///\n"
)


def page() -> str:
    context = WidgetContext("t/l", REPO, islands=True)
    return markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: context)]).convert(BODY)


def test_every_island_carries_its_version_and_reads_back_as_its_type():
    found = coursedata.islands(page())
    assert [len(found[kind]) for kind in ("quizzes", "decks", "exercises")] == [1, 1, 1]
    for kind, data in ((kind, d) for kind, ds in found.items() for d in ds):
        assert data["v"] == islands.VERSION
        island = islands.read(kind, data)
        assert isinstance(island, islands.KINDS[kind]) and islands.written(island) == data
    quiz = islands.read("quizzes", found["quizzes"][0])
    assert isinstance(quiz, islands.QuizIsland) and quiz.questions[0].correct == [quiz.questions[0].order.index(0)]
    assert coursedata.exercises(found["exercises"])[0].questions[0].text == "Add"


def test_an_island_without_a_version_is_the_first():
    data = {"key": "k", "terms": ["a"]}  # as a site built before the version was written holds it
    assert islands.read("decks", data) == islands.DeckIsland("k", ["a"])


def test_an_island_of_a_newer_version_is_refused_with_what_to_do():
    text = page()
    newer = f'"v":{islands.VERSION + 1}'
    raw = BeautifulSoup(text, "lxml").select_one("[data-ts-island=flashcards]").string
    assert json.loads(raw)["v"] == islands.VERSION
    with pytest.raises(UserError, match="build the site again"):
        coursedata.exercises(coursedata.islands(text.replace(f'"v":{islands.VERSION}', newer))["exercises"])
