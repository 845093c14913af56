"""The course search in real Chromium (issue 16): the header button, the dialog on the course's
own index, filters, keyboard, a phone, the dark palette, axe, and `mkdocs serve` after an edit."""

from __future__ import annotations

import re
import time
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from support.axe import AXE, axe_in
from support.course import lesson_md, write
from support.waits import until

pytestmark = pytest.mark.browser

LESSON = "transformers-and-llms/attention-mechanism/"
#: the page the tests search from: the lesson's overview, a learner's page with the header's search
#: like any other. The lesson itself (every widget, formulas, a diagram) cost Chromium about 0.8
#: processor seconds a load to the overview's 0.25, in each of 18 tests that only use the search;
#: the lesson's own page is what the search leads to, and tests/browser/test_accessibility.py's.
SEARCH_FROM = LESSON + "overview/"
HITS = ".ts-search__hit"


def open_page(page, url: str = SEARCH_FROM, width: int = 1280, scheme: str = "light", wait: str = "networkidle"):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base_url + url, wait_until=wait)
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")  # search.js has run
    return page


def search(page, query: str, *, open_with: str = "/"):
    """Open the search with a key, type the query like a learner, wait for its results."""
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")  # search.js has run
    page.keyboard.press(open_with)
    page.wait_for_selector(".ts-search__dialog[open]")
    return type_and_settle(page, query)


def type_and_settle(page, query: str) -> list[dict]:
    """Type into the open dialog and wait until the results for the whole query are drawn: hits
    found after an earlier keystroke are replaced, so a locator taken before then can detach."""
    page.keyboard.type(query, delay=20)
    page.wait_for_function(
        "q => document.querySelector('.ts-search__status')?.textContent.includes(q) && "
        "document.querySelector('.ts-search__results')?.hasAttribute('aria-busy') === false",
        arg=query,
        timeout=45_000,
    )  # the status names the query at the first result; all drawn
    return hits(page)


def hits(page) -> list[dict]:
    return page.eval_on_selector_all(
        HITS,
        """items => items.map(li => ({
        href: li.querySelector('a').getAttribute('href'),
        title: li.querySelector('.ts-search__hit-title').textContent,
        meta: li.querySelector('.ts-search__hit-meta').textContent,
        section: (li.querySelector('.ts-search__hit-section') || {}).textContent || '',
        excerpt: li.querySelector('.ts-search__excerpt').textContent,
        marks: [...li.querySelectorAll('.ts-search__excerpt mark')].map(m => m.textContent)}))""",
    )


def test_a_query_finds_the_lesson_and_the_heading_that_teaches_it(browser_page):
    page = open_page(browser_page)
    found = search(page, "scaled dot-product")
    first = found[0]
    assert first["title"] == "Transformers and the attention mechanism"
    assert first["meta"] == "Lesson · Track 5 · Lesson 3 of 7"
    assert first["section"] == "Scaled dot-product attention"
    assert first["href"].endswith("/transformers-and-llms/attention-mechanism/#scaled-dot-product-attention")
    assert [m.lower() for m in first["marks"]] and all(  # the words, or words they begin ("products")
        m.lower().startswith(("scaled", "dot", "product")) for m in first["marks"]
    ), first["marks"]
    assert len(first["excerpt"].split()) <= 30  # a short snippet, not the section
    page.keyboard.press("ArrowDown")  # from the box to the first result, then follow it
    assert page.evaluate("document.activeElement.closest('.ts-search__hit') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#scaled-dot-product-attention$"))
    assert page.console_errors == []


def test_softmax_leads_to_the_teaching_section_never_to_answers(browser_page):
    page = open_page(browser_page)
    found = search(page, "softmax")
    assert len(found) >= 4
    lesson = next(h for h in found if h["title"] == "Transformers and the attention mechanism")
    assert lesson["section"] == "Scaled dot-product attention"
    assert found.index(lesson) < 3
    for h in found:
        assert "Practice" not in h["section"] and "Right:" not in h["excerpt"] and "Wrong:" not in h["excerpt"], h
        assert len(h["excerpt"].split()) <= 30


