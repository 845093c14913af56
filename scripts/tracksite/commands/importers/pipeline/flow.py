"""One import, from a lesson folder to the files it would write: shared by import, --update and --report.

The source (source.py) reads the lesson; where its code makes its output (R Markdown, knitted by
carpentries/knitr.py) the source runs it in a private copy, and the plan is made from that copy;
the copy lives until the caller has written what it needs, so the plan's image paths stay valid
inside the `with` block.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tracksite.adapter.config import mkdocsconfig
from tracksite.commands.importers.pipeline import report, verify
from tracksite.commands.importers.pipeline.plan import Planned
from tracksite.commands.importers.pipeline.source import Source
from tracksite.core.checks import load
from tracksite.core.problems.problem import format_text


@contextmanager
def planned(
    source: Source, args: argparse.Namespace, track: str, number: int, defined: dict[str, str] | None = None
) -> Iterator[Planned]:
    """`defined`: the glossary terms of the course's other tracks (write.course_terms)."""
    original = Path(args.path).resolve()
    src = source.read(original)
    with tempfile.TemporaryDirectory(prefix="tracksite-import-") as work:
        prepared = source.prepare(
            src,
            Path(work),
            execute=source.execution is not None and source.execution.asked(args),
            allow_errors=getattr(args, "allow_errors", False),
        )
        if prepared is not None:
            src = source.read(prepared.root)
        plan = source.plan(src, track, number, defined)
        if prepared is not None:
            plan.notes = [prepared.source_line(n) for n in plan.notes]
        made = Planned(original, src, plan, prepared)
        made.counts = source.count(made)
        yield made


def rerun_hint(source: Source, args: argparse.Namespace) -> str:
    """The command that brings a later run (with the code's output, or a newer release) into the
    track: with the option that runs the code, when the source has one."""
    run = f" {source.execution.run}" if source.execution else ""
    return f"`tracksite import {args.format} {args.path} --track {args.track} --update{run}`"


def finish(source: Source, args: argparse.Namespace, root: Path, p: Planned, code: int) -> int:
    """After `check`: the learner site built and compared with the source (verify.py), the report."""
    verified = (
        verify.verify(root, p, args.track, mkdocsconfig.config_file(root, getattr(args, "config_file", None)))
        if code == 0
        else verify.Verified(source=p.counts)
    )
    code = 0 if code == OTHERS else code  # the other tracks' errors are theirs: this import is complete
    if args.report:
        report.write_report(Path(args.report), p, verified, rerun_hint(source, args), fmt=args.format)
    for error in verified.errors:
        print(f"error: {error}", file=sys.stderr)
    if verified.errors:
        print(
            f"the import lost or changed what it did not list ({len(verified.errors)} errors above): "
            "the track is written, look at these pages before you publish them",
            file=sys.stderr,
        )
        return 1
    if verified.built:
        print(f"verified: the built learner pages of {len(verified.rendered)} episodes show what their sources hold")
    return code


OTHERS = 2  # check_course: only other tracks have errors


def check_course(
    root: Path,
    config_file: str | None = None,
    track: str = "",
    planned: Planned | None = None,
    *,
    fmt: str,
) -> int:
    """`tracksite check` of the course the import wrote into, with the configuration `-f` names.
    Each track stands alone: the errors of the course's other tracks are listed, but they are not
    this import's (exit 0); the site cannot be built while they stand, so the pages are not
    compared (the caller says so, and `--verify` compares them later; `fmt`: the source's name).
    Returns 1 when the imported track has errors, 2 when only other tracks have, 0 when the
    course has none."""
    project = load(mkdocsconfig.load(root, config_file))
    assert project.problems is not None  # load() always sets them
    errors = project.problems.errors
    ours = [e for e in errors if not track or _in_track(e.path, track)]
    if ours:
        print(format_text(ours), file=sys.stderr)
        for line in source_lines(root, ours, planned):
            print(line, file=sys.stderr)
        print("the imported track has problems (listed above): fix them, then run `tracksite check`", file=sys.stderr)
        return 1
    print("tracksite check: the imported track has no errors")
    if errors:
        print(format_text(errors), file=sys.stderr)
        print(
            f"the course's other tracks have {len(errors)} error(s) (listed above), which are not this import's: "
            "the site cannot be built until they are fixed, so no page was compared with its source; then run "
            f"`tracksite import {fmt} PATH --track {track} --verify`",
            file=sys.stderr,
        )
        return OTHERS
    return 0


def source_lines(root: Path, problems, planned: Planned | None) -> list[str]:
    """For each problem in an imported lesson, the episode line it came from: the first line of
    the source (as the import read it) that holds the generated line's text, so the instructor
    mends the lesson where it is written (`lesson.md:261` is the source's `episodes/x.md:264`)."""
    if planned is None:
        return []
    origin = {lesson: rel for rel, lesson in planned.plan.sources.items()}
    out = []
    for problem in problems:
        rel = origin.get(problem.path)
        if rel is None or not problem.line:
            continue
        try:
            made = (root / problem.path).read_text(encoding="utf-8").splitlines()[problem.line - 1].strip()
            source = (planned.src.root / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except (OSError, IndexError):
            continue
        found = next((n for n, text in enumerate(source, 1) if made and text.strip() == made), None)
        if found is not None:
            out.append(f"{problem.path}:{problem.line} comes from {rel}:{found} of the lesson")
    return out


def _in_track(path: str, track: str) -> bool:
    return path.startswith((f"lessons/{track}/", f"cheatsheets/{track}/", f"docs/{track}/"))
