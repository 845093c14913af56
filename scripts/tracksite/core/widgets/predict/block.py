"""`/// predict`: the code, the question "What will this print?", and the output with its
explanation behind a closed "Show the output" disclosure.

Without scripts (and in a printout, where the answer is hidden like a quiz's) that is the whole
widget: the learner thinks, then opens the disclosure. predict.js adds a text box and a Check
button, compares the answer with the output it reads from the disclosure (so the expected
output is written once), and opens it. The code is highlighted by the page's own
pymdownx.highlight settings, like a fenced block, when that extension is loaded; otherwise it
is a plain `<pre><code class="language-...">`.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.util import AtomicString

from tracksite.core import widgetregistry as W
from tracksite.core.widgets.common import DataBlock, el, el_math, highlight
from tracksite.core.widgets.predict.body import Prediction, parse_predict


class Predict(DataBlock):
    WIDGET = W.PREDICT
    NAME = W.PREDICT.name

    def parse(self, raw: str):
        return parse_predict(raw)

    ROOT_ID = "ts-predict"
    TITLE = "wPredict"

    def render(self, block: etree.Element, parsed: Prediction, number: int) -> None:
        text = self.words().text  # the page's language, from its state
        root_id = block.get("id")
        code = el(block, "div", None, "ts-predict__code")
        highlighted = highlight(self.md, parsed.code, parsed.language)
        if highlighted is not None:
            code.text = AtomicString(self.md.htmlStash.store(highlighted))
        else:
            pre = el(code, "pre")
            el(pre, "code", parsed.code, f"language-{parsed.language}")
        el(block, "p", text("pdQuestion"), "ts-predict__question", id=f"{root_id}-question")
        answer = el(block, "details", None, "ts-predict__answer", data_search_ignore="")
        el(answer, "summary", text("showOutput"))
        el(answer, "p", text("pdPrints"), "ts-predict__prints")
        # <samp>, not <code>: the output is what the program printed, and pymdownx.highlight
        # would take a <pre><code> over as a code block of its own
        el(el(answer, "pre", None, "ts-predict__output"), "samp", parsed.output)
        el_math(answer, "p", parsed.explain, "ts-predict__explain")
        if parsed.runnable:  # runnable.js makes the code editable once the output is shown
            block.set("class", f"{block.get('class')} {W.RUNNABLE.css_class}")
            block.set("data-runnable", "true")
            el(block, "pre", None, "ts-predict__source", hidden="", data_search_ignore="").text = AtomicString(
                parsed.code
            )
