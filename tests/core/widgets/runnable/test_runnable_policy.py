"""Issue 69 in real Chromium: the Python worker runs under the page's policy, wherever the page is
read. An exercise's hidden `tests:` (which a pull request writes) try `js.fetch` and `js.eval` to
another origin, a dynamic `import()`, an XMLHttpRequest and a fetch of a file of the hosting
origin outside the site, and the Cache Storage that keeps the interpreter's memory for the next
start (issue 70), when a learner presses Check: on the built site (there again in a start from
that memory, and under a policy sent as a header), no request reaches the other origin nor the
hosting origin's other files, and Python still runs the exercise. The same attempts, as the
learner's code (one worker runs both), are refused in every other channel (`mkdocs serve`, the
offline copy, SCORM 1.2 and 2004, the cartridge): tests/browser/test_code_channels.py, which
plays each channel once.

The pages' policy is a `<meta>` tag; the worker, started from a blob: URL, inherits it (measured
here: on the old code, a worker loaded from the site's URL had no policy at all, and the same
tests made requests to the other origin)."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from playwright.sync_api import expect

from support.course import lesson_md, write
from support.runnable import SAVED_MEMORY, OtherOrigin, attempts, held, other_origin, runnable_course
from support.sites import run_mkdocs
from support.waits import until
from tracksite.localserver import QuietHandler, serve_folder

pytestmark = pytest.mark.browser

START = 90_000


def attack(other: str) -> str:
    """The exercise: harmless code and solution, hostile hidden tests (their imports hidden from
    the static check, as an attacker hides them)."""
    hidden = 'js = getattr(__import__("builtins"), "__imp" + "ort__")("j" + "s")\n'
    tests = hidden + attempts(other) + "assert x == 2\n"
    return (
        "/// runnable | Hostile tests\ncode: x = 1\ntests: |\n"
        + "".join(f"  {line}\n" for line in tests.splitlines())
        + "solution: x = 2\ntimeout: 20\n///\n"
    )


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    with other_origin(tmp_path_factory.mktemp("other-origin")) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_course(tmp_path_factory, other):
    root = runnable_course(tmp_path_factory.mktemp("hostile") / "course")
    write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body="## Practice\n\n" + attack(other)))
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def press_check(frame) -> str:
    """Check on the hostile block, with the code that passes; what the tests printed (shown apart
    from the learner's output since issue 85)."""
    block = frame.locator("[data-widget=runnable]").first
    block.hover()  # intent: runnable.js loads (issue 83)
    block.get_by_label("Code (editable)").fill("x = 2")
    block.get_by_role("button", name="Check").click()
    expect(block.locator(".ts-run__status")).to_have_text("Passed: every check holds.", timeout=START)
    time.sleep(1.5)  # a request the tests started would have arrived
    return block.locator(".ts-run__checks").text_content() or ""


@pytest.fixture(scope="module")
def hosted(hostile_course, tmp_path_factory):
    """The built site, served, with beside its hostile lesson (alpha/a2/, its policy a `<meta>`
    tag) a copy of it whose policy comes as a header instead (alpha/a2h/, as a host that sends
    the page's policy as a header and no `<meta>` tag serves it; the worker's own files come with
    no header at all): one origin, so one learner's context serves both, the second lesson's
    Python starting from the memory the first saved (a fresh start in a context of its own cost
    the header's test about 7 processor seconds more: 9.9, 3.0 so)."""
    site = tmp_path_factory.mktemp("hosted") / "site"
    shutil.copytree(hostile_course / "site", site)
    html = (site / "alpha/a2/index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta is not None
    (site / "alpha/a2h").mkdir()
    (site / "alpha/a2h/index.html").write_text(html.replace(meta.group(0), ""), encoding="utf-8")

    class Header(QuietHandler):
        def end_headers(self) -> None:
            if self.path.startswith("/alpha/a2h/"):
                self.send_header("Content-Security-Policy", meta.group(1))
            super().end_headers()

    with serve_folder(site, Header) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_learner(chromium):
    """One learner's browser for the module's tests on `hosted`."""
    context = chromium.new_context()
    yield context
    context.close()


def test_hidden_tests_reach_no_other_origin_from_the_built_site(hostile_learner, hosted):
    OtherOrigin.seen.clear()
    page = hostile_learner.new_page()
    # a new profile's storage, whichever test ran in this context before: the first start is fresh
    cdp = hostile_learner.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": hosted.rstrip("/"), "storageTypes": "all"})
    cdp.detach()
    page.goto(hosted + "alpha/a2/")
    out = press_check(page)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "fresh")
    held(out)
    # issue 70: the next start is from the interpreter's memory the first one saved, and is held alike
    # an async predicate is a promise, which wait_for_function takes as true at once: poll instead
    assert until(page, lambda: page.evaluate(SAVED_MEMORY), START / 1000)
    page.reload()
    out = press_check(page)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    held(out)
    page.close()


def test_hidden_tests_reach_no_other_origin_under_a_header_policy(hostile_learner, hosted):
    """A host that sends the page's policy as a header (and no `<meta>` tag): the worker inherits
    that one too."""
    OtherOrigin.seen.clear()
    page = hostile_learner.new_page()
    page.goto(hosted + "alpha/a2h/")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 0
    out = press_check(page)
    held(out)
    page.close()


def test_the_worker_of_a_runnable_page_may_only_be_a_blob(hostile_course):
    """The policy a runnable page carries: its worker from a blob: URL (which inherits it), no
    worker from a URL (which would run under its own response's headers), no eval."""
    html = (hostile_course / "site/alpha/a2/index.html").read_text(encoding="utf-8")
    policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["worker-src"] == ["blob:"]
    assert "'unsafe-eval'" not in policy and directives["connect-src"] == ["'self'"]
