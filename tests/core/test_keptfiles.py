"""Files the last build wrote alike are linked from their kept copies, not written again
(core/keptfiles.py): the site is the one a cold build writes, byte for byte; a kept copy that
changed is never used; a site that links a kept file keeps its bytes when the next build
writes that file differently."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support.builds import build, cache_file, same_trees
from support.course import make_course
from tracksite.core import keptfiles


def kept_folder(root: Path) -> Path:
    """The course's build-cache folder, where the kept copies are (core/localstate.py)."""
    return cache_file(root).parent


def _inode(path: Path) -> int:
    return path.stat().st_ino


def test_a_warm_build_links_the_last_builds_files_and_writes_the_same_site(tmp_path):
    root = make_course(tmp_path / "course")
    build(root, tmp_path / "first")
    build(root, tmp_path / "second")
    assert same_trees(tmp_path / "first", tmp_path / "second") == []
    page = Path("alpha/a1/index.html")
    section = next((tmp_path / "second" / "search-index" / "pages").iterdir())
    for rel in (page, Path("search-index/index.json"), section.relative_to(tmp_path / "second")):
        kept = (
            kept_folder(root)
            / ("pages" if rel == page else "search-index")
            / keptfiles.kept_name(str(rel.relative_to("search-index") if rel != page else rel))
        )
        assert _inode(tmp_path / "second" / rel) == _inode(kept) == _inode(tmp_path / "first" / rel), rel

    # A kept copy changed behind the build's back (a tool that edits the site in place) is
    # read, found different and never linked: the site gets the bytes the build made.
    kept_page = kept_folder(root) / "pages" / keptfiles.kept_name(str(page))
    good = kept_page.read_bytes()
    with open(kept_page, "r+b") as f:  # in place: the first two sites share this file
        f.write(b"<!-- tampered -->")
    build(root, tmp_path / "third")
    assert (tmp_path / "third" / page).read_bytes() == good
    assert _inode(tmp_path / "third" / page) != _inode(tmp_path / "first" / page)


def test_a_site_that_links_a_kept_file_keeps_its_bytes_when_the_next_build_changes_it(tmp_path):
    root = make_course(tmp_path / "course")
    build(root, tmp_path / "first")
    page = tmp_path / "first" / "alpha/a1/index.html"
    before = page.read_bytes()
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text() + "\nA new closing sentence.\n")
    build(root, tmp_path / "second")
    assert b"A new closing sentence." in (tmp_path / "second" / "alpha/a1/index.html").read_bytes()
    assert page.read_bytes() == before  # the kept copy was replaced, not written through
    assert (kept_folder(root) / "pages" / keptfiles.kept_name("alpha/a1/index.html")).read_bytes() == (
        tmp_path / "second" / "alpha/a1/index.html"
    ).read_bytes()


def test_kept_copies_of_files_no_longer_written_are_dropped(tmp_path):
    root = make_course(tmp_path / "course")
    (root / "docs" / "extra.md").write_text("# Extra\n\nA page that will go.\n")
    build(root, tmp_path / "first")
    kept = kept_folder(root) / "pages"
    assert (kept / "extra%2Findex.html").is_file()
    (kept / "old" / "tree").mkdir(parents=True)  # (an earlier version kept copies as the site's tree)
    (kept / "old" / "tree" / "index.html").write_text("old")
    (root / "docs" / "extra.md").unlink()
    build(root, tmp_path / "second")
    assert not (kept / "extra%2Findex.html").exists() and not (kept / "old").exists()
    assert (kept / "alpha%2Fa1%2Findex.html").is_file() and not [p for p in kept.iterdir() if p.is_dir()]


def test_kept_names_are_one_per_path_and_short_enough_for_any_file_system():
    names = {keptfiles.kept_name(rel) for rel in ("a/b.html", "a%2Fb.html", "a%b.html", "a%25b.html")}
    assert len(names) == 4 and all("/" not in n for n in names)
    deep = "/".join(["a-rather-long-folder-name"] * 20) + "/index.html"
    assert len(keptfiles.kept_name(deep)) < 100 and keptfiles.kept_name(deep) != keptfiles.kept_name(deep + "x")


