"""Issue 87: a page's state (its id, folder, language, instructor, islands) is made where its
context is made and handed to the blocks, not read from a module: every word a block writes
(the attention figure's caption, "Show solution", a quiz's instructions, the section links'
titles) is in the language of the page it is on, whatever page was converted before it or beside
it in another thread; a template's words are its page's, else the course's."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import SimpleNamespace

import jinja2
import markdown
from bs4 import BeautifulSoup

from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.adapter.pages import language
from tracksite.core import messages
from tracksite.core.widgets.attention.body import attention_view, load_attention_data
from tracksite.core.widgets.common import default_context

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
    assert _caption(tmp_path, "en") != french  # (an English page converted first)
    assert _caption(tmp_path, "fr") == french


PAGE = (
    "## A section\n\n"
    "//// exercise | T\nDo it.\n\n/// solution\nDone.\n///\n////\n\n"
    "/// quiz\n- question: Q\n  options:\n    - text: a\n      correct: true\n      explain: e\n    - text: b\n      explain: f\n///\n"
)
#: The interface strings PAGE shows, by the keys the blocks ask for.
KEYS = ("exerciseNumbered", "showSolution", "qChooseOne", "permalinkTitle")


def _converter(lang: str) -> markdown.Markdown:
    """A page's converter, as the build makes one: the blocks extension hands the blocks this
    page's state; the section links keep the starter's English title, which the page's is put for."""
    context = WidgetContext(f"t/{lang}", Path.cwd(), lang=lang)
    return markdown.Markdown(
        extensions=["toc", "pymdownx.superfences", TracksiteBlocksExtension(context=lambda: context)],
        extension_configs={"toc": {"permalink": True, "permalink_title": "Link to this section"}},
    )


def _expected(lang: str) -> dict[str, str]:
    words = messages.catalogue(lang)
    return {
        "exerciseNumbered": words.text("exerciseNumbered", n=1),
        "showSolution": words.text("showSolution"),
        "permalinkTitle": words.text("permalinkTitle"),
    }


def _shown(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "lxml")
    number, show, link = (
        soup.select_one(".ts-exercise__number"),
        soup.select_one(".ts-solution__show"),
        soup.select_one("a.headerlink"),
    )
    assert number is not None and show is not None and link is not None, html
    return {
        "exerciseNumbered": number.get_text().rstrip(":"),
        "showSolution": show.get_text(),
        "permalinkTitle": str(link["title"]),
    }


def test_two_pages_of_two_languages_converted_in_turn_each_get_their_own_words():
    french, german = _converter("fr"), _converter("de")
    assert _expected("fr") != _expected("de") != _expected("en")  # (three sets of words to tell apart)
    for _ in range(2):  # fr, de, fr, de: each conversion follows the other language's
        for md, lang in ((french, "fr"), (german, "de")):
            html = md.reset().convert(PAGE)
            assert _shown(html) == _expected(lang)
            assert messages.catalogue(lang).text("qChooseOne") in html


def test_two_pages_converted_in_two_threads_at_once_each_get_their_own_words():
    """Each thread converts its page while the other converts its own: a language a module held
    would be the last one set, whichever thread set it."""
    rounds, both = 20, threading.Barrier(2)
    found: dict[str, list[dict[str, str]]] = {"fr": [], "de": []}

    def run(lang: str) -> None:
        md = _converter(lang)
        for _ in range(rounds):
            both.wait()
            found[lang].append(_shown(md.reset().convert(PAGE)))

    threads = [threading.Thread(target=run, args=(lang,)) for lang in found]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == {lang: [_expected(lang)] * rounds for lang in found}


def test_a_page_converted_outside_a_build_is_in_english():
    assert default_context().words == messages.catalogue("en")
    assert WidgetContext("t/l", Path.cwd(), lang="pt-BR").words == messages.catalogue("pt")


def _template_words(**context: object) -> str:
    env = jinja2.Environment(autoescape=True)
    env.globals["t"] = language.template_text
    return env.from_string("{{ t('showSolution') }}").render(**context)


def test_a_templates_words_are_its_pages_else_the_courses():
    """`t` reads the page's `ts.lang`; a page tracksite gives no language (the 404 page) is in
    the course's, not in that of whichever page rendered last."""
    config = SimpleNamespace(theme={"language": "fr"})
    assert _template_words(ts={"lang": "de"}, config=config) == messages.catalogue("de").text("showSolution")
    _template_words(ts={"lang": "de"}, config=config)  # (a German page rendered last)
    assert _template_words(ts={"kind": "notfound"}, config=config) == messages.catalogue("fr").text("showSolution")
    assert _template_words() == messages.catalogue("en").text("showSolution")
