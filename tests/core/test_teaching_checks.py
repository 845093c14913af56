"""Issue 44: the checks that would have caught what a content review found, as warnings with
file:line and a code, the same in `tracksite check` and the build: quiz answers that are mostly
the longest option, "choose all" questions with nearly every option correct, a glossary term used
before the lesson that introduces it (across tracks too), dated phrases outside the course's
dated-facts page, and a prerequisite that names a track the course does not have. Also the home
page's "What you need" list."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from support.course import lesson_md, run_cli, write
from support.sites import run_mkdocs
from tracksite.core.checks.teaching import _length, _Single, count_follows_options, cue_ranks, length_rank, rank_shares


def _quiz(*questions: tuple[str, list[tuple[str, bool]]]) -> str:
    lines = ["/// quiz"]
    for question, options in questions:
        lines += [f"- question: {question}", "  options:"]
        for text, correct in options:
            lines += [f"    - text: {text}", *(["      correct: true"] if correct else []), "      explain: Because."]
    return "\n".join([*lines, "///", ""])


def _ranked(n: int, rank: str, options: int = 3) -> tuple[str, list[tuple[str, bool]]]:
    """Question `n` whose correct option is the `rank` one by length (options of 2, 4, 6 ... words)."""
    texts = [" ".join(["word"] * (2 * k + 2)) for k in range(options)]
    right = {"shortest": 0, "middle": 1, "longest": options - 1}[rank]
    return (f"Question {n}?", [(t, i == right) for i, t in enumerate(texts)])


def _quizzes(ranks: list[str], options: int = 3) -> list[tuple[str, list[tuple[str, bool]]]]:
    return [_ranked(n, rank, options) for n, rank in enumerate(ranks, 1)]


def _lesson(course, rel: str, title: str, body: str, extra: str = "") -> None:
    write(course, rel, lesson_md(title, body="## Part\n\n" + "Words to read. " * 40 + "\n\n" + body, extra=extra))


def _check(course) -> list[dict]:
    result = run_cli(course, ["check", "--format", "json"])
    data = json.loads(result.stdout)
    items = data if isinstance(data, list) else data["problems"]
    return [p for p in items if p["code"] in {"TS220", "TS420", "TS421", "TS422", "TS423", "TS521", "TS605", "TS620"}]


def _line(course, rel: str, needle: str) -> int:
    text = (course / rel).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(text, 1) if needle in line)


def test_length_rank_counts_ties_as_the_same_rank_and_reads_the_visible_text():
    assert [length_rank([3, 5, 7], i) for i in range(3)] == ["shortest", "middle", "longest"]
    assert [length_rank([5, 5, 3], i) for i in range(3)] == ["middle", "middle", "shortest"]
    assert [length_rank([7, 7, 3], i) for i in range(3)] == ["middle", "middle", "shortest"]
    assert _length("**Bold** and [a link](https://example.org/long/target) `x`") == len("Bold and a link x")


def _singles(ranks: list[str], options: int | list[int] = 3) -> list[_Single]:
    sizes = options if isinstance(options, list) else [options] * len(ranks)
    return [_Single("l.md", n, rank, k) for n, (rank, k) in enumerate(zip(ranks, sizes, strict=True))]


def test_the_cue_rule_of_issue_56_for_every_rank():
    """Each rank against chance's share plus 15 points; the middle also against 50% where chance
    gives it less; nothing under 8 questions."""
    three = ["shortest", "middle", "longest"]
    assert rank_shares(_singles(three * 3))["middle"] == (1 / 3, 1 / 3)
    assert cue_ranks(_singles(["middle"] * 7)) == []  # 7 questions: too few to tell
    assert cue_ranks(_singles(["middle"] * 5 + ["shortest", "longest", "longest"])) == ["middle"]
    assert cue_ranks(_singles(["shortest"] * 5 + ["middle", "longest", "longest"])) == ["shortest"]
    assert cue_ranks(_singles(["longest"] * 5 + ["middle", "shortest", "shortest"])) == ["longest"]
    # four options: chance gives the middle half, so only the margin counts (65%)
    assert cue_ranks(_singles(["middle"] * 5 + ["shortest", "longest", "longest"], 4)) == []
    assert cue_ranks(_singles(["middle"] * 6 + ["shortest", "longest"], 4)) == ["middle"]
    assert cue_ranks(_singles(["middle"] * 4 + ["shortest"] * 2 + ["longest"] * 2, 4)) == []
    # three and five options: chance gives the middle 47%, the margin 62%; 60% is past 50%
    mixed = ["middle"] * 6 + ["shortest"] * 2 + ["longest"] * 2
    assert cue_ranks(_singles(mixed, [3, 5] * 5)) == ["middle"]
    assert cue_ranks(_singles(["middle"] * 5 + ["shortest"] * 3 + ["longest"] * 2, [3, 5] * 5)) == []


def test_a_length_cue_is_warned_once_per_track_at_its_first_such_question(course):
    """Issue 56: a quiz whose answer is most often the middle-length option was not warned about;
    the questions of a track's lessons count together."""
    first = _quizzes(["shortest", "middle", "middle"])
    second = _quizzes(["middle", "middle", "longest", "middle", "shortest"])
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", _quiz(*first))
    _lesson(course, "lessons/alpha/a3/lesson.md", "Third lesson", _quiz(*second))
    found = [p for p in _check(course) if p["code"] == "TS420"]
    assert len(found) == 1, found
    (p,) = found
    assert p["path"] == "lessons/alpha/a1/lesson.md" and p["severity"] == "warning"
    assert p["line"] == _line(course, p["path"], "Question 2?")
    assert "the middle one" in p["message"] and "over 8 single-answer questions" in p["message"]
    assert "middle 5 (62%, chance 33%)" in p["message"] and "shortest 2 (25%, chance 33%)" in p["message"]


