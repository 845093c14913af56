"""A printed PDF: its page count, and its links made to lead to the published site, not to the
local server it was printed from.

Chromium prints the site served on 127.0.0.1 and writes every link as the absolute address it
resolved there, which is dead for anyone who downloads the PDF. Each such link is rewritten: to
the same page under mkdocs.yml's `site_url` when the site has one (the PDF then works wherever
it is opened), else relative to the place `tracksite pdf --publish` gives the PDF in the site
(`trackpages.pdf_url`), so that it works where the site is published, on any host or path.

The PDF is read and written again by pypdf (the `pdf` extra), which keeps every object and the
cross-references right whatever form Chromium writes them in.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject


def count_pages(path: Path) -> int:
    """The number of pages of the PDF at `path` (a cheatsheet must print on one)."""
    return len(PdfReader(str(path)).pages)


def site_root(site_url: str | None) -> str | None:
    """The address of the site's root (site_url up to its last `/`), or None without one."""
    if not site_url:
        return None
    return site_url if site_url.endswith("/") else site_url.rsplit("/", 1)[0] + "/"


def published(rest: str, where: str, root: str | None) -> str:
    """Where a link to `rest` (a path from the site's root, with its ?query and #fragment) leads
    from a PDF published at `where` (a path from the site's root): on `root` when the site has an
    address, else relative to the PDF's folder."""
    if root is not None:
        return root + rest
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    path, suffix = rest[:cut], rest[cut:]
    relative = posixpath.relpath(path.rstrip("/") or ".", posixpath.dirname(where) or ".")
    if path == "" or path.endswith("/"):
        relative = "./" if relative == "." else relative + "/"
    return relative + suffix


def relink(path: Path, base: str, where: str, site_url: str | None) -> int:
    """Rewrite the PDF at `path`: each link under `base` (the local server's root) leads to the
    published page instead. Returns how many links were rewritten."""
    root = site_root(site_url)
    writer = PdfWriter(clone_from=str(path))
    count = 0
    for page in writer.pages:
        for annotation in page.get("/Annots") or ():
            link = annotation.get_object().get("/A")
            action = link.get_object() if link is not None else None
            uri = action.get("/URI") if action is not None else None
            if action is not None and isinstance(uri, str) and uri.startswith(base):
                action[NameObject("/URI")] = TextStringObject(published(uri[len(base) :], where, root))
                count += 1
    if count:
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        with part.open("wb") as out:
            writer.write(out)
        os.replace(part, path)
    return count
