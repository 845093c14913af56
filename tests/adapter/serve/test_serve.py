"""`mkdocs serve` as an instructor uses it: edits reload, errors show and the server survives."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

from support.course import lesson_md, override, write
from support.serving import fetch, serving, wait_for


@pytest.fixture
def live_server(course):
    with serving(course) as (base, proc):
        yield base, course, proc


def test_live_reload_of_lessons_and_cheatsheets(live_server):
    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("title: First lesson", "title: First lesson, revised"))
    wait_for(base + "alpha/a1/", "First lesson, revised")
    sheet = course / "cheatsheets/alpha/a1.md"
    sheet.write_text(sheet.read_text() + "\n## Added while serving\n")
    wait_for(base + "alpha/a1/cheatsheet/", "Added while serving")


def test_errors_show_in_browser_and_server_keeps_running(live_server):
    base, course, proc = live_server
    wait_for(base, "Fixture course")
    lesson = course / "lessons/alpha/a1/lesson.md"
    good = lesson.read_text()
    lesson.write_text(good.replace("difficulty: standard", "difficulty: hard"))
    body = wait_for(base, "The course has problems")
    assert "lessons/alpha/a1/lesson.md:9" in body and "hard" in body
    assert proc.poll() is None
    lesson.write_text(good)
    wait_for(base + "alpha/a1/", "First lesson")


def test_drafts_show_under_serve(live_server):
    base, course, proc = live_server
    wait_for(base, "Fixture course")
    lesson = course / "lessons/alpha/a2/lesson.md"
    lesson.write_text(lesson.read_text().replace("math: none", "math: none\nstatus: draft"))
    body = wait_for(base + "alpha/a2/", "ts-banner--draft")
    assert "Lesson 2 of 3" in body


def test_server_starts_on_a_broken_course_even_in_strict_mode(course):
    """The bundled mkdocs.yml sets `strict: true`: problems must still show, not stop the server."""
    (course / "mkdocs.yml").write_text((course / "mkdocs.yml").read_text() + "strict: true\n")
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("difficulty: standard", "difficulty: hard"))
    with serving(course) as (base, proc):
        body = wait_for(base, "The course has problems")
        assert "lessons/alpha/a1/lesson.md:9" in body
        assert proc.poll() is None
    assert "lessons/alpha/a1/lesson.md:9: [TS104] difficulty" in proc.output


def fetch_within(url: str, seconds: float) -> tuple[str, float]:
    """The body at `url` and how long it took; a request that hangs fails instead of waiting."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=seconds) as r:
            body = r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace")
    except OSError as e:
        pytest.fail(f"{url} did not answer within {seconds} s: {e}")
    return body, time.monotonic() - start


def break_with_relative_link(course):
    """A problem `tracksite check` does not see and only MkDocs reports (under strict)."""
    lesson = course / "lessons/alpha/a1/lesson.md"
    good = lesson.read_text()
    lesson.write_text(good.replace("## Details", "See [the reference](../reference.md).\n\n## Details"))
    return lesson, good


def test_every_url_shows_the_problems_while_they_exist(live_server):
    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    lesson = course / "lessons/alpha/a1/lesson.md"
    good = lesson.read_text()
    lesson.write_text(good.replace("difficulty: standard", "difficulty: hard"))
    wait_for(base, "The course has problems")
    for path in ("alpha/a1/", "alpha/a1/overview/", "beta/b1/", "no/such/page/", "alpha/a2/index.html"):
        body, _ = fetch_within(base + path, 30)
        assert "The course has problems" in body and "lessons/alpha/a1/lesson.md:9" in body, path
    assert "tracksite/theme.css" in fetch(base + "alpha/a1/"), "the problems page keeps its styles"
    lesson.write_text(good)
    wait_for(base + "alpha/a1/", "First lesson")
    assert "The course has problems" not in fetch(base + "beta/b1/")


