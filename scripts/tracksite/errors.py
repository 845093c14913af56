"""The one exception for a mistake the user can fix: bad arguments, a missing file, a course
that does not check. Commands raise it; `tracksite.commands.cli.main` prints it as one line
(`tracksite COMMAND: error: ...`) and exits with its code, never with a traceback.

Exit codes (also in the README):

- 0  success
- 1  the course or the input has problems (`check` found errors, a command was refused)
- 2  usage: bad arguments, not a tracksite project, an optional extra not installed
- 70 an internal error: a bug in tracksite (TRACKSITE_DEBUG=1 shows the traceback)
- 130 interrupted (Ctrl-C)
"""

from __future__ import annotations

PROBLEMS = 1
USAGE = 2
INTERNAL = 70
INTERRUPTED = 130


class UserError(Exception):
    """A problem the user can fix, shown as one line without a traceback."""

    def __init__(self, message: str, *, exit_code: int = PROBLEMS) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class SourceProblem(UserError):
    """A problem at a line of a file the user wrote (a YAML document, front-matter, track.yml):
    the checks turn it into a located problem with the file's name; a command that meets one
    outside the checks prints it as any other `UserError`. It carries its problem code (the
    catalogue in tracksite/core/problems/codes.py) and, when the parser knows it, the 1-based column."""

    def __init__(self, message: str, line: int | None = None, *, code: str, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.code = code
        self.column = column
