"""Issue 42: search reads a query as it reads a page, in the page's language, and a course speaks
the learner's language.

A small Spanish Carpentries lesson (`lang: es` in its config.yaml, written here) is imported into
a new course and built once; its pages must say `lang="es"`, show tracksite's interface in Spanish
and be found in Chromium from Spanish word forms and unaccented spellings. On the bundled course,
a typo gets "Did you mean ...?" and the suggestion is one click (or Enter) away.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from support.sites import build_once, run_mkdocs
from tracksite.adapter.pages import language
from tracksite.commands.cli import main
from tracksite.core import memo, messages
from tracksite.search import words as searchwords

EPISODES = (
    (
        "01-variables.md",
        "Variables y funciones",
        "Una función recibe información y devuelve un resultado. Las funciones de Python se definen "
        "con def. La información que guardamos en una variable se puede reutilizar.",
    ),
    (
        "02-graficos.md",
        "Gráficos con matplotlib",
        "Dibujamos gráficos de líneas para visualizar la evolución de los datos a lo largo del tiempo.",
    ),
)


QUIZ = """

```python
print(resultado)
```

/// quiz
- question: ¿Qué devuelve una función?
  options:
    - text: Un resultado.
      correct: true
      explain: Lo dice el episodio.
    - text: Nada nunca.
      explain: Casi todas devuelven algo.
///

/// predict
code: |
  x = [1, 2, 3]
  print(x[-1] * 2)
output: "6"
explain: Los índices negativos cuentan desde el final.
///
"""


_ROW = [0.1, 0.2, 0.6, 0.1]
ATTENTION_DATA = {
    "sentence": "el gato duerme",
    "tokens": ["[CLS]", "el", "gato", "duerme"],
    "weights": [[[_ROW] * 4, [list(reversed(_ROW))] * 4]],
    "source": "escrito a mano para la prueba",
}
ATTENTION = """

/// attention
data: gato.json
focus: el
///

/// attention-steps
tokens: [el, gato]
x: [[1, 0], [0, 1]]
w_q: [[1, 0], [0, 1]]
w_k: [[1, 0], [0, 1]]
w_v: [[1, 0], [0, 1]]
///
"""


def spanish_lesson(tmp: Path) -> Path:
    src = tmp / "leccion"
    (src / "episodes").mkdir(parents=True)
    names = "".join(f"- {name}\n" for name, _, _ in EPISODES)
    (src / "config.yaml").write_text(
        f"title: 'Programación con Python'\nlicense: 'CC-BY 4.0'\nlang: 'es'\nepisodes:\n{names}", encoding="utf-8"
    )
    for name, title, text in EPISODES:
        (src / "episodes" / name).write_text(
            f"---\ntitle: {title}\nteaching: 5\nexercises: 5\n---\n\n::: objectives\n\n- entender {title.lower()}\n\n"
            f":::\n\n## Ideas principales\n\n{text}\n\n::: challenge\n\n## Prueba\n\nEjecútalo.\n\n"
            "::: solution\n\nFunciona.\n\n:::\n\n:::\n",
            encoding="utf-8",
        )
    return src


@pytest.fixture(scope="session")
def spanish_course(tmp_path_factory) -> Path:
    """Made once a run (support.sites.build_once), not once for this file's quick tests and again for
    its browser tests, which run last; every test only reads it."""
    return build_once(tmp_path_factory, "spanish", _spanish_course) / "course"


def _spanish_course(tmp: Path) -> None:
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Curso"]) == 0
    assert main(["--root", str(course), "import", "carpentries", str(spanish_lesson(tmp)), "--track", "python-es"]) == 0
    lesson_dir = course / "lessons/python-es/variables"
    (lesson_dir / "gato.json").write_text(json.dumps(ATTENTION_DATA), encoding="utf-8")
    with (lesson_dir / "lesson.md").open("a", encoding="utf-8") as lesson:
        lesson.write(QUIZ + ATTENTION)  # widgets whose words their scripts write (quiz.js, attention.js)
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_import_sets_the_tracks_language_from_config_yaml(spanish_course):
    track = yaml.safe_load((spanish_course / "lessons/python-es/track.yml").read_text(encoding="utf-8"))
    assert track["language"] == "es"


def test_a_spanish_track_has_lang_es_and_a_spanish_interface(spanish_course):
    site = spanish_course / "site"
    lesson = site / "python-es/variables/index.html"
    soup = BeautifulSoup(lesson.read_text(encoding="utf-8"), "lxml")
    assert soup.html["lang"] == "es" and soup.html["dir"] == "ltr"
    assert soup.select_one(".ts-search__label").get_text(strip=True) == "Buscar"
    assert soup.select_one(".ts-search__title").get_text(strip=True) == "Buscar en el curso"
    assert soup.select_one(".ts-exercise__number").get_text(strip=True).startswith("Ejercicio 1")
    assert soup.select_one(".ts-solution__show").get_text(strip=True) == "Mostrar la solución"
    assert soup.select_one(".ts-progress__toggle").get_text(strip=True) == "Marcar la lección como completada"
    # the widgets' words the build writes (issue 54: they were English in every language)
    assert soup.select_one(".ts-quiz__hint").get_text(strip=True) == "Elige una respuesta."
    assert {v.get_text(strip=True) for v in soup.select(".ts-quiz__verdict")} == {"Correcta:", "Incorrecta:"}
    assert soup.select_one(".ts-predict__question").get_text(strip=True) == "¿Qué imprimirá?"
    assert soup.select_one(".ts-predict__prints").get_text(strip=True) == "Imprime:"
    # and the words mkdocs.yml gives the whole site, as `init` writes them
    assert {a["title"] for a in soup.select("a.headerlink")} == {"Enlace a esta sección"}
    assert [b["aria-label"] for b in soup.select("button[data-ts-palette]")] == [
        "Cambiar al modo oscuro",
        "Cambiar al modo claro",
    ]
    # the course's own (English) pages stay English
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.html["lang"] == "en" and home.select_one(".ts-search__label").get_text(strip=True) == "Search"


def _material_strings(lang: str) -> dict[str, str]:
    """Material's own interface strings in `lang`, read from its installed language file."""
    import jinja2
    import material

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(material.__file__).parent / "templates"))
    module = env.get_template(f"partials/languages/{lang}.html").module
    keys = re.findall(
        r'"([\w.]+)":', (Path(material.__file__).parent / "templates/partials/languages/en.html").read_text()
    )
    return {key: str(module.t(key)) for key in keys}


