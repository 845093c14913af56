"""The runnable editor for every learner (issue 83), in real Chromium on a built fixture course:
a keyboard-only learner leaves the editor after Escape whatever they do before Tab but change
the code (a wait, an arrow key to read a line), with the code unchanged, and Ctrl+M keeps Tab
moving the focus; the way out is in the editor's description in Chromium's accessibility tree.
The learner's code is kept by the exercise's place, so a course update that rewords its starting
code keeps it, with a notice that offers the new starting code. tests/core/widgets/runnable/test_code_editor.py
has the editor's editing behaviour."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.course import hold_python, intend, text_of
from support.runnable import EXERCISE, runnable_course
from support.sites import run_mkdocs
from tracksite.tools.weight import first_visit_weight

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def access_site(tmp_path_factory):
    root = runnable_course(tmp_path_factory.mktemp("access") / "course")
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def access_url(access_site, serve_site):
    return serve_site(access_site / "site")


def in_editor(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('.cm-editor')")


def test_a_page_view_loads_no_editor_and_the_focus_brings_it(chromium, access_site, access_url):
    """Issue 83: the editor (runnable.js, CodeMirror) loads on intent, not with the page; the
    build's code stands in, reachable by the keyboard, and its focus hands over to the editor.
    first_visit_weight counts those scripts under `on_intent`, not in the first visit."""
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url[len(access_url) :]) if r.url.startswith(access_url) else None)
    page.goto(access_url + "alpha/a1/", wait_until="networkidle")
    heavy = (
        "runnable.js",
        "runnable.css",
        "runnable-editor.js",
        "runnable-sandbox.js",
        "runnable-work.js",
        "codemirror.js",
        "pyodide",
    )
    assert loaded and not [u for u in loaded if any(name in u for name in heavy)], loaded
    weight = first_visit_weight(access_site / "site", "alpha/a1/")
    assert {r["url"].rsplit("/", 1)[-1] for r in weight["on_intent"]} == {
        "runnable-sandbox.js",
        "runnable-work.js",
        "runnable.js",
        "runnable.css",
        "runnable-editor.js",
        "codemirror.js",
    }
    assert not [r for r in weight["resources"] if any(name in r["url"] for name in heavy)]
    block = page.locator("#ts-run-1")
    stand_in = block.locator(".ts-run__code")
    expect(stand_in).to_have_attribute("tabindex", "0")
    for _ in range(40):  # Tab to the code, as a learner: the first stop in the block is the code
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#ts-run-1')"):
            break
    editor = block.get_by_role("textbox")
    expect(editor).to_be_focused()
    on_intent = {u for u in loaded if any(name in u for name in heavy[:-1])}
    assert on_intent == {r["url"] for r in weight["on_intent"]}, on_intent
    context.close()


DRAWN = """() => ({editors: [...document.querySelectorAll('.cm-editor')].map(e => e.closest('.ts-run').id),
  frames: document.querySelectorAll('iframe').length, python: document.documentElement.dataset.tsPython || null})"""


def test_an_intent_draws_the_editor_of_the_block_touched_and_no_other(chromium, access_url):
    """Issue 93: a page of many exercises (a track's exercise pack) draws no editor and starts no
    frame or worker with the page, and a learner's intent on one block draws that block's editor
    only; the others stay the build's code, focusable and read out, each drawn when touched (its
    buttons work meanwhile). Counted in the DOM, not timed."""
    context = chromium.new_context()
    page = context.new_page()
    workers: list[str] = []
    page.on("worker", lambda w: workers.append(w.url))
    page.goto(access_url + "alpha/a1/", wait_until="networkidle")
    assert page.evaluate(DRAWN) == {"editors": [], "frames": 0, "python": None} and workers == []
    intend(page)
    expect(page.locator("#ts-run-2 .ts-run__actions")).to_be_visible()  # both blocks are mounted
    # CodeMirror's module is in when the touched block's editor shows; two frames later, every
    # block it drew is drawn. (Not "networkidle": the pointer now over the drawn editor starts the
    # page's one Python, a frame and its worker, whose 10 MB took over 30 s on a loaded machine.)
    expect(page.locator("#ts-run-1 .cm-editor")).to_be_visible()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate(DRAWN)["editors"] == ["ts-run-1"]
    other = page.locator("#ts-run-2")
    stand_in = other.locator(".ts-run__code")
    expect(stand_in).to_have_attribute("tabindex", "0")
    expect(stand_in).to_have_attribute("role", "group")
    assert "while True" in stand_in.text_content()  # the loop's code, readable before it is drawn
    other.get_by_role("button", name=re.compile("^Reset")).focus()  # the keyboard's touch
    expect(other.get_by_role("textbox")).to_be_visible()
    assert page.evaluate(DRAWN)["editors"] == ["ts-run-1", "ts-run-2"]
    context.close()


def test_a_block_not_yet_drawn_shows_the_code_the_learner_kept(chromium, access_url):
    """The learner's kept code, not the starting code, is what a block shows before its editor
    is drawn (issue 93), and what its editor then holds."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
    other = page.locator("#ts-run-2")
    other.hover()
    other.get_by_label("Code (editable)").fill("print('mine, kept')\n")
    page.wait_for_function("() => Object.values(localStorage).some(v => v.includes('mine, kept'))")
    page.reload()
    intend(page)
    expect(page.locator("#ts-run-1 .cm-editor")).to_be_visible()
    stand_in = other.locator(".ts-run__code[tabindex='0']")
    expect(stand_in).to_have_text("print('mine, kept')\n")
    assert other.locator(".cm-editor").count() == 0
    other.hover()
    expect(other.get_by_role("textbox")).to_contain_text("print('mine, kept')")
    context.close()


