"""`/// runnable` (issue 55): the body's schema and its located problems, the check-time run of
each exercise in CPython (its solution passes its own tests, its starting code does not), the
HTML the block draws, and what a site without runnable code leaves out (the interpreter, the
policy's 'wasm-unsafe-eval'). The page's side is tests/core/widgets/runnable/test_runnable_browser.py."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support.course import lesson_md, make_course, run_cli, write
from support.runnable import EXERCISE, LESSON, LOOP, PREDICT, render, runnable_course
from tracksite import theme
from tracksite.adapter.pages import csp
from tracksite.commands.export import coursedata
from tracksite.core import widgetregistry as W
from tracksite.core.widgets.pagepython import BROWSER_MODULES
from tracksite.core.widgets.predict.body import parse_predict
from tracksite.core.widgets.runnable.body import code_key, parse_runnable, runs_code
from tracksite.core.widgets.validate import validate_widgets

RUNNER = theme.ASSETS / "tracksite" / "runner.py"


def body(block: str) -> str:
    return block.split("\n", 1)[1].rsplit("///", 1)[0]


# -- the body ---------------------------------------------------------------------------------


def test_an_exercise_is_read_with_its_defaults():
    value, findings = parse_runnable(body(EXERCISE))
    assert findings == [] and value is not None
    assert value.checked and value.timeout == 5 and value.output is None
    snippet, _ = parse_runnable("code: print(1)\n")
    assert snippet is not None and not snippet.checked and snippet.timeout == 10


@pytest.mark.parametrize(
    "text,line,code,words",
    [
        ("code: x = 1\ntests: assert x == 2\n", 1, "TS405", "needs a `solution:`"),
        ("code: x = 1\noutput: '2'\n", 1, "TS405", "needs a `solution:`"),
        ("code: |\n  x = 1\n  import numpy as np\n", 3, "TS430", "'numpy'"),
        ("code: x = 1\ntests: |\n  from scipy import stats\nsolution: x = 1\n", 3, "TS430", "'scipy'"),
        # issue 69: what imports but cannot work in the page, and imports the static check missed
        ("code: x = 1\ntests: |\n  import subprocess\nsolution: x = 1\n", 3, "TS430", "'subprocess'"),
        ("code: x = 1\ntests: |\n  import socket\nsolution: x = 1\n", 3, "TS430", "'socket'"),
        ("code: x = 1\ntests: |\n  import ctypes\nsolution: x = 1\n", 3, "TS430", "'ctypes'"),
        ("code: x = 1\ntests: |\n  import os\n  os.system('id')\nsolution: x = 1\n", 4, "TS430", "os.system"),
        ("code: x = 1\ntests: |\n  __import__('js').fetch('/')\nsolution: x = 1\n", 3, "TS430", "'js'"),
        (
            "code: x = 1\ntests: |\n  x = __import__('o' + 's')\nsolution: x = 1\n",
            3,
            "TS430",
            "named only when it runs",
        ),
        (
            "code: x = 1\ntests: |\n  from urllib.request import urlopen\nsolution: x = 1\n",
            3,
            "TS430",
            "'urllib.request'",
        ),
        ("code: x = 1\ntimeout: 61\n", 2, "TS104", "out of range"),
        ("code: x = 1\nanswer: 2\n", 2, "TS101", "unknown key"),
    ],
)
def test_problems_are_located_in_the_page(text, line, code, words):
    problems = validate_widgets("lesson.md", f"intro\n\n/// runnable\n{text}///\n", 10, Path.cwd())
    assert [(p.line, p.code) for p in problems] == [(12 + line, code)], problems
    assert words in problems[0].message


def test_the_standard_library_imports_and_the_message_names_it():
    assert {"math", "random", "collections", "itertools", "json", "statistics"} <= BROWSER_MODULES
    assert not {"numpy", "tkinter", "curses", "venv"} & BROWSER_MODULES
    _, findings = parse_runnable("code: |\n  import math, json\n  from collections import Counter\n  import _thread\n")
    assert findings == []
    _, findings = parse_runnable("code: import torch\n")
    assert "standard library" in (findings[0].hint or "")


def test_a_predict_block_may_run_only_python_with_the_standard_library():
    ok, findings = parse_predict(body(PREDICT))
    assert ok is not None and ok.runnable and findings == []
    _, findings = parse_predict("code: x\nlanguage: bash\noutput: x\nexplain: e\nruns: true\n")
    assert findings and findings[0].code == "TS101"
    _, findings = parse_predict("code: echo x\nlanguage: bash\noutput: x\nexplain: e\nrunnable: true\n")
    assert [f.code for f in findings] == ["TS406"]
    _, findings = parse_predict("code: import numpy\noutput: x\nexplain: e\nrunnable: true\n")
    assert [f.code for f in findings] == ["TS430"]


# -- the runner, the same in the page and the check --------------------------------------------


def run_runner(runs: list[dict]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-I", str(RUNNER)], input=json.dumps(runs), capture_output=True, text=True, timeout=60
    )
    return json.loads(done.stdout.strip().rsplit("\n", 1)[-1])


def test_the_runner_gives_each_verdict():
    verdicts = run_runner(
        [
            {"code": "x = 1", "tests": "assert x == 1\nassert x == 2, 'not two'"},
            {"code": "print( [1,2] )\n\n", "expected": "[1, 2]"},
            {"code": "print(3)", "expected": "4"},
            {"code": "1/0"},
            {"code": "print('fine')"},
        ]
    )
    assert {k: v for k, v in verdicts[0].items() if k not in ("checksPrinted", "said")} == {
        "status": "failed",
        "kind": "assert",
        "line": 2,
        "source": "assert x == 2, 'not two'",
        "message": "not two",
        "detail": "AssertionError: not two",
        "test": "x == 2",
        "sides": [["x", "1", False], ["2", "2", True]],
        "op": "==",
    }
    assert verdicts[1] == {"status": "passed", "said": ""}
    assert verdicts[2]["status"] == "failed" and verdicts[2]["output"] is True
    assert verdicts[3]["status"] == "error" and verdicts[3]["detail"].startswith("ZeroDivisionError")
    assert verdicts[4] == {"status": "ok", "said": ""}


# -- tracksite check runs each exercise --------------------------------------------------------


@pytest.mark.usefixtures("needs_sandbox")
def test_check_runs_the_solution_and_the_starting_code(tmp_path):
    """`check --run-code`: each exercise run in the sandbox (tests/core/widgets/runnable/test_runnable_safe.py holds it)."""
    root = make_course(tmp_path / "course")
    blocks = [
        EXERCISE,
        "/// runnable | Wrong solution\ncode: x = 1\ntests: assert x == 2\nsolution: x = 3\n///\n",
        "/// runnable | Checks nothing\ncode: x = 2\ntests: assert x == 2\nsolution: x = 2\n///\n",
        # too slow by the clock, not the processor: a solution that waits out the limit asleep
        # is stopped as a busy loop is, without burning the limit's seconds of processor time
        "/// runnable | Too slow\ncode: x = 1\ntests: assert x == 2\nsolution: |\n  import time\n  time.sleep(60)\ntimeout: 1\n///\n",
    ]
    text = lesson_md("First lesson", body="## Practice\n\n" + "\n".join(blocks) + "Words here. " * 40)
    write(root, "lessons/alpha/a1/lesson.md", text)
    lines = text.split("\n")
    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    found = [p for p in json.loads(result.stdout) if p["code"] in ("TS431", "TS432")]
    where = {(p["code"], p["line"]) for p in found}
    wrong = lines.index("solution: x = 3") + 1
    nothing = lines.index("code: x = 2") + 1
    slow = lines.index("timeout: 1") - 2
    assert where == {("TS431", wrong), ("TS432", nothing), ("TS431", slow)}, found
    assert any("did not finish within 1 seconds" in p["message"] for p in found)
    # kept by content: a second check starts no Python (the verdicts come from the state folder)
    again = run_cli(root, ["check", "--run-code", "--format", "json"])
    assert [p for p in json.loads(again.stdout) if p["code"] in ("TS431", "TS432")] == found


# -- the HTML ----------------------------------------------------------------------------------


def test_the_block_draws_code_hidden_tests_and_a_folded_solution():
    soup = render(EXERCISE)
    root = soup.select_one("[data-widget=runnable]")
    assert root is not None and "ts-run" in root["class"] and root["data-timeout"] == "5"
    assert root["data-key"].startswith("tracksite:runnable:track/lesson:1:")
    assert "def step" in root.select_one(".ts-run__code").get_text()
    assert root.select_one(".ts-run__start").has_attr("hidden")
    assert root.select_one(".ts-run__tests").get_text().startswith("assert abs(")
    solution = root.select_one("details.ts-run__solution")
    assert solution is not None and not solution.has_attr("open") and solution.has_attr("data-search-ignore")
    assert "lr * grad" in solution.get_text()
    assert root.select_one(".ts-run__hint").has_attr("hidden")


def page_policy(body: str) -> str:
    """The policy `csp.apply` writes into a page whose body is `body` (as the plugin does for every page)."""
    page = f'<html><head><meta http-equiv="Content-Security-Policy" content=""></head><body>{body}</body></html>'
    out = BeautifulSoup(csp.apply(page), "lxml").select_one("meta[http-equiv=Content-Security-Policy]")
    assert out is not None
    return str(out["content"])


def test_only_a_page_that_runs_python_may_compile_webassembly():
    runs = str(render(EXERCISE)) + str(render(PREDICT))
    assert "'wasm-unsafe-eval'" in page_policy(str(render(EXERCISE)))
    assert "'wasm-unsafe-eval'" in page_policy(str(render(PREDICT)))
    quiet = str(render(PREDICT.replace("runnable: true\n", "")))
    assert "'wasm-unsafe-eval'" not in page_policy(quiet)
    assert "unsafe-eval'" not in page_policy(quiet) and "'unsafe-eval'" not in page_policy(runs)
    assert runs_code(LESSON) and not runs_code(PREDICT.replace("runnable: true\n", "")) and not runs_code("runnable")


def test_the_interpreter_is_published_only_for_a_course_that_runs_code(tmp_path):
    from support.course import load

    plain = make_course(tmp_path / "plain")
    uris = {e.src_uri for e in load(plain).site.entries}
    assert "assets/tracksite/runnable.js" in uris  # the widget's script is the theme's, as every widget's
    assert not {u for u in uris if u.startswith(theme.RUNTIME)}
    runs = runnable_course(tmp_path / "runs")
    uris = {e.src_uri for e in load(runs).site.entries}
    published = (
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide.js",
        "pyodide.asm.js",
        "LICENSE-MPL-2.0.txt",
        "LICENSE-PSF.txt",
    )
    for name in (*published, "THIRD-PARTY-NOTICES.txt"):
        assert f"assets/tracksite/pyodide/{name}" in uris
    assert {"assets/tracksite/runnable-worker.js", "assets/tracksite/runner.py"} <= uris
    # the files runnable.js and runnable-sandbox.js fetch by address, published from the widget's home
    entries = {e.src_uri: e.path for e in load(runs).site.entries}
    for name in ("runnable-worker.js", "runnable-frame.js", "runnable-editor.js"):
        assert entries[f"assets/tracksite/{name}"] == W.HOMES / "runnable" / name


#: Each library compiled into pyodide.asm.wasm whose licence asks for its notice beside the binary:
#: a name the binary itself carries (a symbol or a string of the library), and the words the
#: library's section title in THIRD-PARTY-NOTICES.txt must hold.
COMPILED_IN = {
    b"expat_2.": "Expat",
    b"ffi_call": "libffi",
    b"BZ2_bzCompress": "bzip2",
    b"libmpdec": "mpdecimal",
    b"deflate_copyright": "zlib",
    b"lzma_code": "liblzma",
    b"sqlite3_open_v2": "SQLite",
    b"Hacl_": "HACL",
    b"ZSTD_versionString": "Zstandard",
    b"mimalloc": "mimalloc",
    b"emscripten_stack_get_base": "Emscripten",
    b"__errno_location": "musl",
}


def test_every_library_compiled_into_the_interpreter_has_its_notice_beside_it():
    folder = theme.ASSETS / "tracksite" / "pyodide"
    binary = (folder / "pyodide.asm.wasm").read_bytes()
    notices = (folder / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    rule = "#" * 78
    sections = notices.split(rule)[1:]  # title, rule, text, rule, title...
    titles = {sections[i].strip(): sections[i + 1] for i in range(0, len(sections) - 1, 2)}
    for marker, name in COMPILED_IN.items():
        assert marker in binary, f"{name} is no longer in pyodide.asm.wasm: drop its notice"
        found = [(t, x) for t, x in titles.items() if name in t.splitlines()[0]]
        assert found, f"THIRD-PARTY-NOTICES.txt has no section for {name}"
        title, text = found[0]
        assert "Text taken from:" in title  # every text names where it was copied from
        assert "Copyright" in text and any(w in text for w in ("Permission", "Redistribution", "public domain")), name
    assert "THIRD-PARTY-NOTICES.txt" in (folder / "README.txt").read_text(encoding="utf-8")


def test_the_page_keeps_only_the_vendored_interpreter_files_it_names():
    """runnable-sandbox.js keeps Pyodide's files in Cache Storage under the SHA-256 it carries and
    starts no frame from a copy of other bytes (issue 83): its table is the files' and README's."""
    folder = theme.ASSETS / "tracksite" / "pyodide"
    source = (Path(W.__file__).parent / "widgets" / "runnable" / "runnable-sandbox.js").read_text(encoding="utf-8")
    table = dict(re.findall(r'"pyodide/([\w.-]+)": "([0-9a-f]{64})"', source))
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert sorted(table) == sorted(p.name for p in folder.iterdir() if p.suffix in (".js", ".wasm", ".zip", ".json"))
    for name, digest in table.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        assert f"`{digest}`" in readme, name


def test_the_scorm_state_counts_a_checked_exercise_as_a_question(tmp_path):
    soup = render(EXERCISE + "\n" + LOOP, islands=True)
    exercises = coursedata.exercises(coursedata.islands(str(soup))["exercises"])
    assert [len(q.questions) for q in exercises] == [1]  # the exercise; the loop checks nothing
    assert exercises[0].key.startswith("tracksite:runnable:")


def test_a_runnable_predict_block_carries_its_code_for_the_editor():
    root = render(PREDICT).select_one("[data-widget=predict]")
    assert root["data-runnable"] == "true" and "ts-run" in root["class"]  # runnable.js and .css are linked
    assert root.select_one(".ts-predict__source").get_text() == "print(sum(range(4)))"
    plain = render(PREDICT.replace("runnable: true\n", "")).select_one("[data-widget=predict]")
    assert not plain.has_attr("data-runnable") and plain.select_one(".ts-predict__source") is None


def test_the_offline_copy_leaves_the_runnable_blocks_scripts_as_built(tmp_path):
    """Issue 82 (H2): the export rewrote runnable.js's `import(` (of its editor), which broke the
    editor and the worker in the copy served over http; the block's scripts stay as built."""
    from tracksite.commands.export import offline

    folder = tmp_path / "assets/tracksite"
    folder.mkdir(parents=True)
    names = ("runnable.js", "runnable-sandbox.js", "runnable-frame.js", "runnable-worker.js", "runnable-editor.js")
    for name in names:
        (folder / name).write_bytes(W.asset_file(f"tracksite/{name}").read_bytes())
    offline.convert_scripts(tmp_path)
    assert "import(" in (folder / "runnable.js").read_text(encoding="utf-8")
    for name in names:
        assert (folder / name).read_bytes() == W.asset_file(f"tracksite/{name}").read_bytes(), name


