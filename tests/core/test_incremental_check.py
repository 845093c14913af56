"""Issue 57: the check of a `mkdocs serve` rebuild finds what a check from scratch finds.

Under serve, `checks.check(..., incremental=True)` runs every pass in this process, so that what
each pass found in a file is remembered (core/memo.py) and the files whose stamp did not change
are not read again, nor a lesson whose files' stamps did not change loaded again (core/sources.py,
core/loader.py): a save costs the changed file, not the course. A result
remembered under a key that misses something the pass reads would show a stale problem, or hide
a new one, only on some later save. So hypothesis chooses sequences of saves on the small fixture
course, among them saves that make problems in one file seen from another (a link to a section
another save adds or removes, a glossary term used before its lesson, a prerequisite cycle, a
broken front-matter, a file removed and written again, a cheatsheet, an image), and after every save the incremental
check must equal, problem for problem and in order, a check in a process that remembers nothing.
The same holds where a watcher reports each save's paths and what the system said of every other
file is taken again without asking (core/memo.py `watching`, as `mkdocs serve` runs it), and
there a save of one lesson's body asks nothing of the other lessons' files.

The checks run in this process (a fraction of a second each); the examples are few and
derandomized, and hypothesis keeps no database (tests/adapter/test_differential.py does the same).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support.course import make_course, write
from support.incremental import WATCHED, from_scratch, reported, shown, snapshot
from tracksite.adapter.config import mkdocsconfig
from tracksite.core import checks, memo, sources

LESSONS = ("alpha/a1", "alpha/a2", "alpha/a3", "beta/b1", "beta/b2")


@dataclass(frozen=True)
class Save:
    kind: str
    lesson: str

    def apply(self, root: Path, original: dict[str, str]) -> None:
        path = root / "lessons" / self.lesson / "lesson.md"
        text = path.read_text(encoding="utf-8") if path.exists() else original[f"lessons/{self.lesson}/lesson.md"]
        SAVES[self.kind](self, root, path, text, original)


def _append(text: str) -> Callable[[Save, Path, Path, str, dict[str, str]], None]:
    def save(s: Save, root: Path, path: Path, old: str, original: dict[str, str]) -> None:
        path.write_text(old + "\n" + text + "\n", encoding="utf-8")

    return save


def _link_to_section(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # broken until a save adds "## The extra part" to a1 (anchors across files), again after its undo
    path.write_text(text + "\nSee [that part](lesson:alpha/a1#the-extra-part).\n", encoding="utf-8")


def _glossary_use(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # the glossary's term taught in a3: used in a lesson before it, a problem found across files
    path.write_text(text + "\nThe gizmo turns.\n", encoding="utf-8")


def _cycle(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a1 needs this lesson, which a2 needs, which needs a1: a cycle through three files
    fields = f"prerequisites:\n  - lesson: {s.lesson.split('/')[1] if s.lesson.startswith('alpha/') else 'a3'}\n"
    a1 = root / "lessons/alpha/a1/lesson.md"
    text = a1.read_text(encoding="utf-8") if a1.exists() else original["lessons/alpha/a1/lesson.md"]
    a1.write_text(text.replace("---\n", "---\n" + fields, 1), encoding="utf-8")


def _broken_front_matter(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    path.write_text(text.replace("title:", "title: [unclosed", 1), encoding="utf-8")


def _remove(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    path.unlink(missing_ok=True)


def _cheatsheet(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a lesson's cheatsheet lives outside its folder: its own stamp says it changed
    sheet = root / "cheatsheets" / f"{s.lesson}.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + '\n<span onclick="go()">Tap</span>\n', encoding="utf-8")


def _image(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a2 shows diagram.svg: removed, the lesson's files change and its image link breaks; then back
    image = root / "lessons/alpha/a2/diagram.svg"
    if image.exists():
        image.unlink()
    else:
        image.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', encoding="utf-8")


def _undo(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # back to a text checked before: its remembered results are found again
    for rel in (f"lessons/{s.lesson}/lesson.md", "lessons/alpha/a1/lesson.md"):
        write(root, rel, original[rel])


def _left_file(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a file made in the lesson's folder that the site does not publish (a finding), then removed:
    # the track's load, kept while the watcher reports nothing there (core/memo.py `kept_track`), is made again
    notes = path.parent / "notes.txt"
    if notes.exists():
        notes.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        notes.write_text("draft notes", encoding="utf-8")


def _rename(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # the lesson's folder renamed and track.yml listing the new name, then renamed back
    track, slug = s.lesson.split("/")
    folder, listing = root / "lessons" / track, root / "lessons" / track / "track.yml"
    old, new = (slug, f"{slug}x") if (folder / slug).exists() else (f"{slug}x", slug)
    if (folder / old).exists():
        (folder / old).rename(folder / new)
    listing.write_text(listing.read_text(encoding="utf-8").replace(f"{old},", f"{new},").replace(f"{old}]", f"{new}]"))


def _unlisted(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a lesson folder that track.yml does not list (a finding), made and then removed
    extra = root / "lessons" / s.lesson.split("/")[0] / "extra"
    if extra.exists():
        shutil.rmtree(extra)
    else:
        write(root, str((extra / "lesson.md").relative_to(root)), original["lessons/alpha/a1/lesson.md"])


def _glossary_term(s: Save, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a term added to the track's glossary (its first use in a lesson before it is a finding), then dropped
    glossary = root / "lessons" / s.lesson.split("/")[0] / "glossary.yml"
    terms = glossary.read_text(encoding="utf-8") if glossary.exists() else "terms:\n"
    term = "  - term: Sprocket\n    definition: A wheel.\n    lesson: a3\n"
    glossary.write_text(terms.replace(term, "") if term in terms else terms + term, encoding="utf-8")
    if "sprocket" not in text:
        path.write_text(text + "\nThe sprocket turns.\n", encoding="utf-8")


SAVES: dict[str, Callable[[Save, Path, Path, str, dict[str, str]], None]] = {
    "paragraph": _append("A paragraph with [a vague link](here) and [here](lesson:alpha/a1)."),
    "section": _append("## The extra part\n\nWhat the extra part says."),
    "dated": _append("This model is currently the largest of its kind."),
    "active": _append('<span onclick="go()">Click</span>'),
    "formula": _append("A formula: $\\frac{1}{$ that does not close."),
    "quiz": _append("/// quiz\nquestion: Which?\n///"),
    "link to section": _link_to_section,
    "glossary use": _glossary_use,
    "cycle": _cycle,
    "front-matter": _broken_front_matter,
    "remove": _remove,
    "cheatsheet": _cheatsheet,
    "image": _image,
    "undo": _undo,
    "left file": _left_file,
    "rename": _rename,
    "unlisted": _unlisted,
    "glossary term": _glossary_term,
}

saves = st.builds(Save, st.sampled_from(sorted(SAVES)), st.sampled_from(LESSONS))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("incremental") / "course")
    write(root, "lessons/alpha/glossary.yml", "terms:\n  - term: Gizmo\n    definition: A part.\n    lesson: a3\n")
    return root


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(saves, min_size=2, max_size=6))
# saves that meet across files, whatever hypothesis draws: a link to a section added, then undone;
# a term used before its lesson, then not; a cycle, its lesson removed and written again
@example(sequence=[Save("link to section", "beta/b1"), Save("section", "alpha/a1"), Save("undo", "alpha/a1")])
@example(sequence=[Save("glossary use", "alpha/a1"), Save("undo", "alpha/a1"), Save("cycle", "alpha/a2")])
@example(sequence=[Save("cycle", "alpha/a2"), Save("remove", "alpha/a2"), Save("undo", "alpha/a2")])
@example(sequence=[Save("front-matter", "alpha/a1"), Save("quiz", "beta/b2"), Save("undo", "alpha/a1")])
@example(sequence=[Save("cheatsheet", "beta/b1"), Save("image", "alpha/a2"), Save("image", "alpha/a2")])
# a track's kept load made again (core/memo.py `kept_track`): a file made, a folder renamed, a term added, each undone
@example(sequence=[Save("left file", "beta/b1"), Save("paragraph", "alpha/a1"), Save("left file", "beta/b1")])
@example(sequence=[Save("rename", "beta/b2"), Save("paragraph", "alpha/a3"), Save("rename", "beta/b2")])
@example(sequence=[Save("unlisted", "alpha/a2"), Save("glossary term", "alpha/a1"), Save("unlisted", "alpha/a2")])
@example(sequence=[Save("glossary term", "alpha/a2"), Save("section", "beta/b1"), Save("glossary term", "alpha/a2")])
@pytest.mark.parametrize("watcher", [False, True], ids=["stamps", "watcher"])
def test_an_incremental_check_finds_what_a_check_from_scratch_finds(
    sequence, watcher, base, tmp_path_factory, monkeypatch
):
    root = tmp_path_factory.mktemp("run") / "course"
    shutil.copytree(base, root)
    original = {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in (root / "lessons").rglob("*.md")}
    # Every file's stamp is trusted, even one written in the last two seconds: the saves here are
    # a check apart (many clock ticks), where the racy rule guards two saves in one tick.
    monkeypatch.setattr(sources, "RACY_NS", 0)
    folders = [str(root / w) for w in WATCHED] if watcher else None
    memo.watching(folders)  # the first build's: nothing known yet
    config = mkdocsconfig.load(root)
    checks.check(config, include_drafts=True, serving=True, incremental=True)  # the first build's
    found_any = False
    try:
        for step, save in enumerate(sequence):
            before = snapshot(root)
            save.apply(root, original)
            memo.watching(folders, reported(before, snapshot(root)))
            config = mkdocsconfig.load(root)
            incremental = shown(checks.check(config, include_drafts=True, serving=True, incremental=True))
            assert incremental == from_scratch(config), f"after {sequence[: step + 1]}"
            found_any = found_any or bool(incremental[0])
    finally:
        memo.watching(None)
    assert found_any or all(s.kind in ("undo", "section") for s in sequence)


def test_a_save_of_one_lessons_body_asks_nothing_of_the_other_lessons(base, tmp_path, monkeypatch):
    """Under serve, the check after a save of a1's prose reads, stats and lists a1's files and
    none of another lesson's (the watcher reported a1 alone), and finds what a check from scratch
    finds: the save costs what it changed, not the course."""
    root = tmp_path / "course"
    shutil.copytree(base, root)
    monkeypatch.setattr(sources, "RACY_NS", 0)
    folders = [str(root / w) for w in WATCHED]
    memo.watching(folders)
    checks.check(mkdocsconfig.load(root), include_drafts=True, serving=True, incremental=True)
    memo.watching(folders, [])  # a build with nothing saved: what the first one asked is known now
    checks.check(mkdocsconfig.load(root), include_drafts=True, serving=True, incremental=True)
    saved = root / "lessons/alpha/a1/lesson.md"
    saved.write_text(saved.read_text(encoding="utf-8") + "\nOne more sentence of prose.\n", encoding="utf-8")
    asked: list[str] = []

    def noting(call):
        def noted(path, *args, **kwargs):
            asked.append(str(path))
            return call(path, *args, **kwargs)

        return noted

    for name in ("lstat", "stat", "scandir", "listdir"):
        monkeypatch.setattr(os, name, noting(getattr(os, name)))
    monkeypatch.setattr(Path, "read_bytes", noting(Path.read_bytes))
    try:
        memo.watching(folders, [str(saved)])
        config = mkdocsconfig.load(root)
        incremental = shown(checks.check(config, include_drafts=True, serving=True, incremental=True))
    finally:
        monkeypatch.undo()
        memo.watching(None)
    others = [str(root / "lessons" / key) + os.sep for key in LESSONS if key != "alpha/a1"]
    assert [p for p in asked if p.startswith(tuple(others))] == []
    assert str(saved) in asked  # (the saved file is looked at again)
    assert incremental == from_scratch(config)


def test_a_save_drops_the_facts_at_above_and_under_it_without_testing_every_fact(tmp_path, monkeypatch):
    """What the system said of each path is kept under serve while the watcher reports no change
    there (core/memo.py). A save drops the facts of the paths it changed, of the folders above
    them and of what lies under them, found by their paths: not by testing each of the thousands
    kept (at 1,000 lessons a sixth of the check's time in a save)."""
    root = tmp_path / "lessons"
    for track in ("t1", "t2"):
        for lesson in ("l1", "l2"):
            (root / track / lesson).mkdir(parents=True)
            (root / track / lesson / "lesson.md").write_text("x", encoding="utf-8")
    memo.watching([str(root)], [])
    try:
        asked: list[str] = []
        for folder in sorted(p for p in root.glob("*/*")):
            memo.kept_fact("size-time", (str(folder / "lesson.md"),), lambda: asked.append("file") or "stamp")
            memo.folder_stamp(folder)
        memo.kept_fact("walk", (str(root / "t1"),), lambda: "t1 stamp")
        tested: list[str] = []
        unchanged = memo._unchanged
        monkeypatch.setattr(memo, "_unchanged", lambda path: tested.append(path) or unchanged(path))
        saved = root / "t1" / "l1" / "lesson.md"
        memo.watching([str(root)], [str(saved)])  # a lesson saved
        memo.watching([str(root)], [str(root / "t2")])  # a track's folder reported (its whole tree)
        assert len(tested) < 4  # (none of the other facts tested)
        monkeypatch.setattr(memo, "_unchanged", unchanged)
        kept = {key[1][0] for key in memo.current().facts}
        assert str(saved) not in kept and str(root / "t1") not in kept  # the file, and the folder above it
        assert str(root / "t1" / "l1") not in kept  # (its folder's stamp)
        assert {str(root / "t1" / "l2" / "lesson.md"), str(root / "t1" / "l2")} <= kept
        assert not any(path.startswith(str(root / "t2")) for path in kept)  # all under the reported folder
    finally:
        memo.watching(None)
