"""The linkcheck report: one problem per kind, page, line and target, in tracksite's format."""

from __future__ import annotations

from pathlib import Path

from tracksite.core.problems.problem import Problem
from tracksite.errors import USAGE, UserError


def CheckError(message: str) -> UserError:  # noqa: N802 - bad input or a missing tool: exit status 2
    return UserError(message, exit_code=USAGE)


class Report:
    def __init__(self) -> None:
        self.problems: dict[tuple, Problem] = {}

    @staticmethod
    def shown_path(path: Path) -> str:
        """Relative to the current folder when inside it (editors and terminals link it), else absolute."""
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()

    def add(
        self,
        kind: str,
        target: tuple,
        page: Path,
        line: int | None,
        message: str,
        severity: str = "error",
        *,
        code: str,
    ) -> None:
        """One problem per kind, line and target; `code` is required (core/problems/codes.py)."""
        key = (kind, line, *target)
        if key not in self.problems:
            self.problems[key] = Problem(self.shown_path(page), line, message, severity=severity, code=code)  # type: ignore[arg-type]

    @property
    def items(self) -> list[Problem]:
        return list(self.problems.values())
