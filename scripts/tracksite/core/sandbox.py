"""Running code nobody here vetted (a runnable exercise's `solution:` and `tests:`, which a pull
request can write): only when asked (`tracksite check --run-code`, `run_code: true`), and then
only in a sandbox. docs/security.md says why this one, with what was measured against the others.

The sandbox is bubblewrap (`bwrap`), the unprivileged sandbox Flatpak uses, around CPython:

- **no files**: a new, empty root holding read-only `/usr` (and `/bin`, `/lib*` as the system has
  them), the interpreter's own installation and the runner; no `/etc`, no home, no state folder,
  no project; a scratch `/tmp` of `SCRATCH` bytes is the only place that can be written;
- **no network**: a network namespace of its own (nothing but an unconfigured loopback);
- **no other process**: a seccomp filter refuses `fork`, `vfork` and every `clone` that makes a
  process rather than a thread (`subprocess`, `os.fork`, `os.system`, `posix_spawn`), in a PID
  namespace of its own that bubblewrap ends with the run (`--die-with-parent`, the namespace's
  first process killed by the time limit), so nothing it starts outlives it;
- **limits** set by the interpreter on itself before the runner is read, soft and hard (no
  capability is left to raise them): processor seconds, address space, the size of any file it
  writes (its output files included), open files; and the wall time, kept here;
- **nothing of the caller's environment**: `--clearenv`, a hostname of its own.

Without a working `bwrap` (not installed, a system that forbids its namespaces, not Linux) code is
not run at all: `unavailable()` says why, and the callers refuse with that reason.
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracksite.errors import UserError

if sys.platform != "win32":  # (this module is imported everywhere; the sandbox runs on Linux)
    import resource

#: Bytes the scratch folder may hold; processor seconds are the run's own limit.
SCRATCH = 16 * 2**20
MEMORY = 768 * 2**20  # address space: CPython and its code, with room for a list of a few million
FILE_SIZE = 8 * 2**20  # any one file written, the run's stdout and stderr included
OPEN_FILES = 64
#: Of the run's output, what is read back: the verdicts are its last line.
OUTPUT = 1 * 2**20
ERRORS = 16 * 2**10
#: Where the runner is seen inside the sandbox.
INSIDE = "/tracksite/runner.py"

# The interpreter sets its own limits before it reads the runner (no code of the course has run).
_BOOT = (
    "import resource as r, runpy, sys\n"
    "cpu, mem, size, files = map(int, sys.argv[1:5])\n"
    "for k, v in ((r.RLIMIT_CPU, cpu), (r.RLIMIT_AS, mem), (r.RLIMIT_FSIZE, size), (r.RLIMIT_NOFILE, files),"
    " (r.RLIMIT_CORE, 0)):\n"
    "    r.setrlimit(k, (v, v))\n"
    "sys.argv = sys.argv[5:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


@dataclass(frozen=True)
class Result:
    returncode: int | None  # None: the wall time ran out and the sandbox was killed
    stdout: str
    stderr: str


class Unavailable(UserError):
    """No sandbox can be made here: the message says why and what to do (a UserError: the
    command line prints it without a traceback)."""


def run_python(script: Path, stdin: str, seconds: float) -> Result:
    """`script` run by this CPython in the sandbox with `stdin`, for at most `seconds` of wall
    time and of processor time. Raises Unavailable when there is no sandbox."""
    reason = unavailable()
    if reason:
        raise Unavailable(reason)
    return _run(script, stdin, seconds)


@functools.cache
def unavailable() -> str | None:
    """Why no sandbox can be made here (None: it can): tried once per process, for real."""
    bwrap = shutil.which("bwrap")
    if sys.platform != "linux" or _filter() is None:
        return f"the sandbox is bubblewrap's, which runs on Linux (x86-64, arm64); this is {sys.platform} {platform.machine()}"
    if bwrap is None:
        return "the sandbox needs bubblewrap (`bwrap`), which is not installed: install the `bubblewrap` package"
    with tempfile.TemporaryDirectory(prefix="tracksite-probe-") as folder:
        probe = Path(folder) / "probe.py"
        probe.write_text("print('ok')\n", encoding="utf-8")
        try:
            done = _run(probe, "", 20)
        except OSError as e:
            return f"bubblewrap (`bwrap`) could not start: {e}"
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return None
    said = done.stderr.strip().splitlines()
    if said and "Unknown option" in said[-1]:
        return f"the installed bubblewrap is too old ({said[-1]}): tracksite needs bwrap 0.8 or later"
    return (
        "bubblewrap (`bwrap`) could not make a sandbox here"
        + (f": {said[-1]}" if said else "")
        + (" (a system that forbids unprivileged user namespaces needs them allowed for bwrap)")
    )


def _run(script: Path, stdin: str, seconds: float) -> Result:
    limit = max(1, int(seconds + 0.999))
    read, write = os.pipe()
    os.write(write, _filter() or b"")
    os.close(write)
    argv = [
        *_bwrap(script, read),
        "--",
        _interpreter(),
        "-I",
        "-S",
        "-X",
        "utf8",
        "-c",
        _BOOT,
        *map(str, (limit, MEMORY, FILE_SIZE, OPEN_FILES)),
        INSIDE,
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            with subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                env={},  # nothing of this process's environment (TRACKSITE_CACHE_DIR, tokens...)
                pass_fds=(read,),
                start_new_session=True,  # its own process group: the wall time ends all of it
            ) as proc:
                os.close(read)
                read = -1
                try:
                    proc.communicate(stdin.encode("utf-8"), timeout=seconds)
                    code: int | None = proc.returncode
                except subprocess.TimeoutExpired:
                    _end(proc)
                    code = None
        finally:
            if read >= 0:
                os.close(read)
        return Result(code, _tail(out, OUTPUT), _tail(err, ERRORS))


@dataclass(frozen=True)
class Limits:
    """A program's limits in the sandbox (run_program), set soft and hard before it starts."""

    seconds: float  # wall time, kept here; processor seconds are the same number
    memory: int  # address space
    scratch: int  # bytes the new root's /tmp may hold: all the program can write
    file_size: int = FILE_SIZE  # any one file written, the output file included
    open_files: int = 256


