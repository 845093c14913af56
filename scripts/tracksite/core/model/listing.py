"""remote-files.yml as data: the listed files, each with the address of its copy in the site.

The loaded `Project` holds the listing (model/project.py), so it sits in the model, below
everything that reads a project; reading the file, vetting a download and rewriting the pages
that name a listed file are core/remote/files.py's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tracksite.core.model.shapes import RemoteFileFields

FOLDER = "_remote"  # in the site: one folder per listed file, named by its address's hash
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, kw_only=True)
class RemoteFile(RemoteFileFields):
    """One listed file (RemoteFileFields, from the schema), with the line of its entry (problems
    are reported there) and the listing's path."""

    path: Path

    @property
    def key(self) -> str:
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]

    @property
    def site_path(self) -> str:
        """Where the copy is published: a folder of its own, so two files of one name never meet."""
        return f"{FOLDER}/{self.key}/{safe_name(self.url)}"


@dataclass
class Listing:
    """Every valid entry of remote-files.yml, by address (`urls`: what the checks let through)."""

    files: dict[str, RemoteFile] = field(default_factory=dict)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self.files)


def safe_name(url: str) -> str:
    """The copy's file name: the address's last segment, reduced to letters, digits, `.`, `_`
    and `-`, so no address can name a folder, a hidden file or a path outside the site."""
    last = PurePosixPath(unquote(urlsplit(url).path)).name
    name = _SAFE.sub("-", last).strip(".-")[:100]
    return name or "file"
