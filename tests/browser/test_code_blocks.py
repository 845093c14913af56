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
    # a runnable block's code is shown as a plain block until the editor's module has loaded and
    # replaced it (runnable.js): the page's own code blocks are those left after that
    page.wait_for_function("() => !document.querySelector('article .ts-run__code div.language-python')")
    blocks = page.locator("article div.language-python.highlight")
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
