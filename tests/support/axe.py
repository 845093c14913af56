"""axe-core's checks on a page driven by Playwright (every WCAG 2.2 AA rule, or every rule), the heading outline,
and opening a page in a colour scheme: the accessibility tests and the browser tests that check a page they drive.

A page is checked once a palette, and not with every rule twice: the light and the dark palette
hold the same DOM (Material's palettes change styles only), so axe's rules that read no colour
find the same in both. `axe_in(page, scheme)` runs them all in the light palette and, in the
dark one the same run with every rule switched off but those axe files under colour (its tag
`cat.color`: `color-contrast` and `link-in-text-block`; `color-contrast-enhanced`, WCAG AAA, is
off by default in both passes), read from the axe the page runs, so that a colour rule a later
axe adds runs in dark too.
test_accessibility.py's sentinel shows the dark pass still catches text too faint in dark
alone. axe's script (half a megabyte) is injected once a document, not once a run."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

SCHEMES = {"light": "default", "dark": "slate"}  # emulated colour scheme -> Material's palette


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


AXE = Axe()


def open_page(page, url: str, scheme: str = "light"):
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base_url + url, wait_until="networkidle")
    if page.locator('[data-widget="runnable"]').count():  # its editor loads on intent (issue 83): bring it
        page.dispatch_event('[data-widget="runnable"] >> nth=0', "pointerover")
    try:  # let the widgets finish drawing, if they mark it; axe checks what is on screen either way
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-widget]:not([data-widget=exercise])')]"
            ".every(w => w.hasAttribute('data-ts-ready'))",
            timeout=15_000,
        )
    except Exception:  # noqa: BLE001
        pass
    return page


# axe's rules that read no colour: switched off for the dark palette's pass
NOT_COLOUR_JS = "() => axe.getRules().filter(r => !r.tags.includes('cat.color')).map(r => r.ruleId)"


def _inject(page) -> None:
    """axe into the page's document, unless this document has it already (a second run on a
    page, as after opening a menu, skips parsing half a megabyte of script again)."""
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(AXE.axe_script)


# -- checks (plain functions, so that the sentinels can run them on bad markup) ---------------
def axe_violations(page, every_rule: bool = False, colour_only: bool = False) -> list[str]:
    """axe's WCAG 2.2 AA rules, or with `every_rule` all its rules (WCAG at every level and its
    best practices, moderate and minor included, and the experimental check of WCAG 2.5.3: a
    superset, so one run answers both); with `colour_only` only those of them that read colours
    (the dark palette's pass, see the module's docstring)."""
    _inject(page)
    options: dict = {"resultTypes": ["violations"]}
    if not every_rule:
        options["runOnly"] = {"type": "tag", "values": WCAG_22_AA}
    else:  # axe keeps WCAG 2.5.3 (a link's name holds its visible text) among its experimental rules
        options["rules"] = {"label-content-name-mismatch": {"enabled": True}}
    if colour_only:  # the same run with every rule that reads no colour switched off
        off = page.evaluate(NOT_COLOUR_JS)
        assert "color-contrast" not in off and "image-alt" in off, f"axe's rules by colour are not as expected: {off}"
        options["rules"] = {rule: {"enabled": False} for rule in off}
    response = page.evaluate("options => axe.run(document, options)", options)
    found = []
    for v in response["violations"]:
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"{v['id']} ({v['impact']}): {v['help']}: {node['target']} {node['html'][:200]} -- {summary}")
    return found


def axe_in(page, scheme: str, every_rule: bool = False) -> list[str]:
    """axe on a page opened in `scheme`: every rule asked for in the light palette, the colour
    rules alone in the dark one (the same DOM, other styles)."""
    return axe_violations(page, every_rule=every_rule, colour_only=scheme == "dark")


def heading_problems(page) -> list[str]:
    headings = page.evaluate(HEADINGS_JS)
    problems = []
    if [level for level, _ in headings].count(1) != 1:
        problems.append(f"{[level for level, _ in headings].count(1)} h1 headings (one expected)")
    if headings and headings[0][0] != 1:
        problems.append(f"the first heading is h{headings[0][0]} {headings[0][1]!r}, not h1")
    for (before, text_before), (level, text) in zip(headings, headings[1:]):
        if level > before + 1:
            problems.append(f"h{before} {text_before!r} is followed by h{level} {text!r}: a level is skipped")
    return problems


HEADINGS_JS = """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
  .filter(h => h.getClientRects().length > 0 && getComputedStyle(h).visibility !== 'hidden'
               && !h.closest('[aria-hidden=true]'))
  .map(h => [h.getAttribute('role') === 'heading' ? Number(h.getAttribute('aria-level') || 2)
             : Number(h.tagName[1]), h.textContent.replace(/\\u00b6/g, '').trim().slice(0, 60)])"""