def test_the_benchmark_section_is_written_and_kept(tmp_path):
    from tracksite.tools.bench import runnable as bench

    data = {
        "date": "2026-01-01",
        "machine": {"cpu": "cpu", "cores": 2, "load_before": "0.1"},
        "repeat": 2,
        "published": {"files": 10, "raw": 13_600_000, "gzip": 6_300_000},
        "runs": [
            {"first_s": 3.0, "again_s": 0.05, "asked_raw": 13_500_000, "asked_gzip": 6_200_000},
            {"first_s": 4.0, "again_s": 0.07, "asked_raw": 13_500_000, "asked_gzip": 6_200_000},
        ],
        "next": [
            {"seconds": [4.0, 0.5, 0.4], "started": ["fresh", "saved", "saved"]},
            {"seconds": [5.0, 0.7, 0.6], "started": ["fresh", "saved", "saved"]},
        ],
    }
    section = bench.render(data, "tracksite bench --runnable --repeat 2")
    assert "| click on Run to first output (median of 2; fastest, slowest) | 3.50 s (3.00, 4.00) |" in section
    assert (
        "| a second lesson's first Run, a browser profile kept (median of 2; fastest, slowest; "
        "Python started: saved) | 0.60 s (0.50, 0.70) |" in section
    )
    assert "13.6 MB (6.3 MB gzip)" in section
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nold tables\n", encoding="utf-8")
    bench.write_markdown(page, section)
    bench.write_markdown(page, section)  # replaced, not appended twice
    assert page.read_text(encoding="utf-8").count(bench.START) == 1
    kept = bench.keep_section(page, "# Benchmarks\n\nnew tables\n")  # the main benchmark's rewrite
    assert "new tables" in kept and "3.50 s" in kept


