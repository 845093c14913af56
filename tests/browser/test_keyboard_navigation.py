"""Issue 56, in real Chromium: the keyboard's way through the bundled course. Every page type has
a skip link to its title; the palette toggle is a button that Space and Enter switch, with a
visible focus and a name that says where it goes; a phone's closed navigation drawer keeps its
links out of the Tab order; and a page load fetches the logo/favicon file once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.waits import next_frame, settled

pytestmark = pytest.mark.browser

LESSON = "deep-learning-survey/attention-and-transformers/"
PAGE_TYPES = {
    "home": "",
    "track": "deep-learning-survey/",
    "lesson": LESSON,
    "overview": LESSON + "overview/",
    "cheatsheet": LESSON + "cheatsheet/",
    "glossary": "deep-learning-survey/glossary/",
    "keypoints": "deep-learning-survey/keypoints/",
    "review": "deep-learning-survey/review/",
    "exercises": "deep-learning-survey/exercises/",
}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}

# Where the focus is, and whether a sighted keyboard user can see it there.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  return {
    tag: e.tagName, text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 60),
    inDrawer: !!e.closest('.md-sidebar--primary'),
    visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
      && r.left < innerWidth && r.top < innerHeight && e.checkVisibility({visibilityProperty: true}),
  };
}"""


@pytest.fixture
def context_page(site_page):
    """`open(url, **context options)`: a page with empty storage on the bundled site, `browser_page`
    (its colour scheme emulated as the context's would be), or where the options are more than a
    page takes (a touch phone's) in the context the tests with those options share (conftest.py's
    `site_page`): a context of its own costs Chromium its own cache, each script and style parsed
    and compiled again."""

    def open_page(url: str, **options):
        scheme = options.pop("color_scheme", None)
        page = site_page(**options)
        page.emulate_media(color_scheme=scheme)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(page.base_url + url, wait_until="networkidle")
        return page

    return open_page


@pytest.mark.parametrize("url", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_every_page_type_skips_to_its_title(context_page, url):
    page = context_page(url)
    page.keyboard.press("Tab")
    settled(page)  # Material's transition that shows the skip link
    skip = page.evaluate(
        """() => { const e = document.activeElement, r = e.getBoundingClientRect();
          return {cls: e.className, text: e.textContent.trim(), shown: getComputedStyle(e).opacity === '1'
            && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight}; }"""
    )
    assert "md-skip" in skip["cls"] and skip["text"] == "Skip to content" and skip["shown"], skip
    page.keyboard.press("Enter")
    settled(page)
    landed = page.evaluate(
        """() => { const e = document.activeElement, h1 = document.querySelector('.md-content h1');
          const r = h1.getBoundingClientRect();
          return {holdsTitle: e === h1 || e.contains(h1), inView: r.bottom > 0 && r.top < innerHeight}; }"""
    )
    assert landed == {"holdsTitle": True, "inView": True}, landed
    # and the next Tab goes on from the title, not from the top of the page
    page.keyboard.press("Tab")
    assert page.evaluate(
        """() => !!(document.querySelector('.md-content h1').compareDocumentPosition(document.activeElement)
                   & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert page.errors == []


def _tab_to_palette(page):
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('[data-md-component=palette]')"):
            return
    raise AssertionError("Tab never reached the palette toggle")


def _focus_is_visible(page) -> bool:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    return (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none"


@pytest.mark.parametrize("start", ["light", "dark"])
def test_the_palette_toggle_is_a_keyboard_control(context_page, start):
    page = context_page(LESSON, color_scheme=start)
    scheme = lambda: page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    names = {"default": "Switch to dark mode", "slate": "Switch to light mode"}
    other = {"default": "slate", "slate": "default"}
    assert scheme() == {"light": "default", "dark": "slate"}[start]
    _tab_to_palette(page)
    for key in ["Space", "Space", "Enter", "Enter"]:  # each switches once, and the focus stays on the toggle
        now = scheme()
        expect(page.get_by_role("button", name=names[now], exact=True)).to_be_focused()
        assert _focus_is_visible(page), f"no visible focus on the palette toggle in {now}"
        page.keyboard.press(key)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", other[now])
    assert page.errors == []


def test_a_phones_closed_drawer_keeps_its_links_out_of_the_tab_order(context_page):
    page = context_page(LESSON, **PHONE)
    settled(page)
    hidden = []
    for stop in range(60):
        page.keyboard.press("Tab")
        next_frame(page)
        focused = page.evaluate(FOCUSED)
        if focused is not None and not focused["visible"]:
            hidden.append((stop + 1, focused))
    assert hidden == [], f"{len(hidden)} of 60 Tab stops cannot be seen: {hidden[:5]}"
    # opened, the drawer's links are reachable (and seen)
    page.locator("label.md-header__button[for=__drawer]").click()
    settled(page)  # the drawer slides in
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["inDrawer"]:
            assert focused["visible"], focused
            break
    else:
        raise AssertionError("Tab never reached the open drawer's links")
    assert page.errors == []


def test_a_page_load_fetches_the_favicon_once(chromium, site_url):
    context = chromium.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/favicon.svg") else None)
        page.goto(site_url + LESSON, wait_until="networkidle")
        page.wait_for_timeout(300)
        assert len(requests) == 1, requests
        # the mark is drawn inline (the header's, the drawer's), hidden from assistive technology;
        # the header's link keeps its name (the drawer's is not shown on a wide screen)
        logos = page.locator("a.md-logo")
        assert logos.count() == 2
        expect(page.locator("a.md-header__button.md-logo")).to_have_accessible_name("Home")
        for logo in logos.all():
            assert logo.locator("svg[aria-hidden=true]").count() == 1 and logo.locator("img").count() == 0
    finally:
        context.close()


# Whether the focused element shows below the sticky header (one of its line boxes wholly below it).
UNDER_HEADER = """async () => {
  // measured once the page stops moving: a focus scrolls smoothly where the theme says so
  for (let i = 0, y = null; i < 60 && y !== window.scrollY; i++) {
    y = window.scrollY;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  const e = document.activeElement;
  const header = document.querySelector('.md-header');
  if (!e || e === document.body || !header || e.closest('.md-header, .md-sidebar, .md-tabs')) return null;
  // a link that wraps has a box per line: the focus shows when one line is wholly below the
  // header (WCAG 2.4.11); the browser may leave a wrapped link's first line under it
  const tops = [...e.getClientRects()].map((r) => r.top);
  return { text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
           top: tops.length ? Math.max(...tops) : e.getBoundingClientRect().top,
           header: header.getBoundingClientRect().bottom };
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_tabbing_backwards_never_hides_the_focus_under_the_sticky_header(context_page, width):
    """Issue 83: Shift+Tab from the end of a lesson scrolls each control it reaches below the
    sticky header (the page's scroll padding), not under it."""
    page = context_page(LESSON, viewport={"width": width, "height": 700})
    page.keyboard.press("End")
    page.evaluate("() => document.querySelector('.md-footer, footer')?.focus?.()")
    page.locator(".md-content a[href]").last.focus()
    hidden, seen = [], 0
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        at = page.evaluate(UNDER_HEADER)
        if at is None:
            continue
        seen += 1
        if at["top"] < at["header"] - 1:
            hidden.append(at)
    assert seen >= 10, f"only {seen} focus stops in the content"
    assert hidden == [], hidden
