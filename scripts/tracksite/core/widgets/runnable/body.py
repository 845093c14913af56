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
"""

from __future__ import annotations

import hashlib
import re

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.pagepython import first_code_line, import_findings
from tracksite.core.widgets.runnable.schema import RUNNABLE
from tracksite.core.widgets.runnable.shapes import RunnableFields, RunnableMistake


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
