"""Issue 87: `slow` is marked by what a test drives, not guessed from two fixture names (a
"quick" test took 25 s). tests/support/drives.py notes a whole-course build, a repository copy
and an R run (a knit) as they happen; tests/conftest.py fails a test that drove one and is not marked
`slow`. Here: what it notes, and what it leaves alone (the small fixture course, a copy of the
lessons alone, a check). The events are handed to its hook as the interpreter would hand them,
so that this test drives nothing itself."""

from __future__ import annotations

import pytest

from support import drives
from support.course import REPO


@pytest.fixture
def noting():
    drives.taken()  # what this test's setup noted (nothing) out of the way
    yield
    drives.taken()  # and what the cases below noted: this test drives nothing


@pytest.mark.usefixtures("noting")
def test_a_copy_of_the_repository_or_its_code_is_noted_and_a_copy_of_the_lessons_is_not(tmp_path):
    for source in (REPO, REPO / "scripts", str(REPO / "scripts")):
        drives._audit("shutil.copytree", (source, tmp_path / "copy"))
    for source in (REPO / "lessons", REPO / "scripts" / "tracksite" / "theme"):
        drives._audit("shutil.copytree", (source, tmp_path / "part"))
    assert [line.split(":")[0] for line in drives.taken()] == [drives.COPY] * 3


@pytest.mark.usefixtures("noting")
def test_a_build_or_check_of_the_bundled_course_is_noted_in_process_or_as_a_process(tmp_path):
    copy = tmp_path / "copy"
    for track in (REPO / "lessons").iterdir():
        if track.is_dir():
            (copy / "lessons" / track.name).mkdir(parents=True)
    drives.command(["build", "--strict"], REPO)  # harness.mkdocs, in this process
    drives.command(["pdf", "transformers-and-llms"], copy)  # harness.tracksite in a copy
    drives.command(["--root", str(copy), "build"], None)  # in the test's own folder, naming the copy
    drives._audit("subprocess.Popen", ("python", ["python", "-m", "mkdocs", "build"], str(REPO), None))
    drives._audit("subprocess.Popen", ("python", ["python", "-m", "tracksite", "export", "scorm"], copy, None))
    assert [line.split(":")[0] for line in drives.taken()] == [drives.BUILD] * 5


@pytest.mark.usefixtures("noting")
def test_the_small_course_and_other_commands_are_not_noted(course):
    drives.command(["build", "--strict"], course)
    drives.command(["new", "lesson"], REPO)
    drives.command(["check"], REPO)  # its verdicts shared: a second or two
    drives.command(["--root", str(course), "build"], REPO)
    drives._audit("subprocess.Popen", ("python", ["python", "-m", "mkdocs", "build"], str(course), None))
    drives._audit("subprocess.Popen", ("git", ["git", "status"], str(REPO), None))
    assert drives.taken() == []


@pytest.mark.usefixtures("noting")
def test_an_r_knit_is_noted_however_it_is_wrapped():
    drives._audit(
        "subprocess.Popen", (None, ["bwrap", "--ro-bind", "/", "/", "/usr/bin/Rscript", "-e", "1"], None, None)
    )
    drives._audit("subprocess.Popen", ("/usr/bin/Rscript", "/usr/bin/Rscript -e 1", None, None))
    assert [line.split(":")[0] for line in drives.taken()] == [drives.KNIT] * 2
