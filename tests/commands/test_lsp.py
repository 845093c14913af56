"""`tracksite lsp`, spoken to as an editor speaks to it: JSON-RPC over the process's stdio.

The server is started as Neovim, Helix or Zed would start it, told the workspace, and sent the
notifications an editor sends on save; the diagnostics it publishes must be `tracksite check`'s
problems on the right file and line, and must clear when the file is fixed."""

from __future__ import annotations

import json
import queue
import sys
import threading

import pytest

from support import harness
from support.watching import LESSON, QUIZ_LINE, course_copy, save
from tracksite.commands.cli import main

pytest.importorskip("pygls")


class Client:
    def __init__(self, root):
        # `tracksite lsp`, a process of its own with its stdio on pipes, as an editor starts it:
        # a fork of this one (tests/support/harness.py), not a new interpreter
        self.proc = harness.Spawned(lambda: main(["lsp"]), root, stdin=True, text=False)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, method, params, request=False):
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return message.get("id")

    def wait(self, wanted, timeout=90):
        while True:
            message = self.messages.get(timeout=timeout)
            if wanted(message):
                return message

    def diagnostics_for(self, uri, wanted, timeout=90):
        return self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and wanted(m["params"]["diagnostics"])
            ),
            timeout,
        )["params"]["diagnostics"]


@pytest.mark.slow
def test_the_language_server_publishes_the_checks_and_clears_them(tmp_path):
    root = course_copy(tmp_path)
    lesson = root / LESSON
    uri = lesson.resolve().as_uri()
    good = lesson.read_text(encoding="utf-8")
    line_no = good[: good.index(QUIZ_LINE)].count("\n") + 1
    save(lesson, good.replace(QUIZ_LINE, "      correct: maybe\n", 1))  # wrong before the editor connects
    c = Client(root)
    try:
        i = c.send(
            "initialize",
            {
                "processId": None,
                "rootUri": root.resolve().as_uri(),
                "capabilities": {},
                "workspaceFolders": [{"uri": root.resolve().as_uri(), "name": "course"}],
            },
            request=True,
        )
        init = c.wait(lambda m: m.get("id") == i)
        assert init["result"]["capabilities"]["textDocumentSync"]["save"] is not False
        c.send("initialized", {})
        found = c.diagnostics_for(uri, bool)
        assert [(d["range"]["start"]["line"], d["severity"], d["message"], d["source"]) for d in found] == [
            (line_no - 1, 1, "quiz[0].options[0].correct: expected true or false, found string 'maybe'", "tracksite")
        ]
        c.send(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "markdown",
                    "version": 1,
                    "text": lesson.read_text(encoding="utf-8"),
                }
            },
        )
        # a YAML slip mid-edit, saved: reported at its line, the server stays up
        save(lesson, good.replace(QUIZ_LINE, "      correct: true\n     explain: [unclosed\n", 1))
        c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        slip = c.diagnostics_for(uri, lambda d: d and "YAML" in d[0]["message"])
        assert slip[0]["severity"] == 1
        save(lesson, good)
        c.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert c.diagnostics_for(uri, lambda d: d == []) == []
        i = c.send("shutdown", None, request=True)
        c.wait(lambda m: m.get("id") == i)
        c.send("exit", None)
        assert c.proc.wait(timeout=20) == 0
    finally:
        if c.proc.poll() is None:
            c.proc.kill()
    assert b"Traceback" not in c.proc.stderr.read()


def test_without_the_extra_the_command_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pygls", None)
    assert main(["lsp"]) == 2
    assert 'pip install "tracksite[lsp]"' in capsys.readouterr().err  # as a wheel's user installs it


@pytest.mark.parametrize("header", [b"Content-Length: abc", b"Content-Length: 99999999999", b"Content-Length: -5"])
def test_a_malformed_header_is_skipped_and_the_server_keeps_answering(tmp_path, header):
    """Issue 39: `Content-Length: abc` made the server stop answering (the next message was read
    as a header), and `Content-Length: 99999999999` killed it. Such a message is skipped with a
    line on stderr; the messages after it are answered."""
    root = course_copy(tmp_path)
    c = Client(root)
    try:
        junk = b'{"jsonrpc": "2.0", "id": 99, "method": "shutdown"}'
        c.proc.stdin.write(header + b"\r\n\r\n" + junk)
        c.proc.stdin.flush()
        i = c.send("initialize", {"processId": None, "rootUri": root.resolve().as_uri(), "capabilities": {}}, True)
        init = c.wait(lambda m: m.get("id") in (i, 99), timeout=60)
        assert init.get("id") == i and "capabilities" in init["result"]
        i = c.send("shutdown", None, request=True)
        assert c.wait(lambda m: m.get("id") == i, timeout=60)["result"] is None
        c.send("exit", None)
        assert c.proc.wait(timeout=20) == 0
    finally:
        if c.proc.poll() is None:
            c.proc.kill()
    err = c.proc.stderr.read()
    assert b"Traceback" not in err and b"skipped a message" in err
