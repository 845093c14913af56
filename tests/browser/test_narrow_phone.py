"""Issue 83, on a touch phone 320 px and 390 px wide, light and dark (WCAG 1.4.10 reflow, 2.1.1):
the page never scrolls sideways (the home page's track cards asked for 16rem, 320 px, in a 288 px
column, and a lesson's three tabs did not wrap: 16 and 20 px sideways), and every region that
scrolls sideways (code, tables, formulas, figures) is reachable by keyboard (bar 44)."""

from __future__ import annotations

import pytest

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
