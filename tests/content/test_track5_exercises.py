"""Track 5's checked exercises judge as a teacher would (issue 71).

Every `/// runnable` exercise of the transformers track is run through the page's own runner
(theme/assets/tracksite/runner.py, loaded here in-process, the file Pyodide runs in the page): the
author's solution must pass and the starting code must fail, and then each exercise meets
solutions a learner might write. Wrong-but-plausible ones (a softmax that subtracts the minimum,
a bigram denominator that counts the corpus's last token, a routing softmax over every expert)
must fail, with a message that names the mistake in the learner's terms; right-but-different ones
(a log-sum-exp softmax, `u <= total` in a sampler, memory counted in GiB) must pass.

A variant is the author's solution with one or more functions written again after it: Python
binds the later definition, so the tests meet the variant while the solution's own prints ran
with the original. The variants live in the track5_variants_* modules beside this file, one per
part of the track; an exercise without them fails `test_every_exercise_has_variants`.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from support import (
    track5_variants_inside,
    track5_variants_scaling,
    track5_variants_training,
    track5_variants_transformer,
    track5_variants_using,
)
from support.track5_exercises import EXERCISES, TRACK, Exercise, run
from tracksite.core.markdown.blocks import find_blocks, iter_blocks


def variant(exercise: Exercise, redefine: str) -> str:
    """The solution with `redefine` (whole functions) written after it."""
    return exercise.solution + "\n\n" + textwrap.dedent(redefine)


# -- the variants, per exercise, kept beside this file by lesson ---------------------------------

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}
for _module in (
    track5_variants_inside,
    track5_variants_training,
    track5_variants_transformer,
    track5_variants_scaling,
    track5_variants_using,
):
    WRONG.update(_module.WRONG)
    RIGHT.update(_module.RIGHT)


# -- the tests ---------------------------------------------------------------------------------


def test_track_5_has_enough_checked_exercises():
    assert len(EXERCISES) >= 16, sorted(EXERCISES)


def test_every_exercise_has_variants():
    """An exercise is tried before it lands: two wrong solutions or more and a right one."""
    missing = [t for t in EXERCISES if len(WRONG.get(t, [])) < 2 or len(RIGHT.get(t, [])) < 1]
    assert missing == []
    assert set(WRONG) <= set(EXERCISES) and set(RIGHT) <= set(EXERCISES), "a variant names an exercise that is gone"


@pytest.mark.parametrize("title", sorted(EXERCISES))
def test_solution_passes_and_starting_code_fails(title):
    exercise = EXERCISES[title]
    assert run(exercise.solution, exercise.tests) == {"status": "passed"}
    assert run(exercise.code, exercise.tests)["status"] != "passed"


WRONG_CASES = [(t, label, code, words) for t, items in WRONG.items() for label, code, words in items]
RIGHT_CASES = [(t, label, code) for t, items in RIGHT.items() for label, code in items]


@pytest.mark.parametrize("title,label,code,words", WRONG_CASES, ids=[f"{c[0]}: {c[1]}" for c in WRONG_CASES])
def test_a_wrong_solution_fails_with_a_message_that_names_the_mistake(title, label, code, words):
    verdict = run(variant(EXERCISES[title], code), EXERCISES[title].tests)
    assert verdict["status"] == "failed", verdict
    assert words in verdict.get("detail", ""), verdict


@pytest.mark.parametrize("title,label,code", RIGHT_CASES, ids=[f"{c[0]}: {c[1]}" for c in RIGHT_CASES])
def test_a_right_solution_written_differently_passes(title, label, code):
    assert run(variant(EXERCISES[title], code), EXERCISES[title].tests) == {"status": "passed"}


def test_a_variant_replaces_what_it_names():
    """The variants' trick (a later definition wins) holds in the runner: without it every wrong
    variant would be judged as the solution."""
    exercise = EXERCISES["A bigram model and its perplexity"]
    code = variant(exercise, "def prob(prev, nxt):\n    return 0.5\n")
    assert re.search(r"def prob\(prev, nxt\):\n    return 0\.5", code)
    assert run(code, exercise.tests)["status"] == "failed"


# -- choose-all items and punctuation: no count or full stop gives an answer away ---------------


def track5_questions() -> list[tuple[str, object]]:
    from tracksite.core.widgets.quiz.body import parse_quiz

    found = []
    for path in sorted(TRACK.glob("*/lesson.md")):
        blocks, _ = find_blocks(path.read_text(encoding="utf-8"), 1)
        for block in iter_blocks(blocks):
            if block.name == "quiz":
                found += [(path.parent.name, q) for q in parse_quiz("\n".join(block.body_lines) + "\n")[0]]
    return found


def test_choose_all_counts_do_not_follow_the_option_count():
    """How many options are right varies from 1 to 4, and not as a function of how many there are."""
    multi = [(slug, q) for slug, q in track5_questions() if q.multiple]
    shapes = {(len(q.options), sum(o.correct for o in q.options)) for _, q in multi}
    rights = {right for _, right in shapes}
    assert {1, 2, 3, 4} <= rights, sorted(shapes)
    by_options: dict[int, set[int]] = {}
    for options, right in shapes:
        by_options.setdefault(options, set()).add(right)
    assert any(len(r) > 1 for r in by_options.values()), f"each option count has a single right count: {by_options}"
    assert all(not q.question.lower().startswith("which two") for _, q in track5_questions())


def test_the_right_option_is_not_the_only_one_with_a_full_stop():
    def ends(text: str) -> bool:
        return text.rstrip().endswith(".")

    cues = []
    for slug, q in track5_questions():
        right = {ends(o.text) for o in q.options if o.correct}
        wrong = {ends(o.text) for o in q.options if not o.correct}
        if len(right) == 1 and len(wrong) == 1 and right != wrong:
            cues.append((slug, q.question))
    assert cues == []


def test_overviews_say_what_the_learner_writes():
    """An overview beside runnable exercises says the learner writes code, never that none is needed."""
    for path in sorted(TRACK.glob("*/overview.md")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert not re.search(r"no (coding|programming) is (required|needed)", text, re.I), path.parent.name
        if "/// runnable" in (path.parent / "lesson.md").read_text(encoding="utf-8"):
            assert re.search(r"\bwrite\b|\bfinish\b", text) and "in the page" in text.lower(), path.parent.name
