"""The edit loop of `mkdocs serve`: a save renders again only the pages it can change.

After the first build of a serve session, every rebuild is a "dirty" MkDocs build (the server's
builder is set up for that in `serve.ServeRun`), in which MkDocs renders only the pages whose
`File.is_modified` is true. `EditLoop.plan` decides that for every page, from the digest of what
the page is made from (`core.fingerprints.site_digests`): a page whose digest is the one the last
build of this session rendered, and whose output that build left in the site, is left as it is. The
model of the course is loaded and checked as on every build (what depends on one file's text is
remembered across rebuilds, `core.memo`), so every problem is still found.

What a dirty MkDocs build does not do, and a full build does, is done here, so that the site is
the one a full build writes from the same sources (tests/adapter/serve/test_edit_loop.py compares them after a
sequence of edits): the pages that are not rendered keep their titles and front-matter for the
pages that show them (the guides' titles in every footer, the 404 page), and files that no page
or asset of this build wrote any more (a renamed lesson's old address) are removed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.structure.files import InclusionLevel

from tracksite import theme as theme_files
from tracksite.adapter import mkdocsinternals
from tracksite.adapter.serve import keptnav
from tracksite.core.remote import files as remotefiles
from tracksite.core.site import fingerprints

log = logging.getLogger("mkdocs.plugins.tracksite")

#: Files of the site that no source of the site plan lists: written by the engine or the index.
ENGINE_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")
#: The theme's templates MkDocs renders on every build, whatever changed: the 404 page (the
#: navigation, every track, the guides, as the home page shows them) and the sitemap (every
#: page's address and the build's date). `keep_static` leaves them as the last build wrote them.
STATIC_KEPT = ("404.html", "sitemap.xml")
#: At most this many saved pages are rendered ahead of the engine's own loop (`render_saved`):
#: an instructor's save is one page or a few; a rebuild of everything keeps MkDocs' order.
SAVED_FIRST_MAX = 8


def _shared(config: Any, options: Any) -> str:
    """What every page draws from beyond the course: mkdocs.yml, remote-files.yml (which copies a
    page points at), the plugin's options, and the templates (the course's theme override and
    tracksite's own, by name and modification time)."""
    parts = [repr(sorted(dict(options).items()))]
    if config.config_file_path and os.path.isfile(config.config_file_path):
        parts.append(Path(config.config_file_path).read_text(encoding="utf-8", errors="replace"))
        listing = Path(config.config_file_path).parent / remotefiles.FILE_NAME
        if listing.is_file():
            parts.append(listing.read_text(encoding="utf-8", errors="replace"))
    for folder in (config.theme.custom_dir, str(theme_files.TEMPLATES)):
        if folder and os.path.isdir(folder):
            for path in sorted(Path(folder).rglob("*")):
                parts.append(f"{path}:{path.stat().st_mtime_ns}")
    return "\n".join(parts)


def page_digests(project: Any, config: Any, options: Any) -> dict[str, tuple[str, str]]:
    """Each page's digest of what it is made from (`fingerprints.site_digests`): what the edit
    loop compares to find the pages a save can change (the whole-page cache keys pages by what
    they read instead: caches/pagedeps.py)."""
    return fingerprints.site_digests(project, _shared(config, options))