def test_balanced_or_too_few_questions_are_not_warned(course):
    balanced = _quizzes(["shortest", "middle", "longest"] * 3)
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", _quiz(*balanced))
    _lesson(course, "lessons/beta/b1/lesson.md", "Beta one", _quiz(*_quizzes(["middle"] * 7)))  # 7: too few
    two_options = [("Two?", [("A long right answer here", True), ("No", False)])] * 9  # not counted
    _lesson(course, "lessons/beta/b2/lesson.md", "Beta two", _quiz(*two_options))
    assert [p for p in _check(course) if p["code"] == "TS420"] == []


def test_choose_all_questions_with_the_same_number_right_in_a_track(course):
    def choose(n: int, right: int) -> tuple[str, list[tuple[str, bool]]]:
        return (f"Which {n}?", [(f"Option {k}", k < right) for k in range(5)])

    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", _quiz(*(choose(n, 2) for n in range(4))))
    _lesson(
        course, "lessons/beta/b1/lesson.md", "Beta one", _quiz(choose(0, 2), choose(1, 3), choose(2, 2), choose(3, 2))
    )
    found = [p for p in _check(course) if p["code"] == "TS422"]
    assert [(p["path"], p["line"]) for p in found] == [
        ("lessons/alpha/a1/lesson.md", _line(course, "lessons/alpha/a1/lesson.md", "Which 0?"))
    ], found
    assert "all 4" in found[0]["message"] and "exactly 2 right answers" in found[0]["message"]
    assert found[0]["severity"] == "warning"


def _choose(n: int, right: int, options: int, *, flag: bool = False) -> str:
    """A "choose all" question `n` with `right` of `options` correct (`choose_all: true` if `flag`)."""
    lines = [f"- question: Which {n}?", *(["  choose_all: true"] if flag else []), "  options:"]
    for k in range(options):
        lines += [
            f"    - text: Option {k}.",
            *(["      correct: true"] if k < right else []),
            "      explain: Because.",
        ]
    return "\n".join(lines)


