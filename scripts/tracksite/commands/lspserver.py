"""The language server of `tracksite lsp`: pygls, the checks and their problems as diagnostics.

Loaded only when the command runs (commands/lsp.py), because it imports the optional extra
`lsp` (pygls, lsprotocol) and the checks at its top: `tracksite --help` loads neither.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from tracksite.adapter.config import mkdocsconfig
from tracksite.core.checks import check_everything
from tracksite.core.memo import Memory


def project_root(start: Path) -> Path | None:
    """The tracksite project holding `start`: the nearest folder with mkdocs.yml or lessons/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "lessons").is_dir():
            return folder
    return None


def path_of(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path)).resolve()


def diagnostics(root: Path, config_file: str | None = None, memory: Memory | None = None) -> dict[Path, list]:
    """Every problem `tracksite check` finds, as LSP diagnostics by absolute file path. `memory`:
    what the server's checks remember from one to the next (core/memo.py), None for a fresh one."""
    problems = check_everything(mkdocsconfig.load(root, config_file), memory).problems
    out: dict[Path, list] = {}
    for p in problems.items if problems else ():
        line = max((p.line or 1) - 1, 0)
        # the column when known (LSP counts from 0), else the whole line
        start = types.Position(line=line, character=p.column - 1 if p.column else 0)
        out.setdefault((root / p.path).resolve(), []).append(
            types.Diagnostic(
                range=types.Range(start=start, end=types.Position(line=line + 1, character=0)),
                message=p.detail(),
                code=p.code,
                source="tracksite",
                severity=types.DiagnosticSeverity.Error if p.severity == "error" else types.DiagnosticSeverity.Warning,
            )
        )
    return out


def make_server(fallback_root: Path, config_file: str | None = None):
    """A pygls server that re-checks the project on open and save and publishes the result."""
    server = LanguageServer("tracksite", "0.1.0")
    state: dict = {"published": set(), "root": None, "memory": Memory()}

    def publish(near: Path | None = None) -> None:
        root = state["root"] or project_root(near or fallback_root) or fallback_root
        state["root"] = root
        try:
            found = diagnostics(root, config_file, state["memory"])
        except Exception as e:  # noqa: BLE001 - a failed check is reported; the server stays up
            server.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"tracksite check failed: {type(e).__name__}: {e}"
                )
            )
            return
        for path in state["published"] - set(found):
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=path.as_uri(), diagnostics=[]))
        for path, items in found.items():
            server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=path.as_uri(), diagnostics=items)
            )
        state["published"] = set(found)

    @server.feature(types.INITIALIZED)
    def initialized(params) -> None:
        root = server.workspace.root_path
        if root:
            state["root"] = project_root(Path(root)) or Path(root)
        publish()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        if state["root"] is None:  # an editor that sent no workspace folder
            publish(path_of(params.text_document.uri).parent)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        publish(path_of(params.text_document.uri).parent)

    return server
