"""Issue 81, R3: nothing an import writes follows a link.

A lesson whose `episodes/fig` was a link to the venv's site-packages had its R "figure" written
there as `05-evil-rendered-x.pth`, which then ran at every start of that Python: the lesson's
private copy kept the lesson's links (`copytree(symlinks=True)`), and any file name came back
from the knit. Now the copy holds no link (one inside the lesson is copied as its files, one out
of it stops the import, nothing written), the knitted files are written as new files through no
link, and a figure comes back only when it is an image by its name and its bytes.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
from pathlib import Path

import pytest

from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import rsandbox
from tracksite.commands.importers.pipeline import confine
from tracksite.errors import UserError

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32

EPISODE = """---
title: Evil
teaching: 5
exercises: 0
---

A plot, and a chunk that writes a file where knitr puts figures.

```{r plot-one, fig.alt="Points on a line"}
plot(1:3)
```

```{r evil}
writeLines("import os; open('%s', 'w').write('ran')", "fig/01-evil-rendered-x.pth")
writeLines("not an image", "fig/01-evil-rendered-y.png")
```
"""


def r_lesson(root: Path, marker: Path) -> Path:
    (root / "episodes").mkdir(parents=True)
    (root / "config.yaml").write_text("title: 'Evil'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-evil.Rmd\n")
    (root / "episodes/01-evil.Rmd").write_text(EPISODE % marker)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_link_out_of_the_lesson_stops_the_import_before_any_run_and_nothing_is_written(tmp_path, capsys):
    """Old: the copy kept `episodes/fig` as a link, and the knit wrote the `.pth` through it."""
    packages = tmp_path / "site-packages"
    packages.mkdir()
    lesson = r_lesson(tmp_path / "lesson", tmp_path / "ran")
    (lesson / "episodes/fig").symlink_to(packages, target_is_directory=True)
    assert main(["init", str(tmp_path / "course"), "--site-name", "C"]) == 0
    before = tree(tmp_path / "course")
    code = main(["--root", str(tmp_path / "course"), "import", "carpentries", str(lesson), "--track", "evil"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{lesson}/episodes/fig:1: a symbolic link that leads out of the lesson folder (to {packages})" in err
    assert list(packages.iterdir()) == [] and tree(tmp_path / "course") == before


def test_the_copy_holds_no_link_a_link_inside_is_copied_as_files_and_a_large_file_as_its_size(tmp_path):
    lesson = tmp_path / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "figures").mkdir()
    (lesson / "figures/a.png").write_bytes(PNG)
    (lesson / "episodes/fig").symlink_to("../figures", target_is_directory=True)
    (lesson / "episodes/loop").symlink_to("..", target_is_directory=True)  # a loop: copied once
    (lesson / "episodes/data.csv").symlink_to(lesson / "figures/a.png")
    with open(lesson / "big.bin", "wb") as big:
        big.truncate(20_000_000)
    copy = tmp_path / "work/copy"
    (tmp_path / "work").mkdir()
    confine.copy_lesson(lesson, copy, {".git"}, 10_000_000)
    links = [p for p in copy.rglob("*") if p.is_symlink()]
    assert links == []
    assert (copy / "episodes/fig/a.png").read_bytes() == PNG and (copy / "episodes/data.csv").read_bytes() == PNG
    assert (copy / "big.bin").stat().st_size == 20_000_000
    assert (copy / "big.bin").stat().st_blocks * 512 < 1_000_000  # its size only, not its bytes
    (copy / "episodes/fig/b.png").write_bytes(PNG)  # what the knit writes stays in the copy
    assert not (lesson / "figures/b.png").exists()


def test_a_link_to_a_file_out_of_the_lesson_is_refused_with_its_place(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("s")
    lesson = tmp_path / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "episodes/notes.txt").symlink_to(secret)
    with pytest.raises(UserError, match=r"episodes/notes.txt:1: a symbolic link that leads out of the lesson"):
        confine.copy_lesson(lesson, tmp_path / "copy", set(), 10_000_000)


def _tar(members: dict[str, bytes], links: dict[str, str] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    buffer.seek(0)
    return buffer


def test_figures_come_back_only_as_images_by_name_and_bytes(tmp_path):
    """Old: any name that began with the episode's prefix was written back (`.pth` included)."""
    folder = tmp_path / "episodes"
    folder.mkdir()
    svg = b'  <?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    tar = _tar(
        {
            "01-a.knit.md": b"# page\n",
            "fig/01-a-rendered-1.png": PNG,
            "fig/01-a-rendered-2.svg": svg,
            "fig/01-a-rendered-x.pth": b"import os\n",
            "fig/01-a-rendered-y.png": b"import os\n",
            "fig/01-a-rendered-z.pdf": b"%PDF-1.4",
            "fig/other.png": PNG,
        },
        links={"fig/01-a-rendered-l.png": "/etc/passwd"},
    )
    written, refused = rsandbox._unpack(tar, folder, "01-a.knit.md", "01-a-rendered-")
    assert written == ["01-a.knit.md", "fig/01-a-rendered-1.png", "fig/01-a-rendered-2.svg"]
    assert refused == ["fig/01-a-rendered-x.pth", "fig/01-a-rendered-y.png", "fig/01-a-rendered-z.pdf"]
    assert sorted(p.name for p in (folder / "fig").iterdir()) == ["01-a-rendered-1.png", "01-a-rendered-2.svg"]


