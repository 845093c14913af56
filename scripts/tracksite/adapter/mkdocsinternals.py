"""Every part of MkDocs that tracksite uses beyond the plugin API, named once, each with why.

MkDocs' plugin events and its public classes are a contract; what is here is not: private
functions and attributes, a module global swapped while a page renders, a page's method replaced,
the engine's file writer rerouted, its navigation kept between serve's rebuilds, the serve
builder's closure read, the dev server subclassed.
Each is the one way found to make a build faster or `mkdocs serve` quicker to reload, and each can
change in any release of MkDocs or of ProperDocs (its fork, which tracksite supports alike). So
no other module of tracksite touches them: they call the functions below, and
tests/adapter/test_mkdocs_internals.py checks every name in `INTERNALS` against the installed MkDocs and
ProperDocs (that it exists, with the parameters listed), so an upgrade that moves one fails there,
by name, rather than in a build.

Where the engine matters, the functions take its module (`build_module(config)`): a build run by
ProperDocs has its own `commands.build`, `utils` and `Page`.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from mkdocs import utils as _utils
from mkdocs.commands.build import build as _engine_build
from mkdocs.commands.build import get_context as _get_context
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

__all__ = ["LiveReloadServer"]  # devserver.py subclasses it (see `stop_serve_forever`)

#: Each internal, as a path inside the engine's package, with the parameters it must have
#: (names and defaults; None: an attribute or a name in the source, no call). The test resolves
#: every one in `mkdocs` and in `properdocs`.
INTERNALS: dict[str, str | None] = {
    "commands.build.build": "(config, *, serve_url=None, dirty=False)",
    "commands.build._populate_page": "(page, config, files, dirty=False)",
    "commands.build._build_page": "(page, config, doc_files, nav, env, dirty=False, excluded=False)",
    "commands.build.utils": None,
    "commands.build.get_context": "(nav, files, config, page=None, base_url='')",
    "commands.build.get_navigation": "(files, config)",
    "utils.get_build_date": "()",
    "utils.get_themes": "()",
    "utils.get_themes.cache_clear": None,
    "theme.Theme._load_theme_config": "(self, name)",
    "utils.write_file": "(content, output_path)",
    "structure.pages.Page.render": "(self, config, files)",
    "structure.pages.Page._title_from_render": None,
    "structure.files.File.is_modified": "(self)",
    "commands.serve.serve.builder": None,
    "utils.CountHandler.get_counts": "(self)",
    "utils.CountHandler.counts": None,
    "livereload.LiveReloadServer.__init__": (
        "(self, builder, host, port, root, mount_path='/', polling_interval=0.5, shutdown_delay=0.25)"
    ),
}

#: What devserver.py reads of the server MkDocs' `serve` made, besides the constructor's keywords.
SERVER_ATTRIBUTES: tuple[str, ...] = ("builder", "root", "mount_path", "shutdown_delay", "build_delay", "observer")
SERVER_ATTRIBUTES += ("serve_thread", "poll_response_timeout", "error_handler", "set_app", "server_close", "url")

#: What of Python-Markdown and pymdown-extensions a converter has replaced beyond their extension
#: API, named as `INTERNALS` are (the test resolves each in the installed package; None: an
#: attribute the class's `__init__` sets or the class holds).
MARKDOWN_INTERNALS: dict[str, str | None] = {
    "pymdownx.blocks.BlocksProcessor.parse_blocks": "(self, blocks, current_parent)",
    "pymdownx.blocks.BlocksProcessor.stack": None,
    "markdown.inlinepatterns.Pattern.compiled_re": None,
}

#: What MkDocs' build logs on every dirty build, and the logger it logs it on: serve's edit loop
#: makes every rebuild dirty on purpose (adapter/serve/serve.py filters the line out).
DIRTY_WARNING = "'dirty' build is being performed"
BUILD_LOGGER = "mkdocs.commands.build"
#: The names MkDocs' serve builder keeps in its closure (`serve_settings`).
SERVE_CLOSURE = ("get_config", "serve_url", "is_clean")


# -- the build -------------------------------------------------------------------------------
def build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    """`mkdocs.commands.build.build`: the function `mkdocs build` and `mkdocs serve` run. The
    command line (`tracksite build --instructor`) needs a plugin option `mkdocs build` cannot
    pass, and serve's edit loop needs to choose `dirty` per rebuild, so both call it themselves."""
    _engine_build(config, serve_url=serve_url, dirty=dirty)


