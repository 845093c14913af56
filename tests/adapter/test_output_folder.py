"""The output folder: a build replaces only a folder that is its own, keeps hidden files, finishes
what an interrupted build left, and reports the machine's refusals in one line.

Issue 13, case 3 as reported (`tracksite build --site-dir lessons` deleted every lesson;
`mkdocs build -d DIR` and `--site-dir DIR` wiped any folder, `.git` and dotfiles included) and
case 5 (staging folders left by killed builds; read-only project, full disk and an unreadable
file ending in tracebacks; a folder name with a newline and `::warning` printed as a GitHub
Actions command). Kills are triggered by the build's own file operations, not by timers.

A build that is killed or whose machine is broken by a patch runs in a fork of this test process
(tests/support/harness.py `forked_command`): a process of its own, as a kill and a patched `os` need,
but not a new interpreter, which paid about a second of processor time for its imports, thirty
times in this file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from support import harness
from support.course import make_course


def mkdocs(root: Path, *args: str, patch: str = "") -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in `root`: in this process (tests/support/harness.py), or with `patch`
    (code that breaks the machine under it) run first in a process of its own (a fork)."""
    if not patch:
        return harness.mkdocs(root, *args)
    return harness.forked_command(lambda: harness.mkdocs(root, *args), patch)


def tracksite(root: Path, *args: str, patch: str = "") -> subprocess.CompletedProcess:
    """The CLI in `root`: in this process (tests/support/harness.py), or with `patch` (code that breaks
    the machine under it) run first in a process of its own (a fork)."""
    if not patch:
        return harness.tracksite(*args, cwd=root)
    return harness.forked_command(lambda: harness.tracksite(*args, cwd=root), patch)


def tree(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]


# -- case 3: --site-dir never destroys data ---------------------------------------------------------


def test_tracksite_build_site_dir_lessons_is_refused(course):
    """As reported: `tracksite build --site-dir lessons` said "built lessons" and deleted every lesson.md."""
    before = tree(course / "lessons")
    result = tracksite(course, "build", "--site-dir", "lessons")
    assert result.returncode == 1
    assert "built lessons" not in result.stderr
    assert "is the source folder" in result.stderr and "lessons" in result.stderr
    no_traceback(result)
    assert tree(course / "lessons") == before


@pytest.mark.parametrize("target", ["docs", "lessons/alpha", "cheatsheets", "overrides", ".", ".."])
def test_source_folders_and_the_project_are_refused(course, target):
    before = tree(course)
    result = mkdocs(course, "-d", target)
    assert result.returncode != 0
    no_traceback(result)
    assert tree(course) == before


@pytest.mark.parametrize("flag", ["-d", "--site-dir"])
def test_mkdocs_build_d_keeps_a_foreign_folder_whole(course, tmp_path, flag):
    """As reported: `mkdocs build -d DIR` wiped any folder's contents, `.git` and dotfiles included."""
    other = tmp_path / "my-notes"
    (other / ".git").mkdir(parents=True)
    (other / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (other / ".env").write_text("TOKEN=1\n")
    (other / "thesis.tex").write_text("\\documentclass{article}\n")
    before = tree(other)
    result = mkdocs(course, flag, str(other))
    assert result.returncode == 1
    assert "not empty and was not built by tracksite" in result.stdout + result.stderr
    no_traceback(result)
    assert tree(other) == before
    assert leftovers(tmp_path) == []


def test_empty_folder_with_hidden_files_is_built_into_and_they_survive(course, tmp_path):
    """A gh-pages checkout (only `.git`) may be the output; its hidden files survive every build."""
    out = tmp_path / "pages"
    (out / ".git").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / ".nojekyll").write_text("")
    for _ in range(2):
        result = mkdocs(course, "-d", str(out))
        assert result.returncode == 0, result.stderr[-3000:]
        assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
        assert (out / ".nojekyll").exists() and (out / "alpha/a1/index.html").is_file()
        assert (out / ".tracksite-build").is_file()
    assert leftovers(tmp_path) == []


def test_a_previous_build_is_replaced(course):
    assert mkdocs(course).returncode == 0
    (course / "site/stale.html").write_text("old")
    (course / "site/.well-known").mkdir()
    result = mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (course / "site/stale.html").exists() and (course / "site/.well-known").is_dir()


def test_a_site_built_before_the_marker_existed_is_replaced(course):
    assert mkdocs(course).returncode == 0
    (course / "site/.tracksite-build").unlink()
    result = mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    (course / "site/.tracksite-build").unlink()
    (course / "site/index.html").write_text("<html><head><title>My own page</title></head></html>")
    assert mkdocs(course).returncode == 1


def test_a_file_in_the_way_is_refused(course, tmp_path):
    (tmp_path / "out").write_text("a file")
    result = mkdocs(course, "-d", str(tmp_path / "out"))
    assert result.returncode == 1 and "is a file" in result.stdout + result.stderr
    assert (tmp_path / "out").read_text() == "a file"


