"""Accessibility of the built course in real Chromium: axe-core with the WCAG 2.2 AA rules, in
the light and the dark palette (every rule in light, the colour rules in dark: the same DOM,
other styles; see support/axe.py), plus what axe's WCAG rules leave out: headings in order, images
with alt text, links that say where they go, and a visible keyboard focus.

Pages: the home page, both track pages, and the overview, lesson and cheatsheet of Track 4
lesson 3 (deep-learning-survey/attention-and-transformers) and Track 5 lesson 3
(transformers-and-llms/attention-mechanism); every axe rule on the 404 page too, on the load its
code-token test uses. The palette follows the system's colour scheme
(mkdocs.yml uses media-query palettes), so emulating `prefers-color-scheme` switches it.

A violation names the page, the palette, the rule and the offending markup. The sentinel tests
at the end show that each check fails on markup that breaks it.
"""

from __future__ import annotations

import re

import pytest

from support.axe import (
    SCHEMES,
    TOKEN_CLASSES,
    axe_in,
    axe_violations,
    heading_problems,
    open_page,
    token_sample_problems,
)
from support.waits import settled

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "track-4": "deep-learning-survey/",
    "track-5": "transformers-and-llms/",
    "t4l3-overview": "deep-learning-survey/attention-and-transformers/overview/",
    "t4l3-lesson": "deep-learning-survey/attention-and-transformers/",
    "t4l3-cheatsheet": "deep-learning-survey/attention-and-transformers/cheatsheet/",
    "t5l3-overview": "transformers-and-llms/attention-mechanism/overview/",
    "t5l3-lesson": "transformers-and-llms/attention-mechanism/",
    "t5l3-cheatsheet": "transformers-and-llms/attention-mechanism/cheatsheet/",
}
# Link text that does not say where the link goes, compared lower-case without punctuation.
VAGUE = {
    "here",
    "click here",
    "click",
    "this link",
    "link",
    "this",
    "this page",
    "more",
    "read more",
    "learn more",
    "go",
    "page",
    "details",
    "continue",
}


IMAGES_JS = """() => {
  const shown = e => e.getClientRects().length > 0;
  const out = [];
  for (const img of document.querySelectorAll('img, input[type=image], area')) {
    if (!img.hasAttribute('alt')) out.push(`${img.outerHTML.slice(0, 160)} has no alt attribute`);
    else if (img.closest('.md-content') && shown(img) && !img.getAttribute('alt').trim()
             && img.getAttribute('role') !== 'presentation' && !img.closest('a, button'))
      out.push(`${img.outerHTML.slice(0, 160)} is a content image with an empty alt`);
  }
  for (const svg of document.querySelectorAll('svg[role=img]')) {
    const name = svg.getAttribute('aria-label') || (svg.querySelector('title') || {}).textContent
      || (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
    if (!name || !name.trim()) out.push(`${svg.outerHTML.slice(0, 160)} is an image without a name`);
  }
  return out;
}"""


def image_problems(page) -> list[str]:
    return page.evaluate(IMAGES_JS)


LINKS_JS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => a.getClientRects().length > 0 && !a.closest('[aria-hidden=true]'))
  .map(a => {
    const labelled = (a.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
    const imgs = [...a.querySelectorAll('img[alt], svg[aria-label]')]
      .map(i => i.getAttribute('alt') || i.getAttribute('aria-label')).join(' ');
    const name = (a.getAttribute('aria-label') || labelled || a.innerText || imgs || '').trim();
    return [name, a.getAttribute('title') || '', a.outerHTML.slice(0, 160)];
  })"""


def link_problems(page) -> list[str]:
    problems = []
    for name, title, html in page.evaluate(LINKS_JS):
        words = " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())
        if not name:
            problems.append(f"{html}: a link with no text")
        elif words in VAGUE:
            problems.append(f"{html}: link text {name!r} does not say where it goes")
        elif not words and not title.strip():
            # a symbol alone ("¶", "→") needs a title that says what it is
            problems.append(f"{html}: link text {name!r} is a symbol without a title")
    return problems


FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  window.__tsSeen = window.__tsSeen || new WeakSet();
  if (window.__tsSeen.has(e)) return null;  // Tab came round again
  window.__tsSeen.add(e);
  const s = getComputedStyle(window.__tsRingOf(e));
  const out = {html: e.outerHTML.slice(0, 140).replace(' focus-visible', ''),
          check: e.matches('a[href], button, summary, select, [tabindex], input:not([type]), input')
                 && !e.matches('input[type=text], input[type=search], input:not([type]), textarea'),
          style: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow],
          shown: window.__tsRingOf(e).getClientRects().length > 0};
  if (out.check && out.shown) {  // the same element's style unfocused, then the focus back
    e.blur();
    const u = getComputedStyle(window.__tsRingOf(e));
    out.unfocused = [u.outlineStyle, u.outlineWidth, u.outlineColor, u.boxShadow];
    e.focus({preventScroll: true});  // so that the next Tab goes on from here
  }
  return out;
}"""
# Material's palette switch is a hidden radio button whose ring is drawn on the label after it.
RING_OF_JS = """() => { window.__tsRingOf = e => e.matches('input.md-option') ? e.nextElementSibling : e; }"""


def focus_problems(page, max_stops: int = 250) -> tuple[int, list[str]]:
    """Tab through the page; every link or control that takes the focus must show a ring (an
    outline or a box-shadow) that it does not have unfocused."""
    problems, checked = [], 0
    page.evaluate(RING_OF_JS)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.__tsSeen = new WeakSet(); }")
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        if focused is None:
            break
        if not focused["check"] or not focused["shown"]:
            continue
        checked += 1
        outline_style, outline_width, _, shadow = focused["style"]
        has_ring = (outline_style != "none" and outline_width != "0px") or shadow != "none"
        unfocused = focused["unfocused"]  # read in the same call: one round trip a Tab
        if not has_ring or unfocused == focused["style"]:
            problems.append(
                f"{focused['html']}: no visible focus indicator (focused {focused['style']}, unfocused {unfocused})"
            )
    return checked, problems