def page_context(nav: Any, files: Any, config: Any, page: Page) -> dict[str, Any]:
    """What MkDocs gives a page's templates besides the plugins' additions (`get_context`, as
    `_build_page` calls it): the whole-page cache looks a template's read of it up again
    (caches/pagedeps.py)."""
    return dict(_get_context(nav, files, config, page))


def build_module(config: Any) -> ModuleType | None:
    """The running engine's `commands.build` (MkDocs' or ProperDocs', found from the config's
    class), when it has the per-page functions the parallel build's helpers call
    (`populate_page`, `build_page`) and the `utils` whose writer they reroute; None otherwise."""
    package = type(config).__module__.split(".")[0]
    try:
        module = importlib.import_module(f"{package}.commands.build")
    except ImportError:
        return None
    ok = all(hasattr(module, name) for name in ("_populate_page", "_build_page", "utils"))
    return module if ok else None


def populate_page(module: ModuleType, page: Any, config: Any, files: Any, dirty: bool) -> None:
    """`_populate_page`: one page's Markdown read and converted, as MkDocs' own loop does it. A
    helper process of the parallel build (parallel.py) converts a share of the pages with it."""
    module._populate_page(page, config, files, dirty)


def build_page(module: ModuleType, page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool) -> None:
    """`_build_page`: one page rendered through its template and written, as MkDocs' own loop
    does it. A helper process of the parallel build renders a share of the pages with it."""
    module._build_page(page, config, doc_files, nav, env, dirty, excluded=False)


def strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter (a `CountHandler` its command line puts on the
    `mkdocs` logger) has seen a warning in this build: the plugin stops a strict build on it
    before the search index is written."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def forget_strict_warnings() -> None:
    """Empty that counter (its `counts`), so that a serve rebuild does not abort: its warnings
    are shown on the problems page instead (adapter/serve/serve.py)."""
    for h in logging.getLogger("mkdocs").handlers:
        if isinstance(h, CountHandler):
            h.counts.clear()


# -- the installed themes ----------------------------------------------------------------------
def keep_theme_list() -> None:
    """MkDocs finds the installed themes in every installed package's entry points
    (`utils.get_themes`, cached), and its theme loader (`Theme._load_theme_config`) empties that
    cache after each theme it loads: every later load of a configuration in the process (each
    `mkdocs serve` rebuild, `check --watch` after each save, a command that loads it twice, a test
    session's builds) read all of them again, 11 ms of processor time with 143 packages installed,
    5% of a build of a small course. The list is kept instead for as long as the folders on
    Python's path are unchanged (`_path_stamps`): installing or removing a package adds or
    removes its metadata folder in one of them, so a theme installed while serve runs is still
    found. Done once for each engine loaded (MkDocs, ProperDocs)."""
    for name in ("mkdocs.utils", "properdocs.utils"):
        utils: Any = sys.modules.get(name)
        if utils is not None and not isinstance(utils.get_themes, _KeptThemes):
            utils.get_themes = _KeptThemes(utils.get_themes)


class _KeptThemes:
    """The engine's `get_themes` (its own cache emptied before each call), asked again only when
    the folders on the path changed."""

    def __init__(self, listing: Any) -> None:
        self.listing = listing
        self.stamps: tuple[tuple[str, int | None], ...] | None = None
        self.themes: Any = None

    def __call__(self) -> Any:
        stamps = _path_stamps()
        if stamps != self.stamps:
            self.listing.cache_clear()
            self.themes, self.stamps = self.listing(), stamps
        return self.themes

    def cache_clear(self) -> None:
        """What the theme loader calls after each theme: the path's stamps say instead when the
        list can have changed."""


def _path_stamps() -> tuple[tuple[str, int | None], ...]:
    """Each folder (or zip file) on Python's path with its modification time (None: missing), the
    places the installed packages' metadata is found in."""
    stamps: list[tuple[str, int | None]] = []
    for entry in sys.path:
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            stamps.append((entry, None))
    return tuple(stamps)


# -- the engine's writes into the site --------------------------------------------------------
def reroute_writes(utils: Any, write: Callable[[bytes, str, Callable[[bytes, str], None]], None]) -> Callable[[], None]:
    """Send every write of the engine (`utils.write_file`: its pages, 404.html, the sitemap)
    through `write(content, output_path, original)`; returns the function that undoes it. MkDocs
    has no event between rendering a page and writing it, and the kept copies of unchanged pages
    (keptfiles.py) are hard-linked instead of written again."""
    original = utils.write_file

    def rerouted(content: bytes, output_path: str) -> None:
        write(content, output_path, original)

    utils.write_file = rerouted
    return lambda: setattr(utils, "write_file", original)