def test_the_first_result_shows_before_the_other_fragments_arrive(browser_page):
    """Each result is drawn when its own page fragment arrives: with every fragment after the
    first held back by the network, the first result and the status are already on screen."""
    page = open_page(browser_page)
    passed, held = [], []
    page.route(
        "**/search-index/pages/*",
        lambda route: (held if passed else passed).append(route) or (route.continue_() if route in passed else None),
    )
    page.keyboard.press("/")
    page.keyboard.type("attention", delay=20)
    page.wait_for_selector(HITS)
    page.wait_for_function("() => document.querySelector('.ts-search__status')?.textContent.includes('attention')")
    until(page, lambda: len(held) == 4)  # every other fragment asked for, and held: no more results can come
    assert page.locator(HITS).count() == 1 and len(held) == 4
    assert page.get_attribute(".ts-search__results", "aria-busy") == "true"  # still drawing
    for route in held:
        route.continue_()
    page.wait_for_selector(".ts-search__results:not([aria-busy])", state="attached")
    assert page.locator(HITS).count() == 5


WORD_FILES = "/search-index/words/"


def _word_files_for(chromium, base: str, query: str) -> set[str]:
    """The word files the engine itself fetches to answer `query`, typed at once, in a context of
    its own (an empty cache). The engine is imported into the site's smallest document, the search
    index's JSON (same origin, no page scripts): a lesson, each script and style compiled anew in
    the new context, cost most of what this helper costs and nothing of it was asked."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "search-index/index.json")
    urls = []
    page.on("request", lambda r: urls.append(r.url) if WORD_FILES in r.url else None)
    page.evaluate(
        """async ([url, index, q]) => { const engine = await import(url);
        const ix = await new engine.Index(index).ready; await ix.search(q); }""",
        [base + "assets/tracksite/search-engine.js", base + "search-index/index.json", query],
    )
    context.close()
    return set(urls)


def test_typing_a_word_fetches_only_the_word_files_it_needs(browser_page, chromium):
    """The word being typed is not fetched ahead before its third letter: "t" alone has its own
    word file, and "tokens" lives in another."""
    page = open_page(browser_page)
    needed, first_letter = (
        _word_files_for(chromium, page.base_url, "tokens"),
        _word_files_for(chromium, page.base_url, "t"),
    )
    assert needed and first_letter - needed, "'t' and 'tokens' share a word file: pick another word for this test"
    urls = []
    page.on("request", lambda r: urls.append(r.url) if WORD_FILES in r.url else None)
    assert search(page, "tokens")
    assert set(urls) == needed


def test_a_pause_after_one_letter_waits_longer_but_still_searches(browser_page):
    """A one- or two-letter word is searched after three times the usual pause: a learner who
    hesitates after "t" fetches no word file yet, and one who means "t" still gets results."""
    page = open_page(browser_page)
    requests: list[tuple[float, str]] = []
    page.on(
        "request",
        lambda r: (
            requests.append((time.monotonic(), r.url)) if re.search(r"/search-index/(words|pages)/", r.url) else None
        ),
    )
    page.keyboard.press("/")
    page.wait_for_selector(".ts-search__dialog[open]")
    typed = time.monotonic()  # the key reaches the page after this: a load only delays what follows
    page.keyboard.type("t")
    page.wait_for_selector(HITS, timeout=20_000)
    assert any(WORD_FILES in u for _, u in requests)
    # twice the usual pause after "t", a longer word would have been searched; "t" waits three times
    waited = min(t for t, _ in requests) - typed
    assert waited >= 0.3, f"the first index file was asked for {waited:.3f} s after the one letter"


def test_track_and_kind_filters_narrow(browser_page):
    page = open_page(browser_page)
    found = search(page, "attention")
    assert {h["meta"].split(" · ")[1] for h in found} == {"Track 4", "Track 5"}
    page.focus("select[name=track]")  # the menus fill when first used
    page.select_option("select[name=track]", "Track 4: Deep learning, a survey")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ts-search__hit-meta')].length > 0 && "
        "[...document.querySelectorAll('.ts-search__hit-meta')].every(m => m.textContent.includes('Track 4'))",
        timeout=10_000,
    )
    narrowed = hits(page)
    assert narrowed and all(" · Track 4" in h["meta"] for h in narrowed)
    page.select_option("select[name=kind]", label="Cheatsheet")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ts-search__hit-meta')]"
        ".every(m => m.textContent.startsWith('Cheatsheet · Track 4'))",
        timeout=10_000,
    )
    assert all(h["meta"].startswith("Cheatsheet · Track 4") for h in hits(page))
    kinds = page.eval_on_selector_all("select[name=kind] option", "os => os.map(o => o.textContent)")
    # a lesson's pages, the track page, then the track's own pages in the track page's order
    # (issue 32.5 made them searchable); no "Guide" for learners
    assert kinds == [
        "All kinds",
        *("Lesson", "Overview", "Cheatsheet", "Track"),
        *("Glossary", "Key points", "Review", "Exercise pack"),
    ]


def test_focus_returns_to_the_button_when_the_dialog_closes_before_its_code_arrives(browser_page):
    """The dialog opens at once and its code (search-ui.js) loads then: a learner who presses
    "/" and Escape before it has arrived still gets focus back on the header button."""
    held = []
    browser_page.route("**/search-ui*.js*", lambda route: held.append(route))  # the dialog's code, held back
    page = open_page(browser_page)
    page.keyboard.press("/")
    page.wait_for_selector(".ts-search__dialog[open]")
    page.wait_for_function("() => document.activeElement?.classList.contains('ts-search__input')")
    page.keyboard.press("Escape")
    page.wait_for_selector(".ts-search__dialog:not([open])", state="attached")
    page.wait_for_function("() => document.activeElement?.classList.contains('ts-search__open')", timeout=5000)
    assert held, "the dialog's code was not requested when the dialog opened"
    browser_page.unroute("**/search-ui*.js*")  # (the held request goes on)


def test_keyboard_open_close_and_focus(browser_page):
    page = open_page(browser_page)
    for key in ("/", "s"):
        page.keyboard.press(key)
        page.wait_for_selector(".ts-search__dialog[open]")
        assert page.evaluate("document.activeElement.classList.contains('ts-search__input')")
        assert page.input_value(".ts-search__input") == ""  # the key opened the box, it was not typed
        page.keyboard.press("Escape")
        page.wait_for_selector(".ts-search__dialog:not([open])", state="attached")
        # focus goes back to the header button in the dialog's `close` event, a task after `open` goes
        page.wait_for_function("() => document.activeElement?.classList.contains('ts-search__open')", timeout=5000)
    # the header button by Tab and Enter, too
    button = page.locator(".ts-search__open")
    assert button.get_attribute("aria-keyshortcuts") == "/ s" and button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".ts-search__dialog[open]")
    page.keyboard.type("tokens")
    page.wait_for_selector(HITS)
    page.keyboard.press("Tab")  # the filters, then the results, are reachable by Tab
    assert page.evaluate("document.activeElement.name") == "track"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")  # one Esc closes, with the query typed (not just clears it)
    page.wait_for_selector(".ts-search__dialog:not([open])", state="attached")
    page.keyboard.press("s")  # and the query is still there when it opens again
    assert page.input_value(".ts-search__input") == "tokens" and page.locator(HITS).count() > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_with_results_open(browser_page, scheme):
    """WCAG 2.2 AA with the dialog open; in the dark palette its colour rules (support/axe.py)."""
    page = open_page(browser_page, scheme=scheme)
    search(page, "positional encoding")
    assert page.locator(HITS).count() > 0
    assert axe_in(page, scheme) == []
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.ts-search__dialog')).backgroundColor"
    ) == page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_palette_draws_the_dialog_dark(browser_page):
    page = open_page(browser_page, scheme="dark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    search(page, "embedding")
    bg = page.evaluate("getComputedStyle(document.querySelector('.ts-search__dialog')).backgroundColor")
    channels = [int(x) for x in re.findall(r"\d+", bg)[:3]]
    assert max(channels) < 80, bg
    for part in (".ts-search__hit-title", ".ts-search__hit-meta", ".ts-search__excerpt", ".ts-search__input"):
        color = page.evaluate(f"getComputedStyle(document.querySelector('{part}')).color")
        assert contrast(color, bg) >= 4.5, (part, color, bg)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two computed `rgb(...)`/`rgba(...)` colours (fg's alpha over bg)."""

    def parse(c):
        v = [float(x) for x in re.findall(r"[\d.]+", c)]
        return v[:3], (v[3] if len(v) > 3 else 1.0)

    (f, a), (b, _) = parse(fg), parse(bg)
    f = [a * x + (1 - a) * y for x, y in zip(f, b)]

    def lum(rgb):
        lin = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(f), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_phone_390(browser_page):
    page = open_page(browser_page, width=390)
    button = page.locator(".ts-search__open")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["x"] + box["width"] <= 390 and box["width"] >= 24 and box["height"] >= 24
    button.click()
    page.wait_for_selector(".ts-search__dialog[open]")
    assert type_and_settle(page, "attention heatmap")
    dialog = page.locator(".ts-search__dialog").bounding_box()
    assert dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= 390
    assert page.evaluate("document.querySelector('.ts-search__dialog').scrollWidth <= 390")
    first = page.locator(HITS).first.bounding_box()
    assert first["y"] < 900 and first["width"] <= 390
    assert axe_in(page, "light") == []


