"""Releasing tracksite (issue 40): `.github/workflows/release.yml` builds the sdist and the wheel on
a tag, checks them with `twine check --strict`, tries the wheel in a clean environment and
publishes with trusted publishing. Here the workflow passes actionlint and has that shape, and
the build and the check it runs pass on this tree (built from a copy, offline, as
tests/test_package.py builds the wheel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from course import REPO
from test_package import _source_copy, _step_env
from test_workflow import actionlint

RELEASE = REPO / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def release() -> dict:
    data = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_actionlint_passes_on_the_release_workflow():
    result = actionlint(RELEASE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_runs_on_a_version_tag_and_publishes_after_the_checks(release):
    assert release["on"] == {"push": {"tags": ["v*"]}}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    runs = [s.get("run", "") for s in build["steps"]]
    order = [
        next(i for i, r in enumerate(runs) if needle in r)
        for needle in ('test "$TAG" = "v$version"', "python -m build", "twine check --strict dist/*", "tracksite init")
    ]
    assert order == sorted(order)
    smoke = runs[order[-1]]
    assert "python -m venv" in smoke and "pip install dist/*.whl" in smoke
    assert "tracksite check --strict" in smoke and "mkdocs build --strict" in smoke
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"]
    assert [s["uses"].split("@")[0] for s in publish["steps"]][-1] == "pypa/gh-action-pypi-publish"
    assert release["permissions"] == {"contents": "read"}  # the token is only the publish job's


def test_the_version_step_reads_the_package_version(release, tmp_path):
    """The tag must name the package's version, and CHANGELOG.md must have that version's section
    (the [Unreleased] notes renamed before tagging)."""
    step = next(s for s in release["jobs"]["build"]["steps"] if s.get("name", "").startswith("The tag"))
    from tracksite import __version__

    (tmp_path / "scripts/tracksite").mkdir(parents=True)
    shutil.copy(REPO / "scripts/tracksite/__init__.py", tmp_path / "scripts/tracksite/__init__.py")
    cases = (
        (f"v{__version__}", f"## [{__version__}] - 2026-12-01", True),
        ("v0.0.0-not-this", f"## [{__version__}] - 2026-12-01", False),
        (f"v{__version__}", "## [Unreleased]", False),
    )
    for tag, section, ok in cases:
        (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n{section}\n\n- a change\n", encoding="utf-8")
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=tmp_path,
            env={"TAG": tag, "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (result.returncode == 0) is ok, (tag, section, result.stdout + result.stderr)


@pytest.mark.slow
def test_the_build_job_runs_to_the_end_as_written(release, tmp_path):
    """Issue 54: the release had never run to the end (its smoke step's `sed` missed the starter's
    `status: draft   # ...` line, so `test -f site/basics/index.html` failed and `publish` never
    ran). Every `run:` step of the build job, in order, as Actions runs it (`bash -e`, the
    workflow's, job's and step's env, the tag of this version), in a copy of the tree with the
    changelog's section named as the release checklist says, with a `python` that has nothing but
    what the steps install. Then what it built is what the index must get."""
    from tracksite import __version__

    source = _source_copy(tmp_path / "src")
    changelog = source / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{__version__}] - 2026-12-01", 1),
        encoding="utf-8",
    )
    clean = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(clean)], check=True, timeout=300)
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "NO_MKDOCS_2_WARNING")}
    base.update(PATH=f"{clean / 'bin'}{os.pathsep}{base.get('PATH', '')}", RUNNER_TEMP=str(runner_temp))
    job = release["jobs"]["build"]
    ran = []
    for step in job["steps"]:
        if "run" not in step:
            continue
        env = {**base, **_step_env(release, job, step, expressions={"${{ github.ref_name }}": f"v{__version__}"})}
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=source, env=env, capture_output=True, text=True, timeout=1500
        )
        assert result.returncode == 0, f"{step.get('name')}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        assert "MkDocs 2.0" not in result.stderr  # the workflow silences Material's banner
        ran.append(step["name"])
    assert len(ran) == 5 and ran[-1].startswith("Install the wheel"), ran
    smoke = runner_temp / "smoke"
    assert (smoke / "site/basics/index.html").is_file()
    assert not list(smoke.rglob("lesson.md"))[0].read_text(encoding="utf-8").count("status: draft")
    out = source / "dist"
    sdist, wheel = next(out.glob("tracksite-*.tar.gz")), next(out.glob("tracksite-*.whl"))
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "MANIFEST.in"} <= names
    assert "scripts/tracksite/theme/starter/publish.yml" in names
    # no half of the tests: MANIFEST.in says why they stay in the repository
    assert not any(n.startswith("tests/") for n in names)
    listed = set(zipfile.ZipFile(wheel).namelist())
    assert "tracksite/__main__.py" in listed and "tracksite/theme/templates/404.html" in listed
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in listed)
