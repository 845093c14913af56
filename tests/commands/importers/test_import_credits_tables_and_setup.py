"""Issue 53, continued: the credits, tables under code, data folders and the Setup page.

- the credits name people in plain text: an AUTHORS line's Markdown link becomes its text, an
  e-mail address is dropped, the template's `FIXME` line, a `git log` command and a sentence or
  heading are left out, each with a note; config.yaml's `maintainers:` stay in the credits;
- a pipe table right under a code fence (knitr and Jupyter write pandas tables so), and a heading
  right under a table's last row, come through as a table and a heading; a list item of inline
  code written with three backticks (```` - ```import x``` ````) is no code fence;
- files under `episodes/data/` that no page links are published, as sandpaper publishes data/,
  `.tab` among them; a type the site does not publish is left out with a note;
- the lesson's Setup page is linked at the top of every lesson and in its overview.

The AUTHORS lines marked "lc-marcedit", "sql-ecology", "lc-data-intro" and "shell-genomics" are
excerpts of The Carpentries' lessons of those names (CC BY 4.0, The Carpentries); the rest is
written for these tests.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import lesson as carpentries
from tracksite.commands.importers.carpentries import pandoc
from tracksite.commands.importers.carpentries.episode import Context, convert
from tracksite.commands.importers.carpentries.pages import credit

AUTHORS = (
    "sql-ecology was written by:\n"  # sql-ecology
    "Abigail Cabunoc <abigail.cabunoc@gmail.com>\n"  # sql-ecology
    "[Owen Stephens](mailto:owen@ostephens.com)\n"  # lc-marcedit
    "Muhammad Elhossary, elhossary@zbmed.de\n"
    "- [Ann Lee](https://example.org/ann)\n"
    "FIXME: list authors' names and email addresses.\n"  # shell-genomics
    "git log --format='%aN <%aE>' | sort -u\n"
    "Library Carpentry is authored and maintained by the [community](https://github.com/orgs/LibraryCarpentry/people).\n"  # lc-data-intro
)

EPISODE = """---
title: Tidy
teaching: 5
exercises: 0
---

Load the data and look at it in a few plain words for learners.

```python
df.head()
```
|   | branch | ytd |
|---|--------|-----|
| 0 | Albany | 12  |
### Save to CSV
Next, save it.

```python
df.describe()
```
```output
count 3
```

Aliases:

- ```import pandas as pd```
- ```import numpy as np```

