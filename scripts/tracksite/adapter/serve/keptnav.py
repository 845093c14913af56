"""Serve's edit loop keeps MkDocs' navigation and its pages between rebuilds.

MkDocs makes the navigation and a `Page` for every page anew on every build, from the files the
build lists: at 1,000 lessons 3,200 of them, a fifth of what a save cost under `mkdocs serve`,
though a save that changes a lesson's text leaves every one as it was. So, under serve, the last
build's navigation and pages are kept and answered again (`mkdocsinternals.replace_navigation`)
when this build lists the same pages, at the same addresses, under the same settings: each page
is given back the attributes it had when the navigation made it (what the last build's rendering
and the plugins' events added to it is dropped), is attached to this build's `File`, and carries
this build's date, so that the site is the one a build that made them anew writes
(tests/adapter/serve/test_serve_keptnav.py). A page added, removed, renamed or moved, a draft published, or any
setting the pages' addresses come from changed: the navigation is made anew, as MkDocs makes it.

Only a configuration without a `nav:` is kept (tracksite makes the course's navigation itself,
coursepages.py): MkDocs checks a written `nav:` against the files while it makes the navigation,
and warns of what it finds on every build.
"""

from __future__ import annotations

import logging
from typing import Any

from tracksite.adapter import mkdocsinternals

log = logging.getLogger("mkdocs.plugins.tracksite")

#: The settings a page's addresses and links come from when MkDocs makes it (`Page.__init__`,
#: the navigation's nesting).
SETTINGS = ("site_url", "repo_url", "edit_uri", "edit_uri_template", "use_directory_urls", "docs_dir")


class KeptNavigation:
    """The last serve build's navigation and pages, answered again while the pages are the same."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._nav: Any = None
        self._pages: dict[str, tuple[Any, dict[str, Any]]] = {}  # src_uri -> (page, as made)
        self._armed = False  # this build may use it: set by `arm`, for one navigation
        self.kept = False  # the last navigation was the kept one (for the log and the tests)

    def arm(self, config: Any) -> None:
        """In `on_files` of a serve build: this build's navigation goes through `navigation`."""
        self.kept = False  # (until this build's navigation says so)
        module = mkdocsinternals.build_module(config)
        if module is None or not hasattr(module, "get_navigation"):
            return
        mkdocsinternals.replace_navigation(module, _dispatch)
        self._armed = True
        _ACTIVE[:] = [self]

    def forget(self) -> None:
        """After a failed build: the next navigation is made anew."""
        self._key, self._nav, self._pages, self._armed = None, None, {}, False
        if _ACTIVE and _ACTIVE[0] is self:
            _ACTIVE.clear()

    def navigation(self, make: Any, files: Any, config: Any) -> Any:
        """This build's navigation: the kept one, with its pages reset, when `files` lists the
        same pages as the last build's; else `make(files, config)`, kept for the next build."""
        self._armed = False
        pages = files.documentation_pages()
        key = _key(pages, config)
        self.kept = key is not None and key == self._key
        if self.kept:
            module = mkdocsinternals.build_module(config)
            assert module is not None
            date = mkdocsinternals.build_date(module)
            for f in pages:
                page, state = self._pages[f.src_uri]
                mkdocsinternals.reset_page(page, f, state, date)
            log.info("tracksite: the navigation and its %d pages kept from the last build", len(pages))
            return self._nav
        self._key, self._nav, self._pages = None, None, {}
        nav = make(files, config)
        if key is not None:
            self._key, self._nav = key, nav
            self._pages = {f.src_uri: (f.page, _state(f.page)) for f in pages if f.page is not None}
            if len(self._pages) != len(pages):
                self._key, self._nav, self._pages = None, None, {}
        return nav


def _state(page: Any) -> dict[str, Any]:
    """A page as the navigation made it, less its file and date (set again on each build: the
    first build's files, generated pages' text included, are not held for the whole run)."""
    state = mkdocsinternals.page_state(page)
    state.pop("file", None)
    state.pop("update_date", None)
    return state


def _key(pages: list, config: Any) -> tuple | None:
    """What MkDocs makes the navigation and pages from: the pages' sources, addresses and
    inclusion, in order, and the settings; None when the configuration has a `nav:`."""
    if config.get("nav") is not None:
        return None
    settings = tuple(repr(config.get(name)) for name in SETTINGS)
    return settings + tuple((f.src_uri, f.dest_uri, f.url, f.inclusion) for f in pages)


#: The KeptNavigation armed for the build running now (serve builds one at a time).
_ACTIVE: list[KeptNavigation] = []


def _dispatch(make: Any, files: Any, config: Any) -> Any:
    """The engine's navigation for every build of the process: the armed serve loop's, else MkDocs'
    own (a `mkdocs build` in the same process, or a serve build that did not arm it)."""
    kept = _ACTIVE.pop() if _ACTIVE else None
    if kept is None or not kept._armed:
        return make(files, config)
    return kept.navigation(make, files, config)
