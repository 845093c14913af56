"""`tracksite import FORMAT PATH --track T --update`: a newer release in, the instructor's edits kept.

Carpentries lessons change every month, and an instructor who imported one has usually fixed a
few things since. Each import records, in the track's hidden `lessons/<track>/.import/` folder,
the source's version and what the import wrote (text files whole, other files by digest): that
is the common base. An update converts the new release, then for each file compares the three
versions: what only upstream changed is taken, what only the instructor changed is kept, and
where both changed a text file `git merge-file` merges them. If both changed the same lines, the
update stops and lists each conflict as file:line without touching any file; otherwise every
change is applied through the journal of `changes.py`, so an interrupted update is undone by
the next command. The same path brings in chunk output once R is installed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands import changes
from tracksite.commands.importers.pipeline import flow, write
from tracksite.commands.importers.pipeline.plan import Planned, ran_lessons
from tracksite.commands.importers.pipeline.source import Source
from tracksite.core.checks import ranoutput
from tracksite.core.site.statics import MAX_FILE_BYTES
from tracksite.errors import USAGE, UserError

RECORD = ".import"
MARKER = 33  # conflict markers longer than any a lesson plausibly holds


def tops(track: str) -> list[str]:
    return [f"lessons/{track}", f"cheatsheets/{track}", f"docs/{track}"]


def digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def tree(root: Path, track: str) -> dict[str, bytes]:
    """The track's imported files (its three folders), hidden files and the record left out."""
    files: dict[str, bytes] = {}
    for top in tops(track):
        folder = root / top
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if (
                path.is_file()
                and not path.is_symlink()
                and not any(part.startswith(".") for part in path.relative_to(folder).parts)
            ):
                files[rel] = path.read_bytes()
    return files


def source_version(path: Path, source: Source) -> dict[str, str]:
    """What identifies the source release: git commit and tag, what the source names (CITATION.cff's
    version), and a digest of the lesson's files (always there, so two imports of one release compare equal)."""
    info: dict[str, str] = {"name": path.name}
    git = shutil.which("git")
    if git and (path / ".git").exists():
        for key, cmd in (("commit", ["rev-parse", "HEAD"]), ("describe", ["describe", "--tags", "--always"])):
            run = subprocess.run([git, "-C", str(path), *cmd], capture_output=True, text=True)
            if run.returncode == 0 and run.stdout.strip():
                info[key] = run.stdout.strip()
    info.update(source.version(path))
    sha = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path)
        if (
            p.is_symlink()
            or not p.is_file()
            or any(part.startswith(".") or part in ("site", "renv") for part in rel.parts)
        ):
            continue
        size = p.stat().st_size
        sha.update(rel.as_posix().encode() + b"\0" + str(size).encode() + b"\0")
        if size <= MAX_FILE_BYTES:  # a file too large to publish is not read, only its size counts
            with p.open("rb") as f:
                sha.update(hashlib.file_digest(f, "sha256").digest())
    info["digest"] = sha.hexdigest()
    return info


def version_label(info: dict) -> str:
    return info.get("describe") or info.get("citation-version") or f"digest {str(info.get('digest', ''))[:12]}"


def upstream_name(rel: str) -> str:
    """Where --keep-yours keeps upstream's version of a file: beside it, hidden (never published,
    never read as a page): `lessons/t/x/.lesson.upstream.md`."""
    path = Path(rel)
    return (path.parent / f".{path.stem}.upstream{path.suffix}").as_posix()


