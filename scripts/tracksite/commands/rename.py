"""`tracksite rename`: a lesson's new slug, and every reference to it rewritten in place."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracksite.commands.changes import Changes
from tracksite.commands.common import (
    CommandError,
    apply_checked,
    checked_slug,
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
from tracksite.core.markdown import references as refs
from tracksite.core.site import redirects
from tracksite.core.sources import read_text, split_front_matter
from tracksite.core.yaml import safe as yamlsafe
from tracksite.errors import SourceProblem

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
    replacements, edits, warnings = _body_links(src, body_offset, file_track, track, old, new)
    new_text = refs.rewrite(text, replacements)
    line_edits, expected = _front_matter_refs(src, file_track, track, old, new)
    if line_edits:
        new_text = _edit_front_matter(path, new_text, line_edits, expected, edits)
    return Rewrite(path, new_text, sorted(edits, key=lambda e: int(e.split(":")[0])), warnings)


def _body_links(src, body_offset: int, file_track: str | None, track: str, old: str, new: str):
    """Replacements (by character span of the whole text) for the body's lesson:/overview:/cheatsheet:
    links to track/old, keeping each link's form (short or track/slug) and anchor; and warnings for
    plain links that look like the old address, which only the author can judge."""
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
            warnings.append(
                f"{link.line}: link {link.target!r} may point at the old address; write it as lesson:{track}/{new}"
            )
    return replacements, edits, warnings


def _front_matter_refs(src, file_track: str | None, track: str, old: str, new: str):
    """The front-matter values naming track/old, as (line, value, replacement, after `lesson:` key)
    edits, and (key path, value) pairs the edited front-matter must parse back to."""
    meta = src.meta.value if src.has_front_matter and isinstance(src.meta.value, dict) else {}
    expected: list[tuple[tuple, str]] = []
    line_edits: list[tuple[int, str, str, bool]] = []
    prerequisites = p if isinstance(p := meta.get("prerequisites"), list) else []
    for i, item in enumerate(prerequisites):
        if isinstance(item, dict) and isinstance(item.get("lesson"), str):
            value = item["lesson"]
            if value == f"{track}/{old}" or (value == old and file_track == track):
                replacement = f"{track}/{new}" if "/" in value else new
                line = src.meta.lines.get(("prerequisites", i, "lesson"))
                line_edits.append((line, value, replacement, True))
                expected.append((("prerequisites", i, "lesson"), replacement))
    deep = d if isinstance(d := meta.get("deep_dives"), list) else []
    for i, item in enumerate(deep):
        if item == f"{track}/{old}":
            line = src.meta.lines.get(("deep_dives", i))
            line_edits.append((line, item, f"{track}/{new}", False))
            expected.append((("deep_dives", i), f"{track}/{new}"))
    return line_edits, expected


def _edit_front_matter(path: Path, text: str, line_edits, expected, edits: list[str]) -> str:
    """`text` with each front-matter edit made on the line the parser named (so comments and layout
    stay), then parsed again to prove every value landed where meant; refuses rather than guess."""
    out_lines = text.split("\n")
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
        out_lines[line - 1] = current[: m.start()] + replacement + current[m.end() :]
        edits.append(f"{line}: {value} -> {replacement}")
    new_text = "\n".join(out_lines)
    check = split_front_matter(path, new_text).meta.value
    for key_path, value in expected:
        node = check
        for k in key_path:
            node = node[k]
        if node != value:  # pragma: no cover - the regex found the wrong token
            raise CommandError(f"{path}: could not rewrite {key_path} safely; edit it by hand")
    return new_text


def rewrite_glossary(path: Path, text: str, file_track: str, track: str, old: str, new: str) -> Rewrite:
    """`text` of a track's glossary.yml with every term's `lesson` and `introduced` that names
    track/old naming track/new; only the lines the parser says hold them are edited."""
    try:
        located = yamlsafe.parse(text)
    except SourceProblem:  # a broken glossary is reported by check; leave it alone
        return Rewrite(path, text, [], [f"1: could not read {path.name}; update its lesson references by hand"])
    terms = located.value.get("terms") if isinstance(located.value, dict) else None
    lines, edits = text.split("\n"), []
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        for key in ("lesson", "introduced"):
            value = term.get(key) if isinstance(term, dict) else None
            if value not in (f"{track}/{old}",) + ((old,) if file_track == track else ()):
                continue
            replacement = f"{track}/{new}" if "/" in value else new
            line = located.line("terms", i, key)
            m = (
                re.search(rf"(\b{key}\s*:\s*['\"]?){re.escape(value)}(?![A-Za-z0-9/_.-])", lines[line - 1])
                if line
                else None
            )
            if m is None:
                raise CommandError(
                    f"{path}:{line or 1}: cannot find {value!r} on this line; edit it by hand and run again"
                )
            assert line is not None  # m was found on it
            lines[line - 1] = lines[line - 1][: m.end(1)] + replacement + lines[line - 1][m.end() :]
            edits.append(f"{line}: {value} -> {replacement}")
    return Rewrite(path, "\n".join(lines), edits, [])


def _read_keeping_format(path: Path) -> tuple[str, bool, bool]:
    raw = path.read_bytes()
    try:
        text = read_text(path)
    except SourceProblem as e:
        raise CommandError(f"{path}:{e.line or 1}: {e.message}; fix it first") from None
    return text, raw.startswith(b"\xef\xbb\xbf"), b"\r\n" in raw


def _restore_format(text: str, bom: bool, crlf: bool) -> str:
    return ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)


@editing_command
def cmd_rename(args: argparse.Namespace) -> int:
    root = project_root(args)
    track = args.track
    folder = track_dir(root, track)
    old = checked_slug(args.old, "old slug")
    new = checked_slug(args.new, "new slug")
    tf, found = _check_rename(root, track, folder, old, new)
    _, errors_before = course_errors(root, site_config(args))

    changes = Changes(root)
    old_dir, new_dir = folder / old, folder / new
    old_sheet, new_sheet = root / "cheatsheets" / track / f"{old}.md", root / "cheatsheets" / track / f"{new}.md"
    changes.move(old_dir, new_dir)
    if old_sheet.exists():
        changes.move(old_sheet, new_sheet)
    tf.replace_at(found[0], found[1], new)
    changes.write(tf.path, tf.dump())

    def moved(path: Path) -> Path:
        """Where a source file lives after the move."""
        if path.parent == old_dir:
            return new_dir / path.name
        return new_sheet if path == old_sheet else path

    report, warnings = _rewrite_all(root, changes, track, old, new, moved)
    _keep_redirects(args, folder, changes, old, new)
    apply_checked(root, changes, len(errors_before), site_config(args))
    rel = lambda p: relative_to_root(root, p)  # noqa: E731
    print(f"renamed {rel(old_dir)}/ -> {rel(new_dir)}/")
    if old_sheet.exists() or new_sheet.exists():
        print(f"renamed {rel(old_sheet)} -> {rel(new_sheet)}")
    print(f"updated lessons/{track}/track.yml")
    if report:
        n_files = len({r.split(":")[0] for r in report})
        print(
            f"updated {len(report)} reference{'s' if len(report) != 1 else ''} in {n_files} file{'s' if n_files != 1 else ''}:"
        )
        print("\n".join(report))
    if args.redirect:
        print(f"redirect: {track}/{old}/ now leads to {track}/{new}/ (lessons/{track}/redirects.yml)")
    else:
        print(f"note: the old address {track}/{old}/ no longer exists; --redirect keeps it working")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0


def _check_rename(root: Path, track: str, folder: Path, old: str, new: str):
    """Refuse before touching anything: same slugs, an unknown or missing old lesson, or a new slug
    whose files or track.yml entry exist already (a rename never overwrites). Returns the open
    track.yml and where `old` sits in it."""
    if old == new:
        raise CommandError("the old and new slugs are the same")
    tf = open_track(root, folder)
    found = tf.where(old)
    if found is None:
        raise CommandError(f"lessons/{track}/track.yml has no lesson {old!r}{did_you_mean(old, tf.slugs)}")
    if not (folder / old).is_dir():
        raise CommandError(f"lessons/{track}/{old}/ does not exist; create it or remove {old!r} from track.yml")
    for path in lesson_files(root, track, new):
        if path.exists():
            raise CommandError(
                f"{relative_to_root(root, path)} exists already; pick another new slug (nothing is ever overwritten)"
            )
    if tf.where(new):
        raise CommandError(f"lessons/{track}/track.yml lists {new!r} already; pick another new slug")
    return tf, found


def _rewrite_all(
    root: Path, changes: Changes, track: str, old: str, new: str, moved: Callable[[Path], Path]
) -> tuple[list[str], list[str]]:
    """Queue the rewrite of every Markdown file and glossary that names track/old, each written where
    it will live after the move (`moved(path)`), keeping its BOM and line endings.
    Returns the edits report and the warnings, both naming files by their new place."""
    rel = lambda p: relative_to_root(root, p)  # noqa: E731
    report: list[str] = []
    warnings: list[str] = []
    for path, file_track in _markdown_files(root):
        text, bom, crlf = _read_keeping_format(path)
        result = rewrite_references(path, text, file_track, track, old, new)
        destination = moved(path)
        warnings += [f"{rel(destination)}:{w}" for w in result.warnings]
        if result.text != text:
            changes.write(destination, _restore_format(result.text, bom, crlf))
            report += [f"  {rel(destination)}:{e}" for e in result.edits]
    for path in sorted((root / "lessons").glob("*/glossary.yml")):
        text, bom, crlf = _read_keeping_format(path)
        result = rewrite_glossary(path, text, path.parent.name, track, old, new)
        warnings += [f"{rel(path)}:{w}" for w in result.warnings]
        if result.text != text:
            changes.write(path, _restore_format(result.text, bom, crlf))
            report += [f"  {rel(path)}:{e}" for e in result.edits]
    return report, warnings


def _keep_redirects(args: argparse.Namespace, folder: Path, changes: Changes, old: str, new: str) -> None:
    """With --redirect, record old -> new. Without it, still rewrite redirects.yml when an existing
    redirect involves either slug, so chains keep leading somewhere, but add none for `old`."""
    current, _ = redirects.read(folder)
    if args.redirect or any(r.new == old or r.old == new for r in current):
        text = redirects.record(folder, old, new)
        if not args.redirect:  # keep existing redirects working without adding one for `old`
            text = "".join(l + "\n" for l in text.split("\n")[:-1] if not l.startswith(f"{old}: "))
        changes.write(redirects.path_for(folder), text)