# -- case 5: leftovers of interrupted builds ----------------------------------------------------------

KILL_AT = textwrap.dedent("""
    import os, signal
    import tracksite.adapter.caches.sitedir as sitedir
    N = int(os.environ["KILL_AT"])
    calls = [0]
    def counting(real):
        def wrapper(*a, **k):
            calls[0] += 1
            if calls[0] == N:
                os.kill(os.getpid(), signal.SIGKILL)
            out = real(*a, **k)
            calls[0] += 1
            if calls[0] == N:
                os.kill(os.getpid(), signal.SIGKILL)
            return out
        return wrapper
    os.rename = counting(os.rename)
    import shutil, tempfile
    shutil.rmtree = counting(shutil.rmtree)
    tempfile.mkdtemp = counting(tempfile.mkdtemp)
    import mkdocs.utils
    mkdocs.utils.write_file = counting(mkdocs.utils.write_file)
""")


def killed_build(root: Path, n: int) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` killed (SIGKILL) at its `n`th step, in a process of its own."""
    return harness.forked_command(lambda: harness.mkdocs(root), KILL_AT, env={"KILL_AT": str(n)})


def test_kill_at_every_step_then_the_next_build_finishes_the_job(tmp_path):
    """SIGKILL before and after each rename, folder creation, removal and page write of a build
    that replaces an earlier site with hidden files in it: the site stays whole (old or new)
    at every point, the kills leave staging and backup folders, and each next build removes
    them (or brings a backup back): the last one leaves none, with the hidden files kept."""
    course = make_course(tmp_path / "course")
    assert mkdocs(course).returncode == 0
    (course / "site/.git").mkdir()
    (course / "site/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    page = course / "site/alpha/a1/index.html"
    total = len(list((course / "site").rglob("*.html"))) * 2 + 20
    points = sorted({*range(1, 12), *range(12, total, 7), total - 6, total - 4, total - 2, total})
    killed, stale_seen = 0, set()
    for n in points:
        result = killed_build(course, n)
        if result.returncode == -signal.SIGKILL:
            killed += 1
            site_whole = page.is_file() or any(
                (course / p / "alpha/a1/index.html").is_file() for p in leftovers(course) if ".old-" in p
            )
            assert site_whole, f"kill at step {n}: neither the site nor its backup holds the pages"
            stale_seen |= {name.split("-")[0] for name in leftovers(course)}
        else:
            assert result.returncode == 0, result.stderr[-2000:]
    assert killed >= 10
    assert stale_seen == {".site.staging", ".site.old"}, "the kills never left a staging or backup folder"
    result = mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    assert leftovers(course) == []
    assert page.is_file() and (course / "site/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"


def test_stale_leftovers_are_removed_and_a_lost_site_comes_back(course):
    (course / ".site.staging-abc123").mkdir()
    (course / ".site.staging-abc123/index.html").write_text("half")
    old = course / ".site.old-99999999-xyz"  # no such process: the build that made it is gone
    (old / ".git").mkdir(parents=True)
    (old / "index.html").write_text("the last good site")
    from tracksite.adapter.caches import sitedir

    assert sitedir.recover(course / "site") == []
    assert (course / "site/index.html").read_text() == "the last good site"  # renamed back
    assert leftovers(course) == []


def test_a_concurrent_builds_staging_folder_is_left_alone(course):
    from tracksite.adapter.caches import sitedir

    mine = course / f".site.staging-{os.getppid()}-abc"  # a live process: the test runner's parent
    mine.mkdir()
    sitedir.recover(course / "site")
    assert mine.is_dir()


# -- case 5: the machine says no, in one line ---------------------------------------------------------

READ_ONLY = textwrap.dedent("""
    import errno, os, tempfile
    def refuse(*a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), k.get("dir") or os.getcwd())
    tempfile.mkdtemp = refuse
""")
DISK_FULL = textwrap.dedent("""
    import errno, os
    import mkdocs.utils
    real, calls = mkdocs.utils.write_file, [0]
    def write_file(content, output_path):
        calls[0] += 1
        if calls[0] > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        return real(content, output_path)
    mkdocs.utils.write_file = write_file
""")
UNREADABLE = textwrap.dedent("""
    import errno, os, shutil
    real = shutil.copyfile
    def copyfile(src, dst, *a, **k):
        if str(src).endswith("figure.png"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), src)
        return real(src, dst, *a, **k)
    shutil.copyfile = copyfile
""")
ENVIRONMENT = {
    "read-only": (READ_ONLY, "the file system is read-only"),
    "disk-full": (DISK_FULL, "the disk is full"),
    "unreadable-file": (UNREADABLE, "permission denied"),
}


@pytest.mark.parametrize("name", list(ENVIRONMENT))
@pytest.mark.parametrize("command", ["mkdocs", "tracksite"])
def test_environment_errors_are_one_clear_line(course, name, command):
    patch, says = ENVIRONMENT[name]
    (course / "docs/figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    run = mkdocs if command == "mkdocs" else lambda root, patch: tracksite(root, "build", patch=patch)
    result = run(course, patch=patch)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out[-3000:]
    no_traceback(result)
    lines = [line for line in out.splitlines() if says in line]
    assert len(lines) == 1, out[-3000:]
    assert not (course / "site").exists() and leftovers(course) == []


def test_unreadable_markdown_file_is_a_located_problem(course):
    patch = textwrap.dedent("""
        import errno, os, pathlib
        real = pathlib.Path.read_bytes
        def read_bytes(self):
            if self.name == "secret.md":
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real(self)
        pathlib.Path.read_bytes = read_bytes
    """)
    (course / "docs/secret.md").write_text("# Secret\n")
    for result in (mkdocs(course, patch=patch), tracksite(course, "check", patch=patch)):
        assert result.returncode == 1
        no_traceback(result)
        assert "docs/secret.md: [TS001] cannot read file: Permission denied" in result.stdout + result.stderr


# -- case 5: no GitHub Actions command from a folder name ------------------------------------------------

EVIL_NAME = "course\n::warning file=x.py,line=1::pwned\n##[error]also"
EVIL_FILE = "bad\n::warning file=y.py::pwned-file.md"


def workflow_commands(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.lstrip().startswith(("::", "##["))]


@pytest.mark.parametrize("command", ["mkdocs", "tracksite-build", "tracksite-check", "mkdocs-problem"])
def test_folder_name_never_becomes_a_workflow_command(tmp_path, command):
    """As reported: a folder name holding a newline and `::warning` made `mkdocs build` print a
    raw GitHub Actions command. The name is still shown, escaped (`\\n`), on one line."""
    root = make_course(tmp_path / EVIL_NAME)
    if command in ("tracksite-check", "mkdocs-problem"):
        (root / "docs" / EVIL_FILE).write_text("---\ntitle: [broken\n---\n")
    result = {
        "mkdocs": lambda: mkdocs(root),
        "tracksite-build": lambda: tracksite(root, "build", "--site-dir", "site\n::error::y"),
        "tracksite-check": lambda: tracksite(root, "check"),
        "mkdocs-problem": lambda: mkdocs(root),
    }[command]()
    out = result.stdout + result.stderr
    assert "pwned" in out or "::error::y" in out, out[-2000:]
    assert workflow_commands(out) == [], out[-2000:]
    no_traceback(result)


def test_github_format_still_annotates_with_the_name_escaped(tmp_path):
    root = make_course(tmp_path / "course")
    (root / "docs" / EVIL_FILE).write_text("---\ntitle: [broken\n---\n")
    out = tracksite(root, "check", "--format", "github").stdout
    lines = out.splitlines()
    assert workflow_commands(out) == lines  # every line is one of our annotations, none injected
    assert [line for line in lines if "pwned" in line] == [
        line for line in lines if line.startswith("::error file=docs/bad%0A%3A%3Awarning file=y.py%3A%3Apwned-file.md,")
    ]


def test_an_imported_episode_name_never_becomes_a_workflow_command(tmp_path):
    """Issue 39: an episode file name holding a newline and `::error` made `tracksite import`
    print a GitHub Actions command with each note about the episode. Every command's output now
    passes the same filter; the annotations of `check --format github` are still written."""
    name = "01-one\n::error file=x.py,line=1::pwned\n.md"
    src = tmp_path / "src"
    (src / "episodes").mkdir(parents=True)
    (src / "config.yaml").write_text(
        'title: "Tiny"\nlicense: "CC-BY 4.0"\nepisodes:\n- "01-one\\n::error file=x.py,line=1::pwned\\n.md"\n'
    )
    (src / "episodes" / name).write_text(
        "---\ntitle: One\nteaching: 5\nexercises: 5\n---\n\n::: objectives\n\n- do things\n\n:::\n\n"
        "This episode explains the idea in a few plain words. ![x](fig/missing.png)\n\n"
        "::: sidebar\n\nAside.\n\n:::\n",
        encoding="utf-8",
    )
    course = tmp_path / "course"
    assert tracksite(tmp_path, "init", str(course), "--site-name", "T").returncode == 0
    result = tracksite(course, "import", "carpentries", str(src), "--track", "tiny")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout + result.stderr
    assert "episodes/01-one\\n::error file=x.py,line=1::pwned" in out  # the name, escaped on its line
    assert workflow_commands(out) == [], out[-2000:]
    lesson = next(p for p in (course / "lessons/tiny").iterdir() if (p / "lesson.md").is_file())
    (lesson / "notes\n::error::pwned.key").write_text("x")  # a warning that names the file
    annotated = tracksite(course, "check", "--format", "github")
    lines = annotated.stdout.splitlines()
    assert workflow_commands(annotated.stdout) == lines and any("pwned" in line for line in lines)
    assert workflow_commands(annotated.stderr) == []
