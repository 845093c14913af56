"""`tracksite new track|lesson`, `tracksite move` and `tracksite rename`: the instructor's tools
for starting, reordering and renaming lessons without editing numbers or links by hand.

Rules every command here keeps:

- Nothing is overwritten: a track or lesson that exists (folder, cheatsheet, track.yml entry or
  redirect) is refused.
- track.yml is edited line by line (tracksite.commands.trackfile), so its comments and layout stay.
- All changes of one command are applied together and undone together: after applying, the
  course is checked again, and a command that would add errors to `tracksite check` is rolled
  back with the errors shown.
- Errors are one line each, `path:line: what was found; what to do`, and the exit status is 1.
  A Python traceback is a bug in tracksite: set TRACKSITE_DEBUG=1 to see it.

Decisions (also in the authoring guide):

- A new lesson is a draft (`status: draft`): `mkdocs serve` shows it with a draft banner,
  `mkdocs build` leaves it out, and deleting that one line publishes it. Its starter text tells
  the author what each section is for; it is never meant to be read by learners.
- A track.yml needs at least one phase with at least one lesson, so `new track` also starts the
  track's first phase ("Getting started" unless --phase says otherwise) with a first draft lesson
  (`introduction` unless --first-lesson says otherwise). Starter text, default phase and titles
  are in the lesson's language (its track's `language:`, else the course's `theme.language`;
  English where tracksite's catalogue is not complete for it). `rename` and `move` reshape it later.
- A phase left empty by `move` is removed from track.yml; `--phase` with a title no phase has
  creates that phase at the end of the track (a title close to an existing one is refused as a
  likely typo).
"""

from __future__ import annotations

import argparse
import difflib
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tracksite.commands.changes import Changes
from tracksite.commands.common import (
    CHANGE_RULE,
    CommandError,
    apply_checked,
    checked_slug,
    checked_title,
    course_errors,
    did_you_mean,
    editing_command,
    lesson_files,
    open_track,
    project_root,
    relative_to_root,
    site_config,
    track_dir,
)
from tracksite.commands.rename import cmd_rename
from tracksite.commands.starter import (
    starter_cheatsheet,
    starter_lesson,
    starter_overview,
    starter_text,
    starter_track,
)
from tracksite.commands.trackfile import TrackFile
from tracksite.core.site import redirects
from tracksite.core.sources import read_text
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

DEFAULT_PHASE = "Getting started"
DEFAULT_FIRST_LESSON = "introduction"


def _refuse_existing_lesson(root: Path, track: str, slug: str, tf: TrackFile) -> None:
    for path in lesson_files(root, track, slug):
        if path.exists():
            raise CommandError(
                f"{relative_to_root(root, path)} exists already: lesson {track}/{slug} is taken; "
                "pick another slug (nothing is ever overwritten)"
            )
    found = tf.where(slug)
    if found:
        raise CommandError(
            f"lessons/{track}/track.yml lists {slug!r} already (phase {found[0] + 1}); pick another slug"
        )
    current, _ = redirects.read(root / "lessons" / track)
    for r in current:
        if r.old == slug:
            raise CommandError(
                f"lessons/{track}/redirects.yml:{r.line}: the old address {track}/{slug}/ "
                f"redirects to {r.new!r}; pick another slug, or delete that line first"
            )


def _add_lesson_files(
    changes: Changes,
    root: Path,
    track: str,
    slug: str,
    title: str,
    *,
    summary: str | None,
    objectives: list[str],
    previous: str | None,
    lang: str | None,
) -> None:
    front, body = starter_lesson(title, summary=summary, objectives=objectives, previous=previous, lang=lang)
    folder = root / "lessons" / track / slug
    changes.write(folder / "lesson.md", front + body)
    changes.write(folder / "overview.md", starter_overview(lang))
    changes.write(root / "cheatsheets" / track / f"{slug}.md", starter_cheatsheet(title, lang))


def _language(project, track: str | None = None) -> str:
    """The language a new lesson's starter text is written in, as its pages will be: its track's
    (`language:` in track.yml), else the course's (`theme.language`)."""
    found = project.curriculum.track(track) if track else None
    return (found.language if found is not None else None) or project.site.config.language


