"""Progress kept across a new name and a new address (issue 83): with mkdocs.yml's `course_id:`,
a learner's progress survives the course renamed and its site served at another path; and a course
that starts declaring one moves what learners kept under its earlier, name-and-address namespace
(widgets.js), never over a key the new namespace already holds."""

from __future__ import annotations

import pytest

from support import harness
from support.course import MKDOCS_YML, make_course

pytestmark = pytest.mark.browser

LESSON = "alpha/a1/"


def configure(root, site_name: str, course_id: str | None) -> None:
    """The fixture course's mkdocs.yml under `site_name`, declaring `course_id` or none."""
    plugin = f"  - tracksite:\n      course_id: {course_id}\n" if course_id else "  - tracksite\n"
    text = MKDOCS_YML.replace("site_name: Fixture course", f"site_name: {site_name}").replace("  - tracksite\n", plugin)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")


def done(page, url: str) -> str | None:
    page.goto(url, wait_until="load")
    toggle = page.locator(".ts-progress__toggle")
    toggle.wait_for()
    return toggle.get_attribute("aria-pressed")


def keys(page) -> dict:
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def test_progress_survives_a_renamed_course_served_at_another_path(chromium, serve_site, tmp_path):
    root = make_course(tmp_path / "course")
    served = tmp_path / "served"
    configure(root, "Fixture course", "fixture-id")
    harness.build(root, site=served / "first")
    configure(root, "A renamed course", "fixture-id")
    harness.build(root, site=served / "moved" / "here")
    base = serve_site(served)
    context = chromium.new_context()
    try:
        page = context.new_page()
        assert done(page, f"{base}/first/{LESSON}") == "false"
        page.locator(".ts-progress__toggle").click()
        assert done(page, f"{base}/first/{LESSON}") == "true"
        assert done(page, f"{base}/moved/here/{LESSON}") == "true"  # another name, another path
        assert "A renamed course" in page.title()
    finally:
        context.close()


def test_a_course_that_declares_its_id_moves_its_learners_keys(chromium, serve_site, tmp_path):
    root = make_course(tmp_path / "course")
    served = tmp_path / "served"
    configure(root, "Fixture course", None)  # as every course was built before course_id
    harness.build(root, site=served / "site")
    base = serve_site(served)
    context = chromium.new_context()
    try:
        page = context.new_page()
        assert done(page, f"{base}/site/{LESSON}") == "false"
        page.locator(".ts-progress__toggle").click()
        before = keys(page)
        (old,) = [k for k in before if k.endswith(":progress")]
        old_ns = old.removesuffix("progress")

        configure(root, "Fixture course", "fixture-id")  # the same site, now with its own id
        harness.build(root, site=served / "site")
        meta = harness.page(served / "site", LESSON).find("meta", attrs={"name": "tracksite-course"})
        new_ns = f"tracksite:{meta['content']}:"
        assert new_ns != old_ns
        # a key the new namespace already holds is newer: the earlier one does not overwrite it
        page.evaluate(
            "([o, n]) => { localStorage.setItem(o + 'kept', '{\"v\":1}'); localStorage.setItem(n + 'kept', '{\"v\":2}'); }",
            [old_ns, new_ns],
        )
        assert done(page, f"{base}/site/{LESSON}") == "true"  # the learner's progress moved
        after = keys(page)
        assert not [k for k in after if k.startswith(old_ns)]  # moved, not copied
        assert after[new_ns + "progress"] == before[old]
        assert after[new_ns + "kept"] == '{"v":2}'
        page.locator(".ts-progress__toggle").click()  # undone under the new namespace, and stays so
        assert done(page, f"{base}/site/{LESSON}") == "false"
    finally:
        context.close()
