"""Course code blocks as a learner uses them: each copy button copies its own block, and the
code is legible in light and dark mode (WCAG AA contrast, 4.5:1, for every colour used)."""

from __future__ import annotations

import pytest

LESSON = "transformers-and-llms/attention-mechanism/"

# The text colour of each token span over the block's background, alpha blended as drawn.
COLOURS = """() => Array.from(document.querySelectorAll('article div.highlight pre code')).map(code => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const bg = parse(getComputedStyle(code).backgroundColor);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const worst = [code, ...code.querySelectorAll('span')].filter(s => s.textContent.trim()).map(s => {
    const [r, g, b, a = 1] = parse(getComputedStyle(s).color);
    const mixed = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
  return Math.min(...worst);
})"""


def test_each_copy_button_copies_its_own_block(browser_page):
    page = browser_page
    page.goto(page.base_url + LESSON)
    # a runnable block's code is shown as a plain block until a learner's intent loads the editor
    # (issue 83): the page's own code blocks are the others
    blocks = page.locator("article div.language-python.highlight:not(.ts-run__code > *)")
    assert blocks.count() >= 2
    seen = set()
    for i in range(blocks.count()):
        block = blocks.nth(i)
        button = block.locator("button.md-code__button[data-md-type='copy']")
        assert button.count() == 1, f"block {i} has no copy button"
        target = button.get_attribute("data-clipboard-target")
        copied = page.evaluate("t => document.querySelector(t).textContent", target)
        assert copied == block.locator("code").text_content()
        seen.add(target)
    assert len(seen) == blocks.count(), "two copy buttons copy the same block"
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_is_legible(browser_page, scheme):
    page = browser_page
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base_url + LESSON)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == expected
    ratios = page.evaluate(COLOURS)
    assert ratios and min(ratios) >= 4.5, ratios


LINK_CODE = """() => Array.from(document.querySelectorAll('.md-typeset a code'), (c) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  let e = c, bg = getComputedStyle(e).backgroundColor;
  while (/rgba\\(.*, 0\\)$/.test(bg) && e.parentElement) { e = e.parentElement; bg = getComputedStyle(e).backgroundColor; }
  const lum = (v) => { const [r, g, b] = v.map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(rgb(getComputedStyle(c).color)), lum(rgb(bg))].sort((x, y) => y - x);
  return [c.textContent.slice(0, 30), (a + 0.05) / (b + 0.05)];
})"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_code_in_a_link_reads_at_4_5_to_1_in_both_palettes(browser_page, scheme):
    """Issue 83: a link's code on a guide page (4.12:1 in the dark palette before)."""
    page = browser_page
    page.goto(page.base_url + "authoring/")
    if scheme == "slate":
        page.locator("form[data-md-component=palette] button[data-ts-palette]:not([hidden])").first.click()
        page.wait_for_function("() => document.body?.dataset.mdColorScheme === 'slate'")
    found = page.evaluate(LINK_CODE)
    assert found, "no code in a link on the guide page"
    assert [f for f in found if f[1] < 4.5] == [], found
