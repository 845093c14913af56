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
  (`introduction` unless --first-lesson says otherwise). `rename` and `move` reshape it later.
- A phase left empty by `move` is removed from track.yml; `--phase` with a title no phase has
  creates that phase at the end of the track (a title close to an existing one is refused as a
  likely typo).
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tracksite.core import redirects
from tracksite.core import references as refs
from tracksite.core.schema import SLUG_RE
from tracksite.core.sources import SourceProblem, read_text, split_front_matter
from tracksite.commands.trackfile import TrackFile, TrackFileError, yaml_scalar
from tracksite.core.yamlsafe import YamlProblem, parse

DEFAULT_PHASE = "Getting started"
DEFAULT_FIRST_LESSON = "introduction"


class CommandError(Exception):
    """A problem with the command or the course, shown as text without a traceback."""


# -- running a command ----------------------------------------------------------------------
def _command(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        name = " ".join(p for p in (args.command, getattr(args, "what", None)) if p)
        try:
            return handler(args)
        except CommandError as e:  # anything else is a bug, reported by tracksite.commands.cli.main
            print(f"tracksite {name}: error: {e}", file=sys.stderr)
            return 1

    return run


def _root(args: argparse.Namespace) -> Path:
    root = Path(getattr(args, "root", ".") or ".").resolve()
    if not (root / "lessons").is_dir() and not (root / "mkdocs.yml").is_file():
        raise CommandError(f"{root} is not a tracksite project (no lessons/ folder or mkdocs.yml); "
                           "run the command in the project folder or pass --root")
    return root


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _slug(value: str, what: str) -> str:
    if not SLUG_RE.match(value) or value != value.strip() or "\n" in value:
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f"; for example {suggestion!r}" if suggestion and SLUG_RE.match(suggestion) else ""
        raise CommandError(f"{what} {value!r} is not a slug: use lower-case letters, digits and single hyphens{hint}")
    return value


def _title(value: str, what: str = "--title", limit: int = 120) -> str:
    value = " ".join(value.split())
    if not value:
        raise CommandError(f"{what} must not be empty")
    if len(value) > limit:
        raise CommandError(f"{what} is {len(value)} characters long; at most {limit}")
    return value


def _near(word: str, options) -> str:
    near = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def _track_dir(root: Path, track: str) -> Path:
    _slug(track, "track")
    folder = root / "lessons" / track
    if not (folder / "track.yml").is_file():
        known = sorted(p.name for p in (root / "lessons").glob("*/track.yml") for p in [p.parent])
        listing = f" (tracks: {', '.join(known)})" if known else ""
        raise CommandError(f"no track {track!r}: lessons/{track}/track.yml does not exist{_near(track, known)}{listing}")
    return folder


def _open_track(root: Path, folder: Path) -> TrackFile:
    try:
        return TrackFile(folder / "track.yml")
    except TrackFileError as e:
        where = f"{_rel(root, folder / 'track.yml')}:{e.line}" if e.line else _rel(root, folder / "track.yml")
        raise CommandError(f"{where}: {e.message}; fix it first (tracksite check shows every problem)") from None


# -- applying changes together ----------------------------------------------------------------
@dataclass
class Changes:
    """File writes and moves applied in order, and undone together if anything fails."""

    root: Path
    ops: list[tuple] = field(default_factory=list)
    _undo: list[tuple] = field(default_factory=list)

    def write(self, path: Path, text: str) -> None:
        self.ops.append(("write", path, text))

    def move(self, src: Path, dst: Path) -> None:
        self.ops.append(("move", src, dst))

    def apply(self) -> None:
        try:
            for op in self.ops:
                if op[0] == "write":
                    _, path, text = op
                    before = path.read_bytes() if path.exists() else None
                    made = _make_parents(path.parent)
                    self._undo.append(("write", path, before, made))
                    path.write_bytes(text.encode("utf-8"))
                else:
                    _, src, dst = op
                    if dst.exists():
                        raise CommandError(f"{_rel(self.root, dst)} exists already; nothing was changed")
                    made = _make_parents(dst.parent)
                    os.rename(src, dst)
                    self._undo.append(("move", src, dst, made))
        except OSError as e:
            self.rollback()
            raise CommandError(f"could not write {getattr(e, 'filename', '') or 'a file'}: {e.strerror or e}; "
                               "nothing was changed") from None
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        for entry in reversed(self._undo):
            if entry[0] == "write":
                _, path, before, made = entry
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(before)
            else:
                _, src, dst, made = entry
                os.rename(dst, src)
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:
                    pass
        self._undo.clear()


def _make_parents(folder: Path) -> list[Path]:
    made = []
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    for f in reversed(made):
        f.mkdir()
    return list(reversed(made))


def _errors(root: Path):
    from tracksite.core.loader import load

    docs = root / "docs"
    project = load(root, include_drafts=True, docs_dir=docs if docs.is_dir() else None)
    assert project.problems is not None
    return project, project.problems.errors


def _apply_checked(root: Path, changes: Changes, errors_before: int):
    """Apply, check the course again, and roll back if the command added errors."""
    changes.apply()
    try:
        project, errors = _errors(root)
    except BaseException:
        changes.rollback()
        raise
    if len(errors) > errors_before:
        changes.rollback()
        from tracksite.core.problems import format_text

        raise CommandError("the change would leave the course with errors, so nothing was changed:\n"
                           + format_text(errors))
    return project


# -- starter files ------------------------------------------------------------------------------
def _in_sentence(title: str) -> str:
    """A title inside a sentence: "Gradient descent" -> "gradient descent", "LSTMs" stays."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def starter_lesson(title: str, *, summary: str | None, objectives: list[str], previous: str | None,
                   body_read: int | None = None) -> tuple[str, str]:
    """(front-matter, body) of a new lesson; the read time is filled in from the body's words."""
    from tracksite.core.readingtime import reading_minutes

    t = _in_sentence(title)
    summary = summary or f"The idea behind {t}, how it works and where it is used."
    objectives = objectives or [f"explain the main idea of {t} and give an example of it"]
    body = STARTER_BODY.format(title=title, t=t, card_term=yaml_scalar(title),
                               card_answer=yaml_scalar(f"The main idea of {t}, in one or two sentences a learner can recall."))
    read = body_read or reading_minutes(body)
    pre = previous or "earlier-lesson"
    lines = [
        "---",
        f"title: {yaml_scalar(title)}",
        f"summary: {yaml_scalar(summary)}",
        "objectives:                 # what a learner can do by the end; the quiz and flashcards practise each",
        *[f"  - {yaml_scalar(o)}" for o in objectives],
        "# prerequisites:            # what to know first: a lesson (slug, or track/slug) or free text",
        f"#   - lesson: {pre}",
        "#   - text: Comfort with vectors and dot products",
        "time:",
        f"  read: {read}                    # minutes at 200 words a minute; tracksite check says when it is off",
        "  practice: 5                # minutes for the Practice section",
        "difficulty: standard         # intro | standard | advanced",
        "math: none                   # none | light | heavy",
        "# deep_dives:                # lessons of other tracks that go deeper, as track/slug",
        "#   - other-track/lesson-slug",
        "# credits: Sources this lesson draws on, shown at its foot.",
        "status: draft                # a draft is shown by `mkdocs serve` only: delete this line to publish",
        "---",
        "",
    ]
    return "\n".join(lines), body


STARTER_BODY = """\
Start with the question this lesson answers: which problem its subject solves, and why a learner \
meets that problem at this point in the track. Two or three sentences are enough.

## The idea, step by step

Build the idea in short steps, each with its own concrete example, and prefer small worked \
numbers to general definitions. Put diagrams beside this file as SVG files and describe each one \
in its alt text. Link other lessons by name, never by address, so links survive renumbering and \
renaming.

## Where it goes wrong

Name the usual misunderstandings and the cases where the idea does not apply, with one example \
of each.

## Practice

//// exercise | Explain it in your own words
Explain {t} to a classmate who missed this lesson, in three or four sentences, with one example.

/// solution
A strong answer names the problem, states the idea in plain words and shows it working on a \
small example.
///
////

/// flashcards
- term: {card_term}
  answer: {card_answer}
///
"""

STARTER_OVERVIEW = """\
## What you'll learn

Say in a few sentences what this lesson covers and what a learner takes away from it. The \
objectives from the lesson's front-matter are listed above this text, so describe the path \
through the lesson rather than repeating them.

## Where this fits

Name the lesson that comes before this one and the one after it, and say how this lesson \
connects them.

## Before you start

Say what a learner should already know. Lessons listed as prerequisites are linked from the \
lesson header.

## About the math

Say how much mathematics the lesson uses and of which kind, so that a learner can plan.
"""

STARTER_CHEATSHEET = """\
## Key ideas

- The three or four facts about {t} a learner needs at a glance.

## Terms

| Term | What it means |
|---|---|
| {cell} | One line a learner can recall. |

## Pitfalls

- A common mistake, and how to avoid it.
"""


def _lesson_files(root: Path, track: str, slug: str) -> list[Path]:
    return [root / "lessons" / track / slug, root / "cheatsheets" / track / f"{slug}.md"]


def _refuse_existing_lesson(root: Path, track: str, slug: str, tf: TrackFile) -> None:
    for path in _lesson_files(root, track, slug):
        if path.exists():
            raise CommandError(f"{_rel(root, path)} exists already: lesson {track}/{slug} is taken; "
                               "pick another slug (nothing is ever overwritten)")
    found = tf.where(slug)
    if found:
        raise CommandError(f"lessons/{track}/track.yml lists {slug!r} already (phase {found[0] + 1}); pick another slug")
    current, _ = redirects.read(root / "lessons" / track)
    for r in current:
        if r.old == slug:
            raise CommandError(f"lessons/{track}/redirects.yml:{r.line}: the old address {track}/{slug}/ "
                               f"redirects to {r.new!r}; pick another slug, or delete that line first")


def _add_lesson_files(changes: Changes, root: Path, track: str, slug: str, title: str, *,
                      summary: str | None, objectives: list[str], previous: str | None) -> None:
    front, body = starter_lesson(title, summary=summary, objectives=objectives, previous=previous)
    folder = root / "lessons" / track / slug
    changes.write(folder / "lesson.md", front + body)
    changes.write(folder / "overview.md", STARTER_OVERVIEW)
    cell = title.replace("|", "\\|")
    changes.write(root / "cheatsheets" / track / f"{slug}.md", STARTER_CHEATSHEET.format(t=_in_sentence(title), cell=cell))


# -- where a lesson goes ------------------------------------------------------------------------
@dataclass
class Target:
    phase: int | None  # index of an existing phase, or None for a new phase
    position: int = 0
    new_phase: str | None = None


def _resolve_target(tf: TrackFile, phases: list, *, slug: str, after: str | None, first: bool,
                    phase: str | None, track: str, default_end: bool) -> Target | None:
    """Where `slug` goes in `phases` (which does not contain it); None when nothing says where."""
    if after is not None and first:
        raise CommandError("give --after or --first, not both")
    if after is not None:
        _slug(after, "--after")
        if after == slug:
            raise CommandError("a lesson cannot be placed after itself")
        for i, p in enumerate(phases):
            if after in p.lessons:
                if phase is not None and tf.find_phase(phase) != i:
                    raise CommandError(f"{after!r} is in phase {i + 1} {p.title!r}, not in {phase!r}; "
                                       "give --after alone, or a lesson of that phase")
                return Target(i, p.lessons.index(after) + 1)
        known = [s for p in phases for s in p.lessons]
        raise CommandError(f"--after {after!r}: lessons/{track}/track.yml has no lesson {after!r}{_near(after, known)}")
    if phase is not None:
        title = _title(phase, "--phase")
        index = tf.find_phase(title)
        if index is None:
            titles = [p.title for p in phases]
            near = difflib.get_close_matches(title, titles, n=1, cutoff=0.75)
            if near:
                raise CommandError(f"no phase {title!r} in lessons/{track}/track.yml; did you mean {near[0]!r}? "
                                   "(a new phase needs a title unlike the existing ones)")
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
@_command
def cmd_new_track(args: argparse.Namespace) -> int:
    root = _root(args)
    slug = _slug(args.slug, "track")
    title = _title(args.title)
    summary = _title(args.summary, "--summary", 400) if args.summary else None
    phase = _title(args.phase, "--phase") if args.phase else DEFAULT_PHASE
    first = _slug(args.first_lesson, "--first-lesson")
    first_title = _title(args.first_lesson_title) if args.first_lesson_title else f"Introduction to {_in_sentence(title)}"
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
        except (YamlProblem, SourceProblem):
            continue
        if isinstance(data, dict) and data.get("number") == args.number:
            raise CommandError(f"{_rel(root, other)}: track number {args.number} is taken by "
                               f"{other.parent.name!r}; pick another --number")
    _, errors_before = _errors(root)
    summary_text = summary or f"A track on {_in_sentence(title)}."
    track_yml = (
        f"# Track {args.number}: {title}.\n"
        "# Lesson order lives here and nowhere else: lesson numbers are computed from it.\n"
        f"# Add lessons with `tracksite new lesson {slug} SLUG --title \"...\"`; reorder them with `tracksite move`.\n"
        f"number: {args.number}\n"
        f"title: {yaml_scalar(title)}\n"
        f"summary: {yaml_scalar(summary_text)}\n"
        "phases:\n"
        f"  - title: {yaml_scalar(phase)}\n"
        "    lessons:\n"
        f"      - {first}\n"
    )
    changes = Changes(root)
    changes.write(folder / "track.yml", track_yml)
    _add_lesson_files(changes, root, slug, first, first_title, summary=None, objectives=[], previous=None)
    _apply_checked(root, changes, len(errors_before))
    print(f"created lessons/{slug}/track.yml: Track {args.number}, {title!r}, phase {phase!r}")
    print(f"created lessons/{slug}/{first}/lesson.md, overview.md and cheatsheets/{slug}/{first}.md "
          f"(draft): the track's first lesson, {first_title!r}")
    if not summary:
        print(f"next: write the track's summary for the home page in lessons/{slug}/track.yml")
    print(f"next: add lessons with `tracksite new lesson {slug} SLUG --title \"...\"`; "
          f"`tracksite rename {slug} {first} NEW` renames the first one")
    return 0


# -- tracksite new lesson -----------------------------------------------------------------------
@_command
def cmd_new_lesson(args: argparse.Namespace) -> int:
    root = _root(args)
    track = args.track
    folder = _track_dir(root, track)
    slug = _slug(args.slug, "lesson")
    title = _title(args.title)
    summary = _title(args.summary, "--summary", 300) if args.summary else None
    objectives = [_title(o, "--objective", 300) for o in (args.objective or [])]
    tf = _open_track(root, folder)
    _refuse_existing_lesson(root, track, slug, tf)
    project_before, errors_before = _errors(root)
    before = _numbering(project_before, track)
    target = _resolve_target(tf, tf.phases, slug=slug, after=args.after, first=args.first, phase=args.phase,
                             track=track, default_end=True)
    assert target is not None
    order = tf.slugs
    _place(tf, slug, target)
    new_order = tf.slugs
    index = new_order.index(slug)
    previous = new_order[index - 1] if index > 0 else None
    changes = Changes(root)
    _add_lesson_files(changes, root, track, slug, title, summary=summary, objectives=objectives, previous=previous)
    changes.write(tf.path, tf.dump())
    project = _apply_checked(root, changes, len(errors_before))
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
@_command
def cmd_move(args: argparse.Namespace) -> int:
    root = _root(args)
    track = args.track
    folder = _track_dir(root, track)
    slug = _slug(args.slug, "lesson")
    if args.after is None and not args.first and args.phase is None:
        raise CommandError("say where the lesson goes: --after OTHER, --first, or --phase \"Title\"")
    tf = _open_track(root, folder)
    found = tf.where(slug)
    if found is None:
        raise CommandError(f"lessons/{track}/track.yml has no lesson {slug!r}{_near(slug, tf.slugs)}")
    project_before, errors_before = _errors(root)
    before = _numbering(project_before, track)
    old_phase, old_pos = found
    without = [type(p)(p.title, [s for s in p.lessons if s != slug]) for p in tf.phases]
    target = _resolve_target(tf, without, slug=slug, after=args.after, first=args.first, phase=args.phase,
                             track=track, default_end=False)
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
    project = _apply_checked(root, changes, len(errors_before))
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


# -- tracksite rename ---------------------------------------------------------------------------
_LINK_KINDS = ("lesson", "overview", "cheatsheet")


@dataclass
class Rewrite:
    path: Path
    text: str
    edits: list[str]  # "line: old -> new"
    warnings: list[str]


def _markdown_files(root: Path) -> list[tuple[Path, str | None]]:
    """Every Markdown source with the track its short links are relative to."""
    out: list[tuple[Path, str | None]] = []
    lessons = root / "lessons"
    if lessons.is_dir():
        for path in sorted(lessons.glob("*/*/*.md")):
            out.append((path, path.parent.parent.name))
    cheats = root / "cheatsheets"
    if cheats.is_dir():
        for path in sorted(cheats.glob("*/*.md")):
            out.append((path, path.parent.name))
    docs = root / "docs"
    if docs.is_dir():
        for path in sorted(docs.rglob("*.md")):
            out.append((path, None))
    return out


def rewrite_references(path: Path, text: str, file_track: str | None, track: str, old: str, new: str) -> Rewrite:
    """`text` (normalised to \\n) with every reference to track/old pointing at track/new: links
    in the body, and `prerequisites` and `deep_dives` in a lesson's front-matter."""
    try:
        src = split_front_matter(path, text)
    except SourceProblem as e:
        raise CommandError(f"{path}:{e.line or 1}: {e.message}; fix it first") from None
    lines = text.split("\n")
    body_offset = sum(len(l) + 1 for l in lines[: src.body_line - 1])
    edits, warnings = [], []
    replacements: dict[tuple[int, int], str] = {}
    for link in refs.find_links(src.body, src.body_line):
        kind = refs.scheme_of(link.target)
        if kind in _LINK_KINDS:
            ref = refs.parse(link.target, file_track)
            if isinstance(ref, refs.Ref) and ref.track == track and ref.lesson == old:
                rest = link.target.partition(":")[2]
                explicit = rest.split("#", 1)[0].count("/") == 1
                anchor = "#" + rest.split("#", 1)[1] if "#" in rest else ""
                target = f"{kind}:{track + '/' if explicit else ''}{new}{anchor}"
                replacements[(body_offset + link.start, body_offset + link.end)] = target
                edits.append(f"{link.line}: {link.target} -> {target}")
        elif kind is None and re.search(rf"(^|/){re.escape(old)}(/|$|#)", link.target) and "://" not in link.target:
            warnings.append(f"{link.line}: link {link.target!r} may point at the old address; "
                            f"write it as lesson:{track}/{new}")
    new_text = refs.rewrite(text, replacements)
    # Front-matter: edit only the lines the parser says hold the references.
    meta = src.meta.value if src.has_front_matter and isinstance(src.meta.value, dict) else {}
    expected: list[tuple[tuple, str]] = []
    line_edits: list[tuple[int, str, str, bool]] = []
    prerequisites = meta.get("prerequisites") if isinstance(meta.get("prerequisites"), list) else []
    for i, item in enumerate(prerequisites):
        if isinstance(item, dict) and isinstance(item.get("lesson"), str):
            value = item["lesson"]
            if value == f"{track}/{old}" or (value == old and file_track == track):
                replacement = f"{track}/{new}" if "/" in value else new
                line = src.meta.lines.get(("prerequisites", i, "lesson"))
                line_edits.append((line, value, replacement, True))
                expected.append((("prerequisites", i, "lesson"), replacement))
    deep = meta.get("deep_dives") if isinstance(meta.get("deep_dives"), list) else []
    for i, item in enumerate(deep):
        if item == f"{track}/{old}":
            line = src.meta.lines.get(("deep_dives", i))
            line_edits.append((line, item, f"{track}/{new}", False))
            expected.append((("deep_dives", i), f"{track}/{new}"))
    if line_edits:
        out_lines = new_text.split("\n")
        for line, value, replacement, after_key in line_edits:
            if line is None:
                raise CommandError(f"{path}: cannot find the line of {value!r} in the front-matter; edit it by hand")
            current = out_lines[line - 1]
            start = 0
            if after_key:
                m = re.search(r"\blesson\s*:", current)
                start = m.end() if m else 0
            pattern = re.compile(r"(?<![A-Za-z0-9/_.-])" + re.escape(value) + r"(?![A-Za-z0-9/_.-])")
            m = pattern.search(current, start)
            if not m:
                raise CommandError(f"{path}:{line}: cannot find {value!r} on this line; edit it by hand and run again")
            out_lines[line - 1] = current[: m.start()] + replacement + current[m.end():]
            edits.append(f"{line}: {value} -> {replacement}")
        new_text = "\n".join(out_lines)
        check = split_front_matter(path, new_text).meta.value
        for key_path, value in expected:
            node = check
            for k in key_path:
                node = node[k]
            if node != value:  # pragma: no cover - the regex found the wrong token
                raise CommandError(f"{path}: could not rewrite {key_path} safely; edit it by hand")
    return Rewrite(path, new_text, sorted(edits, key=lambda e: int(e.split(":")[0])), warnings)


def _read_keeping_format(path: Path) -> tuple[str, bool, bool]:
    raw = path.read_bytes()
    try:
        text = read_text(path)
    except SourceProblem as e:
        raise CommandError(f"{path}:{e.line or 1}: {e.message}; fix it first") from None
    return text, raw.startswith(b"\xef\xbb\xbf"), b"\r\n" in raw


def _restore_format(text: str, bom: bool, crlf: bool) -> str:
    return ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)


