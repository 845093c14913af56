"""tracksite's own scripts are published without their comments and spare whitespace
(core/site/scripts.py, issue 83: a runnable lesson's first visit within 90 kB of assets), each
one the same program: a real JavaScript parser (espree, ESLint's, in tests/.npm) reads the
source and the published text to the same tree."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest

from support import harness
from support.course import REPO, make_course, write
from support.sites import IN_CI
from tracksite import theme as theme_files
from tracksite.core import widgetregistry as W
from tracksite.core.site import scripts

ESPREE = REPO / "tests/.npm/node_modules/espree"
# each pair's two texts parsed (as a module where the source has import/export statements) and
# their trees compared without positions and raw spellings; prints one verdict a pair
_COMPARE = r"""
import { createRequire } from "module";
const espree = createRequire(process.argv[1] + "/")("espree");
const drop = new Set(["start", "end", "range", "loc", "raw"]);
const tree = (text, sourceType) => JSON.stringify(espree.parse(text, { ecmaVersion: "latest", sourceType }),
  (key, value) => (drop.has(key) ? undefined : value));
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const verdicts = JSON.parse(input).map(([a, b]) => {
    const type = /^\s*(import|export)\b(?!\s*\()/m.test(a) ? "module" : "script";
    try { return tree(a, type) === tree(b, type) ? "same" : "different"; } catch (e) { return "error: " + e.message; }
  });
  process.stdout.write(JSON.stringify(verdicts));
});
"""


def same_programs(pairs: list[tuple[str, str]]) -> list[str]:
    if shutil.which("node") is None or not ESPREE.is_dir():
        if IN_CI:
            pytest.fail("espree is not installed; .ci/run installs ESLint (and its parser) into tests/.npm")
        pytest.skip("espree is not installed (npm install --prefix tests/.npm eslint@9)")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", _COMPARE, str(ESPREE.parent)],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def package_scripts() -> list:
    return [(uri, path) for uri, path in [*theme_files.asset_files(), *W.home_asset_files()] if scripts.minified(uri)]


def test_every_published_script_is_the_same_program_without_its_comments():
    found = package_scripts()
    names = {uri.rsplit("/", 1)[1] for uri, _ in found}
    # what every page links and the widgets' own; not Python's side, loaded on intent as vendored or fetched
    assert {"widgets.js", "learner.js", "progress.js", "search.js", "quiz.js", "attention.js", "intent.js"} <= names
    assert not names & {"runnable-worker.js", "runnable-frame.js", "runnable-editor.js", "pyodide.js", "codemirror.js"}
    pairs = [
        (path.read_text(encoding="utf-8"), scripts.published(path.read_text(encoding="utf-8"))) for _, path in found
    ]
    assert same_programs(pairs) == ["same"] * len(pairs), [uri for uri, _ in found]
    for (uri, _), (source, out) in zip(found, pairs, strict=True):
        if scripts.published(source) is source:
            assert uri.endswith("search-ui.js"), uri  # a module: as written (the offline copy reads its lines)
            continue
        assert "/*" in source and "/*" not in out and "\n  " not in out, uri
        assert len(gzip.compress(out.encode(), 9)) < len(gzip.compress(source.encode(), 9)), uri


def test_the_comparison_sees_a_changed_program():
    """The check above can fail: a line break that ends a statement, taken away, is another program."""
    assert same_programs([("function f() { return\n1; }\n", "function f(){return 1;}\n")]) == ["different"]
    assert same_programs([("/* x */ let a = `//${b}`;\n", scripts.published("/* x */ let a = `//${b}`;\n"))]) == [
        "same"
    ]


def test_a_module_is_published_as_written():
    module = "/* why */\nimport { a } from './a.js';\nexport const b = a;\n"
    assert scripts.published(module) == module
    classic = "/* why */\n(() => {\n  const ui = './ui.js';\n  import(ui);\n})();\n"
    assert scripts.published(classic) == "(()=>{const ui='./ui.js';import(ui);})();\n"


def test_a_site_publishes_the_package_scripts_minified_and_the_course_own_as_written(tmp_path):
    root = make_course(tmp_path / "course")
    own = "/* the course's own note */\nwindow.mine = 1;\n"
    write(root, "docs/assets/tracksite/progress.js", own)  # a course's file at that address wins
    site = harness.build(root)
    served = (site / "assets/tracksite/widgets.js").read_text(encoding="utf-8")
    source = (theme_files.ASSETS / "tracksite/widgets.js").read_text(encoding="utf-8")
    assert served == scripts.published(source) and "/*" not in served and len(served) < 0.7 * len(source)
    assert (site / "assets/tracksite/progress.js").read_text(encoding="utf-8") == own
    ui = (theme_files.ASSETS / "tracksite/search-ui.js").read_text(encoding="utf-8")
    assert (site / "assets/tracksite/search-ui.js").read_text(encoding="utf-8") == ui