def test_the_exercise_pack_gathers_checked_exercises_not_snippets():
    from tracksite.core.site import trackpages

    body = "## Practice\n\n" + EXERCISE + "\nBetween.\n\n" + LOOP
    blocks = trackpages.practice_blocks(body, with_solutions=False)
    assert len(blocks) == 1 and blocks[0].startswith("/// runnable | Gradient step")


def test_the_code_is_kept_by_the_exercises_place_in_its_lesson_and_in_the_pack():
    """Issue 83: the key of the learner's code is the block's place (page and number), the same
    after its starting code is reworded, which `data-start` tells apart; the exercise pack's copy
    keeps its lesson's key."""
    from tracksite.core.site import trackpages

    reworded = EXERCISE.replace("# return the new weight", "# give back the updated weight")
    before, after = (render(text).select_one(".ts-run") for text in (EXERCISE, reworded))
    assert before["data-code-key"] == after["data-code-key"] == code_key("track/lesson", 1)
    assert re.fullmatch(r"tracksite:code:[0-9a-f]{12}", before["data-code-key"])
    assert before["data-start"] != after["data-start"]
    assert before["data-key"] != after["data-key"]  # the pass (the LMS's) is still the content's
    body = "## Practice\n\n" + LOOP + "\nBetween.\n\n" + EXERCISE
    (copy,) = trackpages.practice_blocks(body, with_solutions=False, page_id="track/lesson")
    packed = render(copy).select_one(".ts-run")
    assert packed["data-code-key"] == code_key("track/lesson", 2) != code_key("track/lesson", 1)
    assert packed.select_one(".ts-run__start").text == before.select_one(".ts-run__start").text