def test_materials_own_strings_follow_the_tracks_language(spanish_course):
    """Material's parts of the page (the skip link, the header's name, the copy button's title
    its script reads from the page's configuration) speak the track's language, not only
    theme.language's; the course's English pages keep Material's English."""
    import json

    spanish, english = _material_strings("es"), _material_strings("en")
    site = spanish_course / "site"
    for path, words in (("python-es/variables/index.html", spanish), ("index.html", english)):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")
        assert soup.select_one("header nav")["aria-label"] == words["header"], path
        translations = json.loads(soup.select_one("#__config").string)["translations"]
        assert translations["clipboard.copy"] == words["clipboard.copy"], path
    lesson = BeautifulSoup((site / "python-es/variables/index.html").read_text(encoding="utf-8"), "lxml")
    assert lesson.select_one(".ts-skip").get_text(strip=True) == "Saltar a contenido"
    assert lesson.select_one("body")["dir"] == "ltr"


def test_the_heatmap_the_build_writes_speaks_the_tracks_language(spanish_course):
    """Before any script runs, the heatmap's caption, labels and table (written by the build:
    core/widgets/attention.py, adapter/blocks/attention.py) are in the page's language, its
    shares with the language's decimal sign."""
    soup = BeautifulSoup((spanish_course / "site/python-es/variables/index.html").read_text(encoding="utf-8"), "lxml")
    heat = soup.select_one("[data-widget=attention]")
    assert heat.select_one(".ts-attn__caption").get_text() == (
        "Capa 1, cabeza 1: cuánta atención da «el» a cada token. Elige otro token, otra capa u otra cabeza para comparar."
    )
    assert heat.select_one(".ts-attn__sentence strong").get_text() == "Frase:"
    assert heat.select_one("table caption").get_text() == "Atención desde «el» en la capa 1, cabeza 1"
    assert [th.get_text() for th in heat.select("thead th")] == ["Token", "Peso"]
    steps = soup.select_one("[data-widget=attention-steps]")
    assert steps.select_one(".ts-steps__count").get_text() == "Paso 1 de 8:"
    assert steps.select_one(".ts-widget__title").get_text(strip=True) == "La atención, paso a paso"
    assert steps.select_one(".ts-steps__text").get_text().startswith("Cada fila de X es el embedding de un token")
    assert steps.select(".ts-steps__example")[-1].get_text().startswith("Por ejemplo, «el», columna 1: ")
    quiz = soup.select_one("[data-widget=quiz]")  # the other blocks' own words too (adapter/blocks/)
    assert quiz.select_one(".ts-widget__title").get_text(strip=True) == "Cuestionario"
    assert quiz.select_one("details summary").get_text(strip=True) == "Mostrar la respuesta"
    assert soup.select_one(".ts-solution__hide").get_text(strip=True) == "Ocultar la solución"