@pytest.mark.parametrize("broken_at_start", [False, True], ids=["while-serving", "at-start"])
def test_problems_only_mkdocs_reports_show_without_hanging(course, broken_at_start):
    (course / "mkdocs.yml").write_text((course / "mkdocs.yml").read_text() + "strict: true\n")
    if broken_at_start:
        lesson, good = break_with_relative_link(course)
    with serving(course) as (base, proc):
        if not broken_at_start:
            wait_for(base + "alpha/a1/", "First lesson")
            lesson, good = break_with_relative_link(course)
        body = wait_for(base + "alpha/a2/", "The course has problems")
        assert "../reference.md" in body and "lessons/alpha/a1/lesson.md" in body
        for path in ("", "alpha/a1/", "beta/b2/"):
            body, _ = fetch_within(base + path, 30)
            assert "../reference.md" in body, path
        lesson.write_text(good)
        wait_for(base + "alpha/a1/", "First lesson")
        body, _ = fetch_within(base + "alpha/a2/", 30)
        assert "The course has problems" not in body and "Second lesson" in body
        assert proc.poll() is None


def test_serve_recovers_after_its_watched_folders_vanish_and_come_back(live_server, tmp_path):
    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    for folder in ("lessons", "cheatsheets"):
        away = tmp_path / f"{folder}-away"
        (course / folder).rename(away)
        time.sleep(1.5)
        away.rename(course / folder)
        time.sleep(1.5)
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("title: First lesson", "title: First lesson, after the move"))
    wait_for(base + "alpha/a1/", "First lesson, after the move", seconds=15)
    sheet = course / "cheatsheets/alpha/a1.md"
    sheet.write_text(sheet.read_text() + "\n## Added after the move\n")
    wait_for(base + "alpha/a1/cheatsheet/", "Added after the move", seconds=15)


def test_reload_script_is_a_file_of_the_site_not_an_inline_script(live_server):
    """MkDocs' inline reload script is blocked by the CSP; the served page loads it by `src`."""
    from bs4 import BeautifulSoup

    base, course, proc = live_server
    soup = BeautifulSoup(wait_for(base + "alpha/a1/", "First lesson"), "lxml")
    inline = [s for s in soup.find_all("script") if not s.get("src") and "livereload" in s.get_text()]
    assert inline == []
    reload = [s for s in soup.find_all("script") if "livereload" in (s.get("src") or "")]
    assert len(reload) == 1 and reload[0]["src"].startswith("/") and reload[0]["data-epoch"].isdigit()
    js = fetch(base + reload[0]["src"].lstrip("/"))
    assert "location.reload()" in js
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    script_src = next(part for part in policy.split(";") if part.split()[0] == "script-src")
    assert "'unsafe-inline'" not in script_src


def test_a_build_that_raises_shows_its_error_on_every_page(live_server):
    """An error MkDocs raises mid-build (here: a broken theme template, which also breaks the
    themed problems page) is shown on a plain problems page at every address, and requests
    answer instead of waiting for a build that never ends."""
    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    template = override(course, "main.html")
    good = template.read_text()
    template.write_text(good + "\n{% block broken %}\n")
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text() + "\nA save that rebuilds.\n")  # serve does not watch the theme
    body = wait_for(base + "beta/b1/", "The course has problems")
    assert "MkDocs: the build failed" in body and "livereload.js" in body
    fetch_within(base + "alpha/a2/", 30)  # answers, does not wait for a build that never ends
    assert proc.poll() is None
    template.write_text(good)
    lesson.write_text(lesson.read_text() + "\nAnother save.\n")
    wait_for(base + "beta/b1/", "Beta one")


def test_built_site_has_no_reload_script(fixture_site):
    """The reload script is a thing of `mkdocs serve` only: no built page loads or mentions it."""
    pages = list(fixture_site.rglob("*.html"))
    assert pages and not [p for p in pages if "livereload" in p.read_text(encoding="utf-8")]
    assert not list(fixture_site.rglob("__tracksite__"))


def test_problems_page_lists_the_root_cause_first(live_server):
    from bs4 import BeautifulSoup

    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    track = course / "lessons/alpha/track.yml"
    track.write_text(track.read_text().replace("phases:", "phase:"))
    body = wait_for(base + "alpha/a1/", "The course has problems")
    items = [li.get_text() for li in BeautifulSoup(body, "lxml").select("ul.ts-problems li")]
    assert items and items[0].startswith("lessons/alpha/track.yml:4: [TS101] phase: unknown key 'phase'"), items
    assert not any("is not listed in" in item for item in items)


def _kept(output: str) -> list[int]:
    """How many pages each rebuild left as they were (the edit loop's log line)."""
    found = re.findall(r"tracksite: (\d+) of (\d+) pages rendered again", output)
    return [int(total) - int(rendered) for rendered, total in found]


