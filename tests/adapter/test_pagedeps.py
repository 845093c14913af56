"""The whole-page cache's keys from what each page read (adapter/caches/pagedeps.py): a change to
something a page read renders that page again, a change to something it did not read leaves it
kept, and the site stays the one a cold build writes.

Each scenario changes one input that only some pages read (a template a lesson includes, a
configuration value a template shows where a page has no description of its own, an interface
string of the lesson pager, a guide's title that the other guides list) and counts the pages the
next build wrote as kept: exactly those that do not show the changed value. Each build runs in a
fork of this process (as in test_buildcache.py), so that it finds only what the last one left
in the course's state folder.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from support import harness
from support.course import make_course, override, write
from tracksite.adapter.caches import pagecache, pagedeps
from tracksite.adapter.pages import language, pagecontext
from tracksite.core import localstate, messages

DESCRIPTION = "site_description: A course used by the tests."


def build(root: Path, out: Path, env: dict[str, str] | None = None, strings: dict[str, str] | None = None) -> str:
    """`mkdocs build` in a fork of this process, with `env` set and the English interface's
    `strings` changed there (the code's digest unchanged: only the strings the pages read differ)."""

    def run():
        harness.forget_plugins()
        found = messages.catalogue("en")
        for key, text in (strings or {}).items():
            assert key in found.page, key
            found.page[key] = text
        return harness.mkdocs(root, site=out, strict=False, env=env)

    done = harness.forked(run)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def kept(log: str) -> int:
    found = re.search(r"(\d+) written as kept", log)
    assert found is not None, log
    return int(found.group(1))


def showing(site: Path, text: str) -> list[str]:
    """The course's pages (not the theme's 404 page) whose HTML holds `text`."""
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    return [str(p.relative_to(site)) for p in pages if text in p.read_text(encoding="utf-8")]


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, Path]:
    """The small course with two guides (docs/ pages, which list each other's titles) and a
    description read from the environment, built once cold."""
    tmp = tmp_path_factory.mktemp("pagedeps")
    root = make_course(tmp / "course")
    yml = root / "mkdocs.yml"
    assert DESCRIPTION in yml.read_text()
    yml.write_text(yml.read_text().replace(DESCRIPTION, "site_description: !ENV [TS_DESCRIPTION, First words.]"))
    write(root, "docs/guide-one.md", "# Guide one\n\nHow to begin.\n")
    write(root, "docs/guide-two.md", "# Guide two\n\nHow to go on.\n")
    build(root, tmp / "first")
    return root, tmp


def test_a_change_misses_exactly_the_pages_that_read_it(course):
    root, tmp = course
    log = build(root, tmp / "warm")
    pages = kept(log)
    assert pages > 10, log

    # a template the lessons include (their credits), in the course's own theme folder
    credits = override(root, "partials/credits.html")
    credits.write_text(credits.read_text() + '<p class="ts-test">Made with care.</p>\n')
    build(root, tmp / "template-added")  # (a template found first in another folder: every lesson reads it)
    credits.write_text(credits.read_text().replace("Made with care.", "Made with more care."))
    log = build(root, tmp / "template")
    shown = showing(tmp / "template", "Made with more care.")
    assert 0 < len(shown) < pages and kept(log) == pages - len(shown), (shown, log)

    # a configuration value a template reads (the description, where a page has none of its own)
    log = build(root, tmp / "config", env={"TS_DESCRIPTION": "Other words."})
    shown = showing(tmp / "config", "Other words.")
    assert 0 < len(shown) < pages and kept(log) == pages - len(shown), (shown, log)

    # an interface string the lesson pager shows
    label = messages.catalogue("en").page["pagerLabel"]
    same = {"env": {"TS_DESCRIPTION": "Other words."}, "strings": {"pagerLabel": "Earlier, later"}}
    log = build(root, tmp / "string", **same)
    shown = showing(tmp / "string", "Earlier, later")
    assert 0 < len(shown) < pages and kept(log) == pages - len(shown), (shown, log)
    assert showing(tmp / "string", label) == []

    # a guide's title, which the other guide lists (its own page is converted again)
    write(root, "docs/guide-two.md", "# Guide two, renamed\n\nHow to go on.\n")
    log = build(root, tmp / "title", **same)
    shown = showing(tmp / "title", "Guide two, renamed")
    assert sorted(shown) == ["guide-one/index.html", "guide-two/index.html"], shown
    assert kept(log) == pages - 2, log

    # the same sources built cold: the same site, byte for byte
    localstate.path(root, "tracksite").joinpath("build.sqlite").unlink()
    cold = build(root, tmp / "cold", **same)
    assert "0 from the cache" in cold
    assert tree(tmp / "cold") == tree(tmp / "title")


def test_a_page_that_shows_the_build_date_is_rendered_by_every_build(course):
    """The date is a value that differs at every build: the pages whose template reads it are
    never found kept; the others still are."""
    root, tmp = course
    footer = override(root, "partials/lesson-pager.html")
    footer.write_text(footer.read_text() + "<p>Built in {{ build_date_utc.year }}.</p>\n")
    build(root, tmp / "dated-first")
    log = build(root, tmp / "dated")
    shown = showing(tmp / "dated", "Built in ")
    pages = len(showing(tmp / "dated", "<html"))
    assert 0 < len(shown) < pages and kept(log) == pages - len(shown), (shown, log)


