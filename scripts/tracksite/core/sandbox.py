"""Running code nobody here vetted (a runnable exercise's `solution:` and `tests:`, which a pull
request can write): only when the person who runs the command asks (`tracksite check --run-code`,
TRACKSITE_RUN_CODE=1: `asked`), and then only in a sandbox. docs/security.md says why this one,
with what was measured against the others.

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
- **nothing of the caller's environment**: `--clearenv`, a hostname of its own;
- **no privilege, whoever runs it** (root, as CI does, included): a user namespace of its own is
  required (where none can be made nothing runs: no fall back to the caller's), nobody's uid and
  gid inside, every capability dropped, no user namespace made inside (so no mount), /proc and
  /dev read-only (no /dev/shm; a kernel setting is a file of /proc that the caller's uid could
  write), and memory files (memfd, System V shared memory, message queues) refused, so /tmp's `SCRATCH` bytes are
  all it can write. Each run proves it from inside before any code of the course (`_BOOT`: no
  capability, NoNewPrivs, the seccomp filter, a foreign uid_map), and the first run tries for real
  what must fail (`_PROBE`).

Without a working `bwrap` (not installed, a system that forbids user namespaces, root's included,
not Linux) code is not run at all: `unavailable()` says why, and the callers refuse with that reason.
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
#: The environment setting by which the person who runs a command asks for the course's code to run.
ASK = "TRACKSITE_RUN_CODE"
#: Where the runner is seen inside the sandbox.
INSIDE = "/tracksite/runner.py"

#: The uid and gid the code has inside its user namespace (nobody's): no capability, no owner of
#: anything the sandbox shows.
NOBODY = 65534
#: The exit status of a run that found itself holding a privilege (`_BOOT`), and its word.
UNCONFINED, _UNCONFINED_WORD = 125, "tracksite-sandbox-unconfined:"

# The interpreter proves its confinement, then sets its own limits, before it reads the runner
# (no code of the course has run): no capability in any set, no new privileges, the seccomp filter
# on, and a user namespace of its own in which it is nobody (a foreign uid_map, not `0 0 4294967295`).
_BOOT = (
    "import resource as r, runpy, sys, os\n"
    "st = dict(l.split(':', 1) for l in open('/proc/self/status') if ':' in l)\n"
    "bad = [k for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb') if int(st[k], 16)]\n"
    "bad += [k for k, v in (('NoNewPrivs', '1'), ('Seccomp', '2')) if st[k].strip() != v]\n"
    "m = [l.split() for l in open('/proc/self/uid_map')]\n"
    f"bad += ['uid_map'] if len(m) != 1 or m[0][0] != '{NOBODY}' or m[0][2] != '1' or os.getuid() != {NOBODY} else []\n"
    "if bad:\n"
    f"    sys.stderr.write('{_UNCONFINED_WORD} ' + ', '.join(bad) + '\\n'); os._exit({UNCONFINED})\n"
    "cpu, mem, size, files = map(int, sys.argv[1:5])\n"
    "for k, v in ((r.RLIMIT_CPU, cpu), (r.RLIMIT_AS, mem), (r.RLIMIT_FSIZE, size), (r.RLIMIT_NOFILE, files),"
    " (r.RLIMIT_CORE, 0), (r.RLIMIT_MSGQUEUE, 0)):\n"
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
    done = _run(script, stdin, seconds)
    held = _held(done)
    if held:
        raise Unavailable(held)
    return done


def asked() -> bool:
    """Whether the person who runs the command asked for the course's code to run, in its
    environment (`TRACKSITE_RUN_CODE=1`, what `--run-code` says for one check): never a file of
    the checkout, which a pull request can change (docs/security.md)."""
    return os.environ.get(ASK, "").strip().lower() in {"1", "true", "yes", "on"}


def _held(done: Result) -> str | None:
    """What privilege a run said it found itself holding (`_BOOT`'s proof failed), or None."""
    if done.returncode != UNCONFINED or _UNCONFINED_WORD not in done.stderr:
        return None
    what = done.stderr.split(_UNCONFINED_WORD, 1)[1].strip().splitlines()[0]
    return f"the sandbox started, but its code held a privilege ({what}): nothing runs in it"


@functools.cache
def unavailable() -> str | None:
    """Why no sandbox can be made here (None: it can): tried once per process, for real."""
    bwrap = shutil.which("bwrap")
    if sys.platform != "linux" or _filter() is None:
        return f"the sandbox is bubblewrap's, which runs on Linux (x86-64, arm64); this is {sys.platform} {platform.machine()}"
    if bwrap is None:
        return "the sandbox needs bubblewrap (`bwrap`), which is not installed: install the `bubblewrap` package"
    if _user_namespaces_off():
        return _NO_USERNS.format(why="user.max_user_namespaces is 0")
    with tempfile.TemporaryDirectory(prefix="tracksite-probe-") as folder:
        probe = Path(folder) / "probe.py"
        probe.write_text(_PROBE, encoding="utf-8")
        try:
            done = _run(probe, "", 20)
        except OSError as e:
            return f"bubblewrap (`bwrap`) could not start: {e}"
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return None
    said = done.stderr.strip().splitlines()
    if _held(done) or done.stdout.startswith("held:"):
        return (
            _held(done)
            or f"the sandbox started, but its code could still do what it must not ({done.stdout[5:].strip()})"
        )
    if said and "Unknown option" in said[-1]:
        return f"the installed bubblewrap is too old ({said[-1]}): tracksite needs bwrap 0.8 or later"
    if said and "namespace" in said[-1]:
        return _NO_USERNS.format(why=said[-1])
    return "bubblewrap (`bwrap`) could not make a sandbox here" + (f": {said[-1]}" if said else "")


_NO_USERNS = (
    "no new user namespace can be made here ({why}), and the sandbox runs nothing without one, whoever "
    "runs it (root included): allow them (sysctl user.max_user_namespaces above 0, and "
    "kernel.unprivileged_userns_clone=1 or an AppArmor profile for bwrap where the system has those)"
)


def _user_namespaces_off() -> bool:
    """Whether the system says no user namespace may be made (`user.max_user_namespaces` 0, as
    hardened CI runners set it): the sandbox then refuses before bubblewrap is asked, whose own
    `--unshare-user-try` took the same word for a reason to run in the caller's namespace."""
    try:
        return Path("/proc/sys/user/max_user_namespaces").read_text(encoding="ascii").strip() == "0"
    except (OSError, UnicodeDecodeError):
        return False


#: Run at the first use: what the code in the sandbox must fail to do, tried for real (none of
#: it is the boot's proof, which every run makes): a user or mount namespace of its own, a
#: mount, a write outside /tmp (/dev/shm, /dev, the root), a kernel setting.
_PROBE = """\
held = []
try:
    import ctypes
except ImportError:
    ctypes = None
if ctypes is not None:
    libc = ctypes.CDLL(None, use_errno=True)
    for flag, what in ((0x10000000, "a new user namespace"), (0x00020000, "a new mount namespace")):
        if libc.unshare(flag) == 0:
            held.append(what)
    if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
        held.append("a mount")
for path in ("/dev/shm/probe", "/dev/probe", "/probe"):
    try:
        open(path, "wb").close()
        held.append("writing " + path)
    except OSError:
        pass
import os
try:
    os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY))  # opened, never written
    held.append("a kernel setting opened for writing")
except OSError:
    pass
print("held: " + ", ".join(held) if held else "ok")
"""


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
    caps = _resource_limits(limits)

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


def _resource_limits(limits: Limits) -> tuple[tuple[int, int], ...]:
    """`limits` as the kernel's resource limits (soft and hard alike), set in the child before
    bubblewrap starts: processor seconds, address space, the largest file, open files, and no
    core file or message queue (which would hold bytes beside the scratch /tmp)."""
    return (
        (resource.RLIMIT_CPU, max(1, int(limits.seconds))),
        (resource.RLIMIT_AS, limits.memory),
        (resource.RLIMIT_FSIZE, limits.file_size),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_MSGQUEUE, 0),
    )


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
    bind += [*_SYSTEM, "--size", str(scratch), "--tmpfs", "/tmp", "--chdir", "/tmp"]
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