# -- the course -------------------------------------------------------------------------------
# Pages whose keyboard focus is walked with Tab (a walk takes seconds: a home, a track, a lesson
# and a cheatsheet page cover the kinds of control the course has).
FOCUS_PAGES = {"home", "track-5", "t5l3-lesson", "t4l3-cheatsheet"}
# Pages checked with a term's tooltip open, hovered as a mouse user opens it, so that axe's run
# covers the tip too (axe skips it while hidden); the tooltip's behaviour is test_learner_pages.py's.
TIP_PAGES = {"t5l3-lesson"}
# Pages whose every-rule axe pass is another test's, on the same page with more on it: the track
# page with its PDFs listed and a lesson done, in both palettes (test_accessibility_all_rules.py).
# A second pass on the same page found nothing the first does not, for seconds of Chromium each.
AXED_ELSEWHERE = {"track-5"}


def open_term_tip(page) -> None:
    link = page.locator(".md-content a.ts-term__link").first
    link.hover()
    tip = page.locator("#" + link.get_attribute("aria-describedby"))
    tip.hover()  # the tip itself can be hovered (WCAG 1.4.13): it stays open
    assert tip.is_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_every_axe_rule_headings_images_links_and_focus(browser_page, name, scheme):
    """Every axe rule, which includes WCAG 2.2 AA (on TIP_PAGES with a term's tooltip open; in
    the dark palette the rules that read colours), then the checks axe leaves out (headings, images, link text) and, on FOCUS_PAGES, the
    keyboard walk: one load a page and palette serves them all, since a load and axe's run take
    seconds on a lesson page (test_accessibility_all_rules.py adds the other kinds of page)."""
    page = open_page(browser_page, PAGES[name], scheme)
    where = f"{PAGES[name] or '/'} ({scheme})"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    # the palettes really differ: the dark scheme is not the light one with another name
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert (min(channels) >= 200) if scheme == "light" else (max(channels) <= 80), f"{where}: {background}"
    if name in TIP_PAGES:
        open_term_tip(page)
    violations = [] if name in AXED_ELSEWHERE else axe_in(page, scheme, every_rule=True)
    assert not violations, f"{where}:\n" + "\n".join(violations)
    problems = heading_problems(page) + image_problems(page) + link_problems(page)
    assert not problems, f"{where}:\n" + "\n".join(problems)
    if name in TIP_PAGES:  # the Tab walk starts as on the other pages, with no tip open
        page.mouse.move(0, 0)
        page.keyboard.press("Escape")
    if name in FOCUS_PAGES:
        checked, problems = focus_problems(page)
        assert checked >= 6, f"{where}: only {checked} focusable links and controls reached with Tab"
        assert not problems, f"{where}:\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["track-5", "t4l3-lesson", "t5l3-lesson", "t5l3-cheatsheet"])
