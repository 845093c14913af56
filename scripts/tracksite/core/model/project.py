"""A loaded project: the curriculum, every page of the site as loaded, and what came with them.

The loader (tracksite.core.loader) fills a `Project`; the site plan, the checks, the glossary,
the schedule and the adapter read it. It lives in the model, below all of them, so that none of
them needs the loader to name it (the loader imports the glossary and the site plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracksite.core.model.course import Curriculum
from tracksite.core.model.glossary import Glossary
from tracksite.core.model.listing import Listing
from tracksite.core.problems.problem import ProblemList
from tracksite.core.yaml.safe import Located


@dataclass
class Document:
    """One Markdown page of the site, as loaded: where it comes from and where it goes."""

    path: Path
    kind: str  # lesson | overview | cheatsheet | page
    src_uri: str
    body: str
    body_line: int
    meta: Located
    track: str | None = None
    lesson: str | None = None

    @property
    def lesson_key(self) -> str | None:
        return f"{self.track}/{self.lesson}" if self.lesson else None


@dataclass
class Project:
    root: Path
    curriculum: Curriculum
    documents: list[Document] = field(default_factory=list)
    problems: ProblemList | None = None
    assets: dict[str, Path] = field(default_factory=dict)  # virtual src_uri -> file
    track_files: dict[str, tuple[Path, Located]] = field(default_factory=dict)  # slug -> track.yml
    drafts: set[str] = field(default_factory=set)  # every draft lesson, built or not
    docs_walk: Any = None  # siteplan.DocsWalk of docs/, when there is one
    lesson_links: list[Path] = field(default_factory=list)  # symbolic links in lesson folders, not published
    left_out: list[Path] = field(default_factory=list)  # other files and folders in them, not published
    site: Any = None  # the siteplan.SitePlan, once checks.check made it
    glossary: Glossary = field(default_factory=Glossary)
    remote: Listing = field(default_factory=Listing)  # remote-files.yml
    # the digest of everything the model is made from (core/checkcache.py's key: every file
    # under the root, the configuration, the options, the code), when the build computed it
    model_key: str | None = None

    def document(self, src_uri: str) -> Document | None:
        return self._by_src.get(src_uri)

    def index(self) -> None:
        # Two sources for one address is reported by checks/urls.py; links into that address
        # are checked against the course page (listed first), not against the docs/ file.
        self._by_src: dict[str, Document] = {}
        for d in self.documents:
            self._by_src.setdefault(d.src_uri, d)