def test_escape_then_tab_leaves_after_a_wait_or_a_read_line_and_ctrl_m_holds(chromium, access_url):
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    editor = block.get_by_role("textbox")
    editor.get_by_text("return w").click()
    start = text_of(block)
    # Escape, a wait longer than CodeMirror's own 2 s, then Tab: out, nothing indented
    page.keyboard.press("Escape")
    expect(block.locator(".ts-run__tabmode")).to_contain_text("Tab")
    page.wait_for_timeout(3000)
    page.keyboard.press("Tab")
    assert not in_editor(page), "Tab after Escape and a 3 s wait should leave the editor"
    assert text_of(block) == start
    # back in with Shift+Tab: Tab indents again (the Escape lasted until the editor lost focus)
    page.keyboard.press("Shift+Tab")
    assert in_editor(page)
    expect(block.locator(".ts-run__tabmode")).to_have_text("")
    # Escape, arrow keys to read a line, then Tab: out
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    assert not in_editor(page), "Tab after Escape and arrow keys should leave the editor"
    assert text_of(block) == start
    # Shift+Tab leaves backwards too
    page.keyboard.press("Shift+Tab")
    assert in_editor(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    assert not in_editor(page)
    assert text_of(block) == start
    # an edit after Escape gives Tab back its indenting
    editor.get_by_text("return w").click()
    page.keyboard.press("Escape")
    page.keyboard.press("End")
    page.keyboard.type("x")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert in_editor(page)
    assert text_of(block).split("\n")[2] == "        return wx"
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    assert text_of(block) == start
    # Ctrl+M: Tab moves the focus, out and through the editor again, until Ctrl+M again
    page.keyboard.press("Control+m")
    page.keyboard.press("Tab")
    assert not in_editor(page)
    page.keyboard.press("Shift+Tab")
    assert in_editor(page)
    page.keyboard.press("Tab")
    assert not in_editor(page), "Ctrl+M's mode should outlast a blur"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+m")
    page.keyboard.press("Tab")
    assert in_editor(page)
    assert text_of(block) != start  # that Tab indented
    context.close()


def test_the_way_out_is_in_the_editors_description_in_the_accessibility_tree(chromium, access_url):
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
    intend(page)
    expect(page.locator("#ts-run-1").get_by_role("textbox")).to_be_visible()
    cdp = context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]

    def value(node, key):
        return (node.get(key) or {}).get("value", "")

    editors = [n for n in nodes if value(n, "role") == "textbox" and "Gradient step" in value(n, "name")]
    assert editors, "no textbox named after the exercise in Chromium's accessibility tree"
    said = value(editors[0], "description")
    assert re.search(r"Escape, then Tab", said) and "Ctrl+M" in said and "no hurry" in said, said
    context.close()


