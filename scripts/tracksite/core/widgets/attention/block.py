"""`/// attention`: an attention heatmap over real model weights, loaded from a data file.

The build validates the data, picks the opening head and writes the caption and a table of the
focus token's weights into the HTML (readable without scripts). attention.js fetches the data from
the copy beside the page and adds the layer/head selector, word merging, sentence switching and
clickable tokens."""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree

from tracksite.core import widgetregistry as W
from tracksite.core.widgets.attention.body import attention_view, parse_attention
from tracksite.core.widgets.common import DataBlock, WidgetContext, el, tail
from tracksite.core.widgets.decimals import fmt


class Attention(DataBlock):
    WIDGET = W.ATTENTION
    NAME = W.ATTENTION.name
    TAG = "figure"

    def parse(self, raw: str):
        return parse_attention(raw, self.context().source_dir)

    ROOT_ID = "ts-attn"

    def render(self, block: etree.Element, parsed, number: int) -> None:
        ctx = self.context()
        spec, data, compare = parsed.spec, parsed.data, parsed.compare
        view = attention_view(data, spec.focus, spec.target, ctx.lang)  # its caption in the page's language
        text = ctx.words.text
        sets = [_set(ctx, spec.data, data)]
        if compare is not None:
            sets.append(_set(ctx, spec.compare, compare))
        config = {
            "sets": sets,
            "layer": view.layer,
            "head": view.head,
            "focus": data.tokens[view.focus],
            "target": data.tokens[view.target] if view.target is not None else None,
        }
        block.set("data-config", json.dumps(config, ensure_ascii=False, separators=(",", ":")))
        el(block, "figcaption", view.caption, "ts-attn__caption")
        p = el(block, "p", None, "ts-attn__sentence")
        tail(el(p, "strong", text("atSentenceLabel")), " " + data.sentence)
        if compare is not None:
            p = el(block, "p", None, "ts-attn__sentence ts-attn__compare")
            tail(el(p, "strong", text("atCompareLabel")), " " + compare.sentence)
        el(block, "div", None, "ts-attn__app", hidden="hidden")
        focus = data.tokens[view.focus]
        table = el(block, "table", None, "ts-attn__table")
        quoted = text("quoted", text=focus)
        el(table, "caption", text("atTableCaption", token=quoted, layer=view.layer + 1, head=view.head + 1))
        tr = el(el(table, "thead"), "tr")
        el(tr, "th", text("atToken"), scope="col")
        el(tr, "th", text("atWeight"), scope="col")
        tbody = el(table, "tbody")
        for index, (token, weight) in enumerate(view.rows):
            row = el(tbody, "tr", None, "is-target" if index == view.target else None)
            el(row, "th", token, scope="row")
            el(row, "td", fmt(weight))
        if data.source:
            p = el(block, "p", None, "ts-attn__source")
            tail(el(p, "span", text("atWeightsFrom")), " " + data.source + ".")


def _set(ctx: WidgetContext, name: str, data) -> dict:
    """JSON files are fetched by the page from the copy beside it; a YAML file (which the
    browser cannot parse) is embedded, already validated, in the widget's configuration."""
    entry = {"label": data.label or data.sentence}
    if name.lower().endswith(".json"):
        entry["url"] = _url(ctx, name)
    else:
        entry["data"] = {
            "sentence": data.sentence,
            "tokens": list(data.tokens),
            "words": [list(w) for w in data.words] if data.words else None,
            "weights": data.weights,
        }
    return entry


def _url(ctx: WidgetContext, name: str) -> str:
    return ctx.data_url(name)
