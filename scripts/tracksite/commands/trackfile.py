"""Editing track.yml in place, as an instructor would by hand.

`tracksite new lesson`, `move` and `rename` change the order of lessons, and track.yml is a file
people write: comments explain the order, blank lines group phases, and lists are written in
block or flow style. So every change here is a small edit of the lines concerned (one line
inserted, deleted or rewritten), located with the line numbers the strict YAML parser reports.
Where a file is written in a shape the line editor does not recognise (say, a flow list spread
over several lines), the change goes through ruamel.yaml's round-trip mode instead, which keeps
comments too. Either way, the result is parsed again and compared with the intended phases
before anything is written, so a formatting surprise can never change the course silently.
"""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from tracksite.core.problems.problem import os_error
from tracksite.core.sources import read_text
from tracksite.core.yaml.safe import Located, parse
from tracksite.errors import SourceProblem

_FLOW_LESSONS = re.compile(r"^(?P<head>.*?\blessons\s*:\s*)\[(?P<body>[^\[\]]*)\](?P<tail>.*)$")
_BLOCK_ITEM = re.compile(r"^(?P<prefix>\s*-\s+)(?P<q>[\"']?)(?P<slug>[A-Za-z0-9_.-]+)(?P=q)(?P<rest>\s*(?:#.*)?)$")
_PHASE_START = re.compile(r"^(?P<dash>\s*-\s+)")


@dataclass
class PhaseEntry:
    title: str
    lessons: list[str]


