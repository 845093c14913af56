"""`tracksite`: the instructor's and CI's command line.

Every command reports problems as `path:line: message`, exits non-zero when something is wrong,
and never shows a Python traceback for bad input: a traceback is a bug in tracksite, not in the
course.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from tracksite import __version__
from tracksite.adapter.config import mkdocsconfig
from tracksite.commands.common import SafeLines, annotation_stream, build_site, course_root
from tracksite.core import localstate, memo, sandbox
from tracksite.core.problems.problem import (
    format_github,
    format_json,
    format_summary,
    format_text,
    no_workflow_commands,
    os_error,
)
from tracksite.errors import INTERNAL, INTERRUPTED, USAGE, UserError

Handler = Callable[[argparse.Namespace], int]

# Modules that add their own subcommands (each has `register(subparsers)`), named rather than
# imported: the CLI is the one place that puts the commands and the tools (bench, attention)
# together, and the tools never import a command nor a command a tool.
COMMAND_MODULES = (
    "tracksite.commands.scaffold",
    "tracksite.commands.linkcheck",
    "tracksite.commands.pdf",
    "tracksite.commands.export",
    "tracksite.commands.importers.command",
    "tracksite.commands.init",
    "tracksite.commands.remove",
    "tracksite.commands.upgrade",
    "tracksite.commands.editor_schema",
    "tracksite.commands.lsp",
    "tracksite.tools.bench",
    "tracksite.tools.minilm",
)
#: The commands that read the course, and so its site configuration: each takes `-f` as MkDocs does.
READS_CONFIG = ("check", "build", "new", "move", "rename", "remove", "pdf", "export", "import", "lsp")


# -- check ----------------------------------------------------------------------------------
def run_check(root: Path, args: argparse.Namespace, memory: memo.Memory | None = None) -> tuple[str, str, int]:
    """One run of the checks: the report, the one-line summary and the exit code. `check` prints
    them once (with a fresh memory, core/memo.py), `check --watch` after every save (with the one
    memory it keeps from one save to the next)."""
    from tracksite.core.checks import check_everything, exercises_not_run

    # The build's own entry point and passes; drafts, the instructor pages and the docs pages
    # only `mkdocs serve` shows are checked too, so nothing a build or the preview publishes
    # goes unchecked.
    # the exercises run when the person who runs it asks: --run-code (or --in-page-python), else
    # TRACKSITE_RUN_CODE, as in the build (never mkdocs.yml's `run_code`, which a pull request can change)
    in_page = getattr(args, "in_page_python", False)
    config = mkdocsconfig.load(
        root, getattr(args, "config_file", None), run_code=True if args.run_code or in_page else None
    )
    if in_page:
        config = dataclasses.replace(config, run_code_in_page=True)
    project = check_everything(config, memory)
    problems = project.problems
    assert problems is not None
    shown = problems.items if not args.errors_only else problems.errors
    if args.format == "github":
        out = format_github(shown)
    else:
        text = format_text(shown) if getattr(args, "every_warning", False) else format_summary(shown)
        out = no_workflow_commands(format_json(shown) if args.format == "json" else text)
    n_err, n_warn = len(problems.errors), len(problems.warnings)
    lessons = sum(1 for _ in project.curriculum.all_lessons())
    summary = (
        f"{len(project.curriculum.tracks)} tracks, {lessons} lessons: "
        f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"
    )
    unrun = exercises_not_run(project)
    if unrun:  # a note, not a warning: leaving them unrun is the safe default, not a fault
        summary += f"; {unrun} exercise{'s' if unrun != 1 else ''} not run (`--run-code` runs them in a sandbox)"
    return out, summary, 1 if problems.errors or (args.strict and problems.warnings) else 0


def cmd_check(args: argparse.Namespace) -> int:
    root = course_root(args)
    if args.run_code or getattr(args, "in_page_python", False) or sandbox.asked():
        reason = sandbox.unavailable()
        if reason:  # never a run outside the sandbox
            asked = "--run-code" if args.run_code else f"{sandbox.ASK}=1"
            raise UserError(
                f"{asked} runs exercises only in a sandbox, and there is none: {reason} (TS434)", exit_code=USAGE
            )
    if args.watch:
        from tracksite.commands.watch import watch

        if args.format != "text":
            raise UserError(
                "--watch prints text for people and editors; use --format with a single check", exit_code=USAGE
            )
        memory = memo.Memory()  # (what each save's check remembers for the next)
        return watch(root, lambda: run_check(root, args, memory))
    out, summary, code = run_check(root, args)
    if out:
        stream = annotation_stream() if args.format == "github" else sys.stdout
        print(out, file=stream)
    if args.format == "text":
        if why := localstate.unkept(root):  # (checked all the same: nothing is kept for next time)
            print(f"note: checked without a cache: {why}; set {localstate.ENV} to a folder of yours", file=sys.stderr)
        print(f"tracksite check: {summary}", file=sys.stderr)
    return code


# -- build ----------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    root = course_root(args)
    if args.beside and (not args.instructor or args.site_dir):
        raise UserError(
            "--beside SITE builds the instructor view into SITE/instructor/: give it with --instructor "
            "and without --site-dir",
            exit_code=USAGE,
        )
    out = Path(args.site_dir) if args.site_dir else root / ("site-instructor" if args.instructor else "site")
    if args.beside:
        out = Path(args.beside) / "instructor"
    return build_site(
        root,
        out,
        instructor=args.instructor,
        drafts=args.drafts,
        strict=not args.no_strict,
        export_data=args.for_export,
        config_file=mkdocsconfig.config_file(root, args.config_file),
        beside=bool(args.beside),
    )


def _build_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--instructor",
        action="store_true",
        help="include instructor notes and schedule pages; builds into site-instructor/",
    )
    p.add_argument(
        "--beside",
        metavar="SITE",
        help="with --instructor: build the instructor view into SITE/instructor/, beside the learner site "
        "built into SITE, when mkdocs.yml publishes one (the tracksite plugin's `instructor_view: true`); "
        "otherwise say so and build nothing",
    )
    p.add_argument("--drafts", action="store_true", help="include draft lessons")
    p.add_argument("--site-dir", help="output folder")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    p.add_argument("--for-export", action="store_true", help="with the widgets' data `tracksite export --site` reads")


def _run_code_options(p: argparse.ArgumentParser) -> None:
    """check's options that run the course's code: both only in the sandbox."""
    p.add_argument(
        "--run-code",
        action="store_true",
        help="also run each runnable exercise's solution and starting code against its tests (TS431, TS432), "
        "in a sandbox (bubblewrap: no files, no network, no other process, time and memory limits); "
        "without it (or TRACKSITE_RUN_CODE=1 in the environment), no code of the course runs, whatever mkdocs.yml says",
    )
    p.add_argument(
        "--in-page-python",
        action="store_true",
        help="with --run-code (which it implies): run each exercise again in the page's own Python, the "
        "Pyodide the site ships, under Node in the same sandbox; what fails only there is reported as "
        "in CPython (TS431, TS432, TS436)",
    )


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the arguments, only the modules up to the one that
    registers their command are imported (`tracksite check` imports none of them): each
    command's module imports what it runs, and all of them took half a second at every start."""
    parser = argparse.ArgumentParser(
        prog="tracksite",
        description="Check, build and manage a course of tracks, lessons, overviews and cheatsheets.",
    )
    parser.add_argument("--version", action="version", version=f"tracksite {__version__}")
    parser.add_argument("--root", help="the project folder (default: the folder of -f's file, else the current folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "check",
        help="validate every source file without building (runs no exercise code unless --run-code)",
        description="Report every problem in lessons/, cheatsheets/ and docs/ at once. No code of the course "
        "runs: runnable exercises are judged without running them unless --run-code (or TRACKSITE_RUN_CODE=1 "
        "in the environment) asks, and then only in a sandbox.",
    )
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text for people, github for workflow annotations, json for tools",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--errors-only", action="store_true", help="do not print warnings")
    p.add_argument(
        "--every-warning",
        action="store_true",
        help="print a warning repeated in many places once per place (by default one line with a count and the files)",
    )
    _run_code_options(p)
    p.add_argument(
        "--watch",
        action="store_true",
        help="check again after every change to lessons/, cheatsheets/, docs/ or mkdocs.yml, each run "
        "between a 'checking' and a 'done:' line (for an editor's background task); "
        "Ctrl-C stops it, with exit code 0",
    )
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser(
        "build",
        help="build the site (the learner site, or the instructor view)",
        description="Build with MkDocs; a failed build leaves the previous site untouched. Runs no exercise "
        "code unless TRACKSITE_RUN_CODE=1 is set in the environment (then in a sandbox).",
    )
    _build_arguments(p)
    p.set_defaults(handler=cmd_build)

    _register(sub, _command_name(argv) if argv is not None else None)
    return parser


