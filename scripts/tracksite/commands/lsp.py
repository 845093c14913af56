"""`tracksite lsp`: `tracksite check`'s problems as Language Server Protocol diagnostics, over stdio.

For editors that speak LSP (Neovim, Helix, Emacs, Sublime Text, Zed, Kate) instead of reading a
task's output: when the editor connects and each time it saves a file, the same checks as
`tracksite check` run on the files as saved, and every problem is published on its file and
line, front-matter and `///` block bodies included; a file whose problems are gone gets an empty
list. There is no second validator: this module only translates `Problem`s.

It needs the optional extra `lsp` (pygls); without it the command says how to install it.
"""

from __future__ import annotations

import argparse
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import BinaryIO, TextIO

from tracksite.errors import USAGE, UserError

#: The largest message the server reads (a whole lesson sent with didOpen is a few hundred KB).
MAX_MESSAGE = 16_000_000
_HEADER = b"Content-Length:"


class FramedInput:
    """The editor's byte stream as pygls reads it (`readline`, `read`), with every message's
    framing checked first: pygls took `Content-Length: abc` for a missing header and read the
    next message as a header line (it stopped answering), and `Content-Length: 99999999999`
    made it read 100 GB (it died). A message whose length is not a number is skipped up to the
    next `Content-Length:`, and so is one over MAX_MESSAGE, each with a line on stderr;
    a good one is handed to pygls framed as it expects."""

    def __init__(self, raw: BinaryIO, log: TextIO) -> None:
        self.raw, self.log = raw, log
        self.ahead = b""  # bytes read past a resynchronisation, read again first
        self.pending = b""  # the checked message being handed to pygls

    def readline(self) -> bytes:
        self._fill()
        end = self.pending.find(b"\n") + 1 or len(self.pending)
        line, self.pending = self.pending[:end], self.pending[end:]
        return line

    def read(self, n: int) -> bytes:
        self._fill()
        out, self.pending = self.pending[:n], self.pending[n:]
        return out

    def _fill(self) -> None:
        while not self.pending:
            body = self._message()
            if body is None:
                return  # the editor closed the stream
            self.pending = b"Content-Length: %d\r\n\r\n" % len(body) + body

    def _message(self) -> bytes | None:
        while True:
            length, bad = None, None
            while True:  # the header block, up to its empty line
                line = self._line()
                if not line:
                    return None
                if not line.strip():
                    if length is None and bad is None:
                        continue  # a stray empty line between messages
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    digits = value.strip()
                    length, bad = (int(digits), None) if digits.isdigit() and len(digits) <= 15 else (None, digits)
                elif not line.endswith(b"\n"):
                    bad = line[:40]  # a header line too long to be one
            if length is None:
                self.log.write(f"tracksite lsp: skipped a message with a bad Content-Length {bad!r}\n")
                self._resynchronise()
            elif length > MAX_MESSAGE:  # a length no editor sends: its body, too, ends where the next header starts
                self.log.write(f"tracksite lsp: skipped a message of {length:,} bytes (at most {MAX_MESSAGE:,})\n")
                self._resynchronise()
            else:
                body = self._read(length)
                return body if len(body) == length else None

    def _line(self) -> bytes:
        if self.ahead:
            end = self.ahead.find(b"\n") + 1
            if end:
                line, self.ahead = self.ahead[:end], self.ahead[end:]
                return line
            line, self.ahead = self.ahead, b""
            return line + self.raw.readline(8192 - len(line))
        return self.raw.readline(8192)

    def _read(self, n: int) -> bytes:
        out, self.ahead = self.ahead[:n], self.ahead[n:]
        return out + (self.raw.read(n - len(out)) if len(out) < n else b"")

    def _resynchronise(self) -> None:
        """Drop bytes up to the next `Content-Length:` (the skipped body's length is unknown)."""
        seen = b""
        while True:
            chunk = self._read(1) if self.ahead else _read_some(self.raw)
            if not chunk:
                return
            seen += chunk
            at = seen.find(_HEADER)
            if at >= 0:
                self.ahead = seen[at:] + self.ahead
                return
            seen = seen[-len(_HEADER) :]


def _read_some(raw: BinaryIO) -> bytes:
    """What the stream has now (at least a byte, unless it ended), without waiting for more."""
    read1 = getattr(raw, "read1", None)
    return read1(4096) if read1 is not None else raw.read(1)


def cmd_lsp(args: argparse.Namespace) -> int:
    if any(find_spec(name) is None for name in ("pygls", "lsprotocol")):
        raise UserError(
            'the language server needs the optional extra lsp (pygls): pip install "tracksite[lsp]"', exit_code=USAGE
        )
    from tracksite.commands.lspserver import make_server

    server = make_server(Path(args.root).resolve(), getattr(args, "config_file", None))
    server.start_io(stdin=FramedInput(sys.stdin.buffer, sys.stderr))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lsp",
        help="a language server (stdio) publishing `tracksite check`'s problems",
        description="Speak the Language Server Protocol on stdin/stdout: on connect and on every "
        "save, run the checks of `tracksite check` and publish each problem as a "
        "diagnostic on its file and line. It never runs a runnable exercise's code (whatever mkdocs.yml or "
        "TRACKSITE_RUN_CODE says): a checkout's code must not run because an editor opened it. "
        'Needs the extra: pip install "tracksite[lsp]"',
    )
    p.set_defaults(handler=cmd_lsp)