#: No privilege, whoever runs it: every namespace of its own, the user namespace required (no
#: falling back to the caller's where none can be made, as `--unshare-all`'s `--unshare-user-try`
#: would: bwrap then fails, and nothing runs), none more made inside it (so no mount), every
#: capability dropped from every set, and nobody's uid and gid inside.
_PRIVILEGE: tuple[str, ...] = ("--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL")
_PRIVILEGE += ("--uid", str(NOBODY), "--gid", str(NOBODY))
#: /proc read-only (a kernel setting is a file there, which the caller's uid, root's, could write
#: even without a capability); /dev read-only: its devices work, no file can be made there (no
#: /dev/shm), so /tmp, of a size, is all the code can write.
_SYSTEM = ("--proc", "/proc", "--remount-ro", "/proc", "--dev", "/dev", "--remount-ro", "/dev")


def _root() -> list[str]:
    """bubblewrap's arguments up to the new root's system folders: read-only `/usr`, `/bin`,
    `/lib*` as the system has them, and where the libraries are (nothing else of /etc)."""
    argv = [shutil.which("bwrap") or "bwrap", *_PRIVILEGE, "--die-with-parent"]
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
    argv += ["--ro-bind", str(script), INSIDE, *_SYSTEM]
    argv += ["--size", str(SCRATCH), "--tmpfs", "/tmp", "--chdir", "/tmp", "--setenv", "HOME", "/tmp"]
    # the new root (bubblewrap's own tmpfs, without a size) read-only: /tmp is all that is written
    return [*argv, "--remount-ro", "/", "--seccomp", str(seccomp)]


