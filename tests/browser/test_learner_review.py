"""The defects a learner's review of the built course found (issue 14), each checked in real
Chromium at the viewport where it was found: the menu drawer below 1220 px, quiz options shuffled
per learner, the heatmap's caption following its controls, progress in the sidebar and on the
track page, cross-links on every tab, figures, tables and formulas on a phone (every lesson read
on a phone once, for all three), the logo's name, math in front matter and stretchy brackets, the
solution toggle, printing from the dark palette, and objectives and prerequisites on the Lesson
tab.

Pages are found in the built site by what they hold, so the tests follow the content.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from support.sites import run_mkdocs
from support.waits import settled

# The lesson has short checks of one question after its sections; tests that walk through
# several questions use the first quiz that has at least three.
MULTI_QUIZ = "[data-widget=quiz]:has(.ts-quiz__question ~ .ts-quiz__question ~ .ts-quiz__question)"

pytestmark = pytest.mark.browser

T5L3 = "transformers-and-llms/attention-mechanism/"
T4L3 = "deep-learning-survey/attention-and-transformers/"
PHONE, TABLET, DESKTOP = (390, 844), (1024, 768), (1280, 800)


def _soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _pages(site: Path, marker: str) -> list[str]:
    return [url for url, text in _texts(site) if marker in text]


@functools.cache
def _texts(site: Path) -> tuple[tuple[str, str], ...]:
    """Each page of a built site (read once a run: five tests look for pages by what they hold)."""
    return tuple(
        (p.parent.relative_to(site).as_posix() + "/", p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("index.html"))
    )


def _open(page, url: str, size=DESKTOP, scheme: str = "light"):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base_url + url)
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-widget]:not([data-widget=exercise]):not([data-widget=runnable])')]"
        ".every(w => w.hasAttribute('data-ts-ready'))"
    )
    return page


# -- 1. the menu drawer below 1220 px ---------------------------------------------------------

DRAWER_JS = """() => {
  const nav = document.querySelector('.md-sidebar--primary .ts-nav');
  const scroller = nav.querySelector(':scope > .md-nav__list');
  const check = (el) => {
    el.scrollIntoView({block: 'center'});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 40), r.top + r.height / 2);
    return {text: el.textContent.trim().replace(/\\s+/g, ' '), top: r.top + scroller.scrollTop,
            bottom: r.bottom + scroller.scrollTop, width: r.width, height: r.height,
            hit: !!hit && (hit === el || el.contains(hit))};
  };
  const q = (sel) => [...nav.querySelectorAll(sel)].map(check);
  return {switch: q('.ts-nav__switch a'), track: q('.ts-nav__track a'),
          phases: q('.ts-nav__phase-title'), lessons: q('li[data-nav-lesson] > a'),
          toc: q('.ts-nav__toc a')};
}"""


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390px", "1024px"])
def test_drawer_shows_phases_and_every_lesson(browser_page, built_site, size):
    page = _open(browser_page, T5L3, size)
    page.locator("label.md-header__button[for=__drawer]").click()
    settled(page)  # the drawer slides in
    found = page.evaluate(DRAWER_JS)
    expected = [a.get_text(" ", strip=True) for a in _soup(built_site, T5L3).select("li[data-nav-lesson] > a")]
    assert len(found["lessons"]) == len(expected) >= 5
    for kind in ("switch", "track", "phases", "lessons"):
        assert found[kind], kind
        for item in found[kind]:
            assert item["hit"] and item["width"] > 50 and item["height"] > 10, (kind, item)
    assert found["switch"][0]["text"].startswith("Switch track")
    numbers = [int(re.match(r"Phase (\d+)", p["text"]).group(1)) for p in found["phases"]]
    assert numbers == list(range(1, len(numbers) + 1)), "phases in order"
    boxes = sorted(found["switch"] + found["track"] + found["phases"] + found["lessons"], key=lambda b: b["top"])
    for a, b in zip(boxes, boxes[1:]):
        assert a["bottom"] <= b["top"] + 1, f"{a['text']!r} overlaps {b['text']!r}"
    lesson_numbers = [int(re.match(r"(\d+)\.", item["text"]).group(1)) for item in found["lessons"]]
    assert lesson_numbers == sorted(lesson_numbers), "lessons in order"
    # the phone's drawer carries the page's contents; the tablet shows the contents sidebar
    headings = [
        a.get_text(strip=True)
        for a in _soup(built_site, T5L3).select(
            ".md-sidebar--secondary .md-nav--secondary > .md-nav__list > .md-nav__item > a"
        )
    ]
    if size == PHONE:
        assert [t["text"] for t in found["toc"]] == headings and all(t["hit"] for t in found["toc"])
    else:  # the contents sidebar shows beside the page, so the drawer does not repeat it
        assert page.locator(".md-sidebar--secondary").is_visible()
        assert page.locator(".ts-nav .ts-nav__toc").count() == 1
        assert not page.locator(".ts-nav .ts-nav__toc").is_visible()
    first = page.locator(".md-sidebar--primary li[data-nav-lesson] > a").first
    first.scroll_into_view_if_needed()
    first.click()
    page.wait_for_load_state("load")
    assert page.url != page.base_url + T5L3
    assert page.locator("h1").first.inner_text().strip() == expected[0].split(". ", 1)[1].strip()


def test_drawer_of_a_page_that_is_not_a_lesson_lists_then_shows_its_contents(browser_page, built_site):
    """A guide page's contents come after the drawer's links, not drawn over them."""
    urls = _pages(built_site, "ts-nav__page-toc")
    if not urls:
        pytest.skip("no page outside the lessons has a table of contents in this build")
    page = _open(browser_page, urls[0], PHONE)
    page.locator("label.md-header__button[for=__drawer]").click()
    settled(page)
    screens = page.evaluate("""async () => {
      const nav = document.querySelector('.md-sidebar--primary .ts-nav');
      const scroller = nav.querySelector(':scope > .md-nav__list');
      const look = () => [...nav.querySelectorAll('.md-nav__link')].map(el => {
        const r = el.getBoundingClientRect();
        const edge = Math.max(0, scroller.getBoundingClientRect().top);  /* below the drawer's title */
        if (r.top < edge || r.top >= innerHeight || r.height === 0) return null;
        const y = Math.max(r.top, 0) + (Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)) / 2;
        const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 40), y);
        return {text: el.textContent.trim(), top: r.top, bottom: r.bottom, hit: !!hit && (hit === el || el.contains(hit))};
      }).filter(Boolean);
      const first = look();
      scroller.scrollTop = scroller.scrollHeight;
      await new Promise(r => requestAnimationFrame(r));
      return [first, look()];
    }""")
    for shown in screens:  # the drawer's first screen, then its end
        inside = [b for b in shown if b["top"] >= 0 and b["bottom"] <= page.viewport_size["height"]]
        assert len(inside) > 3 and all(b["hit"] for b in inside), [b for b in inside if not b["hit"]]
        for a, b in zip(shown, shown[1:]):
            assert a["bottom"] <= b["top"] + 1, f"{a['text']!r} overlaps {b['text']!r}"
    assert screens[0][0]["text"].startswith("All tracks")
    toc = [b["text"] for b in screens[1]]
    assert "On this page" in [b["text"] for s in screens for b in s] and toc[-1] != "On this page"


# -- 2. quiz options shuffled per learner ------------------------------------------------------

POSITIONS_JS = """() => [...document.querySelectorAll('[data-widget=quiz] .ts-quiz__question')].map(q => {
  const correct = [...q.querySelectorAll('.ts-quiz__explanation')].map(x => x.dataset.correct === 'true');
  const inputs = [...q.querySelectorAll('.ts-quiz__input')];
  const tops = inputs.map(i => i.getBoundingClientRect().top);
  return {order: inputs.map(i => Number(i.value)),
          correct: inputs.map((i, n) => correct[Number(i.value)] ? n : -1).filter(n => n >= 0),
          topsIncrease: tops.every((t, n) => n === 0 || t > tops[n - 1])};
})"""


def _learner(page, learner: str):
    return page.add_init_script(
        f"try {{ localStorage.setItem('tracksite:learner', "
        f"JSON.stringify({{id: {json.dumps(learner)}}})); }} catch (e) {{}}"
    )


def _quiz_orders(page, urls, learner) -> dict[str, list]:
    """The quizzes' orders `learner` sees, as in a browser of their own: the site's storage wiped
    as a new profile has it, the learner's id stored before the site's scripts run."""
    page.goto("about:blank")
    page.wipe_storage()
    learner_id = _learner(page, learner)
    out = {}
    for url in urls:
        _open(page, url)
        out[url] = page.evaluate(POSITIONS_JS)
    learner_id.close()
    return out


def _one_of_each_kind(site: Path, urls: list[str]) -> list[str]:
    """The lightest page (the fewest bytes) of each kind among `urls`: a lesson, an exercise pack
    (a track's page that is no lesson), a guide (a page outside the tracks). quiz.js seeds each
    question's order by the learner, the quiz's key and the question's place, in the same code on
    every page: what differs from page to page is the key (a lesson's, a pack's, a guide's) and
    the markup around the quizzes, so a page of each kind shows the shuffle as every page of that
    kind does. Loading every quiz page (20) cost 21.6 of this test's processor seconds."""
    texts = dict(_texts(site))
    tracks = {url.split("/")[0] for url, text in texts.items() if "ts-page--lesson" in text}
    kinds: dict[str, str] = {}
    for url in sorted(urls, key=lambda url: (len(texts[url]), url)):
        kind = "lesson" if "ts-page--lesson" in texts[url] else "pack" if url.split("/")[0] in tracks else "guide"
        kinds.setdefault(kind, url)
    return sorted(kinds.values())


def test_quiz_correct_option_is_spread_stable_and_per_learner(browser_page, built_site):
    urls = _pages(built_site, 'data-widget="quiz"')
    assert urls
    # without JavaScript (and in print) every page shows the build's fixed shuffle: the right
    # answer is not always first there either, and the answers list follows the options' order
    built, built_orders = {}, {}
    for url in urls:
        built[url], built_orders[url] = [], []
        for q in _soup(built_site, url).select(".ts-quiz__question"):
            values = [int(i["value"]) for i in q.select(".ts-quiz__input")]
            explained = q.select(".ts-quiz__explanation")
            assert sorted(values) == list(range(len(values)))
            assert [int(x["data-option"]) for x in explained] == values
            built[url].append([n for n, x in enumerate(explained) if x["data-correct"] == "true"])
            built_orders[url].append(values)
    no_js_first = [c[0] for qs in built.values() for c in qs if len(c) == 1]
    assert no_js_first.count(0) < len(no_js_first) * 0.6 and len(set(no_js_first)) >= 3, no_js_first
    shown = _one_of_each_kind(built_site, urls)
    assert len(shown) == 3 and any("exercises" in url for url in shown), shown
    a = _quiz_orders(browser_page, shown, "learner-a")
    questions = [q for url in shown for q in a[url]]
    assert len(questions) >= 50
    assert [len(a[url]) for url in shown] == [len(built[url]) for url in shown]
    # the learner's order is reshuffled from the build's
    orders = [o for url in shown for o in built_orders[url]]
    assert sum(q["order"] != b for q, b in zip(questions, orders)) > len(questions) / 3
    assert all(q["topsIncrease"] for q in questions), "screen order is DOM order (no CSS order)"
    singles = [q for q in questions if len(q["correct"]) == 1]
    first = [q["correct"][0] for q in singles]
    used = {p: first.count(p) for p in set(first)}
    assert used.get(0, 0) < len(first) * 0.6, used
    smallest = min(len(q["order"]) for q in singles)
    assert set(range(smallest)) <= set(used), f"every position holds a right answer somewhere: {used}"
    multi = [q for q in questions if len(q["correct"]) > 1]
    if multi:
        assert any(q["correct"] != list(range(len(q["correct"]))) for q in multi)
    # the same learner sees the same order after a reload (wiped storage, the same id), and another
    # learner another order: on the two of those pages lightest to load (the fewest bytes; the
    # pack alone costs as much as both)
    texts = dict(_texts(built_site))
    light = sorted(shown, key=lambda url: (len(texts[url]), url))[:2]
    again = _quiz_orders(browser_page, light, "learner-a")
    assert all([q["order"] for q in again[u]] == [q["order"] for q in a[u]] for u in light)
    b = _quiz_orders(browser_page, light, "learner-b")
    assert any([q["order"] for q in b[u]] != [q["order"] for q in a[u]] for u in light)


def test_quiz_retries_one_question_only(browser_page):
    page = browser_page
    _learner(page, "learner-retry")
    _open(page, T5L3, PHONE)
    root = page.locator(MULTI_QUIZ).first
    first, second = root.locator(".ts-quiz__question").nth(0), root.locator(".ts-quiz__question").nth(1)
    total = root.locator(".ts-quiz__question").count()
    for q in (first, second):
        q.locator(".ts-quiz__input").first.check()
        q.get_by_role("button", name="Check answer").click()
    assert "(2 of" in root.locator(".ts-quiz__score").inner_text()
    retry = first.get_by_role("button", name="Try this question again")
    assert retry.is_visible() and first.locator(".ts-quiz__input").first.is_disabled()
    retry.click()
    assert not first.locator(".ts-quiz__input:checked").count()
    assert first.locator(".ts-quiz__input").first.is_enabled()
    assert first.locator(".ts-quiz__note:visible").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('ts-quiz__input')")
    assert second.locator(".ts-quiz__note:visible").count() > 0, "the other answer stays"
    assert root.locator(".ts-quiz__score").inner_text().endswith(f"(1 of {total} answered)")
    page.reload()
    _open(page, T5L3, PHONE)
    root = page.locator(MULTI_QUIZ).first
    assert root.locator(".ts-quiz__question").nth(0).locator(".ts-quiz__note:visible").count() == 0
    assert root.locator(".ts-quiz__question").nth(1).locator(".ts-quiz__note:visible").count() > 0
    assert not page.console_errors


# -- 5. the heatmap describes what is on screen -------------------------------------------------


def _heat(root) -> dict:
    return root.evaluate("""r => ({
      caption: r.querySelector('.ts-attn__caption').textContent,
      sentence: r.querySelector('.ts-attn__sentence').textContent,
      compare: (r.querySelector('.ts-attn__compare') || {}).textContent,
      tableCaption: r.querySelector('.ts-attn__table caption').textContent,
      table: [...r.querySelectorAll('.ts-attn__table tbody tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]),
      tokens: [...r.querySelectorAll('.ts-tok')].map(b => [b.querySelector('.ts-tok__text').textContent, b.querySelector('.ts-tok__w').textContent]),
      focus: (r.querySelector('.ts-tok[aria-pressed=true] .ts-tok__text') || {}).textContent})""")


def _agrees(state: dict, where: str):
    """Caption, table and tokens tell the same story: the named weight is the one on screen."""
    assert state["caption"].startswith(where), (where, state["caption"])
    assert state["tableCaption"].startswith(f"Attention from \u201c{state['focus']}\u201d: {where}")
    assert state["table"] == state["tokens"]
    m = re.search(r"\u201c(.+?)\u201d puts ([\d.]+) of its attention on \u201c(.+?)\u201d", state["caption"])
    assert m and m.group(1) == state["focus"], state["caption"]
    assert m.group(2) in [w for t, w in state["tokens"] if t == m.group(3)], "the named weight is on screen"
    others = [float(w) for t, w in state["tokens"] if t != state["focus"]]
    assert float(m.group(2)) == max(others), "and it is the largest"


def test_heatmap_caption_follows_every_control(browser_page):
    page = _open(browser_page, T5L3, DESKTOP)
    root = page.locator("[data-widget=attention]").first
    root.scroll_into_view_if_needed()
    page.wait_for_selector("[data-widget=attention] .ts-tok")
    config = json.loads(root.get_attribute("data-config"))
    opening = _heat(root)
    authored = opening["caption"]
    layer, head = root.locator(".ts-attn__select").nth(0), root.locator(".ts-attn__select").nth(1)

    if len(config["sets"]) > 1:  # the other sentence: the lines swap, the caption follows
        root.locator(".ts-attn__sets input").nth(1).check()
        state = _heat(root)
        assert state["sentence"] != opening["sentence"] and state["compare"] == opening["sentence"].replace(
            "Sentence:", "Compare with:"
        )
        assert state["caption"] != authored
        _agrees(state, f"Layer {config['layer'] + 1}, head {config['head'] + 1}")
    layer.select_option("4")
    _agrees(_heat(root), f"Layer 5, head {config['head'] + 1}")
    head.select_option("0")
    _agrees(_heat(root), "Layer 5, head 1")
    root.locator(".ts-tok", has=page.locator(".ts-tok__text", has_text=re.compile(r"^animal$"))).first.click()
    state = _heat(root)
    assert state["focus"] == "animal"
    _agrees(state, "Layer 5, head 1")
    head.select_option("avg")
    _agrees(_heat(root), "Layer 5, average of heads")

    hide = root.get_by_label("Hide [CLS] and [SEP]")
    hide.check()
    state = _heat(root)
    names = [t for t, _ in state["tokens"]]
    assert "[CLS]" not in names and "[SEP]" not in names and "animal" in names
    assert abs(sum(float(w) for _, w in state["tokens"]) - 1) < 0.02, "rescaled to sum to 1"
    assert "rescaled to sum to 1" in state["caption"] and "rescaled" in state["tableCaption"]
    _agrees(state, "Layer 5, average of heads")
    hide.uncheck()
    assert "[CLS]" in [t for t, _ in _heat(root)["tokens"]]

    # back to the opening view: the build's own caption again
    if len(config["sets"]) > 1:
        root.locator(".ts-attn__sets input").nth(0).check()
    layer.select_option(str(config["layer"]))
    head.select_option(str(config["head"]))
    root.locator(
        ".ts-tok", has=page.locator(".ts-tok__text", has_text=re.compile("^" + re.escape(config["focus"]) + "$"))
    ).first.click()
    back = _heat(root)
    assert back["caption"] == authored and back["sentence"] == opening["sentence"]
    assert not page.console_errors


# -- 6. progress: sidebar tick, "Continue", reset ----------------------------------------------


def test_progress_ticks_sidebar_continues_and_resets(browser_page, built_site):
    page = _open(browser_page, "transformers-and-llms/", DESKTOP)
    reset = page.locator("[data-progress-reset]")
    start = page.locator("[data-continue-track] a")
    assert start.inner_text().startswith("Start with Lesson 1")
    assert reset.is_hidden(), "nothing to reset at 0 progress"
    lessons = page.locator("li.ts-lessons__item")
    first_url = lessons.nth(0).locator("h3 a").get_attribute("href")
    second_title = lessons.nth(1).locator("h3 a").inner_text()
    second_href = lessons.nth(1).locator("h3 a").evaluate("a => a.href")  # resolved: Continue writes it whole

    page.goto(page.base_url + "transformers-and-llms/" + first_url)
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Mark lesson complete").click()
    key = page.locator("[data-widget=progress]").get_attribute("data-lesson")
    tick = page.locator(f'.md-sidebar--primary li[data-nav-lesson="{key}"] .ts-progress__done')
    assert tick.is_visible() and "completed" in tick.inner_text()

    _open(page, "transformers-and-llms/", DESKTOP)
    assert start.inner_text() == f"Continue: Lesson 2, {second_title}"
    assert start.evaluate("a => a.href") == second_href
    assert reset.is_visible()
    bar = page.locator(".ts-progress-track progress").bounding_box()
    button = reset.bounding_box()
    assert abs((bar["y"] + bar["height"] / 2) - (button["y"] + button["height"] / 2)) < 3, "on the bar's axis"
    reset.click()
    reset.click()
    assert reset.is_hidden()
    expect(start).to_have_text(re.compile(r"^Start with Lesson 1"))  # learner.js redraws it after the click
    assert page.evaluate("document.activeElement.matches('[data-continue-track] a')")
    assert not page.console_errors


# -- 7. cross-links on every tab ----------------------------------------------------------------


@pytest.mark.parametrize("tab", ["", "overview/", "cheatsheet/"])
def test_go_deeper_and_brief_version_on_every_tab(browser_page, tab):
    page = _open(browser_page, T4L3 + tab, DESKTOP)
    deeper = page.locator("aside.ts-crosslinks--deeper")
    assert deeper.is_visible()
    link = deeper.locator("a").first
    assert "transformers-and-llms/attention-mechanism" in link.get_attribute("href")
    assert "Track 5" in deeper.inner_text()
    page = _open(browser_page, T5L3 + tab, DESKTOP)
    brief = page.locator("aside.ts-crosslinks--brief")
    assert brief.is_visible() and "deep-learning-survey/attention-and-transformers" in brief.locator(
        "a"
    ).first.get_attribute("href")


# -- 8. figures and tables on a phone ------------------------------------------------------------


def _svg_min_label(site: Path, url: str, src: str) -> tuple[float, float]:
    text = (site / url / src).read_text(encoding="utf-8")
    width = float(re.search(r'viewBox="[\d.\s-]+?\s([\d.]+)\s[\d.]+"', text).group(1))
    sizes = [float(s) for s in re.findall(r'font-size[=:]\s*"?([\d.]+)', text)]
    return width, min(sizes) if sizes else 12.0


def lesson_urls() -> list[str]:
    from support.course import REPO, load

    project = load(REPO, include_drafts=False)
    return [f"{l.track}/{l.slug}/" for l in project.curriculum.all_lessons()]


#: a content image (widgets.js makes a figure of a paragraph holding one alone); the favicon's
#: <link> is no <img>. (The test once looked for '.svg"', which every page's favicon link holds:
#: it loaded every overview, which holds no table and no figure, and no lesson, which hold the
#: figures, so not one figure was ever checked.)
FIGURE_IMG = re.compile(r'<img [^>]*src="[^"]+\.svg"')

#: what the figure and table checks read on a phone, before any <details> is opened
FIGURES_JS = """() => {
  const visible = (el) => !!el && el.checkVisibility({visibilityProperty: true}) && el.getBoundingClientRect().width > 0;
  const figures = [...document.querySelectorAll('.md-content .ts-figure img')].map(img => {
    const region = img.parentElement;
    let next = region.nextElementSibling;
    while (next && next.tagName !== 'P') next = next.nextElementSibling;
    const more = next ? next.querySelector('a') : null;
    return {src: img.getAttribute('src'), shown: img.getBoundingClientRect().width,
            tabindex: region.getAttribute('tabindex'), role: region.getAttribute('role'),
            more: visible(more), href: more ? more.getAttribute('href') : null};
  });
  const wraps = [...document.querySelectorAll('.md-content .md-typeset__scrollwrap')].map(w => ({
    fits: w.scrollWidth <= w.clientWidth + 1, tabindex: w.getAttribute('tabindex'), cls: w.getAttribute('class') || ''}));
  return {figures, wraps};
}"""

CLIPPED_MATH_JS = """() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  for (const m of document.querySelectorAll('.md-content math')) {
    const r = m.getBoundingClientRect();
    if (!r.width || r.right <= vw + 1) continue;
    // wider than the screen: some ancestor must scroll it, and take the keyboard to do so
    let scroller = null;
    for (let e = m.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth) { scroller = e; break; }
    }
    if (!scroller) out.push(`${m.getAttribute('aria-label') || m.textContent.slice(0, 40)}: ${Math.round(r.width)} px, clipped`);
    else if (scroller.tabIndex < 0) out.push(`${m.getAttribute('aria-label')}: scrolls, but not with the keyboard`);
    else if (!scroller.getAttribute('aria-label') && !scroller.getAttribute('role')) out.push(`${m.getAttribute('aria-label')}: its scroll region has no name`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone_walk(chromium, site_url, built_site) -> dict[str, dict]:
    """Every lesson, and every page of a track with a table or a figure, read once on a phone
    (390 px, the light palette, a context of its own with empty storage): its figures and tables
    as first shown, then, every <details> opened, its formulas that do not fit; and its script
    errors. The figure and formula tests read the same pages at the same size, and each loaded
    them itself (the 17 lessons twice: 21.9 processor seconds between the two tests)."""
    tracks = {url.split("/")[0] for url in lesson_urls()}
    urls = set(lesson_urls()) | {
        url
        for url, text in _texts(built_site)
        if url.split("/")[0] in tracks and ("<table" in text or FIGURE_IMG.search(text))
    }
    context = chromium.new_context()
    page, errors = context.new_page(), []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.base_url = site_url
    found = {}
    try:
        for url in sorted(urls):
            errors.clear()
            _open(page, url, PHONE)
            settled(page)
            facts = page.evaluate(FIGURES_JS)
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            found[url] = {**facts, "math": page.evaluate(CLIPPED_MATH_JS), "errors": list(errors)}
    finally:
        context.close()
    return found


def test_figures_and_tables_stay_readable_on_a_phone(phone_walk, built_site):
    texts = dict(_texts(built_site))
    with_figures = [url for url in phone_walk if FIGURE_IMG.search(texts[url])]
    assert with_figures and any("<table" in texts[url] for url in phone_walk)
    figures = tables = 0
    for url, shown in sorted(phone_walk.items()):
        for fig in shown["figures"]:
            src = fig["src"]
            width, smallest = _svg_min_label(built_site, url, src)
            assert fig["shown"] / width * smallest >= 9.5, f"{url}{src}: labels {fig['shown'] / width * smallest:.1f}px"
            assert fig["tabindex"] == "0" and fig["role"] == "region", (url, fig)
            assert fig["more"] and fig["href"] == src, (url, fig)
            figures += 1
        for wrap in shown["wraps"]:
            if not wrap["fits"]:
                assert wrap["tabindex"] == "0" and "ts-scrolls" in wrap["cls"], (url, wrap)
            tables += 1
        assert not shown["errors"], (url, shown["errors"])
    # each page with a diagram shows it as a figure (widgets.js), and the course's tables are checked
    assert figures >= len(with_figures) and tables >= 10, (figures, tables)
    # the course's tables fit a phone once their cells wrap
    assert all(wrap["fits"] for wrap in phone_walk[T5L3]["wraps"]) and phone_walk[T5L3]["wraps"]


def test_no_formula_is_clipped_on_a_phone(phone_walk):
    """A formula wider than a phone scrolls in a region the keyboard reaches and that has a name
    (every lesson, every <details> open)."""
    lessons = lesson_urls()
    assert lessons and set(lessons) <= set(phone_walk)
    problems = [f"{url}: {p}" for url in lessons for p in phone_walk[url]["math"]]
    assert not problems, "\n".join(problems)


# -- 9. the logo is a named home link ----------------------------------------------------------


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_logo_is_a_home_link(browser_page, size):
    page = _open(browser_page, T5L3, size)
    logo = page.locator(".md-header a.md-logo")
    if size == DESKTOP:
        assert logo.is_visible()
        assert page.get_by_role("link", name="Home", exact=True).first.is_visible()
    assert logo.get_attribute("aria-label") == "Home"
    assert page.locator(".ts-nav a.md-logo").get_attribute("aria-label") == "Home"


# -- 10. math -----------------------------------------------------------------------------------


def test_brackets_stretch_around_a_fraction(browser_page):
    page = _open(browser_page, T5L3, DESKTOP)
    sizes = page.evaluate("""() => {
      const m = [...document.querySelectorAll('math')].find(m => m.querySelector('mfrac') && m.querySelector('mo[stretchy=true]'));
      const mo = m.querySelector('mo[stretchy=true]'), frac = m.querySelector('mfrac');
      return [mo.getBoundingClientRect().height, frac.getBoundingClientRect().height];
    }""")
    assert sizes[0] >= 0.85 * sizes[1], sizes


def test_math_in_front_matter_renders_and_the_rest_is_escaped(course, chromium, serve_site):
    lesson = course / "lessons/alpha/a1/lesson.md"
    text = lesson.read_text(encoding="utf-8").replace(
        "  - do the thing\n",
        "  - divide by $\\sqrt{d_k}$ and keep <b>tags</b> as text, at \\$5\n  - scale by d_k, not by max_tokens\n",
        1,
    )
    lesson.write_text(text, encoding="utf-8")
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    for url in ("alpha/a1/overview/", "alpha/a1/"):
        item = _soup(course / "site", url).select_one(".ts-objectives li")
        assert item.find("math") is not None and item.find("msub") is not None
        assert item.find("b") is None and "<b>tags</b>" in item.get_text()
        assert "$" not in item.get_text().replace("$5", "") and "$5" in item.get_text()
        bare = _soup(course / "site", url).select(".ts-objectives li")[1]
        assert bare.find("msub") is not None and "d_k" not in bare.get_text() and "max_tokens" in bare.get_text()
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve_site(course / "site") + "alpha/a1/overview/")
    math = page.locator(".ts-objectives li math").first
    assert math.is_visible() and math.bounding_box()["height"] > 8
    context.close()


RAW_TEX_JS = r"""() => {
  const raw = /\b[A-Za-z]_[A-Za-z0-9{]|\$|\\[a-z]+/;
  /* the widgets and the front matter's strings (the body's prose is the author's Markdown) */
  const parts = document.querySelectorAll('.md-content :is([data-widget], .ts-objectives, .ts-questions, ' +
    '.ts-keypoints, .ts-crosslinks, .ts-prereqs, .ts-lede)');
  const found = [];
  for (const part of parts) {
    const walk = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      /* code is code: in <code>, <pre> or the code editor (CodeMirror's lines are plain divs) */
      if (n.parentElement.closest('math, code, pre, script, style, .cm-editor')) continue;
      if (raw.test(n.textContent)) found.push(n.textContent.trim().slice(0, 80));
    }
  }
  return found;
}"""


@pytest.mark.parametrize(
    "url", [T5L3, "transformers-and-llms/positional-encoding/", "transformers-and-llms/tokens-and-embeddings/overview/"]
)
def test_no_raw_tex_in_widgets_or_front_matter(browser_page, url):
    """Objectives, quiz options and explanations, flashcards and the worked steps show math as
    math, also after answering and flipping (their texts are copied into notes and cards)."""
    page = _open(browser_page, url, PHONE)
    for quiz in page.locator("[data-widget=quiz]").all():
        for q in quiz.locator(".ts-quiz__question").all():
            q.locator(".ts-quiz__input").first.check()
            q.get_by_role("button", name="Check answer").click()
    for cards in page.locator("[data-widget=flashcards]").all():
        total = int(re.search(r"of (\d+)", cards.locator(".ts-cards__count").inner_text()).group(1))
        for _ in range(total):
            cards.locator(".ts-cards__card").click()  # the answer side
            assert page.evaluate(RAW_TEX_JS) == []
            cards.get_by_role("button", name="Next").click()
    assert page.evaluate(RAW_TEX_JS) == []
    assert page.locator(".md-content math").count() > 0
    assert not page.console_errors


# -- 11. the solution toggle --------------------------------------------------------------------


def test_open_solution_says_hide(browser_page, built_site):
    url = _pages(built_site, "ts-solution")[0]
    page = _open(browser_page, url, PHONE)
    summary = page.locator(".ts-solution > summary").first
    summary.scroll_into_view_if_needed()
    assert summary.inner_text().strip() == "Show solution"
    summary.click()
    assert summary.inner_text().strip() == "Hide solution"
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.inner_text().strip() == "Show solution"


# -- 12. printing from the dark palette --------------------------------------------------------


def test_cheatsheet_prints_light_from_the_dark_palette(browser_page):
    page = _open(browser_page, T5L3 + "cheatsheet/", DESKTOP, scheme="dark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.evaluate("""() => [document.documentElement, document.body,
      document.querySelector('.md-container'), document.querySelector('.md-main')].map(
      e => getComputedStyle(e).backgroundColor)""")
    assert all(c in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)") for c in colours), colours
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == "rgb(255, 255, 255)"
    text = page.evaluate("getComputedStyle(document.querySelector('.ts-page--cheatsheet p')).color")
    assert text in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)"), text
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")


# -- 13. objectives on the Lesson tab, prerequisites in course order ---------------------------


def test_lesson_tab_has_objectives_and_ordered_prerequisites(browser_page, built_site):
    overview = [
        li.get_text(" ", strip=True) for li in _soup(built_site, T5L3 + "overview/").select(".ts-objectives li")
    ]
    page = _open(browser_page, T5L3, PHONE)
    box = page.locator("details.ts-objectives--compact")
    assert box.is_visible()
    assert box.locator("summary").inner_text().startswith("In this lesson you will")
    box.locator("summary").click()
    shown = [t.strip() for t in box.locator("li").all_inner_texts()]
    assert len(shown) == len(overview) >= 1
    where = re.findall(r"\(Track (\d+), Lesson (\d+)\)", page.locator(".ts-prereqs").inner_text())
    assert len(where) >= 2 and where == sorted(where, key=lambda w: (int(w[0]), int(w[1])))