def test_choose_all_counts_that_follow_from_the_option_count_are_warned(course):
    """Issue 71: every 4-option question 2 right and every 5-option one 3 right passed TS422,
    since the counts were not all the same; one right answer with `choose_all: true` counts too."""
    given = [_choose(0, 2, 4), _choose(1, 3, 5), _choose(2, 2, 4), _choose(3, 3, 5)]
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", "/// quiz\n" + "\n".join(given) + "\n///\n")
    varied = [_choose(0, 2, 4), _choose(1, 1, 4, flag=True), _choose(2, 3, 5), _choose(3, 2, 5), _choose(4, 4, 6)]
    _lesson(course, "lessons/beta/b1/lesson.md", "Beta one", "/// quiz\n" + "\n".join(varied) + "\n///\n")
    found = sorted((p["path"], p["message"]) for p in _check(course) if p["code"] == "TS422")
    assert [path for path, _ in found] == ["lessons/alpha/a1/lesson.md"], found
    assert "(4 options: 2 right, 5 options: 3 right)" in found[0][1] and "counts the boxes" in found[0][1]


def test_which_choose_all_counts_give_themselves_away():
    def track(*pairs: tuple[int, int]) -> list[tuple[str, int, int, int]]:
        return [("l.md", n, right, options) for n, (right, options) in enumerate(pairs)]

    assert count_follows_options(track((1, 4), (1, 5), (1, 4), (1, 6))) == {4: 1, 5: 1, 6: 1}  # all the same
    assert count_follows_options(track((2, 4), (3, 5), (2, 4), (3, 5))) == {4: 2, 5: 3}
    assert count_follows_options(track((2, 4), (3, 5), (2, 4))) is None  # too few to tell
    assert count_follows_options(track((2, 4), (3, 5), (2, 6), (4, 7))) is None  # no option count repeats
    assert count_follows_options(track((2, 4), (1, 4), (3, 5), (3, 5), (2, 5))) is None  # varied


def test_a_right_option_alone_ending_differently_is_warned(course):
    """Issue 71: the right option alone had a full stop (or alone lacked one), in a single-answer
    question and in a "choose all" one; options that all end alike are not warned."""
    body = """/// quiz
- question: Cued by a stop?
  options:
    - text: The right one.
      correct: true
      explain: Because.
    - text: A wrong one
      explain: Because.
    - text: Another wrong one
      explain: Because.
- question: Cued by a missing stop?
  options:
    - text: Right
      correct: true
      explain: Because.
    - text: Right too
      correct: true
      explain: Because.
    - text: "Wrong: **bold**."
      explain: Because.
    - text: Wrong again.
      explain: Because.
- question: Not cued?
  options:
    - text: Right.
      correct: true
      explain: Because.
    - text: Wrong.
      explain: Because.
    - text: Wrong, but ends in a question?
      explain: Because.
///
"""
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", body)
    found = [p for p in _check(course) if p["code"] == "TS423"]
    rel = "lessons/alpha/a1/lesson.md"
    assert [(p["line"], p["severity"]) for p in found] == [
        (_line(course, rel, "Cued by a stop?"), "warning"),
        (_line(course, rel, "Cued by a missing stop?"), "warning"),
    ], found
    assert "the right option alone ends with '.', the others with no punctuation" in found[0]["message"]
    assert "the right options alone end with no punctuation, the others with '.'" in found[1]["message"]


def test_choose_all_with_nearly_every_option_correct(course):
    three_of_four = ("Which hold?", [("One", True), ("Two", True), ("Three", True), ("Four", False)])
    two_of_four = ("Which else?", [("One", True), ("Two", True), ("Three", False), ("Four", False)])
    two_of_three = ("Which three?", [("One", True), ("Two", True), ("Three", False)])
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", _quiz(three_of_four, two_of_four, two_of_three))
    found = [p for p in _check(course) if p["code"] == "TS421"]
    assert [(p["line"], p["message"][:28]) for p in found] == [
        (_line(course, "lessons/alpha/a1/lesson.md", "Which hold?"), "3 of 4 options are correct: ")
    ]


