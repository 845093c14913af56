"""A track's load kept between the rebuilds of one `mkdocs serve` run (core/loader.py).

Each rebuild loads the course again. A lesson the save did not touch is taken from memory
(`_Loader.load_lesson`, by the stamps of its folder), but that still asked for a stamp and looked
up a remembered load for each of the course's lessons: at 1,000 lessons a fifth of a save's
processor time. The watcher of `mkdocs serve` reports every change in lessons/ and cheatsheets/,
so a whole track's load, and what it found (its problems, links, drafts, files left out), is
kept while no change is reported in the track's folder or its cheatsheets' (core/memo.py
`kept_fact`); a save loads again the track it changed. Without a watcher (`mkdocs build`,
`tracksite check`), every track is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracksite.core.memo import kept_fact


def kept_track(loader: Any, folder: Path):
    """`loader.load_track(folder)` (a `loader._Loader`), taken as the last load made it while the
    watcher reports no change in the track's folder or its cheatsheets' folder; what that load
    found is added to `loader` as the load itself adds it."""
    kind, ran = f"track:{loader.root}:{loader.include_drafts}:{loader.measure}", []

    def load() -> tuple:
        ran.append(True)
        outer, start = (loader.links, loader.drafts, loader.left_out), len(loader.problems.items)
        loader.links, loader.drafts, loader.left_out = [], set(), {}  # (the track's own, then added)
        try:
            loaded = loader.load_track(folder)
        finally:
            own, (loader.links, loader.drafts, loader.left_out) = (loader.links, loader.drafts, loader.left_out), outer
        return loaded, loader.track_files.get(folder.name), loader.problems.items[start:], own

    paths = (str(folder), str(loader.cheatsheets_dir / folder.name))
    loaded, track_file, problems, (links, drafts, left) = kept_fact(kind, paths, load)
    if not ran:  # (just loaded, its problems and track file are there already)
        loader.problems.items += problems
        if track_file is not None:
            loader.track_files[folder.name] = track_file
    loader.links += links
    loader.drafts |= drafts
    for key, paths_left in left.items():  # (each lesson's key names its track: no other track's is there)
        loader.left_out[key] = list(paths_left)
    return loaded
