"""The installed themes are listed once a process, not once a configuration load
(mkdocsinternals.keep_theme_list): MkDocs' theme loader empties its cached list after each theme,
so every later load (each serve rebuild, each `check --watch` run, a command that loads the
configuration twice) read every installed package's entry points again. A theme installed while
the process runs is still found."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs import utils

from support import harness
from support.course import make_course
from tracksite.adapter import mkdocsinternals


@pytest.fixture
def scans(monkeypatch) -> list[str]:
    """Each read of the installed packages' theme entry points, by the group asked for."""
    seen: list[str] = []
    entry_points = utils.entry_points

    def counted(**kwargs):
        seen.append(kwargs.get("group", ""))
        return entry_points(**kwargs)

    monkeypatch.setattr(utils, "entry_points", counted)
    return seen


def test_later_loads_of_a_configuration_read_no_entry_points(tmp_path, scans):
    course = make_course(tmp_path / "course")
    for _ in range(3):
        result = harness.tracksite("check", cwd=course)
        assert result.returncode == 0, result.stdout + result.stderr
    assert scans.count("mkdocs.themes") <= 1, scans  # the first load may find the list emptied


def write_theme(folder: Path) -> None:
    info = folder / "fake_theme-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-theme\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[mkdocs.themes]\nfaketheme = faketheme\n", encoding="utf-8")


def test_a_theme_installed_or_removed_while_the_process_runs_is_seen(tmp_path, monkeypatch, scans):
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    mkdocsinternals.keep_theme_list()
    assert "mkdocs" in utils.get_theme_names() and "faketheme" not in utils.get_theme_names()
    utils.get_themes.cache_clear()  # as the theme loader does after each theme
    assert "faketheme" not in utils.get_theme_names()
    read = len(scans)
    write_theme(folder)
    assert "faketheme" in utils.get_theme_names()
    assert len(scans) == read + 1
    info = folder / "fake_theme-1.0.dist-info"
    for path in info.iterdir():
        path.unlink()
    info.rmdir()
    assert "faketheme" not in utils.get_theme_names()