class TrackFile:
    """One track.yml: its text, its phases, and edits that keep everything else as it was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = path.read_bytes()
            self.text = read_text(path)
        except OSError as e:
            raise SourceProblem(os_error("cannot read it", e), code="TS001") from None
        self._bom = raw.startswith(b"\xef\xbb\xbf")
        self._crlf = b"\r\n" in raw
        self.original = self.text
        self.used_fallback = False
        self._parse()

    # -- reading ---------------------------------------------------------------------------
    def _parse(self) -> None:
        self.located, self.phases = read_phases(self.text)

    def where(self, slug: str) -> tuple[int, int] | None:
        for i, phase in enumerate(self.phases):
            if slug in phase.lessons:
                return i, phase.lessons.index(slug)
        return None

    def find_phase(self, title: str) -> int | None:
        wanted = _norm(title)
        for i, phase in enumerate(self.phases):
            if _norm(phase.title) == wanted:
                return i
        return None

    @property
    def slugs(self) -> list[str]:
        return [s for p in self.phases for s in p.lessons]

    def dump(self) -> str:
        text = self.text.replace("\n", "\r\n") if self._crlf else self.text
        return ("\ufeff" if self._bom else "") + text

    @property
    def changed(self) -> bool:
        return self.text != self.original

    # -- edits: each one checked against the phases it should produce ---------------------------
    def insert_at(self, phase: int, position: int, slug: str) -> None:
        expected = copy.deepcopy(self.phases)
        expected[phase].lessons.insert(position, slug)
        self._edit(
            expected,
            lambda: self._line_insert(phase, position, slug),
            lambda data: data["phases"][phase]["lessons"].insert(position, slug),
        )

    def delete_at(self, phase: int, position: int) -> None:
        if len(self.phases[phase].lessons) == 1:
            raise ValueError("deleting the only lesson of a phase: delete the phase instead")
        expected = copy.deepcopy(self.phases)
        del expected[phase].lessons[position]
        self._edit(
            expected,
            lambda: self._line_delete(phase, position),
            lambda data: data["phases"][phase]["lessons"].__delitem__(position),
        )

    def replace_at(self, phase: int, position: int, slug: str) -> None:
        expected = copy.deepcopy(self.phases)
        expected[phase].lessons[position] = slug
        self._edit(
            expected,
            lambda: self._line_replace(phase, position, slug),
            lambda data: data["phases"][phase]["lessons"].__setitem__(position, slug),
        )

    def add_phase(self, title: str, slugs: list[str]) -> None:
        expected = copy.deepcopy(self.phases) + [PhaseEntry(title, list(slugs))]

        def fallback(data):
            phase = CommentedMap()
            phase["title"] = title
            phase["lessons"] = CommentedSeq(slugs)
            data["phases"].append(phase)

        self._edit(expected, lambda: self._line_add_phase(title, slugs), fallback)

    def delete_phase(self, phase: int) -> None:
        if len(self.phases) == 1:
            raise ValueError("a track keeps at least one phase")
        expected = copy.deepcopy(self.phases)
        del expected[phase]
        self._edit(expected, lambda: self._line_delete_phase(phase), lambda data: data["phases"].__delitem__(phase))

    def _edit(self, expected: list[PhaseEntry], by_lines, by_ruamel) -> None:
        before = self.text
        new = None
        try:
            new = by_lines()
        except _Unsupported:
            new = None
        if new is not None and _phases_of(new) == expected:
            self.text = new
        else:
            new = _ruamel_edit(before, by_ruamel)
            if _phases_of(new) != expected:  # pragma: no cover - a bug, reported without writing
                raise SourceProblem(f"could not edit {self.path.name} safely; nothing was written", code="TS219")
            self.text = new
            self.used_fallback = True
        self._parse()

    # -- the line editor --------------------------------------------------------------------
    def _lines(self) -> list[str]:
        return self.text.split("\n")

    def _style(self, phase: int):
        """("flow", line_index, match) or ("block", [item line indexes], [matches])."""
        loc = self.located
        key_line = loc.lines.get(("phases", phase, "lessons"))
        if key_line is None:
            raise _Unsupported()
        lines = self._lines()
        n = len(self.phases[phase].lessons)
        item_lines = [loc.lines.get(("phases", phase, "lessons", j)) for j in range(n)]
        if n == 0 or item_lines[0] == key_line:
            m = _FLOW_LESSONS.match(lines[key_line - 1])
            if not m or any(l != key_line for l in item_lines):
                raise _Unsupported()
            return "flow", key_line - 1, m
        matches = []
        for j, line_no in enumerate(item_lines):
            if line_no is None or line_no <= key_line:
                raise _Unsupported()
            m = _BLOCK_ITEM.match(lines[line_no - 1])
            if not m or m["slug"] != self.phases[phase].lessons[j]:
                raise _Unsupported()
            matches.append(m)
        if len(set(item_lines)) != n:
            raise _Unsupported()
        return "block", [l - 1 for l in item_lines if l is not None], matches  # all set: checked above

    def _rewrite_flow(self, index: int, m: re.Match, slugs: list[str]) -> str:
        lines = self._lines()
        sep = ", " if (", " in m["body"] or "," not in m["body"]) else ","
        lines[index] = f"{m['head']}[{sep.join(slugs)}]{m['tail']}"
        return "\n".join(lines)

    def _line_insert(self, phase: int, position: int, slug: str) -> str:
        style = self._style(phase)
        slugs = list(self.phases[phase].lessons)
        if style[0] == "flow":
            slugs.insert(position, slug)
            return self._rewrite_flow(style[1], style[2], slugs)
        _, indexes, matches = style
        lines = self._lines()
        if position < len(indexes):
            at, m = indexes[position], matches[position]
        else:
            at, m = indexes[-1] + 1, matches[-1]
        lines.insert(at, f"{m['prefix']}{slug}")
        return "\n".join(lines)

    def _line_delete(self, phase: int, position: int) -> str:
        style = self._style(phase)
        if style[0] == "flow":
            slugs = list(self.phases[phase].lessons)
            del slugs[position]
            return self._rewrite_flow(style[1], style[2], slugs)
        lines = self._lines()
        del lines[style[1][position]]
        return "\n".join(lines)

    def _line_replace(self, phase: int, position: int, slug: str) -> str:
        style = self._style(phase)
        if style[0] == "flow":
            slugs = list(self.phases[phase].lessons)
            slugs[position] = slug
            return self._rewrite_flow(style[1], style[2], slugs)
        _, indexes, matches = style
        m = matches[position]
        lines = self._lines()
        lines[indexes[position]] = f"{m['prefix']}{m['q']}{slug}{m['q']}{m['rest']}"
        return "\n".join(lines)

    def _phase_span(self, phase: int) -> tuple[int, int]:
        """0-based first and last line of a phase item in the `phases:` list."""
        loc = self.located
        start = loc.lines.get(("phases", phase))
        if start is None:
            raise _Unsupported()
        last = max(line for path, line in loc.lines.items() if path[:2] == ("phases", phase))
        lines = self._lines()
        if not _PHASE_START.match(lines[start - 1]) or loc.lines.get(("phases",)) == start:
            raise _Unsupported()
        return start - 1, last - 1

    def _line_delete_phase(self, phase: int) -> str:
        first, last = self._phase_span(phase)
        lines = self._lines()
        del lines[first : last + 1]
        return "\n".join(lines)

    def _line_add_phase(self, title: str, slugs: list[str]) -> str:
        first, _ = self._phase_span(0)
        _, last = self._phase_span(len(self.phases) - 1)
        lines = self._lines()
        phase_start = _PHASE_START.match(lines[first])
        assert phase_start is not None  # _phase_span starts on a phase's first line
        dash = phase_start["dash"]
        key_indent = " " * len(dash)
        item_prefix = key_indent + "  - "
        try:
            style = self._style(0)
            if style[0] == "block":
                item_prefix = style[2][0]["prefix"]
        except _Unsupported:
            pass
        new = [f"{dash}title: {yaml_scalar(title)}", f"{key_indent}lessons:"]
        new += [f"{item_prefix}{s}" for s in slugs]
        lines[last + 1 : last + 1] = new
        return "\n".join(lines)


class _Unsupported(Exception):
    """The line editor does not recognise this file's shape: use the round-trip writer."""


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def read_phases(text: str) -> tuple[Located, list[PhaseEntry]]:
    """The phases of a track.yml text, or a SourceProblem saying what to fix first."""
    located = parse(text)
    data = located.value
    if not isinstance(data, dict) or not isinstance(data.get("phases"), list):
        raise SourceProblem(
            "expected `phases:`, a list of phases with `title:` and `lessons:`", located.line("phases"), code="TS102"
        )
    phases = []
    for i, phase in enumerate(data["phases"]):
        if (
            not isinstance(phase, dict)
            or not isinstance(phase.get("title"), str)
            or not isinstance(phase.get("lessons"), list)
            or not all(isinstance(s, str) for s in phase["lessons"])
        ):
            raise SourceProblem(
                f"phase {i + 1} needs a `title:` and a list of lesson slugs in `lessons:`",
                located.line("phases", i),
                code="TS103",
            )
        phases.append(PhaseEntry(phase["title"], list(phase["lessons"])))
    return located, phases


def _phases_of(text: str) -> list[PhaseEntry] | None:
    try:
        return read_phases(text)[1]
    except SourceProblem:
        return None


def _ruamel_edit(text: str, change) -> str:
    try:
        _, indent, block_seq_indent = load_yaml_guess_indent(text)
    except (YAMLError, ValueError):  # ruamel reads what PyYAML read: the indents stay the default
        indent, block_seq_indent = 2, 2
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    indent = indent or 2
    block_seq_indent = block_seq_indent or 0
    yaml.indent(mapping=indent, sequence=max(indent, block_seq_indent + 2), offset=block_seq_indent)
    data = yaml.load(text)
    change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n]*$")


def yaml_scalar(value: str) -> str:
    """A string as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if (
        _PLAIN.match(value)
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
    ):
        try:
            if parse(f"k: {value}\n").value == {"k": value}:
                return value
        except SourceProblem:
            pass
    return json.dumps(value, ensure_ascii=False)