def test_without_javascript_there_is_no_dead_search_button(site_page, site_url):
    page = site_page(java_script_enabled=False)
    page.goto(site_url + LESSON)
    assert page.locator(".ts-search").get_attribute("hidden") is not None
    assert not page.locator(".ts-search__open").is_visible()


def test_search_works_under_mkdocs_serve_after_an_edit(course, chromium):
    from support.serving import serving, wait_for

    with serving(course) as (base, proc):
        wait_for(base + "alpha/a1/", "First lesson")
        context = chromium.new_context()
        page = context.new_page()
        page.base_url = base
        lesson = course / "lessons/alpha/a3/lesson.md"
        lesson.write_text(
            lesson_md(
                "Third lesson", body="## Fresh section\n\nThe wombatword appears now. " + "Words to read here. " * 40
            ),
            encoding="utf-8",
        )
        wait_for(base + "alpha/a3/", "wombatword")
        deadline = time.monotonic() + 30
        found = []
        while time.monotonic() < deadline and not found:
            open_page(page, "alpha/a1/", wait="load")  # live reload keeps a request open
            found = search(page, "wombatword")
        assert found and found[0]["href"].endswith("/alpha/a3/#fresh-section"), found
        assert found[0]["meta"] == "Lesson · Track 1 · Lesson 3 of 3"
        context.close()


