"""Releasing tracksite (issue 40): `.github/workflows/release.yml` builds the sdist and the wheel on
a tag, checks them with `twine check --strict`, tries the wheel in a clean environment and
publishes with trusted publishing. Here the workflow passes actionlint and has that shape, and
the build and the check it runs pass on this tree (built from a copy, offline, as
tests/test_package.py builds the wheel)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from course import REPO
from test_package import _source_copy
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


def test_build_and_twine_check_strict_pass(tmp_path):
    source = _source_copy(tmp_path / "src")
    out = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "-o", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    sdist, wheel = next(out.glob("tracksite-*.tar.gz")), next(out.glob("tracksite-*.whl"))
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "MANIFEST.in"} <= names
    assert "scripts/tracksite/theme/starter/publish.yml" in names
    # no half of the tests: MANIFEST.in says why they stay in the repository
    assert not any(n.startswith("tests/") for n in names)
    listed = set(zipfile.ZipFile(wheel).namelist())
    assert "tracksite/__main__.py" in listed and "tracksite/theme/templates/404.html" in listed
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in listed)
