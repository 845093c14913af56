"""Issue 53, round 3: images Pandoc reads across lines, and anchors written with spaces.

- an image whose caption, path and `{alt=...}` span several lines (sql-ecology-lesson) is read
  as one image: its figure is copied and its alt text kept;
- an attribute block on the line under an image (`![](fig/x.png)` then `{alt='...'}`,
  spreadsheet-ecology-lesson) is the image's, not text left on the page;
- a link to an anchor written with spaces (`[CLI](#command-line interface)`, shell-genomics'
  reference page) points at the id Pandoc makes from it (`#command-line-interface`).

The Markdown is written for these tests, after the forms those lessons use.
"""

from __future__ import annotations

from pathlib import Path

from tracksite.commands.importers.carpentries import pandoc
from tracksite.commands.importers.carpentries.episode import Context, convert


def _convert(text: str, source: Path | None = None):
    return convert(text, 1, Context(episode_slugs={}, source_dir=source))


def test_image_across_lines_is_one_image(tmp_path: Path) -> None:
    (tmp_path / "fig").mkdir()
    (tmp_path / "fig/joins.png").write_bytes(b"\x89PNG\r\n")
    text = "Like so:\n\n![\nDiagrams of joins\n](fig/joins.png){\nalt='Two circles, A and B.'\n}\n\nAfter.\n"
    ep = _convert(text, tmp_path)
    assert "![Two circles, A and B.](joins.png)" in ep.body
    assert "/// caption\nDiagrams of joins\n///" in ep.body
    assert "alt=" not in ep.body and "fig/" not in ep.body


def test_attributes_on_the_line_under_an_image(tmp_path: Path) -> None:
    (tmp_path / "fig").mkdir()
    (tmp_path / "fig/dates.png").write_bytes(b"\x89PNG\r\n")
    ep = _convert("## Solution\n\n![](fig/dates.png)\n{alt='dates, exercise 1' .output}\n\nText.\n", tmp_path)
    assert "![dates, exercise 1](dates.png)" in ep.body
    assert "{alt" not in ep.body


def test_join_images_keeps_line_numbers_and_code() -> None:
    lines = ["```", "![", "```", "![", "cap", "](fig/a.png){", "alt='x'", "}", "", "![](b.png)", "{alt='y'}", "z"]
    out, numbers = pandoc.join_images(lines, list(range(1, len(lines) + 1)))
    assert out == ["```", "![", "```", "![ cap ](fig/a.png){ alt='x' }", "", "![](b.png){alt='y'}", "z"]
    assert numbers == [1, 2, 3, 4, 9, 10, 12]


def test_an_unclosed_image_bracket_joins_nothing() -> None:
    lines = ["Type `![` to start an image", "and go on.", "", "Next."]
    assert pandoc.join_images(lines, [1, 2, 3, 4]) == (lines, [1, 2, 3, 4])


def test_anchor_written_with_spaces_is_slugged_as_pandoc_does() -> None:
    text = (
        "command-line interface\n:   A user interface.\n\n"
        "shell\n:   A [command-line interface](#command-line interface) such as Bash.\n"
        "    See [Other Page](#Another  Term) and `[code](#a b)`.\n"
    )
    body = _convert(text).body
    assert "[command-line interface](#command-line-interface)" in body
    assert "[Other Page](#another-term)" in body
    assert "`[code](#a b)`" in body
