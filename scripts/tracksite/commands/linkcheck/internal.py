"""Internal links of a built site, checked offline by our own reader, with no other tool.

Every `href`, `src`, `srcset` (and `poster`, `data`, `cite`, `action`, `style` and `<style>`
`url()`, `<meta http-equiv=refresh>`, the data files a widget's `data-config` names) of every
built page, the theme's and templates' links included; every `url()` and `@import` of every
stylesheet; and the course search's result links (each search fragment's page and headings). A link resolves as a browser resolves it at
the site's address (a climb above the root is an error, not a file found next to the site on
the disk); a folder URL needs its index.html; a `#fragment` must name an `id` a browser can
scroll to (not one inside a `<template>` or a script's text) or an `<a name>`, in HTML pages
and SVG files alike. tests/commands/test_linkcheck.py shows each case, and what lychee 0.24 gets wrong
in each, which is why lychee is used only for external links.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from tracksite.commands.linkcheck.report import CheckError, Report
from tracksite.core.problems.problem import Problem
from tracksite.core.site.plan import SEARCH_FOLDER
from tracksite.htmlscan import Link, PageScan, kind_of, scan_file, scan_stylesheet
from tracksite.sitepaths import INDEX, Layout, Target, base_path_of, checkable_fragment, rel, resolve

HTML_SUFFIXES = (".html", ".htm")


@dataclass
class InternalResult:
    problems: list[Problem]
    pages: int
    links: int  # internal links found in pages and stylesheets
    fragments: int  # fragments looked up
    stylesheets: int = 0


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in HTML_SUFFIXES and p.is_file())


def built_site_pages(site: Path) -> tuple[Path, list[Path]]:
    """The resolved site folder and its pages, or a CheckError saying why it is no built site."""
    site = site.resolve()
    if not site.is_dir():
        raise CheckError(f"{site} is not a folder; build the site first (tracksite build, or mkdocs build)")
    pages = html_pages(site)
    if not pages:
        raise CheckError(f"{site} has no HTML pages; is it a built site?")
    return site, pages


def check_internal(site: Path, *, base_path: str | None = None) -> InternalResult:
    """Every internal link of the built site in `site`; problems name page, line and target.
    `base_path` is the URL path the site is served under (default: read from the site)."""
    site, pages = built_site_pages(site)
    base = base_path if base_path is not None else base_path_of(site)
    if not base.startswith("/"):
        raise CheckError(f"the base path {base!r} must start with /")
    layout = Layout(site, base if base.endswith("/") else base + "/")
    checker = _Checker(layout, scan_all(pages))
    for page, scan in checker.scans.items():
        checker.links(page, scan.links, fragments=True)
    sheets = sorted(p for p in site.rglob("*.css") if p.is_file())
    for sheet in sheets:
        checker.links(sheet, scan_stylesheet(sheet), fragments=False)
    for source, location, message in _search_index_problems(layout, checker.ids_of):
        checker.report.add("search", (location,), source, None, message, code="TS805")
    return InternalResult(checker.report.items, len(pages), checker.n_links, checker.n_fragments, len(sheets))


PARALLEL_FROM = 300  # pages; below this, starting worker processes costs more than it saves


def scan_all(pages: list[Path]) -> dict[Path, PageScan]:
    """Every page read once; a large site in one worker process per core (parsing HTML is
    most of the time a check takes)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(pages) < PARALLEL_FROM or workers < 2:
        return {page: scan_file(page) for page in pages}
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(zip(pages, pool.map(scan_file, pages, chunksize=64)))


class _Checker:
    def __init__(self, layout: Layout, scans: dict[Path, PageScan]) -> None:
        self.layout = layout
        self.scans = scans
        self.report = Report()
        self.ids_cache: dict[Path, set[str]] = {page: scan.ids for page, scan in scans.items()}
        self.exists: dict[Path, bool] = {}
        self.n_links = self.n_fragments = 0

    def ids_of(self, path: Path) -> set[str]:
        if path not in self.ids_cache:
            self.ids_cache[path] = scan_file(path).ids
        return self.ids_cache[path]

    def is_file(self, path: Path) -> bool:
        if path not in self.exists:
            self.exists[path] = path.is_file()
        return self.exists[path]

    def links(self, page: Path, links: list[Link], *, fragments: bool) -> None:
        site = self.layout.folder
        for link in links:
            kind = kind_of(link.raw)
            if kind == "local-file":
                self.report.add(
                    "file",
                    (str(page), link.raw),
                    page,
                    link.line,
                    f"{link.shown} points into someone's disk, not into the site",
                    code="TS804",
                )
                continue
            if kind != "internal":
                continue
            self.n_links += 1
            target = resolve(self.layout, page, link.raw)
            key = (str(page), target.shown(), unquote(target.fragment))
            if target.escapes:
                self.report.add("escapes", key, page, link.line, f"{link.shown} {target.escapes}", code="TS802")
                continue
            path = target.file(site)
            if not self.is_file(path):
                self.report.add("missing", key, page, link.line, missing(link, target, path, site), code="TS801")
                continue
            fragment = checkable_fragment(target.fragment) if fragments else None
            if fragment and path.suffix in HTML_SUFFIXES + (".svg",):
                self.n_fragments += 1
                ids = self.ids_of(path)
                if fragment not in ids and unquote(fragment) not in ids:
                    self.report.add(
                        "fragment",
                        key,
                        page,
                        link.line,
                        f'{link.shown}: {rel(path, site)} has no element with id "{unquote(fragment)}"',
                        code="TS803",
                    )


def missing(link: Link, target: Target, path: Path, site: Path) -> str:
    if target.is_dir or path.name == INDEX and not target.shown().endswith(INDEX):
        folder = site.joinpath(*target.parts)
        if folder.is_dir():
            return f"{link.shown}: the folder {target.shown() or '/'} of the site has no {INDEX}"
        return f"{link.shown}: no page {target.shown() or '/'} in the site"
    return f"{link.shown}: {target.shown()} is not in the site"


def _search_index_problems(layout: Layout, ids_of) -> Iterator[tuple[Path, str, str]]:
    """(fragment file, location, message) for each search result that leads nowhere: every
    search fragment file (a page's sections, packed) names the page, and the element each section
    starts at."""
    site = layout.folder
    for source in sorted((site / SEARCH_FOLDER / "pages").glob("*.json")):
        try:
            fragment = json.loads(source.read_text(encoding="utf-8"))
            url, title = fragment["url"], fragment.get("meta", {}).get("title") or fragment["url"]
            anchors = [str(section[0]) for section in fragment["sections"] if section[0]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            yield source, "", "not a readable search index fragment; rebuild the site"
            continue
        for location in [url.lstrip("/")] + [f"{url.lstrip('/')}#{a}" for a in anchors]:
            target = resolve(layout, site / INDEX, location)
            path = target.file(site)
            if target.escapes:
                yield source, location, f'search result "{title}" leads to "{location}", which {target.escapes}'
                break
            if not path.is_file():
                yield source, location, f'search result "{title}" leads to "{location}": no such page in the site'
                break
            fragment_id = checkable_fragment(target.fragment)
            if fragment_id and fragment_id not in ids_of(path) and unquote(fragment_id) not in ids_of(path):
                yield (
                    source,
                    location,
                    (
                        f'search result "{title}" leads to "{location}": '
                        f'{rel(path, site)} has no element with id "{unquote(fragment_id)}"'
                    ),
                )
