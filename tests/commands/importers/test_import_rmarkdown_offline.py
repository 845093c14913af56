"""An R Markdown lesson that downloads its data while it runs, imported with `--execute`.

Many Workbench lessons call `download.file()` in a setup chunk; the sandbox the R code runs in
has no network, so knitr stops on every such episode. The import then brings those episodes in
as an import without `--execute` would (code shown, no output), exits 0 and warns, naming the
episodes and the addresses. Any other R error still stops it. The lesson is generated here; its
download goes to 127.0.0.1 port 9 (discard): from inside the sandbox no address answers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import unreachable
from tracksite.core import sandbox

IN_CI = os.environ.get("CI", "").lower() == "true"
ADDRESS = "http://127.0.0.1:9/lesson-data.zip"
CONFIG = "carpentry: 'swc'\ntitle: 'Offline data'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-fetch.Rmd\n- 02-local.Rmd\n"
FETCH = f"""---
title: Fetching data
teaching: 5
exercises: 0
---

Data comes from the web before the lesson starts.

```{{r, include=FALSE}}
download.file("{ADDRESS}", tempfile(), mode = "wb")
```

```{{r}}
values <- c(3, 1, 2)
sort(values)
```
"""
LOCAL = """---
title: Local numbers
teaching: 5
exercises: 0
---

```{r}
2^(1:5)
```
"""


@pytest.fixture(scope="module")
def knitr_ready():
    """R with knitr (Debian: r-base-core r-cran-knitr); CI must have it."""
    rscript = shutil.which("Rscript")
    why = "R is not installed (apt-get install r-base-core r-cran-knitr)"
    if rscript:
        run = subprocess.run(
            [rscript, "-e", "cat(requireNamespace('knitr', quietly = TRUE))"], capture_output=True, text=True
        )
        why = "" if run.stdout.strip() == "TRUE" else "R lacks the package knitr"
    why = why or sandbox.unavailable() or ""  # the R code runs only in the sandbox
    if why:
        if IN_CI:
            pytest.fail(why + "; .ci/run installs it")
        pytest.skip(why)


def _lesson(tmp: Path, setup: str | None = None) -> Path:
    lesson = tmp / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text(CONFIG)
    fetch = FETCH if setup is None else FETCH.replace(f'download.file("{ADDRESS}", tempfile(), mode = "wb")', setup)
    (lesson / "episodes/01-fetch.Rmd").write_text(fetch)
    (lesson / "episodes/02-local.Rmd").write_text(LOCAL)
    return lesson


def _import(tmp: Path, lesson: Path) -> int:
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "R course"]) == 0
    report = ["--report", str(tmp / "report.json")]
    return main(
        ["--root", str(course), "import", "carpentries", str(lesson), "--track", "offline", "--execute", *report]
    )


@pytest.mark.slow  # R runs the lesson's chunks
def test_an_unreachable_download_imports_the_episode_without_output_and_warns(tmp_path, capsys, knitr_ready):
    assert _import(tmp_path, _lesson(tmp_path)) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "warning: 1 R Markdown episode(s) have no outputs: episodes/01-fetch.Rmd." in out
    assert f"Their R code downloads data ({ADDRESS}), and the sandbox it runs in has no network" in out
    assert "make the lesson read a copy of those files kept in its folder" in out
    assert "tracksite import carpentries" in out and "--update --execute" in out
    fetched = (tmp_path / "course/lessons/offline/fetch/lesson.md").read_text()
    assert "values <- c(3, 1, 2)" in fetched and "sort(values)" in fetched, "the code is shown"
    assert "[1] 1 2 3" not in fetched and "download.file" not in fetched, "no output; the hidden chunk left out"
    local = (tmp_path / "course/lessons/offline/local/lesson.md").read_text()
    assert "[1]  2  4  8 16 32" in local, "the episode that needs no network still runs"
    r = json.loads((tmp_path / "report.json").read_text())["r_markdown"]
    assert r["executed"] == ["02-local.Rmd"] and r["not_run"] == ["01-fetch.Rmd"]
    assert r["unreachable"] == {"01-fetch.Rmd": [ADDRESS]}
    assert len(r["warnings"]) == 1 and "episodes/01-fetch.Rmd" in r["warnings"][0]


@pytest.mark.slow  # R runs the lesson's chunks
def test_another_r_error_still_stops_the_import(tmp_path, capsys, knitr_ready):
    """A missing local file fails R's connection too ("cannot open the connection"), but it is
    the lesson's fault, not the network's: the import stops as before and writes nothing."""
    lesson = _lesson(tmp_path, 'read.csv("data/not-in-the-lesson.csv")')
    assert _import(tmp_path, lesson) == 1  # the lesson's problem (README: 2 is usage)
    err = capsys.readouterr().err
    assert "episodes/01-fetch.Rmd:" in err and "knitr could not run the episode" in err
    assert "cannot open" in err and "Nothing was written" in err
    assert not (tmp_path / "course/lessons/offline").exists()


DOWN = "http://127.0.0.1:9/f.csv"  # discard port: refused, as an unreachable host is


@pytest.mark.parametrize(
    ("stderr", "found"),
    [
        (
            f"Error in download.file(u,  : \n  cannot open URL '{DOWN}'\nCalls: download.file\nExecution halted\n",
            [DOWN],
        ),
        (f"Error in open.connection(file, \"rt\") : \n  cannot open the connection to '{DOWN}'\n", [DOWN]),
        ("Error in curl::curl_download(u, f) : \n  Could not resolve host: h.example\nCalls: f\n", ["h.example"]),
        # not the network: a local file, a file:// address, an error that merely mentions a URL
        (
            'Error in file(file, "rt") : cannot open the connection\nIn addition: Warning message:\n'
            "cannot open file 'x.csv': No such file or directory\n",
            None,
        ),
        ("Error in download.file(\"file:///x\", f) : \n  cannot open URL 'file:///x', reason 'No such file'\n", None),
        (f"Error in f() : object \"cannot open URL '{DOWN}'\" not found\n", None),
        ("Error in library(terra) : there is no package called 'terra'\n", None),
        # a server on this machine's loopback: out of the sandbox's reach as any other
        (
            "Error in download.file(u, f) : \n  cannot open URL 'http://127.0.0.1:8000/x.csv'\n",
            ["http://127.0.0.1:8000/x.csv"],
        ),
    ],
)
def test_only_rs_messages_for_an_unreachable_address_count(stderr, found):
    assert unreachable.network_failure(stderr) == found
