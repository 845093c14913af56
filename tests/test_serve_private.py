"""Issue 41: adapter/serve.py reaches into MkDocs' live-reload server only where MkDocs has no
public way, lists each private attribute it uses (serve.MKDOCS_PRIVATE, with why), and this
test fails loudly when MkDocs renames or retypes one, or when serve.py starts using another."""

from __future__ import annotations

import ast
import inspect
import threading

from mkdocs.livereload import LiveReloadServer

from course import REPO
from tracksite.adapter import serve

SERVE = REPO / "scripts" / "tracksite" / "adapter" / "serve.py"


def private_uses() -> set[str]:
    """Every `_name` attribute serve.py reads or sets on the server (`server._x`, `self.server._x`,
    `getattr(server, "_x", ...)`)."""
    found = set()
    for node in ast.walk(ast.parse(SERVE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = ast.unparse(node.value)
            if base in ("server", "self.server"):
                found.add(node.attr)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "setattr", "hasattr"):
            target, name = node.args[0], node.args[1] if len(node.args) > 1 else None
            if ast.unparse(target) in ("server", "self.server") and isinstance(name, ast.Constant):
                if str(name.value).startswith("_"):
                    found.add(str(name.value))
    return found


def test_serve_uses_only_the_listed_private_attributes():
    assert private_uses() == set(serve.MKDOCS_PRIVATE)
    assert all(why.strip() for why in serve.MKDOCS_PRIVATE.values())


def test_mkdocs_still_has_them(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        missing = [name for name in serve.MKDOCS_PRIVATE if not hasattr(server, name)]
        assert missing == [], f"MkDocs' LiveReloadServer no longer has {missing}: adapter/serve.py must change"
        assert list(inspect.signature(server._inject_js_into_html).parameters) == ["content", "epoch"]
        assert isinstance(server._inject_js_into_html(b"<body></body>", 1), bytes)
        for name in ("_epoch_cond", "_rebuild_cond"):
            assert isinstance(getattr(server, name), type(threading.Condition())), name
        assert isinstance(server._visible_epoch, int) and isinstance(server._wanted_epoch, int)
        assert server._want_rebuild is False
        server.watch(str(tmp_path))
        assert server._watched_paths == {str(tmp_path): 1} and set(server._watch_refs) == {str(tmp_path)}
        server.unwatch(str(tmp_path))
        try:
            server.unwatch(str(tmp_path))
        except KeyError:
            pass  # serve.rewatch relies on this: unwatching a folder not watched raises KeyError
        else:
            raise AssertionError("MkDocs' unwatch of an unwatched folder no longer raises KeyError")
    finally:
        server.server_close()
