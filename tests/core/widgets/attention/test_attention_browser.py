"""`/// attention` in real Chromium: on the bundled course as built by `mkdocs build` (a click on a
token changes the weights; the page is the lesson with every widget, the `lesson_url` fixture of
tests/conftest.py), and on a bare page of its own for word pieces merged into words.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from support.widget_pages import live_text, open_widgets
from tracksite.core import messages
from tracksite.core import widgetregistry as W

pytestmark = pytest.mark.browser


def _weights(root) -> dict[str, str]:
    out = {}
    for b in root.locator(".ts-tok").all():
        out.setdefault(b.locator(".ts-tok__text").inner_text(), b.locator(".ts-tok__w").inner_text())
    return out


def test_attention_click_it_changes_the_weights(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    root = page.locator("[data-widget=attention]").first
    root.scroll_into_view_if_needed()  # the data loads when the widget comes near the viewport
    page.wait_for_selector("[data-widget=attention] .ts-tok")
    config = json.loads(root.get_attribute("data-config"))
    tokens = root.locator(".ts-tok")
    pressed = root.locator('.ts-tok[aria-pressed="true"]')
    assert pressed.count() == 1
    assert pressed.locator(".ts-tok__text").inner_text() == config["focus"]
    # the opening view agrees with the caption the build wrote
    caption = root.locator("figcaption").inner_text()
    assert f"Layer {config['layer'] + 1}, head {config['head'] + 1}" in caption
    assert root.locator(".ts-attn__select").first.input_value() == str(config["layer"])

    other = next(
        b for b in tokens.all() if b.locator(".ts-tok__text").inner_text() not in (config["focus"], "[CLS]", "[SEP]")
    )
    other.click()
    assert other.get_attribute("aria-pressed") == "true"
    before = _weights(root)
    it = root.locator(".ts-tok", has=page.locator(".ts-tok__text", has_text=re.compile(r"^it$")))
    it.first.click()
    assert it.first.get_attribute("aria-pressed") == "true"
    assert root.locator('.ts-tok[aria-pressed="true"]').count() == 1
    after = _weights(root)
    assert after != before, "the numbers follow the chosen token"
    readout = live_text(page, root.locator(".ts-attn__readout"))
    assert "\u201cit\u201d attends most to" in readout
    total = sum(float(v) for v in after.values())
    assert abs(total - 1) < 0.05
    # the screen-reader table follows too
    table = root.locator(".ts-attn__table")
    assert "\u201cit\u201d" in table.locator("caption").inner_text()
    assert table.locator("tbody tr").count() == tokens.count()

    # keyboard: arrows move along the tokens, focus selects
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.querySelector('.ts-tok__text').textContent")
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == focused
    page.keyboard.press("ArrowLeft")
    assert it.first.get_attribute("aria-pressed") == "true"

    # another head changes the numbers; the average of heads is there
    head = root.locator(".ts-attn__select").nth(1)
    head.select_option("avg")
    assert _weights(root) != after
    assert "average of heads" in live_text(page, root.locator(".ts-attn__readout"))

    # the minimal pair keeps the layer, head and token
    if len(config["sets"]) > 1:
        root.locator(".ts-attn__sets input").nth(1).check()
        assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "it"
        assert head.input_value() == "avg"
    assert not page.console_errors
    assert not [u for u in page.foreign_requests if not u.startswith(page.base_url)]


# -- word pieces: a page of our own, since the bundled data has none ---------------------------

PIECES = ["[CLS]", "the", "kids", "were", "play", "##ing", "because", "it", "was", "sun", "##ny", "[SEP]"]
WORDS = [[0], [1], [2], [3], [4, 5], [6], [7], [8], [9, 10], [11]]


@pytest.fixture(scope="module")
def pieces_url(tmp_path_factory, serve_site):
    """A bare page with one attention widget over word-piece data, plus our assets."""
    import math
    import shutil

    import markdown

    from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext

    root = tmp_path_factory.mktemp("pieces")
    n = len(PIECES)
    weights = []
    for layer in range(2):
        heads = []
        for head in range(2):
            rows = []
            for q in range(n):
                logits = [math.sin(q * 1.3 + k * 0.7 + layer + head * 2) for k in range(n)]
                e = [math.exp(v) for v in logits]
                rows.append([v / sum(e) for v in e])
            heads.append(rows)
        weights.append(heads)
    data = {
        "sentence": "the kids were playing because it was sunny",
        "tokens": PIECES,
        "words": WORDS,
        "weights": weights,
        "source": "synthetic test data",
    }
    (root / "lesson").mkdir()
    (root / "lesson" / "pieces.json").write_text(json.dumps(data))
    md = markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: WidgetContext("t/l", root / "lesson"))])
    body = md.convert("/// attention\ndata: pieces.json\nfocus: it\n///\n")
    for asset in ("widgets.js", "attention.js", "widgets.css"):
        shutil.copy(W.asset_file(f"tracksite/{asset}"), root)
    (root / "lesson" / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pieces</title>'
        '<link rel="stylesheet" href="../widgets.css"><script src="../widgets.js" defer></script>'
        '<script src="../attention.js" defer></script>'
        f'</head><body><div data-messages="{html.escape(json.dumps(messages.catalogue("en").script))}"></div>'
        f'<main class="md-typeset">{body}</main></body></html>'
    )  # data-messages: the interface strings a built page carries (the search box's, core/messages.py)
    return serve_site(root) + "lesson/", data


def test_attention_merges_word_pieces(chromium, pieces_url):
    url, data = pieces_url
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    root = page.locator("[data-widget=attention]")
    page.wait_for_selector(".ts-tok")
    assert root.locator(".ts-tok").count() == len(PIECES)
    merge = root.get_by_label("Merge word pieces into words")
    merge.check()
    labels = root.locator(".ts-tok__text").all_inner_texts()
    assert labels == ["[CLS]", "the", "kids", "were", "playing", "because", "it", "was", "sunny", "[SEP]"]
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "it"
    # "it" is one piece: its weight on "playing" is the sum over the pieces play + ##ing
    row = data["weights"][0][0][PIECES.index("it")]
    shown = dict(zip(labels, (float(x) for x in root.locator(".ts-tok__w").all_inner_texts())))
    assert shown["playing"] == pytest.approx(row[4] + row[5], abs=0.006)
    # a two-piece query averages over its pieces
    root.locator(".ts-tok", has_text="sunny").click()
    shown = [float(x) for x in root.locator(".ts-tok__w").all_inner_texts()]
    head = data["weights"][0][0]
    expected_kids = (head[9][2] + head[10][2]) / 2
    assert shown[2] == pytest.approx(expected_kids, abs=0.006)
    assert sum(shown) == pytest.approx(1, abs=0.03)
    merge.uncheck()
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "sun"
    assert not errors
    page.close()