def plain_writes(utils: Any) -> bool:
    """Whether the engine's `utils.write_file` is its own, unwrapped: it only makes the file's
    folder and writes the bytes, which the rerouted writes then do themselves (each folder made
    once, a file made only where none is, rather than removed first on the chance)."""
    write = utils.write_file
    return getattr(write, "__module__", None) == utils.__name__ and getattr(write, "__qualname__", None) == "write_file"


def silence_writes(utils: Any) -> None:
    """In a helper process of the parallel build: the engine writes nothing (the build writes
    every page the helpers rendered itself, from what they hand back)."""
    utils.write_file = lambda *_a, **_k: None


def write_file(content: bytes, output_path: str) -> None:
    """MkDocs' `utils.write_file` (as rerouted, if it is): a page saved under serve is written
    before the hook returns, so browsers reload while the build goes on (rebuild.py)."""
    _utils.write_file(content, output_path)


# -- a page ------------------------------------------------------------------------------------
def render_title(page: Page) -> str | None:
    """`Page._title_from_render`: the title `Page.render` found in the page's first heading
    (None before it ran). The build cache keeps it with the page's HTML, and serve puts back the
    titles of pages it does not render again; a docs page's title is marked safe from it."""
    return getattr(page, "_title_from_render", None)


def set_render_title(page: Page, title: str | None) -> None:
    """Put back `Page._title_from_render` on a page whose render was skipped (see above)."""
    page._title_from_render = title


def page_render() -> Callable[..., None]:
    """The engine's own `Page.render`: a page's `render` is replaced for one build
    (`replace_render`) and the replacement calls this one when the page is not in the cache."""
    return Page.render


def replace_render(page: Page, render: Callable[[Any, Any], None]) -> None:
    """This page's `render` (MkDocs calls `page.render(config, files)` next, after the
    `on_page_markdown` event): the build cache answers from its kept conversion instead. MkDocs
    has no event that may skip converting a page."""
    page.render = render  # type: ignore[method-assign,assignment]  # this page only


@contextlib.contextmanager
def markdown_module(render_page: Callable[..., None], wrap: Callable[[Any], Any]) -> Iterator[None]:
    """While the block runs, the `markdown` module that `render_page`'s own module (the
    engine's page module) sees is `wrap(markdown)`, so that `Page.render` reuses one converter
    (converter.py) instead of building one per page. Nothing changes where that module names no
    `markdown` (another engine) or `wrap` gives None (already replaced: re-entered)."""
    space = render_page.__globals__
    real = space.get("markdown")
    replacement = wrap(real) if real is not None else None
    if replacement is None:
        yield
        return
    space["markdown"] = replacement
    try:
        yield
    finally:
        space["markdown"] = real


def mark_modified(file: Any, modified: bool) -> None:
    """`File.is_modified`, answered for this file: a dirty build (serve's rebuilds) renders only
    the pages whose file says it changed, and serve's edit loop (rebuild.py) decides that from
    what a page depends on, not from the source's time stamp as MkDocs does."""
    file.is_modified = (lambda value: lambda: value)(modified)


# -- serve: the navigation and pages kept between rebuilds -------------------------------------
def replace_navigation(module: ModuleType, make: Callable[[Callable[[Any, Any], Any], Any, Any], Any]) -> None:
    """The engine's `commands.build.get_navigation`, which its `build` calls right after the
    `on_files` event, answered by `make(original, files, config)` for the rest of the process.
    MkDocs makes the navigation and a `Page` for every page anew on every build (3,200 of them at
    1,000 lessons, a fifth of a serve save); serve's edit loop keeps them when no page came, went
    or moved (adapter/serve/keptnav.py). It has no event before the pages are made."""
    current = module.get_navigation
    if getattr(current, "tracksite_original", None) is not None:
        current = current.tracksite_original  # (installed before: replaced, not wrapped twice)

    def navigation(files: Any, config: Any) -> Any:
        return make(current, files, config)

    navigation.tracksite_original = current  # type: ignore[attr-defined]
    setattr(module, "get_navigation", navigation)  # noqa: B010 - (a module global the engine looks up)


def page_state(page: Page) -> dict[str, Any]:
    """What a `Page` holds as the engine's navigation made it (its attributes, the private ones
    `Page.__init__` sets included: `_title_from_render`, the name-mangled `active` flag), to give
    it back to the same page on a later build (`reset_page`)."""
    return dict(vars(page))


