"""tracksite as a wheel's user meets it (issue 40): `--version`, `python -m tracksite`, a missing
optional extra named as a wheel's user installs it and refused before any work, and no banner of
Material's about MkDocs 2.0 in tracksite's own output."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.course import make_course
from tracksite import __version__

ENV = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}


def python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, timeout=300, env=ENV
    )


def test_version_and_python_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tracksite", "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.strip() == f"tracksite {__version__}"


def without(module: str, *args: str) -> str:
    """tracksite's command line in a Python where `module` cannot be imported."""
    return f"""
        import sys
        sys.modules[{module!r}] = None  # as if the extra were not installed
        from tracksite.commands.cli import main
        sys.exit(main({list(args)!r}))
    """


def test_pdf_without_its_extra_exits_2_before_building(tmp_path):
    root = make_course(tmp_path / "course")
    result = python(without("playwright", "pdf"), root)
    assert result.returncode == 2, result.stderr
    assert 'pip install "tracksite[pdf]"' in result.stderr and "Traceback" not in result.stderr
    assert "building" not in result.stderr and not (root / "site").exists()  # no work was done


def test_lsp_without_its_extra_names_the_wheels_extra(tmp_path):
    result = python(without("pygls", "lsp"), tmp_path)
    assert result.returncode == 2
    assert 'pip install "tracksite[lsp]"' in result.stderr and '-e ".[' not in result.stderr


@pytest.mark.parametrize("command", ["lsp", "attention", "pdf", "linkcheck"])
def test_help_names_extras_as_a_wheels_user_installs_them(command, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tracksite", command, "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert '-e ".[' not in result.stdout  # only true in a checkout of tracksite


def test_no_banner_about_mkdocs_2_from_tracksites_commands(tmp_path):
    """Material prints its banner when it takes the process for MkDocs (by its program name):
    tracksite sets NO_MKDOCS_2_WARNING before MkDocs or Material is imported, for its own
    commands and the processes they start."""
    root = make_course(tmp_path / "course")
    code = """
        import sys
        sys.argv[0] = "mkdocs"  # Material's test for "this is MkDocs"
        from tracksite.commands.cli import main
        sys.exit(main(["build", "--site-dir", "../site"]))
    """
    result = python(code, root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "MkDocs 2.0" not in result.stderr + result.stdout


def test_one_story_for_where_tracksite_lives(tmp_path):
    """README, init's next steps and the editor tasks name the same environment: `.venv` in the
    course folder (the issue found three: ~/my-course-env, .venv, and the tasks' .venv)."""
    import json

    from support.course import REPO
    from tracksite import theme as theme_files
    from tracksite.commands import init, pinning

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme[readme.index("Start a course of your own") :]
    block = start[start.index("```sh") : start.index("```", start.index("```sh") + 5)]
    assert "python3 -m venv .venv" in block and ".venv/bin/tracksite init" in block
    assert "my-course-env" not in readme
    steps = init.next_steps("c", tmp_path / "c", "C", pinning.Pin("tracksite==1", "pinned"))
    assert "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt" in steps
    assert ".venv/bin/tracksite new track" in steps and ".venv/bin/mkdocs serve" in steps
    tasks = json.loads((theme_files.STARTER / "vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert {t["command"] for t in tasks} == {"${workspaceFolder}/.venv/bin/tracksite"}


def test_init_says_to_set_up_pages_before_the_first_push_on_main(tmp_path):
    """Issue 54: pushing first and enabling Pages after made the workflow's `configure-pages` fail
    on the first run, and a plain `git init` may make `master` while the workflow publishes from
    `main`. The advice names Pages' source first, then a `main` branch, the branch the workflow
    publishes from."""
    import yaml

    from tracksite import theme as theme_files
    from tracksite.commands import init, pinning

    steps = init.next_steps("c", tmp_path / "c", "C", pinning.Pin("tracksite==1", "pinned")).splitlines()
    pages = next(i for i, line in enumerate(steps) if "Settings > Pages" in line and "GitHub Actions" in line)
    branch = next(i for i, line in enumerate(steps) if "git init -b main" in line)
    push = next(i for i, line in enumerate(steps) if "git push -u origin main" in line)
    assert pages < branch < push
    workflow = yaml.safe_load((theme_files.STARTER / "publish.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
