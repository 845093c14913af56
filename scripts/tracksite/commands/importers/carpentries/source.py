"""The Carpentries Workbench as the pipeline sees it: pipeline/source.py's protocol, met here.

Each method hands over to the module that knows the format: `lesson` reads config.yaml and plans
the track, `knitr` runs R Markdown, `credits` reads CITATION.cff. What learners see of an
episode is counted from the Workbench's own text by counting.count_source, which reads Pandoc's
fenced divs; the R run decides which text that is.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tracksite.commands.importers.carpentries import credits, knitr, lesson
from tracksite.commands.importers.carpentries.workbench import Lesson
from tracksite.commands.importers.pipeline import counting
from tracksite.commands.importers.pipeline.plan import Plan, Planned
from tracksite.commands.importers.pipeline.source import Execution
from tracksite.core.sources import split_front_matter


class Carpentries:
    """A Carpentries Workbench (sandpaper) lesson: config.yaml, episodes/, learners/, instructors/."""

    name = "carpentries"
    label = "a Carpentries Workbench lesson (config.yaml, episodes/, learners/, instructors/)"
    # R Markdown episodes are knitted only when asked, in the sandbox (knitr.py, rsandbox.py)
    execution = Execution(
        run="--execute",
        skip="--no-execute",
        held="the output of {n} R Markdown episode(s)",
        again="run their R code again in the sandbox (the output stays)",
        drop="run nothing and take the output out",
    )

    def detect(self, folder: Path) -> bool:
        return (folder / "config.yaml").is_file() and (folder / "episodes").is_dir()

    def read(self, folder: Path) -> Lesson:
        return lesson.read_source(folder)

    def prepare(self, src: Lesson, work: Path, *, execute: bool, allow_errors: bool) -> knitr.Prepared | None:
        names = [p.name for p in src.episodes]
        return knitr.prepare(src.root, names, work, execute=execute, allow_errors=allow_errors, lang=src.lang)

    def plan(self, src: Lesson, track: str, number: int, defined: dict[str, str] | None) -> Plan:
        return lesson.plan_import(src, track, number, defined)

    def count(self, p: Planned) -> dict[str, Counter]:
        """What learners would see of each episode in the Workbench: the knitted Markdown when R
        ran, the `.Rmd` without its hidden chunks when it did not, else the Markdown as written."""
        assert isinstance(p.src, Lesson)  # read() made it
        out: dict[str, Counter] = {}
        for path in p.src.episodes:
            rel = path.relative_to(p.src.root).as_posix()
            executed = p.prepared is not None and path.name in p.prepared.executed
            text = (path if executed else p.original / rel).read_text(encoding="utf-8", errors="replace")
            if path.suffix.lower() == ".rmd" and not executed:
                text = knitr.without_r(text, knitr.child_reader(p.original, p.original / "episodes"))[0]
            read = split_front_matter(path, text) if text.startswith("---") else None
            body, first = (read.body, read.body_line) if read else (text, 1)
            # knitted R's lines are not the .Rmd's: its elements are placed by their words only
            out[rel] = counting.count_source(body, set(p.src.link_defs), None if executed else first)
        return out

    def version(self, folder: Path) -> dict[str, str]:
        """CITATION.cff's version and release date, when the lesson has them."""
        info: dict[str, str] = {}
        data = credits.read_citation(folder)
        for key in ("version", "date-released"):
            if data and data.get(key):
                info[f"citation-{key}"] = str(data[key])
        return info

    def settings(self, root: Path, plan: Plan) -> list[str]:
        return lesson.course_settings(root, plan)


SOURCE = Carpentries()
