"""Issue 75: tracksite's own JavaScript is checked. ESLint (tests/js/eslint.config.mjs; .ci/run
installs it into tests/.npm) reads the theme's and the exports' scripts and the search engine for
mistakes (a name never defined, or defined and never used, a browser global used for a
variable, eval); the widgets' logic that needs no browser has unit tests in tests/js/ (storage
keys, the course's namespace, the offline copy's fetch), which `node --test tests/js` runs with
the search engine's (tests/search/test_search_engine_js.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support.course import REPO
from support.sites import IN_CI

ESLINT = REPO / "tests/.npm/node_modules/.bin/eslint"
CONFIG = REPO / "tests/js/eslint.config.mjs"
CHECKED = [
    "scripts/tracksite/theme/assets/tracksite",
    "scripts/tracksite/core/widgets",  # a widget's own script, in its home
    "scripts/tracksite/theme/export",
    "scripts/tracksite/search",
    "scripts/tracksite/adapter/serve",
    "tests/js",
]


def _eslint() -> str:
    if shutil.which("node") is None or not ESLINT.is_file():
        if IN_CI:
            pytest.fail("ESLint is not installed; .ci/run installs it into tests/.npm")
        pytest.skip("ESLint is not installed (npm install --prefix tests/.npm eslint@9 globals@16)")
    return str(ESLINT)


def _lint(*args: str, text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_eslint(), "-c", str(CONFIG), "--max-warnings", "0", *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def test_the_javascript_has_no_lint():
    result = _lint(*CHECKED)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    "source, rule",
    [
        ("(() => { window.tracksite.save(kye, {}); })();\n", "no-undef"),
        ("(() => { const unused = 1; })();\n", "no-unused-vars"),
        ("(() => { if (name) console.log(1); })();\n", "no-restricted-globals"),
        ("(() => { eval('1'); })();\n", "no-eval"),
    ],
)
def test_the_linter_reads_the_widgets_scripts_as_the_browser_runs_them(source, rule):
    """A mistake in a widget's script is reported (the configuration covers the theme's assets)."""
    result = _lint("--stdin", "--stdin-filename", "scripts/tracksite/theme/assets/tracksite/new-widget.js", text=source)
    assert result.returncode == 1, result.stdout
    assert rule in result.stdout


def test_the_vendored_bundles_are_not_ours_to_lint():
    result = _lint(
        "--stdin",
        "--stdin-filename",
        "scripts/tracksite/theme/assets/tracksite/codemirror/new.js",
        text="var a = b;\n",
    )
    assert "File ignored because of a matching ignore pattern" in result.stdout
    assert "no-undef" not in result.stdout
