"""Issue 84, the verification on lessons nobody has seen: strict, and right about what the page shows.

The import counts what a learner sees of each episode twice, in the source and in the built page,
and stops on any difference it did not list. On unseen lessons it stopped where the converter or
the source's count misread the format: an R comment (`# A tibble: 3 x 2`) in output written as
HTML `<pre>` read as a heading (and the page's headings all moved one level down for it); a
fence indented three spaces outside any list turned into an indented code block; a table ruled
`|--:|` (knitr's kable for a one-letter column) seen on the page but not in the source; a link
whose text is an autolink (`[<https://...>](...)`) nested in a second link; a link written
`[text](<target>)` lost. Each lesson here is written by the test (nothing read outside the repository).
"""

from __future__ import annotations

from pathlib import Path

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries.episode import Context, convert
from tracksite.commands.importers.pipeline import counting

EPISODE = """---
title: Output
teaching: 5
exercises: 5
---

What the code printed, as HTML:

<pre>
# A tibble: 3 x 2
## a second comment line

   x     y
</pre>

   ```output
   # indented three spaces, outside any list
   ```

| n | v |
|--:|:--|
| 1 | x |

See [<https://example.org/a>](https://example.org/a), [<someone@example.org>](mailto:someone@example.org),
[the next episode](<02-next.md>) and [a data file](<data/my data.csv>).

## A section

Text.
"""


def _lesson(root: Path) -> Path:
    for folder in ("episodes/data", "learners"):
        (root / folder).mkdir(parents=True)
    (root / "config.yaml").write_text(
        "title: 'Unseen'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-output.md\n- 02-next.md\nlearners:\n- setup.md\n"
    )
    (root / "episodes/01-output.md").write_text(EPISODE)
    (root / "episodes/02-next.md").write_text("---\ntitle: Next\nteaching: 1\nexercises: 1\n---\n\nMore words.\n")
    (root / "episodes/data/my data.csv").write_text("a,b\n1,2\n")
    (root / "learners/setup.md").write_text("---\ntitle: Setup\n---\n\nNothing to install.\n")
    return root


def test_an_unseen_lesson_with_these_forms_imports_verified_and_the_page_shows_them(tmp_path):
    """Old: three errors (headings 1 vs 0, code and output blocks, tables 1 vs 2) and nested links."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Unseen"]) == 0
    result = harness.tracksite("import", "carpentries", str(_lesson(tmp_path / "src")), "--track", "u", cwd=course)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "verified: the built learner pages of 2 episodes" in result.stdout + result.stderr
    assert "points nowhere" not in result.stdout + result.stderr  # `(<target>)` is a link
    assert harness.mkdocs(course).returncode == 0
    page = harness.page(course / "site", "u/output/")
    body = page.select_one(".ts-page")
    assert "# A tibble: 3 x 2" in body.find("pre").get_text()
    assert [h.get_text(strip=True).rstrip("¶") for h in body.select("h2")] == ["A section"]  # not an h3
    assert not body.select("a a")  # no link in a link
    texts = [a.get_text() for a in body.select("a[href]")]
    assert "<https://example.org/a>" in texts and "<someone@example.org>" in texts
    assert any(a["href"].endswith("next/") for a in body.select("a[href]") if a.get_text() == "the next episode")
    data = [a["href"] for a in body.select("a[href]") if a.get_text() == "a data file"]
    assert data and data[0].endswith(("my%20data.csv", "my data.csv")), data
    output = body.select("div.language-output, div.highlight.language-output")
    assert any("indented three spaces" in d.get_text() for d in output)  # an output block, not code
    assert len(body.select("table")) == 1


def test_the_source_count_reads_a_pre_block_and_a_short_table_rule_as_the_page_shows_them():
    counts = counting.count_source(EPISODE.split("---\n", 2)[2])
    assert counts["headings"] == 1  # `## A section`; not the comment lines in <pre>
    assert counts["tables"] == 1
    assert counts["code_blocks"] == 1 and counts["output_blocks"] == 1  # the <pre>, the fence
    assert counts["links"] == 4


def test_a_pre_block_keeps_its_lines_and_leaves_the_headings_where_they_are():
    body = convert("<pre>\n# out\n</pre>\n\n## Section\n", 1, Context(episode_slugs={})).body
    assert "&#35; out" in body and "## Section" in body and "### Section" not in body


def test_a_fence_indented_under_a_list_item_still_moves_to_four_spaces():
    body = convert("1. Run:\n\n   ```bash\n   ls\n   ```\n", 1, Context(episode_slugs={})).body
    assert "    ```bash" in body
    body = convert("Run:\n\n   ```bash\n   ls\n   ```\n", 1, Context(episode_slugs={})).body
    assert "\n   ```bash" in body and "    ```bash" not in body


def test_a_difference_names_the_element_and_where_it_is():
    """Old: `episodes/x.md:1: headings: 2 in the source, 3 on the built learner page`, nothing
    said of which heading. Now the line of the source around it and the page's extra words."""
    from tracksite.commands.importers.pipeline import verify

    source = counting.count_source("Intro.\n\n## Getting data\n\nText.\n\n## Plotting\n\nMore.\n", first_line=5)
    page = counting.count_page(
        '<div class="ts-page"><h2>Getting data</h2><p>Text.</p><h2>A tibble: 3 x 2</h2>'
        "<h2>Plotting</h2><p>More.</p></div>"
    )
    assert (source["headings"], page["headings"]) == (2, 3)
    line, where = verify._placed(source, page, "headings")
    assert line == 7  # the source's "## Getting data", after which the page shows one more
    assert where == " (on the page only: 'a tibble 3 x 2' (after source line 7))"
    missing = counting.count_page('<div class="ts-page"><h2>Plotting</h2></div>')
    assert verify._placed(source, missing, "headings") == (7, " (in the source only: line 7 'getting data')")


def test_a_row_of_dashes_in_a_tables_body_is_a_row_not_a_second_table():
    """Old: 2 tables in the source (each rule under a row was read as a new header's), 1 on the page."""
    text = "Text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n|---|---|\n| 3 | 4 |\n\nMore.\n\n| c |\n|---|\n| 5 |\n"
    counts = counting.count_source(text)
    assert counts["tables"] == 2
    assert [line for line, _ in counts.where["tables"]] == [3, 11]
