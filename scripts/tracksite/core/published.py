"""What a lesson folder publishes beside its pages, and why the rest stays in the source tree.

The loader sorts a lesson folder's files by these rules; the checks (`checks/structure.py`,
`checks/links.py`) and the Carpentries importer explain or follow the same rules, so they live
apart from the loader that reads the files.
"""

from __future__ import annotations

from pathlib import Path

#: The files a lesson folder publishes beside its pages: images, widget and data files, and the
#: downloads a course hands out (slides, notebooks, scripts, archives, audio and video). Anything
#: else stays in the source tree, and `tracksite check` says so (`unpublished_reason`).
ASSET_SUFFIXES = {
    ".png",
    ".svg",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",  # images
    ".json",
    ".yml",
    ".yaml",
    ".csv",
    ".tsv",
    ".txt",  # widget data and data sets
    ".pdf",
    ".ipynb",
    ".py",
    ".r",
    ".zip",  # downloads
    ".mp3",
    ".ogg",
    ".mp4",
    ".webm",  # audio and video
}


#: What tools leave in a folder (Python's bytecode cache beside a lesson's script, Windows'
#: thumbnails), like an editor's backup copy (`name~`): nobody's download, so never warned about.
BY_TOOLS = {"__pycache__", "Thumbs.db", "desktop.ini"}


def unpublished_reason(folder: Path, path: Path) -> tuple[str, str]:
    """Why a file or folder inside a lesson folder is not part of the site, and what to do."""
    if path.parent != folder or path.is_dir():
        return (
            "only the files directly beside lesson.md are published, not those in its subfolders",
            "move the file beside lesson.md and link it by its name",
        )
    kind = f"{path.suffix} files" if path.suffix else "files without an extension"
    return (
        f"{kind} are not published from a lesson folder (published: {', '.join(sorted(ASSET_SUFFIXES))})",
        "save it as one of those types, or put it under docs/ and link to it there",
    )
