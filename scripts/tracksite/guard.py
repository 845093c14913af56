"""A Markdown extension that stops a build which did not run the tracksite plugin.

A course's mkdocs.yml lists `tracksite.guard` among its Markdown extensions. An engine that
reads mkdocs.yml and its Markdown extensions but runs no MkDocs plugins (Zensical today, MkDocs
2.0) would otherwise publish the course without its lessons' pages, widgets, checks or search,
and say nothing. So the guard refuses to load at all outside the MkDocs 1.x line (MkDocs 1.6,
ProperDocs), which stops such a build before any page, even a course whose docs/ holds none.
Under MkDocs 1.x the tracksite plugin removes the guard before the first page renders; if the
plugin is missing from `plugins:`, the guard stops the build at the first page instead.
Plain Python-Markdown only, so any engine that loads Markdown extensions loads this one.
"""

from __future__ import annotations

import inspect
import sys

from markdown import Extension
from markdown.preprocessors import Preprocessor

MESSAGE = (
    "this course needs the tracksite plugin, and the engine building it did not run it: without it "
    "every lesson would be published without its widgets, checks, track pages or search. Build "
    "with MkDocs 1.6 (`mkdocs build`) or ProperDocs (`properdocs build`) with `- tracksite` under "
    "`plugins:` in mkdocs.yml; Zensical and MkDocs 2.0 run no MkDocs plugins."
)


def runs_mkdocs_plugins() -> bool:
    """Whether the engine loading this extension is of the MkDocs 1.x line, which runs plugins."""
    if "properdocs" in sys.modules:
        return True
    mkdocs = sys.modules.get("mkdocs")
    return mkdocs is not None and str(getattr(mkdocs, "__version__", "")).startswith("1.")


_MKDOCS_1 = runs_mkdocs_plugins()  # before anything here imports MkDocs
if _MKDOCS_1:  # MkDocs and ProperDocs print an Abort as one line, without a traceback
    from mkdocs.exceptions import Abort as _Base
else:  # another engine: a plain error, which it reports its own way
    _Base = RuntimeError  # type: ignore[misc,assignment]


class PluginMissing(_Base):
    """Raised on the first page of a build that did not run the tracksite plugin."""


class _Stop(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        raise PluginMissing(f"tracksite: {MESSAGE}")


def _plugin_listed() -> bool | None:
    """Under MkDocs 1.x, whether the configuration being validated lists the tracksite plugin
    (None when no such configuration is on the call stack). MkDocs validates the Markdown
    extensions before the plugins, so this reads the raw `plugins:` value of mkdocs.yml."""
    frame = inspect.currentframe()
    while frame is not None:
        config = frame.f_locals.get("self")
        data = getattr(config, "data", None)
        if isinstance(data, dict) and "markdown_extensions" in data and "site_name" in data:
            raw = data.get("plugins")
            if raw is None or isinstance(raw, (list, dict)):
                items = raw if isinstance(raw, list) else list(raw or ())
                return any((next(iter(i)) if isinstance(i, dict) and i else i) == "tracksite" for i in items)
            return None
        frame = frame.f_back
    return None


class GuardExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        if not _MKDOCS_1 or _plugin_listed() is False:
            raise PluginMissing(f"tracksite: {MESSAGE}")
        md.preprocessors.register(_Stop(md), "tracksite_guard", 1000)


def makeExtension(**kwargs) -> GuardExtension:  # noqa: N802 - Python-Markdown's name
    return GuardExtension(**kwargs)
