"""The runnable editor for every learner (issue 83), in real Chromium on a built fixture course:
a keyboard-only learner leaves the editor after Escape whatever they do before Tab but change
the code (a wait, an arrow key to read a line), with the code unchanged, and Ctrl+M keeps Tab
moving the focus; the way out is in the editor's description in Chromium's accessibility tree.
The learner's code is kept by the exercise's place, so a course update that rewords its starting
code keeps it, with a notice that offers the new starting code. tests/browser/test_code_editor.py
has the editor's editing behaviour."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import run_mkdocs
from test_runnable import EXERCISE, runnable_course

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


def text_of(block) -> str:
    return block.locator(".ts-run__print").text_content()


def in_editor(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('.cm-editor')")


def test_escape_then_tab_leaves_after_a_wait_or_a_read_line_and_ctrl_m_holds(chromium, access_url):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
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
    page = context.new_page()
    page.goto(access_url + "alpha/a1/")
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
    page = context.new_page()
    page.goto(url + "alpha/a1/")
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
    block = page.locator("#ts-run-1")
    expect(block.get_by_role("textbox")).to_contain_text("print('kept before')")
    stored = page.evaluate("(k) => [window.tracksite.load(k.old, null), window.tracksite.load(k.place, null)]", keys)
    assert stored[0] is None and stored[1]["code"] == "print('kept before')", stored
    expect(block.locator(".ts-run__changed")).to_have_count(0)
    context.close()
