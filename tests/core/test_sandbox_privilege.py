"""Issue 81 (SB1, SB2, X9): the sandbox exercises run in holds no privilege, whoever runs it (root
here, as CI runs), and what it can write is capped. Each case is seen from inside a run, or is a
run refused: where no user namespace can be made, nothing runs (TS434), never the caller's
namespace with root's capabilities. tests/core/widgets/runnable/test_runnable_safe.py holds the attacks
of issue 69 (files, network, processes, limits) and the opt-in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.course import lesson_md, make_course, write
from tracksite.core import sandbox

#: What a run reports of itself: its capabilities and uid map, and what it tried that must fail.
SELF = r"""
import ctypes, json, os
libc = ctypes.CDLL(None, use_errno=True)
seen = {}
for line in open("/proc/self/status"):
    key, _, value = line.partition(":")
    if key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"):
        seen[key] = value.strip()
seen["uid_map"] = open("/proc/self/uid_map").read().split()
seen["uid"] = os.getuid()

def tried(name, call):
    ctypes.set_errno(0)
    seen[name] = "done" if call() == 0 else os.strerror(ctypes.get_errno())

tried("unshare a user namespace", lambda: libc.unshare(0x10000000))
tried("unshare a mount namespace", lambda: libc.unshare(0x00020000))
tried("mount a tmpfs", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))
handle = ctypes.create_string_buffer(8 + 128)
ctypes.memmove(handle, (128).to_bytes(4, "little"), 4)
mount_id = ctypes.c_int()
seen["name_to_handle_at"] = libc.name_to_handle_at(-100, b"/usr", handle, ctypes.byref(mount_id), 0)
usr = os.open("/usr", os.O_RDONLY)
ctypes.set_errno(0)
fd = libc.open_by_handle_at(usr, handle, os.O_RDONLY)
seen["open_by_handle_at"] = "done" if fd >= 0 else os.strerror(ctypes.get_errno())
try:
    os.close(os.open("/proc/sys/kernel/core_pattern", os.O_WRONLY))  # opened, never written
    seen["a kernel setting opened for writing"] = "done"
except OSError as e:
    seen["a kernel setting opened for writing"] = e.strerror
print(json.dumps(seen))
"""

#: What a run writes: 64 MB to /dev/shm and to /dev, then 1 MB files into /tmp until refused.
WRITES = r"""
import json, os
seen = {}
for path in ("/dev/shm/big", "/dev/big"):
    written = 0
    try:
        with open(path, "wb") as f:
            for _ in range(64):
                written += f.write(b"x" * 2**20)
    except OSError as e:
        seen[path + " error"] = e.strerror
    seen[path] = written
total = 0
for n in range(1024):
    try:
        with open(f"/tmp/f{n}", "wb") as f:
            total += f.write(b"x" * 2**20)
    except OSError:
        break
seen["/tmp"] = total
for name, call in (("memfd_create", lambda: os.memfd_create("x")),):
    try:
        call()
        seen[name] = "done"
    except OSError as e:
        seen[name] = e.strerror
print(json.dumps(seen))
"""


def _run(tmp_path: Path, code: str) -> dict:
    script = tmp_path / "self.py"
    script.write_text(code, encoding="utf-8")
    done = sandbox.run_python(script, "", 20)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_run_holds_no_privilege(tmp_path, needs_sandbox):
    """SB1/SB2: no capability in any set, no new privileges, the seccomp filter on, nobody in a
    user namespace of its own; no namespace, mount, file handle or kernel setting to be had."""
    seen = _run(tmp_path, SELF)
    assert {k: seen[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")} == dict.fromkeys(
        ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"), "0000000000000000"
    ), seen
    assert (seen["NoNewPrivs"], seen["Seccomp"]) == ("1", "2"), seen
    assert seen["uid"] == sandbox.NOBODY and seen["uid_map"][0] == str(sandbox.NOBODY), seen
    assert seen["uid_map"][2] == "1", seen  # one uid mapped, not `0 0 4294967295`
    refused = ("unshare a user namespace", "unshare a mount namespace", "mount a tmpfs", "open_by_handle_at")
    assert {k: seen[k] for k in refused if seen[k] == "done"} == {}, seen
    assert seen["a kernel setting opened for writing"] != "done", seen


def test_writes_are_capped_at_the_scratch_size(tmp_path, needs_sandbox):
    """X9: nothing goes to /dev/shm or /dev (1 GiB went to /dev/shm in 0.9 s before), the sum of
    files in /tmp stops at SCRATCH, and no memory file holds bytes beside it."""
    seen = _run(tmp_path, WRITES)
    assert seen["/dev/shm/big"] == 0 and seen["/dev/big"] == 0, seen
    assert seen["/tmp"] <= sandbox.SCRATCH and seen["/tmp"] >= sandbox.SCRATCH // 2, seen
    assert seen["memfd_create"] != "done", seen


def test_a_sandbox_that_leaves_a_privilege_runs_nothing(tmp_path, needs_sandbox, monkeypatch):
    """The proof each run makes before the course's code: the same sandbox without its user
    namespace's nobody and without dropping capabilities (the old command line, as root) is
    refused, with what it held, by the first probe and by every run."""
    monkeypatch.setattr(sandbox, "_PRIVILEGE", ("--unshare-all",))
    sandbox.unavailable.cache_clear()
    try:
        reason = sandbox.unavailable()
        script = tmp_path / "ran.py"
        script.write_text(f"open({str(tmp_path / 'ran.txt')!r}, 'w')\n", encoding="utf-8")
        with pytest.raises(sandbox.Unavailable):
            sandbox.run_python(script, "", 20)
    finally:
        sandbox.unavailable.cache_clear()
    assert reason is not None and "held a privilege" in reason and "uid_map" in reason, reason
    if os.geteuid() == 0:
        assert "CapEff" in reason, reason


def _course(tmp_path: Path) -> Path:
    root = make_course(tmp_path / "course")
    block = "/// runnable | Wrong\ncode: x = 1\ntests: assert x == 2\nsolution: x = 3\n///\n"
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body="## Practice\n\n" + block))
    return root


def _tracksite(*args: str) -> list[str]:
    return [sys.executable, "-m", "tracksite", *args]


def _in_namespace(
    unshare: list[str], setup: str, argv: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`argv` run in the namespaces `unshare` makes, after the shell line `setup` there; nothing
    of this process's own asking (TRACKSITE_RUN_CODE) unless `env` gives it."""
    full = {k: v for k, v in os.environ.items() if k != sandbox.ASK}
    full.update({"PYTHONPATH": str(Path(sandbox.__file__).resolve().parents[2]), **(env or {})})
    command = ["unshare", *unshare, "sh", "-c", setup + ' && exec "$@"', "sh", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=full)