def test_wcag_22_aa_on_a_phone_with_the_menu_open(browser_page, name, scheme):
    """390 px: figures and tables become scroll regions, the menu drawer carries the contents
    (in the dark palette axe's colour rules)."""
    browser_page.set_viewport_size({"width": 390, "height": 844})
    page = open_page(browser_page, PAGES[name], scheme)
    settled(page)  # scroll regions are marked after Material wraps the tables
    page.locator("label.md-header__button[for=__drawer]").click()
    settled(page)
    assert page.locator(".ts-nav .ts-nav__phase-title").first.is_visible()
    violations = axe_in(page, scheme)
    assert not violations, f"{PAGES[name] or '/'} (390 px, {scheme}):\n" + "\n".join(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_code_token_colour_in_both_palettes(browser_page, scheme):
    """Highlighted code's colours, all of them, once a palette: a span of every Pygments token
    class and of every class the site's stylesheets style under `.highlight`, in every kind of
    code block they style, plain and on a highlighted line, measured by axe's `color-contrast`
    against its block once a rendering, as on the pages (support/axe.py): classes drawn alike are
    one measure. The other pages' axe passes measure each rendering their code holds: this covers
    the classes and blocks no page of the course holds yet (78 classes against the 30 its pages
    use). The page is the smallest with the site's stylesheets, and the sample goes in after the
    page's own check: every axe rule on the 404 page as built, in this palette (every rule in dark
    too), on the same load."""
    page = open_page(browser_page, "404.html", scheme)
    violations = axe_violations(page, every_rule=True)
    assert not violations, f"404.html ({scheme}):\n" + "\n".join(violations)
    spans, problems = token_sample_problems(page)
    assert spans >= len(TOKEN_CLASSES) * 5 * 2, f"{spans} token spans in the sample"  # 5 kinds of block, 2 lines
    assert not problems, f"code tokens ({scheme}):\n" + "\n".join(problems)


def test_sentinel_a_token_colour_too_faint_is_named(browser_page):
    """The token check fails on one class drawn too faint, and names it, on each background a
    code block has (the code's grey; the page's white under ```output and the like)."""
    page = open_page(browser_page, "404.html")
    page.add_style_tag(content=".md-typeset .highlight .nb { color: #b8b8b8; }")
    _, problems = token_sample_problems(page)
    assert problems and all(p.startswith('violations: <span class="nb">nb token in ') for p in problems), problems
    backgrounds = {re.search(r"background color: (#\w+)", p).group(1) for p in problems}
    assert backgrounds == {"#f5f5f5", "#ffffff"}, problems


# 300 names drawn alike, then one faint rendering whose first span is punctuation alone (which axe
# does not measure) and another faint rendering
TOKENS = (
    '<!doctype html><html lang="en"><head><title>Tokens</title><style>code { display: block; color: #222;'
    " background: #fff; } .f { color: #aaa; } .g { color: #999; }</style></head><body><main><h1>Tokens</h1>"
    '<div class="highlight"><pre><code>' + '<span class="n">name</span>\n' * 300 + '<span class="f">(</span>'
    ' <span class="f">faint</span> <span class="f">faint too</span> <span class="g">grey</span></code></pre>'
    "</div></main></body></html>"
)


def test_sentinel_highlighted_code_is_measured_once_a_rendering(browser_page):
    """axe measures one span of each rendering of highlighted code (support/axe.py), one with words
    in it: each faint rendering is still found, and by one span; every span when asked."""
    page = browser_page
    page.set_content(TOKENS)
    found = [v for v in axe_violations(page) if v.startswith("color-contrast")]
    assert sorted(v.split("</span>")[0].split(">")[-1] for v in found) == ["faint", "grey"], found
    every = [v for v in axe_violations(page, every_token=True) if v.startswith("color-contrast")]
    assert sorted(v.split("</span>")[0].split(">")[-1] for v in every) == ["faint", "faint too", "grey"], every


# text legible in light and too faint in dark alone, a link told apart by colour alone in dark,
# and an image without alt in both (a rule that reads no colour: the light pass's)
DARK_ONLY = """<!doctype html><html lang="en"><head><title>Dark only</title><style>
body { color: #111; background: #fff; } a { color: #0645ad; text-decoration: underline; }
@media (prefers-color-scheme: dark) {
  body { color: #444; background: #222; } a { color: #555; text-decoration: none; } }
</style></head><body><main><h1>Dark only</h1><p class="dim">Dark grey on near black in dark.</p>
<p>Some words with <a href="#z">a link</a> among them.</p><p id="z">z</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>"""


@pytest.mark.parametrize("every_rule", [False, True], ids=["wcag-aa", "every-rule"])
def test_sentinel_the_dark_pass_catches_colours_wrong_in_dark_only(browser_page, every_rule):
    """The dark palette's pass runs the colour rules alone: it catches what only dark gets wrong,
    and leaves the rest (the image's missing alt) to the light pass, which finds no colour fault."""
    page = browser_page
    ids = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.set_content(DARK_ONLY)
        ids[scheme] = {v.split(" ")[0] for v in axe_in(page, scheme, every_rule=every_rule)}
    assert {"color-contrast", "link-in-text-block"} <= ids["dark"], ids
    assert "image-alt" not in ids["dark"] and "image-alt" in ids["light"], ids
    assert not ids["light"] & {"color-contrast", "color-contrast-enhanced", "link-in-text-block"}, ids
    # the dark pass is the light one's run narrowed, no rule added: WCAG AAA's contrast is off in both
    assert "color-contrast-enhanced" not in ids["dark"], ids


def test_sentinel_a_dark_pass_on_the_light_palette_fails(browser_page):
    """Material shows again the palette a page of the site stored: a page first loaded in light
    and opened again in dark shows light, and a 'dark' pass on it would check light twice (the
    downloads track page's did). `axe_in` refuses a page whose palette is not its scheme's."""
    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.set_content('<!doctype html><html lang="en"><body data-md-color-scheme="default"><main>x</main></body></html>')
    with pytest.raises(AssertionError, match="palette 'default' shown for the dark scheme"):
        axe_in(page, "dark")
    assert page.evaluate("typeof window.axe") == "undefined"  # refused before axe ran