def _register(sub: argparse._SubParsersAction, wanted: str | None) -> None:
    """The other modules' commands, up to `wanted`'s (all of them for None), with `-f` on those
    that read the course."""
    for module in COMMAND_MODULES:
        if wanted is not None and wanted in sub.choices:
            break
        importlib.import_module(module).register(sub)
    for name in READS_CONFIG:
        if name in sub.choices:
            _config_option(sub.choices[name])


def _command_name(argv: list[str]) -> str | None:
    """The command the arguments name: the first one that is not an option (nor `--root`'s
    value); None for `--help`, `--version` or no command, which list every command."""
    args = iter(argv)
    for arg in args:
        if arg == "--root":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
        elif not arg.startswith("--root="):
            return None
    return None


def _config_option(parser: argparse.ArgumentParser) -> None:
    """`-f/--config-file` on a command, and on each of its own subcommands (`new track`)."""
    nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in nested:
        for child in action.choices.values():
            _config_option(child)
    if nested:
        return
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        help="the site configuration, as `mkdocs build -f` takes it (default: mkdocs.yml in the project); "
        "the project is its folder",
    )


def _settle_root(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The project is the folder of the configuration file, as for MkDocs: `-f` alone names
    both; `--root` alone, or neither (the current folder), the project whose mkdocs.yml counts."""
    given = getattr(args, "config_file", None)
    if given:
        folder = Path(given).resolve().parent
        if args.root is not None and Path(args.root).resolve() != folder:
            parser.error(f"-f {given} is not in --root {args.root}: the project is the configuration file's folder")
        args.root = str(folder)
    elif args.root is None:
        args.root = "."


def main(argv: list[str] | None = None) -> int:
    # Material prints a banner about MkDocs 2.0 when it takes the process for MkDocs; set before
    # any command imports MkDocs or Material, and inherited by the processes they start.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    _settle_root(parser, args)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    if args.command == "lsp":  # JSON-RPC on stdout, no line of text for CI
        return _run(args)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeLines(sys.stdout), SafeLines(sys.stderr)
    try:
        return _run(args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = streams


def _run(args: argparse.Namespace) -> int:
    """The command, with what it raises turned into one line and an exit code."""
    try:
        return args.handler(args)
    except UserError as e:
        name = " ".join(p for p in (args.command, getattr(args, "what", None)) if isinstance(p, str))
        print(f"tracksite {name}: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return INTERRUPTED
    except OSError as e:  # the machine refused: a read-only folder, a full disk, a permission
        print(no_workflow_commands(os_error(f"tracksite {args.command}: error", e)), file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - bad input never shows a traceback; this is a bug
        if os.environ.get("TRACKSITE_DEBUG"):
            raise
        print(
            f"tracksite {args.command}: internal error ({type(e).__name__}: {e}). This is a bug in "
            "tracksite: please report it with the command you ran (TRACKSITE_DEBUG=1 shows the details).",
            file=sys.stderr,
        )
        return INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
