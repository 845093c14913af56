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

from tracksite.adapter.serve import keptnav


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