# -- where a lesson goes ------------------------------------------------------------------------
@dataclass
class Target:
    phase: int | None  # index of an existing phase, or None for a new phase
    position: int = 0
    new_phase: str | None = None


def _resolve_target(
    tf: TrackFile,
    phases: list,
    *,
    slug: str,
    after: str | None,
    first: bool,
    phase: str | None,
    track: str,
    default_end: bool,
) -> Target | None:
    """Where `slug` goes in `phases` (which does not contain it); None when nothing says where."""
    if after is not None and first:
        raise CommandError("give --after or --first, not both")
    if after is not None:
        checked_slug(after, "--after")
        if after == slug:
            raise CommandError("a lesson cannot be placed after itself")
        for i, p in enumerate(phases):
            if after in p.lessons:
                if phase is not None and tf.find_phase(phase) != i:
                    raise CommandError(
                        f"{after!r} is in phase {i + 1} {p.title!r}, not in {phase!r}; "
                        "give --after alone, or a lesson of that phase"
                    )
                return Target(i, p.lessons.index(after) + 1)
        known = [s for p in phases for s in p.lessons]
        raise CommandError(
            f"--after {after!r}: lessons/{track}/track.yml has no lesson {after!r}{did_you_mean(after, known)}"
        )
    if phase is not None:
        title = checked_title(phase, "--phase")
        index = tf.find_phase(title)
        if index is None:
            titles = [p.title for p in phases]
            near = difflib.get_close_matches(title, titles, n=1, cutoff=0.75)
            if near:
                raise CommandError(
                    f"no phase {title!r} in lessons/{track}/track.yml; did you mean {near[0]!r}? "
                    "(a new phase needs a title unlike the existing ones)"
                )
            return Target(None, 0, title)
        return Target(index, 0 if first else len(phases[index].lessons))
    if first:
        return Target(0, 0)
    if default_end:
        return Target(len(phases) - 1, len(phases[-1].lessons))
    return None


def _place(tf: TrackFile, slug: str, target: Target) -> None:
    if target.phase is None:
        tf.add_phase(target.new_phase or DEFAULT_PHASE, [slug])
    else:
        tf.insert_at(target.phase, target.position, slug)


def _numbering(project, track: str) -> dict[str, tuple[int, int]]:
    c = project.curriculum
    ordered = c.lessons_of(track)
    return {l.slug: (i + 1, len(ordered)) for i, l in enumerate(ordered)}


def _position_text(project, track: str, slug: str) -> str:
    c = project.curriculum
    lesson = c.lesson(f"{track}/{slug}")
    if lesson is None:
        return ""
    pos = c.position(lesson)
    return f"Lesson {pos.number} of {pos.of}, phase {pos.phase_number} {pos.phase.title!r}"


def _renumbered(before: dict, after: dict) -> list[str]:
    lines = []
    for slug, (n, of) in sorted(after.items(), key=lambda kv: kv[1][0]):
        old = before.get(slug)
        if old is None or old[0] != n:
            was = f"was {old[0]} of {old[1]}" if old else "new"
            lines.append(f"  {n:>3} of {of}  {slug} ({was})")
    return lines


