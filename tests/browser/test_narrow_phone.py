"""Issue 83, on a touch phone 320 px and 390 px wide, light and dark (WCAG 1.4.10 reflow, 2.1.1):
the page never scrolls sideways (the home page's track cards asked for 16rem, 320 px, in a 288 px
column, and a lesson's three tabs did not wrap: 16 and 20 px sideways), and every region that
scrolls sideways (code, tables, formulas, figures) is reachable by keyboard (bar 44)."""

from __future__ import annotations

import pytest

from support.course import lesson_md, write
from support.sites import run_mkdocs
from support.waits import settled

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "transformers-and-llms/",
    "transformers-and-llms/attention-mechanism/",
    "transformers-and-llms/scaling-and-context/",
    "transformers-and-llms/tokens-and-embeddings/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 390])
def test_no_sideways_scroll_and_every_scrolling_region_is_focusable(site_page, width, scheme):
    page = site_page(viewport={"width": width, "height": 800}, has_touch=True, is_mobile=True, device_scale_factor=2)
    page.emulate_media(color_scheme=scheme)
    for url in PAGES:
        page.goto(page.base_url + url)
        page.wait_for_load_state("load")
        page.wait_for_function(
            "() => !document.querySelector('[data-widget]:not([data-ts-ready]):not([data-widget=exercise])"
            ":not([data-widget=runnable])')"
        )
        settled(page)
        found = page.evaluate(
            """() => {
              const d = document.documentElement;
              const scrollers = [...document.querySelectorAll('body *')].filter((e) =>
                /(auto|scroll)/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1 && e.getClientRects().length);
              const focusable = 'a[href], button, input, select, textarea, [tabindex="0"]';
              return {
                sideways: d.scrollWidth - d.clientWidth,
                scrollers: scrollers.length,
                unreachable: scrollers.filter((e) => e.tabIndex < 0 && !e.querySelector(focusable))
                  .map((e) => e.tagName + '.' + e.className),
              };
            }"""
        )
        assert found["sideways"] == 0, (url or "home", width, found)
        assert found["unreachable"] == [], (url or "home", width, found)
    assert page.console_errors == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_attention_heatmap_never_widens_the_page(site_page, width):
    """Its table (the text that stands for the heatmap) was 325 px wide in a 288 px column: before
    the heatmap loads (when the widget comes near) and after, for screen readers only."""
    page = site_page(viewport={"width": width, "height": 800}, has_touch=True, is_mobile=True, device_scale_factor=2)
    page.goto(page.base_url + "transformers-and-llms/attention-mechanism/")
    page.wait_for_load_state("load")
    settled(page)
    sideways = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.locator(".ts-attn__table:not(.ts-sr)").count() > 0, "the heatmap should load only near the viewport"
    assert page.evaluate(sideways) == 0
    page.locator("figure.ts-attn").first.scroll_into_view_if_needed()
    page.wait_for_selector(".ts-attn__table.ts-sr", state="attached")
    settled(page)
    assert page.evaluate(sideways) == 0
    assert page.console_errors == []


#: Before the page's scripts: each size widgets.js reads of a table's, figure's or formula's box
#: (R) and each change it makes to one (W), in order. A read after a write makes the browser lay
#: the page out again on the spot.
SIZES_AND_CHANGES_JS = """(() => {
  const log = window.__tsSizes = [];
  const ours = (e) => e instanceof Element && e.matches(
    '.md-typeset__scrollwrap, .ts-figure, .ts-math, .ts-math-wide, .ts-map__scroll, math');
  const wrap = (proto, name, mark) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    const key = d.get ? 'get' : d.set && mark === 'W' ? 'set' : 'value';
    Object.defineProperty(proto, name, {...d, [key]: function (...args) {
      if (ours(this.ownerElement || this)) log.push(mark);
      return d[key].apply(this, args);
    }});
  };
  for (const n of ['scrollWidth', 'clientWidth']) wrap(Element.prototype, n, 'R');
  wrap(Element.prototype, 'getBoundingClientRect', 'R');
  for (const n of ['setAttribute', 'removeAttribute', 'before']) wrap(Element.prototype, n, 'W');
  wrap(HTMLElement.prototype, 'tabIndex', 'W');
  const toggle = DOMTokenList.prototype.toggle;
  const owners = new WeakMap();
  const classList = Object.getOwnPropertyDescriptor(Element.prototype, 'classList');
  Object.defineProperty(Element.prototype, 'classList', {...classList, get() {
    const list = classList.get.call(this); owners.set(list, this); return list; }});
  DOMTokenList.prototype.toggle = function (...args) {
    if (ours(owners.get(this))) log.push('W');
    return toggle.apply(this, args);
  };
})();"""


def test_scrolling_regions_are_measured_before_any_is_changed(course, chromium, serve_site):
    """widgets.js marks each table, figure and formula wider than a phone's column as a region
    that scrolls: it read one's size, changed it, read the next, so the browser laid the page out
    again once per region (five times on the exercise pack). Every size is read first and every
    change made after: at most one read follows a change (a wrapped formula's column measured
    again), however many regions there are."""
    row = "| " + " | ".join(f"column{i}heading" for i in range(8)) + " |\n"
    table = row + "|" + "---|" * 8 + "\n" + row.replace("heading", "value") + "\n"
    formula = "A formula $" + " + ".join(f"x_{{{i}}} y_{{{i}}}" for i in range(30)) + "$ inline.\n\n"
    body = "## Wide\n\n" + (table + formula) * 4 + "Words to read. " * 40 + "\n"
    lesson = lesson_md("First lesson", body=body).replace("math: none", "math: light")
    write(course, "lessons/alpha/a1/lesson.md", lesson)
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    try:
        context.add_init_script(SIZES_AND_CHANGES_JS)
        page = context.new_page()
        page.goto(serve_site(course / "site") + "alpha/a1/")
        regions = ".md-content .md-typeset__scrollwrap.ts-scrolls[role=region][tabindex='0']"
        page.wait_for_function(
            f'() => document.querySelectorAll("{regions}").length === 4 && '
            "document.querySelectorAll('.md-content .ts-math-wide.ts-scrolls[role=region]').length === 4"
        )
        labels = page.eval_on_selector_all("[role=region][aria-label]", "els => els.map(e => e.ariaLabel)")
        assert len(labels) == 8 and len(set(labels)) == 8, labels
        log = "".join(page.evaluate("window.__tsSizes"))
        assert log.count("W") >= 8, log  # (the recorder sees widgets.js's changes)
        assert log.count("WR") <= 1, log
    finally:
        context.close()
