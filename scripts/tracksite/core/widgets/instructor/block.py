"""`/// instructor`: teaching notes, left out of the HTML unless rendering for instructors."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from tracksite.core import widgetregistry as W
from tracksite.core.widgets.common import WidgetBlock, el


class Instructor(WidgetBlock):
    WIDGET = W.INSTRUCTOR
    NAME = W.INSTRUCTOR.name
    ARGUMENT = None

    def on_init(self) -> None:
        self.show = self.instructor()
        self.parent: etree.Element | None = None

    def on_markdown(self) -> str:
        # Hidden notes are not even parsed: nothing in them can leak (ids, footnotes, links).
        return "block" if self.show else "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        text = self.words().text  # the page's language, from its state
        self.parent = parent
        if not self.show:
            return etree.SubElement(parent, "div")
        aside = etree.SubElement(parent, "aside", {"class": "ts-instructor", "aria-label": text("instructorNotes")})
        el(aside, "p", text("instructorNotes"), "ts-instructor__label")
        self.body = el(aside, "div", None, "ts-instructor__body")
        return aside

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.body if self.show else block

    def on_end(self, block: etree.Element) -> None:
        if not self.show:
            block.text = None
            for child in list(block):
                block.remove(child)
            if self.parent is not None and block in list(self.parent):
                self.parent.remove(block)
