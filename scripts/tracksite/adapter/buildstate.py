"""What one build holds: made in `on_config`, read by every later event of that build.

The plugin instance lives as long as MkDocs' process (every rebuild of `mkdocs serve`); a value
that belongs to one build lives here, so a rebuild starts from a fresh one and nothing of the
last build leaks into it unless it is meant to (servesession.py holds what is).
"""

from __future__ import annotations

from typing import Any

from tracksite.adapter.pages import pagecontext
from tracksite.core.model.project import Project
from tracksite.search import index as search


class BuildState:
    """The course as this build loaded it and what the build has made of it so far."""

    def __init__(self, project: Project | None = None) -> None:
        self.project = project  # the checked course (None before the first build)
        self.failed: list[str] = []  # the problems that stop it, causes first
        self.contexts: pagecontext.Contexts | None = None  # each page's `ts` (pagecontext.py)
        self.widget_context: Any = None  # the page being converted, for the blocks extension
        self.indexer: search.Indexer | None = None  # the search index, read as pages render
        self.pages: list[tuple[str, str]] = []  # every page's URL and file in the site
        self.real_site_dir: str | None = None  # `atomic`: the site folder the staged one replaces
        self.staging_dir: str | None = None  # `atomic`: the folder the build writes into
