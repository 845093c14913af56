"""`import --execute` knits an episode the same way twice: R's random numbers are seeded.

A lesson that prints `rnorm()` or draws a jitter plot gave other numbers and another plot at
every knit, so every `--update --execute` of the same release said it took the episode "from
upstream" though nothing upstream had changed, and rewrote it (the plots alone were patched over
by keeping the track's copy). The import now seeds R from the episode's file name before knitr
runs it (rsandbox.seed) and names temporary files from that seed, so two knits give the same bytes;
a lesson's own `set.seed()` still gives R's numbers for that seed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import rsandbox

EPISODE = """---
title: Noise
teaching: 5
exercises: 0
---

Five numbers drawn at random, and ten shuffled:

```{r draws}
rnorm(5)
sample(10)
```

Where R keeps a file for a moment:

```{r scratch}
tempfile(fileext = ".csv")
```

Points with a little noise, so that equal values do not hide each other:

```{r jitter, fig.alt="Twenty points scattered around one"}
plot(jitter(rep(1, 20)))
```

Where R keeps things (a new environment, printed twice, and a function of base R):

```{r addresses}
e <- new.env()
e
e
mean
```

The same numbers for everyone who runs this:

```{r seeded}
set.seed(42)
rnorm(3)
sample(10)
```
"""


def _lesson(tmp: Path) -> Path:
    lesson = tmp / "noise"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: 'Noise'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-noise.Rmd\n")
    (lesson / "episodes" / "01-noise.Rmd").write_text(EPISODE)
    return lesson


def _track(course: Path) -> dict[str, bytes]:
    """The imported track's files, the import's record included (it holds their digests)."""
    folder = course / "lessons" / "noise"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def knitted_twice(r_ready, tmp_path_factory):
    """The lesson imported with --execute into two courses (two knits), then updated in the first
    with --execute (a third knit of the same release): the trees and what the update printed."""
    tmp = tmp_path_factory.mktemp("seeded")
    lesson = _lesson(tmp)
    trees = []
    for name in ("first", "second"):
        course = tmp / name
        assert main(["init", str(course), "--site-name", "Noise"]) == 0
        assert main(["--root", str(course), "import", "carpentries", str(lesson), "--track", "noise", "--execute"]) == 0
        trees.append(_track(course))
    return tmp, lesson, trees


def test_two_knits_of_an_episode_give_the_same_text_plots_and_names(knitted_twice):
    """Old: the numbers, the temporary file's name and the jitter plot differed between the two."""
    _, _, (first, second) = knitted_twice
    assert sorted(first) == sorted(second)
    plots = [rel for rel in first if "-rendered-" in rel and rel.endswith(".png")]
    assert len(plots) == 1, sorted(first)
    lesson = first["noise/lesson.md"].decode()
    assert "rnorm(5)" in lesson and ".csv" in lesson, lesson
    addresses = re.findall(r"<(?:environment|bytecode): 0x[0-9a-f]+>", lesson)
    assert len(addresses) == 3 and addresses[0] == addresses[1] != addresses[2], addresses
    differ = [rel for rel in first if first[rel] != second[rel] and not rel.startswith(".import/")]  # (its time)
    assert not differ, differ


def test_an_update_of_the_same_release_with_execute_takes_and_writes_nothing(knitted_twice, capsys):
    """Old: "1 file(s) taken from upstream" (the page's numbers) at every update, the page rewritten."""
    tmp, lesson, (first, _) = knitted_twice
    course = tmp / "first"
    capsys.readouterr()
    args = ["--root", str(course), "import", "carpentries", str(lesson), "--track", "noise"]
    assert main([*args, "--update", "--execute"]) == 0
    out = capsys.readouterr().out
    assert "lessons/noise is up to date" in out and "nothing was written" in out, out
    assert "taken from upstream" not in out, out
    assert _track(course) == first


def test_a_lesson_that_seeds_r_itself_shows_the_numbers_r_gives_for_its_seed(knitted_twice):
    """The import's seed is set before the episode runs: `set.seed(42)` in a chunk replaces it,
    and the page shows what R gives for 42 (R's Mersenne-Twister, Inversion, Rejection sampling)."""
    tmp, _, _ = knitted_twice
    harness.build(tmp / "first", "-d", str(tmp / "site"))
    page = BeautifulSoup((tmp / "site/noise/noise/index.html").read_text(), "lxml")
    outputs = [" ".join(pre.get_text().split()) for pre in page.select(".language-output")]
    assert "[1] 1.3709584 -0.5646982 0.3631284" in outputs, outputs
    assert "[1] 2 1 8 7 4 9 5 10 3 6" in outputs, outputs  # sample(10) after those three


def test_printed_addresses_become_the_episodes_own_series_in_output_blocks_only():
    """R prints an environment or a compiled function with its address, which the system places
    at random: r-novice-gapminder's first episode prints `ls`, and its `<bytecode: 0x...>` made
    every `--update --execute` of the same release take the page again. Old: no such step."""
    knitted = (
        "Prose about `<environment: 0x1234abcd>` stays.\n\n```output\n<environment: 0x5633f302cb38>\n```\n\n"
        "```output\n<environment: 0x5633f302cb38>\n<bytecode: 0x55d2420426b8>\n```\n"
    )
    again = knitted.replace("5633f302cb38", "562c57ac7b38").replace("55d2420426b8", "55ba46cd7648")
    first = rsandbox.stable_addresses(knitted, "01-intro.Rmd")
    assert first == rsandbox.stable_addresses(again, "01-intro.Rmd")
    assert "Prose about `<environment: 0x1234abcd>` stays." in first
    addresses = re.findall(r"<(?:environment|bytecode): (0x[0-9a-f]{12})>", first)
    assert len(addresses) == 3 and addresses[0] == addresses[1] != addresses[2], first
    assert "5633f302cb38" not in first