# -- the seccomp filter: threads yes, processes no, no memory outside the capped /tmp -------
_LD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO, _EPERM, _ENOSYS, _CLONE_THREAD = 0x7FFF0000, 0x00050000, 1, 38, 0x10000
#: Per machine: the audit architecture, clone and clone3's numbers, then the calls refused:
#: fork, vfork (x86-64 only), and the files that are memory and no file system's (memfd_create,
#: memfd_secret, shmget): each would hold bytes beyond /tmp's size.
_CALLS = {
    "x86_64": (0xC000003E, 56, 435, (57, 58, 319, 447, 29)),
    "aarch64": (0xC00000B7, 220, 435, (279, 447, 194)),
}


@functools.cache
def _filter() -> bytes | None:
    """A classic BPF seccomp program (what `bwrap --seccomp` reads): the refused calls fail with
    EPERM, `clone3` with ENOSYS (so the C library falls back to `clone`, whose flags can be
    read), `clone` with EPERM unless it makes a thread; a call of another ABI (x32, 32-bit)
    fails. None on a machine it is not written for."""
    calls = _CALLS.get(platform.machine())
    if calls is None:
        return None
    audit, clone, clone3, refused = calls
    # (operation, where to go when true, when false, operand); a place is a label or the next
    program: list[tuple[int, str | None, str | None, int]] = [
        (_LD, None, None, 4),  # the architecture
        (_JEQ, None, "deny", audit),
        (_LD, None, None, 0),  # the call's number
        (_JGE, "deny", None, 0x40000000),  # x32
        *[(_JEQ, "deny", None, number) for number in refused],
        (_JEQ, "nosys", None, clone3),
        (_JEQ, "clone", "allow", clone),
    ]
    labels = {"clone": len(program), "allow": len(program) + 2, "deny": len(program) + 3, "nosys": len(program) + 4}
    program += [
        (_LD, None, None, 16),  # clone's flags (the low half of its first argument)
        (_JSET, "allow", "deny", _CLONE_THREAD),  # a thread, or a process
        (_RET, None, None, _ALLOW),
        (_RET, None, None, _ERRNO | _EPERM),
        (_RET, None, None, _ERRNO | _ENOSYS),
    ]

    def jump(label: str | None, at: int) -> int:
        return 0 if label is None else labels[label] - at - 1

    return b"".join(
        struct.pack("=HBBI", code, jump(jt, at), jump(jf, at), k) for at, (code, jt, jf, k) in enumerate(program)
    )
