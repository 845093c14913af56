"""Track 5 trains a transformer in the page (issue 86), and a learner's own backward pass trains it.

test_track5_exercises.py writes each variant after the solution, so the solution's training ran
with the author's `attention_backward`. Here each variant takes the author's function's place in
the program before it runs, as a learner's code would: a right backward written another way must
train the model (the loss falls below 0.05 and `abc|` becomes `abc|cba`), and a wrong one must
still be failed, whatever its training did.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from support.track5_exercises import EXERCISES, run
from support.track5_variants_transformer import RIGHT, TITLE, WRONG

EXERCISE = EXERCISES[TITLE]
_FUNCTION = re.compile(r"^def attention_backward\(.*?(?=^def )", re.S | re.M)


def in_place(redefine: str) -> str:
    """The solution with its `attention_backward` replaced by `redefine`."""
    assert len(_FUNCTION.findall(EXERCISE.solution)) == 1
    return _FUNCTION.sub(lambda _: textwrap.dedent(redefine).strip() + "\n\n", EXERCISE.solution)


def test_the_solution_prints_a_falling_loss_and_a_reversed_word(capsys):
    assert run(EXERCISE.solution, EXERCISE.tests) == {"status": "passed"}
    printed = capsys.readouterr().out
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", printed)]
    assert len(losses) >= 5 and losses[0] > 1.5 and losses[-1] < 0.01, losses
    before, after = (line for line in printed.splitlines() if line.startswith(("before", "after")))
    assert "abc|cba" not in before and "'abc|cba'" in after, (before, after)


def test_the_starting_code_runs_and_learns_nothing_useful(capsys):
    verdict = run(EXERCISE.code, EXERCISE.tests)
    assert verdict["status"] == "failed", verdict
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", capsys.readouterr().out)]
    assert min(losses[1:]) > 0.9, losses


@pytest.mark.parametrize("label,code", RIGHT[TITLE], ids=[label for label, _ in RIGHT[TITLE]])
def test_a_right_backward_trains_the_model(label, code):
    assert run(in_place(code), EXERCISE.tests) == {"status": "passed"}


@pytest.mark.parametrize("label,code,words", WRONG[TITLE], ids=[label for label, _, _ in WRONG[TITLE]])
def test_a_wrong_backward_fails_in_place_too(label, code, words):
    verdict = run(in_place(code), EXERCISE.tests)
    assert verdict["status"] == "failed" and words in verdict.get("detail", ""), verdict
