"""remote-files.yml against what the site publishes: a listed file nothing names is a warning.

The listing itself (its schema, its licences, an address listed twice) is read and reported by
the loader; a remote file that is named but not listed is refused where it is named (content.py,
links.py, statics.py). What is left is the listing's own slack: a file kept on the list after
the page that showed it changed, which the build would otherwise download for nothing.
"""

from __future__ import annotations

from tracksite.core.checks.common import problems_of
from tracksite.core.remote import files as remotefiles

_NAMES = (".html", ".htm", ".css", ".svg")  # the static files that can name a remote file


def used(project) -> set[str]:
    """The listed addresses that a page, or an HTML, CSS or SVG file the site publishes, names:
    the files the build downloads."""
    if not project.remote.files:
        return set()
    texts = [doc.body for doc in project.documents]
    for entry in project.site.entries if project.site is not None else ():
        if entry.kind in ("asset", "docs-file") and entry.path is not None and entry.path.suffix.lower() in _NAMES:
            texts.append(_text(entry.path))
    return remotefiles.mentioned(project.remote, texts)


def _text(path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""  # reported by urls.static_files


def unused(project) -> list:
    """A warning at each listed file that nothing the site publishes names."""
    out = problems_of(project)
    named = used(project)
    for url, item in project.remote.files.items():
        if url not in named:
            out.add(
                item.path,
                item.line,
                f"{url!r} is listed but no page, drawing or style sheet of the site names it",
                hint="remove the entry, or name the address exactly as listed",
                severity="warning",
                code="TS710",
            )
    return out.items