@_command
def cmd_rename(args: argparse.Namespace) -> int:
    root = _root(args)
    track = args.track
    folder = _track_dir(root, track)
    old = _slug(args.old, "old slug")
    new = _slug(args.new, "new slug")
    if old == new:
        raise CommandError("the old and new slugs are the same")
    tf = _open_track(root, folder)
    found = tf.where(old)
    if found is None:
        raise CommandError(f"lessons/{track}/track.yml has no lesson {old!r}{_near(old, tf.slugs)}")
    if not (folder / old).is_dir():
        raise CommandError(f"lessons/{track}/{old}/ does not exist; create it or remove {old!r} from track.yml")
    for path in _lesson_files(root, track, new):
        if path.exists():
            raise CommandError(f"{_rel(root, path)} exists already; pick another new slug (nothing is ever overwritten)")
    if tf.where(new):
        raise CommandError(f"lessons/{track}/track.yml lists {new!r} already; pick another new slug")
    _, errors_before = _errors(root)

    rel = lambda p: _rel(root, p)  # noqa: E731
    changes = Changes(root)
    old_dir, new_dir = folder / old, folder / new
    old_sheet, new_sheet = root / "cheatsheets" / track / f"{old}.md", root / "cheatsheets" / track / f"{new}.md"
    changes.move(old_dir, new_dir)
    if old_sheet.exists():
        changes.move(old_sheet, new_sheet)
    tf.replace_at(found[0], found[1], new)
    changes.write(tf.path, tf.dump())
    report: list[str] = []
    warnings: list[str] = []
    for path, file_track in _markdown_files(root):
        text, bom, crlf = _read_keeping_format(path)
        result = rewrite_references(path, text, file_track, track, old, new)
        destination = path
        if path.parent == old_dir:
            destination = new_dir / path.name
        elif path == old_sheet:
            destination = new_sheet
        warnings += [f"{rel(destination)}:{w}" for w in result.warnings]
        if result.text != text:
            changes.write(destination, _restore_format(result.text, bom, crlf))
            report += [f"  {rel(destination)}:{e}" for e in result.edits]
    current, _ = redirects.read(folder)
    redirect_path = redirects.path_for(folder)
    if args.redirect or any(r.new == old or r.old == new for r in current):
        text = redirects.record(folder, old, new)
        if not args.redirect:  # keep existing redirects working without adding one for `old`
            text = "".join(l + "\n" for l in text.split("\n")[:-1] if not l.startswith(f"{old}: "))
        changes.write(redirect_path, text)
    _apply_checked(root, changes, len(errors_before))
    print(f"renamed {rel(old_dir)}/ -> {rel(new_dir)}/")
    if old_sheet.exists() or new_sheet.exists():
        print(f"renamed {rel(old_sheet)} -> {rel(new_sheet)}")
    print(f"updated lessons/{track}/track.yml")
    if report:
        n_files = len({r.split(':')[0] for r in report})
        print(f"updated {len(report)} reference{'s' if len(report) != 1 else ''} in {n_files} file{'s' if n_files != 1 else ''}:")
        print("\n".join(report))
    if args.redirect:
        print(f"redirect: {track}/{old}/ now leads to {track}/{new}/ (lessons/{track}/redirects.yml)")
    else:
        print(f"note: the old address {track}/{old}/ no longer exists; --redirect keeps it working")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0


