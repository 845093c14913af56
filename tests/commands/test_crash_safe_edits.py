"""`new`, `move` and `rename` survive being killed at any point, and a read-only file changes nothing.

Issue 13, case 4 as reported: SIGTERM or SIGKILL just after `rename` moved the lesson folder left
`track.yml` at 0 bytes, hundreds of errors, and a rename that could not be rerun; with a
read-only `track.yml`, `new lesson` failed, its rollback raised `PermissionError` (exit 70) and the
half-made lesson stayed. The kills here are triggered by the command's own file operations
(before and after each rename, replace, folder creation, removal and fsync), not by timers: each
interrupted command is run again and must end with exactly the tree an uninterrupted run makes.

The commands that get killed or patched run in a fork of this test process (`tracksite` here),
not in a new interpreter: a kill needs a process of its own, but not a cold one, and a fork
starts with tracksite and its imports already loaded (a new interpreter paid for them again,
about 0.4 s of processor time, a hundred times in this file). What a process boundary shows is kept: the patch
changes only the child's `os`, the kill ends only the child, the exit code is the one a shell
sees (-9 for SIGKILL), and the child leaves by `os._exit`, so neither pytest's exit handlers nor
its buffers run twice. The reruns after a kill run in this process (`run_cli`).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import traceback
from pathlib import Path

import pytest

from support import harness
from support.course import make_course, run_cli
from tracksite.commands.cli import main
from tracksite.core import localstate

KILL = textwrap.dedent("""
    import os, signal
    N, SIG = int(os.environ["KILL_AT"]), getattr(signal, os.environ.get("KILL_SIG", "SIGKILL"))
    calls = [0]
    def tick():
        calls[0] += 1
        if calls[0] == N:
            os.kill(os.getpid(), SIG)
    def counting(real):
        def wrapper(*a, **k):
            tick()
            out = real(*a, **k)
            tick()
            return out
        return wrapper
    for name in ("rename", "replace", "mkdir", "rmdir", "unlink", "fsync"):
        setattr(os, name, counting(getattr(os, name)))
""")
COMMANDS = {
    "rename": ["rename", "alpha", "a1", "first-steps", "--redirect"],
    "new-lesson": ["new", "lesson", "alpha", "a4", "--title", "Fourth lesson", "--after", "a2"],
    "move": ["move", "alpha", "a3", "--after", "a1"],
}


def tracksite(root: Path, args: list[str], patch: str = "", **env: str) -> subprocess.CompletedProcess:
    """`tracksite ARGS` in `root` as a process of its own (a fork of this one, see the module's
    docstring), after running `patch` (Python source) in it; the `at_exit()` a patch defines runs
    after the command, as an exit handler would in a process that was not killed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the command's process: never returns
            _child(root, args, patch, env, out.fileno(), err.fileno())
        status = os.waitpid(pid, 0)[1]
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode("utf-8", "replace") for f in (out, err))
    return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), stdout, stderr)


def _child(root: Path, args: list[str], patch: str, env: dict[str, str], out: int, err: int) -> None:
    """The forked command: its own standard output and error, default signal handling, the
    patch, `main`, then `os._exit` with its code (an uncaught exception: a traceback and 1)."""
    code = 1
    try:
        harness.freeze_inherited()
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace")
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        harness.forget_plugins()  # (a new process has no MkDocs plugin instance yet)
        os.chdir(root)
        os.environ.update(env)
        sys.argv = ["tracksite", *args]
        namespace: dict = {}
        exec(patch, namespace)  # the test's own patch, in the child only
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if "at_exit" in namespace:
            namespace["at_exit"]()
    except BaseException:  # what a process's uncaught exception does
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # (leaving anyway)
                pass
        os._exit(code if isinstance(code, int) else 0)


def rerun(root: Path, args: list[str]) -> subprocess.CompletedProcess:
    """The command run again after a kill, in this process (the killed run itself must be a
    process of its own)."""
    return run_cli(root, args)


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
        if not p.relative_to(root).as_posix().startswith(("site", "docs/assets"))
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("pristine") / "course")


@pytest.fixture(scope="module")
def expected(pristine, tmp_path_factory) -> dict[str, dict]:
    """Each command's result, uninterrupted, and how many file operations it makes."""
    out = {}
    for name, args in COMMANDS.items():
        root = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(pristine, root)
        count = tracksite(root, args, KILL, KILL_AT="0")
        assert count.returncode == 0, count.stderr
        out[name] = tree(root)
    return out


