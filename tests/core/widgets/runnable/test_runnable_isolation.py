"""Issue 81 (W8, W9, W11) in real Chromium: the code of a run reaches nothing of the origin that
serves the course. Two courses sit under one origin, beside a file of that origin outside both
(`/secret.txt`), as on a GitHub Pages account or an LMS. Course A's hidden `tests:` (written by a
pull request; their imports hidden from the static check) take the worker's own powers back from
`WorkerGlobalScope.prototype`, where the old confinement had only shadowed them on `self`: its
`fetch` (credentialed, to the file outside the course and to one inside it), a synchronous
XMLHttpRequest, `importScripts`, its `caches` (planting an interpreter's memory under the keys the
courses read), IndexedDB, OPFS, storage buckets and a WebSocketStream. The server sees none of
those requests, the origin's storage holds nothing planted, the run's attempts are refused, and
course B's next start runs B's own exercise as B wrote it (a wrong answer fails).

On the old code the prototype's fetch read `/secret.txt` with the learner's cookie and the
prototype's `caches` wrote the planted memory; the runs now execute in a sandboxed frame's
worker, an opaque origin under a policy that allows no request (runnable-sandbox.js)."""

from __future__ import annotations

import shutil
import time

import pytest
from playwright.sync_api import expect

from support.course import intend, lesson_md, write
from support.runnable import SAVED_MEMORY, runnable_course
from support.serving import Recorder
from support.sites import run_mkdocs
from support.waits import until
from tracksite.localserver import serve_folder

pytestmark = pytest.mark.browser

START = 90_000
HOST = "HOSTINGORIGIN"  # replaced in the built pages by the address the test serves them from
TRIES = ("fetch", "inside", "xhr", "import", "caches", "idb", "opfs", "buckets", "wss")


class Host(Recorder):
    seen: list[str] = []


def plant() -> str:
    """Hidden tests that try every power of the origin the issue named, through the prototype."""
    tests = f"""\
js = getattr(__import__("builtins"), "__imp" + "ort__")("j" + "s")
host = "{HOST}"
proto = js.WorkerGlobalScope.prototype
def own(name):
    d = js.Object.getOwnPropertyDescriptor(proto, name)
    return js.Reflect.apply(d.get, None, js.Array.of()) if d.get else d.value
def call(name, *args):
    return js.Reflect.apply(js.Object.getOwnPropertyDescriptor(proto, name).value, None, js.Array.of(*args))
def attempt(name, act):
    try:
        act()
        print(name, "went")
    except BaseException as e:
        print(name, "refused", type(e).__name__, str(e)[:120].replace(chr(10), " "))
creds = js.Object.fromEntries([["credentials", "include"], ["mode", "no-cors"]])
attempt("fetch", lambda: call("fetch", host + "/secret.txt", creds))
attempt("inside", lambda: call("fetch", host + "/course-a/planted-inside.txt", creds))
def xhr():
    x = js.XMLHttpRequest.new()
    x.open("GET", host + "/secret-xhr.txt", False)
    x.send()
attempt("xhr", xhr)
attempt("import", lambda: call("importScripts", host + "/secret-import.js"))
def memory(cache):
    for key in ("/course-b/assets/tracksite/pyodide/python-314.0.7.memory", "/course-b/assets/tracksite/pyodide/planted"):
        cache.put(host + key, js.Response.new("planted"))
def caches():
    store = own("caches")
    for name in ("tracksite-python", "tracksite-python-memory"):
        store.open(name).then(memory)
attempt("caches", caches)
attempt("idb", lambda: own("indexedDB").open("planted"))
def method(owner, name, *args):
    return js.Reflect.apply(js.Reflect.get(owner, name), owner, js.Array.of(*args))
navigator = own("navigator")
storage = js.Reflect.get(navigator, "storage")
create = js.Object.fromEntries([["create", True]])
attempt("opfs", lambda: method(storage, "getDirectory").then(lambda d: method(d, "getFileHandle", "planted", create)))
attempt("buckets", lambda: method(js.Reflect.get(navigator, "storageBuckets"), "open", "planted"))
attempt("wss", lambda: js.WebSocketStream.new(host.replace("http", "ws") + "/planted-ws"))
assert x == 2
"""
    return (
        "/// runnable | Planted tests\ncode: x = 1\ntests: |\n"
        + "".join(f"  {line}\n" for line in tests.splitlines())
        + "solution: x = 2\ntimeout: 20\n///\n"
    )


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    root = runnable_course(tmp_path_factory.mktemp("planted") / "course")
    write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body="## Practice\n\n" + plant()))
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def origin_storage(page) -> dict:
    """What the origin's own storage holds, read by the trusted page."""
    return page.evaluate(
        """async () => {
        const cached = [];
        for (const name of await caches.keys()) {
          for (const r of await (await caches.open(name)).keys()) cached.push(name + " " + r.url);
        }
        const dbs = (await indexedDB.databases()).map((d) => d.name);
        let opfs = [];
        try { for await (const k of (await navigator.storage.getDirectory()).keys()) opfs.push(k); } catch (e) {}
        const buckets = navigator.storageBuckets ? await navigator.storageBuckets.keys() : [];
        return { cached, dbs, opfs, buckets };
      }"""
    )


