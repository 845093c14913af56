"""Root cause first (issue 18, point 3): each slip an instructor made, reported as written there.

`tracksite check` runs through its entry point, as the instructor ran it; the first line it prints
must be the cause, in plain words with the fix, and the echoes of that cause must not be listed.
"""

from __future__ import annotations

from pathlib import Path

from support import harness
from support.course import write
from tracksite.core.schema import explain as yamlhelp

A1, A2 = "lessons/alpha/a1/lesson.md", "lessons/alpha/a2/lesson.md"


def check(root: Path) -> list[str]:
    result = harness.tracksite("check", cwd=root)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if line.strip() and ": warning:" not in line]


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_yaml_indentation_slip_is_the_first_and_only_error(course):
    edit(course, A2, "  - do the thing\n", "  - do the thing\n   time: 5\n")
    edit(course, A1, "## Details", "See [the second](lesson:a2).\n\n## Details")
    lines = check(course)
    assert lines[0].startswith(f"{A2}:6:8: [TS010] YAML syntax error: `time:` on line 6 is indented"), lines
    assert "start `time:` at the beginning of the line" in lines[0]
    assert "mapping values are not allowed here" in lines[0]  # PyYAML's words stay, last
    assert not any("broken link" in line for line in lines), lines
    assert "clears the error that follows from it" in lines[0]


def test_misspelt_phases_in_track_yml_is_reported_alone(course):
    edit(course, "lessons/alpha/track.yml", "phases:", "phase:")
    lines = check(course)
    assert lines == [
        "lessons/alpha/track.yml:4: [TS101] phase: unknown key 'phase' (did you mean 'phases'?; "
        "fixing this also clears the 6 errors that follow from it)"
    ], lines


def test_unquoted_colon_in_credits_says_quote_it(course):
    edit(course, A2, "credits: Written for the tests.", "credits: Source: adapted from the shell lesson")
    lines = check(course)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{A2}:"), lines
    assert "the value of `credits` contains a colon followed by a space" in lines[0]
    assert 'put the whole value in quotes: credits: "Source: adapted from the shell lesson"' in lines[0]


def test_missing_summary_is_reported_once_with_a_neutral_example(course):
    edit(course, A1, "summary: A lesson for the tests.\n", "")
    lines = check(course)
    assert len(lines) == 1 and "missing required key 'summary'" in lines[0], lines
    assert "attention" not in lines[0].lower(), "the example comes from the bundled course"


def test_wrong_lesson_slug_and_image_name_get_a_did_you_mean(course):
    write(
        course,
        "lessons/alpha/a2/diagrams.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
    )
    edit(course, A2, "![A diagram](diagram.svg)", "![A diagram](diagramz.svg) and [next](lesson:a33)")
    edit(course, A1, "## Details", "See [beta](lesson:betta/b1).\n\n## Details")
    lines = check(course)
    assert any("no lesson 'a33' in track 'alpha' (did you mean 'a3'?" in line for line in lines), lines
    assert any("image 'diagramz.svg' not found (did you mean 'diagram.svg'?" in line for line in lines), lines
    assert any("no track 'betta'" in line and "did you mean 'beta'?" in line for line in lines), lines


def test_root_causes_sort_before_other_problems(course):
    edit(course, "lessons/beta/b1/lesson.md", "difficulty: standard", "difficulty: hard")
    edit(course, "lessons/alpha/track.yml", "number: 1", "number: 1\nnumbr: 3")
    lines = check(course)
    assert lines[0].startswith("lessons/alpha/track.yml:2: [TS101] numbr: unknown key"), lines


YAML_CASES = [
    ("key: [a, b\n", 1, "is not closed"),
    ("title: 'It''s\nsummary: x\n", 2, "never closed"),
    (
        "title: `code`\n",
        1,
        "starts with `",
    ),
    ("objectives:\n  - a\n b: c\n", 3, "indented differently"),
    ("title: A\n  summary: B: C\n", 2, "colon"),
]


def test_yaml_explanations_name_the_slip():
    from tracksite.core.yaml.safe import parse as parse_yaml
    from tracksite.errors import SourceProblem

    for text, _line, needle in YAML_CASES:
        try:
            parse_yaml(text)
        except SourceProblem as e:
            explained = yamlhelp.explain(e.message, text.splitlines(), e.line)
            assert explained is not None, (text, e.message)
            assert needle in explained[0], (text, e.message, explained)
            assert "YAML's own words" in explained[1]
        else:
            raise AssertionError(f"{text!r} parsed")


def test_an_image_refused_by_its_own_check_is_reported_once(course):
    write(
        course,
        "lessons/alpha/a2/diagram.svg",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    )
    lines = check(course)
    assert len(lines) == 1 and lines[0].startswith("lessons/alpha/a2/diagram.svg"), lines
    # The refused file stays in the site plan (the build fails on it anyway), so the image that
    # shows it is found and no "not found" echo follows from it.
    assert "declares entities" in lines[0]


def test_hints_for_link_text_and_alt_text_use_no_bundled_course_example(course):
    """Issue 18, point 3, beyond `summary`: an instructor of another subject is not shown the
    bundled course's attention lessons as the model to follow."""
    edit(course, A1, "## Details", "See [this](lesson:a2) and ![](diagram.svg).\n\n## Details")
    result = harness.tracksite("check", cwd=course)
    hints = [
        line for line in result.stdout.splitlines() if "does not say where it goes" in line or "no alt text" in line
    ]
    assert len(hints) == 2, result.stdout
    for line in hints:
        assert not any(word in line.lower() for word in ("attention", "encoder", "transformer")), line
