"""Issue 57: a `mkdocs serve` rebuild takes a pass's findings from the check before where the save
cannot have changed them (core/checks/reuse.py), and still finds what a check from scratch finds.

The findings at risk are those one page's save changes on another page, or that a file beside
the pages changes while no page does: a link to a heading that a save of the linked lesson
removes, a glossary term whose first use moves down or to another lesson, an image whose file
appears deep in a lesson's folder, a widget's data file removed beside a cheatsheet. Each test
fails when the part of the comparison it is about is left out. Each save here is reported by a simulated watcher, as serve's
is, and after each the rebuild's check must equal, problem for problem and in order, a check in a
process that remembers nothing (tests/core/test_incremental_check.py draws many more save sequences).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.course import make_course, write
from support.incremental import WATCHED, from_scratch, reported, shown, snapshot
from tracksite.adapter.config import mkdocsconfig
from tracksite.core import checks, memo, sources
from tracksite.core.checks import reuse


class Serve:
    """A course checked as `mkdocs serve` checks it: after each save, with the watcher's paths."""

    def __init__(self, root: Path, monkeypatch) -> None:
        self.root, self.folders = root, [str(root / w) for w in WATCHED]
        self.changed: list = []  # what each check found changed since the one before (None: more than pages' text)
        seen = reuse._changed
        monkeypatch.setattr(reuse, "_changed", lambda *args: self.changed.append(seen(*args)) or self.changed[-1])
        memo.watching(self.folders)
        checks.check(mkdocsconfig.load(root), include_drafts=True, serving=True, incremental=True)

    def save(self, change) -> list:
        """Make `change`, check as the rebuild does, and return its problems (checked against a
        check from scratch first)."""
        before = snapshot(self.root)
        change()
        memo.watching(self.folders, reported(before, snapshot(self.root)))
        config = mkdocsconfig.load(self.root)
        found = shown(checks.check(config, include_drafts=True, serving=True, incremental=True))
        assert found == from_scratch(config)
        return found[0]


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "RACY_NS", 0)  # saves a check apart: every stamp is trusted
    root = make_course(tmp_path / "course")
    yield root
    memo.watching(None)


def _append(root: Path, rel: str, text: str):
    return lambda: write(root, rel, (root / rel).read_text(encoding="utf-8") + text)


def _replace(root: Path, rel: str, old: str, new: str):
    return lambda: write(root, rel, (root / rel).read_text(encoding="utf-8").replace(old, new, 1))


def _codes(problems: list, path: str) -> list[tuple[str, int | None]]:
    """The link and glossary findings (TS3.., TS6..) at `path`: the others of the fixture course stay as they are."""
    return [(p.code, p.line) for p in problems if p.path == path and p.code[:3] in ("TS3", "TS6")]