def run_program(
    argv: list[str],
    *,
    readonly: list[Path],
    files: dict[str, Path],
    env: dict[str, str],
    limits: Limits,
    output: int,
) -> Result:
    """A program of this machine (`argv[0]`, under a folder `readonly` or the root shows) run in
    the sandbox, as exercises run (the same empty read-only root, no network, no other process):
    `readonly` folders and files are shown at their own paths, `files` (inside path -> file here)
    where named, `env` is all its environment; it starts in /tmp, a tmpfs of `limits.scratch`
    bytes, and the descriptor `output` (a file opened here) is the one way it hands files back.
    Raises Unavailable when there is no sandbox."""
    reason = unavailable()
    if reason:
        raise Unavailable(reason)
    read, write = os.pipe()
    os.write(write, _filter() or b"")
    os.close(write)
    bind = _program_bind(argv, readonly, files, env, limits.scratch, read)
    caps = (
        (resource.RLIMIT_CPU, max(1, int(limits.seconds))),
        (resource.RLIMIT_AS, limits.memory),
        (resource.RLIMIT_FSIZE, limits.file_size),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    )

    def confine() -> None:  # in the child, before bubblewrap starts: inherited by all it runs
        for key, value in caps:
            resource.setrlimit(key, (value, value))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            with subprocess.Popen(
                bind,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env={},
                pass_fds=(read, output),
                start_new_session=True,
                preexec_fn=confine,  # noqa: PLW1509 (no thread of this process holds a lock it needs)
            ) as proc:
                os.close(read)
                read = -1
                try:
                    code: int | None = proc.wait(timeout=limits.seconds)
                except subprocess.TimeoutExpired:
                    _end(proc)
                    code = None
        finally:
            if read >= 0:
                os.close(read)
        return Result(code, _tail(out, OUTPUT), _tail(err, ERRORS))


def _program_bind(
    argv: list[str], readonly: list[Path], files: dict[str, Path], env: dict[str, str], scratch: int, seccomp: int
) -> list[str]:
    """bubblewrap's command line for `run_program`: the exercises' root, the folders and files it
    shows, a /tmp of `scratch` bytes to start in, the environment, the seccomp filter's descriptor."""
    bind = _root()
    for path in readonly:
        if path.exists() and not any(path.is_relative_to(top) for top in ("/usr", "/bin", "/lib")):
            bind += ["--ro-bind", str(path), str(path)]
    for inside, outside in files.items():
        bind += ["--ro-bind", str(outside), inside]
    bind += ["--proc", "/proc", "--dev", "/dev", "--size", str(scratch), "--tmpfs", "/tmp", "--chdir", "/tmp"]
    for key, value in env.items():
        bind += ["--setenv", key, value]
    bind += ["--remount-ro", "/", "--seccomp", str(seccomp), "--", *argv]
    return bind


