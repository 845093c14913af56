"""The runnable block's code editor (issue 70) in real Chromium, on a built fixture course served
over HTTP: CodeMirror's Tab and Shift+Tab on a line and on a selection, the learner's code kept
across a reload, Reset that can be undone, an error shown at its line (the traceback quotes it,
the editor marks it), long lines wrapped at 390 px, one accessible name per exercise, an
unavailable import that names what is available, a second lesson whose Python starts from the
interpreter's memory the first start saved, and the exercise pack printed with each exercise's task and every line of its code.
tests/core/widgets/runnable/test_runnable_browser.py has the runner's own behaviour (Stop, the time limit,
Check, the SCORM package)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from support.axe import axe_violations
from support.course import hold_python, intend, lesson_md, text_of, write
from support.pdfs import pdf_command, pdf_text
from support.runnable import runnable_course
from support.sites import run_mkdocs

pytestmark = pytest.mark.browser

START = 90_000  # ms: Python's first start in a loaded CI machine's Chromium
#: A line wider than a phone's editor, and thirty-odd lines, the last of which a printout must show.
LONG = "greeting = 'a line of starting code that is much wider than the editor of a 390 px phone, so it wraps'"
BODY = "\n".join(f"value_{n} = {n}  # line {n + 2}" for n in range(34))
TASKED = f"""## Practice

Make `total` the sum of the thirty-four values below, then print it: the task of this exercise.

/// runnable | Add them up
code: |
  {LONG}
  total = 0
{chr(10).join("  " + line for line in BODY.split(chr(10)))}
  print(total)  # the last line of the starting code
tests: |
  assert total == sum(range(34)), f"total is {{total}}"
solution: |
  total = sum(range(34))
  print(total)
///

/// runnable | Hello
code: |
  print("hello")
