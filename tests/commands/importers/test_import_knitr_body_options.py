"""Issue 84, knitr's chunk options written inside the chunk, as held-out R Markdown lessons write them.

knitr (1.35 on) reads `#|` lines at the top of a chunk as its options, in YAML (`#| echo: false`)
or in the header's comma-separated form (`#| label = "a", eval = FALSE,`), and shows the code
without them; `file=` and `code = readLines("files/a.R")[2:3]` give the chunk its code from a
file of the lesson. Without `--execute` the import shows the code as knitr would. Before, the
`#|` lines were published as code, a comma-form `echo = FALSE` chunk was shown, and a chunk whose
code comes from a file was published as a block of option lines. The lesson is written here.
"""

from __future__ import annotations

import pytest

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import knitr

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
