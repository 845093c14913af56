"""What an LMS administrator meets next (issue 72), outside the browser: each question's key is
what identifies it across versions (an explanation is not part of it), one track exports as a
package of its own (`--track`), a mastery score reaches the manifest, the interpreter's files are
plain `.js`, and suspend_data's worst case still fits SCORM 1.2 (tests/browser/test_lms_as_installed.py
plays them in scorm-again)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support.course import PRIME_AND_EVEN_QUIZ, make_course
from support.widgets import render
from tracksite.commands.cli import main
from tracksite.commands.export import coursedata, scormstate
from tracksite.core.site import courseid

QUIZ = PRIME_AND_EVEN_QUIZ


def keys(text: str) -> list[str]:
    return [li["data-key"] for li in render(text).select(".ts-quiz__question")]


def test_each_question_is_kept_under_what_identifies_it():
    before = keys(QUIZ)
    assert len(set(before)) == 2 and all(k.startswith("tracksite:quiz:track/lesson:") for k in before)
    reworded = keys(QUIZ.replace("text: Nine", "text: Nine, a square"))
    assert reworded[0] != before[0] and reworded[1] == before[1]  # only the edited question's
    assert keys(QUIZ.replace("It is odd.", "Not a multiple of two.")) == before  # an explanation: none
    moved = keys(
        QUIZ.replace(
            "/// quiz\n",
            "/// quiz\n- question: New first?\n  options:\n"
            "    - text: A\n      correct: true\n      explain: a\n"
            "    - text: B\n      explain: b\n",
            1,
        )
    )
    assert moved[1:] == before  # a question put before keeps the others'
    twice = keys(QUIZ + "\n" + QUIZ)
    assert len(set(twice)) == 4  # the same question twice on a page: two keys


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """The fixture course with a quiz in alpha/a1, exported whole and by track."""
    root = make_course(tmp_path_factory.mktemp("track") / "course")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + QUIZ, encoding="utf-8")
    out = root.parent
    runs = {
        "whole": ["scorm"],
        "alpha": ["scorm", "--track", "alpha", "--mastery", "75"],
        "cc-alpha": ["cc", "--track", "alpha"],
        "offline-beta": ["offline", "--track", "beta"],
    }
    found = {}
    for name, args in runs.items():
        target = out / (f"{name}.imscc" if args[0] == "cc" else f"{name}.zip")
        assert main(["--root", str(root), "export", *args, "--out", str(target)]) == 0, name
        with zipfile.ZipFile(target) as z:
            z.extractall(out / name)
        found[name] = out / name
    found["root"] = root
    return found


def course_data(pkg: Path) -> dict:
    text = (pkg / "assets/tracksite-export/scorm-course.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.tracksiteCourse = ").rstrip().rstrip(";"))


def meta(page: Path) -> dict[str, str]:
    tag = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find("meta", attrs={"name": "tracksite-course"})
    return dict(tag.attrs)


def test_one_track_exports_as_a_package_of_its_own(exported):
    whole, alpha = course_data(exported["whole"]), course_data(exported["alpha"])
    assert {lesson["id"].split("/")[0] for lesson in whole["lessons"]} == {"alpha", "beta"}
    assert [lesson["id"] for lesson in alpha["lessons"]] == [
        lesson["id"] for lesson in whole["lessons"] if lesson["id"].startswith("alpha/")
    ]
    assert alpha["start"] == "alpha/index.html" and whole["start"] == "index.html"
    assert alpha["id"] == courseid.track_id(whole["id"], "alpha") != whole["id"]
    assert alpha["mastery"] == 75 and whole["mastery"] is None
    # the pages keep their state under the track's id, bound to where the package is served
    assert meta(exported["alpha"] / "alpha/a1/index.html") == {
        "name": "tracksite-course",
        "content": alpha["id"],
        "data-bound": "location",
    }
    assert meta(exported["whole"] / "index.html")["content"] == whole["id"]
    manifest = (exported["alpha"] / "imsmanifest.xml").read_text(encoding="utf-8")
    assert "Alpha track" in manifest and "<adlcp:masteryscore>75</adlcp:masteryscore>" in manifest
    assert "masteryscore" not in (exported["whole"] / "imsmanifest.xml").read_text(encoding="utf-8")
    # each question's interaction: its id, type, the right options by their source letters
    questions = alpha["lessons"][0]["questions"]
    assert [(q["type"], q["right"], q["n"]) for q in questions] == [("choice", [0], 2), ("choice", [0], 2)]
    assert questions[0]["text"] == "Which is a prime number?"


def test_a_track_cartridge_and_offline_copy(exported):
    manifest = (exported["cc-alpha"] / "imsmanifest.xml").read_text(encoding="utf-8")
    assert "Alpha track" in manifest and "Beta track" not in manifest
    beta = meta(exported["offline-beta"] / "index.html")
    whole = course_data(exported["whole"])["id"]
    assert beta["content"] == courseid.track_id(whole, "beta") and beta["data-bound"] == "location"


def test_an_unknown_track_is_refused_with_the_tracks_there_are(exported, tmp_path, capsys):
    out = tmp_path / "x.zip"
    assert main(["--root", str(exported["root"]), "export", "scorm", "--track", "gamma", "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "--track gamma" in err and "alpha, beta" in err and "Traceback" not in err
    assert not out.exists()


def test_the_interpreter_needs_no_mjs_type(exported):
    names = {p.name for p in (exported["whole"] / "assets/tracksite").rglob("*")}
    if "pyodide.asm.wasm" not in names:  # a course without code ships no interpreter
        root = Path(__file__).resolve().parents[3] / "scripts/tracksite/theme/assets/tracksite"
        names = {p.name for p in root.rglob("*")}
    assert {"pyodide.js", "pyodide.asm.js"} <= names and not {n for n in names if n.endswith(".mjs")}
    worker = (
        Path(__file__).resolve().parents[3] / "scripts/tracksite/core/widgets/runnable/runnable-worker.js"
    ).read_text()
    assert not re.search(r"pyodide(\.asm)?\.mjs", worker) and "instantiateStreaming" in worker


def test_the_2004_refusal_advises_a_track_at_a_time():
    lesson = coursedata.Lesson(
        "t/l",
        "L",
        "t",
        "t/l/",
        [],
        [coursedata.Quiz("k", [coursedata.Question("q", False, ["a"] * 12, [0], [""] * 12)] * 50)],
        [],
    )
    huge = coursedata.Course("Huge", [], [lesson] * 900, "0a1b2c3d")
    with pytest.raises(ValueError, match="--track SLUG"):
        scormstate.check(huge, "2004")


def test_init_writes_no_description_in_english(tmp_path, capsys):
    """A Spanish course started with `init` showed "...: a course built with tracksite." on its
    home page: without --description none is written, for the author to write in the course's
    language."""
    assert main(["init", str(tmp_path / "curso"), "--site-name", "Curso"]) == 0
    text = (tmp_path / "curso/mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_description: ""' in text and "built with tracksite" not in text
    assert main(["init", str(tmp_path / "other"), "--description", "Un curso."]) == 0
    assert 'site_description: "Un curso."' in (tmp_path / "other/mkdocs.yml").read_text(encoding="utf-8")


def test_a_question_with_an_id_keeps_its_key_through_a_rewording():
    given = QUIZ.replace("- question: Which is even?", "- id: even\n  question: Which is even?")
    before = keys(given)
    assert keys(given.replace("Which is even?", "Which of these is even?").replace("Five", "Seven")) == before
    added = given.replace(
        "      explain: It is odd.", "      explain: It is odd.\n    - text: Three\n      explain: Odd."
    )
    assert keys(added)[1] != before[1]  # an option added: the answer is a choice among others
    twice = given.replace("- question: Which is a prime number?", "- id: even\n  question: Which is a prime number?")
    assert not render(twice).select(".ts-quiz__question")  # one id on two questions: refused


def test_the_cartridge_names_each_item_by_its_question(exported):
    """The QTI items carry the question's identity, as the SCORM interactions do: a new import
    of an edited cartridge keeps the other items' names."""
    keys = [q["key"].rsplit(":", 1)[-1] for q in course_data(exported["alpha"])["lessons"][0]["questions"]]
    idents = []
    for qti in exported["cc-alpha"].rglob("*.xml"):
        idents += re.findall(r'<item ident="([^"]+)"', qti.read_text(encoding="utf-8"))
    assert len(idents) == 2 and [i.rsplit("_", 1)[-1] for i in idents] == keys, (idents, keys)
