"""`/// quiz`: single and multiple choice questions, an explanation for every option.

Without scripts: the questions with their options, and the answers with explanations behind a
disclosure per question. widgets.js adds checking, per-option feedback, a score and a reset."""
from __future__ import annotations

import xml.etree.ElementTree as etree

from tracksite.core.widgets import content_key, parse_quiz
from tracksite.adapter.blocks.common import DataBlock, el, widget_root, tail, title_line


class Quiz(DataBlock):
    NAME = "quiz"
    def parse(self, raw: str):
        return parse_quiz(raw)

    def render(self, block: etree.Element, questions, number: int) -> None:
        ctx = self.context()
        qid = widget_root(block, "ts-quiz", "quiz", f"ts-quiz-{number}")
        block.set("data-key", f"tracksite:quiz:{ctx.page_id}:{number}:{content_key(questions)}")
        title_line(block, "Quiz", self.argument)
        ol = el(block, "ol", None, "ts-quiz__questions")
        for qn, question in enumerate(questions, start=1):
            li = el(ol, "li", None, "ts-quiz__question",
                    data_multiple="true" if question.multiple else "false")
            fieldset = el(li, "fieldset", None, "ts-quiz__fieldset")
            el(fieldset, "legend", question.question, "ts-quiz__legend")
            el(fieldset, "p", "Choose every answer that applies." if question.multiple
               else "Choose one answer.", "ts-quiz__hint")
            ul = el(fieldset, "ul", None, "ts-quiz__options")
            kind = "checkbox" if question.multiple else "radio"
            for on, option in enumerate(question.options, start=1):
                oid = f"{qid}-{qn}-{on}"
                item = el(ul, "li", None, "ts-quiz__option")
                el(item, "input", None, "ts-quiz__input", type=kind, id=oid,
                   name=f"{qid}-{qn}", value=str(on - 1))
                el(item, "label", option.text, "ts-quiz__label", for_=oid)
            details = el(li, "details", None, "ts-quiz__answers")
            el(details, "summary", "Show the answer" if not question.multiple
               else "Show the answers")
            answers = el(details, "ul", None, "ts-quiz__explanations")
            for option in question.options:
                item = el(answers, "li", None, "ts-quiz__explanation",
                          data_correct="true" if option.correct else "false")
                mark = el(item, "strong", "Right:" if option.correct else "Wrong:",
                          "ts-quiz__verdict")
                tail(mark, " ")
                text = el(item, "span", option.text, "ts-quiz__option-text")
                tail(text, " \u2014 ")
                el(item, "span", option.explain, "ts-quiz__explain")
