"""The persistent build cache (adapter/caches/buildcache.py): a warm build writes exactly what a cold
build of the same sources writes, and a cache that cannot be trusted is dropped, never used.

Each build runs in a process of its own, so that a second build finds only what the first left
in the course's state folder: a fork of this test process (`harness.forked`, imports loaded, no
build of these courses in its memory) rather than a new interpreter. Before the first fork this
process builds a course of other lessons once (`warm`), so that every fork starts with what any
first build loads (Markdown's extensions, the theme's templates): a fork's build then costs a
third of a cold one. The check of the findings' key stays a new interpreter per run: it is about
the string hashing a new process seeds afresh, which a fork inherits.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from support import harness
from support.builds import build, cache_file, new_process_build, same_trees
from support.course import make_course, write
from tracksite.adapter.caches import buildcache, pagecache
from tracksite.core import localstate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

#: A kept text edited in place, its checksum left as it was (SQL on the entries' UTF-8 bytes).
FORGE = "UPDATE {table} SET text = CAST(replace(CAST(text AS TEXT), 'Edited filler words', 'Forged words') AS BLOB)"


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory) -> None:
    """One build in this process, of lessons whose text no test builds (see the docstring)."""
    root = make_course(tmp_path_factory.mktemp("warm") / "course")
    for lesson in root.rglob("lesson.md"):
        lesson.write_text(lesson.read_text().replace("Words to read here.", "Warming words."))
    assert harness.mkdocs(root, site=root.parent / "site", strict=False).returncode == 0


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The small course, built once cold (which fills the cache), then edited."""
    tmp = tmp_path_factory.mktemp("cache")
    root = make_course(tmp / "course")
    write(
        root,
        "lessons/alpha/a1/lesson.md",
        (root / "lessons/alpha/a1/lesson.md").read_text() + "\n/// note\nA note.\n///\n",
    )
    write(
        root, "lessons/alpha/glossary.yml", "terms:\n  - term: Widget\n    definition: A small part.\n    lesson: a1\n"
    )
    a3 = root / "lessons/alpha/a3/lesson.md"
    a3.write_text(a3.read_text().replace("This is a lesson.", "This is a lesson about a widget.", 1))
    log = build(root, tmp / "first")
    assert "0 from the cache" in log and cache_file(root).is_file()
    # The edit: one lesson's text, a glossary entry (its glossary page and the lessons that use
    # the term show it) and a track's title (which every page of the track shows, outside the
    # converted Markdown)
    write(
        root, "lessons/alpha/glossary.yml", "terms:\n  - term: Widget\n    definition: A tiny part.\n    lesson: a1\n"
    )
    lesson = root / "lessons/alpha/a2/lesson.md"
    lesson.write_text(lesson.read_text().replace("Filler words", "Edited filler words", 1))
    track = root / "lessons/beta/track.yml"
    track.write_text(track.read_text().replace("Beta track", "Renamed beta track"))
    return root, tmp


def cold(root: Path, out: Path) -> str:
    cache_file(root).unlink(missing_ok=True)
    log = build(root, out)
    assert "0 from the cache" in log
    return log


def test_a_warm_build_after_an_edit_equals_a_cold_build_byte_for_byte(course):
    root, tmp = course
    warm_log = build(root, tmp / "warm")
    # every page but the edited lesson came from the cache
    assert "tracksite: build cache: 1 pages converted" in warm_log, warm_log
    cold(root, tmp / "cold")
    assert same_trees(tmp / "warm", tmp / "cold") == []
    assert "Edited filler words" in (tmp / "warm" / "alpha/a2/index.html").read_text()
    assert "A tiny part." in (tmp / "warm" / "alpha/glossary/index.html").read_text()