def reset_page(page: Page, file: Any, state: dict[str, Any], build_date: str) -> None:
    """A page kept from the last build made as `Page(title, file, config)` and the navigation
    left it (`state`, from `page_state`): what the last build's rendering, the plugins' events
    and the build cache's replaced `render` (`replace_render`) added is gone, it belongs to this
    build's `file`, and it carries this build's date (`Page.update_date`, which the sitemap shows)."""
    attributes = vars(page)
    attributes.clear()
    attributes.update(state)
    file.page, page.file, page.update_date = page, file, build_date


def build_date(module: ModuleType) -> str:
    """`utils.get_build_date()` of the engine whose `commands.build` is `module`: what `Page`
    sets as its `update_date` (SOURCE_DATE_EPOCH, when set, else today)."""
    return module.utils.get_build_date()


# -- serve --------------------------------------------------------------------------------------
def serve_settings(builder: Callable) -> tuple[Callable, Any, bool] | None:
    """(get_config, serve_url, is_clean) from the closure of MkDocs' serve builder, which
    decides dirty or not once per session; serve's edit loop builds dirty once the site holds a
    whole good build, with the builder's own settings. None for another engine's builder."""
    try:
        found = inspect.getclosurevars(builder).nonlocals
        return found["get_config"], found["serve_url"], found["is_clean"]
    except (KeyError, TypeError):
        return None


def stop_serve_forever(server: LiveReloadServer) -> None:
    """socketserver's `shutdown` (stop `serve_forever`) under MkDocs' own, which also stops the
    observer and the build loop: devserver.py's server stops answering while the server that
    takes the port over keeps those. MkDocs' `LiveReloadServer` is a `socketserver` server."""
    super(LiveReloadServer, server).shutdown()


# -- Python-Markdown and pymdownx: a converter's parts replaced ---------------------------------
def skip_unused_parent_map(mgr: Any) -> None:
    """pymdownx's `BlocksProcessor.parse_blocks` maps every element under the blocks' parent to
    its own parent, for each chunk of a block's body, to count the list items between nested
    blocks; it reads that map only while blocks are nested (`len(stack) > 1`). The parent is
    the page itself for a top-level block, so a page of many blocks (an exercise pack: every
    quiz and exercise of a track) walked its whole tree again and again. The parent is handed
    over behind `_BlocksParent`, whose `iter()` is empty while the map would go unread: the
    same result, without the walks."""
    if getattr(mgr, "_tracksite_parent_map", False):
        return
    real = mgr.parse_blocks

    def parse_blocks(blocks: Any, current_parent: Any) -> None:
        return real(blocks, _BlocksParent(current_parent, mgr))

    mgr.parse_blocks = parse_blocks
    mgr._tracksite_parent_map = True


class _BlocksParent:
    """The parent `parse_blocks` gets: the element itself but for an empty `iter()` while at
    most one block is open (see skip_unused_parent_map)."""

    __slots__ = ("_element", "_mgr")

    def __init__(self, element, mgr) -> None:
        self._element, self._mgr = element, mgr

    def iter(self, tag=None):
        return self._element.iter(tag) if len(self._mgr.stack) > 1 else iter(())

    def __getattr__(self, name):
        return getattr(self._element, name)


def replace_expressions(
    md: Any,
    inline: dict[str, tuple[Callable[[str], bool], tuple[str, ...]]],
    block: dict[str, list[tuple[str, str, tuple[str, ...]]]],
    wrap: Callable[[Any, tuple[str, ...]], Any],
) -> int:
    """Each compiled expression of the converter `md` that `inline` (by inline pattern class:
    a test of its source, its needles) or `block` (by block processor class: the attribute, its
    source, its needles) knows, replaced by `wrap(compiled, needles)` (pages/needles.py); how many
    were. Python-Markdown's patterns and processors keep their expressions as attributes
    (`compiled_re`, `RE`, ...), not as API: one whose source is no longer the known one is left."""
    replaced = 0
    for pattern in list(md.inlinePatterns):
        known = inline.get(type(pattern).__name__)
        compiled = getattr(pattern, "compiled_re", None)
        if known is not None and isinstance(compiled, re.Pattern) and known[0](compiled.pattern):
            pattern.compiled_re = wrap(compiled, known[1])
            replaced += 1
    for processor in list(md.parser.blockprocessors):
        for attribute, source, needles in block.get(type(processor).__name__, ()):
            compiled = getattr(processor, attribute, None)
            if isinstance(compiled, re.Pattern) and compiled.pattern == source:
                setattr(processor, attribute, wrap(compiled, needles))
                replaced += 1
    return replaced
