"""Issue 76: under `mkdocs serve` MkDocs' navigation and its pages are kept from one rebuild to
the next while the same pages are listed (adapter/serve/keptnav.py): each kept page is given back
what the navigation made it with and belongs to the new build's file; a page added, removed or
moved, or a written `nav:`, makes it anew. (tests/adapter/serve/test_edit_loop.py compares a served site after
such saves with a full build's, byte for byte.)"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation

from support.course import make_course, write
from tracksite.adapter.config import mkdocsconfig
from tracksite.adapter.pages import coursepages
from tracksite.adapter.serve import keptnav
from tracksite.core import checks
from tracksite.core.site import fingerprints


def _config(tmp: Path, **extra) -> MkDocsConfig:
    (tmp / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp / "docs"), "site_dir": str(tmp / "site"), **extra})
    errors, _ = config.validate()
    assert not errors
    return config


def _files(config: MkDocsConfig, *names: str) -> Files:
    return Files([File(n, config.docs_dir, config.site_dir, config.use_directory_urls) for n in names])


def test_the_same_pages_keep_their_navigation_reset_to_as_it_made_them(tmp_path):
    config, kept = _config(tmp_path), keptnav.KeptNavigation()
    first = _files(config, "index.md", "a/one.md", "a/two.md")
    nav = kept.navigation(get_navigation, first, config)
    assert not kept.kept
    one = first.get_file_from_path("a/one.md").page
    made_with = (one.parent, one.previous_page, one.next_page)
    # what a build and its plugins leave on a page
    one.content, one.meta, one.markdown, one.parent = "<p>old</p>", {"title": "Old"}, "old", None
    one.render = lambda *a: None  # (the build cache's replaced render)
    second = _files(config, "index.md", "a/one.md", "a/two.md")
    assert kept.navigation(get_navigation, second, config) is nav and kept.kept
    page = second.get_file_from_path("a/one.md").page
    assert page is one and page.file is second.get_file_from_path("a/one.md")
    assert (page.content, page.meta, page.markdown) == (None, {}, None) and "render" not in vars(page)
    assert (page.parent, page.previous_page, page.next_page) == made_with
    assert page.update_date  # (this build's date, which the sitemap shows)


def test_a_page_added_removed_or_moved_makes_the_navigation_anew(tmp_path):
    config, kept = _config(tmp_path), keptnav.KeptNavigation()
    nav = kept.navigation(get_navigation, _files(config, "index.md", "a/one.md"), config)
    for names in (("index.md", "a/one.md", "a/new.md"), ("index.md",), ("index.md", "b/one.md")):
        again = kept.navigation(get_navigation, _files(config, *names), config)
        assert not kept.kept and again is not nav
        nav = again
    written = _config(tmp_path, nav=["index.md"])
    for _ in range(2):  # MkDocs checks a written nav against the files on every build
        kept.navigation(get_navigation, _files(written, "index.md"), written)
        assert not kept.kept


def test_only_an_armed_serve_build_takes_the_kept_navigation(tmp_path):
    config, kept = _config(tmp_path), keptnav.KeptNavigation()
    made: list[int] = []

    def make(files, config):
        made.append(1)
        return get_navigation(files, config)

    keptnav._ACTIVE[:] = [kept]
    kept._armed = True
    keptnav._dispatch(make, _files(config, "index.md"), config)
    keptnav._dispatch(make, _files(config, "index.md"), config)  # not armed: a `mkdocs build`, say
    assert made == [1, 1] and not kept.kept


class _Listing(Files):
    """Files that count how often their documentation pages are listed (each listing tests every file)."""

    listed = 0

    def documentation_pages(self, *args, **kwargs):
        type(self).listed += 1
        return super().documentation_pages(*args, **kwargs)


def test_the_course_navigation_lists_the_files_once_whatever_the_number_of_tracks(tmp_path):
    """coursepages.navigation placed each track's own docs/ pages by listing every file of the
    site once per track: 65 tracks times 3,200 files at 1,000 lessons, a quarter of a save's time
    under serve. Listed once, each docs/ page still goes under its track or the guides."""
    root = make_course(tmp_path / "course")
    write(root, "docs/index.md", "# Home\n\nWelcome.\n")
    write(root, "docs/alpha/setup.md", "# Setup\n\nWhat to install.\n")
    write(root, "docs/guide.md", "# A guide\n\nHow to read the course.\n")
    project = checks.check(mkdocsconfig.load(root))
    config = _config(tmp_path)
    names = [e.src_uri for e in project.site.entries if e.src_uri.endswith(".md")]
    files = _Listing([File(n, config.docs_dir, config.site_dir, config.use_directory_urls) for n in names])
    get_navigation(files, config)  # (MkDocs makes the pages)
    _Listing.listed = 0
    nav = coursepages.navigation(project, files)
    assert _Listing.listed == 1
    alpha, beta, guides = (item for item in nav.items if item.is_section)
    assert [p.file.src_uri for p in alpha.children if p.is_page] == ["alpha/index.md", "alpha/setup.md"]
    assert not any(p.is_page and p.file.src_uri.endswith("setup.md") for p in beta.children)
    assert guides.title == "Guides" and [p.file.src_uri for p in guides.children] == ["guide.md"]
    assert nav.items[0].file.src_uri == "index.md"


def test_a_second_digest_of_the_same_pages_digests_only_what_changed(tmp_path, monkeypatch):
    """The edit loop's plan digests every page at every save (core/site/fingerprints.py): a page
    whose parts are the same strings as the last call's is given its digest again without
    digesting them, and a changed lesson changes its own page's digest and no other lesson's."""
    root = make_course(tmp_path / "course")
    project = checks.check(mkdocsconfig.load(root))
    first = fingerprints.site_digests(project, "shared")
    made: list[int] = []
    digest = fingerprints._hash
    monkeypatch.setattr(fingerprints, "_hash", lambda parts: made.append(1) or digest(parts))
    again = fingerprints.site_digests(project, "shared")
    assert again == first
    # what every page shares, the tracks near each track, and the text the plan makes for the
    # generated pages (track pages, review decks): not a digest of each page's parts
    made_text = [e for e in project.site.entries if e.src_uri.endswith(".md") and e.content is not None]
    assert len(made) <= 2 + len(project.curriculum.tracks) + len(made_text) < 2 * len(first)
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    edited = fingerprints.site_digests(checks.check(mkdocsconfig.load(root)), "shared")
    changed = {src for src in first if first[src] != edited[src]}
    assert "alpha/a1/index.md" in changed and not changed & {"alpha/a2/index.md", "beta/b1/index.md"}
