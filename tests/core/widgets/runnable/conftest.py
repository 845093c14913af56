"""Fixtures of the runnable widget's browser tests (beside those of tests/conftest.py): one small
course with a code exercise, built once a module and served."""

from __future__ import annotations

import pytest

from support.runnable import runnable_course
from support.sites import run_mkdocs


@pytest.fixture(scope="module")
def runnable_site(tmp_path_factory):
    root = runnable_course(tmp_path_factory.mktemp("runnable") / "course")
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


@pytest.fixture(scope="module")
def runnable_url(runnable_site, serve_site) -> str:
    return serve_site(runnable_site)