def test_unchanged_pages_are_written_as_the_last_build_wrote_them(course):
    """Whole rendered pages (adapter/caches/pagecache.py): a build of unchanged sources in a new process
    writes every page from the cache; after a lesson's prose changes, that page alone is rendered
    again; both sites equal a cold build of the same sources byte for byte (search index included:
    the kept pages' readings make it)."""
    root, tmp = course
    first = cold(root, tmp / "kept-cold")
    pages = int(first.split("tracksite: build cache: ")[1].split(" pages converted")[0])
    log = build(root, tmp / "kept-warm")
    assert f"0 pages converted, 0 from the cache, {pages} written as kept" in log, log
    assert same_trees(tmp / "kept-warm", tmp / "kept-cold") == []
    b1 = root / "lessons/beta/b1/lesson.md"
    b1.write_text(b1.read_text().replace("This is a lesson.", "This is an edited lesson.", 1))
    log = build(root, tmp / "kept-edited")
    assert f"1 pages converted, 0 from the cache, {pages - 1} written as kept" in log, log
    cold(root, tmp / "kept-edited-cold")
    assert same_trees(tmp / "kept-edited", tmp / "kept-edited-cold") == []
    assert "This is an edited lesson." in (tmp / "kept-edited" / "beta/b1/index.html").read_text()
    # A build that wrote every page as kept still keeps their conversions: a track's new title
    # (every page shows the tracks' titles) renders every page again, converting none
    assert f"{pages} written as kept" in build(root, tmp / "kept-again")
    track = root / "lessons/beta/track.yml"
    track.write_text(track.read_text().replace("title: ", "title: Retitled ", 1))
    log = build(root, tmp / "kept-retitled")
    assert f"0 pages converted, {pages} from the cache, 0 written as kept" in log, log


def test_a_kept_page_that_does_not_match_its_checksum_is_never_used(course):
    root, tmp = course
    cold(root, tmp / "kept-reference")
    with sqlite3.connect(cache_file(root)) as db:
        assert db.execute("SELECT count(*) FROM outputs").fetchone()[0] > 0
        db.execute(FORGE.format(table="outputs"))
    log = build(root, tmp / "kept-tamper")
    assert "does not match its checksum" in log
    assert "Forged words" not in (tmp / "kept-tamper" / "alpha/a2/index.html").read_text()
    assert same_trees(tmp / "kept-tamper", tmp / "kept-reference") == []


def test_a_warm_build_reads_each_kept_pages_entry_once(course):
    """Issue 88: a warm build read every kept page's entry (its HTML and search reading, 70 KB a
    lesson of the benchmark) twice, decoding it each time: as the page was replayed, for its
    conversion, and as it was written. The conversion now comes with the page's reads; the entry
    is only checked against its checksum there, and read once."""
    root, tmp = course
    first = cold(root, tmp / "once-cold")
    pages = int(first.split("tracksite: build cache: ")[1].split(" pages converted")[0])

    def counted_build() -> tuple[subprocess.CompletedProcess, dict[str, int]]:
        reads: dict[str, int] = {}
        real = buildcache.BuildCache.get

        def get(self, key, table="pages", **kwargs):
            if table == pagecache.TABLE and not key.startswith(pagecache.READS):
                reads[key] = reads.get(key, 0) + 1
            return real(self, key, table, **kwargs)

        buildcache.BuildCache.get = get  # type: ignore[method-assign]  # (in the fork only)
        return new_process_build(root, tmp / "once-warm"), reads

    run, reads = harness.forked(counted_build)
    assert run.returncode == 0 and f"{pages} written as kept" in run.stderr, run.stderr[-3000:]
    assert len(reads) == pages and set(reads.values()) == {1}, reads
    assert same_trees(tmp / "once-warm", tmp / "once-cold") == []


