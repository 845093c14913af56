"""Issue 87: a page's state (its id, folder, language, instructor, islands) is made where its
context is made and handed to the blocks, not read from a module: the attention figure's
caption is in the language of the page it is on, whatever language a module last held."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.adapter.pages import language
from tracksite.core import messages
from tracksite.core.widgets.attention.body import attention_view, load_attention_data

TOKENS = ["[CLS]", "the", "animal", "was", "tired", "because", "it", "[SEP]"]


def _data() -> dict:
    """Two layers of three heads, each row even (a sum of 1)."""
    row = [round(1 / len(TOKENS), 6)] * len(TOKENS)
    return {
        "sentence": "The animal was tired because it",
        "tokens": TOKENS,
        "weights": [[[row for _ in TOKENS] for _ in range(3)] for _ in range(2)],
        "source": {"model": "test-model", "package": "none", "package_version": "0"},
    }


def _caption(folder: Path, lang: str) -> str:
    context = WidgetContext("t/l", folder, lang=lang)
    md = markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: context)])
    soup = BeautifulSoup(md.convert("/// attention\ndata: d.json\nfocus: it\n///\n"), "lxml")
    figure = soup.select_one('figure[data-widget="attention"]')
    assert figure is not None and figure.figcaption is not None, soup
    return figure.figcaption.get_text()


def test_the_attention_caption_is_in_the_language_the_page_state_carries(tmp_path):
    (tmp_path / "d.json").write_text(json.dumps(_data()), encoding="utf-8")
    data, findings = load_attention_data(tmp_path / "d.json")
    assert data is not None, findings
    french = attention_view(data, "it", None, "fr").caption
    assert french != attention_view(data, "it", None, "en").caption  # (the two languages' captions differ)
    try:
        messages.use("en")  # the language a module holds: another page's
        assert _caption(tmp_path, "fr") == french
    finally:
        language.begin_page("en")
