"""Issue 51, "local state is local": what tracksite keeps between runs (build caches, compiled
templates, the check's findings, the serve runs' sites, remote-files.yml's downloads, the link
checker's answers, the editing commands' journal) lives in a state folder of the user's
(core/localstate.py), never in the course's checkout. Each attack below was measured against
the old layout, where a pull request could commit `.cache/` or `.tracksite-journal/`: each plants
the attacker's files in a checkout exactly so, and the harm must not happen."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from support import harness
from support.course import make_course, run_cli, write
from support.remote_files import entry, lesson_with, listing
from support.sites import run_mkdocs
from tracksite.adapter.caches.cachedb import checksum
from tracksite.adapter.serve import lastsite
from tracksite.core import localstate
from tracksite.core.memo import digest

NEW_LESSON = ["new", "lesson", "alpha", "a4", "--title", "Fourth lesson", "--after", "a2"]


def clone(course: Path, where: Path) -> Path:
    """A fresh clone of `course` at another path: its sources, none of its state."""
    return Path(shutil.copytree(course, where, ignore=shutil.ignore_patterns(".cache", "site")))


def sources(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(("site/", ".cache/"))
    }


def built_html(site: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in site.rglob("*.html")) if site.is_dir() else ""


def kept(root: Path, *parts: str) -> list[Path]:
    """Where a build of `root` kept a file: the state folder, or (the old layout) the checkout."""
    candidates = [localstate.path(root, "tracksite").joinpath(*parts), root.joinpath(".cache", "tracksite", *parts)]
    return [p for p in candidates if p.exists()]


class Payload:
    """What the attacker's compiled template unpickles: a call that leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


# -- 1. compiled templates ----------------------------------------------------------------------
def test_a_planted_compiled_template_is_never_unpickled(tmp_path):
    """`.cache/tracksite/templates/<name>`: the digest line, Jinja's magic bytes and a pickle that
    runs code. The same file in the user's own state folder is not unpickled either."""
    first = make_course(tmp_path / "a" / "course")
    # a process of its own: this one may hold the templates compiled in memory by an earlier test,
    # and then writes none
    assert run_mkdocs(first, process=True).returncode == 0
    names = sorted({p.name for folder in kept(first, "templates") for p in folder.iterdir()})
    assert names, "the first build kept no compiled template"
    victim = clone(first, tmp_path / "b" / "course")
    marker = tmp_path / "ran"
    body = bc_magic + pickle.dumps(Payload(marker), 2) + marshal.dumps(compile("", "t", "exec"))
    planted = digest([body]).encode("ascii") + b"\n" + body
    for folder in (victim / ".cache/tracksite/templates", localstate.folder(victim, "tracksite") / "templates"):
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_bytes(planted)
    result = run_mkdocs(victim, process=True)  # a process of its own: no template compiled in memory yet
    assert result.returncode == 0, result.stderr[-3000:]
    assert not marker.exists(), "a planted compiled template ran its code"


# -- 2. build cache rows ------------------------------------------------------------------------
def test_planted_build_cache_rows_never_reach_the_site(tmp_path):
    """`.cache/tracksite/build.sqlite` with a script appended to every kept page, its checksum
    computed again (the digest has no key): not read, the site is the sources'."""
    first = make_course(tmp_path / "a" / "course")
    assert run_cli(first, ["build"]).returncode == 0
    (database,) = kept(first, "build.sqlite")
    victim = clone(first, tmp_path / "b" / "course")
    planted = victim / ".cache/tracksite/build.sqlite"
    planted.parent.mkdir(parents=True)
    shutil.copy(database, planted)
    with sqlite3.connect(planted) as db:
        for table in ("pages", "outputs"):
            for key, value, text in db.execute(f"SELECT key, value, text FROM {table}").fetchall():
                text += b'<script src="../../evil.js"></script>'
                db.execute(
                    f"UPDATE {table} SET text = ?, crc = ? WHERE key = ?", (text, checksum(key, value, text), key)
                )
    result = run_mkdocs(victim)
    assert result.returncode == 0, result.stderr[-3000:]
    html = built_html(victim / "site")
    assert "First lesson" in html and "evil.js" not in html


# -- 3. cache folders that are links ------------------------------------------------------------
def test_cache_folders_linked_out_delete_nothing(tmp_path):
    """`.cache/tracksite/pages -> ../..` (the checkout), `search-index -> ../../../victim` (a
    sibling), `serve -> ../../..` (the folder above): a build and a serve run's tidying delete
    none of their files."""
    course = make_course(tmp_path / "course")
    sibling = tmp_path / "victim"
    sibling.mkdir()
    (sibling / "notes.txt").write_text("keep me")
    cache = course / ".cache" / "tracksite"
    cache.mkdir(parents=True)
    (cache / "pages").symlink_to("../..", target_is_directory=True)
    (cache / "search-index").symlink_to("../../../victim", target_is_directory=True)
    (cache / "serve").symlink_to("../../..", target_is_directory=True)
    before = sources(course)
    assert run_cli(course, ["build"]).returncode == 0
    lastsite.LastSite(course)._tidy()  # what `mkdocs serve` runs after its first build
    assert sources(course) == before
    assert (sibling / "notes.txt").read_text() == "keep me" and sorted(os.listdir(sibling)) == ["notes.txt"]


