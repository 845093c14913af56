"""Issue 84, knitr's chunk options written inside the chunk, as held-out R Markdown lessons write them.

knitr (1.35 on) reads `#|` lines at the top of a chunk as its options, in YAML (`#| echo: false`)
or in the header's comma-separated form (`#| label = "a", eval = FALSE,`), and shows the code
without them; `file=` and `code = readLines("files/a.R")[2:3]` give the chunk its code from a
file of the lesson. Without `--execute` the import shows the code as knitr would. Before, the
`#|` lines were published as code, a comma-form `echo = FALSE` chunk was shown, and a chunk whose
code comes from a file was published as a block of option lines. The lesson is written here.
"""

from __future__ import annotations

import struct
import zlib

import pytest

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import knitr


def _png() -> bytes:
    """A 1x1 PNG, written by the test."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


PNG = _png()

EPISODE = """---
title: Options inside chunks
teaching: 5
exercises: 0
---

Some text before the chunks.

```{r}
#| label: shown
#| eval: false
total <- sum(1:10)
```

```{r}
#| label = "hidden-setup",
#| echo = FALSE
secret_setup <- TRUE
```

The step reads its plan from a file:

```{r}
#| label = "from-file",
#| eval = FALSE,
#| code = readLines("files/steps.R")[2:3]
```

```{r}
#| file: files/helper.R
#| eval: false
```

```{r}
#| code = readLines("files/absent.R"),
#| eval = FALSE
```

Some text after the chunks.
"""


def test_options_inside_a_chunk_are_read_in_either_form_and_left_out_of_its_code():
    lines = EPISODE.splitlines()
    found = knitr.chunks(lines)
    assert [(c.label, c.options.get("label"), c.shown) for c in found[:2]] == [
        ("", "shown", True),
        ("", '"hidden-setup"', False),
    ]
    assert found[2].options["code"] == 'readLines("files/steps.R")[2:3]'
    files = {"files/steps.R": "first()\nsecond()\nthird()\nfourth()\n", "files/helper.R": "helper <- 1\n"}
    text, missing = knitr.without_r(EPISODE, files.get)
    assert "#|" not in text and "secret_setup" not in text
    assert "```{r}\ntotal <- sum(1:10)\n```" in text
    assert "```{r}\nsecond()\nthird()\n```" in text and "first()" not in text and "fourth()" not in text
    assert "```{r}\nhelper <- 1\n```" in text
    assert [(name, found) for _, name, found in missing.sourced] == [
        ("files/steps.R", True),
        ("files/helper.R", True),
        ("files/absent.R", False),
    ]
    # the option lines become blank lines above the fence: a chunk's own code keeps its line
    assert text.splitlines().index("total <- sum(1:10)") == lines.index("total <- sum(1:10)")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bodyoptions")
    lesson = tmp / "src"
    (lesson / "episodes/files").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Body options\nepisodes:\n- 01-options.Rmd\n")
    (lesson / "episodes/01-options.Rmd").write_text(EPISODE)
    (lesson / "episodes/files/steps.R").write_text("first()\nsecond()\nthird()\nfourth()\n")
    (lesson / "episodes/files/helper.R").write_text("helper <- 1\n")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Options"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "o", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    harness.build(course, "--strict", "-d", str(tmp / "site"))
    return course, out, tmp / "site"


def test_the_page_shows_each_chunks_code_as_knitr_shows_it(imported):
    _, out, site = imported
    article = harness.page(site, "o/options/").select_one("article")
    codes = [c.get_text() for c in article.select("pre code")]
    assert codes == ["total <- sum(1:10)\n", "second()\nthird()\n", "helper <- 1\n"], codes
    text = article.get_text(" ")
    assert "#|" not in text and "secret_setup" not in text and "readLines" not in text
    assert "verified: the built learner pages of 1 episodes" in out


def test_a_chunks_file_is_noted_where_found_and_a_warning_with_its_line_where_not(imported):
    _, out, _ = imported
    assert "note: episodes/01-options.Rmd:23: code chunk's file files/steps.R: its code read from there" in out
    warning = "warning: episodes/01-options.Rmd:34: code chunk's file files/absent.R: not in the lesson"
    assert warning in out
    assert main(["--root", str(imported[0]), "check"]) == 0


FIGURES = """---
title: Figures from files
teaching: 5
exercises: 5
---

::: challenge

## Make the folders

Make a folder for the data.

:::: solution

```{r, fig.cap="The folder, made", echo=FALSE, message=FALSE}
knitr::include_graphics("fig/made.png")
```

::::

:::

```{r, echo=FALSE, fig.alt="A page the lesson lacks"}
include_graphics("fig/absent.png")
```

```{r, echo=FALSE}
plot(1:3)
```
"""


def test_a_hidden_include_graphics_chunk_shows_its_figure_without_r(tmp_path):
    """knitr::include_graphics() only puts a figure on the page: nothing to run. Old (without
    --execute): the `echo=FALSE` chunk was left out, so a solution made of it was empty, `tracksite
    check` said TS404 and the import, the strict build and the link check failed."""
    text, missing = knitr.without_r(FIGURES)
    assert "![The folder, made](fig/made.png){alt='The folder, made'}" in text
    assert "![](fig/absent.png){alt='A page the lesson lacks'}" in text
    assert "plot(1:3)" not in text and (missing.figures, missing.hidden) == (2, 1)
    assert text.count("\n") == FIGURES.count("\n")
    lesson = tmp_path / "src"
    (lesson / "episodes/fig").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Figures\nepisodes:\n- 01-figures.Rmd\n")
    (lesson / "episodes/01-figures.Rmd").write_text(FIGURES)
    (lesson / "episodes/fig/made.png").write_bytes(PNG)
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Figures"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "f", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "TS404" not in out and "verified: the built learner pages of 1 episodes" in out
    assert "warning: episodes/01-figures.Rmd:23: image fig/absent.png is not in the source lesson" in out
    site = harness.build(course, "--strict", "-d", str(tmp_path / "site"))
    solution = harness.page(site, "f/figures/").select_one("details.ts-solution")
    assert solution.select_one("img")["alt"] == "The folder, made"
    assert "The folder, made" in solution.select_one("figcaption").get_text()


NUMERIC_ECHO = """Text.

```{r}
#| echo: [2, 3]
setup_folder()
answer <- 42
print(answer)
tidy_up()
```

```{r, echo=-1}
hidden_first()
shown_second()
```

```{r, echo=2}
long_call(a,
  b)
kept_too()
```
"""


def test_a_numeric_echo_shows_only_the_expressions_it_names_without_r():
    """knitr's `echo=2:3` (or `-1`, or `#| echo: [2, 3]`) shows only those expressions: lessons
    hide set-up lines that way. Old (without --execute): every line was shown. Where a line is not
    one whole expression the chunk is shown whole, as before: nothing is guessed away."""
    text, _ = knitr.without_r(NUMERIC_ECHO)
    assert "```{r}\nanswer <- 42\nprint(answer)\n```" in text
    assert "setup_folder" not in text and "tidy_up" not in text
    assert "```{r, echo=-1}\nshown_second()\n```" in text and "hidden_first" not in text
    assert "long_call(a,\n  b)\nkept_too()" in text
    assert text.count("\n") == NUMERIC_ECHO.count("\n")
    lines = NUMERIC_ECHO.splitlines()
    assert text.splitlines().index("print(answer)") == lines.index("print(answer)")
