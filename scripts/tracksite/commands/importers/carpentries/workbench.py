"""Where a relative path in a Workbench lesson points, resolved the way the Workbench does.

sandpaper builds every page of a lesson (`episodes/`, `learners/`, `instructors/`, `profiles/`)
into one flat folder and copies the `fig/`, `data/` and `files/` folders beside them. So a
lesson's authors write a path in several ways that all work there: `fig/x.png` from a learner
page (the figure lives in `episodes/fig/`), `../episodes/02-setup.md`, `./09-errors.md`,
`09-errors.md`, `02-setup.html` or `02-setup.Rmd`, `data/surveys.csv` from `learners/setup.md`.
`Layout.resolve` tries, in order, the path from the page's own folder, then from the lesson's
root, then from each of the four page folders, and answers with the file and what it is: an
episode, a learner, instructor or profile page, the lesson's home page, or a file to publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

PAGE_FOLDERS = ("episodes", "learners", "instructors", "profiles")
PAGE_SUFFIXES = (".md", ".Rmd", ".rmd")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class Target:
    """What a relative path resolves to: `kind` is episode, learner, instructor, profile,
    home or file; `path` the source file; `anchor` the part after `#` ("" if none)."""

    kind: str
    path: Path
    anchor: str = ""


@dataclass
class Layout:
    """The lesson's pages by kind, for resolving paths (see the module's docstring)."""

    root: Path
    pages: dict[Path, str] = field(default_factory=dict)  # resolved source file -> kind

    @classmethod
    def of(cls, root: Path, **kinds: list[Path]) -> Layout:
        layout = cls(root.resolve())
        for kind, paths in kinds.items():
            for path in paths:
                layout.pages[path.resolve()] = kind
        index = layout.root / "index.md"
        if index.is_file():
            layout.pages.setdefault(index.resolve(), "home")
        return layout

    def resolve(self, here: Path, target: str) -> Target | None:
        """The file a relative link or image path of a page in folder `here` points to, or None
        (a URL with a scheme, a same-page anchor, or a path that is nowhere in the lesson)."""
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return None
        path, _, anchor = target.partition("#")
        path = unquote(path.split("?", 1)[0])
        if not path:
            return None
        found: list[Path] = []
        for candidate in self._candidates(here, path):
            try:
                real = candidate.resolve()
            except (OSError, RuntimeError):
                continue
            if real.is_file() and real.is_relative_to(self.root) and not _hidden(real, self.root):
                found.append(real)
        # a page of the lesson before any other file: `01-intro.md` of an `01-intro.Rmd` episode is
        # that episode, as sandpaper reads it, even where a stale knitted `01-intro.md` lies beside it
        chosen = next((f for f in found if f in self.pages), found[0] if found else None)
        return Target(self.pages.get(chosen, "file"), chosen, anchor) if chosen is not None else None

    def _candidates(self, here: Path, path: str) -> list[Path]:
        plain = re.sub(r"^(?:\./)+", "", path)
        above = re.sub(r"^(?:\.\./)+", "", plain)
        bases = [here / plain, self.root / above, *(self.root / folder / above for folder in PAGE_FOLDERS)]
        out: list[Path] = []
        for base in bases:
            out.append(base)
            stem = base.with_suffix("") if base.suffix in (".html", ".htm", ".md", "") else None
            if stem is not None:  # a built page's address (`x.html`, `x`) or `x.md` of an `x.Rmd`: its source
                out.extend(stem.with_suffix(s) for s in PAGE_SUFFIXES)
        return out


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def download_path(layout: Layout, path: Path) -> str:
    """Where a published file goes under the track's docs folder: its path as the Workbench
    site has it (`episodes/data/x.csv` -> `data/x.csv`, `learners/files/y.pdf` -> `files/y.pdf`)."""
    rel = path.relative_to(layout.root)
    parts = rel.parts[1:] if rel.parts and rel.parts[0] in PAGE_FOLDERS and len(rel.parts) > 1 else rel.parts
    return "/".join(parts)


@dataclass
class Lesson:
    """The parts of a Workbench lesson the import reads (more than pipeline/protocols.py's `Lesson`)."""

    root: Path
    title: str
    licence: str
    url: str
    episodes: list[Path]
    learners: list[Path] = field(default_factory=list)
    instructors: list[Path] = field(default_factory=list)
    profiles: list[Path] = field(default_factory=list)
    authors: str = ""  # plain names (credits.py)
    credit_notes: list[str] = field(default_factory=list)  # what reading the authors (and the lists) left out
    listing_warnings: list[str] = field(default_factory=list)  # pages config.yaml lists that are not there
    link_defs: dict[str, str] = field(default_factory=dict)  # links.md, shared by every episode
    unlisted: list[Path] = field(default_factory=list)  # learner pages config.yaml does not list
    lang: str = ""  # config.yaml `lang:` (a language tag), the track's `language:` when not English
    life_cycle: str = ""  # config.yaml `life_cycle:` (pre-alpha, alpha, beta, stable): the lesson's status
    layout: Layout = field(init=False)

    def __post_init__(self) -> None:
        self.layout = Layout.of(
            self.root, episode=self.episodes, learner=self.learners, instructor=self.instructors, profile=self.profiles
        )
