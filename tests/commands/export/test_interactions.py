"""What an LMS administrator reads of each question's result (issue 82, M3 and its Low items),
outside the browser: the interaction's id names the track, the lesson and the question within
SCORM 1.2's identifier (printable ASCII, 255 characters), the description is the question's text
kept as text (SC1: `<img onerror>` written in a question stays text), a code exercise has a
description, 2004's responses name the options as written, and the package carries
`interactions.csv`, which maps each id and letter back to the words (tests/browser/test_lms_rules.py
builds a report from two learners with it)."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import pytest

from support.course import PRIME_AND_EVEN_QUIZ, make_course
from tracksite.commands.cli import main

EXERCISE = """/// runnable | Gradient step
code: |
  def step(w, grad, lr):
      return w
tests: |
  assert step(2.0, 0.0, 0.3) == 2.0
solution: |
  def step(w, grad, lr):
      return w - lr * grad
///
"""
HOSTILE = """/// quiz
- question: "What does `<img src=x onerror=alert(1)>` do in a page?"
  options:
    - text: "=HYPERLINK(\\"x\\")"
      explain: A formula, were it a spreadsheet's cell.
    - text: It runs a script when the image fails
      correct: true
      explain: The onerror handler.
///
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    root = make_course(tmp_path_factory.mktemp("interactions") / "course")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\n" + PRIME_AND_EVEN_QUIZ + "\n" + HOSTILE + "\n" + EXERCISE,
        encoding="utf-8",
    )
    out = {}
    for version in ("1.2", "2004"):
        target = root.parent / f"p{version}.zip"
        assert main(["--root", str(root), "export", "scorm", "--version", version, "--out", str(target)]) == 0
        with zipfile.ZipFile(target) as z:
            z.extractall(root.parent / f"p{version}")
        out[version] = root.parent / f"p{version}"
    return out


def questions(pkg: Path) -> list[dict]:
    text = (pkg / "assets/tracksite-export/scorm-course.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.tracksiteCourse = ").rstrip().rstrip(";"))
    return [q for lesson in data["lessons"] for q in lesson["questions"]]


def test_ids_name_track_lesson_and_question_within_scorm_12(packages):
    found = questions(packages["1.2"])
    ids = [q["id"] for q in found]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(re.fullmatch(r"[\x21-\x7e]{1,255}", i) for i in ids), ids
    assert ids[0].startswith("alpha/a1/which-is-a-prime-number-"), ids
    assert ids[1].startswith("alpha/a1/which-is-even-"), ids
    assert ids[-1].startswith("alpha/a1/code-gradient-step-"), ids
    assert ids == [q["id"] for q in questions(packages["2004"])]  # one id in both versions


def test_a_description_is_text_and_a_code_exercise_has_one(packages):
    found = questions(packages["2004"])
    hostile = found[2]["text"]
    assert "<" not in hostile and ">" not in hostile, hostile  # SC1: never markup in the LMS's report
    assert hostile == "What does &lt;img src=x onerror=alert(1)&gt; do in a page?"
    assert found[-1]["text"] == "Code exercise: Gradient step"
    assert all(0 < len(q["text"]) <= 250 for q in found)


def test_responses_name_the_options_as_written_and_the_mapping_ships(packages):
    found = questions(packages["2004"])
    assert found[0]["options"] == ["a_seven", "b_nine"]
    assert all(re.fullmatch(r"[\w.]{1,250}", o) for q in found for o in q["options"])  # Moodle's CMIShortIdentifier
    for version, pkg in packages.items():
        manifest = (pkg / "imsmanifest.xml").read_text(encoding="utf-8")
        assert '<file href="interactions.csv"' in manifest, version
        rows = list(csv.DictReader((pkg / "interactions.csv").open(encoding="utf-8")))
        first = [r for r in rows if r["id"] == found[0]["id"]]
        assert [(r["letter"], r["response_2004"], r["option"], r["correct"]) for r in first] == [
            ("a", "a_seven", "Seven", "yes"),
            ("b", "b_nine", "Nine", "no"),
        ]
        assert {r["lesson"] for r in first} == {"Lesson 1, First lesson"} and first[0]["track"] == "alpha"
        assert first[0]["question"] == "Which is a prime number?"
        formula = [r["option"] for r in rows if "HYPERLINK" in r["option"]]
        assert formula == ['\'=HYPERLINK("x")'], formula  # a spreadsheet reads it as text
        code = [r for r in rows if r["id"] == found[-1]["id"]]
        assert [(r["question"], r["response_2004"]) for r in code] == [("Code exercise: Gradient step", "passed")]


def test_an_exercise_in_two_lessons_is_credited_to_each(tmp_path):
    """The same exercise in lessons a1 and a2: its copies on the track's exercise pack count for
    each lesson's (before, all of them went to a1's)."""
    root = make_course(tmp_path / "course")
    for lesson in ("a1", "a2"):
        page = root / f"lessons/alpha/{lesson}/lesson.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n" + EXERCISE, encoding="utf-8")
    out = tmp_path / "p.zip"
    assert main(["--root", str(root), "export", "scorm", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp_path / "p")
    text = (tmp_path / "p/assets/tracksite-export/scorm-course.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.tracksiteCourse = ").rstrip().rstrip(";"))
    found = {lesson["id"]: lesson["questions"] for lesson in data["lessons"] if lesson["questions"]}
    assert set(found) == {"alpha/a1", "alpha/a2"}
    also = {ident: questions[0]["also"] for ident, questions in found.items()}
    assert all(keys and all(":alpha/exercises:" in k for k in keys) for keys in also.values()), also
    assert also["alpha/a1"] != also["alpha/a2"], also  # each lesson's own copy on the pack