def record_files(
    files: dict[str, bytes],
    source: dict,
    executed: list[str],
    folder: Path,
    pending: dict[str, bytes] | None = None,
    *,
    fmt: str,
    ran: dict[str, str] | None = None,
) -> None:
    """Write a record (record.json and the text files' base copies) into `folder`; `pending`:
    upstream versions kept beside files by --keep-yours, offered again by the next update; `ran`:
    the text of each lesson whose code the import ran, as the run wrote it, whose chunks' digests
    `tracksite check` compares the lesson with (core/checks/ranoutput.py)."""
    for rel, data in (pending or {}).items():
        target = folder / "upstream" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for rel, data in files.items():
        if is_text(data):
            target = folder / "base" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    record = {
        "format": fmt,
        "source": source,
        "executed": executed,
        "imported": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "files": {rel: digest(data) for rel, data in sorted(files.items())},
        "pending": sorted(pending or {}),
        "outputs": {rel: [d for _, d in ranoutput.chunks(text)] for rel, text in sorted((ran or {}).items())},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "record.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def save_record(staged: Path, track: str, source: dict, p: Planned, fmt: str) -> None:
    """At a first import, into the staged track: what it writes is the base of the next update."""
    executed = p.prepared.executed if p.prepared else []
    folder = staged / "lessons" / track / RECORD
    record_files(tree(staged, track), source, executed, folder, fmt=fmt, ran=ran_lessons(p))


def execution_chosen(kind: Source, args: argparse.Namespace, root: Path, track: str) -> None:
    """--update and --verify of a track whose pages hold the output of its lesson's code (imported
    with the source's `run` option): the code runs again only when asked, and without it the output
    would go (or, for --verify, every output block would count as a difference), so the user says
    which, in the source's words (`Source.execution`)."""
    execution = kind.execution
    if execution is None or execution.chosen(args):
        return
    try:
        executed = json.loads((root / "lessons" / track / RECORD / "record.json").read_text(encoding="utf-8"))[
            "executed"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if executed:
        raise UserError(
            f"lessons/{track} was imported with {execution.run}: its pages hold "
            f"{execution.held.format(n=len(executed))}. Pass {execution.run} to {execution.again}, or "
            f"{execution.skip} to {execution.drop}",
            exit_code=USAGE,
        )


def load_record(root: Path, track: str) -> tuple[dict, dict[str, bytes]]:
    folder = root / "lessons" / track / RECORD
    try:
        record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
        hashes = record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(
            f"lessons/{track}/{RECORD}/record.json is missing or unreadable: --update needs the record "
            "an import writes (tracks imported before tracksite recorded imports cannot be updated; "
            "import the new release as another --track and compare)",
            exit_code=USAGE,
        ) from None
    texts = {rel: (folder / "base" / rel).read_bytes() for rel in hashes if (folder / "base" / rel).is_file()}
    return record, texts


@dataclass
class Outcome:
    """What an update does to each file, and where it stops."""

    writes: dict[str, bytes] = field(default_factory=dict)
    removes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    taken: int = 0
    kept: int = 0
    merged: int = 0
    conflicted: set[str] = field(default_factory=set)  # the files of the conflicts


def merge(hashes: dict[str, str], texts: dict[str, bytes], ours: dict[str, bytes], theirs: dict[str, bytes]) -> Outcome:
    """Three-way, file by file: base (the last import), ours (the track now), theirs (the new import)."""
    out = Outcome()
    for rel in sorted(set(hashes) | set(theirs)):
        base, mine, new = hashes.get(rel), ours.get(rel), theirs.get(rel)
        if digest(mine) == digest(new):
            continue
        if digest(mine) == base:
            out.taken += 1
            if new is None:
                out.removes.append(rel)
            else:
                out.writes[rel] = new
        elif digest(new) == base:
            out.kept += 1
        elif mine is None or new is None:
            what = "deleted here and changed upstream" if mine is None else "changed here and deleted upstream"
            out.conflicts.append(f"{rel}:1: {what}")
            out.conflicted.add(rel)
        elif is_text(mine) and is_text(new) and (base is None or rel in texts):
            merged, lines = merge_text(mine, texts.get(rel, b""), new)
            out.conflicts.extend(f"{rel}:{n}: changed here and upstream" for n in lines)
            if lines:
                out.conflicted.add(rel)
            else:
                out.writes[rel] = merged
                out.merged += 1
        else:
            out.conflicts.append(f"{rel}:1: a binary file changed here and upstream")
            out.conflicted.add(rel)
    return out


def merge_text(ours: bytes, base: bytes, theirs: bytes) -> tuple[bytes, list[int]]:
    """`git merge-file`: the merged text, or the lines of `ours` where both sides changed."""
    git = shutil.which("git")
    if git is None:
        raise UserError(
            "--update merges files both you and upstream changed with `git merge-file`: "
            "install git (Debian: apt-get install git) and run it again; nothing was changed"
        )
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("upstream", theirs)):
            paths.append(Path(tmp) / name)
            paths[-1].write_bytes(data)
        run = subprocess.run(
            [
                git,
                "merge-file",
                "-p",
                "--diff3",
                f"--marker-size={MARKER}",
                "-L",
                "yours",
                "-L",
                "base",
                "-L",
                "upstream",
                *map(str, paths),
            ],
            capture_output=True,
        )
    if run.returncode < 0 or run.returncode > 127:
        raise UserError(f"git merge-file failed: {run.stderr.decode(errors='replace').strip()}; nothing was changed")
    if run.returncode == 0:
        return run.stdout, []
    return run.stdout, conflict_lines(run.stdout.decode("utf-8", "replace"), ours.decode("utf-8", "replace"))


def conflict_lines(merged: str, ours: str) -> list[int]:
    """Where each conflict starts in the instructor's file (the merge output has markers instead)."""
    mine = ours.splitlines()
    found: list[int] = []
    cursor, inside = 0, False
    block: list[str] = []
    for line in merged.splitlines():
        if line.startswith("<" * MARKER):
            inside, block = True, []
        elif inside and line.startswith("|" * MARKER):
            inside = False
            at = _find(mine, block, cursor)
            found.append(at + 1)
            cursor = at + len(block)
        elif inside:
            block.append(line)
    return found


def _find(lines: list[str], block: list[str], start: int) -> int:
    for i in range(start, len(lines) - len(block) + 1):
        if lines[i : i + len(block)] == block:
            return i
    return min(start, max(len(lines) - 1, 0))


def base_number(texts: dict[str, bytes], track: str) -> int | None:
    """The track number the last import wrote, so a new plan's track.yml does not differ by it."""
    m = re.search(rb"^number:\s*(\d+)", texts.get(f"lessons/{track}/track.yml", b""), re.M)
    return int(m.group(1)) if m else None


def apply(
    root: Path,
    track: str,
    outcome: Outcome,
    theirs: dict[str, bytes],
    source: dict,
    executed: list[str],
    base: dict[str, bytes] | None = None,
    *,
    fmt: str,
    ran: dict[str, str] | None = None,
) -> None:
    """Every change through one journal (all or nothing); the record becomes the new base, except
    for the files whose upstream version --keep-yours set aside: their base stays (`base`, the
    last one), so the next update still sees upstream's change there until it is taken or dropped."""
    work = root / f".tracksite-update-{track}"
    shutil.rmtree(work, ignore_errors=True)
    pending = {rel: theirs[rel] for rel in outcome.conflicted if rel in theirs}
    files = {rel: data for rel, data in theirs.items() if rel not in pending}
    files.update({rel: data for rel, data in (base or {}).items() if rel in pending})
    for rel, data in pending.items():
        outcome.writes[upstream_name(rel)] = data
    record_files(files, source, executed, work / "record", pending, fmt=fmt, ran=ran)
    journal = changes.Changes(root)
    for rel, data in outcome.writes.items():
        journal.write(root / rel, data)
    for rel in outcome.removes:
        journal.move(root / rel, work / "removed" / rel)
    journal.move(root / "lessons" / track / RECORD, work / "old-record")
    journal.move(work / "record", root / "lessons" / track / RECORD)
    try:
        journal.apply()
        journal.commit()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cmd_update(args: argparse.Namespace, root: Path, kind: Source) -> int:
    track = args.track
    undone = changes.recover(root)  # a half-made earlier change is undone first
    if undone:
        print(undone)
    if not (root / "lessons" / track).is_dir():
        raise UserError(
            f"lessons/{track} does not exist: --update brings a newer release into a track "
            "imported before; leave out --update to import it",
            exit_code=USAGE,
        )
    record, texts = load_record(root, track)
    execution_chosen(kind, args, root, track)
    if record.get("format", kind.name) != kind.name:
        raise UserError(
            f"lessons/{track} was imported from a {record['format']} lesson: bring its newer release in with "
            f"`tracksite import {record['format']} PATH --track {track} --update`",
            exit_code=USAGE,
        )
    number = base_number(texts, track) or write.next_track_number(root)
    with (
        flow.planned(kind, args, track, number, write.course_terms(root, track)) as p,
        tempfile.TemporaryDirectory() as tmp,
    ):
        write.write_plan(Path(tmp), track, p.plan)
        theirs = tree(Path(tmp), track)
        source = source_version(p.original, kind)
        executed = p.prepared.executed if p.prepared else []
        ours = tree(root, track)
        hashes = _settle_pending(root, track, record, texts)
        outcome = merge(hashes, texts, {k: v for k, v in ours.items() if k in hashes or k in theirs}, theirs)
        for rel in record.get("pending") or []:
            if rel not in outcome.conflicted and (root / upstream_name(rel)).exists():
                outcome.removes.append(upstream_name(rel))  # taken: upstream's copy is done with
        _say(kind, args, p, record, source, outcome)
        if outcome.conflicts and not args.keep_yours:
            return 1
        idle = not (outcome.writes or outcome.removes or outcome.conflicted or record.get("pending"))
        if idle and record.get("source") == source and record.get("executed") == executed:
            print(
                f"lessons/{track} is up to date with {version_label(source)}: nothing was written "
                "(`--verify` compares its pages with the lesson again)"
            )
            return int(flow.check_course(root, getattr(args, "config_file", None), args.track, fmt=args.format) == 1)
        apply(root, track, outcome, theirs, source, executed, texts, fmt=kind.name, ran=ran_lessons(p))
        print("".join(f"note: {line}\n" for line in kind.settings(root, p.plan)), end="")
        print(
            f"updated lessons/{track} to {version_label(source)}: {outcome.taken} file(s) taken from upstream, "
            f"{outcome.merged} merged, {outcome.kept} kept with your edits, {len(outcome.removes)} removed"
        )
        code = flow.check_course(root, getattr(args, "config_file", None), args.track, fmt=args.format)
        if outcome.kept or outcome.merged or outcome.conflicts:
            print("note: the built pages were not compared with the source: the track holds your own edits")
            return int(code == 1)
        return flow.finish(kind, args, root, p, code)


def _settle_pending(root: Path, track: str, record: dict, texts: dict[str, bytes]) -> dict[str, str]:
    """The base hashes for this update. Where --keep-yours set upstream's version aside and the
    instructor has since deleted it (taken by hand or dropped), that version becomes the base:
    it is not offered again. Where it is still there, the old base stays: it is offered again."""
    hashes = dict(record["files"])
    folder = root / "lessons" / track / RECORD / "upstream"
    for rel in record.get("pending") or []:
        kept = folder / rel
        if not (root / upstream_name(rel)).exists() and kept.is_file():
            texts[rel] = kept.read_bytes()
            hashes[rel] = digest(texts[rel]) or ""
    return hashes


def _say(kind: Source, args, p, record: dict, source: dict, outcome: Outcome) -> None:
    for note in p.plan.notes:
        print(f"note: {note}")
    for warning in p.plan.warnings:
        print(f"warning: {warning}")
    if p.prepared:
        for line in p.prepared.summary(flow.rerun_hint(kind, args)):
            print(f"note: {line}")
        for line in p.prepared.warnings(flow.rerun_hint(kind, args)):
            print(f"warning: {line}")
    old = version_label(record.get("source") or {})
    if outcome.conflicts and args.keep_yours:
        print(
            f"--keep-yours: you and upstream ({old} -> {version_label(source)}) changed the same lines; "
            "your version of these files is kept whole, and upstream's is kept beside each, hidden: "
            + ", ".join(upstream_name(rel) for rel in sorted(outcome.conflicted))
            + ". Take from it what you want, then delete it; until it is deleted, every --update offers "
            "upstream's change again:"
        )
    elif outcome.conflicts:
        print(
            f"--update stopped: you and upstream ({old} -> {version_label(source)}) changed the same lines; "
            "no file was changed. For each conflict below, make your lines match upstream's (or undo your "
            "edit) and run the update again, or run it with --keep-yours to keep your version of these files:"
        )
    for line in outcome.conflicts:
        print(f"conflict: {line}")