# -- 4. remote-files.yml's downloads ------------------------------------------------------------
def test_a_planted_download_that_links_a_local_file_is_never_published(tmp_path):
    """`.cache/remote-files/<sha256(url)> -> a local file` for a listed image: the build does not
    publish the local file (it downloads, here from an address that does not exist, and fails)."""
    course = make_course(tmp_path / "course")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-LOCAL-FILE\n")
    url = "https://tracksite-test.invalid/img/photo.png"
    write(course, "remote-files.yml", listing(entry(url)))
    lesson_with(course, f"![A photo]({url})")
    planted = course / ".cache" / "remote-files" / hashlib.sha256(url.encode()).hexdigest()
    planted.parent.mkdir(parents=True)
    planted.symlink_to(secret)
    result = run_cli(course, ["build"])
    assert result.returncode == 1 and "cannot download" in result.stdout + result.stderr
    published = [p for p in (course / "site").rglob("*") if p.is_file() and b"SECRET-LOCAL" in p.read_bytes()]
    assert published == []


# -- 5. the editing commands' journal -----------------------------------------------------------
def test_a_journal_in_the_checkout_is_never_read(tmp_path):
    """`.tracksite-journal/journal.json` with steps that write to an absolute path and delete
    `../victim.txt`: `tracksite new lesson` does neither, and makes its lesson."""
    course = make_course(tmp_path / "course")
    outside, victim = tmp_path / "outside.txt", tmp_path / "victim.txt"
    victim.write_text("keep me")
    journal = course / ".tracksite-journal"
    journal.mkdir()
    (journal / "0.bak").write_text("attacker bytes")
    steps = [
        {"op": "write", "path": str(outside), "backup": "0.bak", "made": []},
        {"op": "write", "path": "../victim.txt", "backup": None, "made": []},
    ]
    (journal / "journal.json").write_text(json.dumps({"command": "tracksite new", "steps": steps}))
    result = run_cli(course, NEW_LESSON)
    assert result.returncode == 0, result.stderr
    assert not outside.exists() and victim.read_text() == "keep me"
    assert (course / "lessons/alpha/a4/lesson.md").is_file()
    assert sorted(os.listdir(journal)) == ["0.bak", "journal.json"]  # never read, written or deleted


@pytest.mark.parametrize("bad", ["absolute", "parent", "link", "backup"])
def test_journal_steps_outside_the_course_are_refused_even_in_the_state_folder(tmp_path, bad):
    """Defence in depth: a journal in the real state folder whose steps name a path outside the
    course (absolute, through `..`, through a link) or a backup outside the journal is set aside
    with a warning; nothing it names is read, written or deleted."""
    course = make_course(tmp_path / "course")
    (tmp_path / "victim.txt").write_text("keep me")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.txt").write_text("keep me")
    (course / "escape").symlink_to(tmp_path / "outside", target_is_directory=True)
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson_before = lesson.read_bytes()
    step = {"op": "write", "path": "lessons/alpha/a1/lesson.md", "backup": None, "made": []}
    step.update(
        {
            "absolute": {"path": str(tmp_path / "victim.txt")},
            "parent": {"path": "../victim.txt"},
            "link": {"path": "escape/victim.txt"},
            "backup": {"backup": str(tmp_path / "victim.txt")},
        }[bad]
    )
    journal = localstate.folder(course, "journal")
    (journal / "journal.json").write_text(json.dumps({"command": "tracksite new", "steps": [step]}))
    result = run_cli(course, NEW_LESSON)
    assert result.returncode == 0, result.stderr
    assert "set aside" in result.stderr and "nothing was undone" in result.stderr
    assert (tmp_path / "victim.txt").read_text() == "keep me"
    assert (tmp_path / "outside" / "victim.txt").read_text() == "keep me"
    assert lesson.read_bytes() == lesson_before  # (the step that would delete it was never run)
    assert not journal.exists() and list(journal.parent.glob("journal.refused-*"))


