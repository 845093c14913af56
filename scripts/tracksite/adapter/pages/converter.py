"""One Markdown converter for a build's pages, reset between them, instead of one built per page.

MkDocs' `Page.render` builds a new `markdown.Markdown` for every page, so every extension's
`extendMarkdown` (pymdownx's blocks, superfences, highlight, the footnotes, the definition
lists...) runs again for each: a twentieth of a cold build, for the same converter each time.
Python-Markdown's converters are made to be used again: `reset()` clears what one document
left (the stash, the references, each registered extension's own state). So while a page's
`render` runs, the engine's page module sees a `markdown` whose `Markdown(...)`, asked for the
very same extension list and settings as the last time, hands back the last converter, reset;
MkDocs' own per-page processors (anchors, relative links, the title) register under their
names as they always do, which replaces the last page's. A converter whose document raised is
never used again. This is used only where the build cache is on (buildcache.wrap): the cache
knows every extension it allows (`_PURE_PREFIXES`), and those all reset what they keep.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.pages import needles


class _Reused:
    """The last converter and the arguments it was made with (kept: their ids are its key)."""

    def __init__(self) -> None:
        self.md: Any = None
        self.args: tuple[Any, Any] | None = None

    def get(self, module: Any, extensions: Any, extension_configs: Any) -> Any:
        if self.md is not None and self.args is not None:
            last_ext, last_cfg = self.args
            if last_ext is extensions and last_cfg is extension_configs:
                self.md.reset()
                return self.md
        self.md = None  # a new configuration (serve reloaded it): build a new converter
        self.md = module.Markdown(extensions=extensions, extension_configs=extension_configs)
        needles.gate(self.md)  # (once a converter: its patterns stay from page to page)
        self.args = (extensions, extension_configs)
        return self.md


class _Module:
    """The `markdown` module as the engine's page module sees it while a page renders."""

    def __init__(self, real: Any, reused: _Reused) -> None:
        self._real, self._reused = real, reused

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def Markdown(self, *, extensions: Any = (), extension_configs: Any = None) -> Any:  # noqa: N802  # the module's name
        return self._reused.get(self._real, extensions, extension_configs)


REUSED = _Reused()


def render(render_page: Callable[..., None], page: Any, config: Any, files: Any) -> None:
    """`render_page(page, config, files)` (the engine's `Page.render`) with the converter reused.
    The function's own module is the one patched, so it holds for MkDocs and ProperDocs alike."""

    def wrap(real: Any) -> _Module | None:
        return None if isinstance(real, _Module) else _Module(real, REUSED)  # (None: re-entered)

    with mkdocsinternals.markdown_module(render_page, wrap):
        try:
            render_page(page, config, files)
        except BaseException:
            REUSED.md = REUSED.args = None  # half-converted: never used again
            raise