def test_the_runner_says_what_a_learner_can_act_on():
    """Issue 70: a name the tests use that the code lacks is an error, not a check that "does not
    hold"; an assert's own message (an f-string's value, not its source); the traceback quotes the
    learner's line; input() and an unavailable import are explained in words."""
    missing, message, line, asked, imported = run_runner(
        [
            {"code": "x = 1", "tests": "assert total == 1"},
            {"code": "x = 1", "tests": "assert x == 2, f'x is {x}'"},
            {"code": "x = 1\nprint(x + y)\n"},
            {"code": "name = input('Name? ')"},
            {"code": "import not_a_module_anywhere"},
        ]
    )
    assert missing["kind"] == "error" and missing["detail"] == "NameError: name 'total' is not defined"
    assert message["kind"] == "assert" and message["message"] == "x is 1"
    assert line == {
        "status": "error",
        "detail": "NameError: name 'y' is not defined",
        "line": 2,
        "codeSource": "print(x + y)",
        "said": "NameError: name 'y' is not defined",
    }
    assert asked["status"] == "error" and "input() cannot ask for text" in asked["detail"]
    assert "Only Python's standard library is available here (math, random" in imported["detail"]
    # the run's stderr (what the page shows) was set aside by main(); run one in this process
    import importlib.util

    spec = importlib.util.spec_from_file_location("tracksite_runner", RUNNER)
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    err, sys.stderr = sys.stderr, __import__("io").StringIO()
    try:
        runner.run("x = 1\nprint(x + y)\n")
        runner.run("input()")
        shown = sys.stderr.getvalue()
    finally:
        sys.stderr = err
    assert 'File "<code>", line 2, in <module>\n    print(x + y)' in shown
    assert "runner.py" not in shown  # its own frame (input() refused) is not the learner's


def test_the_exercise_pack_carries_each_exercises_task():
    """Issue 70: a runnable exercise's task is the paragraph that leads into it; the pack copies
    it with the block (and nothing when a heading or another block stands above)."""
    from tracksite.core.site import trackpages

    task = "Fill in `step` so that it moves\nagainst the gradient."
    body = (
        "## Practice\n\n"
        + task
        + "\n\n"
        + EXERCISE
        + "\n```python\nx = 1\n```\n\n"
        + EXERCISE.replace("Gradient", "Again")
    )
    blocks = trackpages.practice_blocks(body, with_solutions=False)
    assert len(blocks) == 2
    assert blocks[0].startswith(task + "\n\n/// runnable | Gradient step")
    assert blocks[1].startswith("/// runnable | Again step")  # code above it, not a task