def test_what_the_configuration_resolves_to_is_in_the_served_sites_key(tmp_path, monkeypatch):
    """An `!ENV` value changes what pages show without changing mkdocs.yml's bytes: the
    configuration as MkDocs resolved it is in the key of a served site kept for a restart
    (lastsite.py; a kept page's key holds the values its templates read: test_pagedeps.py); where
    the site is written is not (the build writes into a staging folder of a new name every time)."""
    from mkdocs.config import load_config

    write(tmp_path, "docs/index.md", "# Home\n")
    write(tmp_path, "mkdocs.yml", "site_name: x\nsite_url: !ENV [TS_TEST_URL, 'https://a.example/']\n")

    def settings(**env: str) -> str:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        return pagecache.settings(load_config(str(tmp_path / "mkdocs.yml")))

    base = settings()
    assert settings() == base
    assert settings(TS_TEST_URL="https://b.example/") != base
    monkeypatch.delenv("TS_TEST_URL")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.site_dir = str(tmp_path / "elsewhere")
    assert pagecache.settings(config) == base


def test_a_corrupt_cache_is_discarded_with_a_note(course):
    root, tmp = course
    cold(root, tmp / "reference")
    cache_file(root).write_bytes(b"this is not a database" * 100)
    log = build(root, tmp / "after-garbage")
    assert "build cache" in log and "was discarded" in log
    assert same_trees(tmp / "after-garbage", tmp / "reference") == []
    # the cache was written again, whole, by that build
    assert "0 pages converted" in build(root, tmp / "again")


def test_a_cache_with_the_tables_of_an_older_tracksite_is_made_again(course):
    root, tmp = course
    cold(root, tmp / "reference3")
    cache_file(root).unlink()
    with sqlite3.connect(cache_file(root)) as db:  # the columns before each entry's text had its own
        for table in ("pages", "outputs"):
            db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, value TEXT, sum TEXT)")
            db.execute(f"INSERT INTO {table} VALUES ('k', '{{}}', 'x')")
    log = build(root, tmp / "after-old")
    assert "pages converted, 0 from the cache" in log, log
    assert same_trees(tmp / "after-old", tmp / "reference3") == []
    assert "0 pages converted" in build(root, tmp / "after-old-again")


def test_an_entry_that_does_not_match_its_checksum_is_never_used(course):
    root, tmp = course
    cold(root, tmp / "reference2")
    with sqlite3.connect(cache_file(root)) as db:
        db.execute("DELETE FROM outputs")  # whole pages: the converted ones are read then
        db.execute(FORGE.format(table="pages"))
    log = build(root, tmp / "after-tamper")
    assert "does not match its checksum" in log
    assert "Forged words" not in (tmp / "after-tamper" / "alpha/a2/index.html").read_text()
    assert same_trees(tmp / "after-tamper", tmp / "reference2") == []


def test_a_conversion_that_logged_is_not_kept(tmp_path, mkdocs_level):
    """A warning MkDocs (or an extension) logs while a page converts must be said again by the
    next build, and fail it again under `strict`: such a page is converted every time."""
    mkdocs_level(logging.INFO)  # (an earlier quiet build in this process left ERROR)
    cache = buildcache.BuildCache(tmp_path, _config(tmp_path))

    def page(text: str) -> SimpleNamespace:
        return SimpleNamespace(
            file=SimpleNamespace(src_uri="a.md"),
            content=text,
            toc=SimpleNamespace(items=[]),
            _title_from_render=None,
            present_anchor_ids=set(),
            links_to_anchors={},
        )

    warned = page("<p>warned</p>")
    cache.render(warned, None, None, "warned", lambda: logging.getLogger("mkdocs.structure.pages").warning("link!"))
    quiet = page("<p>quiet</p>")
    cache.render(quiet, None, None, "quiet", lambda: None)
    cache.close(prune=False)
    again = buildcache.BuildCache(tmp_path, _config(tmp_path))
    assert again.get("warned") is None
    assert (again.get("quiet") or {}).get("content") == "<p>quiet</p>"
    again.close(prune=False)


