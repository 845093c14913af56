"""`/// quiz`: single and multiple choice questions, an explanation for every option.

Without scripts: the questions with their options, and the answers with explanations behind a
disclosure per question. widgets.js adds checking, per-option feedback, a score and a reset.

Instructors often write the right answer first. The page does not show it first: the build
orders each question's options by a fixed shuffle of that question (so the no-script page, a
printout and every build agree), and widgets.js reshuffles them per learner. Each input's
`value` and each explanation's `data-option` keep the option's place in the source."""

from __future__ import annotations

import functools
import random
import xml.etree.ElementTree as etree
from collections.abc import Callable

from tracksite.core import widgetregistry as W
from tracksite.core.widgets import islands
from tracksite.core.widgets.common import DataBlock, el, el_math, shown_html, tail
from tracksite.core.widgets.quiz.body import parse_quiz
from tracksite.core.widgets.validate import content_key

#: A page's interface string by its key (`Catalogue.text` of the page's language).
Say = Callable[..., str]


class Quiz(DataBlock):
    WIDGET = W.QUIZ
    NAME = W.QUIZ.name

    def parse(self, raw: str):
        return parse_quiz(raw)  # the check's model when it read the same text (core/widgets/quiz/body.py)

    ROOT_ID = "ts-quiz"
    TITLE = "wQuiz"

    def render(self, block: etree.Element, questions, number: int) -> None:
        say = self.words().text  # the page's language, from its state
        ctx = self.context()
        qid = block.get("id")
        block.set("data-key", W.storage_key(self.NAME, ctx.page_id, number, _content_key(tuple(questions))))
        keys = question_keys(ctx.page_id, questions, self.tracker.setdefault("question keys", set()))
        ol = el(block, "ol", None, "ts-quiz__questions")
        for qn, question in enumerate(questions, start=1):
            li = el(
                ol,
                "li",
                None,
                "ts-quiz__question",
                data_multiple="true" if question.multiple else "false",
                data_key=keys[qn - 1],
            )
            order = shown_order(question)
            _draw_question(li, question, qn, order, f"{qid}-{qn}", say)
            _draw_answers(li, question, order, say)

    def island(self, block: etree.Element, questions) -> islands.QuizIsland:
        """For an export: each question, its options in the page's order, which are right, and
        each option's feedback, their texts as the page shows them (the cartridge's QTI items)."""
        shown = []
        keys = [li.get("data-key", "") for li in block.iter("li") if "ts-quiz__question" in li.get("class", "")]
        for question, key in zip(questions, keys, strict=True):
            order = shown_order(question)
            shown.append(
                islands.Question(
                    key=key,
                    text=shown_html(self.md, question.question),
                    multiple=question.multiple,
                    options=[shown_html(self.md, question.options[i].text) for i in order],
                    correct=[n for n, i in enumerate(order) if question.options[i].correct],
                    feedback=[shown_html(self.md, question.options[i].explain) for i in order],
                    order=list(order),
                )
            )
        return islands.QuizIsland(block.get("data-key", ""), shown)


def _draw_question(li: etree.Element, question, qn: int, order: tuple[int, ...], name: str, say: Say) -> None:
    """The question as a learner answers it: its text, the hint (one answer or several) and its
    options in the page's order, each an input named `name` (`<root id>-<question number>`)."""
    fieldset = el(li, "fieldset", None, "ts-quiz__fieldset")
    legend = el(fieldset, "legend", None, "ts-quiz__legend")  # the number in the text: print keeps it
    tail(el(legend, "span", f"{qn}.", "ts-quiz__number"), " ")
    el_math(legend, "span", question.question, "ts-quiz__question-text")
    el(fieldset, "p", say("qChooseAll" if question.multiple else "qChooseOne"), "ts-quiz__hint")
    ul = el(fieldset, "ul", None, "ts-quiz__options")
    kind = "checkbox" if question.multiple else "radio"
    for i in order:
        option, oid = question.options[i], f"{name}-{i + 1}"
        item = el(ul, "li", None, "ts-quiz__option")
        el(item, "input", None, "ts-quiz__input", type=kind, id=oid, name=name, value=str(i))
        el_math(item, "label", option.text, "ts-quiz__label", for_=oid)


def _draw_answers(li: etree.Element, question, order: tuple[int, ...], say: Say) -> None:
    """The answers behind a disclosure under the question, in the options' order: each option's
    verdict and its explanation."""
    details = el(li, "details", None, "ts-quiz__answers")
    el(details, "summary", say("qShowAnswers" if question.multiple else "qShowAnswer"))
    answers = el(details, "ul", None, "ts-quiz__explanations")
    for i in order:
        option = question.options[i]
        item = el(
            answers,
            "li",
            None,
            "ts-quiz__explanation",
            data_option=str(i),
            data_correct="true" if option.correct else "false",
        )
        tail(el(item, "strong", say("qVerdictRight" if option.correct else "qVerdictWrong"), "ts-quiz__verdict"), " ")
        tail(el_math(item, "span", option.text, "ts-quiz__option-text"), " \u2014 ")
        el_math(item, "span", option.explain, "ts-quiz__explain")


def question_key(question) -> str:
    """What identifies a question across versions of the course: the author's `id`, or else its
    text and its options' texts and which are right (the learner's answer is a choice among
    them); never the explanations, whose rewording changes no answer. A learner's answer is kept
    under it (widgets.js, a SCORM package's suspend_data), so an edit drops the answer of the
    question it changed only. With an id, an option added or removed still drops it (the answer
    is a choice among so many options)."""
    if question.id:
        return content_key("id", question.id, len(question.options))
    return content_key(question.question, [[o.text, bool(o.correct)] for o in question.options])


def question_keys(page_id: str, questions, taken: set[str]) -> list[str]:
    """The storage key of each question of a quiz on page `page_id`: `tracksite:quiz:<page>:<key>`;
    the same question asked twice on one page gets a suffix the second time (`taken`, the page's)."""
    out = []
    for question in questions:
        base = W.storage_key(W.QUIZ.name, page_id, question_key(question))
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key)
        out.append(key)
    return out


@functools.lru_cache(maxsize=1024)
def _content_key(questions: tuple) -> str:
    """The quiz's fingerprint, remembered: a lesson's quiz is drawn again in its track's
    exercise pack, from the same parsed questions (parse_quiz remembers them by text)."""
    return content_key(list(questions))


@functools.lru_cache(maxsize=4096)
def shown_order(question) -> tuple[int, ...]:
    """The options' order on the built page: a shuffle seeded by the question's own text, so it
    is the same on every build and changes only when the question does. (Remembered, as
    `_content_key` is, for the exercise pack.)"""
    order = list(range(len(question.options)))
    seed = "\n".join([question.question, *(o.text for o in question.options)])
    random.Random(seed).shuffle(order)
    return tuple(order)
