"""The lesson's data folders, published whole, as the Workbench publishes them.

sandpaper copies `episodes/data/` (and `learners/data/`, `instructors/data/`) to the lesson site
whether or not a page links a file there: an episode says "download `gapminder.csv`" as often as it
links it. The import publishes each such file no page linked under `docs/<track>/data/`, where the
linked ones go (workbench.download_path), if the site publishes its type and size; a file it
cannot publish is left out with a note, never refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tracksite.commands.importers.carpentries.workbench import Lesson as Source
from tracksite.commands.importers.carpentries.workbench import download_path
from tracksite.commands.importers.pipeline import confine
from tracksite.commands.importers.pipeline.plan import Plan
from tracksite.core.site.published import refusal
from tracksite.core.site.statics import (
    DATA_SUFFIXES,
    MAX_DATA_BYTES,
    MAX_FILE_BYTES,
    OTHER_MARKDOWN_SUFFIXES,
    html_findings,
)

FOLDERS = ("episodes/data", "learners/data", "instructors/data")
MAX_FILES = 2000


def publish_unlinked(src: Source, track: str, plan: Plan) -> None:
    """Add the data files no page linked to the plan; note what was published and left out."""
    published: list[str] = []
    for folder in FOLDERS:
        base = src.root / folder
        if not base.is_dir() or not confine.inside(src.root, base):
            continue
        files = sorted(p for p in base.rglob("*") if p.is_file() or p.is_symlink())[:MAX_FILES]
        for path in files:
            rel = path.relative_to(src.root).as_posix()
            if any(part.startswith(".") for part in path.relative_to(src.root).parts):
                continue
            target = f"docs/{track}/{download_path(src.layout, path)}"
            if target in plan.files:
                continue
            why = _why_not(src.root, path)
            if why:
                plan.notes.append(f"{rel}:1: a data file no page links, {why}: left out of the site")
                continue
            plan.files[target] = path
            published.append(rel)
    if published:
        more = f" and {len(published) - 3} more" if len(published) > 3 else ""
        plan.notes.append(
            f"{published[0]}:1: data files no page links ({', '.join(published[:3])}{more}) published under "
            f"docs/{track}/data/, as the Workbench publishes its data folders"
        )


def _why_not(root: Path, path: Path) -> str | None:
    """Why the site cannot publish `path`; None when it can."""
    if not confine.inside(root, path) or not path.is_file():
        return "a link that leads outside the lesson"
    suffix = path.suffix.lower()
    if suffix in (".md", *OTHER_MARKDOWN_SUFFIXES):
        return "a Markdown file (the site would make a page of it)"
    refused = refusal(path.name)
    if refused is not None:
        return refused[0]
    limit = MAX_DATA_BYTES if suffix in DATA_SUFFIXES else MAX_FILE_BYTES
    if path.stat().st_size > limit:
        return f"larger than the site publishes ({limit:,} bytes for this type)"
    return None


HTML = (".html", ".htm")
ZIPPED = ".zip"  # a download name's ending when the file is published zipped (`active_html`)


def active_html(path: Path) -> str | None:
    """What an HTML file the lesson offers as a file (a cheat sheet under `files/`) holds that the
    site does not serve from its own origin (a `<script>`, a `<meta>`: it would run with the site's
    rights), or None. Such a file is published zipped, as a download: the reader opens it from disk."""
    if path.suffix.lower() not in HTML or not path.is_file():
        return None
    found = html_findings(path.read_text(encoding="utf-8", errors="replace"))
    return found[0][1] if found else None


def zipped(path: Path) -> bytes:
    """`path` alone in a zip archive, dated as the archive format's earliest day, so that an
    import of the same lesson writes the same bytes (an update then sees no change)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, path.read_bytes())
    return out.getvalue()
