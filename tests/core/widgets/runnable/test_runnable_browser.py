"""`/// runnable` in real Chromium (issue 55), from a built fixture course served over HTTP: Run
prints, an endless loop is ended by the time limit and by Stop and the next run works, Check
gives both verdicts and records a pass, a runnable predict block runs once its output is shown,
no request leaves the origin, a page without runnable code loads no interpreter, axe finds
nothing at 390 px in either palette, a page opened from a file says how to serve it, and a host
whose policy header forbids WebAssembly gets a block that says so. Python's first start takes
seconds: the runs share one page. The SCORM packages (1.2 and 2004) run code and score a passed
Check in tests/browser/test_code_channels.py, with every other channel."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.axe import AXE, WCAG_22_AA
from support.course import intend
from support.runnable import START
from tracksite.localserver import QuietHandler, serve_folder

pytestmark = pytest.mark.browser

RUNTIME = ("/pyodide/", "runnable-worker.js", "runner.py")


def axe(page) -> list[str]:
    results = AXE.run(page, options={"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [f"{v['id']}: {n['target']}" for v in results.response["violations"] for n in v["nodes"]]


def test_code_runs_is_stopped_and_checked_in_the_page(chromium, runnable_url):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(runnable_url + "alpha/a1/", wait_until="networkidle")
    exercise, loop = page.locator("#ts-run-1"), page.locator("#ts-run-2")
    # a page view loads neither the editor nor Python (issue 83): the build's code stands in
    assert not [u for u in requests if any(r in u for r in (*RUNTIME, "runnable.js", "runnable-editor", "codemirror"))]
    intend(page)  # (a pointer over the editor starts Python: the learner is about to run)

    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    expect(exercise.locator(".ts-run__status")).to_have_text("Finished.")

    exercise.get_by_role("button", name="Check").click()
    expect(exercise.locator(".ts-run__status")).to_contain_text("Not yet: the check on line 1 does not hold")
    expect(exercise.locator(".ts-run__hint")).to_be_visible()
    exercise.get_by_label("Code (editable)").fill("def step(w, grad, lr):\n    return w - lr * grad\n")
    exercise.get_by_role("button", name="Check").click()
    expect(exercise.locator(".ts-run__status")).to_have_text("Passed: every check holds.")
    stored = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes(':runnable:'))")
    assert len(stored) == 1 and '"first":{"0":1}' in stored[0][1], stored

    loop.get_by_role("button", name="Run").click()
    expect(loop.locator(".ts-run__output")).to_have_text("start\n", timeout=START)
    expect(loop.locator(".ts-run__status")).to_contain_text("Stopped after 3 seconds", timeout=START)
    loop.get_by_role("button", name="Run").click()  # a new worker: Python starts again
    expect(loop.locator(".ts-run__output")).to_have_text("start\n", timeout=START)
    loop.get_by_role("button", name="Stop").click()
    expect(loop.locator(".ts-run__status")).to_have_text("Stopped.")
    exercise.get_by_role("button", name="Reset").click()
    expect(exercise.locator(".ts-run__print")).to_have_text(  # the code as it prints: the editor's text
        "def step(w, grad, lr):\n    # return the new weight\n    return w\nprint(step(1.0, 0.5, 0.1))"
    )
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)

    predict = page.locator(".ts-predict")
    predict.get_by_text("Show the output").click()
    predict.get_by_role("button", name="Run").click()
    expect(predict.locator(".ts-run__output")).to_have_text("6\n", timeout=START)

    # Escape then Tab leaves the editor (tests/core/widgets/runnable/test_code_editor.py: the rest of its keys)
    editor = exercise.get_by_label("Code (editable)")
    editor.press("Escape")
    editor.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.cm-editor')")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not [u for u in requests if not u.startswith(runnable_url) and not u.startswith(("data:", "blob:"))]
    assert any(u.endswith("pyodide.asm.wasm") for u in requests)
    assert axe(page) == []
    assert errors == []
    dark = page  # a new load, in the dark palette (a page of its own cost Chromium a renderer)
    dark.emulate_media(color_scheme="dark")
    dark.goto(runnable_url + "alpha/a1/")
    intend(dark)
    expect(dark.locator("#ts-run-1").get_by_role("button", name="Run")).to_be_visible()
    assert axe(dark) == []
    context.close()


def test_a_page_without_runnable_code_loads_no_interpreter(chromium, runnable_url):
    context = chromium.new_context()
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    for address in ("", "alpha/a2/", "alpha/a1/overview/"):
        page.goto(runnable_url + address, wait_until="networkidle")
    assert requests and not [
        u for u in requests if any(r in u for r in (*RUNTIME, "runnable.", "runnable-editor", "codemirror"))
    ]
    context.close()


def test_a_page_opened_from_a_file_says_how_to_serve_it(chromium, runnable_site):
    context = chromium.new_context()
    page = context.new_page()
    page.goto((runnable_site / "alpha/a1/index.html").as_uri())
    intend(page)
    block = page.locator("#ts-run-1")
    expect(block.get_by_role("note")).to_contain_text("python3 -m http.server")
    expect(block.get_by_role("button", name="Run")).to_have_count(0)
    context.close()


class StrictHeader(QuietHandler):
    """A host that sends the pages' policy as a header, without 'wasm-unsafe-eval': the worker,
    started from a blob: URL, inherits it (issue 69), so the header reaches the worker's code."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; worker-src blob:")
        super().end_headers()


def test_a_server_policy_without_webassembly_is_named_in_the_block(chromium, runnable_site):
    context = chromium.new_context()
    page = context.new_page()
    with serve_folder(runnable_site, StrictHeader) as base:
        page.goto(base + "alpha/a1/")
        intend(page)
        block = page.locator("#ts-run-1")
        block.get_by_role("button", name="Run").click()
        expect(block.locator(".ts-run__status")).to_contain_text("Python could not start", timeout=START)
        expect(block.locator(".ts-run__status")).to_contain_text("'wasm-unsafe-eval'")
    context.close()
