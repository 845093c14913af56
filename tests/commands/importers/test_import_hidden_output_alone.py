"""A block holding only a hidden chunk that makes output, imported with and without R.

Lessons put a plot or a printed table in a solution with the code hidden (`echo=FALSE`), or
print a shared snippet from a hidden chunk: knitr shows the output alone. Without `--execute`
nothing is run, and the block had nothing left: `tracksite check` said TS404 (empty solution) and
the import exited 1. Now a note in the lesson's language stands in the chunk's place, for every
block kind and chunk engine, and the import warns at the chunk's line. The lesson is written here.
"""

from __future__ import annotations

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import knitr

EPISODE = """---
title: Hidden output
teaching: 5
exercises: 5
---

::: challenge

## Draw the counts

Draw the counts of each site.

:::: solution

```{r, echo=FALSE}
plot(table(c("a", "b", "b")))
```

::::

:::

::: callout

## Shared snippet

```{python, echo=FALSE}
print("a snippet every episode shares")
```

:::

::: discussion

```{bash echo=FALSE}
echo "a shell snippet"
```

```{r, include=FALSE}
set_up_quietly <- TRUE
```

:::

::: challenge

## With words

Count the sites.

:::: solution

There are two.

```{r, echo=FALSE}
print(2)
```

::::

:::

```{r, echo=FALSE}
hist(rnorm(10))
```
"""

ENGLISH = "*(The output of the code here appears when the lesson is imported with its code run)*"
SPANISH = "*(La salida del código de este punto aparece cuando la lección se importa ejecutando su código)*"


def _lesson(tmp_path, text: str, lang: str = ""):
    lesson = tmp_path / "src"
    (lesson / "episodes").mkdir(parents=True)
    head = f"lang: {lang}\n" if lang else ""
    (lesson / "config.yaml").write_text(f"title: Hidden\n{head}episodes:\n- 01-hidden.Rmd\n")
    (lesson / "episodes/01-hidden.Rmd").write_text(text)
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Hidden"]) == 0
    return lesson, course


def test_a_hidden_output_chunk_alone_in_a_block_leaves_a_placeholder_of_any_engine():
    """Old: every hidden chunk became blank lines, so three blocks here were empty."""
    text, missing = knitr.without_r(EPISODE, None, "PLACEHOLDER")
    lines = text.splitlines()
    assert [i + 1 for i, line in enumerate(lines) if line == "PLACEHOLDER"] == missing.placeholders
    source = EPISODE.splitlines()
    assert [source[n - 1] for n in missing.placeholders] == [
        "```{r, echo=FALSE}",
        "```{python, echo=FALSE}",
        "```{bash echo=FALSE}",
    ]
    assert "print(2)" not in text and "hist(" not in text and "\x00" not in text  # with words / outside: as before
    assert text.count("\n") == EPISODE.count("\n")
    assert knitr.without_r(EPISODE)[1].placeholders == []  # no words given (a learner page): as before


def test_the_lesson_imports_clean_with_a_warning_and_the_placeholder_in_its_language(tmp_path):
    """Old: TS404 for the empty solution, the import exited 1."""
    lesson, course = _lesson(tmp_path, EPISODE, "es")
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "h", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "TS404" not in out and "verified: the built learner pages of 1 episodes" in out
    for line in (15, 27, 35):
        assert f"warning: episodes/01-hidden.Rmd:{line}: this hidden chunk (echo=FALSE) is all its block" in out
    assert "01-hidden.Rmd:55:" not in out and "01-hidden.Rmd:63:" not in out
    assert main(["--root", str(course), "check"]) == 0
    site = harness.build(course, "--strict", "-d", str(tmp_path / "site"))
    page = harness.page(site, "h/hidden/")
    solutions = page.select("details.ts-solution")
    assert SPANISH.strip("*()") in solutions[0].get_text()
    assert SPANISH.strip("*()") not in solutions[1].get_text()
    assert page.get_text().count(SPANISH.strip("*()")) == 3
    assert ENGLISH.strip("*()") not in page.get_text()


EXECUTED = """---
title: Hidden output
teaching: 5
exercises: 5
---

::: challenge

## Print the total

:::: solution

```{r, echo=FALSE}
cat("total:", 40 + 2, "\\n")
```

::::

:::
"""


def test_with_execute_the_hidden_chunks_output_stands_there(r_ready, tmp_path):
    """With R the output appears as before, and no note or warning is added."""
    lesson, course = _lesson(tmp_path, EXECUTED)
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "h", "--execute", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "is all its block holds" not in out
    site = harness.build(course, "--strict", "-d", str(tmp_path / "site"))
    solution = harness.page(site, "h/hidden/").select_one("details.ts-solution")
    assert "total: 42" in solution.get_text() and "imported with its code run" not in solution.get_text()