def test_a_figure_is_never_written_through_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "episodes"
    folder.mkdir()
    (folder / "fig").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError, match="symbolic link"):
        rsandbox._unpack(_tar({"fig/01-a-rendered-1.png": PNG}), folder, "01-a.knit.md", "01-a-rendered-")
    os.symlink(elsewhere / "x.png", elsewhere / "planted.png")
    (folder / "fig").unlink()
    (folder / "fig").mkdir()
    (folder / "fig/01-a-rendered-1.png").symlink_to(elsewhere / "x.png")
    with pytest.raises(OSError):
        rsandbox._unpack(_tar({"fig/01-a-rendered-1.png": PNG}), folder, "01-a.knit.md", "01-a-rendered-")
    assert not (elsewhere / "x.png").exists()


@pytest.mark.usefixtures("r_ready")
def test_an_executed_lesson_with_a_link_inside_gets_its_images_and_nothing_else(tmp_path, capsys):
    """The link inside the lesson is copied as files: R's real plot is published; the `.pth` and
    the text named `.png` are left out and said; the lesson's own folder is not written to."""
    marker = tmp_path / "ran"
    lesson = r_lesson(tmp_path / "lesson", marker)
    (lesson / "figures").mkdir()
    (lesson / "episodes/fig").symlink_to("../figures", target_is_directory=True)
    before = tree(lesson)
    assert main(["init", str(tmp_path / "course"), "--site-name", "C"]) == 0
    code = main(
        ["--root", str(tmp_path / "course"), "import", "carpentries", str(lesson), "--track", "evil", "--execute"]
    )
    out = capsys.readouterr()
    assert code == 0, out.out[-2000:] + out.err[-2000:]
    assert tree(lesson) == before
    said = " ".join(out.out.split())
    assert "R wrote fig/01-evil-rendered-x.pth as a figure, and it is not an image" in said
    assert "R wrote fig/01-evil-rendered-y.png as a figure, and it is not an image" in said
    published = [p.name for p in (tmp_path / "course/lessons/evil").rglob("*") if p.is_file()]
    assert any(n.startswith("01-evil-rendered-plot-one") and n.endswith(".png") for n in published), published
    assert not any(n.endswith(".pth") or "rendered-y" in n for n in published)
    assert not marker.exists()


ERRORS = """---
title: Errors
teaching: 5
exercises: 0
---

An error the lesson teaches, and one it does not.

```{r taught, error=TRUE}
log("a")
```

```{r untaught}
x <- 1
stop("the lesson broke here")
```
"""


@pytest.mark.usefixtures("r_ready")
@pytest.mark.parametrize("allow", [False, True])
def test_an_r_error_in_a_chunk_that_does_not_allow_errors_stops_the_import(tmp_path, capsys, allow):
    """Issue 84, M2: `--help` says such errors stop the import; 7 were published without a word.
    The chunk marked error=TRUE publishes its error; the other stops the import (file:line of its
    chunk), unless --allow-errors, which publishes it and says so."""
    lesson = tmp_path / "lesson"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: 'Errors'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-errors.Rmd\n")
    (lesson / "episodes/01-errors.Rmd").write_text(ERRORS)
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "C"]) == 0
    before = tree(course)
    argv = ["--root", str(course), "import", "carpentries", str(lesson), "--track", "errs", "--execute"]
    code = main(argv + (["--allow-errors"] if allow else []))
    out = capsys.readouterr()
    said = " ".join((out.out + out.err).split())
    line = ERRORS.splitlines().index("```{r untaught}") + 1
    expected = re.compile(
        rf"episodes/01-errors\.Rmd:{line}: R's error in chunk untaught: Error[^:]*: the lesson broke here"
    )
    assert expected.search(said), said[-2000:]
    assert "chunk taught" not in said
    if not allow:
        assert code == 1 and tree(course) == before
        return
    assert code == 0
    page = next((course / "lessons/errs").glob("*/lesson.md")).read_text()
    assert "the lesson broke here" in page and "non-numeric argument" in page
    assert re.search(expected.pattern + r" \(published, --allow-errors\)", said)
