"""`/// runnable`: Python the learner edits and runs in the page, and an exercise the page checks.

Reading code is half of learning it; changing it and seeing what happens is the other half. The
block holds the starting code and, for an exercise, the tests (asserts, or the exact output) and
the author's solution. The page runs it in Pyodide, CPython compiled to WebAssembly and served by
the site itself (theme/assets/tracksite/pyodide/), so only the standard library is there: an
import of anything else is reported at its line, with the modules that are (core/widgets/pagepython.py,
which a predict block the learner may run shares).

The body is YAML, like a predict block's, so the code is taken literally. Running the solution
against its tests happens in `tracksite check` (core/widgets/runnable/check.py), not here: a parse is
memoised text to value and must stay cheap, because the build's renderer calls it too.

The validator, the editor schema, the guide's table and the dataclasses below (`RunnableFields`,
generated) come from the one description, `RUNNABLE`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID, Field, ListOf, Mapping, Text, Whole
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.pagepython import first_code_line, import_findings

#: Seconds a run may take when the block names no `timeout`, and the most it may name.
DEFAULT_TIMEOUT = 10
MAX_TIMEOUT = 60


def _solution_when_checked(value, path, ctx):
    """A checked exercise (tests or output) shows its solution behind a disclosure: without
    one, a learner who is stuck has nowhere to go, and the check cannot prove the tests pass."""
    if (value.get("tests") or value.get("output")) and not value.get("solution"):
        ctx.report(
            path,
            "a runnable block with `tests:` or `output:` is a checked exercise and needs a `solution:`",
            "add `solution: |` with code that passes the tests",
            code="TS405",
        )


def _mistakes_when_checked(value, path, ctx):
    """A mistake is a wrong answer the tests must catch: without tests or output nothing catches it."""
    if value.get("mistakes") and not (value.get("tests") or value.get("output")):
        ctx.report(
            path + ("mistakes",),
            "`mistakes:` lists wrong answers the checks must catch, but this block has no `tests:` or `output:`",
            "add the tests that catch them, or remove `mistakes:`",
            code="TS437",
        )


#: When the learner may open the solution: the default, as before issue 85, is from the start.
SHOW_SOLUTION = re.compile(r"from the start|on pass|never|after ([1-9]|1[0-9]|20) checks?")
SHOWN_FROM_START = "from the start"


def _reachable_solution(value, path, ctx):
    """A policy that waits for Checks on a block without one, or a policy without a solution to
    show, leaves the learner a solution they can never reach (or a promise of one)."""
    policy = value.get("show_solution") or SHOWN_FROM_START
    if policy in (SHOWN_FROM_START, "never"):
        return
    if not (value.get("tests") or value.get("output")):
        why = "this block has no `tests:` or `output:`, so no Check button: the solution would never show"
    elif not value.get("solution"):
        why = "this block has no `solution:` to show"
    else:
        return
    ctx.report(
        path + ("show_solution",),
        f"`show_solution: {policy}` waits for Checks, but {why}",
        "add the tests, or write `show_solution: from the start` (or leave it out)",
        code="TS438",
    )


#: At most this many mistakes a block lists: each one is a run at check time.
MAX_MISTAKES = 12

MISTAKE = Mapping(
    help="A wrong answer the exercise must catch, with the feedback the learner must get for it.",
    name="mistake",
    fields=(
        Field(
            "code",
            Text(
                max_length=6000,
                help="The wrong answer, whole, as a learner would write it in place of the starting code.",
            ),
            required=True,
            example="code: |\n  def step(w, grad, lr):\n      return w + lr * grad",
        ),
        Field(
            "feedback",
            Text(
                max_length=400,
                help="Words the learner must be told for it: a part of what the failing check says (your "
                "assert's message, the check written from the assert, the values it compared or the "
                "error), compared ignoring case and runs of spaces.",
            ),
            required=True,
            example="feedback: against the gradient",
        ),
    ),
)

RUNNABLE = Mapping(
    help="The body of a `/// runnable` block: Python the learner edits and runs in the page, "
    "and, for an exercise, the tests that check it.",
    name=W.RUNNABLE.name,
    rules=(_solution_when_checked, _mistakes_when_checked, _reachable_solution),
    json_extra={"dependencies": {"tests": ["solution"], "output": ["solution"]}},
    fields=(
        Field(
            "code",
            Text(
                max_length=6000,
                help="The starting code the learner sees and edits: Python 3 with the standard library "
                "only; write it as a literal block (`code: |`).",
            ),
            required=True,
            example="code: |\n  def step(w, grad, lr):\n      return w\n  print(step(1.0, 0.5, 0.1))",
        ),
        Field(
            "tests",
            Text(
                max_length=6000,
                help="Python run after the learner's code in the same namespace, usually `assert` lines: "
                "with them the block is a checked exercise (a Check button).",
            ),
            example="tests: |\n  assert abs(step(1.0, 0.5, 0.1) - 0.95) < 1e-9",
        ),
        Field(
            "output",
            Text(
                numbers=True,
                max_length=4000,
                help="The exact output expected, instead of (or besides) tests: compared as a predict "
                "block's output is, forgiving blank lines and runs of spaces.",
            ),
        ),
        Field(
            "solution",
            Text(
                max_length=6000,
                help="The author's answer, folded until the learner opens it; needed with `tests` or "
                "`output`. `tracksite check` runs it and the tests in CPython.",
            ),
            example="solution: |\n  def step(w, grad, lr):\n      return w - lr * grad",
        ),
        Field("hint", Text(numbers=True, help="Shown when Check fails (inline Markdown).")),
        Field(
            "show_solution",
            Text(
                pattern=SHOW_SOLUTION,
                pattern_help="`from the start`, `after N checks` (N from 1 to 20), `on pass` or `never`",
                max_length=40,
                help="When the learner may open the solution: `from the start` (folded, as a quiz "
                "explanation is), `after N checks` of their code, `on pass` (to compare with theirs) "
                "or `never`. The count is kept with the learner's progress.",
            ),
            default=SHOWN_FROM_START,
            example="show_solution: after 3 checks",
        ),
        Field(
            "mistakes",
            ListOf(
                item=MISTAKE,
                max_items=MAX_MISTAKES,
                noun="mistake",
                help="Wrong answers the exercise must catch, each with the feedback it must give "
                "(`code:` and `feedback:`): `tracksite check --run-code` proves each one fails its "
                "check with that feedback (TS436). Never shown to the learner.",
            ),
            example="mistakes:\n  - code: |\n      def step(w, grad, lr):\n          return w + lr * grad\n"
            "    feedback: against the gradient",
        ),
        Field(
            "timeout",
            Whole(
                minimum=1,
                maximum=MAX_TIMEOUT,
                unit="seconds",
                help="A run longer than this is stopped, and the learner can run again.",
            ),
            default=DEFAULT_TIMEOUT,
        ),
    ),
)


#: The dataclasses generated below from this description: name, description, docstring.
SHAPES = (
    ("RunnableMistake", MISTAKE, "A wrong answer a `/// runnable` exercise must catch, with its feedback."),
    (
        "RunnableFields",
        RUNNABLE,
        "The body of a `/// runnable` block (`Runnable` below adds what it computes).",
    ),
)


# -- the dataclasses of SHAPES above, generated by `tracksite docs --write`: do not edit --


@dataclass(frozen=True, kw_only=True)
class RunnableMistake:
    """A wrong answer a `/// runnable` exercise must catch, with its feedback."""

    #: The wrong answer, whole, as a learner would write it in place of the starting code.
    code: str
    #: Words the learner must be told for it: a part of what the failing check says (your assert's message, the check
    #: written from the assert, the values it compared or the error), compared ignoring case and runs of spaces.
    feedback: str


@dataclass(frozen=True, kw_only=True)
class RunnableFields:
    """The body of a `/// runnable` block (`Runnable` below adds what it computes)."""

    #: The starting code the learner sees and edits: Python 3 with the standard library only; write it as a literal
    #: block (`code: |`).
    code: str
    #: Python run after the learner's code in the same namespace, usually `assert` lines: with them the block is a
    #: checked exercise (a Check button).
    tests: str | None = None
    #: The exact output expected, instead of (or besides) tests: compared as a predict block's output is, forgiving
    #: blank lines and runs of spaces.
    output: str | None = None
    #: The author's answer, folded until the learner opens it; needed with `tests` or `output`. `tracksite check` runs
    #: it and the tests in CPython.
    solution: str | None = None
    #: Shown when Check fails (inline Markdown).
    hint: str | None = None
    #: When the learner may open the solution: `from the start` (folded, as a quiz explanation is), `after N checks` of
    #: their code, `on pass` (to compare with theirs) or `never`. The count is kept with the learner's progress.
    show_solution: str = "from the start"
    #: Wrong answers the exercise must catch, each with the feedback it must give (`code:` and `feedback:`): `tracksite
    #: check --run-code` proves each one fails its check with that feedback (TS436). Never shown to the learner.
    mistakes: tuple[RunnableMistake, ...] = ()
    #: A run longer than this is stopped, and the learner can run again.
    timeout: int = 10


# -- end of the generated dataclasses --


class Runnable(RunnableFields):
    """A runnable block's body, with what the page and the check ask of it."""

    @property
    def checked(self) -> bool:
        """An exercise the page checks (a Check button and a verdict), not a free snippet."""
        return bool(self.tests or self.output)


