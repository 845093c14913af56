"""`tracksite export`: the course taken where learners are.

`scorm` packages it for an LMS that plays SCORM 1.2 (Moodle) or 2004, `cc` writes an IMS Common
Cartridge with the quizzes as QTI items (Canvas, Moodle), `offline` a copy that works opened
from `file://`. Each starts from the built site (built afresh, or `--site DIR`), made portable
by `staging`; nothing is written unless the whole export succeeds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

from tracksite.commands.common import course_root
from tracksite.commands.export import cc, offline, scorm, staging
from tracksite.errors import USAGE, UserError

KINDS = {
    "scorm": ((".zip",), "course-scorm.zip"),
    "cc": ((".imscc", ".zip"), "course.imscc"),
    "offline": ((".zip",), "course-offline.zip"),
}


def _threshold(value: str) -> float:
    text = value.strip().rstrip("%")
    if value.strip() == "all":
        return 1.0
    try:
        share = float(text) / (100 if value.strip().endswith("%") or float(text) > 1 else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give 'all' or a share of the lessons, as 80% or 0.8") from None
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"{value!r}: the share of lessons must be above 0 and at most 100%")
    return share


def _mastery(value: str) -> float:
    try:
        score = float(value.strip().rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give the passing score, 0 to 100, as 80") from None
    if not 0 <= score <= 100:
        raise argparse.ArgumentTypeError(f"{value!r}: the passing score is 0 to 100")
    if 0 < score < 1 and not value.strip().endswith("%"):  # a share where a score is asked
        raise argparse.ArgumentTypeError(
            f"{value!r}: the passing score is out of 100, not a share of 1: give --mastery {score * 100:g}"
        )
    return score


def cmd_export(args: argparse.Namespace) -> int:
    # what the options say wrong first, as the parser's own refusals come before any work
    if args.kind != "scorm" and args.mastery is not None:
        raise UserError(
            f"tracksite export {args.kind}: --mastery is a SCORM package's passing score; "
            + (
                "a cartridge's quizzes are graded by the LMS's own quiz settings (Canvas, Moodle)"
                if args.kind == "cc"
                else "an offline copy reports to no LMS"
            )
            + ": leave it out, or export `scorm --mastery SCORE`",
            exit_code=USAGE,
        )
    root = Path(getattr(args, "root", ".") or ".").resolve() if args.site else course_root(args)
    suffixes, default = KINDS[args.kind]
    out = staging.output_path(root, args.out or default, suffixes)
    with staging.built_site(root, args.site, getattr(args, "config_file", None)) as site:
        with tempfile.TemporaryDirectory(prefix="tracksite-export-") as tmp:
            work = Path(tmp)
            track = args.track
            if args.kind == "scorm":
                count = scorm.package(
                    site,
                    out,
                    work,
                    version=args.scorm_version,
                    threshold=args.complete,
                    mastery=args.mastery,
                    track=track,
                )
            elif args.kind == "offline":
                count = offline.package(site, out, work, track)
            elif args.kind == "cc":
                count = cc.package(site, out, work, track)
            else:  # argparse's choices keep this out
                raise UserError(f"unknown export {args.kind}", exit_code=USAGE)
    print(f"wrote {out} ({count} files)", file=sys.stdout)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="package the course for an LMS (SCORM, Common Cartridge) or as an offline copy",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent("""\
            Package the built course (built afresh, or the one --site names):
              scorm    a SCORM package (one SCO; --version 1.2 for Moodle, 2004 for others) that
                       reports completion, the quiz score and the learner's progress to the LMS
              cc       an IMS Common Cartridge 1.1 (Canvas, Moodle): the lessons, overviews and
                       cheatsheets as pages in modules by track and phase, every quiz question
                       as a QTI 1.2 item
              offline  a zip that works opened from file:// on any machine, search included
            --track SLUG packages one track as an activity of its own. Nothing in the copy is
            loaded from the network; docs/lms-and-offline.md says how to put each into Moodle or
            Canvas. The build runs no exercise code on this machine unless TRACKSITE_RUN_CODE=1 is
            set in the environment (then in a sandbox); in the learner's browser, exercise
            code runs in a worker under the page's policy."""),
        epilog="example: tracksite export scorm --version 1.2 --out course-scorm.zip",
    )
    p.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help="scorm, cc or offline")
    p.add_argument(
        "--out", default=None, help="the file to write (default: course-scorm.zip, course.imscc, course-offline.zip)"
    )
    p.add_argument("--site", default=None, metavar="DIR", help="export this built site rather than building the course")
    p.add_argument(
        "--version",
        dest="scorm_version",
        choices=("1.2", "2004"),
        default="1.2",
        help="scorm: the SCORM version (default 1.2, what Moodle plays)",
    )
    p.add_argument(
        "--complete",
        type=_threshold,
        default=1.0,
        metavar="RULE",
        help="scorm: when the course counts as completed: 'all' lessons done (default) or a share, as 80%%",
    )
    p.add_argument(
        "--track",
        default=None,
        metavar="SLUG",
        help="package one track: its own LMS activity, with its own completion, score and progress",
    )
    p.add_argument(
        "--mastery",
        type=_mastery,
        default=None,
        metavar="SCORE",
        help="scorm: the passing score, 0 to 100: a completed course is then passed or failed",
    )
    p.set_defaults(handler=cmd_export)
