"""Every format `tracksite import` reads, named once: a source is a folder beside `carpentries/`
and one entry here (docs/architecture.md, "Adding an import source").

The pipeline never imports this module nor a source: the command (command.py) looks the format
up here and hands the source down, so the steps every import shares stay one copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracksite.commands.importers.carpentries.source import SOURCE as CARPENTRIES
from tracksite.commands.importers.pipeline.source import Source

SOURCES: dict[str, Source[Any]] = {source.name: source for source in (CARPENTRIES,)}


def detecting(folder: Path) -> list[str]:
    """The formats whose `detect` recognises `folder` (for an error that names the right one)."""
    return [name for name, source in SOURCES.items() if source.detect(folder)]