# -- 6. the check's findings and the kept search index -----------------------------------------
def test_planted_check_findings_do_not_silence_a_content_error(tmp_path):
    """`.cache/tracksite/checks.json` with the build's own key and no findings: the build still
    finds the lesson's `<script>` and stops. The file is planted by the build's process as soon
    as the key is known (an attacker computes it; here no edit of tracksite's files in between
    can change it), and the build is a process's first, the one that uses the check cache."""
    course = make_course(tmp_path / "course")
    lesson = course / "lessons/beta/b1/lesson.md"
    lesson.write_text(lesson.read_text() + '\n<script>alert("planted")</script>\n')  # TS501: for the checks only
    plant = """
import json, os, sys
from tracksite.core import checkcache
from tracksite.core.memo import digest
real = checkcache.key
def key(*args, **kwargs):
    found = real(*args, **kwargs)
    os.makedirs(".cache/tracksite", exist_ok=True)
    empty = json.dumps([[], []], sort_keys=True)
    planted = {"key": found, "problems": [], "uses": [], "sum": digest([empty])}
    with open(".cache/tracksite/checks.json", "w") as f:
        json.dump(planted, f)
    return found
checkcache.key = key
"""
    # the build a process's first: a fork of this one (tests/support/harness.py) with the patch
    result = harness.forked_command(lambda: harness.mkdocs(course), plant)
    assert json.loads((course / ".cache/tracksite/checks.json").read_text())["problems"] == []
    assert result.returncode == 1 and "[TS501] HTML <script>" in result.stderr, result.stderr[-3000:]
    assert not (course / "site").exists()


def test_a_planted_search_index_list_links_nothing_into_the_site(tmp_path):
    """`.cache/tracksite/search-index.json` listing a local file under the key of the kept index,
    and `search-index` a committed link to the folder that holds it: the site gets no such file."""
    course = make_course(tmp_path / "course")
    for _ in range(2):  # the second build keeps the list of a whole index (its pages all kept)
        assert run_cli(course, ["build"]).returncode == 0
    (listed,) = kept(course, "search-index.json")
    key = json.loads(listed.read_text())["key"]
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.txt").write_text("SECRET-LOCAL-FILE")
    st = (private / "secret.txt").stat()
    cache = course / ".cache" / "tracksite"
    cache.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(cache / "search-index", ignore_errors=True)
    (cache / "search-index").symlink_to(private, target_is_directory=True)
    files = {"secret.txt": [st.st_size, st.st_mtime_ns]}
    (cache / "search-index.json").write_text(json.dumps({"key": key, "files": files}))
    assert run_cli(course, ["build"]).returncode == 0
    assert not (course / "site" / "search-index" / "secret.txt").exists()
    assert (course / "site" / "search-index" / "index.json").is_file()


# -- the state folder itself ----------------------------------------------------------------------
def test_the_state_folder_is_per_course_and_private(tmp_path):
    course = make_course(tmp_path / "course")
    folder = localstate.folder(course, "tracksite")
    assert folder.is_relative_to(localstate.base()) and not folder.is_relative_to(course)
    assert (folder.stat().st_mode & 0o777) == 0o700
    copy = clone(course, tmp_path / "copy" / "course")
    assert localstate.path(copy, "tracksite") != folder  # a copy elsewhere starts with nothing kept


def test_a_state_folder_that_is_a_link_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(localstate.ENV, str(tmp_path / "state"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "projects").symlink_to(elsewhere, target_is_directory=True)
    course = make_course(tmp_path / "course")
    with pytest.raises(localstate.StateError, match="projects is a symbolic link"):
        localstate.folder(course, "tracksite")
    result = run_cli(course, ["build"])
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "is a symbolic link" in said and localstate.ENV in said
    assert "Traceback" not in said and list(elsewhere.iterdir()) == []
    result = run_cli(course, NEW_LESSON)
    assert result.returncode == 1 and "is a symbolic link" in result.stderr
    assert not (course / "lessons/alpha/a4").exists() and list(elsewhere.iterdir()) == []


def test_a_state_folder_of_another_user_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(localstate.ENV, str(tmp_path / "state"))
    course = make_course(tmp_path / "course")
    localstate.folder(course, "tracksite")
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)
    with pytest.raises(localstate.StateError, match="belongs to another user") as refused:
        localstate.folder(course, "journal")
    assert str(tmp_path / "state") in str(refused.value) and localstate.ENV in str(refused.value)


@pytest.mark.parametrize("name", ("pages", "templates", "search-index", "serve"))
def test_a_folder_inside_the_state_folder_linked_out_is_refused(tmp_path, name):
    """Issue 74: `pages`, `search-index`, `templates` or `serve` inside the state folder made a
    link to another folder: the build deleted that folder's files and wrote into it. Each is
    refused as the state folder itself is, with one line, and the folder it names is unchanged."""
    course = make_course(tmp_path / "course")
    assert run_cli(course, ["build"]).returncode == 0  # (the state folder and its kept files)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "notes.txt").write_text("keep me")
    inner = localstate.path(course, "tracksite") / name
    if inner.exists():
        shutil.rmtree(inner)
    inner.symlink_to(victim, target_is_directory=True)
    (course / "lessons/alpha/a1/lesson.md").write_text(
        (course / "lessons/alpha/a1/lesson.md").read_text() + "\nA change.\n"
    )
    result = run_cli(course, ["build"])
    said = result.stdout + result.stderr
    assert result.returncode == 1 and f"{inner} is a symbolic link" in said, said[-2000:]
    assert "Traceback" not in said
    lastsite.LastSite(course)._tidy()  # what `mkdocs serve` runs after its first build
    assert sorted(os.listdir(victim)) == ["notes.txt"] and (victim / "notes.txt").read_text() == "keep me"