def test_without_links_files_are_written(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise OSError("no links on this file system")

    monkeypatch.setattr(os, "link", refuse)
    kept = keptfiles.Kept(tmp_path / "kept")
    (tmp_path / "site").mkdir()
    kept.put("a.json", str(tmp_path / "site" / "a.json"), b"{}")
    kept.put("b.json", str(tmp_path / "site" / "b.json"), b"[]")
    assert (tmp_path / "site" / "a.json").read_bytes() == b"{}" and (tmp_path / "site" / "b.json").read_bytes() == b"[]"
    assert kept.folder is None and kept.linked == 0


def test_an_index_of_pages_all_kept_is_linked_from_its_list_and_a_changed_file_is_not_trusted(tmp_path):
    """Every page kept whole: the search index's files are linked from the last build's list,
    each checked by its size and time; a file written since (in place, through a site that
    links it) makes the build work the index out again."""
    root = make_course(tmp_path / "course")
    build(root, tmp_path / "first")
    log = build(root, tmp_path / "second")  # (its index is linked from the list the first one wrote)
    assert "0 pages converted, 0 from the cache" in log, log  # every page kept whole
    assert same_trees(tmp_path / "first", tmp_path / "second") == []
    listed = kept_folder(root) / "search-index.json"
    assert '"files"' in listed.read_text()
    shown = tmp_path / "second" / "search-index" / "index.json"
    good = shown.read_bytes()
    with open(shown, "r+b") as f:  # in place: the kept copy is this very file
        f.write(b"{}")
    os.utime(shown, ns=(1, 1))
    build(root, tmp_path / "third")
    assert (tmp_path / "third" / "search-index" / "index.json").read_bytes() == good


def test_a_list_naming_a_file_outside_its_folder_links_nothing(tmp_path):
    kept = tmp_path / "cache" / "search-index"
    kept.mkdir(parents=True)
    secret = tmp_path / "cache" / "secret.txt"
    secret.write_text("not for the site")
    st = secret.stat()
    files = {"../secret.txt": [st.st_size, st.st_mtime_ns]}
    (tmp_path / "cache" / "search-index.json").write_text(json.dumps({"key": "k", "files": files}))
    assert not keptfiles.link_listed(kept, str(tmp_path / "site"), "k")
    assert not (tmp_path / "secret.txt").exists() and not (tmp_path / "site").exists()
    (kept / "a.json").write_text("{}")
    keptfiles.keep_list(kept, ["a.json"], "k")
    assert not keptfiles.link_listed(kept, str(tmp_path / "site"), "another key")
    assert keptfiles.link_listed(kept, str(tmp_path / "site"), "k")
    assert (tmp_path / "site" / "a.json").read_text() == "{}"


def test_a_file_made_new_is_made_only_where_none_is_and_a_fresh_folder_is_only_linked_into(tmp_path):
    """`new=True` (the engine's page writes into a staged site): a file already there is never
    written through (it may be a link to a kept copy) and nothing is written; a kept folder the
    build made itself holds no copy to compare, the next build's does."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    kept = keptfiles.Kept(tmp_path / "kept")
    assert kept.fresh
    kept.put("a/page.html", str(first / "page.html"), b"<p>page</p>", new=True)
    (first / "other.html").write_bytes(b"old")
    with pytest.raises(FileExistsError):
        kept.put("other.html", str(first / "other.html"), b"new", new=True)
    assert (first / "other.html").read_bytes() == b"old"
    assert (tmp_path / "kept" / "a%2Fpage.html").read_bytes() == b"<p>page</p>"
    again = keptfiles.Kept(tmp_path / "kept")
    assert not again.fresh
    again.put("a/page.html", str(second / "page.html"), b"<p>page</p>", new=True)
    assert again.linked == 1 and _inode(second / "page.html") == _inode(first / "page.html")
    with pytest.raises(FileExistsError):
        again.put("a/page.html", str(second / "page.html"), b"<p>page</p>", new=True)
