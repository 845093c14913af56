"""`/// flashcards`: a YAML list of {term, answer} (or a definition list).

Without scripts: every card, its answer behind a "Show answer" disclosure. widgets.js turns the
list into one card at a time (flip, previous/next, "Knew it"/"Again" kept per lesson)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from tracksite.core import widgetregistry as W
from tracksite.core.widgets import islands
from tracksite.core.widgets.common import DataBlock, el, el_math, shown_text
from tracksite.core.widgets.flashcards.body import parse_flashcards


class Flashcards(DataBlock):
    WIDGET = W.FLASHCARDS
    NAME = W.FLASHCARDS.name

    def parse(self, raw: str):
        return parse_flashcards(raw)

    ROOT_ID = "ts-cards"
    TITLE = "wFlashcards"

    def render(self, block: etree.Element, cards, number: int) -> None:
        text = self.words().text  # the page's language, from its state
        ctx = self.context()
        block.set("data-key", W.storage_key("cards", ctx.page_id, number))
        ol = el(block, "ol", None, "ts-cards__list")
        for card in cards:
            li = el(ol, "li", None, "ts-card")
            el_math(li, "p", card.term, "ts-card__term")
            details = el(li, "details", None, "ts-card__more")
            el(details, "summary", text("showAnswer"))
            el_math(details, "p", card.answer, "ts-card__answer")

    def island(self, block: etree.Element, cards) -> islands.DeckIsland:
        """For an export: the deck's key and its terms, as widgets.js keys the cards (the SCORM
        state keeps which cards a learner knew)."""
        return islands.DeckIsland(block.get("data-key", ""), [shown_text(self.md, card.term) for card in cards])