def _end(proc: subprocess.Popen) -> None:
    """Kill the sandbox's process group (bubblewrap: its namespace's processes die with it)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _tail(file, limit: int) -> str:
    """The last `limit` bytes the run wrote (its verdicts end its output)."""
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - limit))
    return file.read(limit).decode("utf-8", errors="replace")


def _interpreter() -> str:
    """This CPython's own executable, in its installation (which the sandbox shows): a virtual
    environment's `python` is a link to it, or a copy of it (`_base_executable` names the real one)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


def _root() -> list[str]:
    """bubblewrap's arguments up to the new root's system folders: read-only `/usr`, `/bin`,
    `/lib*` as the system has them, and where the libraries are (nothing else of /etc)."""
    argv = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent"]
    argv += ["--new-session", "--clearenv", "--hostname", "sandbox", "--ro-bind", "/usr", "/usr"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged /usr or not, as the system has them
        path = Path("/", top)
        if path.is_symlink():
            argv += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            argv += ["--ro-bind", str(path), str(path)]
    if Path("/etc/ld.so.cache").is_file():  # where the libraries are; nothing else of /etc
        argv += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    return argv


def _bwrap(script: Path, seccomp: int) -> list[str]:
    """bubblewrap's arguments; `seccomp`: the descriptor it reads the filter from."""
    argv = _root()
    for prefix in {os.path.realpath(p) for p in (sys.base_prefix, sys.base_exec_prefix)}:
        if not prefix.startswith("/usr/") and prefix != "/usr":
            argv += ["--ro-bind", prefix, prefix]
    argv += ["--ro-bind", str(script), INSIDE, "--proc", "/proc", "--dev", "/dev"]
    argv += ["--size", str(SCRATCH), "--tmpfs", "/tmp", "--chdir", "/tmp", "--setenv", "HOME", "/tmp"]
    # the new root (bubblewrap's own tmpfs, without a size) read-only: /tmp is all that is written
    return [*argv, "--remount-ro", "/", "--seccomp", str(seccomp)]


# -- the seccomp filter: threads yes, processes no -------------------------------------------
_LD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO, _EPERM, _ENOSYS, _CLONE_THREAD = 0x7FFF0000, 0x00050000, 1, 38, 0x10000
_NONE = 0xFFFFFFFF  # a system call number no system has
#: Per machine: the audit architecture, then fork, vfork, clone and clone3's numbers.
_CALLS = {
    "x86_64": (0xC000003E, 57, 58, 56, 435),
    "aarch64": (0xC00000B7, _NONE, _NONE, 220, 435),
}


@functools.cache
def _filter() -> bytes | None:
    """A classic BPF seccomp program (what `bwrap --seccomp` reads): `fork` and `vfork` fail
    with EPERM, `clone3` with ENOSYS (so the C library falls back to `clone`, whose flags can be
    read), `clone` with EPERM unless it makes a thread; a call of another ABI (x32, 32-bit)
    fails. None on a machine it is not written for."""
    calls = _CALLS.get(platform.machine())
    if calls is None:
        return None
    audit, fork, vfork, clone, clone3 = calls

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    deny, nosys = _ERRNO | _EPERM, _ERRNO | _ENOSYS
    return b"".join(
        [
            op(_LD, 0, 0, 4),  # 0: the architecture
            op(_JEQ, 1, 0, audit),  # 1
            op(_RET, 0, 0, deny),  # 2: another ABI
            op(_LD, 0, 0, 0),  # 3: the call's number
            op(_JGE, 8, 0, 0x40000000),  # 4: x32 -> 13
            op(_JEQ, 7, 0, fork),  # 5 -> 13
            op(_JEQ, 6, 0, vfork),  # 6 -> 13
            op(_JEQ, 6, 0, clone3),  # 7 -> 14
            op(_JEQ, 1, 0, clone),  # 8 -> 10
            op(_RET, 0, 0, _ALLOW),  # 9
            op(_LD, 0, 0, 16),  # 10: clone's flags (the low half of its first argument)
            op(_JSET, 0, 1, _CLONE_THREAD),  # 11: a thread -> 12, else 13
            op(_RET, 0, 0, _ALLOW),  # 12
            op(_RET, 0, 0, deny),  # 13
            op(_RET, 0, 0, nosys),  # 14
        ]
    )