def test_serve_dirty_renders_again_only_the_generated_pages_a_save_changes(course):
    """`mkdocs serve --dirty`: a save of a lesson's front-matter renders again the pages that show
    it (its track's pages, the pages of a linked track that show whole tracks, the home page) and
    leaves the others as they were."""
    write(
        course,
        "lessons/gamma/track.yml",
        "number: 3\ntitle: Gamma track\nsummary: The third track.\nphases:\n  - title: One\n    lessons: [g1]\n",
    )
    write(course, "lessons/gamma/g1/lesson.md", lesson_md("Gamma one"))
    write(course, "lessons/gamma/g1/overview.md", "## What you'll learn\n\nThings.\n")
    write(course, "cheatsheets/gamma/g1.md", "## Key ideas\n\nSome.\n")
    edits = (
        ("lessons/gamma/g1/lesson.md", "Gamma one", "gamma/"),  # gamma links to no other track
        ("lessons/beta/b2/lesson.md", "Beta two", "alpha/"),  # alpha's a2 goes deeper in beta's b2
        ("lessons/alpha/a1/lesson.md", "First lesson", "alpha/"),
    )
    with serving(course, "--dirty") as (base, proc):
        wait_for(base + "alpha/", "First lesson")
        for path, title, page in edits:
            source = course / path
            source.write_text(source.read_text().replace(f"title: {title}", f"title: {title}, renamed"))
            wait_for(base + page, f"{title}, renamed")  # the track page, or the map of a linked track
    kept = _kept(proc.output)
    assert len(kept) == 3, proc.output[-3000:]
    # the gamma edit leaves alpha's and beta's pages as they were; the others leave only gamma's
    assert kept[0] > kept[1] and kept[0] > kept[2], kept


_ORDER_HOOK = """
from pathlib import Path

def _note(config, what):
    with open(Path(config.config_file_path).parent / "written-order", "a") as f:
        f.write(what + "\\n")

def on_post_page(output, page, config, **kwargs):
    _note(config, "page " + page.file.src_uri)
    return output

def on_post_template(output, template_name, config, **kwargs):
    _note(config, "template " + template_name)
    return output
"""


def test_a_saved_page_is_written_before_the_engine_renders_its_own_pages_and_once(course):
    """The edit loop renders the saved page as soon as the build has gathered what pages need,
    so that the browser reloads before MkDocs copies the theme's files and renders its sitemap
    and 404 page (adapter/serve/rebuild.py `render_saved`); MkDocs' own loop then leaves it. A
    save of prose leaves the sitemap and the 404 page as they were (issue 76, `keep_static`:
    tests/test_edit_loop.py compares them with a full build's); one of front-matter, which the
    404 page's navigation shows, renders them again, after the saved page."""
    (course / "order.py").write_text(_ORDER_HOOK, encoding="utf-8")
    yml = course / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "\nhooks:\n  - order.py\n", encoding="utf-8")
    order = course / "written-order"
    lesson = course / "lessons/alpha/a1/lesson.md"
    with serving(course) as (base, proc):
        wait_for(base + "alpha/a1/", "First lesson")
        deadline = time.monotonic() + 30
        while "Serving on" not in proc.written():
            assert time.monotonic() < deadline, proc.written()[-2000:]
            time.sleep(0.1)
        order.unlink()
        lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA sentence saved just now.\n", encoding="utf-8")
        wait_for(base + "alpha/a1/", "A sentence saved just now.")
        deadline = time.monotonic() + 30
        while proc.written().count("Documentation built") < 2:
            assert time.monotonic() < deadline, proc.written()[-2000:]
            time.sleep(0.1)
        assert order.read_text(encoding="utf-8").splitlines() == ["page alpha/a1/index.md"]
        order.unlink()
        text = lesson.read_text(encoding="utf-8")
        lesson.write_text(text.replace("title: First lesson", "title: First revised lesson", 1), encoding="utf-8")
        wait_for(base + "alpha/a1/", "First revised lesson")
        deadline = time.monotonic() + 30
        while not order.exists() or "template sitemap.xml" not in order.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, proc.written()[-2000:]
            time.sleep(0.1)
    lines = order.read_text(encoding="utf-8").splitlines()
    assert lines.count("page alpha/a1/index.md") == 1, lines
    assert lines.index("page alpha/a1/index.md") < lines.index("template sitemap.xml"), lines
