"""What the conversion of one episode holds and knows: the converted page, its notes, its context.

`episode` converts a page and `links` rewrites its links and images; both work on these, so
they live here, below both, and neither needs the other to name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.carpentries.workbench import Layout
from tracksite.commands.importers.pipeline.plan import learner_only


@dataclass
class Note:
    """Something the import changed or could not carry over, at a line of the source file."""

    line: int
    message: str
    warning: bool = False  # a problem of the source lesson (a broken link, a missing figure), not a change
    counts: dict[str, int] | None = None  # what the change adds to or takes from the page's counts (counting.py)


@dataclass
class Episode:
    """One converted episode: the front-matter lists it carried and its new body."""

    body: str
    questions: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    keypoints: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    instructor: list[str] = field(default_factory=list)

    @property
    def learner_body(self) -> str:
        return learner_only(self.body)


@dataclass
class Context:
    """What link and image rewriting needs to know about the rest of the lesson."""

    episode_slugs: dict[str, str]  # "03-create.md" -> "track/create"
    line: int = 0  # the source line being rewritten, for notes
    source_dir: Path | None = None  # the page's folder, where its relative paths start
    demote: bool = False  # the episode uses `# ` headings: every heading goes one level down
    said: set = field(default_factory=set)  # notes given once per episode
    in_exercise: bool = False  # rendering a challenge: a solution belongs to its exercise
    in_solution: bool = False  # rendering a solution: one inside it is a collapsed details block
    block_ids: set = field(default_factory=set)  # ids given to blocks from their title heading (episode._anchor)
    link_defs: dict[str, str] = field(default_factory=dict)  # links.md's `[ref]: target` lines
    layout: Layout | None = None  # the whole lesson, for resolving paths (workbench.py)
    track: str = ""
    page: str = (
        "lesson"  # where the text lands: "lesson" (a lesson folder), "learners" or "instructors" (docs/<track>/...)
    )
    notes_lesson: str | None = None  # "track/slug" of the first lesson
    files: dict[Path, str] = field(default_factory=dict)  # figures to copy beside the page: source -> name
    downloads: dict[Path, str] = field(default_factory=dict)  # files to publish: source -> path under docs/<track>/
    auto_ids: bool = False  # kramdown's `{:auto_ids}`: definition terms get ids made from their text
    lang: str = ""  # the lesson's language (config.yaml `lang:`): call-outs without a title are labelled in it

    def episode(self, name: str) -> str | None:
        """The lesson an episode file name points to, also by its `.html`/`.Rmd`/`.md` siblings."""
        if name in self.episode_slugs:
            return self.episode_slugs[name]
        stem = name.rsplit(".", 1)[0] if "." in name else name
        for known, slug in self.episode_slugs.items():
            if known.rsplit(".", 1)[0] == stem:
                return slug
        return None