# -- tracksite new track ------------------------------------------------------------------------
@editing_command
def cmd_new_track(args: argparse.Namespace) -> int:
    root = project_root(args)
    slug = checked_slug(args.slug, "track")
    title = checked_title(args.title)
    summary = checked_title(args.summary, "--summary", 400) if args.summary else None
    phase_given = checked_title(args.phase, "--phase") if args.phase else None
    first = checked_slug(args.first_lesson, "--first-lesson")
    first_title_given = checked_title(args.first_lesson_title) if args.first_lesson_title else None
    if not 1 <= args.number <= 999:
        raise CommandError(f"--number {args.number} is out of range; expected 1 to 999")
    folder = root / "lessons" / slug
    if folder.exists():
        raise CommandError(f"lessons/{slug}/ exists already; pick another slug (nothing is ever overwritten)")
    if (root / "cheatsheets" / slug).exists():
        raise CommandError(f"cheatsheets/{slug}/ exists already; pick another slug, or remove that folder")
    for other in sorted((root / "lessons").glob("*/track.yml")):
        try:
            data = parse(read_text(other)).value
        except SourceProblem:
            continue
        if isinstance(data, dict) and data.get("number") == args.number:
            raise CommandError(
                f"{relative_to_root(root, other)}: track number {args.number} is taken by "
                f"{other.parent.name!r}; pick another --number"
            )
    project_before, errors_before = course_errors(root, site_config(args))
    lang = _language(project_before)  # a new track is in the course's language
    phase = phase_given or starter_text("phase", lang)
    first_title = first_title_given or starter_text("firstLesson", lang, title)
    summary_text = summary or starter_text("trackSummary", lang, title)
    track_yml = starter_track(slug, args.number, title, summary_text, phase, first)
    changes = Changes(root)
    changes.write(folder / "track.yml", track_yml)
    _add_lesson_files(changes, root, slug, first, first_title, summary=None, objectives=[], previous=None, lang=lang)
    apply_checked(root, changes, len(errors_before), site_config(args))
    print(f"created lessons/{slug}/track.yml: Track {args.number}, {title!r}, phase {phase!r}")
    print(
        f"created lessons/{slug}/{first}/lesson.md, overview.md and cheatsheets/{slug}/{first}.md "
        f"(draft): the track's first lesson, {first_title!r}"
    )
    if not summary:
        print(f"next: write the track's summary for the home page in lessons/{slug}/track.yml")
    print(
        f'next: add lessons with `tracksite new lesson {slug} SLUG --title "..."`; '
        f"`tracksite rename {slug} {first} NEW` renames the first one"
    )
    return 0


# -- tracksite new lesson -----------------------------------------------------------------------
@editing_command
def cmd_new_lesson(args: argparse.Namespace) -> int:
    root = project_root(args)
    track = args.track
    folder = track_dir(root, track)
    slug = checked_slug(args.slug, "lesson")
    title = checked_title(args.title)
    summary = checked_title(args.summary, "--summary", 300) if args.summary else None
    objectives = [checked_title(o, "--objective", 300) for o in (args.objective or [])]
    tf = open_track(root, folder)
    _refuse_existing_lesson(root, track, slug, tf)
    project_before, errors_before = course_errors(root, site_config(args))
    before = _numbering(project_before, track)
    target = _resolve_target(
        tf, tf.phases, slug=slug, after=args.after, first=args.first, phase=args.phase, track=track, default_end=True
    )
    assert target is not None
    order = tf.slugs
    _place(tf, slug, target)
    new_order = tf.slugs
    index = new_order.index(slug)
    previous = new_order[index - 1] if index > 0 else None
    changes = Changes(root)
    _add_lesson_files(
        changes,
        root,
        track,
        slug,
        title,
        summary=summary,
        objectives=objectives,
        previous=previous,
        lang=_language(project_before, track),
    )
    changes.write(tf.path, tf.dump())
    project = apply_checked(root, changes, len(errors_before), site_config(args))
    print(f"created lessons/{track}/{slug}/lesson.md (status: draft), overview.md and cheatsheets/{track}/{slug}.md")
    where = _position_text(project, track, slug)
    phase_note = f" in a new phase {target.new_phase!r}" if target.phase is None else ""
    print(f"updated lessons/{track}/track.yml{phase_note}: {slug} is {where} (counting drafts)")
    if tf.used_fallback:
        print(f"note: lessons/{track}/track.yml was rewritten by the YAML round-trip writer; review its layout")
    if order != new_order:
        moved = _renumbered(before, _numbering(project, track))
        if len(moved) > 1:
            print("numbering, counting drafts:\n" + "\n".join(moved))
    print("next: write the lesson, preview it with `mkdocs serve`, then delete its `status: draft` line to publish it")
    return 0