def test_what_a_page_read_is_kept_beside_its_output(course):
    """The reads (kind, name and value) are in the cache beside the outputs, for the next build
    to look up again."""
    root, _ = course
    with sqlite3.connect(localstate.path(root, "tracksite") / "build.sqlite") as db:
        rows = db.execute("SELECT text FROM outputs WHERE key LIKE ?", (pagecache.READS + "%",)).fetchall()
    reads = [line.split("\t") for (text,) in rows for line in text.decode().splitlines()]
    assert reads and all(len(read) == 3 for read in reads)
    kinds = {kind for kind, *_ in reads}
    assert rows and {"template", "ts", "config", "string", "nav"} <= kinds, kinds


def test_the_same_course_model_takes_each_pages_ts_as_noted(tmp_path):
    """A build of the same course model (every file under the root, the configuration, the code:
    core/checkcache.py's key) takes the values of each page's `ts` reads as the build that kept
    the page noted them, and makes no page's `ts` again; a change to the model, then undone,
    still gives the site a cold build writes."""
    root, tmp = make_course(tmp_path / "course"), tmp_path

    def counted(out: str):
        def run():
            made = [0]
            page = pagecontext.Contexts.page

            def counting(self, *args, **kwargs):
                made[0] += 1
                return page(self, *args, **kwargs)

            pagecontext.Contexts.page = counting  # (in the fork only)
            harness.forget_plugins()
            return harness.mkdocs(root, site=tmp / out, strict=False), made[0]

        done, made = harness.forked(run)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stderr, made

    build(root, tmp / "model-first")
    log, made = counted("model-same")
    assert kept(log) == len(showing(tmp / "model-same", "<html")) and made == 0, (made, log)

    lesson = root / "lessons/alpha/a2/lesson.md"
    text = lesson.read_text(encoding="utf-8")
    assert "\ntitle: " in text
    lesson.write_text(re.sub(r"\ntitle: .*", "\ntitle: A title the pager shows", text, count=1), encoding="utf-8")
    log, made = counted("model-changed")
    assert made > 0 and showing(tmp / "model-changed", "A title the pager shows"), log
    lesson.write_text(text, encoding="utf-8")  # undone: the noted values of the changed build do not hold
    log, _ = counted("model-undone")
    assert showing(tmp / "model-undone", "A title the pager shows") == []
    localstate.path(root, "tracksite").joinpath("build.sqlite").unlink()
    build(root, tmp / "model-cold")
    assert tree(tmp / "model-cold") == tree(tmp / "model-undone")


def test_the_recorder_renders_what_jinja_renders_and_notes_each_read_once():
    """With the recorder installed, a template gives what it gives without it (a dict's items and
    methods, a missing key as undefined, a string's methods, a list walked, Material's strings in
    a language and English where it has none), each top-level part of `ts` it reads is noted once,
    and the parts it walks are no reads of their own."""
    ts = {
        "lang": "es",
        "lesson": {"title": "A <b>", "keys": "own"},
        "nav": {"lessons": [{"key": "a", "url": "u/"}, {"key": "b"}]},
        "material_lang": "es",
    }
    source = (
        "{{ ts.lesson.title }}|{{ ts.lesson.missing is defined }}|{{ ts.lesson['title'] }}|"
        "{{ ts.lesson.items() | list | length }}|{{ ts.lesson.keys is callable }}|{{ ts.lesson['keys'] }}|"
        "{% for l in ts.nav.lessons %}{{ l.key.upper() }}{{ l.get('url') }}{{ l.url }}{% endfor %}|"
        "{{ ts.lesson.title }}{% for k in ts.nav %}{{ k }}{% endfor %}|{{ t('home') }}|"
        '{% import "partials/language.html" as lang with context %}'
        '{{ lang.t("search.placeholder") }}|{{ lang.t("search.placeholder") }}|{{ lang.t("no.such.key") }}'
    )

    def environment() -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.PackageLoader("material", "templates"))
        env.loader = jinja2.ChoiceLoader([jinja2.PackageLoader("tracksite", "theme/templates"), env.loader])
        language.install(env)
        return env

    plain, recorded = environment(), environment()
    reads = pagedeps.Reads(None, None, lambda page: ts)
    reads.install(recorded)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="x.md"), meta={})
    reads.begin(page, {"ts": ts})
    got = recorded.from_string(source).render(ts=ts)
    reads.end()
    assert got == plain.from_string(source).render(ts=ts)
    assert got == "A <b>|False|A <b>|2|True|own|Au/u/BNone|A <b>lessons|Inicio|Búsqueda|Búsqueda|no.such.key"
    noted = reads.taken(page)
    assert noted.count(("ts", "lesson")) == 1 and ("ts", "nav") in noted and ("string", "es\0home") in noted
    templates = {name for kind, name in noted if kind == "template"}
    assert {"partials/language.html", "partials/languages/es.html", "partials/languages/en.html"} <= templates
    assert {kind for kind, _ in noted} == {"template", "ts", "string"}, noted