def test_a_cold_build_finds_what_it_wrote_and_a_warm_one_what_others_wrote(tmp_path):
    """A cache that was empty when the build opened it answers a miss without asking the database,
    but an entry the build itself wrote there (flushed midway) is still read back; a cache that was
    not empty asks the database for every key, entries other processes wrote included."""
    cold = buildcache.BuildCache(tmp_path, _config(tmp_path))
    assert cold.get("absent") is None and not cold.has("absent")
    cold.keep("flushed", {"content": "<p>one</p>", "toc": []})
    cold.flush()
    assert (cold.get("flushed") or {}).get("content") == "<p>one</p>" and cold.has("flushed")
    other = buildcache.BuildCache(tmp_path, _config(tmp_path))  # (another process: sees it written)
    assert (other.get("flushed") or {}).get("content") == "<p>one</p>"
    other.keep("theirs", {"content": "<p>two</p>", "toc": []})
    other.close(prune=False)
    assert cold.get("theirs") is None  # (a miss is never wrong: the page is converted again)
    cold.close(prune=False)
    warm = buildcache.BuildCache(tmp_path, _config(tmp_path))
    assert (warm.get("theirs") or {}).get("content") == "<p>two</p>" and warm.has("flushed")
    warm.close(prune=False)


def _config(tmp_path: Path, **change):
    config_file = tmp_path / "mkdocs.yml"
    if not config_file.exists():
        config_file.write_text("site_name: x\n")
    config = SimpleNamespace(
        markdown_extensions=["toc", "tables"],
        mdx_configs={"toc": {"permalink": True}},
        validation={"anchors": "warn"},
        use_directory_urls=True,
        config_file_path=str(config_file),
        site_dir=str(tmp_path / "site"),
    )
    for k, v in change.items():
        setattr(config, k, v)
    return config


@pytest.fixture
def mkdocs_level():
    """Set MkDocs' logger level (`-q` sets ERROR) for the test; the level it had comes back."""
    log = logging.getLogger("mkdocs")
    before = log.level
    yield log.setLevel  # (setLevel, not the attribute: the logger caches what it is enabled for)
    log.setLevel(before)


def test_versions_config_and_extensions_are_in_every_key(tmp_path, monkeypatch, mkdocs_level):
    """A changed Python-Markdown (or any converting package), tracksite's code, the config file
    or an extension's settings gives every page a new key, and so does a quiet build."""
    config_file = tmp_path / "mkdocs.yml"
    mkdocs_level(logging.INFO)

    def common(**change) -> str:
        return buildcache.BuildCache(tmp_path, _config(tmp_path, **change))._common

    base = common()
    assert common() == base
    assert common(mdx_configs={"toc": {"permalink": False}}) != base
    assert common(markdown_extensions=["toc"]) != base
    config_file.write_text("site_name: y\n")
    assert common() != base
    config_file.write_text("site_name: x\n")
    real = buildcache._version
    monkeypatch.setattr(buildcache, "_version", lambda n: "9.9" if n == "Markdown" else real(n))
    assert common() != base
    monkeypatch.undo()
    monkeypatch.setattr(buildcache, "code_digest", lambda: "another tracksite")
    assert common() != base
    monkeypatch.undo()
    # `mkdocs build -q`: the warnings a conversion logs are never made, so its pages are kept apart
    # (the next build that hears warnings converts them again and says them)
    assert common() == base
    mkdocs_level(logging.ERROR)
    assert common() != base


def test_an_extension_that_reads_files_turns_the_cache_off():
    assert buildcache.extension_problem(["toc", "pymdownx.superfences"]) is None
    assert "reads other files" in (buildcache.extension_problem(["pymdownx.snippets"]) or "")
    assert "not one the cache knows" in (buildcache.extension_problem(["someone.elses_extension"]) or "")


