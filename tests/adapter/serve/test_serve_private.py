"""Issue 41: the serve code (adapter/serve/serve.py, adapter/serve/devserver.py) uses MkDocs' live-reload
server through its public methods only (it used eight private attributes): a private one it
starts using must be listed in devserver.MKDOCS_PRIVATE with why, at most two, and this test
finds each: on the server it is handed (`server._x`, `getattr(server, "_x")`), or on its own
subclass (`self._x` for a name MkDocs' class has)."""

from __future__ import annotations

import ast
import inspect
import logging
import time

import pytest
from bs4 import BeautifulSoup
from mkdocs.livereload import LiveReloadServer
from watchdog.observers import inotify_c

from support.course import REPO
from tracksite.adapter.serve import devserver, watcher

ADAPTER = REPO / "scripts" / "tracksite" / "adapter"
SERVERS = ("server", "self.server", "new")


def mkdocs_names(tmp_path) -> set[str]:
    """Every `_name` MkDocs' server has: its class's and an instance's."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        names = set(dir(LiveReloadServer)) | set(vars(server))
    finally:
        server.server_close()
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def private_uses(source: str, mkdocs: set[str]) -> set[str]:
    """The `_name` attributes the code reads or sets on MkDocs' server or on its subclass."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = ast.unparse(node.value)
            if base in SERVERS or (base in ("self", "cls", "super()") and node.attr in mkdocs):
                found.add(node.attr)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("getattr", "setattr", "hasattr"):
            target, name = node.args[0], node.args[1] if len(node.args) > 1 else None
            if ast.unparse(target) in (*SERVERS, "self") and isinstance(name, ast.Constant):
                if str(name.value).startswith("_"):
                    found.add(str(name.value))
    return found


def test_serve_uses_at_most_two_listed_private_attributes(tmp_path):
    mkdocs = mkdocs_names(tmp_path)
    used = set()
    for module in ("serve/serve.py", "serve/devserver.py", "plugin.py"):
        used |= private_uses((ADAPTER / module).read_text(encoding="utf-8"), mkdocs)
    assert used == set(devserver.MKDOCS_PRIVATE)
    assert len(used) <= 2
    assert all(why.strip() for why in devserver.MKDOCS_PRIVATE.values())


def test_the_scan_sees_a_private_use(tmp_path):
    """The scan above is not blind: each form of reaching in is found."""
    mkdocs = mkdocs_names(tmp_path)
    code = "server._epoch_cond\nself._visible_epoch = 1\ngetattr(self.server, '_want_rebuild')\nself._ours\n"
    assert private_uses(code, mkdocs) == {"_epoch_cond", "_visible_epoch", "_want_rebuild"}


def test_mkdocs_still_has_them(tmp_path):
    missing = [name for name in devserver.MKDOCS_PRIVATE if not hasattr(LiveReloadServer, name)]
    assert missing == [], f"MkDocs' LiveReloadServer no longer has {missing}: adapter/serve/devserver.py must change"


def test_what_mkdocs_watched_is_read_through_public_apis(tmp_path):
    """devserver.watched_by: the paths MkDocs' server watches, from its observer's public
    `emitters` (watchdog), with whether it watches below them; a changed MkDocs fails here."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(str(tmp_path / "docs"))
        server.watch(str(tmp_path / "mkdocs.yml"), recursive=False)
        assert devserver.watched_by(server) == {str(tmp_path / "docs"): True, str(tmp_path / "mkdocs.yml"): False}
        new = devserver.CourseServer.replacing(server, [])
        try:
            assert {p: n for p, (n, _) in new.watches.items()} == {
                str(tmp_path / "docs"): 1,
                str(tmp_path / "mkdocs.yml"): 1,
            }
            new.unwatch(str(tmp_path / "mkdocs.yml"))
            with pytest.raises(KeyError):  # as MkDocs': serve.rewatch relies on it
                new.unwatch(str(tmp_path / "mkdocs.yml"))
        finally:
            new.server_close()
    finally:
        server.server_close()


def test_the_public_methods_overridden_keep_mkdocs_signatures():
    """CourseServer overrides MkDocs' public methods only; MkDocs calls them by these names."""
    for name in ("watch", "unwatch", "serve", "shutdown", "serve_request"):
        ours = inspect.signature(getattr(devserver.CourseServer, name))
        theirs = inspect.signature(getattr(LiveReloadServer, name))
        assert list(ours.parameters) == list(theirs.parameters), name


def test_a_site_below_a_folder_reloads(tmp_path):
    """With `site_url` below a folder (`/course/`), the page's reload script polls
    `/course/livereload/...`; MkDocs' server answered only `/livereload/...`, so the poll met a
    404 every three seconds and the page never reloaded. The server answers both."""
    (tmp_path / "index.html").write_text("<html><body><p>hi</p></body></html>", encoding="utf-8")
    server = devserver.CourseServer(
        builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path), mount_path="/course/"
    )
    try:
        server.watch(str(tmp_path))
        status: list[str] = []
        page = b"".join(server.serve_request({"PATH_INFO": "/course/"}, lambda s, h: status.append(s)))
        script = BeautifulSoup(page, "html.parser").find("script")
        assert script is not None and script["src"] == "/course/" + devserver.RELOAD_PATH
        assert script["data-base"] == "/course/"
        seen = int(script["data-epoch"])
        time.sleep(0.01)
        server.epochs.begin()  # a save: the site being built is newer than the page's
        server.reload_now()
        for path in ("/course/livereload/", "/livereload/"):
            answer = b"".join(server.serve_request({"PATH_INFO": f"{path}{seen}/1"}, lambda s, h: status.append(s)))
            assert int(answer) > seen, path
        assert status == ["200 OK"] * 3
    finally:
        server.server_close()


