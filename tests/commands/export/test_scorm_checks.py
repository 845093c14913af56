"""suspend_data's worst case counts each code exercise's Checks (issue 85): 14 characters an
exercise in "n" while the options chosen are kept (levels 0-2), none from the level that drops
them (scorm-state.js's keepChecks; played in tests/browser/test_lms_checks.py)."""

from __future__ import annotations

from tracksite.commands.export import coursedata, scormstate


def _course(exercises: int) -> coursedata.Course:
    ident = "t/lesson"
    found = [{"key": f"tracksite:run:{ident}:{n}:abcd", "checked": True, "title": f"E{n}"} for n in range(exercises)]
    lesson = coursedata.Lesson(
        ident, "L", "t", f"{ident}/", [], [], [f"{ident}/"], exercises=coursedata.exercises(found)
    )
    return coursedata.Course("C", [], [lesson], "0a1b2c3d")


def test_each_exercise_adds_its_checks_to_the_worst_case_while_answers_are_kept():
    none, ten = _course(0), _course(10)
    for level in range(scormstate.ANSWERS + 1):
        grown = scormstate.worst_case(ten, level) - scormstate.worst_case(none, level)
        quiz = scormstate.worst_case(ten, scormstate.ANSWERS + 1) - scormstate.worst_case(none, scormstate.ANSWERS + 1)
        # the exercises' quiz entries (identity, first check, the option) and "n": its key and 14 a piece
        assert grown - quiz - len(',"n":""') >= 10 * scormstate.CHECKS, (level, grown, quiz)
    assert scormstate.worst_case(ten, scormstate.ESSENTIAL) < scormstate.worst_case(ten, scormstate.ANSWERS) - 140