# -- tracksite move -----------------------------------------------------------------------------
@editing_command
def cmd_move(args: argparse.Namespace) -> int:
    root = project_root(args)
    track = args.track
    folder = track_dir(root, track)
    slug = checked_slug(args.slug, "lesson")
    if args.after is None and not args.first and args.phase is None:
        raise CommandError('say where the lesson goes: --after OTHER, --first, or --phase "Title"')
    tf = open_track(root, folder)
    found = tf.where(slug)
    if found is None:
        raise CommandError(f"lessons/{track}/track.yml has no lesson {slug!r}{did_you_mean(slug, tf.slugs)}")
    project_before, errors_before = course_errors(root, site_config(args))
    before = _numbering(project_before, track)
    old_phase, old_pos = found
    without = [type(p)(p.title, [s for s in p.lessons if s != slug]) for p in tf.phases]
    target = _resolve_target(
        tf, without, slug=slug, after=args.after, first=args.first, phase=args.phase, track=track, default_end=False
    )
    assert target is not None
    original = [(p.title, list(p.lessons)) for p in tf.phases]
    alone = len(tf.phases[old_phase].lessons) == 1
    if target.phase is None:
        tf.add_phase(target.new_phase or DEFAULT_PHASE, [slug])
        if alone:
            tf.delete_phase(old_phase)
        else:
            tf.delete_at(old_phase, old_pos)
    elif alone and target.phase != old_phase:
        tf.insert_at(target.phase, target.position, slug)
        tf.delete_phase(old_phase)
    elif not alone:
        tf.delete_at(old_phase, old_pos)
        tf.insert_at(target.phase, target.position, slug)
    if [(p.title, p.lessons) for p in tf.phases] == original:
        print(f"{track}/{slug} is there already; nothing to change")
        return 0
    changes = Changes(root)
    changes.write(tf.path, tf.dump())
    project = apply_checked(root, changes, len(errors_before), site_config(args))
    print(f"updated lessons/{track}/track.yml: {slug} is {_position_text(project, track, slug)} (counting drafts)")
    if alone and target.phase != old_phase:
        print(f"phase {original[old_phase][0]!r} had no other lesson and was removed")
    if target.phase is None:
        print(f"created phase {target.new_phase!r} at the end of the track")
    if tf.used_fallback:
        print(f"note: lessons/{track}/track.yml was rewritten by the YAML round-trip writer; review its layout")
    moved = _renumbered(before, _numbering(project, track))
    if moved:
        print("numbering, counting drafts:\n" + "\n".join(moved))
    print("links need no change: lesson addresses carry slugs, not numbers")
    return 0


# -- the command line ---------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser(
        "new",
        help="start a track, or a lesson with its overview and cheatsheet",
        description="Start a track or a lesson from starter files that already build.",
    )
    new_sub = p.add_subparsers(dest="what", metavar="WHAT")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])

    _register_new_track(new_sub, fmt)
    _register_new_lesson(new_sub, fmt)

    _register_move_rename(sub)