def test_a_page_written_early_is_answered_whole_while_mkdocs_writes_it_again(tmp_path):
    """The edit loop writes a saved page and reloads the browsers before the build is over; MkDocs
    then writes the same page again, truncating it first. A browser that asked in between got an
    empty page (on a loaded machine: its poll then waited for a build that never came, and the
    benchmark's edit never showed). The page written early is answered from memory until the
    build is over."""
    page = tmp_path / "index.html"
    page.write_text("", encoding="utf-8")  # MkDocs has opened it to write it again
    server = devserver.CourseServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(str(tmp_path))
        server.hold(str(page), b"<html><body><p>the new sentence</p></body></html>")
        answer = b"".join(server.serve_request({"PATH_INFO": "/"}, lambda s, h: None))
        soup = BeautifulSoup(answer, "html.parser")
        assert soup.p is not None and soup.p.get_text() == "the new sentence"
        assert soup.find("script", src="/" + devserver.RELOAD_PATH) is not None
        server.release()  # the build is over: the file is what the site holds
        page.write_text("<html><body><p>written by MkDocs</p></body></html>", encoding="utf-8")
        answer = b"".join(server.serve_request({"PATH_INFO": "/"}, lambda s, h: None))
        assert BeautifulSoup(answer, "html.parser").p.get_text() == "written by MkDocs"
    finally:
        server.server_close()


def test_an_inotify_overflow_makes_the_next_build_ask_about_every_file(tmp_path):
    """Saves lost in an overflow of the kernel's inotify queue are never reported; the watcher is
    then not trusted for the next build (core/memo.py `watching`): it asks about every file."""
    assert "Inotify queue overflowed" in inspect.getsource(inotify_c)  # what the pinned watchdog logs
    server = devserver.CourseServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    logger = logging.getLogger(watcher.LostEvents.LOGGER)
    before = list(logger.handlers)
    try:
        assert watcher.LostEvents.listen(server)
        server.changed = {str(tmp_path / "lessons/a/a1/lesson.md")}  # a save the watcher reported
        server.want_build = False
        logger.warning("Inotify queue overflowed; filesystem events were lost")
        assert server.want_build and server.changed is None  # no path to name: every file is asked about
    finally:
        logger.handlers[:] = before
        server.server_close()


def test_files_are_revalidated_or_kept_so_a_reload_fetches_only_what_changed(tmp_path):
    """A reload after a save fetched every stylesheet and script of the page again, whole, while
    the build went on. A file named by its digest is kept by the browser; any other file is sent
    with an ETag and answered 304 while it is the same, and again in full once it changed (an
    instructor's edited stylesheet shows at the next reload)."""
    (tmp_path / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "assets" / "stylesheets" / "main.0123abcd.min.css").write_text("a{}", encoding="utf-8")
    extra = tmp_path / "assets" / "extra.css"
    extra.write_text("b{}", encoding="utf-8")
    server = devserver.CourseServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))

    def get(path: str, tag: str | None = None) -> tuple[str, dict, bytes]:
        answered: list = []
        environ = {"PATH_INFO": path, **({"HTTP_IF_NONE_MATCH": tag} if tag else {})}
        body = b"".join(server.serve_request(environ, lambda status, headers: answered.extend([status, dict(headers)])))
        return answered[0], answered[1], body

    try:
        status, headers, body = get("/assets/stylesheets/main.0123abcd.min.css")
        assert (status, body) == ("200 OK", b"a{}") and "immutable" in headers["Cache-Control"]
        status, headers, body = get("/assets/extra.css")
        assert (status, body, headers["Cache-Control"]) == ("200 OK", b"b{}", "no-cache")
        tag = headers["ETag"]
        status, headers, body = get("/assets/extra.css", tag)
        assert (status, body, headers["ETag"]) == ("304 Not Modified", b"", tag)
        extra.write_text("b{color:red}", encoding="utf-8")
        status, headers, body = get("/assets/extra.css", tag)
        assert (status, body) == ("200 OK", b"b{color:red}") and headers["ETag"] != tag
    finally:
        server.server_close()


def test_a_304_is_no_warning_that_would_stop_a_strict_served_build(tmp_path, caplog):
    """MkDocs' request handler logs any answer but a 200 as a warning on its logger, and under
    `strict` a served build's warnings are problems: the reloads' 304s stopped the next build."""
    server = devserver.CourseServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    handler = server.RequestHandlerClass.__new__(server.RequestHandlerClass)
    handler.requestline = "GET /assets/extra.css HTTP/1.1"
    try:
        with caplog.at_level(logging.DEBUG, logger="mkdocs"):
            handler.log_request(304)
            handler.log_request(404)
    finally:
        server.server_close()
    levels = {record.getMessage().rsplit(" ", 1)[-1]: record.levelno for record in caplog.records}
    assert levels == {"304": logging.DEBUG, "404": logging.WARNING}
