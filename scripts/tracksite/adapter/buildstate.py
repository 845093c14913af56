"""What one build holds: made in `on_config`, read by every later event of that build.

The plugin instance lives as long as MkDocs' process (every rebuild of `mkdocs serve`); a value
that belongs to one build lives here, so a rebuild starts from a fresh one and nothing of the
last build leaks into it unless it is meant to (process.py holds what is).
"""

from __future__ import annotations

import gc
from typing import Any

from tracksite.adapter.pages import pagecontext
from tracksite.core.checks import YOUNG_THRESHOLD  # (as while the check runs: see `BuildState.freeze`)
from tracksite.core.model.project import Project
from tracksite.core.widgets.common import WidgetContext
from tracksite.search import index as search


class BuildState:
    """The course as this build loaded it and what the build has made of it so far."""

    def __init__(self, project: Project | None = None) -> None:
        self.project = project  # the checked course (None before the first build)
        self.failed: list[str] = []  # the problems that stop it, causes first
        self.contexts: pagecontext.Contexts | None = None  # each page's `ts` (pagecontext.py)
        self.widget_context: WidgetContext | None = None  # the page being converted, for the blocks extension
        self.indexer: search.Indexer | None = None  # the search index, read as pages render
        self.pages: list[tuple[str, str]] = []  # every page's URL and file in the site
        self.nav: Any = None  # the course's navigation (`on_nav`)
        self.real_site_dir: str | None = None  # `atomic`: the site folder the staged one replaces
        self.staging_dir: str | None = None  # `atomic`: the folder the build writes into
        self.froze: tuple[int, ...] | None = None  # the collector's thresholds `freeze` replaced

    def freeze(self) -> None:
        """Once the course is checked and planned and the check's garbage collected (at the end
        of `on_nav`, `caches/parallel.give_back`): what is left, the course, its plan and MkDocs'
        pages, lives until the build ends, so it is taken out of the cyclic collector's passes.
        Each full pass walked all of it again as the pages rendered, and those passes grew with
        the course (about 2 ms a lesson in a one-process cold build). Only where nothing is
        frozen yet: a serve run's or a test session's freeze is theirs (`gc.unfreeze` would let
        go of theirs too). The young generation's threshold is raised meanwhile: a page's objects
        mostly die with the page, and collected every 700 allocations, the survivors of each
        collection were walked again in the older generations (the collector's time a lesson,
        measured in a one-process cold build of 100 and 400 lessons: 2.0 ms, 1.25 ms frozen,
        1.0 ms frozen with this threshold; peak memory the same)."""
        if gc.get_freeze_count() == 0:
            gc.freeze()
            self.froze = gc.get_threshold()
            gc.set_threshold(YOUNG_THRESHOLD, *self.froze[1:])

    def thaw(self) -> None:
        """The build is over (or failed): what `freeze` set aside can be collected again."""
        if self.froze is not None:
            gc.set_threshold(*self.froze)
            self.froze = None
            gc.unfreeze()
