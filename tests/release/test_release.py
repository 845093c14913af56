"""Releasing tracksite (issue 40): `.github/workflows/release.yml` builds the sdist and the wheel on
a tag, checks them with `twine check --strict`, tries the wheel in a clean environment and
publishes with trusted publishing. Here the workflow passes actionlint and has that shape, and
the build and the check it runs pass on this tree (built from a copy, once a test run: its wheel
and the environment its last step installs it in are the ones tests/release/test_package.py tries)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from support.course import REPO
from support.release import RELEASE, actionlint, release_job, release_workflow, step_failed


@pytest.fixture(scope="module")
def release() -> dict:
    return release_workflow()


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
def test_the_build_job_runs_to_the_end_as_written(release, tmp_path_factory):
    """Issue 54: the release had never run to the end (its smoke step's `sed` missed the starter's
    `status: draft   # ...` line, so `test -f site/basics/index.html` failed and `publish` never
    ran). Every `run:` step of the build job, in order, as Actions runs it (`bash -e`, the
    workflow's, job's and step's env, the tag of this version), in a copy of the tree with the
    changelog's section named as the release checklist says, with a `python` that has nothing but
    what the steps install (test_package.py's `_release_job`, run once a test run: its wheel is
    the one tests/release/test_package.py tries). Then what it built is what the index must get."""
    folder, steps = release_job(tmp_path_factory)
    assert all(step["returncode"] == 0 for step in steps), step_failed(steps)
    assert not any(step["banner"] for step in steps)  # the workflow silences Material's banner
    ran = [step["name"] for step in steps]
    assert len(ran) == 5 and ran[-1].startswith("Install the wheel"), ran
    assert ran == [s["name"] for s in release["jobs"]["build"]["steps"] if "run" in s]
    source, runner_temp = folder / "src", folder / "runner"
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
