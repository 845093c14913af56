"""`tracksite new lesson` shows the exercise model (issue 85): the starter lesson carries a code
exercise with `tests:`, `mistakes:` and `show_solution:`, each field with a comment saying what
it is for, and the exercise passes its own `check --run-code` (solution passes, starting code
fails, the listed mistake is caught with its feedback) in every language with a complete
catalogue. A feedback the tests do not give is reported: the check really ran the mistake."""

from __future__ import annotations

import json

import pytest

from support.course import make_course, run_cli, write
from tracksite.commands.starter import starter_lesson
from tracksite.core import messages

#: the fixture course's other lessons, each given the starter text in one more language
SLOTS = ("alpha/a2", "alpha/a3", "beta/b1", "beta/b2")


@pytest.mark.usefixtures("needs_sandbox")
def test_a_new_lessons_exercise_shows_the_model_and_passes_its_own_check(tmp_path):
    root = make_course(tmp_path / "course")
    made = run_cli(root, ["new", "lesson", "alpha", "doubling", "--title", "Doubling"])
    assert made.returncode == 0, made.stderr
    lesson = (root / "lessons/alpha/doubling/lesson.md").read_text(encoding="utf-8")
    block = lesson[lesson.index("/// runnable") :]
    for field in ("\ntests: |", "\nsolution: |", "\nshow_solution: after 2 checks", "\nmistakes:", "    feedback: "):
        assert field in block, field
    assert "\n# from the start | after N checks | on pass | never\n" in block  # the policy's choices
    others = [lang for lang in messages.COMPLETE if lang != "en"]
    assert len(others) == len(SLOTS)
    for lang, slot in zip(others, SLOTS):
        front, body = starter_lesson(f"Lesson in {lang}", summary=None, objectives=[], previous=None, lang=lang)
        assert "/// runnable" in body and "mistakes:" in body, lang
        write(root, f"lessons/{slot}/lesson.md", front + body)

    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    problems = json.loads(result.stdout)
    assert not [p for p in problems if p["severity"] == "error"], problems

    # a feedback no test gives: the check ran the mistake and says so
    wrong = lesson.replace("    feedback: double(-2) should be -4", "    feedback: double(5) should be 10")
    assert wrong != lesson
    (root / "lessons/alpha/doubling/lesson.md").write_text(wrong, encoding="utf-8")
    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    codes = [(p["code"], p["path"]) for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert codes == [("TS436", "lessons/alpha/doubling/lesson.md")], codes