def test_the_heatmaps_caption_with_a_target_in_each_language():
    from tracksite.core.widgets.attention.body import AttentionData, attention_view

    data = AttentionData(
        sentence="el gato", tokens=("el", "gato"), words=None, weights=((((0.4, 0.6), (0.5, 0.5)),),), source="s"
    )
    assert attention_view(data, "el", "gato").caption == (
        "Layer 1, head 1: \u201cel\u201d puts 0.60 of its attention on \u201cgato\u201d, more than in any"
        " other head, and more than on any other token."
    )
    assert attention_view(data, "el", "gato", "de").caption.startswith(
        "Schicht 1, Kopf 1: \u201eel\u201c richtet 0,60 "
    )


def test_a_tracks_language_names_materials_file_for_it():
    class Theme(dict):
        dirs = [str(Path(__import__("material").__file__).parent / "templates")]

    class Config:
        theme = Theme(language="fr")

    assert language.material_language(Config(), "pt-BR") == "pt-BR"  # Material's regional file
    assert language.material_language(Config(), "es-MX") == "es"  # the primary subtag's
    assert language.material_language(Config(), "xx") == "fr"  # the course's, where Material has none


def test_the_index_stems_spanish_pages_in_spanish(spanish_course):
    import json

    index = json.loads((spanish_course / "site/search-index/index.json").read_text(encoding="utf-8"))
    assert "es" in index["languages"]
    shard = json.loads(
        (spanish_course / "site/search-index/words" / (b"in".hex() + ".json")).read_text(encoding="utf-8")
    )
    group = shard["words"]["informacion"]  # folded: a learner types it without the accent
    assert shard["stems"][group] == searchwords.stem("información", "es") == "inform"


def test_words_and_stems_read_alike_on_both_sides():
    assert searchwords.words("Multi-Head ATENCIÓN") == ["multi", "head", "atención", "multihead"]
    assert searchwords.fold("Atención Übung") == "atencion ubung"
    assert searchwords.words("normalise tokenisation") == ["normalize", "tokenization"]
    assert searchwords.words("normalise", "fr") == ["normalise"]  # -ise is English's only
    assert searchwords.words("中文字") == ["中", "文", "字"]
    # each word in order, then each hyphenated word whole; "--", "_" and a trailing "-" join nothing
    assert searchwords.words("a self-attention, x--y d_model-2 pre- post-layer-norm") == [
        "a", "self", "attention", "x", "y", "d", "model", "2", "pre", "post", "layer", "norm",
        "selfattention", "model2", "postlayernorm",
    ]  # fmt: skip
    assert searchwords.forms(["Encoders", "informaciones"], "es")["informaciones"] == (
        searchwords.stem("informaciones", "es"),
        searchwords.root("informaciones", "es"),
        "informaciones",
    )
    assert searchwords.root("tokenization") == searchwords.root("tokenizer") == searchwords.stem("tokens") == "token"
    # issue 56: an agent noun and an -ation noun keep a stem of their own, the root still shared
    assert [searchwords.stem(w) for w in ("encoder", "encoders", "encoding", "tokenization")] == [
        "encoder",
        "encoder",
        "encod",
        "tokenization",
    ]
    assert searchwords.root("encoders") == searchwords.root("encoding") == "encod"
    assert searchwords.stem("layers") == "layer" and searchwords.stem("operations", "es") == searchwords.root(
        "operations", "es"
    )
    assert searchwords.stem("funciones", "es") == searchwords.stem("función", "es")
    assert searchwords.stem("xyz", "ja") == "xyz"  # no Snowball stemmer: the word itself


@pytest.mark.parametrize("lang", messages.COMPLETE)
def test_each_shipped_language_has_every_string(lang):
    found = messages.catalogue(lang)
    assert found.missing == ()
    assert all(value.strip() for value in {**found.page, **found.script}.values())
    english = messages.catalogue("en")
    for key in english.page:  # the same {names} to fill in
        assert sorted(_names(found.page[key])) == sorted(_names(english.page[key])), (lang, key)


