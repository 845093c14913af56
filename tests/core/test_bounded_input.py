"""Bounded work on hostile input (issue 51): every YAML file the engine reads, a page's tables and
nesting, the theme's overrides, the upgrade's wheel folder, and the text and file names the
exports put into XML and zip files. Each is refused with a located problem in seconds, before
the engine spends minutes or gigabytes on it or writes outside the project."""

from __future__ import annotations

import argparse
import os
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from support.course import run_cli, write
from support.sites import run_mkdocs
from tracksite.adapter.config import mkdocsconfig
from tracksite.core.markdown import complexity
from tracksite.core.yaml import safe
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem, UserError

#: Nine lists of nine aliases of the list before: 9**9 values written out (the engine took 91 s and
#: 4.5 GB on it when the file came through `INHERIT:`).
BOMB = "extra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)


def inherit(root: Path, name: str, text: str) -> None:
    """mkdocs.yml INHERITs `name`, which holds `text`."""
    write(root, name, text)
    config = root / "mkdocs.yml"
    config.write_text(f"INHERIT: {name}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")


# -- 1. every YAML file of the configuration, INHERITed ones included --------------------------


def test_a_yaml_bomb_in_an_inherited_file_is_refused_by_check_and_build_in_seconds(course):
    inherit(course, "base.yml", BOMB)
    start = time.monotonic()
    result = run_cli(course, ["check"])
    assert time.monotonic() - start < 30
    assert result.returncode != 0
    assert "base.yml:1:1: [TS015] YAML aliases (*name) make `extra:` hold more than" in result.stdout
    start = time.monotonic()
    built = run_mkdocs(course)
    assert time.monotonic() - start < 30
    output = built.stdout + built.stderr
    assert built.returncode != 0 and "Traceback" not in output
    assert "base.yml:1:1: [TS015] YAML aliases" in output
    assert not (course / "site").exists()


