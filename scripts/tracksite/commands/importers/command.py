"""The `tracksite import` command: its arguments and the import from start to `tracksite check`.

The one module that knows both sides: it looks the format up among the sources (sources.py) and
hands the source to the pipeline (pipeline/flow.py, pipeline/update.py), which never imports one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracksite.commands import changes
from tracksite.commands.common import course_root
from tracksite.commands.importers.pipeline import flow, update, write
from tracksite.commands.importers.pipeline.plan import Planned
from tracksite.commands.importers.pipeline.source import Source
from tracksite.commands.importers.sources import SOURCES, detecting
from tracksite.core.schema.specs import SLUG_RE
from tracksite.errors import USAGE, UserError


def cmd_import(args: argparse.Namespace) -> int:
    root = course_root(args)  # before any work: an import writes only into a course
    track = args.track
    try:
        if not SLUG_RE.fullmatch(track):
            raise UserError(
                f"--track {track!r} is not a slug (lower-case letters, digits and hyphens)", exit_code=USAGE
            )
        source = _source(args)
        if args.update:
            return update.cmd_update(args, root, source)
        if args.verify:
            return _verify(args, root, source)
        undone = changes.recover(root)  # an import killed between its renames is undone, then made again
        if undone:
            print(undone)
        for top in (f"lessons/{track}", f"cheatsheets/{track}", f"docs/{track}"):
            if (root / top).exists():
                raise UserError(
                    f"{top} exists already: choose another --track, remove it first "
                    f"(`tracksite remove track {track}`), or bring a newer release of the same lesson in with --update"
                )
        with flow.planned(
            source, args, track, args.number or write.next_track_number(root), write.course_terms(root)
        ) as p:
            version = update.source_version(p.original, source)
            write.write_plan(
                root,
                track,
                p.plan,
                record=lambda staged: update.save_record(staged, track, version, p, source.name),
                settings=source.settings,
            )
            _say(source, args, p)
            code = flow.check_course(root, getattr(args, "config_file", None), track, p, fmt=args.format)
            return flow.finish(source, args, root, p, code)
    except UserError as e:  # the lesson's problems (a missing R package, a path outside it) exit 1; usage 2
        raise UserError(e.message, exit_code=e.exit_code) from None


def _source(args: argparse.Namespace) -> Source:
    """The format named on the command line; when the folder is plainly another format's lesson,
    that format is named (the source's own reader explains any other mismatch)."""
    source = SOURCES[args.format]
    folder = Path(args.path)
    if folder.is_dir() and not source.detect(folder):
        others = [name for name in detecting(folder) if name != source.name]
        if others:
            raise UserError(
                f"{args.path} is not {source.label}; it looks like {SOURCES[others[0]].label}: "
                f"`tracksite import {others[0]} {args.path} --track {args.track}`",
                exit_code=USAGE,
            )
    return source


def _verify(args: argparse.Namespace, root: Path, source: Source) -> int:
    """`--verify`: the track as it stands checked, built and compared with the lesson again,
    nothing written (after fixing what stopped the first comparison; `--report` writes it anew)."""
    if not (root / "lessons" / args.track / "track.yml").is_file():
        raise UserError(f"there is no track {args.track!r} to verify: import the lesson first")
    update.execution_chosen(source, args, root, args.track)
    with flow.planned(source, args, args.track, 0, write.course_terms(root)) as p:
        code = flow.check_course(root, getattr(args, "config_file", None), args.track, p, fmt=args.format)
        if code == flow.OTHERS:
            return 1  # asked to compare, and nothing could be compared
        return flow.finish(source, args, root, p, code)


def _say(source: Source, args: argparse.Namespace, p: Planned) -> None:
    print(f'imported {len(p.src.episodes)} episodes of "{p.src.title}" as lessons/{args.track}/')
    for note in p.plan.notes:
        print(f"note: {note}")
    for warning in p.plan.warnings:
        print(f"warning: {warning}")
    if p.plan.warnings:
        print(
            f"{len(p.plan.warnings)} problems of the source lesson (listed above as warnings, each at its file and "
            "line there): the track publishes nothing broken for them; mend them upstream too"
        )
    for line in p.prepared.summary(flow.rerun_hint(source, args)) if p.prepared else []:
        print(f"note: {line}")
    for line in p.prepared.warnings(flow.rerun_hint(source, args)) if p.prepared else []:
        print(f"warning: {line}")


def register(sub) -> None:
    """The command and its options, in words true of every format in SOURCES (each says what it is)."""
    formats = "; ".join(f"{name}, {source.label}" for name, source in SOURCES.items())
    p = sub.add_parser(
        "import",
        help="import a lesson from another format as a new track",
        description="Turn a lesson of another format into a tracksite track that passes `tracksite check`, "
        "then build the learner site and compare each page with its source (exit 1 on a difference the "
        "import did not list). The formats: "
        + formats
        + ". The lesson's code is never run unless asked: with --execute, a format that has code to run "
        "(R Markdown episodes of a Carpentries lesson, with knitr as the Workbench runs them) runs it in a "
        "sandbox (bubblewrap: no files, no network, no other process, time and memory limits); without it "
        "the code is shown without its output. The lesson's runnable exercises are never run by an import "
        "(its check and build judge them without running them).",
    )
    p.add_argument(
        "format",
        choices=SOURCES,
        help="the source format: " + formats,
    )
    p.add_argument("path", help="the lesson's folder, as its format lays it out (see the formats above)")
    p.add_argument("--track", required=True, help="the new track's slug, e.g. version-control")
    p.add_argument("--number", type=int, help="the track's number (default: one more than the highest)")
    p.add_argument(
        "--update",
        action="store_true",
        help="bring a newer release of a lesson imported before into its track, keeping your edits "
        "(stops and lists file:line where you and upstream changed the same lines)",
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="write nothing: check the imported track, build its learner pages and compare them with the "
        "lesson again (after fixing what stopped the import's own comparison)",
    )
    p.add_argument(
        "--keep-yours",
        action="store_true",
        help="with --update: where you and upstream changed the same lines, keep your file as it is",
    )
    p.add_argument(
        "--report",
        metavar="FILE",
        help="write a JSON report: per episode, the counts in the source, the changes the import listed "
        "and the counts on the built learner page, and what had no equivalent; counts that differ are printed",
    )
    _code_options(p)
    p.set_defaults(handler=cmd_import)


def _code_options(p) -> None:
    """Whether the lesson's code runs: never unless asked, and then in the sandbox."""
    running = p.add_mutually_exclusive_group()
    running.add_argument(
        "--execute",
        action="store_true",
        help="run the R code of R Markdown episodes with knitr, as the Workbench does, so their output and "
        "plots are published: in a sandbox (bubblewrap: no files but a copy of the lesson, no network, no "
        "other process, time and memory limits); needs R, knitr, the lesson's packages and bubblewrap",
    )
    running.add_argument(
        "--no-execute",
        action="store_true",
        help="run no code of the lesson (the default): R Markdown episodes show their code without its "
        "output; runnable exercises are never run by an import",
    )
    p.add_argument(
        "--allow-errors",
        action="store_true",
        help="publish R's error messages where a chunk fails (a missing package, an error the lesson does not "
        "mark error=TRUE) instead of stopping the import",
    )