Download [the circulation data](data/circ.csv).
"""


def _lesson(root: Path) -> Path:
    (root / "episodes/data/more").mkdir(parents=True)
    (root / "learners").mkdir()
    (root / "config.yaml").write_text(
        "title: 'Tidy data'\nlicense: 'CC-BY 4.0'\nepisodes:\n- tidy.md\n"
        "maintainers:\n- Zoe Maintainer\n- '[Yan Keeper](mailto:yan@example.org)'\n"
    )
    (root / "AUTHORS").write_text(AUTHORS)
    (root / "episodes/tidy.md").write_text(EPISODE)
    (root / "learners/setup.md").write_text("---\ntitle: Setup\n---\n\nInstall Python 3.\n")
    data = root / "episodes/data"
    (data / "circ.csv").write_text("branch,ytd\nAlbany,12\n")
    (data / "branches.tab").write_text("branch\tcity\nAlbany\tChicago\n")
    (data / "more/notes.txt").write_text("notes\n")
    (data / "all_years.pkl").write_bytes(b"\x80\x04K\x01.")
    (data / "README.md").write_text("# About the data\n")
    return root


def test_credits_name_people_in_plain_text_with_a_note_for_each_change(tmp_path):
    src = carpentries.read_source(_lesson(tmp_path / "src"))
    assert src.authors == ("Abigail Cabunoc, Owen Stephens, Muhammad Elhossary, Ann Lee, Zoe Maintainer and Yan Keeper")
    for text in (credit(src), credit(src, markdown=True)):
        for raw in ("](", "@", "FIXME", "git log", "mailto", "written by", "community", "<"):
            assert raw not in text.replace(f"[{src.title}]({src.url})", ""), (raw, text)
    notes = "\n".join(src.credit_notes)
    assert "AUTHORS:1: a sentence or a heading, not a name" in notes
    assert "AUTHORS:2: credited by name alone" in notes
    assert "AUTHORS:6: the template's placeholder text" in notes
    assert "AUTHORS:7: a shell command" in notes
    assert "config.yaml:1: credited by name alone" in notes


def test_many_authors_are_shortened_but_maintainers_stay_named(tmp_path):
    root = tmp_path / "src"
    (root / "episodes").mkdir(parents=True)
    (root / "episodes/one.md").write_text("---\ntitle: One\n---\n\nText.\n")
    (root / "config.yaml").write_text("title: T\nmaintainers: 'Zoe M, Yan K'\n")
    (root / "AUTHORS").write_text("".join(f"Author {c}\n" for c in "ABCDEFGH"))
    src = carpentries.read_source(root)
    assert src.authors == "Author A, Author B, Author C, Author D, Author E, Zoe M, Yan K and 3 others"


def test_a_table_right_under_code_and_a_heading_right_under_a_table_stay_apart():
    body = EPISODE.split("---\n", 2)[2].replace("[the circulation data](data/circ.csv)", "the data")
    ep = convert(body, 6, Context(episode_slugs={}))
    assert "```\n\n|   | branch | ytd |" in ep.body
    assert "| 0 | Albany | 12  |\n\n### Save to CSV\nNext" in ep.body
    assert "```\n\n```output" in ep.body
    # three backticks around inline code in a list item open no fence: the text after stays text
    assert "- ```import pandas as pd```\n- ```import numpy as np```" in ep.body
    assert pandoc.separate_blocks(["a | b", "--|--", "1 | 2", "after"]) == ["a | b", "--|--", "1 | 2", "", "after"]
    assert pandoc.separate_blocks(["```", "| x |", "```", "text"]) == ["```", "| x |", "```", "", "text"]


def test_import_publishes_data_links_setup_and_builds_what_the_source_holds(tmp_path, capsys):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tidy course"]) == 0
    # the import builds the learner site and compares its tables, headings and code with the source's
    assert main(["--root", str(course), "import", "carpentries", str(_lesson(tmp_path / "src")), "--track", "td"]) == 0
    out = capsys.readouterr().out
    data = course / "docs/td/data"
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()) == [
        "branches.tab",
        "circ.csv",
        "more/notes.txt",
    ]
    assert "episodes/data/all_years.pkl:1: a data file no page links, .pkl files are not published" in out
    assert "episodes/data/README.md:1: a data file no page links, a Markdown file" in out
    assert "published under docs/td/data/, as the Workbench publishes its data folders" in out
    assert "learners/setup.md:1: linked from every lesson's header" in out
    run = harness.mkdocs(course, "-d", str(tmp_path / "site"))
    assert run.returncode == 0, run.stderr[-3000:]
    site = tmp_path / "site/td"
    lesson = BeautifulSoup((site / "tidy/index.html").read_text(), "lxml")
    article = lesson.select_one("article")
    setup = article.find("a", string="Setup")
    assert setup is not None and setup["href"] == "../learners/setup/"
    assert (site / "learners/setup/index.html").is_file()
    assert len(article.select("table")) == 1
    assert "Save to CSV" in [h.get_text(strip=True).rstrip("¶") for h in article.select("h3")]
    overview = BeautifulSoup((site / "tidy/overview/index.html").read_text(), "lxml")
    assert overview.select_one("article").find("a", href="../../learners/setup/") is not None
    footer = lesson.get_text(" ")
    assert "Abigail Cabunoc" in footer and "Zoe Maintainer" in footer
    assert "mailto" not in str(lesson) and "FIXME" not in footer and "abigail.cabunoc@gmail.com" not in footer
    assert (site / "data/branches.tab").is_file()
