"""Heading anchors come from Python-Markdown itself, with the site's `toc` settings: the ids
`tracksite check` knows are the ids of the built page, on headings a re-derivation gets wrong."""

from __future__ import annotations

from bs4 import BeautifulSoup

from support import harness
from support.course import lesson_md, write
from support.sites import run_mkdocs
from tracksite.adapter.config import mkdocsconfig
from tracksite.core.markdown import anchors

TRICKY = """\
## __init__ method

Text.

Setext heading
--------------

## Footnote here[^1]

## _emph_ word

## Fish &amp; chips

## Queries, keys and values

## The *it* example

## Practice

## Practice

## `code` span

## Custom {#mine}

## Ünïcödé heading

## 1. Numbered

## A -- dash

## <em>html</em> tag

## Link [to a1](lesson:a1) inside

[^1]: A footnote.
"""


def heading_ids(markdown_text: str, config) -> list[str]:
    """The ids of the page's headings, in order, from the toc tokens of the Markdown instance
    the check uses: what the built page must show."""
    md = anchors._renderer(config.extensions)
    md.reset()
    md.convert(anchors.skeleton(markdown_text))
    out: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            out.append(token["id"])
            walk(token.get("children", ()))

    walk(getattr(md, "toc_tokens", ()))
    return out


def test_ids_match_the_built_page_and_links_to_them_pass_both(course, tmp_path):
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - tables\n", "  - tables\n  - footnotes\n"))
    write(course, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson", body=TRICKY + "\nWords to read. " * 40))
    expected = heading_ids(TRICKY, mkdocsconfig.load(course))
    assert len(expected) == 16
    # the five that the old re-derivation from the source got wrong (it made `__init__-method`,
    # `_emph_-word`, `fish-amp-chips`, `footnote-here1` and missed the setext heading)
    assert {"init-method", "emph-word", "fish-chips", "footnote-here", "setext-heading"} <= set(expected)
    links = " ".join(f"[to {i}](lesson:a3#{i})" for i in expected)
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md("First lesson", body="## Intro\n\n" + links + "\n\n" + "Words to read. " * 40),
    )
    check = harness.tracksite("--root", str(course), "check", "--errors-only")
    assert check.returncode == 0, check.stdout
    result = run_mkdocs(course)  # strict: MkDocs validates the rewritten anchors itself
    assert result.returncode == 0, result.stderr[-3000:]
    page = BeautifulSoup((course / "site/alpha/a3/index.html").read_text(encoding="utf-8"), "lxml")
    built = [h["id"] for h in page.select("article h2[id], article h3[id]")]
    assert set(expected) <= set(built), (expected, built)
    assert [i for i in built if i in set(expected)] == expected


def test_a_wrong_anchor_fails_both(course):
    write(course, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson", body=TRICKY + "\nWords to read. " * 40))
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md("First lesson", body="## Intro\n\n[init](lesson:a3#__init__-method)\n\n" + "Words to read. " * 40),
    )
    check = harness.tracksite("--root", str(course), "check")
    assert check.returncode == 1
    assert "no heading with anchor #__init__-method on that page (did you mean 'init-method'?)" in check.stdout
    assert run_mkdocs(course).returncode == 1


def test_memoised_per_text(monkeypatch):
    """A page whose text did not change is not rendered again (every `mkdocs serve` rebuild)."""
    text = "## One\n\n## Two, memoised\n"
    renders = []
    render = anchors._ids
    monkeypatch.setattr(anchors, "_ids", lambda *a: renders.append(a) or render(*a))
    assert anchors.anchors(text) == {"one", "two-memoised"}
    assert anchors.anchors(text) == {"one", "two-memoised"}
    assert len(renders) == 1


def test_toc_settings_come_from_mkdocs_yml(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - toc:\n      separator: _\n")
    (tmp_path / "docs").mkdir()
    config = mkdocsconfig.load(tmp_path)
    assert heading_ids("## Queries, keys and values\n", config) == ["queries_keys_and_values"]


def test_skeleton_gives_the_ids_of_the_whole_page():
    """Only lines that can change an id are rendered (speed); on every page of the bundled
    course and the tricky headings, the ids are those of rendering the whole page."""
    import glob
    from pathlib import Path

    from support.course import REPO
    from tracksite.core.sources import read_text, split_front_matter

    config = mkdocsconfig.load(REPO)
    pages = [
        split_front_matter(Path(p), read_text(Path(p))).body
        for p in glob.glob(str(REPO / "**/*.md"), recursive=True)
        if "/lessons/" in p or "/cheatsheets/" in p or "/docs/" in p
    ]
    assert len(pages) > 40
    md = anchors._renderer(config.extensions)
    glossary = "## Glossary\n\ncommit { #commit }\n:   To record changes; see [the term](#commit).\n"
    assert "commit" in anchors.anchors(glossary, config)  # an id on a definition term
    for body in pages + [TRICKY, glossary]:
        md.reset()
        html = md.convert(body)
        whole = {a or b for rx in (anchors._ID, anchors._NAME) for a, b in rx.findall(html)}
        assert anchors.anchors(body, config) == whole


def test_a_code_span_of_fences_opens_no_code_block():
    from tracksite.core.markdown.references import code_flags

    lines = ["Use ```` ```output ```` blocks.", "", "## Heading", "```python", "# comment", "```"]
    assert code_flags("\n".join(lines), len(lines)) == [False, False, False, True, True, True]


PLAIN = """\
## What you'll learn

## Step 1: the data

## Copyright (c) and 1/2 of it

## Queries -- keys... and "values"

## Smile :smile: here

## See www.example.com or @someone

## Intro ##

## Intro

## Café au lait, naïve

### A.B. test, v2.0!
"""


def test_plain_headings_get_the_ids_rendering_gives(tmp_path):
    """Headings read without rendering (`plain_heading_ids`) get exactly the ids Python-Markdown
    gives them, whichever extensions change ordinary characters (quotes, (c), 1/2, :emoji:,
    addresses) and whatever the `toc` slugify and separator."""
    configs = [
        "",
        "  - smarty\n",
        "  - pymdownx.smartsymbols\n",
        "  - pymdownx.emoji\n",
        "  - pymdownx.magiclink\n",
        "  - toc:\n      separator: _\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n",
    ]
    fast = 0
    for n, extra in enumerate(configs):
        folder = tmp_path / str(n)
        folder.mkdir()
        (folder / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - toc\n" + extra)
        (folder / "docs").mkdir()
        config = mkdocsconfig.load(folder)
        md = anchors._renderer(config.extensions)
        for page in [PLAIN] + [f"# Title\n\n{line}\n" for line in PLAIN.splitlines() if line]:
            md.reset()
            html = md.convert(page)
            whole = {a or b for rx in (anchors._ID, anchors._NAME) for a, b in rx.findall(html)}
            assert anchors.anchors(page, config) == whole, (extra, page)
            fast += anchors.plain_heading_ids(anchors.skeleton(page), config.extensions) is not None
    assert fast > 40  # most of these pages took the fast path
