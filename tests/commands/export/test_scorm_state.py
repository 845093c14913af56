"""suspend_data's layout and its worst case (issue 54): lesson codes stable across versions, the
worst case of a 200-lesson course within SCORM 1.2's 4,096 characters, and the export's warning
or refusal when a course's state may not fit (scorm.js's own figures: tests/browser/test_export_scorm.py)."""

from __future__ import annotations

import re

from tracksite.commands.cli import main
from tracksite.commands.export import coursedata, scormstate


def course(lessons: int, questions: int, cards: int) -> coursedata.Course:
    def lesson(n: int) -> coursedata.Lesson:
        ident = f"track-{n // 50}/a-lesson-with-a-long-descriptive-slug-{n % 50:02d}"
        terms = [f"term {k}" for k in range(cards)]
        quiz = coursedata.Quiz(
            f"tracksite:quiz:{ident}:1:0123abcd",
            [coursedata.Question("q", False, ["a", "b", "c", "d"], [0], [""] * 4) for _ in range(questions)],
        )
        return coursedata.Lesson(ident, "L", "t", f"{ident}/", terms, [quiz], [f"{ident}/"], decks=[("k", terms)])

    return coursedata.Course("Big", [], [lesson(n) for n in range(lessons)], "0a1b2c3d")


def test_lesson_codes_stay_when_a_lesson_is_inserted():
    ids = [f"t/lesson-{n}" for n in range(300)]
    before = scormstate.codes(ids)
    after = scormstate.codes(["t/a-new-one", *ids])
    assert len(set(after.values())) == len(after)  # unique within the course
    assert all(after[i] == before[i] for i in ids)


def test_worst_case_of_a_200_lesson_course_fits_scorm_12():
    full = scormstate.worst_case(course(200, 3, 3))
    assert full <= 4096, full
    assert scormstate.check(course(200, 3, 3), "1.2") is None
    # a dense one: the whole state does not fit, completion and score do
    dense = course(200, 8, 8)
    assert scormstate.worst_case(dense) > 4096
    assert scormstate.worst_case(dense, scormstate.ESSENTIAL) <= 4096
    warning = scormstate.check(dense, "1.2")
    assert warning and "4,096" in warning and "--version 2004" in warning
    assert scormstate.check(dense, "2004") is None


def test_export_refuses_a_course_whose_scores_cannot_fit_scorm_12(fixture_site, tmp_path, monkeypatch, capsys):
    huge = course(600, 10, 0)
    monkeypatch.setattr(coursedata, "read", lambda site, track=None: huge)
    out = tmp_path / "course-scorm.zip"
    code = main(["export", "scorm", "--version", "1.2", "--site", str(fixture_site), "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0 and not out.exists()
    figure = f"{scormstate.worst_case(huge, scormstate.ESSENTIAL):,}"
    assert figure in err and "4,096" in err and "--version 2004" in err, err
    # for 2004 (64,000 characters) it is written
    assert main(["export", "scorm", "--version", "2004", "--site", str(fixture_site), "--out", str(out)]) == 0
    assert out.exists()


def test_export_warns_when_card_schedules_may_not_fit(fixture_site, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(coursedata, "read", lambda site, track=None: course(200, 8, 8))
    out = tmp_path / "course-scorm.zip"
    assert main(["export", "scorm", "--version", "1.2", "--site", str(fixture_site), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "4,096" in err and "lessons done" in err, err


def test_manifest_identifiers_of_long_titles_stay_apart(tmp_path):
    """Two courses whose titles differ past 60 characters: two identifiers (an LMS may take a
    package of a known identifier for a new version of the other), each at most 60 characters."""
    from tracksite.commands.export import scorm

    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    stem = "An introduction to deep learning for the working data scientist, "
    found = set()
    for title in (stem + "part one", stem + "part two"):
        text = scorm.manifest(tmp_path, coursedata.Course(title, [], []), "1.2").decode("utf-8")
        ident = re.search(r'<manifest[^>]* identifier="([^"]+)"', text)[1]
        assert len(ident) <= 60 and ident.startswith("tracksite-an-introduction-to-deep-learning-"), ident
        found.add(ident)
    assert len(found) == 2, found
    short = scorm.manifest(tmp_path, coursedata.Course("Fixture course", [], []), "1.2").decode("utf-8")
    assert 'identifier="tracksite-fixture-course"' in short
