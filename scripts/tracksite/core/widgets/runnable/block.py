"""`/// runnable`: Python the learner edits and runs in the page; with tests, an exercise.

Without scripts (and in a printout) the block is the code, highlighted like a fenced block, and
for an exercise the solution behind a closed "Show solution" disclosure, like an exercise's.
runnable.js turns the code into an editor with Run, Stop, Reset and, for an exercise, Check; it
reads what it needs from this HTML: the starting code from `data-code`'s element, the tests and
the expected output from hidden elements, the hint shown when a Check fails. The interpreter
(Pyodide, theme/assets/tracksite/pyodide/) is loaded by the script only when the learner runs
code, in a Web Worker.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.util import AtomicString

from tracksite.core import widgetregistry as W
from tracksite.core.widgets import islands
from tracksite.core.widgets.common import DataBlock, el, el_math, highlight
from tracksite.core.widgets.runnable.body import RUNNABLE, SHOWN_FROM_START, Runnable, code_key, parse_runnable
from tracksite.core.widgets.validate import content_key


class RunnableBlock(DataBlock):
    WIDGET = W.RUNNABLE
    NAME = W.RUNNABLE.name

    def parse(self, raw: str):
        return parse_runnable(raw)

    ROOT_ID = "ts-run"

    def title(self, parsed: Runnable) -> str:
        return "wRunExercise" if parsed.checked else "wRunnable"

    def render(self, block: etree.Element, parsed: Runnable, number: int) -> None:
        text = self.words().text  # the page's language, from its state
        root_id = block.get("id")
        page_id = self.context().page_id
        key = W.storage_key(self.NAME, page_id, number, exercise_key(parsed))
        block.set("data-key", key)
        # the learner's code: kept by the exercise's place, compared with the starting code's own key
        # (the exercise pack's copy names its lesson's place with `attrs`: core/site/trackpages.py)
        block.set("data-code-key", block.get("data-code-key") or code_key(page_id, number))
        block.set("data-start", content_key(parsed.code))
        block.set("data-timeout", str(parsed.timeout))
        # the code until runnable.js has loaded (on intent: its focus is one) and after, in print
        label = text("wRunExercise" if parsed.checked else "wRunnable")
        named = f"{label}: {self.argument}" if self.argument else label
        code = el(block, "div", None, "ts-run__code", tabindex="0", role="group", aria_label=named)
        draw_code(self, code, parsed.code)
        # the learner's code starts as the author's: kept verbatim for Reset, never shown twice
        for cls, value in (("start", parsed.code), ("tests", parsed.tests), ("expected", parsed.output)):
            if value:
                el(block, "pre", None, f"ts-run__{cls}", hidden="", data_search_ignore="").text = AtomicString(value)
        if parsed.hint:
            el_math(block, "p", parsed.hint, "ts-run__hint", hidden="", id=f"{root_id}-hint")
        if parsed.solution and parsed.show_solution != "never":
            answer = el(block, "details", None, "ts-run__solution", data_search_ignore="")
            if parsed.show_solution != SHOWN_FROM_START:
                # runnable.js shows it when the learner's Checks meet the policy ("pass" or a count)
                block.set("data-solution", _policy(parsed.show_solution))
                answer.set("hidden", "")
            el(answer, "summary", text("showSolution"))
            draw_code(self, answer, parsed.solution)

    def island(self, block: etree.Element, parsed: Runnable) -> islands.ExerciseIsland:
        """For an export: the block's key, whether the page checks it (a checked exercise counts
        in the SCORM score) and its title (what an LMS's report names it by)."""
        return islands.ExerciseIsland(block.get("data-key", ""), parsed.checked, self.argument or "")


#: What an exercise's key is made of: what the learner does and is judged by. The mistakes an
#: author lists and the solution's policy (issue 85) are not, so that adding them keeps the
#: learners' code and passes (the key is the same as before those fields existed).
KEYED = tuple(f.name for f in RUNNABLE.fields if f.name not in ("mistakes", "show_solution"))


def exercise_key(parsed: Runnable) -> str:
    return content_key({name: getattr(parsed, name) for name in KEYED})


def _policy(words: str) -> str:
    """`on pass` -> "pass", `after 3 checks` -> "3": what runnable.js reads."""
    return "pass" if words == "on pass" else words.split()[1]


def draw_code(block: DataBlock, parent: etree.Element, code: str) -> None:
    """Python drawn as the page draws a fenced block (core/widgets/common.py's `highlight`)."""
    highlighted = highlight(block.md, code, "python")
    if highlighted is not None:
        parent.text = AtomicString(block.md.htmlStash.store(highlighted))
    else:
        el(el(parent, "pre"), "code", None, "language-python").text = AtomicString(code)
