"""`tracksite check --watch` and the VS Code task that reads it (issue 18, point 8).

The watch is driven as an editor's background task runs it: a real process on a copy of the
course, files saved under it, its output cut into runs by the begin and end patterns written in
`.vscode/tasks.json`, and the problem lines read with that file's own regexes, so neither the
task file nor the output format can drift from the other."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support import harness
from support.course import REPO
from support.watching import LESSON, QUIZ_LINE, course_copy, save
from tracksite.commands.cli import main

TASKS = json.loads((REPO / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
WATCH_TASK = next(t for t in TASKS if t.get("isBackground"))


def matchers(task: dict) -> list[dict]:
    return task["problemMatcher"]


def read_line(line: str, task: dict) -> list[dict]:
    """What VS Code's problem matchers of `task` make of one output line: file, line, severity,
    message for each matcher whose regexp matches (the regexps are JavaScript's; these use only
    syntax Python's `re` reads alike)."""
    found = []
    for m in matchers(task):
        p = m["pattern"]
        hit = re.match(p["regexp"], line)
        if hit:
            found.append(
                {
                    "file": hit.group(p["file"]),
                    "line": int(hit.group(p["line"])) if "line" in p else None,
                    "column": int(hit.group(p["column"])) if "column" in p and hit.group(p["column"]) else None,
                    "severity": hit.group(p["severity"]) or "error",  # VS Code's default severity
                    "message": hit.group(p["message"]),
                    "kind": p.get("kind", "location"),
                }
            )
    return found


class Watcher:
    """`tracksite check --watch` in a process; `run()` returns the lines of the next run, cut
    out of the output by the task's beginsPattern and endsPattern."""

    def __init__(self, root: Path, command: list[str] | None = None) -> None:
        if (
            command is None
        ):  # `tracksite check --watch`, a process of its own: a fork of this one (tests/support/harness.py)
            self.proc = harness.Spawned(lambda: main(["--root", str(root), "check", "--watch"]), root)
        else:  # the command an editor starts, started as the editor starts it
            self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        bg = matchers(WATCH_TASK)[0]["background"]
        self.begins, self.ends = re.compile(bg["beginsPattern"]), re.compile(bg["endsPattern"])

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def run(self, timeout: float = 90) -> list[str]:
        deadline = time.monotonic() + timeout
        inside: list[str] | None = None
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"the watch ended: {self.proc.stderr.read()}"
            if self.begins.search(line):
                inside = []
            elif self.ends.search(line):
                assert inside is not None, f"an end line without a begin line: {line}"
                return inside + [line]
            elif inside is not None:
                inside.append(line)

    def until(self, wanted, timeout: float = 120) -> list[str]:
        """The first run whose problems satisfy `wanted`: one save can be seen as two runs (the
        events of a folder move arrive in bursts), and the state after the last is what counts."""
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                run = self.run(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if wanted(problems(run)):
                return run
            seen.append(run)
        raise AssertionError(f"no run as wanted; runs seen: {seen}")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.returncode, self.proc.stderr.read()


def problems(run: list[str]) -> list[dict]:
    """The problems of one run, as the Problems panel lists them; every line between the begin
    and end lines must be one problem, or VS Code would silently drop it."""
    *lines, end = run
    hits = [read_line(line, WATCH_TASK) for line in lines]
    assert all(len(h) == 1 for h in hits) and read_line(end, WATCH_TASK) == [], run
    return [h[0] for h in hits]


@pytest.mark.slow
def test_a_saved_quiz_mistake_appears_and_clears(tmp_path):
    root = course_copy(tmp_path)
    lesson = root / LESSON
    good = lesson.read_text(encoding="utf-8")
    assert QUIZ_LINE in good
    line_no = good[: good.index(QUIZ_LINE)].count("\n") + 1
    w = Watcher(root)
    try:
        first = w.run()
        assert problems(first) == [] and "0 errors" in first[-1], first
        save(lesson, good.replace(QUIZ_LINE, "      correct: maybe\n", 1))
        broken = w.until(bool)
        assert problems(broken) == [
            {
                "file": LESSON,
                "line": line_no,
                "column": None,
                "severity": "error",
                "kind": "location",
                "message": "[TS103] quiz[0].options[0].correct: expected true or false, found string 'maybe'",
            }
        ], broken
        assert "1 error" in broken[-1]
        save(lesson, good)
        assert "0 errors" in w.until(lambda p: p == [])[-1]
    finally:
        code, err = w.stop()
    assert code == 0 and "Traceback" not in err, err


@pytest.mark.slow
def test_the_watch_survives_a_yaml_slip_and_a_deleted_folder(tmp_path):
    root = course_copy(tmp_path)
    lesson = root / LESSON
    good = lesson.read_text(encoding="utf-8")
    w = Watcher(root)
    try:
        w.run()
        # mid-edit: the quiz's YAML does not parse
        save(lesson, good.replace(QUIZ_LINE, "      correct: true\n     explain: [unclosed\n", 1))
        slip = problems(w.until(bool))
        assert all(p["file"] == LESSON for p in slip), slip
        maybe = ["[TS103] quiz[0].options[0].correct: expected true or false, found string 'maybe'"]
        # the whole track folder goes (a git checkout of another branch) and comes back
        track = root / "lessons" / "transformers-and-llms"
        shutil.move(track, tmp_path / "away")
        w.until(lambda p: not any(LESSON == x["file"] for x in p))
        shutil.move(tmp_path / "away", track)
        w.until(lambda p: any(LESSON == x["file"] for x in p))
        save(lesson, good.replace(QUIZ_LINE, "      correct: maybe\n", 1))  # still watched after coming back
        w.until(lambda p: [x["message"] for x in p] == maybe)
        # lessons/ itself deleted and created again
        shutil.rmtree(root / "lessons")
        w.until(
            lambda p: (
                {
                    "file": "lessons",
                    "line": None,
                    "column": None,
                    "severity": "error",
                    "kind": "file",
                    "message": "[TS201] no lessons/ folder; create one track folder per track in it",
                }
                in p
            )
        )
        shutil.copytree(REPO / "lessons", root / "lessons")
        w.until(lambda p: p == [])
        save(root / LESSON, good.replace(QUIZ_LINE, "      correct: maybe\n", 1))
        w.until(lambda p: [x["message"] for x in p] == maybe)  # a recreated lessons/ is watched again
    finally:
        code, err = w.stop(signal.SIGINT)
    assert code == 0 and "Traceback" not in err and "stopped" in err, err


def test_watch_refuses_a_machine_format(tmp_path):
    root = course_copy(tmp_path)
    result = harness.tracksite("--root", str(root), "check", "--watch", "--format", "json")
    assert result.returncode == 2 and "--watch prints text" in result.stderr


def test_the_task_file_reads_real_check_output(tmp_path):
    """Every line `tracksite check` prints for a problem is read by the regexes in
    .vscode/tasks.json with the right file, line, severity and message; no other line is."""
    root = course_copy(tmp_path)
    lesson = root / LESSON
    text = lesson.read_text(encoding="utf-8")
    heading = "## Compute-optimal training: Chinchilla"
    lesson.write_text(text.replace(heading, "![](fig.png)\n\n" + heading, 1), encoding="utf-8")
    image_line = text[: text.index(heading)].count("\n") + 1
    stray = root / "lessons" / "transformers-and-llms" / "stray"
    stray.mkdir()
    (stray / "lesson.md").write_text("---\ntitle: Stray\n---\nText.\n", encoding="utf-8")
    result = harness.tracksite("--root", str(root), "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3, lines
    expected = [
        {
            "file": LESSON,
            "line": image_line,
            "column": 5,
            "severity": "warning",
            "kind": "location",
            "message": "[TS306] image 'fig.png' has no alt text (describe what the image shows, e.g. ![A loop that runs the command once per file](loop.svg))",
        },
        {
            "file": LESSON,
            "line": image_line,
            "column": 5,
            "severity": "error",
            "kind": "location",
            "message": f"[TS303] image 'fig.png' not found (expected it at {LESSON.rsplit('/', 1)[0]}/fig.png)",
        },
        {
            "file": "lessons/transformers-and-llms/stray",
            "line": None,
            "column": None,
            "severity": "error",
            "kind": "file",
            "message": "[TS205] lesson folder 'stray' is not listed in transformers-and-llms/track.yml (add its slug to a phase's "
            "`lessons:` list, or delete the folder)",
        },
    ]
    for task in TASKS:
        assert [read_line(line, task) for line in lines] == [[e] for e in expected], task["label"]
        for other in result.stderr.splitlines():  # the summary line is not a problem
            assert read_line(other, task) == []


def test_the_task_file_is_a_background_task_that_starts_with_the_folder():
    assert WATCH_TASK["args"] == ["check", "--watch"]
    assert WATCH_TASK["runOptions"] == {"runOn": "folderOpen"}
    from tracksite.commands.watch import BEGIN, END

    for m in matchers(WATCH_TASK):
        bg = m["background"]
        assert bg["activeOnStart"] is True
        assert re.search(bg["beginsPattern"], BEGIN) and not re.search(bg["beginsPattern"], END)
        assert re.search(bg["endsPattern"], END) and not re.search(bg["endsPattern"], BEGIN)
    for task in TASKS:  # the one-off build task reads the same lines the same way
        assert [m["pattern"] for m in matchers(task)] == [m["pattern"] for m in matchers(WATCH_TASK)]


def test_a_new_course_gets_the_editor_tasks_and_they_run(tmp_path):
    """`tracksite init` gives the course the same tasks, run by the Python that made it: the
    watch task, started as VS Code starts it (its command and args, in the folder), reports."""
    course = tmp_path / "new course"
    assert main(["init", str(course), "--site-name", "T"]) == 0
    assert main(["--root", str(course), "new", "track", "shell", "--number", "1", "--title", "The shell"]) == 0
    tasks = json.loads((course / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert [m["pattern"] for t in tasks for m in t["problemMatcher"]] == [
        m["pattern"] for t in TASKS for m in t["problemMatcher"]
    ]
    # the same settings as this repository's, except that the schemas are the installed package's
    # files (a course holds no copy of them), for the same YAML files
    mine = json.loads((course / ".vscode" / "settings.json").read_text())
    ours = json.loads((REPO / ".vscode" / "settings.json").read_text())
    schemas, our_schemas = mine.pop("yaml.schemas"), ours.pop("yaml.schemas")
    assert mine == ours
    assert {Path(k).name: v for k, v in schemas.items()} == {Path(k).name: v for k, v in our_schemas.items()}
    assert all(Path(k).is_absolute() and Path(k).is_file() for k in schemas), schemas
    watch_task = next(t for t in tasks if t.get("isBackground"))
    draft = next(course.glob("lessons/shell/*/lesson.md"))
    # VS Code runs the course's own environment (`.venv`, from its requirements.txt); here that
    # environment's `tracksite` is this one, and ${workspaceFolder} is the course, as VS Code says
    command = watch_task["command"].replace("${workspaceFolder}", str(course))
    assert command == str(course / ".venv/bin/tracksite")
    Path(command).parent.mkdir(parents=True)
    Path(command).write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tracksite.commands.cli "$@"\n')
    Path(command).chmod(0o755)
    args = [a.replace("${workspaceFolder}", str(course)) for a in watch_task["args"]]
    w = Watcher(course, [command, *args])
    try:
        w.run()
        draft.write_text(draft.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
        found = problems(w.until(bool))
        assert any(p["file"] == draft.relative_to(course).as_posix() and "titel" in p["message"] for p in found), found
    finally:
        code, err = w.stop()
    assert code == 0, err


@pytest.mark.skipif(not shutil.which("vim"), reason="vim is not installed")
def test_the_vim_lines_of_the_guide_fill_the_quickfix_list(tmp_path):
    """The `vim` block of docs/authoring.md, run in Vim on real `tracksite check` output."""
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    settings = re.search(r"```vim\n(.*?)```", guide, re.S).group(1).splitlines()
    root = course_copy(tmp_path)
    lesson = root / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(
        text.replace(QUIZ_LINE, "      correct: maybe\n", 1).replace(
            "## Compute-optimal training", "![](fig.png)\n\n## Compute-optimal training", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "qf.txt"
    script = [
        "silent make",
        f"redir! > {out}",
        'for e in getqflist() | echo bufname(e.bufnr) . "|" . e.lnum . "|" . e.valid . "|" . e.type . "|" . e.text | endfor',
        "redir END",
        "qa!",
    ]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    args = ["vim", "-N", "-u", "NONE", "-i", "NONE", "-es"] + [a for c in settings + script for a in ("-c", c)]
    subprocess.run(args, cwd=root, env=env, capture_output=True, timeout=120)
    entries = [line.split("|", 4) for line in out.read_text().splitlines() if line]
    image = text[: text.index("## Compute-optimal training")].count("\n") + 1
    quiz = text[: text.index(QUIZ_LINE)].count("\n") + 1
    assert [(f, int(n), v, t) for f, n, v, t, _ in entries] == [
        (LESSON, quiz, "1", ""),
        (LESSON, image, "1", "w"),
        (LESSON, image, "1", ""),
    ], entries
    assert entries[0][4] == "[TS103] quiz[0].options[0].correct: expected true or false, found string 'maybe'"