def test_code_survives_a_reworded_starting_code_with_a_notice(chromium, access_site, serve_site, tmp_path):
    """Keyed by the exercise's place: a course update that rewords a comment of the starting code
    keeps the learner's code, says so, and offers the new starting code (Reset, undoable)."""
    url = serve_site(access_site / "site")
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    block.get_by_role("textbox").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nprint('mine')")
    page.wait_for_function("() => Object.values(localStorage).some(v => v.includes(\"print('mine')\"))")
    mine = text_of(block)
    assert block.locator(".ts-run__changed").count() == 0
    # the course is updated: one comment reworded, rebuilt into the same site
    lesson = access_site / "lessons/alpha/a1/lesson.md"
    reworded = EXERCISE.replace("# return the new weight", "# give back the updated weight")
    assert reworded != EXERCISE
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(EXERCISE, reworded), encoding="utf-8")
    result = run_mkdocs(access_site)
    assert result.returncode == 0, result.stderr[-3000:]
    page.reload()
    intend(page)
    expect(block.get_by_role("textbox")).to_be_visible()
    assert text_of(block) == mine
    notice = block.locator(".ts-run__changed")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("changed")
    notice.locator("summary").click()
    expect(notice.locator("pre")).to_contain_text("give back the updated weight")
    # Reset takes the new starting code, and the notice goes
    block.get_by_role("button", name=re.compile("^Reset")).click()
    assert "give back the updated weight" in text_of(block)
    expect(notice).to_have_count(0)
    context.close()