def test_the_policy_allows_neither_webassembly_nor_eval(browser_page):
    """The search needs no WebAssembly (docs/security.md): the policy allows no code from strings
    or bytes at all, and the search works under it (the other tests of this file). (The lesson's
    overview: the lesson itself runs Python, so its page alone may compile WebAssembly.)"""
    page = open_page(browser_page, SEARCH_FROM)
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()
    assert "'wasm-unsafe-eval'" not in script_src and "'unsafe-eval'" not in script_src
    # Playwright's evaluate may run eval itself: the checks run later, from a timer, as page code
    page.evaluate("""() => setTimeout(() => {
        const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);  // the smallest module
        const out = {};
        try { new WebAssembly.Module(wasm); out.compiled = true; } catch (e) { out.compiled = String(e); }
        try { (0, eval)('1 + 1'); out.evaluated = 'ran'; } catch (e) { out.evaluated = e.name; }
        try { new Function('return 1')(); out.fn = 'ran'; } catch (e) { out.fn = e.name; }
        window.__cspOutcome = out;
    }, 0)""")
    page.wait_for_function("() => window.__cspOutcome !== undefined")
    outcome = page.evaluate("window.__cspOutcome")
    assert outcome["compiled"] is not True and "CompileError" in outcome["compiled"], outcome
    assert (outcome["evaluated"], outcome["fn"]) == ("EvalError", "EvalError")


def test_markup_in_a_title_shows_as_text(course, chromium, serve_site):
    """A lesson title with markup in it, found by the search: shown as written, nothing runs."""
    from support.sites import run_mkdocs

    evil = 'Zebra <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & <mark>m</mark>'
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md(
            '"' + evil.replace('"', '\\"') + '"',
            body="## Zebra crossings\n\nA zebra crossing is text here. " + "Words to read here. " * 40,
        ),
    )
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    base = serve_site(course / "site")
    context = chromium.new_context()
    page = context.new_page()
    page.base_url = base
    open_page(page, "alpha/a2/")
    found = search(page, "zebra")
    assert found[0]["title"] == evil  # as text: "<", ">" and "&" as written
    assert found[0]["section"] == "Zebra crossings" and "zebra crossing" in found[0]["excerpt"].lower()
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".ts-search__dialog img, .ts-search__dialog script, .ts-search__dialog b").count() == 0
    assert page.locator(".ts-search__excerpt mark").count() >= 1
    context.close()


def test_a_word_no_page_has_is_named_and_left_out(browser_page):
    """A typo or a word the course never uses does not empty the results of the other words:
    the status names it, and a query of such words alone finds nothing."""
    page = open_page(browser_page)
    found = search(page, "softmax zqxwvword")
    assert found and found[0]["section"] and all("Practice" not in h["section"] for h in found)
    status = page.text_content(".ts-search__status")
    assert "No page has \u201czqxwvword\u201d" in status, status
    page.fill(".ts-search__input", "zqxwvword")
    page.wait_for_function("() => document.querySelector('.ts-search__status')?.textContent.startsWith('No results')")
    assert page.locator(HITS).count() == 0


