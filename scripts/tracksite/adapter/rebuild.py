"""`mkdocs serve --dirty`: a save renders again only the generated pages it changes.

MkDocs decides what a dirty build renders by `File.is_modified`, which is always true for a page
made from generated text. `Kept` answers false for a generated page whose digest
(`core.fingerprints`) is the one the previous build of this serve session rendered, and whose
output is still in the site, so MkDocs leaves it as it is, as it does a lesson nobody edited.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from tracksite.core import fingerprints
from tracksite.core.siteplan import output_path

log = logging.getLogger("mkdocs.plugins.tracksite")


class Kept(File):
    """A generated page the last build rendered from the same sources: not rendered again."""

    def is_modified(self) -> bool:
        return False


def _shared(config: Any, options: Any) -> str:
    """What every page draws from beyond the course: mkdocs.yml, the plugin's options and the
    theme override's templates (by name and modification time)."""
    parts = [repr(sorted(dict(options).items()))]
    if config.config_file_path and os.path.isfile(config.config_file_path):
        parts.append(Path(config.config_file_path).read_text(encoding="utf-8", errors="replace"))
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for path in sorted(Path(custom).rglob("*")):
            parts.append(f"{path}:{path.stat().st_mtime_ns}")
    return "\n".join(parts)


class GeneratedPages:
    """The digests of the generated pages the last build of a serve session rendered."""

    def __init__(self) -> None:
        self._last: dict[str, str] = {}

    def unchanged(self, project: Any, config: Any, options: Any) -> set[str]:
        """The generated pages this build may leave as they are; remembers this build's digests."""
        digests = fingerprints.page_digests(project, _shared(config, options))
        site = config.site_dir
        keep = {src for src, digest in digests.items() if self._last.get(src) == digest
                and os.path.isfile(os.path.join(site, output_path(src, config.use_directory_urls)))}
        self._last = digests
        if keep:
            log.info("tracksite: %d of %d generated pages are unchanged and not rendered again (--dirty)",
                     len(keep), len(digests))
        return keep

    def forget(self) -> None:
        """After a failed build, whose pages may not have been written: render them all next time."""
        self._last = {}