def test_dated_phrases_are_warned_outside_the_dated_facts_page(course):
    body = (
        "As of 2026 about 1M tokens is common.\n\nThe largest open-weight models use experts.\n\n"
        "Pick the largest value in each block.\n\n`currently` in code is fine.\n\n"
        "The agent takes the action it currently believes best; in the fits the best model grows.\n\n"
        "`notes.md` currently looks like this, and the branch we are currently on is main.\n\n"
        "Mixtral is currently the strongest open mixture.\n\n"
        "/// instructor\nCurrently the notes may say so.\n///\n\n"
        + _quiz(("Which is state of the art?", [("This", True), ("That", False)]))
    )
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", body)
    write(course, "cheatsheets/alpha/a1.md", "## Key ideas\n\nToday's models are big.\n")
    _lesson(course, "lessons/alpha/a3/lesson.md", "Third lesson", body, extra="dated_facts: true\n")
    write(course, "docs/facts.md", "---\ndated_facts: true\n---\n# Facts\n\nAs of 2026, currently.\n")
    # a page of the instructor view only, as an imported lesson's instructor notes: no learner reads it
    write(course, "docs/notes.md", "---\naudience: instructors\n---\n# Notes\n\nThe newest operating system.\n")
    found = sorted(
        (p["path"], p["line"], p["column"], re.match(r"(['\"])(.*?)\1 dates", p["message"])[2]) for p in _check(course)
    )
    lesson = "lessons/alpha/a1/lesson.md"
    assert found == sorted(
        [
            (lesson, _line(course, lesson, "As of 2026"), 1, "As of 2026"),
            (lesson, _line(course, lesson, "The largest"), 1, "The largest open-weight models"),
            (lesson, _line(course, lesson, "Mixtral is"), 12, "currently the "),
            (lesson, _line(course, lesson, "state of the art"), 22, "state of the art"),
            ("cheatsheets/alpha/a1.md", 3, 1, "Today's"),
        ]
    ), found


def test_dated_facts_is_a_known_front_matter_key(course):
    write(course, "docs/facts.md", "---\ndated_facts: yes please\n---\n# Facts\n")
    result = run_cli(course, ["check"])
    assert result.returncode != 0 and "docs/facts.md:2" in result.stdout + result.stderr


def test_a_term_taught_in_another_track_warns_until_a_prerequisite_leads_there(course):
    write(
        course,
        "lessons/beta/glossary.yml",
        "terms:\n  - term: Gear\n    definition: A toothed wheel.\n    lesson: alpha/a3\n",
    )
    write(course, "lessons/alpha/glossary.yml", "terms:\n  - term: Cog\n    definition: A tooth.\n    lesson: a3\n")
    _lesson(course, "lessons/alpha/a3/lesson.md", "Third lesson", "A gear has cogs; a cog is a tooth.")
    _lesson(course, "lessons/beta/b1/lesson.md", "Beta one", "The gear turns.")
    _lesson(
        course, "lessons/beta/b2/lesson.md", "Beta two", "Gears again.", extra="prerequisites:\n  - lesson: alpha/a3\n"
    )
    found = [p for p in _check(course) if p["code"] == "TS620"]
    assert [(p["path"], p["line"]) for p in found] == [
        ("lessons/beta/b1/lesson.md", _line(course, "lessons/beta/b1/lesson.md", "The gear turns"))
    ]
    assert "alpha/a3 teaches it" in found[0]["message"] and "Lesson 2 is the first to lead there" in found[0]["message"]
    # the prerequisite on the first lesson that uses it, or `introduced:` there, clears it
    write(
        course,
        "lessons/beta/glossary.yml",
        "terms:\n  - term: Gear\n    definition: A toothed wheel.\n    lesson: alpha/a3\n    introduced: b1\n",
    )
    assert [p for p in _check(course) if p["code"] in {"TS620", "TS603"}] == []


def test_an_introducing_lesson_that_never_uses_the_term(course):
    write(
        course,
        "lessons/alpha/glossary.yml",
        "terms:\n  - term: Cog\n    definition: A tooth.\n    introduced: a1\n    lesson: a3\n",
    )
    _lesson(course, "lessons/alpha/a3/lesson.md", "Third lesson", "A cog is a tooth.")
    found = [p for p in _check(course) if p["code"] == "TS605"]
    assert [(p["path"], p["line"]) for p in found] == [("lessons/alpha/glossary.yml", 2)]
    assert "'a1', which should introduce it, never uses it" in found[0]["message"]


