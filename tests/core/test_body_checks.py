"""Silent or wrong (issue 18, point 4): leftovers that rendered quietly wrong are now reported."""

from __future__ import annotations

from bs4 import BeautifulSoup

from support.course import load
from support.sites import run_mkdocs

A1, A2 = "lessons/alpha/a1/lesson.md", "lessons/alpha/a2/lesson.md"


def problems(root, severity="error"):
    items = load(root).problems.items
    return [p for p in items if p.severity == severity]


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_leftover_carpentries_challenge_is_an_error_naming_the_exercise_block(course):
    edit(
        course,
        A1,
        "## Details",
        "::: challenge\n\n## Try it\n\nDo it.\n\n:::: solution\n\nDone.\n\n::::\n:::\n\n## Details",
    )
    found = [p for p in problems(course) if "fenced div" in p.message]
    assert [(p.path, p.line) for p in found] == [(A1, 16), (A1, 22)], [p.text() for p in found]
    assert "`::: challenge`" in found[0].message and "solution in view" in found[0].message
    assert "//// exercise | Title" in found[0].hint and "/// solution" in found[1].hint


def test_fenced_div_inside_code_is_not_reported(course):
    edit(course, A1, "## Details", "```markdown\n::: challenge\n```\n\n## Details")
    assert not [p for p in problems(course) if "fenced div" in p.message]


def test_title_heading_in_the_body_is_an_error(course):
    edit(course, A1, "---\n## Introduction", "---\n# First lesson\n\n## Introduction")
    found = [p for p in problems(course) if "second page title" in p.message]
    assert [(p.path, p.line) for p in found] == [(A1, 12)], [p.text() for p in problems(course)]
    assert "`## `" in found[0].hint


def test_alt_attribute_counts_as_alt_text_and_renders(course, tmp_path):
    edit(course, A2, "![A diagram](diagram.svg)", "![](diagram.svg){alt='Two boxes joined by an arrow'}")
    assert not [p for p in problems(course, "warning") if "alt text" in p.message]
    edit(course, A2, "{alt='Two boxes joined by an arrow'}", "{width=50%}")
    assert [p for p in problems(course, "warning") if "alt text" in p.message]
    edit(course, A2, "{width=50%}", "{alt='Two boxes joined by an arrow'}")
    result = run_mkdocs(course, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((tmp_path / "site/alpha/a2/index.html").read_text(), "lxml")
    assert soup.select_one("img[src$='diagram.svg']")["alt"] == "Two boxes joined by an arrow"


def test_math_none_with_formulas_is_an_error(course):
    edit(course, A1, "## Details", "The cost is $O(n^2)$ and\n\n$$\na = b\n$$\n\n## Details")
    found = [p for p in problems(course) if p.field == "math"]
    assert len(found) == 1 and "`math: none` but the lesson has 2 formulas" in found[0].message
    assert found[0].line == 10  # the `math:` line


def test_math_light_without_formulas_is_a_warning(course):
    edit(course, A1, "math: none", "math: light")
    found = [p for p in problems(course, "warning") if p.field == "math"]
    assert len(found) == 1 and "`math: light` but the lesson has no formula" in found[0].message


def test_dollars_in_code_are_not_math(course):
    edit(course, A1, "## Details", "Run `echo $HOME $PATH`:\n\n```bash\n$ echo $x$\n```\n\n## Details")
    assert not [p for p in problems(course) if p.field == "math"]


def test_code_fence_indented_githubs_way_under_a_list_item_warns(course):
    edit(course, A1, "## Details", "1. Run:\n\n   ```bash\n   ls\n   ```\n\n2. Read.\n\n## Details")
    found = [p for p in problems(course, "warning") if "ends the list" in p.message]
    assert [(p.path, p.line) for p in found] == [(A1, 18)], [p.text() for p in problems(course, "warning")]
    assert "4 spaces" in found[0].hint
    edit(course, A1, "   ```bash\n   ls\n   ```", "    ```bash\n    ls\n    ```")
    assert not [p for p in problems(course, "warning") if "ends the list" in p.message]


def test_fenced_div_with_attributes_is_reported_by_its_class(course):
    edit(
        course,
        A1,
        "## Details",
        "::: {#first .challenge .wide}\nDo it.\n:::\n\n::: {.callout}\nNote.\n:::\n\n## Details",
    )
    found = [p.message for p in problems(course) if "fenced div" in p.message]
    assert [m.split(" is ")[0] for m in found] == ["`::: challenge`", "`::: callout`"], found
