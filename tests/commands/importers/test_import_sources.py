"""Issue 75: the importer's seam is real. A second source, written here in a few dozen lines (a
folder of plain Markdown files, one episode each), goes through `tracksite import` end to end:
the pipeline plans, writes, checks, builds strictly and compares what each built page shows with
the source, exactly as for a Carpentries lesson, and nothing of the pipeline names the format.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers import sources
from tracksite.commands.importers.command import register
from tracksite.commands.importers.pipeline import confine, counting, courseconfig, flow, update
from tracksite.commands.importers.pipeline.plan import Plan, Planned
from tracksite.commands.importers.pipeline.source import Execution
from tracksite.errors import UserError

REPO = Path(__file__).resolve().parents[3]
IMPORTERS = REPO / "scripts" / "tracksite" / "commands" / "importers"
TITLE = re.compile(r"^#\s+(.+?)\s*$", re.M)


class Folder:
    """The toy lesson as read: its folder, a title, the episodes in order (the pipeline's `Lesson`)."""

    def __init__(self, root: Path, title: str, episodes: list[Path]) -> None:
        self.root, self.title, self.episodes = root, title, episodes


class MarkdownFolder:
    """A lesson that is a folder of `NN-name.md` files, each opening with its `# Title`."""

    name = "markdown"
    label = "a folder of Markdown files"
    execution: Execution | None = None  # plain Markdown holds no code that makes output

    def __init__(self, lose_tables: bool = False) -> None:
        self.lose_tables = lose_tables  # a converter with a bug, for the comparison to catch

    def detect(self, folder: Path) -> bool:
        return not (folder / "config.yaml").exists() and any(folder.glob("*.md"))

    def read(self, folder: Path) -> Folder:
        episodes = sorted(p for p in folder.glob("*.md") if confine.inside(folder, p))
        if not episodes:
            raise UserError(f"{folder} holds no Markdown file")
        return Folder(folder, folder.name.replace("-", " ").capitalize(), episodes)

    def prepare(self, lesson: Folder, work: Path, *, execute: bool, allow_errors: bool) -> None:
        return None  # plain Markdown runs nothing

    def _body(self, path: Path) -> tuple[str, str]:
        text = confine.read(path.parent, path)
        found = TITLE.search(text)
        title = found[1] if found else path.stem
        return title, (text[found.end() :] if found else text).strip() + "\n"

    def plan(self, lesson: Folder, track: str, number: int, defined: dict[str, str] | None) -> Plan:
        plan = Plan()
        slugs = [re.sub(r"^\d+-", "", p.stem) for p in lesson.episodes]
        for path, slug in zip(lesson.episodes, slugs, strict=True):
            title, body = self._body(path)
            if self.lose_tables:
                body = "\n".join(line for line in body.splitlines() if not line.startswith("|")) + "\n"
            front = {
                "title": title,
                "summary": f"The episode {title} of the toy lesson.",
                "objectives": [f"read the episode {title}"],
                "time": {"read": 2},
                "math": "none",
            }
            lesson_md, rel = f"lessons/{track}/{slug}/lesson.md", path.relative_to(lesson.root).as_posix()
            plan.files[lesson_md] = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + body
            plan.files[f"lessons/{track}/{slug}/overview.md"] = f"## What you learn\n\n{title}, in a few words.\n"
            plan.files[f"cheatsheets/{track}/{slug}.md"] = f"## Summary\n\n{title}, in a few words.\n"
            plan.sources[rel] = lesson_md
            # the page's header shows the objective the lesson needs: a change, listed with its count
            plan.notes.append(f"{rel}:1: the episode states no objectives; the lesson's one objective says so")
            plan.changes.setdefault(rel, Counter())["objectives"] += 1
        track_yml = {
            "number": number,
            "title": lesson.title,
            "summary": f"The toy lesson {lesson.title}, imported.",
            "phases": [{"title": "Episodes", "lessons": slugs}],
            "expects": [],
            "imported": {"source": lesson.root.name, "broken_links": "warning"},
        }
        plan.files[f"lessons/{track}/track.yml"] = yaml.safe_dump(track_yml, sort_keys=False)
        return plan

    def count(self, planned: Planned) -> dict[str, Counter]:
        return {
            path.relative_to(planned.src.root).as_posix(): counting.count_source(self._body(path)[1])
            for path in planned.src.episodes
        }

    def version(self, folder: Path) -> dict[str, str]:
        return {}

    def settings(self, root: Path, plan: Plan) -> list[str]:
        return courseconfig.ensure(root, instructor_view=False, extensions=[])


EPISODES = {
    "01-first-steps.md": "# First steps\n\nA paragraph for learners, with [a link](https://example.org/).\n\n"
    "## Trying it\n\n```python\nprint('hello')\n```\n\n| tool | use |\n|------|-----|\n| git | history |\n",
    "02-next-steps.md": "# Next steps\n\nAnother paragraph of the toy lesson.\n\n## More\n\n"
    "```bash\nls -l\n```\n\nA second paragraph with [another link](https://example.org/more).\n",
}


@pytest.fixture
def toy(course, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """The fixture course and a toy lesson; the toy source registered as `markdown`, as its entry
    in sources.py would register it."""
    monkeypatch.setitem(sources.SOURCES, "markdown", MarkdownFolder())
    lesson = tmp_path / "toy-lesson"
    lesson.mkdir()
    for name, text in EPISODES.items():
        (lesson / name).write_text(text, encoding="utf-8")
    return course, lesson


@pytest.mark.slow
def test_a_second_source_goes_through_the_pipeline_and_builds(toy, tmp_path, monkeypatch, capsys):
    course, lesson = toy
    report = tmp_path / "report.json"
    args = ["--root", str(course), "import", "markdown", str(lesson), "--track", "toy", "--report", str(report)]
    assert main(args) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "tracksite check: the imported track has no errors" in out
    assert "verified: the built learner pages of 2 episodes show what their sources hold" in out
    data = json.loads(report.read_text())
    first = next(e for e in data["episodes"] if e["source"] == "01-first-steps.md")
    assert first["lesson"] == "lessons/toy/first-steps/lesson.md"
    assert first["source_counts"]["tables"] == 1 and first["source_counts"]["code_blocks"] == 1
    assert first["listed_changes"] == {"objectives": 1} and not first["differences"]
    assert first["page_counts"] == {**first["source_counts"], "objectives": 1}
    record = json.loads((course / "lessons/toy/.import/record.json").read_text())
    assert record["format"] == "markdown"
    other = type("Other", (MarkdownFolder,), {"name": "other", "label": "another folder of Markdown"})()
    monkeypatch.setitem(sources.SOURCES, "other", other)
    assert main(["--root", str(course), "import", "other", str(lesson), "--track", "toy", "--update"]) == 2
    assert "was imported from a markdown lesson" in capsys.readouterr().err
    run = harness.mkdocs(course, "-d", str(tmp_path / "site"))
    assert run.returncode == 0, run.stderr[-3000:]
    page = BeautifulSoup((tmp_path / "site/toy/first-steps/index.html").read_text(), "lxml")
    assert page.find("h1").get_text(strip=True).startswith("First steps")
    assert [td.get_text() for td in page.select("table td")] == ["git", "history"]
    assert page.select_one('a[href="https://example.org/"]') is not None


@pytest.mark.slow
def test_the_pipeline_catches_what_a_new_source_loses(toy, monkeypatch, capsys):
    """The comparison is the pipeline's: a source whose converter drops tables fails the import,
    named at the episode, though the source's own code never looks at the built page."""
    course, lesson = toy
    monkeypatch.setitem(sources.SOURCES, "markdown", MarkdownFolder(lose_tables=True))
    assert main(["--root", str(course), "import", "markdown", str(lesson), "--track", "toy"]) == 1
    err = capsys.readouterr().err
    assert (
        "01-first-steps.md:9: tables: 1 in the source, 0 on the built learner page (in the source only: line 9" in err
    )


def test_the_wrong_format_names_the_right_one(toy, tmp_path, capsys):
    course, lesson = toy
    assert main(["--root", str(course), "import", "carpentries", str(lesson), "--track", "toy"]) == 2
    err = capsys.readouterr().err
    assert "looks like a folder of Markdown files: `tracksite import markdown" in err
    assert not (course / "lessons" / "toy").exists()


def test_every_registered_source_is_a_folder_beside_the_pipeline():
    """One folder and one entry: each source's class lives in its own folder of importers/."""
    for name, source in sources.SOURCES.items():
        module = type(source).__module__.split(".")
        assert module[:3] == ["tracksite", "commands", "importers"] and len(module) == 5, name
        assert (IMPORTERS / module[3]).is_dir() and module[3] != "pipeline", name


def test_the_pipeline_never_imports_a_source():
    """The pipeline is handed its source; it never names one (an import inside a function or for
    the type checker counts too)."""
    folders = {p.name for p in IMPORTERS.iterdir() if p.is_dir() and p.name not in ("pipeline", "__pycache__")}
    assert "carpentries" in folders
    found = []
    for path in sorted((IMPORTERS / "pipeline").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                parts = name.split(".")
                if parts[:3] == ["tracksite", "commands", "importers"] and (
                    len(parts) == 3 or parts[3] in {*folders, "sources", "command"}
                ):
                    found.append(f"{path.name}:{node.lineno}: {name}")
    assert not found


def _strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string a module spells but its docstrings (f-strings' literal parts too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def test_the_pipeline_spells_no_sources_options_nor_its_name():
    """What is a source's own (the options that run its code, its name on the command line) comes
    from the source: the pipeline's messages spell neither (they once said `--execute`, R Markdown
    and `tracksite import carpentries` whatever the format)."""
    found = []
    for name, source in sources.SOURCES.items():
        words = [f"import {name}", *((source.execution.run, source.execution.skip) if source.execution else ())]
        for path in sorted((IMPORTERS / "pipeline").glob("*.py")):
            found += [f"{path.name}:{line}: {text!r}" for line, text in _strings(path) for w in words if w in text]
    assert not found


def test_the_pipeline_asks_about_a_run_in_the_sources_words(toy, monkeypatch, capsys):
    """A track whose pages hold the output of its lesson's code: `--verify` (and `--update`) asks
    the user to choose, with the options and the words of the source that ran it; a source that
    runs nothing is never asked, and its rerun command has no option to run code."""
    course, lesson = toy
    notebooks = MarkdownFolder()
    notebooks.execution = Execution(
        run="--execute",
        skip="--no-execute",
        held="the output of {n} notebook(s)",
        again="run the notebooks again",
        drop="leave their output out",
    )
    monkeypatch.setitem(sources.SOURCES, "markdown", notebooks)
    (course / "lessons/toy/.import").mkdir(parents=True)
    (course / "lessons/toy/track.yml").write_text("number: 3\ntitle: Toy\n", encoding="utf-8")
    (course / "lessons/toy/.import/record.json").write_text('{"executed": ["01-first-steps.md"]}', encoding="utf-8")
    assert main(["--root", str(course), "import", "markdown", str(lesson), "--track", "toy", "--verify"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "lessons/toy was imported with --execute: its pages hold the output of 1 notebook(s). "
        "Pass --execute to run the notebooks again, or --no-execute to leave their output out"
    ) in err
    assert "R Markdown" not in err
    args = argparse.Namespace(format="markdown", path="toy-lesson", track="toy")
    assert flow.rerun_hint(notebooks, args) == "`tracksite import markdown toy-lesson --track toy --update --execute`"
    assert flow.rerun_hint(MarkdownFolder(), args) == "`tracksite import markdown toy-lesson --track toy --update`"
    update.execution_chosen(MarkdownFolder(), args, course, "toy")  # nothing to ask: no error


def test_every_sources_options_are_the_commands():
    """The options a source declares are ones `tracksite import` defines (command.py)."""
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    for name, source in sources.SOURCES.items():
        if source.execution:
            args = parser.parse_args(["import", name, "x", "--track", "t", source.execution.run])
            assert source.execution.asked(args) and source.execution.chosen(args), name
            args = parser.parse_args(["import", name, "x", "--track", "t", source.execution.skip])
            assert not source.execution.asked(args) and source.execution.chosen(args), name
