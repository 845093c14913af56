"""`tracksite remove track SLUG`: a track's files out of the course, and the rest checked without it.

A track is three folders: `lessons/SLUG/` (its track.yml, lessons and overviews), `cheatsheets/SLUG/`
and `docs/SLUG/` (an imported lesson's learner pages and data files). They are moved, not deleted,
to `.tracksite/removed/SLUG/` in the course (nothing written is lost: move them back to undo), in
one journalled change (commands/changes.py). The rest of the course is then checked: if another
track links to the removed one, the move is undone and the links are listed with file:line, to
be mended first.
"""

from __future__ import annotations

import argparse
import time

from tracksite.commands.changes import Changes
from tracksite.commands.common import (
    apply_checked,
    course_errors,
    editing_command,
    project_root,
    relative_to_root,
    site_config,
    track_dir,
)

FOLDERS = ("lessons", "cheatsheets", "docs")


@editing_command
def cmd_remove(args: argparse.Namespace) -> int:
    root = project_root(args)
    track_dir(root, args.slug)  # refuses an unknown track, naming the ones there are
    _, errors_before = course_errors(root, site_config(args))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = root / ".tracksite" / "removed" / f"{args.slug}-{stamp}"
    changes = Changes(root)
    moved = []
    for top in FOLDERS:
        folder = root / top / args.slug
        if folder.exists():
            changes.move(folder, kept / top)
            moved.append(folder)
    apply_checked(root, changes, len(errors_before), site_config(args))
    for folder in moved:
        print(f"removed {relative_to_root(root, folder)}/")
    print(f"the files are kept in {relative_to_root(root, kept)}/: move them back to undo, delete the folder when sure")
    print("tracksite check: the rest of the course has no new errors")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "remove",
        help="remove a track from the course (its files are kept aside)",
        description="Remove a track: lessons/SLUG/, cheatsheets/SLUG/ and docs/SLUG/ are moved to "
        ".tracksite/removed/, and the rest of the course is checked; if another track links to it, "
        "nothing is removed and the links are listed.",
    )
    what = p.add_subparsers(dest="what", required=True, metavar="track")
    track = what.add_parser("track", help="remove a track and its pages", description=p.description)
    track.add_argument("slug", help="the track's slug (its folder under lessons/)")
    track.set_defaults(handler=cmd_remove)