class EditLoop:
    """What the last build of a serve session rendered: each page's digest, title and meta."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, str]] = {}
        self._titles: dict[str, tuple[Any, Any, dict]] = {}
        self._written: set[str] = set()  # every file the last build left in the site
        self.complete = False  # the site folder holds a whole, successful build
        self.rendered: list[str] = []
        self.edited: set[str] = set()
        self.files: Any = None  # this build's, under serve
        self.serving = False  # `plan` was called: this is a serve session
        self.run: Any = None  # the serve.ServeRun, once the server runs
        self.digests: dict[str, tuple[str, str]] = {}  # this build's, under serve
        self.nav = keptnav.KeptNavigation()  # MkDocs' navigation and pages, while no page comes or goes
        self._static: tuple | None = None  # what the last build's 404 page and sitemap were made from
        self._static_next: tuple | None = None  # this build's

    def plan(self, project: Any, config: Any, options: Any, files: Any, incremental: bool) -> None:
        """Mark each page of `files` to be rendered or kept, and remember this build's digests."""
        self.serving, self._static_next = True, None
        self.nav.arm(config)  # (MkDocs makes the navigation right after this event)
        self.digests = digests = page_digests(project, config, options)
        pages = files.documentation_pages()
        keep: set[str] = set()
        if incremental and self.complete:
            keep = {
                f.src_uri
                for f in pages
                if f.src_uri in digests
                and self._last.get(f.src_uri) == digests[f.src_uri]
                and f.dest_uri in self._written  # (the last build left it: not a stat of every page)
            }
        last, self._last = self._last, digests
        for f in pages:
            mkdocsinternals.mark_modified(f, f.src_uri not in keep)
        self.rendered = [f.src_uri for f in pages if f.src_uri not in keep]
        # the pages whose own source was saved: once they are written, the browser may reload
        self.edited = {src for src in self.rendered if src not in last or last[src][1] != digests.get(src, ("", ""))[1]}
        if keep:
            log.info(
                "tracksite: %d of %d pages rendered again, the others are unchanged", len(self.rendered), len(pages)
            )

    def restore(self, files: Any, failed: bool) -> None:
        """Give every page that is not rendered this time the title and meta it had when it was:
        the pages that are rendered show some of them (the guides' titles in the footer)."""
        if not self.serving:
            return
        self.files = files
        if failed:
            return
        for f in files.documentation_pages():
            page = f.page
            if page is None or f.is_modified() or f.src_uri not in self._titles:
                continue
            markdown, title, meta = self._titles[f.src_uri]
            page.markdown, page.meta = markdown, dict(meta)
            mkdocsinternals.set_render_title(page, title)

    def remember(self, files: Any) -> None:
        """After a build: the title and meta of every page, for the next build's `restore`."""
        for f in files.documentation_pages():
            page = f.page
            if page is not None and page.markdown is not None:
                self._titles[f.src_uri] = ("", mkdocsinternals.render_title(page), dict(page.meta or {}))

    def write_early(self, output: str, page: Any) -> None:
        """A page an instructor saved, written now rather than after the hook returns (as MkDocs
        writes it), so that once every saved page is written the browsers reload while the build
        goes on."""
        if self.run is None or page.file.src_uri not in self.edited:
            return
        self.edited.discard(page.file.src_uri)
        if output.strip():
            content = output.encode("utf-8", errors="xmlcharrefreplace")
            mkdocsinternals.write_file(content, page.file.abs_dest_path)
            self.run.hold(page.file.abs_dest_path, content)  # MkDocs writes it again later
        if not self.edited:
            self.run.reload_now()

    def render_saved(self, config: Any, files: Any, nav: Any, env: Any) -> None:
        """The pages an instructor saved, rendered and written as soon as MkDocs has gathered
        what every page needs (the end of `on_env`), not after the engine has copied the
        theme's files and rendered its sitemap and 404 page (60-80 ms at 1,000 lessons): the
        browsers reload meanwhile (`write_early`). Each is then marked unchanged, so that the
        engine's own loop, which renders only changed pages in a rebuild, does not render it
        twice. A page MkDocs marks as a draft is left to that loop (it adds the draft marker)."""
        if self.run is None or not self.edited or len(self.edited) > SAVED_FIRST_MAX:
            return
        module = mkdocsinternals.build_module(config)
        if module is None:
            return
        pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for f in pages:
            if f.src_uri in self.edited and f.page is not None and f.is_modified() and not f.inclusion.is_excluded():
                mkdocsinternals.build_page(module, f.page, config, pages, nav, env, True)
                mkdocsinternals.mark_modified(f, False)

    def keep_static(self, config: Any) -> None:
        """At the end of `on_env`, under serve: the 404 page and the sitemap are not rendered again
        (60-80 ms at 1,000 lessons, and more with the 404 page's course context) when they would
        be the same: the navigation and its pages' addresses kept (keptnav.py), the home page's
        digest the same (every track's state, the guides' titles, the configuration, the
        templates: all the 404 page shows) and the same build date (the sitemap's dates)."""
        module = mkdocsinternals.build_module(config)
        home = self.digests.get("index.md")
        ok = self.serving and home is not None
        self._static_next = (home, mkdocsinternals.build_date(module)) if ok and module is not None else None
        if not (self.complete and self.nav.kept) or self._static_next is None or self._static_next != self._static:
            return
        for name in STATIC_KEPT:
            if name in config.theme.static_templates and os.path.isfile(os.path.join(config.site_dir, name)):
                config.theme.static_templates.discard(name)

    def finish(self, site_dir: str, failed: bool) -> None:
        """After the pages are written: reload the browsers, then tidy what a full build would not
        have left (files of addresses that are gone), and remember the pages' titles."""
        if not self.serving:
            return
        if self.run is not None and not failed:
            self.run.reload_now()
        if self.files is not None:
            self.remove_stale(site_dir, self.files)
            if not failed:
                self.remember(self.files)
        self.complete, self.files = not failed, None
        self._static = None if failed else self._static_next

    def forget(self) -> None:
        """After a failed build, whose pages may not have been written: render them all next time."""
        self._last, self.complete, self.edited, self._static = {}, False, set(), None
        self.nav.forget()

    def remove_stale(self, site_dir: str, files: Any) -> list[str]:
        """Delete the files the last build wrote that this build's sources no longer produce (a
        full build starts from an empty folder), and the folders they leave empty; returns them."""
        written = {f.dest_uri for f in files} | set(ENGINE_FILES)
        removed = sorted(self._written - written)
        self._written = written
        root = Path(site_dir)
        for rel in removed:
            path = root / rel
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == root or not parent.is_dir() or any(parent.iterdir()):
                    break
                parent.rmdir()
        return removed
