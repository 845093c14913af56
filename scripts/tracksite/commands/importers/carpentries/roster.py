"""Which pages of a folder (`episodes/`, `learners/`, `instructors/`, `profiles/`) a lesson publishes.

sandpaper publishes the files `config.yaml` lists under the folder's key, in that order, and calls
every other source file of the folder a draft, which it leaves out (its `get_drafts`); with no
list it takes the folder's files in alphabetical order. Held-out lessons show both ends of that
list going wrong: a draft episode nobody listed, and a listed page whose file was renamed or never
written. Neither may vanish without a word, and neither should stop an import a learner can use:
a draft is left out with a note that says how to take it in, a listed file that is not there is a
warning at its line of `config.yaml` (links to it are then kept as text, each reported), and only
a lesson left with no episode at all stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.pipeline import confine

SOURCES = (".md", ".Rmd", ".rmd")


@dataclass
class Roster:
    """The pages to import in order, with what the import says about the folder's list."""

    pages: list[Path] = field(default_factory=list)
    unlisted: list[Path] = field(default_factory=list)  # imported though the list leaves them out
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read(root: Path, folder: str, listed: object, config: str, *, take_unlisted: bool = False) -> Roster:
    """The pages of `folder` as sandpaper publishes them; `listed` is config.yaml's value for it,
    `config` its text (for line numbers); `take_unlisted`: a file the list leaves out is imported
    anyway (learner pages: the Workbench's `setup.md` is shown whether listed or not)."""
    found = sorted(
        p for p in (root / folder).glob("*") if p.suffix in SOURCES and p.is_file() and confine.inside(root, p)
    )
    names = [str(n) for n in listed] if isinstance(listed, list) else [str(listed)] if listed else []
    if not names:
        return Roster(pages=found)
    roster = Roster()
    for name in names:
        path = confine.entry(root, folder, name, config)
        if path.is_file():
            roster.pages.append(path)
        else:
            roster.warnings.append(
                f"config.yaml:{confine.line_of(config, name)}: `{folder}:` lists {name}, which is not in {folder}/ "
                f"(renamed, or not written yet): left out, and a link to it is kept as text; "
                "add the file or take the line out"
            )
    stems = {p.stem for p in roster.pages}
    for path in found:
        if path in roster.pages or path.stem in stems:  # (a knitted `x.md` beside a listed `x.Rmd`)
            continue
        rel = path.relative_to(root)
        if take_unlisted:
            roster.unlisted.append(path)
            roster.pages.append(path)
        else:
            roster.notes.append(
                f"{rel}:1: not listed in config.yaml `{folder}:`, so a draft, which the Workbench does not "
                f"publish: not imported either (list it under `{folder}:` to import it)"
            )
    return roster