def test_two_words_lead_to_the_section_of_the_rarer_one(browser_page):
    """Each word of a query votes for the section of a page where it weighs most, a rare word
    more than a common one, and a word being typed ("temperatur") as much as the word it
    begins: the query leads into the lesson's section on temperature, whose excerpt shows both
    words, not to where softmax alone is discussed."""
    page = open_page(browser_page)
    found = search(page, "softmax temperatur")
    lesson = next(h for h in found if h["title"] == "Training language models by next-token prediction")
    assert lesson["section"] == "Generating text", lesson
    marks = {m.lower() for m in lesson["marks"]}
    assert "softmax" in marks and "temperature" in marks, lesson


def test_no_more_button_without_more_results(browser_page):
    """Issue 56: "Show more results" carries `hidden` while there is nothing more, and Material's
    .md-button display rule drew it anyway, under "No results"."""
    page = open_page(browser_page)
    search(page, "softmax")
    page.fill(".ts-search__input", "zqxwvword")
    page.wait_for_function("() => document.querySelector('.ts-search__status')?.textContent.startsWith('No results')")
    assert page.eval_on_selector(".ts-search__more", "e => [e.hidden, getComputedStyle(e).display]") == [True, "none"]
    assert not page.locator(".ts-search__more").is_visible()


def test_did_you_mean_reads_as_a_sentence_with_a_link_and_enter_takes_it(browser_page):
    """Issue 56: the suggestion read "Did you mean ?attention", as an unstyled button, and Enter
    on "transfomer architecture" opened the first result for "architecture" alone."""
    page = open_page(browser_page)
    search(page, "softmax")
    page.fill(".ts-search__input", "atention")
    page.wait_for_selector(".ts-search__suggestion >> text=attention", timeout=45_000)
    assert page.text_content(".ts-search__suggest") == "Did you mean attention?"
    style = page.eval_on_selector(
        ".ts-search__suggestion",
        """b => { const s = getComputedStyle(b), link = document.createElement('a');
        link.href = '#'; b.closest('.md-typeset').append(link);
        const a = getComputedStyle(link).color; link.remove();
        return [s.backgroundColor, s.borderTopStyle, s.textDecorationLine, s.color === a, s.cursor]; }""",
    )
    assert style == ["rgba(0, 0, 0, 0)", "none", "underline", True, "pointer"], style
    url = page.url
    page.fill(".ts-search__input", "transfomer architecture")
    page.wait_for_selector(".ts-search__suggestion >> text=transformer architecture", timeout=45_000)
    page.focus(".ts-search__input")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.ts-search__input')?.value === 'transformer architecture'")
    page.wait_for_function(
        "() => document.querySelector('.ts-search__status')?.textContent.includes('transformer architecture')",
        timeout=45_000,
    )
    assert page.url == url and page.locator(".ts-search__dialog[open]").count() == 1
    first = hits(page)[0]
    assert "transformer" in (first["title"] + first["excerpt"]).lower(), first
    page.keyboard.press("Enter")  # now the first result of the corrected query
    expected = urljoin(url, first["href"]).split("#")[0]
    page.wait_for_url(lambda u: u.split("#")[0] == expected)


def test_result_links_are_named_by_what_they_show_and_encoder_finds_the_encoder(browser_page):
    """Issue 56: a result link was named by its title and section alone (aria-labelledby), so its
    kind, place and excerpt, shown on it, were not in its name (WCAG 2.5.3, label in name); and
    "encoder" led to three positional-encoding sections."""
    page = open_page(browser_page)
    found = search(page, "encoder")
    assert found[0]["title"] == "Transformers and the attention mechanism", found[0]
    assert "encoder" in found[0]["section"].lower() and "positional" not in found[0]["section"].lower(), found[0]
    links = page.locator(".ts-search__hit a")
    for i in range(links.count()):
        shown = " ".join(links.nth(i).inner_text().split())
        expect(links.nth(i)).to_have_accessible_name(re.compile(re.escape(shown[:60])))
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "rule", "values": ["label-content-name-mismatch"]},
            "rules": {"label-content-name-mismatch": {"enabled": True}},
            "resultTypes": ["violations"],
        },
    )
    assert [n["target"] for v in results.response["violations"] for n in v["nodes"]] == []
    page.fill(".ts-search__input", "attention")
    page.wait_for_function(
        "() => document.querySelector('.ts-search__status')?.textContent.includes('attention') && "
        "document.querySelector('.ts-search__results')?.hasAttribute('aria-busy') === false",
        timeout=45_000,
    )
    top = [h["title"] for h in hits(page)[:3]]
    assert "Attention and transformers, in brief" in top, top  # not three pages of one lesson