def test_the_checks_findings_are_kept_for_unchanged_sources_and_found_again_after_an_edit(tmp_path):
    """A second build of unchanged sources says the same warnings without running the passes
    (core/checkcache.py); a source that changed is checked again, and an error still stops it."""
    root = make_course(tmp_path / "course")
    first = build(root, tmp_path / "a")
    assert (localstate.path(root, "tracksite") / "checks.json").is_file()
    second = build(root, tmp_path / "b")
    warnings = [line for line in first.splitlines() if "[TS" in line]
    assert warnings and warnings == [line for line in second.splitlines() if "[TS" in line]
    lesson = root / "lessons/beta/b1/lesson.md"
    lesson.write_text(lesson.read_text() + "\nSee [the missing lesson](lesson:no-such-lesson).\n")
    run = harness.forked(lambda: new_process_build(root, tmp_path / "c"))
    assert run.returncode != 0 and "no-such-lesson" in run.stderr


def test_kept_findings_bring_back_where_each_term_is_used_without_reading_the_pages_again(tmp_path, monkeypatch):
    """The glossary pages list the lessons that use each term: a check answered from the kept
    findings gets those lists from the cache too (reading every page for them was a tenth of a
    warm build), equal to the ones a full check finds."""
    from tracksite.adapter.config import mkdocsconfig
    from tracksite.core import checks
    from tracksite.core.learning import glossary

    root = make_course(tmp_path / "course")
    (root / "lessons/alpha/glossary.yml").write_text(
        "terms:\n  - term: Lesson\n    definition: A unit.\n    lesson: a1\n"
        "  - term: Wombat\n    definition: Unused.\n    lesson: a1\n"
    )
    config = mkdocsconfig.load(root)
    first = checks.check(config, cached=True)
    found = {t.term: keys for t, keys in first.glossary.used_in.items()}
    assert found["Lesson"] and found["Wombat"] == []
    monkeypatch.setattr(glossary, "check", lambda *a: pytest.fail("the pages were read again"))
    again = checks.check(config, cached=True)
    assert {t.term: keys for t, keys in again.glossary.used_in.items()} == found
    assert [p.text() for p in again.problems.items] == [p.text() for p in first.problems.items]


def test_kept_findings_spare_measuring_pages_only_where_none_was_too_complex(tmp_path, monkeypatch):
    """Measuring every page for shapes too complex to build is skipped when the kept findings
    stand for the same files and hold no such page; a page that is too complex is refused by
    every check, kept findings or not."""
    from tracksite.adapter.config import mkdocsconfig
    from tracksite.core import checks
    from tracksite.core.markdown import complexity

    root = make_course(tmp_path / "course")
    config = mkdocsconfig.load(root)
    measured: list[str] = []
    measure = complexity.too_complex
    monkeypatch.setattr(complexity, "too_complex", lambda body, line: measured.append(body) or measure(body, line))
    first = checks.check(config, cached=True)
    assert measured and not first.problems.errors
    measured.clear()
    again = checks.check(config, cached=True)
    assert measured == [] and [p.text() for p in again.problems.items] == [p.text() for p in first.problems.items]
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text() + "<div>" * 1_100)
    for _ in range(2):
        refused = checks.check(config, cached=True)
        assert [p.code for p in refused.problems.errors][0] == complexity.CODE  # (then the lesson it leaves out)


def test_whole_pages_are_not_kept_beside_another_plugin():
    """Another plugin may read a page's content or context as it is built, which a kept page
    does not have (a template that shows the build's date: test_pagedeps.py)."""
    config = SimpleNamespace(plugins={"tracksite": object()})
    assert pagecache.refusal(config) is None
    config.plugins["search"] = object()
    assert "search" in (pagecache.refusal(config) or "")


