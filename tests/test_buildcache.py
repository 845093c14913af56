"""The persistent build cache (adapter/buildcache.py): a warm build writes exactly what a cold
build of the same sources writes, and a cache that cannot be trusted is dropped, never used."""

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

from course import make_course, write
from tracksite.adapter import buildcache

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CACHE = Path(".cache") / "tracksite" / "build.sqlite"


def build(root: Path, out: Path) -> str:
    """`mkdocs build` in its own process, as a second build or a restarted server runs; its log."""
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(out)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def same_trees(a: Path, b: Path) -> list[str]:
    ta, tb = tree(a), tree(b)
    return sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


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
    log = build(root, tmp / "first")
    assert "0 from the cache" in log and (root / CACHE).is_file()
    # The edit: one lesson's text, and a track's title (which every page of the track shows,
    # outside the converted Markdown)
    lesson = root / "lessons/alpha/a2/lesson.md"
    lesson.write_text(lesson.read_text().replace("Filler words", "Edited filler words", 1))
    track = root / "lessons/beta/track.yml"
    track.write_text(track.read_text().replace("Beta track", "Renamed beta track"))
    return root, tmp


def cold(root: Path, out: Path) -> str:
    (root / CACHE).unlink(missing_ok=True)
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


def test_a_corrupt_cache_is_discarded_with_a_note(course):
    root, tmp = course
    cold(root, tmp / "reference")
    (root / CACHE).write_bytes(b"this is not a database" * 100)
    log = build(root, tmp / "after-garbage")
    assert "build cache" in log and "was discarded" in log
    assert same_trees(tmp / "after-garbage", tmp / "reference") == []
    # the cache was written again, whole, by that build
    assert "0 pages converted" in build(root, tmp / "again")


def test_an_entry_that_does_not_match_its_checksum_is_never_used(course):
    root, tmp = course
    cold(root, tmp / "reference2")
    with sqlite3.connect(root / CACHE) as db:
        db.execute("UPDATE pages SET value = replace(value, 'Edited filler words', 'Forged words')")
    log = build(root, tmp / "after-tamper")
    assert "does not match its checksum" in log
    assert "Forged words" not in (tmp / "after-tamper" / "alpha/a2/index.html").read_text()
    assert same_trees(tmp / "after-tamper", tmp / "reference2") == []


def test_a_conversion_that_logged_is_not_kept(tmp_path):
    """A warning MkDocs (or an extension) logs while a page converts must be said again by the
    next build, and fail it again under `strict`: such a page is converted every time."""
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
    assert again._get("warned") is None
    assert (again._get("quiet") or {}).get("content") == "<p>quiet</p>"
    again.close(prune=False)


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


def test_versions_config_and_extensions_are_in_every_key(tmp_path, monkeypatch):
    """A changed Python-Markdown (or any converting package), tracksite's code, the config file
    or an extension's settings gives every page a new key."""
    config_file = tmp_path / "mkdocs.yml"

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


def test_an_extension_that_reads_files_turns_the_cache_off():
    assert buildcache.extension_problem(["toc", "pymdownx.superfences"]) is None
    assert "reads other files" in (buildcache.extension_problem(["pymdownx.snippets"]) or "")
    assert "not one the cache knows" in (buildcache.extension_problem(["someone.elses_extension"]) or "")


def test_the_checks_findings_are_kept_for_unchanged_sources_and_found_again_after_an_edit(tmp_path):
    """A second build of unchanged sources says the same warnings without running the passes
    (core/checkcache.py); a source that changed is checked again, and an error still stops it."""
    root = make_course(tmp_path / "course")
    first = build(root, tmp_path / "a")
    assert (root / ".cache/tracksite/checks.json").is_file()
    second = build(root, tmp_path / "b")
    warnings = [line for line in first.splitlines() if "[TS" in line]
    assert warnings and warnings == [line for line in second.splitlines() if "[TS" in line]
    lesson = root / "lessons/beta/b1/lesson.md"
    lesson.write_text(lesson.read_text() + "\nSee [the missing lesson](lesson:no-such-lesson).\n")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "c")],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0 and "no-such-lesson" in run.stderr


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
    entry = buildcache._entry(page)  # type: ignore[arg-type]
    back = SimpleNamespace()
    buildcache._restore(back, None, json.loads(json.dumps(entry)))  # type: ignore[arg-type]
    assert back.present_anchor_ids == {"a", "b", None}