def test_code_kept_under_the_old_text_key_moves_to_the_place_key_once(chromium, access_url):
    """Code a learner kept before this version (under `tracksite:code:<content fingerprint>`)
    shows in the editor and moves to the exercise's place key; the old entry goes."""
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(access_url + "alpha/a2/")  # the site's origin, a lesson without the exercise
    keys = page.evaluate(
        """async (url) => {
          const html = await (await fetch(url)).text();
          const block = new DOMParser().parseFromString(html, 'text/html').querySelector('#ts-run-1');
          const old = 'tracksite:code:' + block.dataset.key.split(':').pop();
          window.tracksite.save(old, { code: "print('kept before')" });
          return { old, place: block.dataset.codeKey };
        }""",
        access_url + "alpha/a1/",
    )
    page.goto(access_url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    expect(block.get_by_role("textbox")).to_contain_text("print('kept before')")
    stored = page.evaluate("(k) => [window.tracksite.load(k.old, null), window.tracksite.load(k.place, null)]", keys)
    assert stored[0] is None and stored[1]["code"] == "print('kept before')", stored
    expect(block.locator(".ts-run__changed")).to_have_count(0)
    context.close()


#: Code with every token class the editor colours: keywords, a definition, a class name, a string,
#: numbers, a bool, a comment, operators and punctuation, a property, plain names.
TOKENS = """import math  # a comment
class Box:
    def area(self, x=1.5, ok=True):
        return "text" + str(x) * self.size - 2
print(Box().area(), math.pi)"""

#: What each token's colour is drawn over: the code's background, the active line's, the error
#: line's, both (translucent backgrounds, which axe-core does not compose), in the page's layers.
CONTRAST = """() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    return [0, 1, 2].map((i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a).concat([a]);
  };
  const ground = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
    }
    return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const out = [];
  for (const line of document.querySelectorAll('#ts-run-1 .cm-line')) {
    const state = [line.classList.contains('cm-activeLine') && line.closest('.cm-focused') ? 'active' : '',
                   line.classList.contains('ts-run__errline') ? 'error' : ''].filter(Boolean).join('+') || 'plain';
    const spans = [line, ...line.querySelectorAll('span')];
    for (const el of spans) {
      const text = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (!text) continue;
      const bg = ground(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out.push({ state, token: el === line ? 'plain' : el.className, text, ratio: (a + 0.05) / (b + 0.05) });
    }
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_is_readable_on_every_line_state(chromium, access_url, scheme):
    """Issue 83 (N21): every highlighted token at least 4.5:1 on the code's background, on the
    active line, on the line an error names and on a line that is both, in both palettes: the
    colours composed through every translucent layer, as Chromium paints them."""
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
    if scheme == "dark":  # the palette's switch, as a learner turns it
        page.locator("form[data-md-component=palette] button[data-ts-palette]:not([hidden])").first.click()
        page.wait_for_function("() => document.body?.dataset.mdColorScheme === 'slate'")
    intend(page)
    block = page.locator("#ts-run-1")
    editor = block.get_by_role("textbox")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(TOKENS)
    # the error line's mark as runnable-editor.js sets it (a line decoration) on lines 2 and 4;
    # the caret on line 3 (the active line), then on line 4 (active and error at once)
    mark = "() => document.querySelectorAll('#ts-run-1 .cm-line').forEach((l, i) => i % 2 && l.classList.add('ts-run__errline'))"
    page.keyboard.press("Control+Home")
    found = []
    for downs in (2, 1):
        for _ in range(downs):
            page.keyboard.press("ArrowDown")
        page.evaluate(mark)
        found += page.evaluate(CONTRAST)
    states = {f["state"] for f in found}
    assert {"plain", "active", "error", "active+error"} <= states, states
    assert {t for f in found for t in f["token"].split() if t.startswith("tok-")} >= {
        "tok-keyword",
        "tok-string",
        "tok-comment",
        "tok-number",
        "tok-bool",
    }
    low = sorted((round(f["ratio"], 2), f["state"], f["token"], f["text"]) for f in found if f["ratio"] < 4.5)
    assert low == [], f"{scheme}: tokens below 4.5:1: {low}"
    context.close()


WRAPPED = "def f():\n    total = " + " + ".join(f"value_{n}" for n in range(24)) + "\n    return total"

ROWS = """() => {
  const line = document.querySelectorAll('#ts-run-1 .cm-line')[1];
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  const first = walker.nextNode();
  const one = document.createRange();
  one.setStart(first, 0);
  one.setEnd(first, 1);
  const width = one.getBoundingClientRect().width;
  const all = document.createRange();
  all.selectNodeContents(line);
  const rows = new Map();
  for (const r of all.getClientRects()) {
    if (r.width === 0) continue;
    const top = Math.round(r.top);
    rows.set(top, Math.min(rows.get(top) ?? Infinity, r.left));
  }
  return { width, lefts: [...rows.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]) };
}"""


def test_a_wrapped_line_hangs_under_its_indentation(chromium, access_url):
    """Issue 83: a long line wrapped on a phone goes on under its own indentation and one step
    more, not at column 0 (where it read as a dedent)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    block.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(WRAPPED)
    rows = page.evaluate(ROWS)
    lefts, width = rows["lefts"], rows["width"]
    assert len(lefts) >= 2, f"the line did not wrap: {rows}"
    # the first row starts at the line's start (its four spaces); the next ones 8 columns in
    for left in lefts[1:]:
        assert left - lefts[0] >= 7.5 * width, rows
    assert text_of(block) == WRAPPED  # the indent is drawn, not typed
    context.close()
