"""What the course-editing commands (`new`, `move`, `rename`, `remove`) share: argument checks that
fail with one clear line, the project's root, and applying a set of file changes only if the course
still checks afterwards. Their one home, public: the commands import each by name."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracksite.adapter.config import mkdocsconfig
from tracksite.commands.changes import Changes, recover
from tracksite.commands.trackfile import TrackFile
from tracksite.core.problems.problem import format_text, printable, starts_workflow_command
from tracksite.core.schema.specs import SLUG_RE, slugify
from tracksite.errors import USAGE, SourceProblem, UserError

CommandError = UserError  # the commands' name for it


# -- running a command ----------------------------------------------------------------------
def editing_command(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        name = " ".join(p for p in (args.command, getattr(args, "what", None)) if p)
        try:
            return handler(args)
        except CommandError as e:  # anything else is a bug, reported by tracksite.commands.cli.main
            print(f"tracksite {name}: error: {e}", file=sys.stderr)
            return e.exit_code

    return run


def course_root(args: argparse.Namespace) -> Path:
    """The course the command works on: `--root` (or the current folder, or `-f`'s folder) when it
    holds one (a site configuration, or a lessons/ folder), else exit 2 before any work. Every
    command that reads or writes a course asks here first, so none of them writes into, or builds
    from, a folder that is not one (an import there once wrote 52 files, then failed)."""
    root = Path(getattr(args, "root", ".") or ".").resolve()
    given = getattr(args, "config_file", None)
    if given or (root / "lessons").is_dir() or mkdocsconfig.config_file(root) is not None:
        return root
    command = getattr(args, "command", None) or "COMMAND"
    raise UserError(
        f"{root} is not a tracksite course (no mkdocs.yml, no lessons/ folder): run the command in the "
        f"course's folder, name the course before the command (`tracksite --root COURSE {command} ...`; "
        "--root after it is refused), or start a course here with `tracksite init`",
        exit_code=USAGE,
    )


def project_root(args: argparse.Namespace) -> Path:
    """The project folder (course_root), after undoing whatever an interrupted editing command
    left half-made (so that running the command again completes it)."""
    root = course_root(args)
    undone = recover(root)
    if undone:
        print(undone, file=sys.stderr)
    return root


def site_config(args: argparse.Namespace) -> str | None:
    """`-f`: the site configuration the command checks the course with (None: mkdocs.yml)."""
    return getattr(args, "config_file", None)


def relative_to_root(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def checked_slug(value: str, what: str) -> str:
    if not SLUG_RE.match(value) or value != value.strip() or "\n" in value:
        suggestion = slugify(value)
        hint = f"; for example {suggestion!r}" if suggestion and SLUG_RE.match(suggestion) else ""
        raise CommandError(f"{what} {value!r} is not a slug: use lower-case letters, digits and single hyphens{hint}")
    return value


def checked_title(value: str, what: str = "--title", limit: int = 120) -> str:
    """A one-line text given on the command line, its runs of spaces made one. A line break is
    refused, not folded: `--title "$(cat notes)"` made the lines one title without a word (issue 74)."""
    if len(value.strip().splitlines()) > 1:
        raise CommandError(
            f"{what} holds a line break; it is one line of text: write it on one line "
            "(a title, summary or objective is shown on one line)"
        )
    value = " ".join(value.split())
    if not value:
        raise CommandError(f"{what} must not be empty")
    if len(value) > limit:
        raise CommandError(f"{what} is {len(value)} characters long; at most {limit}")
    return value


def did_you_mean(word: str, options) -> str:
    near = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def track_dir(root: Path, track: str) -> Path:
    checked_slug(track, "track")
    folder = root / "lessons" / track
    if not (folder / "track.yml").is_file():
        known = sorted(p.name for p in (root / "lessons").glob("*/track.yml") for p in [p.parent])
        listing = f" (tracks: {', '.join(known)})" if known else ""
        raise CommandError(
            f"no track {track!r}: lessons/{track}/track.yml does not exist{did_you_mean(track, known)}{listing}"
        )
    return folder


def open_track(root: Path, folder: Path) -> TrackFile:
    try:
        return TrackFile(folder / "track.yml")
    except SourceProblem as e:
        where = (
            f"{relative_to_root(root, folder / 'track.yml')}:{e.line}"
            if e.line
            else relative_to_root(root, folder / "track.yml")
        )
        raise CommandError(f"{where}: {e.message}; fix it first (tracksite check shows every problem)") from None


def lesson_files(root: Path, track: str, slug: str) -> list[Path]:
    return [root / "lessons" / track / slug, root / "cheatsheets" / track / f"{slug}.md"]


def build_site(root: Path, out: Path, **options: Any) -> int:
    """Build the course with the engine (adapter/build.build_site, same options). MkDocs is
    imported here, on demand, and only here: the CLI imports every command module to build its
    parser, so `tracksite --help`, `init` or `linkcheck` must not load the engine they never use."""
    from tracksite.adapter.build import build_site as engine_build

    return engine_build(root, out, **options)


def course_errors(root: Path, config_file: str | None = None):
    from tracksite.core.checks import load

    project = load(mkdocsconfig.load(root, config_file), include_drafts=True)
    assert project.problems is not None
    return project, project.problems.errors


def apply_checked(root: Path, changes: Changes, errors_before: int, config_file: str | None = None):
    """Apply, check the course again, and roll back if the command added errors; the change is
    committed (its journal dropped) only once the course checks."""
    changes.apply()
    try:
        project, errors = course_errors(root, config_file)
    except BaseException:
        changes.rollback()
        raise
    errors = [e for e in errors if e.code != "TS005"]  # this change's own journal, until committed
    if len(errors) > errors_before:
        left = changes.rollback()
        undone = "nothing was changed" if not left else f"undoing failed ({'; '.join(left)})"
        raise CommandError(f"the change would leave the course with errors, so {undone}:\n" + format_text(errors))
    changes.commit()
    if errors:  # (the course's own, as many as before: CHANGE_RULE)
        print(
            f"note: the course still has the {len(errors)} error{'s' if len(errors) != 1 else ''} it had "
            "before this change, which added none; `tracksite check` lists them"
        )
    return project


#: The one rule of the commands that change a course (new track, new lesson, move, rename), said
#: in each one's help (issue 74: `rename` went ahead on a failing course without a word).
CHANGE_RULE = (
    "Like every command that changes a course (new, move, rename), it checks the course again "
    "after the change: a change that would add an error to `tracksite check` is undone, nothing "
    "changed. Errors the course already had are not the change's: it goes ahead and says how "
    "many are left."
)


class SafeLines:
    """A text stream that passes on what a command prints with no line a CI runner would read as
    a workflow command (`::error ...`, `##[group]`): a name from outside the course (an imported
    episode's file name, a folder's) may hold a newline followed by one, and every command
    prints names. Such a line is joined back to the line it continues, as
    `no_workflow_commands` does; `raw` is the stream itself, for `--format github` (check, linkcheck), whose
    annotations are commands on purpose (their values escaped as GitHub specifies)."""

    def __init__(self, stream) -> None:
        self.raw = stream
        self.at_line_start = True

    def write(self, text: str) -> int:
        out: list[str] = []
        for i, line in enumerate(text.replace("\r", "\\r").split("\n")):
            if (i > 0 or self.at_line_start) and starts_workflow_command(line):
                if i > 0:
                    out[-1] += "\\n" + printable(line)
                    continue
                line = "\\" + printable(line)
            out.append(line)
        if text:
            self.at_line_start = text.endswith("\n")
        self.raw.write("\n".join(out))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def annotation_stream():
    """Where `--format github` writes its annotations: past SafeLines' filter, since they are
    workflow commands on purpose (their values escaped as GitHub specifies)."""
    out = sys.stdout
    return out.raw if isinstance(out, SafeLines) else out