def _register_new_track(new_sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    """`tracksite new track`."""
    t = new_sub.add_parser(
        "track",
        help="start a track: lessons/SLUG/track.yml and a first draft lesson",
        formatter_class=fmt,
        description=textwrap.dedent("""\
            Create lessons/SLUG/track.yml with one phase. A track needs at least one lesson, so the
            phase starts with a first draft lesson (lessons/SLUG/introduction/, its overview and
            cheatsheet); rename it with `tracksite rename`, or move lessons in front of it.""")
        + "\n\n"
        + textwrap.fill(CHANGE_RULE, 92),
        epilog='example: tracksite new track nlp-basics --number 6 --title "Language processing basics"',
    )
    t.add_argument("slug", metavar="SLUG", help="the track's slug: lower-case letters, digits and hyphens")
    t.add_argument("--number", type=int, required=True, help="the track's number, unique in the course (1-999)")
    t.add_argument("--title", required=True, help="the track's title")
    t.add_argument("--summary", help="one or two sentences for the home page")
    t.add_argument("--phase", help=f"the first phase's title (default: {DEFAULT_PHASE!r}, in the course's language)")
    t.add_argument(
        "--first-lesson",
        default=DEFAULT_FIRST_LESSON,
        metavar="SLUG",
        help=f"the first lesson's slug (default: {DEFAULT_FIRST_LESSON})",
    )
    t.add_argument(
        "--first-lesson-title",
        metavar="TITLE",
        help="the first lesson's title (default: 'Introduction to' and the track's title, in the course's language)",
    )
    t.set_defaults(handler=cmd_new_track)


def _register_new_lesson(new_sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    """`tracksite new lesson`."""
    l = new_sub.add_parser(
        "lesson",
        help="start a draft lesson with its overview and cheatsheet",
        formatter_class=fmt,
        description=textwrap.dedent("""\
            Create lessons/TRACK/SLUG/lesson.md and overview.md and cheatsheets/TRACK/SLUG.md, and
            list SLUG in track.yml (its comments and layout are kept). The lesson starts as a draft
            (`status: draft`): `mkdocs serve` shows it, `mkdocs build` leaves it out until you delete
            that line. Without --after, --first or --phase it goes at the end of the track.""")
        + "\n\n"
        + textwrap.fill(CHANGE_RULE, 92),
        epilog='example: tracksite new lesson deep-learning-survey normalisation --title "Normalisation layers" --after convolutions',
    )
    l.add_argument("track", metavar="TRACK", help="the track's slug (its folder under lessons/)")
    l.add_argument("slug", metavar="SLUG", help="the new lesson's slug: lower-case letters, digits and hyphens")
    l.add_argument("--title", required=True, help="the lesson's title")
    l.add_argument("--summary", help="one sentence for the track page and the meta description")
    l.add_argument(
        "--objective",
        action="append",
        metavar="TEXT",
        help='an objective ("By the end, you\'ll be able to ..."); repeat for several',
    )
    _position_options(l)
    l.set_defaults(handler=cmd_new_lesson)


def _register_move_rename(sub: argparse._SubParsersAction) -> None:
    """`tracksite move` and `tracksite rename`."""
    fmt = argparse.RawDescriptionHelpFormatter
    m = sub.add_parser(
        "move",
        help="reorder a lesson; numbering and previous/next follow",
        formatter_class=fmt,
        description=textwrap.dedent("""\
            Move a lesson within its track by editing track.yml only. Lesson numbers, "Lesson N of M"
            and previous/next are computed from track.yml, and addresses carry slugs, not numbers, so
            no link changes. A phase left without lessons is removed; --phase with a new title
            creates that phase at the end of the track.""")
        + "\n\n"
        + textwrap.fill(CHANGE_RULE, 92),
        epilog="examples:\n  tracksite move deep-learning-survey convolutions --after deep-learning-era\n"
        '  tracksite move deep-learning-survey convolutions --first --phase "Seeing with networks"',
    )
    m.add_argument("track", metavar="TRACK", help="the track's slug")
    m.add_argument("slug", metavar="SLUG", help="the lesson to move")
    _position_options(m)
    m.set_defaults(handler=cmd_move)

    r = sub.add_parser(
        "rename",
        help="rename a lesson's slug and every reference to it",
        formatter_class=fmt,
        description=textwrap.dedent("""\
            Rename lesson OLD of TRACK to NEW: its folder, its cheatsheet, its track.yml entry, and
            every lesson:, overview: and cheatsheet: link, prerequisite and deep dive that names it,
            in every track and in docs/. The lesson's address changes from TRACK/OLD/ to TRACK/NEW/;
            --redirect records the old address in lessons/TRACK/redirects.yml so that it keeps
            leading to the lesson.""")
        + "\n\n"
        + textwrap.fill(CHANGE_RULE, 92),
        epilog="example: tracksite rename deep-learning-survey convolutions convolutional-networks --redirect",
    )
    r.add_argument("track", metavar="TRACK", help="the track's slug")
    r.add_argument("old", metavar="OLD", help="the lesson's current slug")
    r.add_argument("new", metavar="NEW", help="the new slug")
    r.add_argument("--redirect", action="store_true", help="keep the old address working with a redirect page")
    r.set_defaults(handler=cmd_rename)


def _position_options(p: argparse.ArgumentParser) -> None:
    where = p.add_argument_group("where the lesson goes")
    where.add_argument("--after", metavar="OTHER", help="right after lesson OTHER, in OTHER's phase")
    where.add_argument("--first", action="store_true", help="first in the track, or first of --phase")
    where.add_argument(
        "--phase", metavar="TITLE", help="at the end of this phase (first with --first); a new title creates the phase"
    )
