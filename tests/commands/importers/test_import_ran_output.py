"""Issue 84, M3: output an import's run wrote beside the code, once the code is edited on the page.

After `import --execute`, an author who changed a chunk's R code on the page kept the old output
under it: `tracksite check` passed and `import --verify --execute` said "verified". The import
now records a digest of each chunk (code and output) its run made; check warns (TS713) at a code
block whose chunk is not one of them, with the command that runs the code again, and `--verify`
compares the page's chunks with the ones the run makes now.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import harness
from tracksite.commands.cli import main
from tracksite.core.checks import ranoutput

RMD = """---
title: Numbers
teaching: 5
exercises: 5
---

Doubling numbers:

```{r}
x <- 1:3
print(x * 2)
```

A chunk with no output:

```{r}
y <- 4
```
"""


def _lesson(root: Path) -> Path:
    (root / "episodes").mkdir(parents=True)
    (root / "config.yaml").write_text("title: 'Ran'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-numbers.Rmd\n")
    (root / "episodes/01-numbers.Rmd").write_text(RMD)
    return root


PAGE = """Text.

```r
print(1)
```

```output
[1] 1
```

```r
plot(1)
```

![A plot](p.png)

/// caption
A plot
///

```r
z <- 1
```

Prose between.

```output
not this code's
```
"""


def test_a_chunk_is_a_code_block_and_the_output_or_plots_right_after_it():
    found = ranoutput.chunks(PAGE, 10)
    assert [line for line, _ in found] == [12, 20]  # `z <- 1` is followed by prose, not by output
    edited = ranoutput.chunks(PAGE.replace("print(1)", "print(2)"), 10)
    assert edited[0][1] != found[0][1] and edited[1] == found[1]
    replotted = ranoutput.chunks(PAGE.replace("(p.png)", "(q.png)"), 10)
    assert replotted[1][1] != found[1][1]


@pytest.mark.usefixtures("r_ready")
def test_check_and_verify_find_code_edited_after_the_run(tmp_path):
    course = tmp_path / "course"
    src = _lesson(tmp_path / "src")
    assert main(["init", str(course), "--site-name", "Ran"]) == 0
    result = harness.tracksite("import", "carpentries", str(src), "--track", "ran", "--execute", cwd=course)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    record = json.loads((course / "lessons/ran/.import/record.json").read_text())
    assert list(record["outputs"]) == ["lessons/ran/numbers/lesson.md"]
    assert len(record["outputs"]["lessons/ran/numbers/lesson.md"]) == 1  # the chunk with output
    clean = harness.tracksite("check", cwd=course)
    assert clean.returncode == 0 and "TS713" not in clean.stdout + clean.stderr

    lesson = course / "lessons/ran/numbers/lesson.md"
    text = lesson.read_text()
    assert "[1] 2 4 6" in text
    lesson.write_text(text.replace("print(x * 2)", "print(x * 3)"))
    line = lesson.read_text().splitlines().index("```r") + 1
    checked = harness.tracksite("check", cwd=course)
    said = checked.stdout + checked.stderr
    assert checked.returncode == 0, said  # a warning: the page still builds
    assert f"lessons/ran/numbers/lesson.md:{line}: warning: [TS713]" in said, said
    assert "tracksite import carpentries PATH --track ran --update --execute" in said

    verified = harness.tracksite(
        "import", "carpentries", str(src), "--track", "ran", "--verify", "--execute", cwd=course
    )
    said = verified.stdout + verified.stderr
    assert verified.returncode == 1, said
    assert f"lessons/ran/numbers/lesson.md:{line}: this code block and the output below it" in said
    assert "verified:" not in said

    # an update runs the source's code again and keeps the page's edit: the edit's output is
    # still not the run's, so the warning stays (the record holds the run's chunks, not the merge's)
    updated = harness.tracksite(
        "import", "carpentries", str(src), "--track", "ran", "--update", "--execute", cwd=course
    )
    assert updated.returncode == 0, updated.stdout[-3000:] + updated.stderr[-3000:]
    assert "print(x * 3)" in lesson.read_text()
    assert "[TS713]" in (lambda r: r.stdout + r.stderr)(harness.tracksite("check", cwd=course))

    lesson.write_text(text)  # the code the run made the output with: nothing to say
    again = harness.tracksite("check", cwd=course)
    assert "TS713" not in again.stdout + again.stderr
