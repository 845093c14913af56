"""Reading time counts what a learner reads: prose words, with extra time for each formula."""

from __future__ import annotations

from support.course import lesson_md, load, write
from tracksite.core.learning.readingtime import estimate, reading_minutes

PROSE = " ".join(["word"] * 400)  # 2 minutes at 200 words a minute

CODE = "```python\n" + "\n".join(f"x{i} = {i}  # a comment with words" for i in range(200)) + "\n```\n"
QUIZ = (
    "/// quiz\n- question: " + " ".join(["why"] * 300) + "\n  options:\n"
    "    - text: yes\n      correct: true\n      explain: because\n    - text: no\n      explain: not\n///\n"
)
EXERCISE = "//// exercise | Try it\n" + " ".join(["task"] * 300) + "\n\n/// solution\nanswer\n///\n////\n"
NOTE = "/// instructor\n" + " ".join(["hint"] * 300) + "\n///\n"


def test_only_prose_words_count():
    body = f"{PROSE}\n\n{CODE}\n{QUIZ}\n{EXERCISE}\n{NOTE}\nSome `inline code words here` end.\n"
    e = estimate(body)
    assert e.words == 400 + 2  # "Some" and "end"
    assert (e.display_formulas, e.inline_formulas) == (0, 0)
    assert reading_minutes(body) == 2


def test_formulas_add_time_and_their_tex_is_not_words():
    display = "$$\n\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right) V\n$$\n"
    body = f"{PROSE}\n\n{display}\nDivide by $\\sqrt{{d_k}}$ where $d_k$ is the key length; it costs \\$5.\n" * 3
    e = estimate(body)
    assert (e.display_formulas, e.inline_formulas) == (3, 6)
    assert e.words == 3 * (400 + len("Divide by where is the key length it costs 5".split()))
    assert abs(e.minutes - (e.words / 200 + (3 * 20 + 6 * 4) / 60)) < 1e-9
    assert "3 displayed at 20 s, 6 inline at 4 s" in e.describe()


def test_check_compares_read_with_the_prose_estimate(tmp_path):
    """A lesson whose long code listing and quiz would make a word count say 5 minutes is 2."""
    body = f"## Idea\n\n{PROSE}\n\n{CODE}\n## Practice\n\n{QUIZ}\n{EXERCISE}"
    write(
        tmp_path, "lessons/t/track.yml", "number: 1\ntitle: T\nsummary: S.\nphases:\n  - title: P\n    lessons: [a]\n"
    )
    write(tmp_path, "lessons/t/a/lesson.md", lesson_md("A", read=5, body=body))
    write(tmp_path, "lessons/t/a/overview.md", "Overview.\n")
    write(tmp_path, "cheatsheets/t/a.md", "Cheatsheet.\n")
    warnings = [p for p in load(tmp_path).problems.items if p.field == "time.read"]
    assert len(warnings) == 1 and "402 words of prose" in warnings[0].message
    assert warnings[0].hint == "set `read: 2`"
    (tmp_path / "lessons/t/a/lesson.md").write_text(lesson_md("A", read=2, body=body), encoding="utf-8")
    assert [p for p in load(tmp_path).problems.items if p.field == "time.read"] == []