# -- the command line ---------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("new", help="start a track, or a lesson with its overview and cheatsheet",
                       description="Start a track or a lesson from starter files that already build.")
    new_sub = p.add_subparsers(dest="what", metavar="WHAT")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])

    t = new_sub.add_parser(
        "track", help="start a track: lessons/SLUG/track.yml and a first draft lesson", formatter_class=fmt,
        description=textwrap.dedent("""\
            Create lessons/SLUG/track.yml with one phase. A track needs at least one lesson, so the
            phase starts with a first draft lesson (lessons/SLUG/introduction/, its overview and
            cheatsheet); rename it with `tracksite rename`, or move lessons in front of it."""),
        epilog='example: tracksite new track nlp-basics --number 6 --title "Language processing basics"')
    t.add_argument("slug", metavar="SLUG", help="the track's slug: lower-case letters, digits and hyphens")
    t.add_argument("--number", type=int, required=True, help="the track's number, unique in the course (1-999)")
    t.add_argument("--title", required=True, help="the track's title")
    t.add_argument("--summary", help="one or two sentences for the home page")
    t.add_argument("--phase", help=f"the first phase's title (default: {DEFAULT_PHASE!r})")
    t.add_argument("--first-lesson", default=DEFAULT_FIRST_LESSON, metavar="SLUG",
                   help=f"the first lesson's slug (default: {DEFAULT_FIRST_LESSON})")
    t.add_argument("--first-lesson-title", metavar="TITLE",
                   help="the first lesson's title (default: 'Introduction to' and the track's title)")
    t.set_defaults(handler=cmd_new_track)

    l = new_sub.add_parser(
        "lesson", help="start a draft lesson with its overview and cheatsheet", formatter_class=fmt,
        description=textwrap.dedent("""\
            Create lessons/TRACK/SLUG/lesson.md and overview.md and cheatsheets/TRACK/SLUG.md, and
            list SLUG in track.yml (its comments and layout are kept). The lesson starts as a draft
            (`status: draft`): `mkdocs serve` shows it, `mkdocs build` leaves it out until you delete
            that line. Without --after, --first or --phase it goes at the end of the track."""),
        epilog='example: tracksite new lesson deep-learning-survey normalisation --title "Normalisation layers" --after convolutions')
    l.add_argument("track", metavar="TRACK", help="the track's slug (its folder under lessons/)")
    l.add_argument("slug", metavar="SLUG", help="the new lesson's slug: lower-case letters, digits and hyphens")
    l.add_argument("--title", required=True, help="the lesson's title")
    l.add_argument("--summary", help="one sentence for the track page and the meta description")
    l.add_argument("--objective", action="append", metavar="TEXT",
                   help="an objective (\"By the end, you'll be able to ...\"); repeat for several")
    _position_options(l)
    l.set_defaults(handler=cmd_new_lesson)

    m = sub.add_parser(
        "move", help="reorder a lesson; numbering and previous/next follow", formatter_class=fmt,
        description=textwrap.dedent("""\
            Move a lesson within its track by editing track.yml only. Lesson numbers, "Lesson N of M"
            and previous/next are computed from track.yml, and addresses carry slugs, not numbers, so
            no link changes. A phase left without lessons is removed; --phase with a new title
            creates that phase at the end of the track."""),
        epilog="examples:\n  tracksite move deep-learning-survey convolutions --after deep-learning-era\n"
               "  tracksite move deep-learning-survey convolutions --first --phase \"Seeing with networks\"")
    m.add_argument("track", metavar="TRACK", help="the track's slug")
    m.add_argument("slug", metavar="SLUG", help="the lesson to move")
    _position_options(m)
    m.set_defaults(handler=cmd_move)

    r = sub.add_parser(
        "rename", help="rename a lesson's slug and every reference to it", formatter_class=fmt,
        description=textwrap.dedent("""\
            Rename lesson OLD of TRACK to NEW: its folder, its cheatsheet, its track.yml entry, and
            every lesson:, overview: and cheatsheet: link, prerequisite and deep dive that names it,
            in every track and in docs/. The lesson's address changes from TRACK/OLD/ to TRACK/NEW/;
            --redirect records the old address in lessons/TRACK/redirects.yml so that it keeps
            leading to the lesson."""),
        epilog="example: tracksite rename deep-learning-survey convolutions convolutional-networks --redirect")
    r.add_argument("track", metavar="TRACK", help="the track's slug")
    r.add_argument("old", metavar="OLD", help="the lesson's current slug")
    r.add_argument("new", metavar="NEW", help="the new slug")
    r.add_argument("--redirect", action="store_true", help="keep the old address working with a redirect page")
    r.set_defaults(handler=cmd_rename)


def _position_options(p: argparse.ArgumentParser) -> None:
    where = p.add_argument_group("where the lesson goes")
    where.add_argument("--after", metavar="OTHER", help="right after lesson OTHER, in OTHER's phase")
    where.add_argument("--first", action="store_true", help="first in the track, or first of --phase")
    where.add_argument("--phase", metavar="TITLE",
                       help="at the end of this phase (first with --first); a new title creates the phase")