def parse_runnable(body: str) -> tuple[Runnable | None, list[Finding]]:
    value, findings, lines = read_body(body, RUNNABLE, "expected a mapping with at least code:")
    if value is INVALID:
        return None, findings
    findings = list(findings)  # the read is memoised: never extend its list
    for name in ("code", "tests", "solution"):
        if value[name]:
            findings += import_findings(value[name], first_code_line(body, lines.get((name,))), name)
    mistakes = tuple(RunnableMistake(**m) for m in value["mistakes"] or ())
    return Runnable(**{**value, "mistakes": mistakes}), findings


_RUNS_IN_PREDICT = re.compile(r"^\s*runnable:\s*true\s*$", re.M)


def runs_code(text: str) -> bool:
    """Whether a page's Markdown runs Python in the page: a runnable block, or a predict block
    with `runnable: true`. The site publishes the interpreter only when some page does."""
    if W.RUNNABLE.name not in text:
        return False
    blocks, _ = find_blocks(text)
    return any(
        b.name == W.RUNNABLE.name or (b.name == W.PREDICT.name and _RUNS_IN_PREDICT.search(b.body))
        for b in iter_blocks(blocks)
    )


def code_key(page_id: str, number: int) -> str:
    """Where runnable.js keeps a learner's code for the `number`th runnable block (in document
    order) of page `page_id` (issue 83): by the exercise's place, not its text, so a course update
    that rewords its starting code keeps the learner's code (the page compares `data-start` and
    says the starting code changed). `tracksite:code:` and 12 hex digits: scorm.js carries the
    suffix in suspend_data ("c", at most 64 word characters); a hash keeps it short whatever the
    page's path. The exercise pack's copy of a block keys it by its lesson's place."""
    place = hashlib.sha1(f"{page_id}\n{number}".encode()).hexdigest()[:12]
    return W.storage_key("code", place)


def practice_items(r: Runnable) -> list[str]:
    """The text an objective's coverage reads: a checked exercise practises; a snippet shows."""
    return [f"{r.code}\n{r.tests or ''}\n{r.hint or ''}"] if r.checked else []


BODY = Body(
    W.RUNNABLE,
    RUNNABLE,
    lambda body, _: parse_runnable(body),
    tables=((W.RUNNABLE.name, RUNNABLE),),
    practice=practice_items,
    checks_answer=lambda r: r.checked,
    placed=lambda page_id, number: {"data-code-key": code_key(page_id, number)},
)
