"""`tracksite check` reads the site configuration the build is given (issue 40).

The checks once re-read mkdocs.yml from disk themselves, even inside `mkdocs build`: `-f`,
`INHERIT:` and `!ENV` were not what tracksite checked, and a `toc` slugify given as
`!!python/object/apply:` (which keeps `ö` in heading ids) was lost, so a valid
`#größe-der-matrix` link failed with "did you mean 'groe-der-matrix'". Both now take the config
MkDocs loads; the builds here run through MkDocs' and tracksite's command lines, with COURSE_URL
in the environment (tests/support/harness.py).
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from support.course import MKDOCS_YML, lesson_md, make_course, write

UMLAUT_BODY = (
    "## Größe der Matrix\n\nThe size. See [below](#größe-der-matrix).\n\n"
    + "Words to read here. " * 40
    + "\n\n## Details\n\nMore text.\n"
)
# other.yml: everything of mkdocs.yml (INHERIT), a slugify that keeps umlauts, site_url from the environment
OTHER_YML = "INHERIT: mkdocs.yml\nsite_url: !ENV [COURSE_URL, 'https://wrong.example/']\n" + MKDOCS_YML[
    MKDOCS_YML.index("markdown_extensions:") : MKDOCS_YML.index("validation:")
].replace(
    "  - toc:\n      permalink: true\n",
    "  - toc:\n      permalink: true\n"
    "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n",
)
COURSE_ENV = {"COURSE_URL": "https://teacher.example/course/"}


def tracksite(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI in `root` with COURSE_URL set, in this process (tests/support/harness.py)."""
    return harness.tracksite(*args, cwd=root, env=COURSE_ENV)


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` with COURSE_URL set, through MkDocs' command line in this process."""
    return harness.mkdocs(root, "-d", str(root.parent / "site"), *args, env=COURSE_ENV)


@pytest.fixture()
def umlaut_course(tmp_path) -> Path:
    root = make_course(tmp_path / "course")
    config = root / "mkdocs.yml"
    config.write_text("strict: true\n" + config.read_text())
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=UMLAUT_BODY))
    write(root, "other.yml", OTHER_YML)
    return root


def test_check_and_build_agree_on_the_file_given_with_f(umlaut_course):
    root = umlaut_course
    checked = tracksite(root, "check", "-f", "other.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = mkdocs_build(root, "-f", "other.yml")
    assert built.returncode == 0, built.stderr[-3000:]
    page = BeautifulSoup((root.parent / "site/alpha/a1/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h2", id="größe-der-matrix") is not None
    assert page.find("a", href="#größe-der-matrix") is not None
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == "https://teacher.example/course/alpha/a1/"  # from !ENV


def test_without_f_both_refuse_the_link_alike(umlaut_course):
    """mkdocs.yml's own toc drops the umlaut: the same link is then an error in both, on the
    same line, so the passing run above is the config file's doing."""
    root = umlaut_course
    checked = tracksite(root, "check", "--errors-only")
    assert checked.returncode == 1
    line = next(out for out in checked.stdout.splitlines() if out.startswith("lessons/alpha/a1/lesson.md:"))
    assert "groe-der-matrix" in line
    built = mkdocs_build(root)
    assert built.returncode != 0 and line in built.stderr, built.stderr[-3000:]


def test_f_is_relative_to_the_working_folder_and_names_the_project(umlaut_course, tmp_path):
    """As `mkdocs build -f course/other.yml`: the project is the file's folder."""
    checked = tracksite(tmp_path, "check", "-f", "course/other.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    missing = tracksite(tmp_path, "check", "-f", "course/nothing.yml")
    assert missing.returncode == 2 and "nothing.yml does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_broken_inherited_file_is_a_located_problem_in_both(umlaut_course):
    root = umlaut_course
    write(root, "base.yml", "site_name: Base\ntheme:\n  name: material\n   custom_dir: overrides\n")
    write(root, "other.yml", "INHERIT: base.yml\n")
    checked = tracksite(root, "check", "-f", "other.yml")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stdout.startswith("base.yml:4:"), checked.stdout
    assert "[TS901] YAML syntax error" in checked.stdout
    built = mkdocs_build(root, "-f", "other.yml")
    assert built.returncode != 0 and "line 4" in built.stderr


def test_a_setting_mkdocs_refuses_is_reported_at_its_line(umlaut_course):
    root = umlaut_course
    write(root, "other.yml", "INHERIT: mkdocs.yml\nnav: 3\nsite_colour: blue\n")
    checked = harness.tracksite("check", "-f", "other.yml", cwd=root, env=COURSE_ENV)
    assert checked.returncode == 1, checked.stdout
    lines = checked.stdout.splitlines()
    assert any(out.startswith("other.yml:2: [TS901] nav:") for out in lines), lines
    assert any(out.startswith("other.yml:3: warning: [TS902] site_colour:") for out in lines), lines
    assert mkdocs_build(root, "-f", "other.yml").returncode != 0


def test_the_config_warnings_survive_a_quiet_build_in_the_same_process(umlaut_course):
    """`mkdocs build -q` raises the engine's logger to errors; a `check` after it in the same
    process (`check --watch`, the language server, these tests) lost TS902 with it."""
    write(umlaut_course, "other.yml", "INHERIT: mkdocs.yml\nsite_colour: blue\n")
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # what `-q` leaves behind
    try:
        checked = harness.tracksite("check", "-f", "other.yml", cwd=umlaut_course, env=COURSE_ENV)
    finally:
        logger.setLevel(level)
    assert any(out.startswith("other.yml:2: warning: [TS902] site_colour:") for out in checked.stdout.splitlines()), (
        checked.stdout
    )


def test_check_watch_runs_again_when_the_file_given_with_f_changes(tmp_path):
    """`check --watch -f other.yml`: a save of other.yml, or of a file it INHERITs beside it,
    can change the checks' result as a save of mkdocs.yml does."""
    from types import SimpleNamespace

    from tracksite.commands.watch import is_source_change

    def saved(rel: str) -> bool:
        return is_source_change(tmp_path, SimpleNamespace(event_type="modified", src_path=str(tmp_path / rel)))

    assert saved("other.yml") and saved("mkdocs.yml") and saved("base.yaml") and saved("lessons/t/l/lesson.md")
    assert not saved("site/sitemap.yml") and not saved(".other.yml.swp") and not saved("notes.txt")
