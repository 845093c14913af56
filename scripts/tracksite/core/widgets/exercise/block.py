"""`//// exercise | Title` with a nested `/// solution`: numbered per page, solution in a <details>."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from tracksite.core import widgetregistry as W
from tracksite.core.widgets.common import WidgetBlock, el, inline_title


class Exercise(WidgetBlock):
    WIDGET = W.EXERCISE
    NAME = W.EXERCISE.name
    ARGUMENT = None

    def on_markdown(self) -> str:
        return "block"

    def on_create(self, parent: etree.Element) -> etree.Element:
        text = self.words().text  # the page's language, from its state
        number = self.next_number()
        css = self.WIDGET.css_class
        assert css is not None  # every block widget declares its root's class
        root = etree.SubElement(parent, "div", {"class": css, "data-widget": self.NAME})
        heading = el(root, "h3", None, "ts-exercise__title")
        title = (self.argument or "").strip()
        label = el(heading, "span", text("exerciseNumbered", n=number) + (":" if title else ""), "ts-exercise__number")
        if title:
            label.tail = " " + inline_title(title)  # inline Markdown (emphasis, `code`)
        self.task = el(root, "div", None, "ts-exercise__task")
        return root

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.task


class Solution(WidgetBlock):
    WIDGET = W.SOLUTION
    NAME = W.SOLUTION.name
    ARGUMENT = None  # a title is ignored (the validator warns), never shown as body text

    def on_markdown(self) -> str:
        return "block"

    def on_create(self, parent: etree.Element) -> etree.Element:
        text = self.words().text  # the page's language, from its state
        classes = (parent.get("class") or "").split()
        if "ts-exercise__task" not in classes:
            el(parent, "p", "A solution must sit inside an exercise block.", "ts-widget-error", role="note")
        details = etree.SubElement(parent, "details", {"class": "ts-solution success"})
        summary = el(details, "summary")  # theme CSS shows the label that matches the state
        el(summary, "span", text("showSolution"), "ts-solution__show")
        el(summary, "span", text("hideSolution"), "ts-solution__hide")
        self.body = el(details, "div", None, "ts-solution__body")
        return details

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.body