def _unshare_works(args: list[str]) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare (util-linux)")
    tried = subprocess.run(["unshare", *args, "true"], capture_output=True, text=True)
    if tried.returncode != 0:
        pytest.skip(f"unshare {' '.join(args)} cannot run here: {tried.stderr.strip()}")


def test_without_user_namespaces_nothing_runs(tmp_path, needs_sandbox):
    """SB1, as hardened CI runners have it (user.max_user_namespaces=0): a namespace whose root
    holds every capability in it and can make no user namespace (the kernel's limit set to 0 in
    it). Before, bubblewrap skipped the user namespace and ran the exercise with root's
    capabilities; now `check --run-code` refuses (exit 2, TS434) and a build asked by the
    environment fails with TS434."""
    _unshare_works(["--user", "--map-root-user"])
    root = _course(tmp_path)
    userns, no_more = ["--user", "--map-root-user"], "echo 0 > /proc/sys/user/max_user_namespaces"
    check = _in_namespace(userns, no_more, _tracksite("--root", str(root), "check", "--run-code"))
    assert check.returncode == 2, check.stdout + check.stderr
    assert "TS434" in check.stderr and "user namespace" in check.stderr, check.stderr
    site = str(tmp_path / "site")
    build = _in_namespace(
        userns, no_more, _tracksite("--root", str(root), "build", "--site-dir", site), {sandbox.ASK: "1"}
    )
    assert build.returncode != 0 and "TS434" in build.stderr and "TS431" not in build.stderr, build.stderr[-3000:]


@pytest.mark.skipif(os.geteuid() != 0, reason="binding a file over /proc/sys needs root")
def test_root_told_there_are_no_user_namespaces_runs_nothing(tmp_path, needs_sandbox):
    """SB1 as issue 81 reported it: root, in a mount namespace of its own where /proc/sys/user/
    max_user_namespaces reads 0. bubblewrap's `--unshare-user-try` took it at its word and ran
    the exercise in root's namespace with root's capabilities (TS431: it ran); now nothing runs
    (exit 2, TS434), and a run asked for directly is refused too."""
    _unshare_works(["--mount"])
    root = _course(tmp_path)
    zero = tmp_path / "zero"
    zero.write_text("0\n", encoding="ascii")
    told = f"mount --bind {zero} /proc/sys/user/max_user_namespaces && grep -qx 0 /proc/sys/user/max_user_namespaces"
    check = _in_namespace(["--mount"], told, _tracksite("--root", str(root), "check", "--run-code"))
    assert check.returncode == 2, check.stdout + check.stderr
    assert "TS434" in check.stderr and "user namespace" in check.stderr, check.stderr
    script = tmp_path / "ran.py"
    script.write_text(f"open({str(tmp_path / 'ran.txt')!r}, 'w')\n", encoding="utf-8")
    run = f"from tracksite.core import sandbox; from pathlib import Path; sandbox.run_python(Path({str(script)!r}), '', 20)"
    direct = _in_namespace(["--mount"], told, [sys.executable, "-c", run])
    assert direct.returncode != 0 and "Unavailable" in direct.stderr, direct.stderr[-2000:]
    assert not (tmp_path / "ran.txt").exists()
