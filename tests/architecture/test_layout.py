"""Issue 12: the folders show the architecture, and the imports keep to it.

- `core/` is engine-free: no module in it imports MkDocs or Material. pymdown-extensions'
  Blocks API is a Python-Markdown extension, not the engine: the widgets' blocks (core/widgets/)
  build on it, and only their shared base (core/widgets/common.py) imports it.
- `commands/` and `tools/` never import the engine themselves (building goes through `adapter/`).
- Building a site never imports `tracksite.tools` (benchmark, page weight, MiniLM): checked on the
  session's `mkdocs build` of the bundled course, a process of its own (its import log).
- One exception type for mistakes a user can fix, with the exit codes the README documents.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support import package_source
from support.course import REPO, make_course

PACKAGE = REPO / "scripts" / "tracksite"
ENGINE = ("mkdocs", "pymdownx", "material")


def imported_modules(path: Path) -> set[str]:
    out = set()
    for node in package_source.nodes(path):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


#: The one module of core that may import pymdown-extensions, and why (issue 75).
CORE_PYMDOWNX = {"core/widgets/common.py": "the widgets' blocks subclass pymdownx's Blocks API `Block`"}


def test_core_commands_and_tools_never_import_the_engine():
    offenders = []
    for folder in ("core", "commands", "tools"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            rel = path.relative_to(PACKAGE).as_posix()
            for module in imported_modules(path):
                if module.split(".")[0] in ENGINE and not (module.startswith("pymdownx.") and rel in CORE_PYMDOWNX):
                    offenders.append(f"{path.relative_to(REPO)} imports {module}")
    assert not offenders, offenders
    assert all((PACKAGE / rel).is_file() for rel in CORE_PYMDOWNX)
    assert any(m.split(".")[0] in ENGINE for p in (PACKAGE / "adapter").rglob("*.py") for m in imported_modules(p))


def test_core_never_imports_adapter_commands_or_tools():
    offenders = [
        f"{p.relative_to(REPO)} imports {m}"
        for p in sorted((PACKAGE / "core").rglob("*.py"))
        for m in imported_modules(p)
        if m.startswith(("tracksite.adapter", "tracksite.commands", "tracksite.tools"))
    ]
    assert not offenders, offenders


def test_building_never_imports_the_tools(built_site):
    """The session's build of the bundled course (every widget, helper processes as a user's
    machine builds it) keeps the interpreter's log of every module its processes imported
    (tests/conftest.py): read here rather than building the course again (a minute of processor
    time)."""
    loaded = (built_site.parent / "imported.txt").read_text(encoding="utf-8").split()
    assert "tracksite.adapter.plugin" in loaded and "tracksite.core.loader" in loaded  # the log saw the build
    assert not [m for m in loaded if m.startswith("tracksite.tools")], loaded
    assert (built_site / "index.html").is_file()


CLI_PROBE = """
import sys
from tracksite.commands import cli
parser = cli.build_parser(sys.argv[1:])
print(" ".join(m for m in cli.COMMAND_MODULES if m in sys.modules))
print(" ".join(parser._subparsers._group_actions[0].choices))
"""


@pytest.mark.parametrize(
    "argv, imported",
    [
        (["check", "--strict"], []),  # check and build are the command line's own
        (["--root", "x", "build"], []),
        (["new", "lesson", "t/l"], ["tracksite.commands.scaffold"]),
        (["--help"], None),  # every command listed
        ([], None),
        (["no-such-command"], None),  # argparse's error lists every command
    ],
)
def test_a_command_imports_only_the_modules_up_to_its_own(argv, imported):
    """The command line starts in the time its command needs: the modules of the other commands
    (PDF, export, import, the benchmark...) are not imported to run `tracksite check`."""
    from tracksite.commands import cli

    run = subprocess.run(
        [sys.executable, "-c", CLI_PROBE, *argv], capture_output=True, text=True, timeout=120, check=True
    )
    modules, commands = (line.split() for line in run.stdout.splitlines())
    if imported is None:
        assert modules == list(cli.COMMAND_MODULES)
        assert {"check", "build", "new", "rename", "pdf", "export", "import", "bench"} <= set(commands)
    else:
        assert modules == imported
        assert argv[argv.index("--root") + 2 if "--root" in argv else 0] in commands


CHECK_PROBE = """
import sys
from tracksite.commands import cli
code = cli.main(["check"])
print("checked", code, "snowballstemmer" in sys.modules)
from tracksite.search import words
print("stemmed", words.root("encoding"), "snowballstemmer" in sys.modules)
"""


def test_a_check_loads_no_stemmer(tmp_path):
    """`tracksite check` indexes no page: Snowball's stemmers (the package loads all its
    languages', 17 to 24 ms of processor time) are imported at the first word a build's index stems
    (search/words.py), which the probe then stems to show it would have seen them."""
    course = make_course(tmp_path / "course")
    run = subprocess.run([sys.executable, "-c", CHECK_PROBE], cwd=course, capture_output=True, text=True, timeout=120)
    lines = [line for line in run.stdout.splitlines() if line.startswith(("checked", "stemmed"))]
    assert lines == ["checked 0 False", "stemmed encod True"], run.stdout + run.stderr


def test_one_user_error_type_with_documented_exit_codes(tmp_path):
    # Issue 30: one exception for what the user can fix, UserError; every other exception class
    # of the package derives from it (a problem at a line of a file is its SourceProblem), except
    # trackfile's _Unsupported, which never leaves the track.yml editor (it picks the fallback).
    builtin = {"Exception", "BaseException", "ValueError", "RuntimeError", "OSError", "TypeError", "KeyError"}
    classes = [
        f"{p.relative_to(REPO)}: {n.name}"
        for p in sorted(PACKAGE.rglob("*.py"))
        for n in package_source.nodes(p)
        if isinstance(n, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in builtin for b in n.bases)
    ]
    assert sorted(c.split(": ")[1] for c in classes) == ["UserError", "_Unsupported"], classes
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ("`0`", "`1`", "`2`", "`70`", "`130`"):
        assert code in readme

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tracksite.commands.cli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    not_a_project = run("check")
    assert not_a_project.returncode == 2 and "Traceback" not in not_a_project.stderr
    assert not_a_project.stderr.startswith("tracksite check: error: ")
    refused = run("--root", str(REPO), "new", "lesson", "no-such-track", "x", "--title", "X")
    assert refused.returncode == 1 and refused.stderr.startswith("tracksite new lesson: error: no track")


def test_modules_and_functions_stay_small():
    """The code rules: modules under about 500 lines, functions under about 60, so each reads
    in one sitting (measured by `python -m tracksite.tools.sizes`, which lists the offenders)."""
    from tracksite.tools.sizes import measure

    assert measure(PACKAGE) == ([], [])


def test_scripts_and_stylesheets_stay_small():
    """The same rule for the site's own scripts and stylesheets: a few small files, one per
    concern, none over about 500 lines."""
    assets = REPO / "scripts" / "tracksite" / "theme" / "assets" / "tracksite"
    homes = REPO / "scripts" / "tracksite" / "core" / "widgets"  # a widget's own, in its home
    files = [*assets.glob("*.[cj]s*"), *homes.glob("*/*.[cj]s")]
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in sorted(files)}
    assert {"widgets.js", "attention.js", "progress.js", "learner.js", "search.js"} <= set(sizes)
    assert not {name: n for name, n in sizes.items() if n > 500}, sizes


def polled_expressions(tests: Path) -> list[str]:
    """Every `wait_for_function` in the browser tests whose first argument is an expression
    rather than a function, as "file:line"."""
    arrow = re.compile(r"\s*(async\s+)?(\w+|\([^)]*\))\s*=>")
    out = []
    for path in sorted(tests.rglob("*.py")):
        for node in package_source.nodes(path):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "wait_for_function"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and not arrow.match(node.args[0].value)
            ):
                out.append(f"{path.relative_to(tests)}:{node.lineno}")
    return out


def test_browser_tests_poll_with_functions(tmp_path):
    """Playwright polls a bare expression with `eval` inside the page, which our pages' CSP
    refuses (no 'unsafe-eval'); it only works when the first try is already true, so such a
    wait passes on a fast machine and fails under load. A function is compiled outside the page."""
    assert polled_expressions(REPO / "tests" / "browser") == []
    bad = tmp_path / "test_bad.py"
    bad.write_text('page.wait_for_function("document.title")\npage.wait_for_function("() => 1")\n')
    assert polled_expressions(tmp_path) == ["test_bad.py:1"]