def fresh(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "course"
    if root.exists():
        shutil.rmtree(root)
    shutil.rmtree(localstate.project_folder(root), ignore_errors=True)  # (its journal: a new course)
    shutil.copytree(pristine, root)
    return root


def operations(pristine: Path, tmp_path: Path, args: list[str]) -> int:
    """How many counted steps the command takes: kill later than that and it finishes."""
    root = fresh(pristine, tmp_path)
    probe = (
        KILL.replace("if calls[0] == N:", "if False:")
        + "\ndef at_exit():\n    open(os.environ['COUNT_FILE'], 'w').write(str(calls[0]))"
    )
    result = tracksite(root, args, probe, KILL_AT="0", COUNT_FILE=str(tmp_path / "count"))
    assert result.returncode == 0, result.stderr
    return int((tmp_path / "count").read_text())


@pytest.mark.timeout(1200)  # dozens of killed processes, one per kill point: slow on a busy 2-core machine
@pytest.mark.parametrize("name", list(COMMANDS))
def test_killed_at_any_step_then_rerun_completes(pristine, expected, tmp_path, name):
    args = COMMANDS[name]
    total = operations(pristine, tmp_path, args)
    assert total > 8
    step = 2 if name == "rename" else 4  # rename: the most steps (folder moves, many files)
    points = sorted({*range(1, total + 1, step), total - 1, total})
    killed = 0
    for n in points:
        root = fresh(pristine, tmp_path)
        first = tracksite(root, args, KILL, KILL_AT=str(n))
        if first.returncode == -signal.SIGKILL:
            killed += 1
            for path, data in tree(root).items():
                assert data != b"" or path.endswith(".gitkeep"), f"kill at {n}: {path} is empty"
        finished = tree(root) == expected[name]  # (the journal is in the state folder, not the course)
        again = rerun(root, args)
        assert "Traceback" not in again.stderr
        if not finished:  # (killed after the commit, the change stands and the rerun may refuse to redo it)
            assert again.returncode == 0, f"kill at {n}: the rerun failed: {again.stderr[-2000:]}"
        assert tree(root) == expected[name], f"kill at {n}: the rerun did not make the same tree"
    assert killed >= len(points) - 2


def test_reported_case_kill_right_after_the_folder_moves(pristine, expected, tmp_path):
    """As reported: SIGTERM or SIGKILL just after `rename` moves the folder. `track.yml` keeps its
    text, `tracksite check` names the cause, and rerunning the rename completes it."""
    after_move = textwrap.dedent("""
        import os, signal
        real = os.rename
        def rename(src, dst, *a, **k):
            real(src, dst, *a, **k)
            if str(src).endswith("lessons/alpha/a1"):
                os.kill(os.getpid(), getattr(signal, os.environ["KILL_SIG"]))
        os.rename = rename
    """)
    for sig in ("SIGTERM", "SIGKILL"):
        root = fresh(pristine, tmp_path)
        track = (root / "lessons/alpha/track.yml").read_bytes()
        first = tracksite(root, COMMANDS["rename"], after_move, KILL_SIG=sig)
        assert first.returncode == -getattr(signal, sig)
        assert (root / "lessons/alpha/first-steps").is_dir()  # killed with the folder moved
        assert (root / "lessons/alpha/track.yml").read_bytes() == track
        check = tracksite(root, ["check"])
        assert check.returncode == 1 and "interrupted `tracksite new`, `move` or `rename`" in check.stdout
        again = tracksite(root, COMMANDS["rename"])
        assert again.returncode == 0, again.stderr
        assert "undid the interrupted `tracksite rename alpha a1 first-steps --redirect`" in again.stderr
        assert tree(root) == expected["rename"]
        assert tracksite(root, ["check"]).returncode == 0


def test_killed_while_undoing_then_rerun_completes(pristine, expected, tmp_path):
    """The undo is itself interrupted (at every step): the next run still finishes the job."""
    args = COMMANDS["rename"]
    for n in range(1, 12, 2):
        root = fresh(pristine, tmp_path)
        assert tracksite(root, args, KILL, KILL_AT="20").returncode == -signal.SIGKILL
        tracksite(root, args, KILL, KILL_AT=str(n))  # recovery, then the command, killed at step n
        again = tracksite(root, args)
        assert again.returncode == 0, f"second kill at {n}: {again.stderr[-2000:]}"
        assert tree(root) == expected["rename"], f"second kill at {n}"


# -- read-only files: a clear error and nothing changed ------------------------------------------


def test_reported_case_read_only_track_yml(pristine, tmp_path):
    """As reported: with a read-only `track.yml`, `new lesson` left a half-made lesson and exit 70."""
    root = fresh(pristine, tmp_path)
    track = root / "lessons/alpha/track.yml"
    track.chmod(0o444)
    before = tree(root)
    result = tracksite(root, COMMANDS["new-lesson"])
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "tracksite new lesson: error: lessons/alpha/track.yml is a read-only file; make it writable (chmod u+w) "
        "and run the command again; nothing was changed"
    ]
    assert tree(root) == before and stat.S_IMODE(track.stat().st_mode) == 0o444
    assert not localstate.path(root, "journal").exists()


