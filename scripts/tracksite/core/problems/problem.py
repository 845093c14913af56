"""Problems found in course sources, and the formats they are reported in.

Every check in tracksite returns problems instead of raising, so that one run can show an
instructor all of them at once; the adapter or the CLI decides how to fail.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from dataclasses import field as _field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one source file, located as precisely as we can: the file, its line
    and column (1-based; None when unknown) and a stable code from the catalogue
    (core/problems/codes.py) that every output carries, so a reader can look it up and a
    script can filter on it. `code` is required so a new check cannot leave it out."""

    path: str
    line: int | None = None
    message: str = ""
    field: str | None = None
    hint: str | None = None
    severity: Severity = "error"
    cause: bool = False
    """A root cause (a YAML slip, a misspelt key): listed before every other problem."""
    column: int | None = None
    code: str = _field(kw_only=True)

    @property
    def location(self) -> str:
        """`path`, `path:line` or `path:line:column`, as gcc and ruff print it."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"

    def text(self) -> str:
        """`path:line:column: [CODE] field: message (hint)`: the shape editors and terminals link
        from, on one line (a newline in a file name is shown as `\\n`)."""
        level = "" if self.severity == "error" else "warning: "
        return printable(f"{self.location}: {level}[{self.code}] {self.detail()}")

    def detail(self) -> str:
        """`[field: ]message[ (hint)]`: the problem without its place, as a language server's
        diagnostic shows it at the place."""
        what = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{what}{self.message}{hint}"


@dataclass
class ProblemList:
    """Collects problems from many checks; paths are stored relative to the project root."""

    root: Path
    items: list[Problem] = field(default_factory=list)
    _resolved: tuple[Path, Path] | None = field(default=None, repr=False, compare=False)

    def add(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        *,
        code: str,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        severity: Severity = "error",
    ) -> None:
        """One problem; `code` (core/problems/codes.py) is required, so no check can forget it."""
        self.items.append(Problem(self.relative(path), line, message, field, hint, severity, column=column, code=code))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def relative(self, path: Path | str) -> str:
        """The path as the author sees it: a symbolic link by its own name (resolving a link
        loop would raise), else resolved."""
        root = self._root()
        absolute, prefix = os.path.abspath(path), os.path.join(str(root), "")
        if absolute.startswith(prefix):  # the usual case, in string operations (thousands per save:
            return absolute[len(prefix) :].replace(os.sep, "/")  # a Path each cost a tenth of the check)
        p = Path(path)
        if absolute == str(root):
            return "."
        try:
            return p.resolve().relative_to(root).as_posix()
        except (ValueError, RuntimeError, OSError):
            return p.as_posix()

    def _root(self) -> Path:
        """The root, resolved once (a whole-course check shows thousands of paths)."""
        if self._resolved is None or self._resolved[0] != self.root:
            self._resolved = (self.root, self.root.resolve())
        return self._resolved[1]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


def printable(text: str) -> str:
    """`text` on one line: control characters (a newline in a folder name) shown escaped."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def starts_workflow_command(line: str) -> bool:
    """Whether a CI runner reads `line` as a workflow command (even after spaces and control
    characters it drops)."""
    bare = "".join(c for c in line if c.isprintable() or c in " \t")
    return bare.lstrip().startswith(("::", "##["))


def no_workflow_commands(text: str) -> str:
    """Output CI cannot mistake for a GitHub Actions workflow command (`::warning ...`,
    `##[error]`), which the runner reads from any output line that starts with one, even after
    spaces: such a line, always a file name's continuation here, is joined back with `\\n`."""
    lines = text.replace("\r", "\\r").split("\n")
    out: list[str] = []
    for line in lines:
        if starts_workflow_command(line):
            if out:
                out[-1] += "\\n" + printable(line)
                continue
            line = "\\" + printable(line)
        out.append(line)
    return "\n".join(out)


ENVIRONMENT = {  # what each machine refusal means, in the words an instructor can act on
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "input/output error",
    errno.ENAMETOOLONG: "a file name is too long",
}


def os_error(what: str, e: OSError) -> str:
    """One line for an error of the machine rather than of the course."""
    reason = ENVIRONMENT.get(e.errno or 0) or e.strerror or str(e)
    where = f" ({printable(str(e.filename))})" if e.filename else ""
    return f"{what}: {reason}{where}"


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (not p.cause, p.path, p.line or 0, p.column or 0, p.message))


def format_text(problems: Iterable[Problem]) -> str:
    return "\n".join(p.text() for p in sorted_problems(problems))


_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def format_summary(problems: Iterable[Problem], at_least: int = 3) -> str:
    """Like `format_text`, but a warning repeated in `at_least` places or more (the same message
    but for its numbers and quoted names) is one line: the first, a count and the files."""
    ordered = sorted_problems(problems)
    groups: dict[tuple, list[Problem]] = {}
    for p in ordered:
        if p.severity == "warning":
            groups.setdefault((re.sub(r"\[\d+\]", "", p.field or ""), _VARYING.sub("#", p.message)), []).append(p)
    lines, shown = [], set()
    for p in ordered:
        group = (
            groups.get((re.sub(r"\[\d+\]", "", p.field or ""), _VARYING.sub("#", p.message)))
            if p.severity == "warning"
            else None
        )
        if group is None or len(group) < at_least:
            lines.append(p.text())
            continue
        if id(group) in shown:
            continue
        shown.add(id(group))
        files = list(dict.fromkeys(q.path for q in group))
        listed = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
        lines.append(
            printable(
                f"{p.location}: warning: [{p.code}] {p.detail()} [{len(group)} times in {len(files)} "
                f"file{'s' if len(files) != 1 else ''}: {listed}]"
            )
        )
    return "\n".join(lines)


def _annotation_escape(value: str, *, property_: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; properties also : and ,
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: Iterable[Problem]) -> str:
    """Workflow commands that GitHub Actions shows as annotations on the pull request's files."""
    lines = []
    for p in sorted_problems(problems):
        props = [f"file={_annotation_escape(p.path, property_=True)}"]
        if p.line:
            props.append(f"line={p.line}")
            if p.column:
                props.append(f"col={p.column}")
        props.append(f"title={_annotation_escape(p.code, property_=True)}")
        message = p.detail()
        lines.append(f"::{p.severity} {','.join(props)}::{_annotation_escape(message)}")
    return "\n".join(lines)


def format_json(problems: Iterable[Problem]) -> str:
    """Every field of each problem, `code` and `column` included, for scripts."""
    return json.dumps([asdict(p) for p in sorted_problems(problems)], indent=2)