def test_a_heading_removed_breaks_the_links_to_it_from_other_lessons(course, monkeypatch):
    write(
        course,
        "lessons/beta/b1/lesson.md",
        _text(course, "beta/b1") + "\nSee [the details](lesson:alpha/a1#details).\n",
    )
    serve = Serve(course, monkeypatch)
    b1 = "lessons/beta/b1/lesson.md"
    assert _codes(serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n")), b1) == []
    assert serve.changed[-1]  # b2's pages alone changed: the others' findings were taken as they were
    found = serve.save(_replace(course, "lessons/alpha/a1/lesson.md", "## Details", "## Particulars"))
    assert [code for code, _ in _codes(found, b1)] == ["TS302"]
    assert _codes(serve.save(_replace(course, "lessons/alpha/a1/lesson.md", "## Particulars", "## Details")), b1) == []


def test_a_glossary_terms_first_use_moves_with_the_prose_above_it(course, monkeypatch):
    write(course, "lessons/alpha/glossary.yml", "terms:\n  - term: Gizmo\n    definition: A part.\n    lesson: a3\n")
    write(course, "lessons/alpha/a1/lesson.md", _text(course, "alpha/a1") + "\nThe gizmo turns.\n")
    serve = Serve(course, monkeypatch)
    a1, a2 = "lessons/alpha/a1/lesson.md", "lessons/alpha/a2/lesson.md"
    (code, line), *_ = _codes(serve.save(_append(course, a2, "\nMore prose.\n")), a1)
    assert code == "TS606"
    moved = serve.save(_replace(course, a1, "## Details", "## Details\n\nA line.\n\nAnother line."))
    assert _codes(moved, a1) == [("TS606", line + 4)]
    elsewhere = serve.save(_replace(course, a1, "The gizmo turns.", "It turns."))
    assert _codes(elsewhere, a1) == []
    assert [c for c, _ in _codes(serve.save(_append(course, a2, "\nA gizmo here.\n")), a2)] == ["TS606"]


def test_a_file_made_deep_in_a_lesson_folder_changes_what_an_image_says(course, monkeypatch):
    write(course, "lessons/alpha/a1/lesson.md", _text(course, "alpha/a1") + "\n![A diagram](deep/er/pic.svg)\n")
    (course / "lessons/alpha/a1/deep/er").mkdir(parents=True)
    serve = Serve(course, monkeypatch)
    a1 = "lessons/alpha/a1/lesson.md"
    missing = serve.save(_append(course, "lessons/alpha/a2/lesson.md", "\nMore prose.\n"))
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    made = serve.save(lambda: write(course, "lessons/alpha/a1/deep/er/pic.svg", svg))
    said = [p.message for p in made if p.path == a1 and p.code == "TS303"]
    assert said and said != [p.message for p in missing if p.path == a1 and p.code == "TS303"]


def _text(root: Path, lesson: str) -> str:
    return (root / "lessons" / lesson / "lesson.md").read_text(encoding="utf-8")


def test_a_data_file_beside_a_cheatsheet_changes_what_its_widget_says(course, monkeypatch):
    """The cheatsheets of a track share one folder, and no stamp of a cheatsheet's own says that
    a data file beside it changed: the widgets' findings there are taken again only while the
    files beside the pages are as they were."""
    sheet = "cheatsheets/alpha/a1.md"
    write(course, sheet, _text_of(course, sheet) + "\n/// attention\ndata: tiny.json\nfocus: it\ntarget: rests\n///\n")
    source = '{"model": "m", "package": "none", "package_version": "0", "tokenizer": "t"}'
    tiny = f'{{"sentence": "it rests", "tokens": ["it", "rests"], "weights": [[[[0.25, 0.75], [0.5, 0.5]]]], "source": {source}}}'
    write(course, "cheatsheets/alpha/tiny.json", tiny)
    serve = Serve(course, monkeypatch)
    assert serve.changed[-1] is None  # (the first check: nothing kept)
    data = "cheatsheets/alpha/tiny.json"  # (a data file's findings are reported at it)
    before = serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n"))
    assert serve.changed[-1] and _widget_findings(before, data) == []  # (b2's pages alone changed)
    assert _widget_findings(serve.save((course / data).unlink), data) == [("TS407", "data file not found: tiny.json")]
    assert _widget_findings(serve.save(lambda: write(course, data, tiny)), data) == []


def _widget_findings(problems: list, path: str) -> list[tuple[str, str]]:
    return [(p.code, p.message) for p in problems if p.path == path and p.code.startswith("TS4")]


def _text_of(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_a_course_past_the_fixed_memory_limit_still_checks_only_the_saved_page(course, monkeypatch):
    """Under serve the check remembers every page's results however large the course: with the
    build's fixed limit, a 10,000-lesson course (800,000 results, 200,000 allowed) forgot them all
    in each check, every page looked changed and each save checked the whole course (96-169 s).
    Here the limit is set below this small course's results, as it was below the large one's."""
    monkeypatch.setattr(memo, "MEMO_MAX", 40)
    monkeypatch.setattr(memo.limit, "__defaults__", (40,))
    monkeypatch.setattr(memo.current(), "results_max", 40)
    serve = Serve(course, monkeypatch)
    serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n"))
    serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nAnd more.\n"))
    pages = len(serve.changed[-2] or []) and serve.changed[-1]
    assert pages and len(pages) <= 3, pages  # b2's pages alone (its lesson, and what copies its text)


def test_the_first_save_after_a_restart_reuses_the_passes_run_in_the_pause(course, monkeypatch):
    """Issue 76: a serve session whose first check was taken from the state folder (a restart)
    remembered none of the passes' findings, and its first save ran every pass over the whole
    course (about 5 s at 1,000 lessons). `checks.remember` runs them after that first build, so
    the first save's check finds only the saved page changed, and still what a check from scratch
    finds."""
    config = mkdocsconfig.load(course)
    options = {"include_drafts": True, "serving": True, "incremental": True}
    checks.check(config, cached=True, **options)  # the run before: its findings saved
    assert not checks.has_unrun()
    memo.current().forget("reuse.kept")  # a new process: nothing remembered of the passes
    serve = Serve.__new__(Serve)
    serve.root, serve.folders, serve.changed = course, [str(course / w) for w in WATCHED], []
    seen = reuse._changed
    monkeypatch.setattr(reuse, "_changed", lambda *args: serve.changed.append(seen(*args)) or serve.changed[-1])
    memo.watching(serve.folders)
    first = checks.check(mkdocsconfig.load(course), cached=True, **options)  # the restart's first build
    assert checks.has_unrun() and serve.changed == []  # taken from the state folder: no pass ran
    assert checks.remember() and not checks.has_unrun()
    assert serve.changed == [None]  # the passes ran whole, once, in the pause
    found, b2 = shown(first), (course / "lessons/beta/b2/lesson.md").read_text(encoding="utf-8")
    serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n"))
    pages = serve.changed[-1]
    assert pages is not None and 1 <= len(pages) <= 3, pages  # b2's pages alone
    monkeypatch.setattr(reuse, "_changed", seen)
    write(course, "lessons/beta/b2/lesson.md", b2)  # (as at the restart)
    assert found == from_scratch(mkdocsconfig.load(course))  # the restart's findings were a check's


def test_a_save_during_the_pause_stops_the_passes_and_checks_all_the_same(course, monkeypatch):
    """The passes of `remember` stop before the next pass once asked (a save came): what they ran
    by then is taken, the others run whole, and the findings are a check from scratch's."""
    config = mkdocsconfig.load(course)
    options = {"include_drafts": True, "serving": True, "incremental": True}
    checks.check(config, cached=True, **options)
    memo.current().forget("reuse.kept")
    memo.watching([str(course / w) for w in WATCHED])
    checks.check(mkdocsconfig.load(course), cached=True, **options)
    asked = []
    assert checks.remember(lambda: asked.append(1) or len(asked) > 3)
    kept = memo.current().owned("reuse.kept", lambda: None)
    assert kept is not None and len(kept.found) == 3  # three passes ran
    serve = Serve.__new__(Serve)
    serve.root, serve.folders, serve.changed = course, [str(course / w) for w in WATCHED], []
    serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n"))


def test_the_first_save_after_a_start_asks_the_system_only_of_what_it_changed(course, monkeypatch):
    """Issue 76: a serve session's first check runs before the watcher starts, so what it asked
    the system of each file (a lesson folder's stamps, core/memo.py `kept_fact`) was not kept, and
    the first save asked again of every file (a stat of every page at 1,000 lessons). `remember`
    checks again once the watcher runs, so the first save asks only of the lesson it changed, and
    still finds what a check from scratch finds."""
    memo.watching(None)  # the first build: no watcher yet
    options = {"include_drafts": True, "serving": True, "incremental": True}
    checks.check(mkdocsconfig.load(course), **options)
    folders = [str(course / w) for w in WATCHED]
    memo.watching(folders, [])  # the watcher runs; it has reported nothing yet
    assert checks.remember()
    asked: list[str] = []
    stamps = sources._stamps
    monkeypatch.setattr(sources, "_stamps", lambda folder, *files: asked.append(str(folder)) or stamps(folder, *files))
    before = snapshot(course)
    _append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n")()
    memo.watching(folders, reported(before, snapshot(course)))
    config = mkdocsconfig.load(course)
    found = shown(checks.check(config, **options))
    assert asked == [str(course / "lessons/beta/b2")]
    assert found == from_scratch(config)


def test_a_change_no_watcher_reported_reloads_the_kept_tracks(course, monkeypatch):
    """A track's load is kept while the watcher reports no change in its folders (core/memo.py `kept_track`).
    A change made while no watcher ran (the server stopped, or a build the watcher did not ask for)
    is never reported: such a build trusts nothing kept, and loads every track again."""
    serve = Serve(course, monkeypatch)
    serve.save(_append(course, "lessons/beta/b2/lesson.md", "\nMore prose.\n"))  # (every track's load kept)
    listing = course / "lessons/beta/track.yml"
    write(course, "lessons/beta/track.yml", listing.read_text(encoding="utf-8").replace("[b1, b2]", "[b2, b1]"))
    write(course, "lessons/alpha/extra/lesson.md", _text(course, "alpha/a1"))  # (a folder track.yml does not list)
    memo.watching(None)  # a build with no watcher's report
    config = mkdocsconfig.load(course)
    found = shown(checks.check(config, include_drafts=True, serving=True, incremental=True))
    assert found == from_scratch(config)
    assert [p.code for p in found[0] if p.path == "lessons/alpha/extra"] == ["TS205"]