@pytest.mark.parametrize("code, says", [("EACCES", "permission denied"), ("ENOSPC", "the disk is full")])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_permission_refused_midway_changes_nothing(pristine, tmp_path, name, code, says):
    """The file system refuses the write of track.yml after other files were written (as it does
    for a user who cannot write it, or on a full disk): every step is undone, one line, no
    traceback, exit 1."""
    refuse = textwrap.dedent(f"""
        import errno, os
        real = os.replace
        def replace(src, dst, *a, **k):
            if str(dst).endswith("alpha/track.yml"):
                raise OSError(errno.{code}, os.strerror(errno.{code}), str(dst))
            return real(src, dst, *a, **k)
        os.replace = replace
    """)
    root = fresh(pristine, tmp_path)
    before = tree(root)
    result = tracksite(root, COMMANDS[name], refuse)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{says} (lessons/alpha/track.yml); nothing was changed" in lines[0]
    assert tree(root) == before


def test_rollback_never_raises_and_finishes_later(tmp_path):
    from tracksite.commands.changes import JOURNAL, Changes, recover

    (tmp_path / "a").mkdir()
    (tmp_path / "a/f.md").write_text("one")
    changes = Changes(tmp_path, command="tracksite test")
    changes.move(tmp_path / "a", tmp_path / "b")
    changes.write(tmp_path / "b/f.md", "two")
    changes.apply()
    real = os.rename

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    os.rename = refuse
    try:
        left = changes.rollback()
    finally:
        os.rename = real
    assert left and "b" in left[0]
    journal = localstate.path(tmp_path, JOURNAL)  # the course's state folder (core/localstate.py)
    assert (journal / "journal.json").is_file()  # kept: there is still something to undo
    assert recover(tmp_path) is not None
    assert (tmp_path / "a/f.md").read_text() == "one" and not (tmp_path / "b").exists()
    assert not journal.exists()


def test_writes_keep_the_file_mode(tmp_path):
    from tracksite.commands.changes import Changes

    path = tmp_path / "f.md"
    path.write_text("one")
    path.chmod(0o640)
    changes = Changes(tmp_path)
    changes.write(path, "two")
    changes.apply()
    changes.commit()
    assert path.read_text() == "two" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.md"]


# -- never through a symbolic link out of the course (issue 39, case 4) ---------------------------


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("linked", ["lessons/alpha", "lessons/alpha/track.yml", "lessons/alpha/a1"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_symbolic_link_out_of_the_course_is_never_written_through(pristine, tmp_path, name, linked):
    """A track, its track.yml or a lesson folder shared with another course through a symbolic
    link: `new`, `move` and `rename` would write (or move files) in the other course. They refuse
    with one line, before anything changes, and the shared files stay as they were."""
    root = fresh(pristine, tmp_path)
    shared = tmp_path / "shared" / Path(linked).name
    shared.parent.mkdir()
    shutil.move(root / linked, shared)
    (root / linked).symlink_to(shared, target_is_directory=shared.is_dir())
    before = files_under(shared.parent)
    result = tracksite(root, COMMANDS[name])
    if linked == "lessons/alpha/a1" and name != "rename":
        # the command does not touch that lesson's files: it runs, and the shared lesson is kept
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "symbolic link" in lines[0] and "Traceback" not in result.stderr, lines
        if linked != "lessons/alpha/track.yml":  # that one the loader already refuses to read
            assert "leads outside the course" in lines[0] and "nothing was changed" in lines[0], lines
    assert files_under(shared.parent) == before
    assert not localstate.path(root, "journal").exists()