def test_a_run_reaches_nothing_of_its_origin_and_plants_nothing_for_another_course(chromium, planted_site, tmp_path):
    host = tmp_path / "host"
    for course in ("course-a", "course-b"):
        shutil.copytree(planted_site, host / course)
    (host / "secret.txt").write_text("the origin's own data", encoding="utf-8")
    Host.seen.clear()
    context = chromium.new_context()
    page = context.new_page()
    with serve_folder(host, Host) as base:
        origin = base.rstrip("/")
        for page_file in (host / "course-a/alpha/a2/index.html",):
            page_file.write_text(page_file.read_text(encoding="utf-8").replace(HOST, origin), encoding="utf-8")
        context.add_cookies([{"name": "session", "value": "learner", "url": base}])

        # course B starts once, so that its saved memory is what a planted one would replace
        page.goto(base + "course-b/alpha/a1/")
        intend(page)  # the editor loads on a learner's intent (issue 83)
        page.locator("#ts-run-1").get_by_role("button", name="Run").click()
        expect(page.locator("#ts-run-1 .ts-run__output")).to_have_text("1.0\n", timeout=START)
        # an async predicate is a promise, which wait_for_function takes as true at once: poll instead
        assert until(page, lambda: page.evaluate(SAVED_MEMORY), START / 1000)

        page.goto(base + "course-a/alpha/a2/")
        intend(page)  # the editor loads on a learner's intent (issue 83)
        block = page.locator("[data-widget=runnable]").first
        block.get_by_label("Code (editable)").fill("x = 2")
        block.get_by_role("button", name="Check").click()
        expect(block.locator(".ts-run__status")).to_have_text("Passed: every check holds.", timeout=START)
        # what the hidden tests printed is shown apart from the learner's output (issue 85)
        out = block.locator(".ts-run__output").inner_text() + (block.locator(".ts-run__checks").text_content() or "")
        time.sleep(2)  # what the tests started would have arrived
        stored = origin_storage(page)
        reached = [r for r in Host.seen if any(w in r for w in ("secret", "planted"))]
        assert reached == [], f"the run's requests reached the origin: {reached}\n{out}"
        for name in ("xhr", "import", "caches", "idb"):
            assert f"{name} refused" in out, out
        assert set(TRIES) <= {line.split()[0] for line in out.splitlines() if line.split()}, out
        assert not [v for values in stored.values() for v in values if "planted" in v], stored

        # course B's next start: B's own interpreter, which judges B's exercise as B wrote it
        page.goto(base + "course-b/alpha/a1/")
        intend(page)  # the editor loads on a learner's intent (issue 83)
        exercise = page.locator("#ts-run-1")
        exercise.get_by_role("button", name="Check").click()
        expect(exercise.locator(".ts-run__status")).to_contain_text("Not yet", timeout=START)
        expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    context.close()
