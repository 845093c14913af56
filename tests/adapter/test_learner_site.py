"""Issue 44, what the built site publishes for learners: no unused search files of Material's
(about 1.2 MB) unless the course turns Material's search on."""

from __future__ import annotations

from support.course import MKDOCS_YML, write
from support.sites import run_mkdocs

MATERIAL_SEARCH = ("assets/javascripts/lunr", "assets/javascripts/workers")


def test_material_search_files_are_left_out_when_its_search_is_off(fixture_site):
    for folder in MATERIAL_SEARCH:
        assert not (fixture_site / folder).exists(), f"{folder} is published, and no page loads it"
    assert any((fixture_site / "assets/javascripts").glob("bundle.*.min.js")), "Material's own bundle stays"


def test_material_search_files_stay_when_a_course_turns_its_search_on(course):
    write(
        course, "mkdocs.yml", MKDOCS_YML.replace("plugins:\n  - tracksite\n", "plugins:\n  - search\n  - tracksite\n")
    )
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr
    site = course / "site"
    assert any((site / "assets/javascripts/workers").glob("search.*.min.js"))
    assert (site / "assets/javascripts/lunr/min").is_dir()
    assert (site / "search/search_index.json").is_file()


def test_no_source_map_is_published(built_site, course):
    """Issue 56: Material's source maps (about 1 MB) went into every site; a browser fetches one
    only while its developer tools are open. A course's own file in docs/ is still published."""
    assert any(built_site.glob("assets/javascripts/bundle.*.min.js")), "Material's bundle stays"
    maps = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.map"))
    assert maps == [], maps
    write(course, "docs/data/route.map", "a course's own file\n")
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr
    assert sorted(p.relative_to(course / "site").as_posix() for p in (course / "site").rglob("*.map")) == [
        "data/route.map"
    ]