def test_tracksite_build_refuses_a_deep_inherited_file_before_the_engine_reads_it(course):
    inherit(course, "base.yml", "extra:\n  x: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_cli(course, ["build"])
    assert result.returncode != 0 and "RecursionError" not in result.stderr + result.stdout
    assert "base.yml:2:" in result.stderr and "nested more than 50 levels" in result.stderr
    assert "nested more than 50 levels" in run_cli(course, ["check"]).stdout


def test_inherit_stays_in_the_project_and_never_goes_round(tmp_path):
    root = tmp_path / "course"
    write(tmp_path, "shared.yml", "site_name: elsewhere\n")
    write(root, "mkdocs.yml", "site_name: x\nINHERIT: ../shared.yml\n")
    (problem,) = mkdocsconfig.guard(root / "mkdocs.yml")
    assert (problem.path.name, problem.line, problem.column) == ("mkdocs.yml", 2, 10)
    assert "outside the project" in problem.message and not problem.warning
    write(root, "mkdocs.yml", "INHERIT: a.yml\n")
    write(root, "a.yml", "INHERIT: mkdocs.yml\n")
    (problem,) = mkdocsconfig.guard(root / "mkdocs.yml")
    assert problem.path.name == "a.yml" and "circle" in problem.message
    write(root, "a.yml", "x" * 1_000_001)
    (problem,) = mkdocsconfig.guard(root / "mkdocs.yml")
    assert problem.path.name == "a.yml" and problem.code == "TS015" and "bytes" in problem.message


def test_the_tags_real_configurations_use_pass_the_guard(tmp_path):
    write(
        tmp_path,
        "mkdocs.yml",
        "site_name: !ENV [NAME, x]\nINHERIT: base.yml\nmarkdown_extensions:\n  - toc:\n"
        "      slugify: !!python/name:pymdownx.slugs.uslugify\n",
    )
    write(tmp_path, "base.yml", "docs_dir: !relative $config_dir/docs\nextra: {a: &a [1, 2], b: *a}\n")
    assert mkdocsconfig.guard(tmp_path / "mkdocs.yml") == ()


# -- 2. pages Markdown would spend minutes on ---------------------------------------------------


def table(columns: int, rows: int) -> str:
    return "\n".join(
        ["| " + " | ".join(f"c{i}" for i in range(columns)) + " |", "|" + "---|" * columns]
        + ["| " + " | ".join("x" for _ in range(columns)) + " |"] * rows
    )


def test_a_very_wide_table_is_refused_by_check_at_its_header(course):
    lesson = course / "lessons/alpha/a1/lesson.md"
    text = lesson.read_text(encoding="utf-8")
    line = text[: text.index("## Details")].count("\n") + 1
    lesson.write_text(text.replace("## Details", table(20_000, 12) + "\n\n## Details", 1), encoding="utf-8")
    start = time.monotonic()
    result = run_cli(course, ["check"])
    assert time.monotonic() - start < 30
    assert result.returncode != 0
    assert f"lessons/alpha/a1/lesson.md:{line}: [TS512] table has 20,000 columns" in result.stdout


def test_table_cells_and_nesting_are_bounded_and_real_pages_pass():
    line, message = complexity.too_complex("Words.\n\n" + table(101, 1), 5)
    assert line == 7 and "101 columns" in message
    line, message = complexity.too_complex("Words.\n\n> " + table(50, 1001), 10)
    assert line == 12 and "50,000 cells" in message
    assert complexity.too_complex("Words.\n\n" + table(20, 2000), 1) is None  # a long data table
    line, message = complexity.too_complex("x\n\n" + "- " * 600 + "word\n", 1)
    assert line == 3 and "more than 50 block quotes and list items" in message
    assert complexity.too_complex("- " * 600 + "\n", 1) is None  # a thematic break, not lists
    assert complexity.too_complex("> - 1. a\n\n```\n" + "- " * 600 + "x\n```\n", 1) is None  # code
    assert complexity.too_complex("Text with a | pipe\n---\n", 1) is None
    # a page the bounds pass at once, and the same shapes past each limit, found at their line
    assert complexity.too_complex("- a\n> b\n1. c\n| x |\n|---|\n[a](b)\n" * 40, 1) is None
    line, message = complexity.too_complex("Words.\n\n" + "`a` " + "> " * 60 + "deep\n", 1)
    assert line == 3 and "more than 50 block quotes" in message  # after a code span, masked
    line, message = complexity.too_complex("text\n" * 10 + "# h\n\n" * 301, 1)
    assert line == 11 + 2 * 300 and "300 headings" in message


# -- 3. the theme's overrides come from the project ---------------------------------------------


def test_overrides_linked_to_outside_the_project_are_refused_by_check_and_build(course, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    os.rename(course / "overrides", course / "overrides-old")
    os.symlink(elsewhere, course / "overrides")
    line = (course / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("  custom_dir: overrides") + 1
    expected = f"mkdocs.yml:{line}:15: [TS004] theme.custom_dir: overrides/ is a symbolic link that leads outside"
    result = run_cli(course, ["check"])
    assert result.returncode != 0 and expected in result.stdout
    built = run_mkdocs(course)
    assert built.returncode != 0 and expected in built.stdout + built.stderr
    os.unlink(course / "overrides")
    os.rename(course / "overrides-old", course / "overrides")
    os.symlink(elsewhere / "main.html", course / "overrides/linked.html")
    result = run_cli(course, ["check"])
    assert "overrides/linked.html: [TS004] symbolic link points outside the project" in result.stdout


# -- 4. upgrade writes and deletes in the course only -------------------------------------------


def test_upgrade_refuses_a_wheel_folder_linked_outside_the_course(tmp_path, monkeypatch):
    from support.wheels import fake_wheel
    from tracksite.commands import pinning, upgrade

    course, outside = tmp_path / "course", tmp_path / "shared-wheels"
    write(course, "mkdocs.yml", "site_name: x\n")
    old = fake_wheel(outside, "0.1.0")
    (course / ".tracksite").mkdir()
    os.symlink(outside, course / ".tracksite/wheels")
    write(course, "requirements.txt", f"./.tracksite/wheels/{old.name}\n")
    new = fake_wheel(tmp_path / "dist", "0.3.0")
    monkeypatch.setattr(pinning, "origin", lambda: {"url": new.as_uri(), "archive_info": {}})
    for dry_run in (True, False):
        with pytest.raises(UserError, match=r"\.tracksite/wheels/ leads outside the course through a symbolic link"):
            upgrade.cmd_upgrade(argparse.Namespace(root=str(course), dry_run=dry_run))
    assert sorted(p.name for p in outside.iterdir()) == [old.name]  # nothing deleted or written there
    with pytest.raises(UserError):
        pinning.place(pinning.pin({"url": new.as_uri(), "archive_info": {}}), course)
    assert sorted(p.name for p in outside.iterdir()) == [old.name]


# -- 5. text the exports' XML cannot hold -------------------------------------------------------


@pytest.mark.parametrize("escape, code", [("\\x01", "0001"), ("\\uFFFE", "FFFE"), ("\\x1b", "001B")])
def test_escaped_control_characters_and_noncharacters_in_yaml_text_are_refused(escape, code):
    with pytest.raises(SourceProblem) as e:
        parse(f'number: 1\ntitle: "First {escape} lesson"\n', first_line=2)
    assert (e.value.line, e.value.column, e.value.code) == (3, 8, "TS012")
    assert f"U+{code}" in e.value.message
    assert parse('title: "tab\\there"\n').value == {"title": "tab\there"}


def test_check_refuses_a_control_character_in_a_lesson_title(course):
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("title: First lesson", 'title: "First\\x01 lesson"'),
        encoding="utf-8",
    )
    result = run_cli(course, ["check"])
    assert result.returncode != 0
    assert "lessons/alpha/a1/lesson.md:2:8: [TS012] character U+0001" in result.stdout


def test_export_manifests_are_well_formed_xml_whatever_the_titles_hold():
    from tracksite.commands.export import staging

    root = ET.Element("manifest", {"identifier": "a\x01b\ufffe"})
    ET.SubElement(root, "title").text = "Lesson\x00 one\x1f \U0001f600 é\ufffe"
    data = staging.xml_document(root)
    from lxml import etree

    parsed = etree.fromstring(data, etree.XMLParser(recover=False))  # strict: a stray character fails
    assert parsed.get("identifier") == "ab" and parsed[0].text == "Lesson one \U0001f600 é"


# -- 6. file names that would be another place once unzipped ------------------------------------


@pytest.mark.parametrize(
    "name, why",
    [
        ("a\\..\\..\\x.html", "`\\`"),
        ("a/../x.html", "`..`"),
        ("/etc/x.html", "absolute"),
        ("C:/x.html", "absolute"),
        ("a\x07b.html", "U+0007"),
    ],
)
def test_zip_member_names_are_the_sites_relative_posix_paths(tmp_path, name, why):
    from tracksite.commands.export import staging
    from tracksite.core.site.published import unsafe_name

    assert why in (unsafe_name(name) or "")
    assert unsafe_name("alpha/a1/figure.svg") is None
    folder = tmp_path / "site"
    write(folder, "index.html", "<p>home</p>")
    if "/" not in name and ":" not in name:  # a name Linux allows in one folder
        (folder / name).write_text("x", encoding="utf-8")
        with pytest.raises(UserError, match=r"an unzip would read as another place"):
            staging.write_zip(folder, tmp_path / "out.zip")
        assert not (tmp_path / "out.zip").exists()
        (folder / name).unlink()
    assert staging.write_zip(folder, tmp_path / "out.zip") == 1
    assert zipfile.ZipFile(tmp_path / "out.zip").namelist() == ["index.html"]


def test_check_names_a_docs_file_whose_name_holds_a_backslash(course):
    (course / "docs/a\\..\\..\\x.html").write_text("<p>x</p>", encoding="utf-8")
    result = run_cli(course, ["check"])
    assert result.returncode != 0
    assert "docs/a\\..\\..\\x.html: [TS703] the name holds `\\`" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "question: What does it do?\noptions:\n  - text: It scales\n    correct: true\n  - text: It sorts\n",
        "[" * 40 + "]" * 40,  # deeper than the parser's 32 levels
        "- " * 40 + "x",  # as deep, with no bracket
        "[" * 1_100 + "]" * 1_100,  # deeper than libyaml's own bound
        "[" + ",".join(["1"] * 60_000) + "]",  # more values than a document may hold
        "a: 1\na: 2",
        "a: !!python/object x",
        "a: [1, 2",
        "- one\n    - two",
        "a: 3.10\nb: 042",
    ],
)
def test_yaml_composed_directly_reads_as_after_its_events(monkeypatch, text):
    """A document with no `&` and no `*` is composed by libyaml without reading its events first
    (safe.py, a third of a quiz body's parse): its value, lines and numbers as written, or its
    located problem, are the same as when the events are read first."""

    def read(direct: bool):
        monkeypatch.setattr(safe, "_SHALLOW_BY_LIBYAML", direct)
        try:
            located = parse(text, first_line=5)
        except SourceProblem as e:
            return ("problem", e.code, e.line, e.column, e.message)
        return ("value", located.value, located.lines, located.raw)

    assert read(True) == read(False)
