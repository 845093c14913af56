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
alone. axe's script (half a megabyte) is injected once a document, not once a run.

Highlighted code is checked for contrast once a rendering, not once a span: an exercise pack page
holds about 10,700 Pygments token spans, and `color-contrast` on each of them was most of the
page's axe time (15.7 s of processor time against 2.7 s without the colour rules), though their
colours come from one stylesheet and a few dozen token classes. On every page the spans of
`.highlight pre > code` are grouped by what decides their contrast (their colour, size, weight and
shadow, the backgrounds beneath them down to an opaque one, the opacity and filters above them),
and `color-contrast` reads one span of each group: one whose own text has a letter or digit and
shows inside its block (axe skips text of punctuation alone, and text scrolled out of its box),
so each distinct rendering on the page is still measured by axe itself; every other rule, and
`color-contrast` on every other element, run as before. `token_sample_problems` adds what no
page need hold: one span of every Pygments token class and every class the site's stylesheets
style under `.highlight`, plain and on a highlighted line, in every kind of block the stylesheets
style (`language-output` and the like), measured by axe in each palette, once a rendering as the
pages are (test_accessibility.py's `test_every_code_token_colour_in_both_palettes`)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from pygments.token import STANDARD_TYPES  # the highlighter the build uses: its token classes

SCHEMES = {"light": "default", "dark": "slate"}  # emulated colour scheme -> Material's palette


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


AXE = Axe()
TOKEN_CLASSES = sorted({c for c in STANDARD_TYPES.values() if c})  # every class Pygments writes


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


# `color-contrast` reads only the spans of highlighted code `window.__tsTokens` holds (all of them
# while it is null): the rule's own test, wrapped once a document
CONTRAST_WRAP_JS = """() => {
  const rule = axe._audit.rules.find((r) => r.id === 'color-contrast');
  if (!rule || typeof rule.matches !== 'function') return false;
  if (!rule.tsWrapped) {
    const own = rule.matches;
    rule.matches = function (node, ...rest) {
      const token = node.tagName === 'SPAN' && node.closest('.highlight pre > code');
      if (token && window.__tsTokens && !window.__tsTokens.has(node)) return false;
      return own.call(this, node, ...rest);
    };
    rule.tsWrapped = true;
  }
  return true;
}"""

# One span of highlighted code a rendering (the module's docstring): returns [spans, groups].
PICK_TOKENS_JS = """() => {
  const beneath = (e, stop) => {  // backgrounds to an opaque one, opacity, filters: from e up to stop
    const out = []; let opacity = 1, opaque = false;
    for (; e && e !== stop; e = e.parentElement) {
      const s = getComputedStyle(e);
      opacity *= Number(s.opacity);
      if (!opaque && s.backgroundImage !== 'none') out.push(s.backgroundImage);
      if (!opaque && s.backgroundColor !== 'rgba(0, 0, 0, 0)') {
        out.push(s.backgroundColor);
        opaque = s.backgroundColor.startsWith('rgb(');
      }
      if (s.filter !== 'none' || s.mixBlendMode !== 'normal') out.push(s.filter + ' ' + s.mixBlendMode);
    }
    return out.join(';') + ' @' + opacity;
  };
  const ownText = (e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('');
  const shows = (e, box) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= box.left && r.right <= box.right;
  };
  const groups = new Map();  // rendering -> [span, whether axe measures it for sure]
  let spans = 0;
  for (const code of document.querySelectorAll('.highlight pre > code')) {
    const block = beneath(code, null), box = code.parentElement.getBoundingClientRect();
    for (const span of code.querySelectorAll('span')) {
      spans++;
      const text = ownText(span);
      if (!text.trim()) continue;  // no text of its own (a line, a space): nothing for axe to measure
      const s = getComputedStyle(span);
      const key = [s.color, s.fontSize, s.fontWeight, s.textShadow, s.visibility, beneath(span, code), block].join('|');
      const held = groups.get(key);
      if (held && held[1]) continue;
      const sure = /[\\p{L}\\p{N}]/u.test(text) && shows(span, box);
      if (!held || sure) groups.set(key, [span, sure]);
    }
  }
  window.__tsTokens = new Set([...groups.values()].map(([span]) => span));
  return [spans, groups.size, [...groups.values()].filter(([, sure]) => !sure).length];
}"""


def _one_span_a_rendering(page, every_token: bool) -> list[int]:
    """Narrow `color-contrast` on highlighted code to one span a rendering (the module's
    docstring), or with `every_token` let it read every span. Returns the spans, the renderings
    and those of them with no span axe surely measures (none with a letter, or none in view)."""
    assert page.evaluate(CONTRAST_WRAP_JS), "axe has no color-contrast rule with a test to wrap"
    if every_token:
        page.evaluate("() => { window.__tsTokens = null; }")
        return []
    return page.evaluate(PICK_TOKENS_JS)


# -- checks (plain functions, so that the sentinels can run them on bad markup) ---------------
def axe_violations(page, every_rule: bool = False, colour_only: bool = False, every_token: bool = False) -> list[str]:
    """axe's WCAG 2.2 AA rules, or with `every_rule` all its rules (WCAG at every level and its
    best practices, moderate and minor included, and the experimental check of WCAG 2.5.3: a
    superset, so one run answers both); with `colour_only` only those of them that read colours
    (the dark palette's pass, see the module's docstring). Highlighted code's contrast is read
    once a rendering, or with `every_token` on every span."""
    _inject(page)
    _one_span_a_rendering(page, every_token)
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
    rules alone in the dark one (the same DOM, other styles). On a page of the site the palette
    shown must be the scheme's: Material shows again the palette a page of the site stored, so a
    page first loaded in the other scheme would have a 'dark' pass read the light palette."""
    shown = page.evaluate("() => document.body && document.body.getAttribute('data-md-color-scheme')")
    assert shown in (None, SCHEMES[scheme]), f"{page.url}: palette {shown!r} shown for the {scheme} scheme"
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


# -- every code token's colour, once a palette ----------------------------------------------------
# One block of each kind the stylesheets style (`.language-output` and the like; plain code as
# `language-python`), each holding a line of the code's own text and a span of every token class
# given and every class the stylesheets style under `.highlight`, plain and on a highlighted line
# (`.hll`), at the top of the page's content. Returns the number of token spans.
TOKEN_SAMPLE_JS = """(given) => {
  const classes = new Set(given), kinds = new Set(['']);
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.cssRules) walk(rule.cssRules);  // @media, @supports, @layer
      for (const m of (rule.selectorText || '').matchAll(/\\.highlight \\.([\\w-]+)/g)) classes.add(m[1]);
      for (const m of (rule.selectorText || '').matchAll(/\\.language-([\\w-]+)/g)) kinds.add(m[1]);
    }
  };
  for (const sheet of document.styleSheets) {
    try { walk(sheet.cssRules); } catch (e) { /* another origin's sheet: the site has none */ }
  }
  classes.delete('hll');
  const sample = document.createElement('div');
  sample.id = 'ts-token-sample';
  for (const kind of [...kinds].sort()) {
    const block = document.createElement('div');
    block.className = `language-${kind || 'python'} highlight`;
    const where = kind || 'code';
    const line = (c, lit) => `<span class="${c}">${c} token in ${where}${lit ? ' highlighted' : ''}</span>`;
    const lines = [...classes].sort().map((c) => line(c, false)).join('\\n');
    const lit = [...classes].sort().map((c) => `<span class="hll">${line(c, true)}\\n</span>`).join('');
    block.innerHTML = `<pre><span></span><code>plain text in ${where}\\n${lines}\\n${lit}</code></pre>`;
    sample.append(block);
  }
  document.querySelector('.md-content .md-typeset').prepend(sample);
  return sample.querySelectorAll('code span:not(.hll)').length;
}"""


def token_sample_problems(page) -> tuple[int, list[str]]:
    """axe's `color-contrast` on every Pygments token class (pygments' own list, and every class
    the page's stylesheets style under `.highlight`) in every kind of code block, plain and on a
    highlighted line, in the page's palette: what the pages' passes cannot reach (a class no page
    holds yet). Measured as on the pages, once a rendering: classes drawn alike (the light palette
    draws comments, operators and punctuation in one grey) are one measure, and a class drawn
    apart is measured on its own. Returns the sample's spans and the problems: each rendering too
    faint, named by a class and block drawn so, and each that axe did not measure."""
    _inject(page)
    spans = page.evaluate(TOKEN_SAMPLE_JS, TOKEN_CLASSES)
    _, renderings, unsure = _one_span_a_rendering(page, every_token=False)
    options = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
    result = page.evaluate("options => axe.run({include: [['#ts-token-sample']]}, options)", options)
    problems, measured = [], 0
    for kind in ("violations", "passes", "incomplete"):
        for rule in result[kind]:
            for node in rule["nodes"]:
                if not node["html"].startswith("<span") or node["html"].startswith('<span class="hll"'):
                    continue  # the code's own text (measured too), a highlighted line's newline
                measured += kind != "incomplete"
                if kind != "passes":
                    summary = " ".join(node.get("failureSummary", "").split())
                    problems.append(f"{kind}: {node['html'][:120]} -- {summary}")
    if unsure or measured != renderings:
        problems.append(f"axe measured {measured} of the sample's {renderings} renderings ({unsure} unsure)")
    return spans, problems