def _names(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def test_a_missing_string_falls_back_to_english_with_a_warning_naming_it(caplog, monkeypatch):
    """A catalogue that lacks strings is warned about, naming them; a language tracksite has no
    strings for at all (an imported Japanese lesson's track) is only said: the course can do
    nothing about it, and the strict build must publish what check passes."""
    found = messages.catalogue("it")
    assert found.text("showSolution") == "Show solution" and "showSolution" in found.missing
    memo.use(memo.Memory())  # (a build's: nothing said yet)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.tracksite"):
        language.page_catalogue("it")
    said = [r for r in caplog.records if "'it'" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO and "English" in said[0].getMessage()
    caplog.clear()
    memo.use(memo.Memory())
    real = messages.section
    monkeypatch.setattr(messages, "section", lambda code, name: {"home": "Home"} if code == "it" else real(code, name))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.tracksite"):
        language.page_catalogue("it")
    assert any(
        r.levelno == logging.WARNING and "'it'" in r.getMessage() and "showSolution" in r.getMessage()
        for r in caplog.records
    )


def test_numbers_and_direction_follow_the_language():
    assert messages.number(12345, "en") == "12,345"
    assert messages.number(12345, "de") == "12.345"
    assert messages.number(1234, "es") == "1234" and messages.number(12345, "es") == "12.345"
    assert messages.number(12345, "fr") == "12\u202f345" and messages.number(12345, "pt-BR") == "12.345"
    assert messages.number(12345, "xx-YY") == "12,345"  # a language Babel does not know: English
    assert messages.decimal(0.6, "es") == "0,60" and messages.decimal(0.6, "en") == "0.60"
    assert messages.catalogue("de").text("lessonsAbout", n=1200, minutes=15000).startswith("1.200 ")
    assert messages.catalogue("es").text("lessonNumbered", n=3, title="Gráficos") == "Lección 3, Gráficos"
    assert messages.direction("ar") == "rtl" and messages.direction("pt-BR") == "ltr"
    marked = language.mark_html('<!doctype html><html lang="en" class="no-js"><body></body></html>', "ar")
    assert '<html lang="ar" dir="rtl" class="no-js">' in marked


# -- Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _spanish_context(chromium, spanish_course, serve_site) -> Iterator[dict]:
    """One browser context for the Spanish site's tests, and one page in it while a test can leave
    it as it found it (as conftest's `browser_page` for the bundled site): a context and a page of
    their own for each test loaded, parsed and compiled the site's scripts and styles again, and
    started a renderer each time, most of what these tests cost Chromium."""
    context = chromium.new_context()
    shared = {"base": serve_site(spanish_course / "site"), "context": context, "page": None}
    shared["cdp"] = context.new_cdp_session(context.new_page())  # its page holds the session
    yield shared
    context.close()


@pytest.fixture
def spanish_page(_spanish_context):
    """A page with empty storage in the Spanish site's context; afterwards back at about:blank,
    with the site's storage (local and session storage, IndexedDB, cookies, caches) wiped."""
    shared = _spanish_context
    if shared["page"] is None or shared["page"].is_closed():
        shared["page"] = shared["context"].new_page()
    page = shared["page"]
    page.base_url = shared["base"]
    yield page
    try:
        page.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")  # per tab, not per origin
        page.goto("about:blank")
    except Exception:  # noqa: BLE001 (a crashed page, a dialog left open: a new page next time)
        page.close()
    origin = shared["base"].split("/", 3)
    shared["cdp"].send("Storage.clearDataForOrigin", {"origin": "/".join(origin[:3]), "storageTypes": "all"})


def _search(page, query: str) -> list[str]:
    """The titles of a query's results, the query filled in at once (not typed key by key)."""
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")
    page.keyboard.press("/")
    page.fill(".ts-search__input", query)
    page.wait_for_function(
        "() => document.querySelectorAll('.ts-search__hit').length > 0"
        " && document.querySelector('.ts-search__results')?.hasAttribute('aria-busy') === false",
        timeout=45_000,
    )
    return page.eval_on_selector_all(".ts-search__hit .ts-search__hit-title", "els => els.map(e => e.textContent)")


@pytest.mark.browser
@pytest.mark.parametrize("query", ["informacion", "funcion", "graficos", "visualizacion"])
def test_a_spanish_page_is_found_from_other_forms_and_without_accents(spanish_page, query):
    page = spanish_page
    page.goto(page.base_url + "python-es/variables/")
    titles = _search(page, query)
    expected = "Gráficos con matplotlib" if query.startswith(("graf", "visual")) else "Variables y funciones"
    assert titles and titles[0] == expected, titles
    status = page.text_content(".ts-search__status")
    assert "resultado" in status, status  # the dialog speaks Spanish


@pytest.mark.browser
def test_a_typo_offers_the_word_the_course_has_one_click_or_key_away(browser_page):
    page = browser_page
    page.goto(page.base_url + "transformers-and-llms/attention-mechanism/")
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")
    page.keyboard.press("/")
    page.keyboard.type("atention", delay=20)
    suggestion = page.wait_for_selector(".ts-search__suggestion >> text=attention", timeout=45_000)
    assert "Did you mean" in page.text_content(".ts-search__suggest")
    suggestion.click()
    page.wait_for_function("() => document.querySelectorAll('.ts-search__hit').length > 0")
    assert page.input_value(".ts-search__input") == "attention"
    titles = page.eval_on_selector_all(".ts-search__hit-title", "els => els.map(e => e.textContent)")
    assert "Transformers and the attention mechanism" in titles[:3], titles
    # Enter in the box takes the suggestion when nothing was found
    page.fill(".ts-search__input", "transfomer")
    page.wait_for_selector(".ts-search__suggestion >> text=transformer")
    page.focus(".ts-search__input")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.ts-search__input')?.value === 'transformer'")
    page.wait_for_function("() => document.querySelectorAll('.ts-search__hit').length > 0")
    # a result's link: named by what it shows (issue 56: label in name), title first
    link = page.query_selector(".ts-search__hit a")
    assert link.get_attribute("aria-labelledby") is None and link.get_attribute("aria-label") is None
    assert link.query_selector(":scope > *").get_attribute("class") == "ts-search__hit-title"


@pytest.mark.parametrize(
    "value, ok", [("es", True), ("pt-BR", True), ("zh-Hant-TW", True), ("Spanish!", False), ("e", False)]
)
def test_a_tracks_language_is_a_language_tag(value, ok):
    from tracksite.core.schema import specs as schema

    spec = next(f.spec for f in schema.TRACK.fields if f.name == "language")
    assert bool(spec.pattern.fullmatch(value)) is ok


def _english_fragments() -> dict[str, str]:
    """Each English interface string's fixed words (the longest part between its `{name}`s), for
    every string the Spanish catalogue words differently: what a Spanish page must not show."""
    english, spanish = messages.catalogue("en"), messages.catalogue("es")
    found = {}
    for section in ("page", "script"):
        for key, text in getattr(english, section).items():
            if getattr(spanish, section)[key] == text:
                continue
            parts = [p.strip(" :,.()") for p in re.split(r"\{\w+\}|<[^>]+>", text)]
            longest = max(parts, key=len)
            if len(longest) >= 4:
                found[key] = longest
    material_en, material_es = _material_strings("en"), _material_strings("es")
    for key, text in material_en.items():  # Material's own parts, in the track's language too
        if material_es.get(key) != text and "#" not in text and len(text) >= 4:
            found["material:" + key] = text
    return found


def _interface_text(soup: BeautifulSoup) -> tuple[str, set[str]]:
    """A page's words as a learner meets them (its text, and the labels and titles its controls
    carry), and each element's own text and each label alone, digits left out."""
    for hidden in soup.select("script, style, template"):
        hidden.decompose()
    said = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        said += [str(tag.get(name, "")) for name in ("aria-label", "title", "placeholder", "alt")]
        said += [str(v) for k, v in tag.attrs.items() if k.startswith("data-") and k != "data-messages"]
        said += [str(s) for s in tag.find_all(string=True, recursive=False)]
    alone = {" ".join(re.sub(r"[\d:.,·()]", " ", s).split()) for s in said}
    return " ".join(" ".join(said).split()), alone


def _shows(words: str, text: str, alone: set[str]) -> bool:
    """Whether a page shows these English words: a phrase anywhere, a single word ("Read",
    "Table") only as a label of its own (Material's "Table of contents" is Material's)."""
    if " " in words:
        return re.search(rf"\b{re.escape(words)}\b", text) is not None
    return words in alone


def test_a_spanish_tracks_pages_carry_no_english_interface_string(spanish_course):
    fragments = _english_fragments()
    assert len(fragments) > 60  # the catalogue's words, not a hand-kept list
    site = spanish_course / "site/python-es"
    pages = sorted(site.rglob("index.html"))
    assert len(pages) >= 5, pages  # the track page, its lessons' tabs and its own pages
    for page in pages:
        text, alone = _interface_text(BeautifulSoup(page.read_text(encoding="utf-8"), "lxml"))
        english = {key: words for key, words in fragments.items() if _shows(words, text, alone)}
        assert not english, (page.relative_to(site).as_posix(), english)


@pytest.mark.browser
def test_materials_copy_button_speaks_the_tracks_language(spanish_page):
    """The copy button Material's script adds to a code block takes its title from the page's
    translations: Spanish on a Spanish track of an English course."""
    page = spanish_page
    page.goto(page.base_url + "python-es/variables/")
    copy = page.wait_for_selector("button.md-code__button[data-md-type=copy]", state="attached")
    assert copy.get_attribute("title") == "Copiar al portapapeles"


@pytest.mark.browser
def test_the_attention_widgets_and_progress_speak_the_pages_language(spanish_page):
    """attention.js's heatmap and stepper and progress.js's summary write their words from the
    page's catalogue strings, and numbers with the language's decimal sign: Spanish here."""
    page = spanish_page
    base = page.base_url
    page.goto(base + "python-es/variables/")
    heat = page.locator("[data-widget=attention]").first
    heat.scroll_into_view_if_needed()
    caption = heat.locator(".ts-attn__caption")
    page.wait_for_function("() => document.querySelector('.ts-attn__controls') !== null", timeout=30_000)
    assert heat.locator(".ts-attn__field").first.inner_text().startswith("Capa")
    assert heat.locator("select.ts-attn__select").nth(1).locator("option").first.inner_text() == (
        "Media de las cabezas"
    )
    heat.locator("select.ts-attn__select").nth(1).select_option("1")  # head 2, away from the opening view
    assert (
        caption.inner_text()
        == "Capa 1, cabeza 2: «el» pone 0,20 de su atención en «gato», más que en ningún otro token."
    )
    assert heat.locator(".ts-attn__help").inner_text().startswith("Elige un token")
    steps = page.locator("[data-widget=attention-steps]").first
    assert steps.get_by_role("button", name="Siguiente").is_visible()
    assert steps.get_by_role("button", name="Atrás").is_visible()
    assert steps.locator(".ts-steps__status").inner_text().startswith("Paso 1 de ")
    page.goto(base + "python-es/")
    summary = page.locator(".ts-progress__summary").first
    page.wait_for_function("() => (document.querySelector('.ts-progress__summary')?.textContent.trim() || '') !== ''")
    assert re.fullmatch(r"0 de 2 lecciones · 0 de \d+ minutos", summary.inner_text()), summary.inner_text()


@pytest.mark.browser
def test_a_widgets_script_speaks_the_pages_language(spanish_page):
    """The quiz's buttons, feedback and score are written by quiz.js, from the strings the page
    carries (data-messages): in Spanish on a Spanish track."""
    page = spanish_page
    page.goto(page.base_url + "python-es/variables/")
    quiz = page.locator("[data-widget=quiz]").first
    quiz.get_by_role("button", name="Comprobar la respuesta").click()
    assert quiz.locator(".ts-quiz__feedback").inner_text() == "Elige primero una respuesta."
    assert quiz.locator(".ts-quiz__score").inner_text() == "Puntuación: 0 de 1 (0 de 1 respondidas)"
    quiz.locator(".ts-quiz__input").first.check()
    quiz.get_by_role("button", name="Comprobar la respuesta").click()
    assert quiz.locator(".ts-quiz__feedback").inner_text().startswith(("¡Correcto!", "No del todo:"))
    assert quiz.get_by_role("button", name="Reiniciar el cuestionario").is_visible()


def test_a_lessons_difficulty_and_math_read_in_the_pages_language():
    """English pages show the schema's labels (the catalogue agrees with them); other languages
    their own words."""
    from tracksite.core.schema import choices
    from tracksite.core.schema import specs as schema
    from tracksite.core.site import views

    for name, kind in (("difficulty", choices.Difficulty), ("math", choices.MathLevel)):
        for value in kind:
            assert views.choice_label(name, value, "en") == schema.label(schema.LESSON, name, value)
            assert views.choice_label(name, value, "es") != views.choice_label(name, value, "en")