def test_a_prerequisite_naming_a_track_the_course_lacks(course):
    extra = (
        "prerequisites:\n  - text: A neural-network basics track\n  - text: Track 2, the Beta track\n"
        "  - text: Track 7 of another course\n"
    )
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", "", extra=extra)
    found = [(p["line"], p["message"].split("names ")[1].split(",")[0]) for p in _check(course) if p["code"] == "TS220"]
    lesson = "lessons/alpha/a1/lesson.md"
    assert found == [
        (_line(course, lesson, "basics track"), "'basics track'"),
        (_line(course, lesson, "Track 7"), "'Track 7'"),
    ], found


def test_the_build_reports_the_same_warnings(course):
    """check = build: the build's log carries each warning with its file and line."""
    _lesson(
        course, "lessons/alpha/a1/lesson.md", "First lesson", _quiz(*_quizzes(["middle"] * 8)) + "\nCurrently true.\n"
    )
    checked = {(p["path"], p["line"], p["code"]) for p in _check(course)}
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr
    logged = {
        (m[0], int(m[1]), m[2]) for m in re.findall(r"(\S+\.md):(\d+)(?::\d+)?: warning: \[(TS\d+)\]", built.stderr)
    }
    assert checked and checked <= logged, (checked, logged)


def test_home_lists_what_a_newcomer_needs_linking_the_tracks_it_names(course):
    """The bundled home page said "What you need: a web browser; A neural-network basics track":
    a track the site does not have, unlinked, a capital after a semicolon. Each need is now an
    item of a list, in the instructor's words, linked when it is a lesson or names a track."""
    extra = "prerequisites:\n  - text: Reading the Beta track first\n  - text: Patience with gears\n"
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", "", extra=extra)
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr
    soup = BeautifulSoup((course / "site/index.html").read_text(encoding="utf-8"), "lxml")
    needs = soup.select_one("section.ts-start ul.ts-start__needs")
    assert needs is not None and needs["aria-labelledby"] == "ts-start-needs"
    items = [li.get_text(" ", strip=True) for li in needs.find_all("li")]
    assert items[0].startswith("A web browser") and items[1:] == ["Reading the Beta track first", "Patience with gears"]
    link = needs.find_all("li")[1].find("a")
    assert link is not None and link["href"] == "beta/"
    assert needs.find_all("li")[2].find("a") is None
    assert not re.search(r";\s*[A-Z]", soup.select_one("section.ts-start").get_text(" "))


def test_a_prerequisite_can_link_a_newcomer_to_the_basics(course):
    """Issue 56: prerequisites said "from any introductory course", with no way to one. A text
    prerequisite's `link:` (a docs/ page or a web address) links its words on the home page's
    "What you need" and in the lesson's "Before you start"; a page the course lacks is an error."""
    write(course, "docs/basics.md", "# The basics\n\nWhat to know before the first track.\n")
    extra = (
        "prerequisites:\n  - text: The basics of Python\n    link: basics.md\n"
        "  - text: A primer on vectors\n    link: https://example.org/vectors\n"
    )
    _lesson(course, "lessons/alpha/a1/lesson.md", "First lesson", "", extra=extra)
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((course / "site/index.html").read_text(encoding="utf-8"), "lxml")
    needs = {a.get_text(strip=True): a["href"] for a in home.select("ul.ts-start__needs a")}
    assert needs["The basics of Python"] == "basics/" and needs["A primer on vectors"] == "https://example.org/vectors"
    for page in ("alpha/a1/index.html", "alpha/a1/overview/index.html"):
        soup = BeautifulSoup((course / "site" / page).read_text(encoding="utf-8"), "lxml")
        links = {a.get_text(strip=True): a["href"] for a in soup.select(".ts-prereqs__list a")}
        assert links["A primer on vectors"] == "https://example.org/vectors"
        target = (course / "site" / page).parent.joinpath(links["The basics of Python"], "index.html").resolve()
        assert target == (course / "site/basics/index.html").resolve() and target.is_file()
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", extra=extra.replace("basics.md", "basic.md")))
    result = run_cli(course, ["check", "--format", "json"])
    data = json.loads(result.stdout)
    found = [p for p in (data if isinstance(data, list) else data["problems"]) if p["code"] == "TS214"]
    assert [(p["field"], p["message"], p["hint"]) for p in found] == [
        ("prerequisites[0].link", "no page 'basic.md' in docs/", "did you mean 'basics.md'?")
    ], found