///
"""


def kept(page, code: str) -> None:
    """Wait until the page has stored `code` (the editor keeps it a moment after the last key)."""
    page.wait_for_function("(code) => Object.values(localStorage).some(v => v.includes(code))", arg=code)


PYTHON = "document.documentElement.dataset.tsPython"


def soon(page, condition, seconds: float = 10) -> bool:
    """Whether `condition()` holds within `seconds`, asked every 100 ms of the page's time."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            return False
        page.wait_for_timeout(100)
    return True


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    root = runnable_course(tmp_path_factory.mktemp("editor") / "course")
    write(root, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson", body=TASKED))
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def editor_url(editor_site, serve_site):
    return serve_site(editor_site / "site")


def test_tab_and_shift_tab_indent_and_dedent_a_line_and_a_selection(chromium, editor_url):
    # CodeMirror's history joins like edits (two dedents) made within its newGroupDelay, 500 ms,
    # into one undo step, as editors do, unless a selection change was recorded between them,
    # which depends on when the browser reports the selection: a loaded run's Ctrl+Z undid both
    # Shift+Tabs, a quiet run's one. The test waits past the delay before the second Shift+Tab,
    # so that Ctrl+Z undoes that one alone on any machine
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(editor_url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    editor = block.get_by_role("textbox")
    expect(editor).to_be_visible()
    # one line: the caret inside `    return w`; Shift+Tab dedents the whole line, text kept
    editor.get_by_text("return w").click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Tab")
    assert text_of(block).split("\n")[2] == "return w"
    page.keyboard.press("Tab")
    assert text_of(block).split("\n")[2] == "    return w"
    # a selection: Tab indents every line and replaces nothing; Shift+Tab dedents every line
    start = text_of(block)
    page.keyboard.press("Control+a")
    page.keyboard.press("Tab")
    assert text_of(block) == "\n".join("    " + line for line in start.split("\n"))
    page.keyboard.press("Shift+Tab")
    assert text_of(block) == start
    page.wait_for_timeout(600)  # past the history's newGroupDelay (above): a step of its own
    page.keyboard.press("Shift+Tab")
    assert text_of(block).split("\n")[1] == "# return the new weight"
    page.keyboard.press("Control+z")
    assert text_of(block) == start
    # Escape, then Tab, leaves the editor
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.cm-editor')")
    context.close()


def test_code_survives_a_reload_and_reset_can_be_undone(chromium, editor_url):
    context = chromium.new_context()
    hold_python(context)  # the editor alone: no code runs
    page = context.new_page()
    page.goto(editor_url + "alpha/a1/")
    intend(page)
    block = page.locator("#ts-run-1")
    block.get_by_role("textbox").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nprint('mine')")
    mine = text_of(block)
    kept(page, "print('mine')")  # kept a moment after the last key
    page.reload()
    intend(page)
    expect(block.get_by_role("textbox")).to_be_visible()
    assert text_of(block) == mine
    block.get_by_role("button", name="Reset").click()
    assert "mine" not in text_of(block)
    expect(block.locator(".ts-run__status")).to_contain_text("Undo reset")
    block.get_by_role("button", name="Undo reset").click()
    assert text_of(block) == mine
    # printed, the live editor gives way to its code as text: every line, no editor chrome
    page.emulate_media(media="print")
    expect(block.locator(".ts-run__print")).to_be_visible()
    expect(block.locator(".cm-editor")).to_be_hidden()
    expect(block.locator(".ts-run__label")).to_be_hidden()
    expect(block.get_by_role("button", name="Run")).to_be_hidden()
    context.close()


#: every copy of 12 MB or more the page makes with a slice, or gives Cache Storage as bytes rather
#: than a Blob (the saved memory, 15-16 MB as kept, is copied once, into the Blob, as the page
#: receives it; the largest file, pyodide.asm.wasm, is 9.6 MB)
COPIES = """
if (window.top === window) {
  window.tsCopies = [];
  const slice = ArrayBuffer.prototype.slice;
  ArrayBuffer.prototype.slice = function (...args) {
    const copy = slice.apply(this, args);
    if (copy.byteLength >= 12e6) window.tsCopies.push("slice " + copy.byteLength);
    return copy;
  };
  window.Response = new Proxy(window.Response, { construct(target, args) {
    const body = args[0];
    if (body && !(body instanceof Blob) && body.byteLength >= 12e6) window.tsCopies.push("Response " + body.byteLength);
    return Reflect.construct(target, args);
  } });
}
"""
SAVED = """async () => {
  const cache = await caches.open("tracksite-python-memory");
  return (await cache.keys()).map((r) => r.url);
}"""


@pytest.fixture(scope="module")
def learner(chromium):
    """A learner's browser for the tests that run Python: the interpreter's memory the first start
    saves there (runnable-sandbox.js) is what the next test's Python starts from, not afresh (the
    errors test cost 16.5 processor seconds, Chromium's included, in a context of its own, 13.1
    here). The saved-interpreter test clears the context first, whichever test ran before it."""
    context = chromium.new_context()
    yield context
    context.close()


def test_a_second_lesson_starts_python_early_from_the_saved_interpreter(learner, editor_url):
    """A learner who has not run code loads no Python on a page view, only on intent (a pointer
    over the editor); the first start saves the interpreter's memory in Cache Storage, and the
    next lesson's Python starts from it (not afresh: CPython's own start was most of a second
    lesson's seconds; `tracksite bench --runnable` times it), on intent again: never as its
    block comes into view, even for a learner who has run code (issue 83). A saved copy whose
    digest is not the one the page noted is dropped and Python starts afresh."""
    context = learner
    page = context.new_page()
    # a new profile's storage and cache, whichever test ran in this context before
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": editor_url.rstrip("/"), "storageTypes": "all"})
    cdp.send("Network.clearBrowserCache")
    cdp.detach()
    asked: list[tuple[float, str]] = []

    def ask(request) -> None:
        if "/pyodide/" in request.url:
            asked.append((time.monotonic(), request.url))

    context.on("request", ask)
    page.add_init_script(COPIES)
    page.goto(editor_url + "alpha/a1/")
    block = page.locator("#ts-run-1")
    page.wait_for_timeout(500)
    assert asked == [], "Python was loaded on a mere page view"
    intend(page)
    expect(block.get_by_role("textbox")).to_be_visible()
    block.get_by_role("textbox").hover()
    assert soon(page, lambda: asked), "a pointer over the editor did not start Python"
    block.get_by_role("button", name="Run").click()
    expect(block.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "fresh")
    assert soon(page, lambda: page.evaluate(SAVED), 60), "the first start saved no interpreter"
    (saved,) = page.evaluate(SAVED)
    assert saved.startswith(editor_url + "assets/tracksite/pyodide/memory/")  # kept by the page, per course
    # the copy the fresh frame handed over was copied once, into the Blob kept and handed on
    # (sliced out of its buffer and given to Cache Storage as bytes too, before)
    assert page.evaluate("window.tsCopies") == []
    # kept without the memory's pages of zeros: 31.5 MB as Pyodide copies it, about half as kept
    size = page.evaluate(
        "async (key) => (await (await (await caches.open('tracksite-python-memory')).match(key)).blob()).size", saved
    )
    assert 12_000_000 < size < 20_000_000, size

    asked.clear()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if "runnable" in r.url or "codemirror" in r.url else None)
    page.goto(editor_url + "alpha/a3/")
    hello = page.locator(".ts-run").nth(1)
    hello.scroll_into_view_if_needed()  # seen, by a learner who has run code: still no Python (issue 83)
    page.wait_for_timeout(1000)
    assert asked == [] and [u for u in scripts if u.endswith(".js")] == [], (asked, scripts)
    hello.hover()  # intent: the editor, then Python, from the memory the first start saved
    expect(hello.get_by_role("textbox")).to_be_visible()
    hello.get_by_role("textbox").hover()
    # started before any Run: the interpreter's files now come from the page's kept copies (issue 83,
    # test_runnable_interpreter_kept.py), so the start shows on the page, not as a request
    assert soon(page, lambda: page.evaluate(PYTHON) in ("starting", "ready")), "no early start"
    page.wait_for_function("() => document.documentElement.dataset.tsPython === 'ready'", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    hello.get_by_role("button", name="Run").click()
    expect(hello.locator(".ts-run__output")).to_have_text("hello\n", timeout=START)

    # a copy cut short (a write the browser did not finish), or any other than the page noted
    # (its digest differs): dropped, Python starts afresh
    page.evaluate(
        """async (key) => {
          const cache = await caches.open("tracksite-python-memory");
          const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
          await cache.put(key, new Response(bytes.slice(0, bytes.length - 1000)));
        }""",
        saved,
    )
    page.reload()
    intend(page)
    hello = page.locator(".ts-run").nth(1)
    hello.get_by_role("button", name="Run").click()
    expect(hello.locator(".ts-run__output")).to_have_text("hello\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "fresh")
    context.remove_listener("request", ask)
    page.close()


def test_errors_editors_and_imports_as_a_learner_meets_them(learner, editor_url):
    """At 390 px: no editor scrolls sideways, every editor and button names its exercise, an
    error quotes its line and the editor marks it, `import numpy` says what there is. (In the
    context the test above leaves: Python starts from the memory saved there, where it is.)"""
    page = learner.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(editor_url + "alpha/a3/")
    intend(page)
    blocks = page.locator(".ts-run")
    blocks.nth(1).hover()  # the second block's editor is drawn when touched (issue 93)
    expect(blocks.nth(1).get_by_role("textbox")).to_be_visible()
    overflow = page.evaluate(
        "() => Array.from(document.querySelectorAll('.cm-scroller'), s => s.scrollWidth - s.clientWidth)"
    )
    assert len(overflow) == 2 and max(overflow) <= 1, overflow
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    names = [page.locator(".ts-run").nth(i).get_by_role("textbox").get_attribute("aria-label") for i in range(2)]
    assert names == ["Code (editable): Add them up", "Code (editable): Hello"]
    assert blocks.nth(0).get_by_role("button", name="Run: Add them up").count() == 1
    assert axe_violations(page, every_rule=True) == []  # the gutter's contrast, no scrolling box

    first = blocks.nth(0)
    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("x = 1\nprint(x + y)\n")
    first.get_by_role("button", name="Run").click()
    expect(first.locator(".ts-run__status")).to_contain_text("line 2", timeout=START)
    expect(first.locator(".ts-run__status")).not_to_contain_text("Not yet")
    expect(first.locator(".ts-run__output")).to_contain_text('File "<code>", line 2')
    expect(first.locator(".ts-run__output")).to_contain_text("print(x + y)")  # the line itself
    expect(first.locator(".ts-run__errline")).to_have_count(1)
    assert first.locator(".ts-run__errline").text_content() == "print(x + y)"
    # the keyboard's way to it (issue 83): a button to the line, the caret there, the editor focused
    first.get_by_role("button", name="Go to line 2: Add them up").press("Enter")
    expect(first.get_by_role("textbox")).to_be_focused()
    assert page.evaluate("() => document.querySelector('#ts-run-1 .cm-activeLine').textContent") == "print(x + y)"

    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("import numpy\n")
    first.get_by_role("button", name="Run").click()
    expect(first.locator(".ts-run__status")).to_contain_text("standard library", timeout=START)
    expect(first.locator(".ts-run__status")).to_contain_text("math, random")

    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("total = 1\n")
    first.get_by_role("button", name="Check").click()
    # the author's assert message, not its f-string source
    expect(first.locator(".ts-run__status")).to_contain_text("total is 1", timeout=START)
    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("name = input()\n")
    first.get_by_role("button", name="Run").click()
    expect(first.locator(".ts-run__status")).to_contain_text("input() cannot ask", timeout=START)
    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("print('x' * 250_000)\n")
    first.get_by_role("button", name="Run").click()
    expect(first.locator(".ts-run__cut")).to_contain_text("output cut here", timeout=START)

    # a pass and the code are the exercise's, in its lesson and in the track's exercise pack
    first.get_by_role("textbox").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("total = sum(range(34))\n")
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".ts-run__status")).to_have_text("Passed: every check holds.", timeout=START)
    kept(page, "total = sum(range(34))")  # the code is kept a moment after the last key
    page.goto(editor_url + "alpha/exercises/")
    intend(page)
    packed = page.locator(".ts-run").filter(has_text="Add them up")
    expect(packed.locator(".ts-run__before")).to_have_text("You passed this exercise before.")
    expect(packed.locator(".ts-run__print")).to_have_text("total = sum(range(34))\n")
    expect(page.get_by_text("the task of this exercise")).to_be_visible()
    page.close()


def test_the_exercise_pack_prints_each_task_and_every_line_of_code(chromium, editor_site):
    result = pdf_command(editor_site, "alpha", "--no-build", "--no-booklet", browser=chromium)
    assert result.returncode == 0, result.stderr
    packs = sorted(editor_site.glob("pdf/**/*xercise*.pdf"))
    assert packs, sorted(p.name for p in editor_site.glob("pdf/**/*"))
    text = " ".join(pdf_text(packs[0]).split())
    assert "the task of this exercise" in text
    assert "the last line of the starting code" in text and "line 35" in text
    assert "wraps" in text  # the long line's end, wrapped rather than cut at the edge
    assert "Code (editable)" not in text