def test_a_site_tracksite_built_under_a_pages_folder_is_not_read_as_its_data(tmp_path):
    """A generated page (a track's page) has the project's root as its folder, where the last
    `mkdocs serve` or `mkdocs build` may have left a site: its files are no page's data, and read
    whole they cost a large course seconds and changed the key at every build."""
    cache = buildcache.BuildCache(tmp_path, _config(tmp_path))
    write(tmp_path, "lessons/a/data.csv", "x\n1\n")
    write(tmp_path, "old-site/.tracksite-build", "built by tracksite\n")
    write(tmp_path, "old-site/index.html", "<p>one</p>")
    before = cache._folder(tmp_path)
    write(tmp_path, "old-site/index.html", "<p>two</p>")
    cache._folders.clear()
    assert cache._folder(tmp_path) == before
    write(tmp_path, "lessons/a/data.csv", "x\n2\n")
    cache._folders.clear()
    assert cache._folder(tmp_path) != before
    cache.close(prune=False)


def test_the_checks_key_is_the_same_in_every_process(tmp_path):
    """The key of the check's findings was `repr` of the configuration, whose set of block names
    is ordered by the process's random string hashing: every build made a new key, and the passes
    ran again on unchanged sources (a restarted `mkdocs serve` spent most of its start on them)."""
    root = make_course(tmp_path / "course")
    script = (
        "import sys\n"
        "from tracksite.adapter.config import mkdocsconfig\n"
        "from tracksite.core import checkcache\n"
        "from mkdocs.config import load_config\n"
        "config = mkdocsconfig.from_mkdocs(load_config(sys.argv[1]))\n"
        "print(checkcache.key(config, {'drafts': False}))\n"
    )

    def key(seed: str) -> str:
        env = {**ENV, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(root / "mkdocs.yml")], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout.strip()

    assert key("1") == key("2") == key("3")


def test_an_anchor_without_a_value_is_kept_not_a_crash():
    """MkDocs records None for a raw-HTML `<a name>` or `id` written without a value (a real
    Carpentries lesson has one): the cache sorted the anchors and the import stopped on a
    TypeError. The set goes in and comes back as it was."""
    page = SimpleNamespace(
        content="<p>x</p>",
        toc=SimpleNamespace(items=[]),
        _title_from_render="T",
        present_anchor_ids={"b", None, "a"},
        links_to_anchors=None,
    )
    entry = buildcache.conversion(page)  # type: ignore[arg-type]
    back = SimpleNamespace()
    buildcache.restore(back, None, json.loads(json.dumps(entry)))  # type: ignore[arg-type]
    assert back.present_anchor_ids == {"a", "b", None}


def test_compiled_templates_are_kept_for_the_next_process_and_a_damaged_one_is_compiled_again(tmp_path, caplog):
    import jinja2

    from tracksite.adapter.config.theme import CompiledTemplates

    write(tmp_path, "templates/page.html", "{% for i in items %}<p>{{ i }}</p>{% endfor %}")
    kept = tmp_path / "kept"

    def render(compiles: bool) -> str:
        """A new environment, as a new process makes: compiled by Jinja only when `compiles`."""
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "templates"))
        env.bytecode_cache = CompiledTemplates().using(env, kept)
        compiled = []
        compile_ = env.compile
        env.compile = lambda *a, **k: compiled.append(a) or compile_(*a, **k)  # type: ignore[method-assign]
        html = env.get_template("page.html").render(items=[1, 2])
        assert bool(compiled) == compiles
        return html

    assert render(compiles=True) == "<p>1</p><p>2</p>"
    (file,) = kept.iterdir()
    assert render(compiles=False) == "<p>1</p><p>2</p>"
    data = file.read_bytes()
    file.write_bytes(data[:-20] + b"\0" * 20)  # damaged: no longer matches its digest
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.tracksite"):
        assert render(compiles=True) == "<p>1</p><p>2</p>"
    assert "compiled template" in caplog.text and "damaged" in caplog.text
    write(tmp_path, "templates/page.html", "{% for i in items %}<b>{{ i }}</b>{% endfor %}")
    assert render(compiles=True) == "<b>1</b><b>2</b>"  # an edited template: compiled again
    assert render(compiles=False) == "<b>1</b><b>2</b>"
