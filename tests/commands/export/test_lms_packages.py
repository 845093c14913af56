"""What an LMS administrator meets in the packages, beyond the learner's state (issue 54, Medium
and Low): names in the course's language, every file of the cartridge in a resource, no search
button whose index is not there, files others can read, and a remote script refused by check
rather than by the export alone."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from support.course import make_course, run_cli, write
from tracksite.commands.cli import main

CC = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
QUIZ = """

/// quiz
- question: Which number comes first?
  options:
    - text: One.
      correct: true
      explain: Counting starts there.
    - text: Two.
      explain: It comes second.
///
"""


@pytest.fixture(scope="module")
def spanish(tmp_path_factory) -> Path:
    """A course whose interface is Spanish (`theme.language: es`), built, with a quiz."""
    root = make_course(tmp_path_factory.mktemp("es") / "curso")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  language: es\n"))
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + QUIZ, encoding="utf-8")
    built = run_cli(root, ["build", "--for-export"])
    assert built.returncode == 0, built.stdout + built.stderr
    return root


def _export(root: Path, kind: str, name: str) -> tuple[Path, Path]:
    out = root.parent / name
    assert main(["export", kind, "--site", str(root / "site"), "--out", str(out)]) == 0
    folder = root.parent / (name + ".d")
    with zipfile.ZipFile(out) as z:
        z.extractall(folder)
    return out, folder


def test_the_cartridge_speaks_the_course_language_and_lists_every_file(spanish):
    out, folder = _export(spanish, "cc", "curso.imscc")
    manifest = etree.parse(str(folder / "imsmanifest.xml"))
    titles = [t.text for t in manifest.iter(f"{CC}title")]
    assert "Resumen: Lección 1, First lesson" in titles and "Cuestionario: Lección 1, First lesson" in titles, titles
    assert not [t for t in titles if t.startswith(("Overview:", "Cheatsheet:", "Quiz:"))]
    quiz = etree.parse(str(next(folder.glob("quiz_*/assessment.xml"))))
    assert [i.get("title") for i in quiz.iter(f"{QTI}item")] == ["Pregunta 1"]
    listed = {f.get("href") for f in manifest.iter(f"{CC}file")}
    pages = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    assert pages and pages <= listed, sorted(pages - listed)  # 16 of the bundled course's were in none
    # no search in an LMS's file view: no index, and no button that would look for one
    assert not (folder / "web_resources/search-index").exists()
    for page in sorted(folder.rglob("index.html")):
        assert "data-ts-search" not in page.read_text(encoding="utf-8"), page


def test_the_scorm_launch_page_speaks_the_course_language(spanish):
    _, folder = _export(spanish, "scorm", "curso-scorm.zip")
    launch = next(folder.glob("scorm-launch*.html")).read_text(encoding="utf-8")
    assert '<html lang="es">' in launch and "Abrir el curso" in launch and "Open the course" not in launch


def test_exports_are_readable_by_others_as_the_umask_says(spanish):
    """mkstemp made every export 0600: the LMS's or web server's user could not read it."""
    old = os.umask(0o022)
    try:
        out, _ = _export(spanish, "offline", "curso-offline.zip")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_remote_script_in_mkdocs_yml_fails_check_at_its_line(tmp_path):
    """Every page's policy blocks it and only the export refused it, after check had passed."""
    root = make_course(tmp_path / "c")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    write(root, "mkdocs.yml", text + "extra_javascript:\n  - https://cdn.example.org/lib.js\n")
    result = run_cli(root, ["check"])
    line = text.count("\n") + 2
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}:3: [TS504] extra_javascript: https://cdn.example.org/lib.js" in result.stdout, (
        result.stdout
    )
