"""Reading course files: bytes to text, and Markdown to front-matter plus body.

Authors save files from every editor there is, so a BOM and CRLF line endings are accepted and
normalised here, once, and everything downstream sees `\n`-terminated text with true line numbers.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from tracksite.core.memo import current, kept_fact
from tracksite.core.yaml.safe import Located, parse
from tracksite.errors import SourceProblem

MAX_BYTES = 2_000_000


#: Texts read, by path, in the memory in use (core/memo.py `Memory`: the check's, the build's, the
#: serve process's): the file's stamp (modified and changed time, size, inode)
#: and its text. `mkdocs serve`, `check --watch` and the language server load the whole course
#: on every save; a file whose stamp is unchanged is not read again (one `lstat` instead of four
#: calls and a read). A file modified within `RACY_NS` of being read is not remembered, since
#: a second save in the same clock tick can leave its stamp as it was (as git treats "racy" files).
RACY_NS = 2_000_000_000


def read_text(path: Path) -> str:
    """UTF-8 with or without BOM, any line ending; a clear error for anything else."""
    try:
        try:
            info = kept_fact("lstat", (str(path),), lambda: os.lstat(path))  # (under serve: core/memo.py)
        except FileNotFoundError:
            raise SourceProblem("not a regular file (symbolic links are not followed)", code="TS001") from None
        if not stat.S_ISREG(info.st_mode):
            raise SourceProblem("not a regular file (symbolic links are not followed)", code="TS001")
        if info.st_size > MAX_BYTES:
            raise SourceProblem(
                f"file is {info.st_size:,} bytes; course files are limited to {MAX_BYTES:,}", code="TS002"
            )
        stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        texts = _texts()
        kept = texts.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        data = path.read_bytes()
    except OSError as e:
        raise SourceProblem(f"cannot read file: {e.strerror or e}", code="TS001") from None
    text = _decode(data)
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
        texts[path] = (stamp, text)
    return text


def _texts() -> dict[Path, tuple[tuple[int, int, int, int], str]]:
    return current().owned("sources.texts", dict)


def forget() -> None:
    """Let go of the texts read so far: `mkdocs build` reads each file once (a whole course's
    texts, 11 MB at 1,000 lessons, would otherwise be held to its end, and by every helper process
    forked from it)."""
    current().forget("sources.texts")


def stamps(folder: Path, *files: Path) -> tuple | None:
    """`_stamps`, asked again only where the watcher of `mkdocs serve` reported a change (core/memo.py)."""
    return kept_fact("stamps", (str(folder), *map(str, files)), lambda: _stamps(folder, *files))


def _stamps(folder: Path, *files: Path) -> tuple | None:
    """The stamp of every entry of `folder` (its name, whether it is a link or leads to a folder,
    its times, size and inode) and of each of `files` (None where missing): what a loader that
    reads only these keys its result by, so a `mkdocs serve` rebuild takes a lesson the save did
    not touch as it was (core/loader.py). None when one was modified within `RACY_NS`, as a
    second save in the same clock tick could leave its stamp as it was, or cannot be listed."""
    out: list = []
    newest = 0
    try:
        with os.scandir(folder) as it:
            for e in sorted(it, key=lambda e: e.name):
                info = e.stat(follow_symlinks=False)
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
                out.append(
                    (e.name, e.is_symlink(), e.is_dir(), info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
                )
        for path in files:
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                out.append((str(path), None))
                continue
            newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
            out.append((str(path), info.st_mode, info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino))
    except OSError:
        return None
    return tuple(out) if time.time_ns() - newest > RACY_NS else None


def _decode(data: bytes) -> str:
    """The file's bytes as text with `\n` line ends, or a SourceProblem at the line at fault."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, e.start) + 1 : e.start].decode("utf-8", "replace")) + 1
        raise SourceProblem(
            f"invalid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8", line, code="TS003", column=column
        ) from None
    if "\x00" in text:
        nul = text.index("\x00")
        raise SourceProblem(
            "file contains NUL bytes; is it a binary file?",
            text[:nul].count("\n") + 1,
            code="TS003",
            column=nul - text.rfind("\n", 0, nul),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class MarkdownSource:
    """A Markdown file split into its front-matter and body, with the body's first line."""

    path: Path
    meta: Located
    has_front_matter: bool
    body: str
    body_line: int


def split_front_matter(path: Path, text: str) -> MarkdownSource:
    """Split `---` front-matter from the body; YAML problems come out with their file line."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                yaml_text = "\n".join(lines[1:i])
                meta = parse(yaml_text, first_line=2)
                if meta.value is None:
                    meta.value = {}
                    meta.lines.setdefault((), 1)  # empty front-matter: point at its opening `---`
                if not isinstance(meta.value, dict):
                    raise SourceProblem(
                        f"front-matter must be a mapping of `key: value` lines, found a {type_name(meta.value)}",
                        2,
                        code="TS022",
                    )
                return MarkdownSource(path, meta, True, "\n".join(lines[i + 1 :]), i + 2)
        raise SourceProblem("front-matter opened with `---` on line 1 is never closed with `---`", 1, code="TS020")
    return MarkdownSource(path, Located({}, {(): 1}), False, text, 1)


def read_yaml(path: Path) -> Located:
    return parse(read_text(path))


def type_name(value: object) -> str:
    return {
        str: "string",
        int: "integer",
        float: "number",
        bool: "true/false",
        list: "list",
        dict: "mapping",
        type(None): "empty value",
    }.get(type(value), type(value).__name__)
