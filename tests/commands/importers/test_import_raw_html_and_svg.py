"""Issue 73: lessons of the Workbench format import clean whatever raw HTML and SVG they carry.

- raw HTML that a lesson script drove (cloud-genomics' platform `<select onchange=...>`) is made
  inert with a note: the control that only the script worked goes, handlers and script links of
  other elements go, their content stays; the check then has nothing to refuse;
- an SVG's style rules that load from another host (Mermaid's Font Awesome `@import`,
  Excalidraw's `@font-face`) are removed at import with a note, the rest of the style kept.

The snippets are written for these tests in the shape the lessons have.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from support.sites import run_mkdocs
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries.episode import Context, convert
from tracksite.commands.importers.pipeline import rawclean
from tracksite.commands.importers.pipeline.svgclean import publishable
from tracksite.core.checks import rawhtml
from tracksite.core.site import svgsafe

SELECT = (
    '**Please select the platform: <select id="id_platform" name="platformlist" '
    "onchange=\"change_content_by_platform('id_platform');return false;\">"
    '<option value="aws" id="id_aws" selected> AWS </option>'
    '<option value="cyverse" id="id_cyverse"> CyVerse </option></select>**'
)


def test_a_form_control_only_a_script_worked_is_left_out_with_a_note():
    ep = convert(f"## Logging on\n\n{SELECT}\n\nConnect with ssh.\n", 10, Context(episode_slugs={}))
    assert "**Please select the platform:**" in ep.body
    assert "select" not in ep.body.replace("Please select", "") and "onchange" not in ep.body
    assert [(n.line, n.message) for n in ep.notes] == [
        (
            12,
            "an HTML <select> that only a lesson script worked (onchange=) was left out: the site runs no lesson scripts",
        )
    ]
    assert rawhtml.findings(ep.body, 1) == []


@pytest.mark.parametrize(
    ("line", "kept", "removed"),
    [
        ('<a href="#top" onclick="go()">top</a>', '<a href="#top">top</a>', "onclick="),
        ('<a href="javascript:go()">run</a>', "<a>run</a>", "href="),
        ("<img src='fig/a.png' onerror=\"x()\" alt='A'/>", "<img src='fig/a.png' alt='A' />", "onerror="),
        ('<button type="button" onClick="toggle()">Show</button> the hint', " the hint", "<button>"),
    ],
)
def test_handlers_and_script_links_go_and_the_element_stays(line, kept, removed):
    out, notes = rawclean.sanitize(line)
    assert out == kept and len(notes) == 1 and removed in notes[0]
    assert rawhtml.findings(out, 1) == []


def test_html_shown_as_code_is_left_as_it_is():
    line = 'Write `<button onclick="go()">` in the page.'
    assert rawclean.sanitize(line) == (line, [])


MERMAID = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">'
    '<style>@import url("https://cdn.example.org/font-awesome/all.min.css");\'</style>'
    '<style><![CDATA[\n@font-face { font-family: Virgil; src: url("https://excalidraw.example/Virgil.woff2"); }\n'
    '@font-face { font-family: Local; src: url("Local.woff2"); }\n'
    ".label { font-family: Virgil, sans-serif; fill: #333; }\n]]></style>"
    '<foreignObject width="100" height="40"><div xmlns="http://www.w3.org/1999/xhtml" '
    'style="display: inline-block;"><span class="edgeLabel">Checks periodically</span></div></foreignObject>'
    '<text class="label" x="5" y="30">Start</text></svg>'
)


def test_style_rules_that_load_from_another_host_are_removed_at_import():
    assert any("another host" in m or "third party" in m for _, m in svgsafe.review(MERMAID).refused)
    plain, notes = publishable(MERMAID)
    assert svgsafe.review(plain).refused == []
    assert notes == [
        "style rules that load from another host (@import https://cdn.example.org/font-awesome/all.min.css, "
        "@font-face https://excalidraw.example/Virgil.woff2): the page's fonts are used"
    ]
    assert "Local.woff2" in plain and ".label { font-family: Virgil" in plain and "Checks periodically" in plain


def _convert(text: str, first_line: int = 1):
    return convert(text, first_line, Context(episode_slugs={}))


def test_links_to_headings_reach_them_as_pandoc_names_them():
    """A call-out's `{#id}`, a challenge's title, a repeated heading (Pandoc numbers it `-1`), a
    heading whose Pandoc id keeps a triple hyphen: each link of the source finds its target."""
    from tracksite.core.markdown.anchors import anchors

    ep = _convert(
        "See [deps](#dependencies), [the exercise](#exercise-new-requirements), "
        "[the second](#salida-estándar-1) and [proxy](#networks---proxy-needed).\n\n"
        "::::: callout\n\n## Teaching Episodes with Dependencies {#dependencies}\n\nText.\n\n:::::\n\n"
        "::::: challenge\n\n## Exercise: New Requirements\n\nDo it.\n\n:::: solution\n\nDone.\n\n::::\n\n:::::\n\n"
        "## Salida estándar\n\nUno.\n\n## Salida estándar\n\nDos.\n\n"
        "### Networks - Proxy Needed\n\nSet it.\n"
    )
    assert "{#dependencies}" not in ep.body and "/// note | Teaching Episodes with Dependencies\n" in ep.body
    assert "networks---proxy-needed" in ep.body  # the link's target keeps its hyphens (no em dash)
    ids = anchors(ep.body)
    assert {"dependencies", "exercise-new-requirements", "salida-estándar", "salida-estándar-1"} <= ids
    assert "networks---proxy-needed" in ids


def test_a_fenced_div_inside_a_block_quote_is_the_block_it_is_in_pandoc():
    ep = _convert(
        "1. Which command starts a repository?\n\n  ```\n  a. git init\n  ```\n\n"
        "  > :::::::::::::::  solution\n  > \n  > ## Solution\n  > \n  > `git init` does.\n  > \n"
        "  > :::::::::::::::::::::::::\n"
    )
    assert ":::" not in ep.body and "> " not in ep.body
    assert "/// details | Solution\n\n`git init` does.\n\n///" in ep.body


def test_a_table_rule_written_orgs_way_makes_a_table():
    import markdown as md

    ep = _convert("| Good | Avoid |\n|------+-------|\n| a_b  | a b   |\n")
    html = md.markdown(ep.body, extensions=["tables"])
    assert "<table>" in html and "+" not in html


def test_commented_out_text_is_not_counted_as_the_readers():
    from tracksite.commands.importers.pipeline.counting import count_source

    text = "Text.\n\n<!--\n::: callout\n\n## Hidden\n\n![](fig/a.png){alt='a'}\n:::\n-->\n\n## Shown\n"
    counts = count_source(text)
    assert counts["callouts"] == 0 and counts["figures"] == 0 and counts["headings"] == 1


EXCERPTS = Path(__file__).resolve().parents[2] / "data" / "carpentries" / "issue73-excerpts"


@pytest.fixture(scope="module")
def excerpts(tmp_path_factory):
    """Excerpts of four real lessons (tests/data/carpentries/README.md) imported into one course."""
    tmp = tmp_path_factory.mktemp("issue73")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Excerpts"]) == 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["--root", str(course), "import", "carpentries", str(EXCERPTS), "--track", "mixed"])
    return course, code, out.getvalue()


def _check_and_strict_build(course: Path, site: Path) -> None:
    """`tracksite check` and `mkdocs build --strict` give one verdict, and it is a pass."""
    check_out = io.StringIO()
    with contextlib.redirect_stdout(check_out), contextlib.redirect_stderr(check_out):
        checked = main(["--root", str(course), "check", "--errors-only"])
    built = run_mkdocs(course, site=site)
    assert (checked == 0) == (built.returncode == 0), (check_out.getvalue()[-2000:], built.stderr[-2000:])
    assert checked == 0, check_out.getvalue()[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["git-novice", "python-ecology", "r-gapminder"])
def test_check_and_the_strict_build_agree_on_every_vendored_lesson(name, tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", name]) == 0
    source = EXCERPTS.parent / name
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "t", "--no-execute"])
    assert code == 0, out[-3000:]
    _check_and_strict_build(course, tmp_path / "site")


@pytest.mark.slow
def test_the_excerpts_import_clean_and_check_agrees_with_the_strict_build(excerpts, tmp_path):
    """Lucidchart's and Mermaid's SVGs, a platform `<select onchange>`, Org's table rule, quoted
    solutions and call-outs with `{#id}` linked from a table: the import goes through, and
    `tracksite check` and `mkdocs build --strict` give the same verdict on what it wrote."""
    course, code, output = excerpts
    assert code == 0, output[-3000:]
    _check_and_strict_build(course, tmp_path / "site")
    site = tmp_path / "site" / "mixed"
    demo = (site / "learners" / "demo_lessons" / "index.html").read_text(encoding="utf-8")
    assert 'id="dependencies"' in demo and 'href="#dependencies"' in demo
    svg = (site / "software-architecture-design" / "example-architecture-diagram.svg").read_text(encoding="utf-8")
    assert "Checks periodically" in svg and "cdnjs" not in svg
    cloud = (site / "logging-onto-cloud" / "index.html").read_text(encoding="utf-8")
    assert "onchange" not in cloud and "Please select the platform" in cloud
    mistakes = (site / "common-mistakes" / "index.html").read_text(encoding="utf-8")
    assert "Max_temp_C</td>" in mistakes and "+----" not in mistakes


TINY = {
    "config.yaml": "title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-files.md\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\nA lesson about files.\n",
    "episodes/01-files.md": "---\ntitle: Files\nteaching: 10\nexercises: 5\n---\n\n"
    "::: objectives\n- List files.\n:::\n\nWe look at files in this episode and at what they hold.\n\n"
    "::::: challenge\n\n:::::\n\n## Listing\n\nUse `ls`; the [cheat sheet](files/cheatsheet.html) lists more.\n",
    "episodes/files/cheatsheet.html": '<!DOCTYPE html><html><head><meta charset="utf-8">'
    "<script>document.title = 'Shell';</script></head><body><h1>Shell</h1><p><code>ls</code> lists.</p></body></html>",
}


def _lesson(root: Path) -> Path:
    for rel, text in TINY.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(args)
    return code, out.getvalue()


@pytest.mark.slow
def test_one_tracks_errors_never_stop_anothers_import_and_verify_compares_later(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Two tracks"]) == 0
    assert main(["--root", str(course), "new", "track", "other", "--number", "5", "--title", "Other"]) == 0
    intro = course / "lessons" / "other" / "introduction" / "lesson.md"
    published = re.sub(r"(?m)^status: draft.*\n", "", intro.read_text(encoding="utf-8"))  # a draft's errors wait
    intro.write_text(published + "\nSee [gone](lesson:other/nowhere).\n", encoding="utf-8")
    source = _lesson(tmp_path / "src")
    report = tmp_path / "report.json"
    code, out = _run(
        ["--root", str(course), "import", "carpentries", str(source), "--track", "tiny", "--report", str(report)]
    )
    assert code == 0, out
    assert "the imported track has no errors" in out and "other tracks have 1 error(s)" in out
    assert "lessons/other/introduction/lesson.md" in out
    # the empty upstream challenge is no error: left out with a note at its source line
    assert "episodes/01-files.md:13: a challenge with no task text in the source was left out" in out
    assert "no page was built, so none was compared" in out and "count(s) differ" not in out
    assert all(e["page_counts"] is None for e in json.loads(report.read_text(encoding="utf-8"))["episodes"])
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny", "--verify"])
    assert code == 1 and "no page was compared" in out
    intro.write_text(intro.read_text(encoding="utf-8").replace("lesson:other/nowhere", "lesson:other/introduction"))
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny", "--verify"])
    assert code == 0 and "verified: the built learner pages of 1 episodes" in out, out
    # the HTML cheat sheet with a <script> and a <meta> is a download, zipped: never a page of the site
    archive = course / "docs" / "tiny" / "files" / "cheatsheet.html.zip"
    assert zipfile.ZipFile(archive).read("cheatsheet.html").startswith(b"<!DOCTYPE html>")
    assert "(../files/cheatsheet.html.zip)" in (course / "lessons/tiny/files-episode/lesson.md").read_text(
        encoding="utf-8"
    )


def test_remove_track_keeps_the_files_aside_and_refuses_while_another_track_links_to_it(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Removal"]) == 0
    for slug, number in (("gone", 5), ("stays", 6)):
        assert main(["--root", str(course), "new", "track", slug, "--number", str(number), "--title", slug]) == 0
    intro = course / "lessons" / "stays" / "introduction" / "lesson.md"
    text = intro.read_text(encoding="utf-8")
    intro.write_text(text + "\nSee [the other track](lesson:gone/introduction).\n", encoding="utf-8")
    code, out = _run(["--root", str(course), "remove", "track", "gone"])
    assert code == 1 and "lesson:gone/introduction" in out and (course / "lessons" / "gone").is_dir()
    intro.write_text(text, encoding="utf-8")
    code, out = _run(["--root", str(course), "remove", "track", "gone"])
    assert code == 0 and "removed lessons/gone/" in out, out
    assert not (course / "lessons" / "gone").exists() and not (course / "cheatsheets" / "gone").exists()
    kept = list((course / ".tracksite" / "removed").glob("gone-*/lessons/track.yml"))
    assert len(kept) == 1
    assert _run(["--root", str(course), "check"])[0] == 0


def test_packages_a_lock_file_only_lists_are_one_line_per_file():
    from tracksite.commands.importers.carpentries.rpackages import Needs, Shortfall

    lock = "renv/profiles/lesson-requirements/renv.lock"
    short = Shortfall(
        missing=[("dplyr", "episodes/01.Rmd:3")] + [(f"pkg{i}", f"{lock}:{10 + i}") for i in range(40)],
        older=[("ggplot2", "3.4.0", "3.5.0", f"{lock}:5")],
    )
    lines = short.lines(Needs(loaded={"dplyr": "episodes/01.Rmd:3"}))
    assert lines == [
        "episodes/01.Rmd:3: the R package dplyr is not installed",
        f"{lock}:1: 40 R package(s) it lists are not installed (the lesson's code does not load them): "
        "pkg0, pkg1, pkg2, pkg3, pkg4, pkg5, pkg6, pkg7 and 32 more",
        f"{lock}:5: the R package ggplot2 is 3.4.0 here, older than 3.5.0",
    ]


def test_a_caption_keeps_its_photo_credit_links_and_the_alt_text_its_words():
    ep = _convert("![A plot. Photo: [Ann Lee](https://example.org/ann), CC BY](fig/plot.png)\n")
    assert ep.body.startswith("![A plot. Photo: Ann Lee, CC BY](plot.png)")
    assert "/// caption\nA plot. Photo: [Ann Lee](https://example.org/ann), CC BY\n///" in ep.body
    figure = (
        '<figure><img src="fig/cat.png" alt="A cat"><figcaption>A cat [asleep]. Photo: '
        '<a href="https://example.org/c">Ann</a></figcaption></figure>'
    )
    ep = _convert(figure + "\n")
    assert "/// caption\nA cat (asleep). Photo: [Ann](https://example.org/c)\n///" in ep.body


def test_a_problem_of_the_imported_track_names_the_source_line_it_came_from(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Lines"]) == 0
    files = dict(TINY)
    files["episodes/01-files.md"] += "\nSee [the other lesson](lesson:nowhere/at-all) for more.\n"
    source = tmp_path / "src"
    for rel, text in files.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny"])
    line = files["episodes/01-files.md"].splitlines().index("See [the other lesson](lesson:nowhere/at-all) for more.")
    assert code == 1 and "[TS301] broken link 'lesson:nowhere/at-all'" in out
    assert re.search(rf"lessons/tiny/files-episode/lesson\.md:\d+ comes from episodes/01-files\.md:{line + 1} ", out), (
        out
    )


@pytest.mark.parametrize("link", ["[the data](<my data.csv>)", "[a section](<#no such heading>)"])
def test_a_link_target_with_spaces_is_checked_and_the_build_agrees(course, tmp_path, link):
    """Python-Markdown links `](<my data.csv>)`, and MkDocs' validation let it pass: check read
    no such target either, so the broken link was published. Both now stop at its line."""
    from support.course import lesson_md, write

    write(course, "lessons/alpha/a1/lesson.md", lesson_md("Alpha one", body=f"Intro {link} end.\n\n" + "Words. " * 60))
    code, out = _run(["--root", str(course), "check", "--errors-only"])
    built = run_mkdocs(course, site=tmp_path / "site")
    assert code == 1 and "lessons/alpha/a1/lesson.md:12:" in out and "broken link" in out, out
    assert built.returncode != 0 and "lessons/alpha/a1/lesson.md:12:" in built.stderr + built.stdout


@pytest.mark.slow
def test_an_instructor_note_is_rendered_once_and_its_changes_count_on_no_learner_page(tmp_path):
    """An `::: instructor` note was rendered twice (for the leak probes, then for the page): each
    of its notes was listed twice, and its lost links were taken from the learner page's count,
    which never held them, so the import's own verification failed (source 1 link, page 1,
    expected -1)."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Notes"]) == 0
    files = dict(TINY)
    files["instructors/icebreakers.md"] = "---\ntitle: Icebreakers\n---\n\nAsk each other a question.\n"
    files["episodes/01-files.md"] += (
        "\n::: instructor\n\n## Getting to know each other\n\n"
        "Start with an [icebreaker question](icebreakers.md) while people arrive in the room.\n\n:::\n"
    )
    source = tmp_path / "src"
    for rel, text in files.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny"])
    assert code == 0, out
    line = (
        files["episodes/01-files.md"]
        .splitlines()
        .index("Start with an [icebreaker question](icebreakers.md) while people arrive in the room.")
        + 1
    )
    said = [x for x in out.splitlines() if "link to icebreakers.md" in x]
    assert len(said) == 1 and f"episodes/01-files.md:{line}:" in said[0], out
    assert "verified: the built learner pages of 1 episodes" in out, out


JAPANESE = {
    "config.yaml": "title: 'データの読み込み'\nlicense: 'CC-BY 4.0'\nlang: 'ja'\nepisodes:\n- 01-read.md\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\nこのレッスンでは、表形式のデータを読み込む方法を学びます。\n",
    "episodes/01-read.md": "---\ntitle: データの読み込み\nteaching: 10\nexercises: 5\n---\n\n"
    "::: objectives\n\n- CSVファイルを読み込む。\n\n:::\n\n## データフレーム\n\n"
    "表形式のデータは[データフレーム](#データフレーム)として読み込めます。\n\n"
    "::: challenge\n\n## 行数\n\n行数を数えるにはどうしますか？\n\n::: solution\n\n### 解説\n\n"
    "`len(df)` を使います。\n\n:::\n\n:::\n",
}


@pytest.mark.slow
def test_a_lesson_in_a_language_the_interface_lacks_passes_check_and_the_strict_build(tmp_path):
    """A Japanese lesson: check passed it, and the strict build failed on the warning that the
    interface has no Japanese strings, something no course can mend."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Japanese"]) == 0
    source = tmp_path / "src"
    for rel, text in JAPANESE.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    code, out = _run(["--root", str(course), "import", "carpentries", str(source), "--track", "ja"])
    assert code == 0 and "verified: the built learner pages of 1 episodes" in out, out[-3000:]
    _check_and_strict_build(course, tmp_path / "site")
    page = (tmp_path / "site" / "ja" / "read" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in page and 'href="#データフレーム"' in page


JEKYLL = (
    "Some files should stay out of the repository.\n\n"
    "> ## Nested files\n>\n> Which line ignores only `results/plots`?\n>\n"
    "> > ## Solución\n> >\n> > Add `results/plots/` to the file.\n> {: .solution}\n{: .challenge}\n\n"
    "> A plain quote stays a quote.\n\n"
    "> ### Marked inside the quote\n>\n> kramdown gave the class to the paragraph, not the quote.\n> {: .solution}\n\n"
    "```\n> ## Shown as typed\n{: .challenge}\n```\n"
)


def test_a_block_quote_marked_as_a_challenge_jekylls_way_is_that_block():
    """A lesson still in Jekyll's styles (`> ## Title ... {: .challenge}`, as older translations
    are) showed its challenges as quotes with `## ` headings, and the verification failed."""
    ep = _convert(JEKYLL, 5)
    assert "//// exercise | Nested files" in ep.body and "/// solution\n" in ep.body
    assert "Solución" not in ep.body and "{: ." not in ep.body.split("```")[0]
    assert (
        "> A plain quote stays a quote." in ep.body
        and "> ### Marked inside the quote" in ep.body
        and "> ## Shown as typed\n{: .challenge}" in ep.body
    )
    assert any(n.line == 5 and "2 block quote(s)" in n.message for n in ep.notes)
    from tracksite.commands.importers.pipeline.counting import count_source

    counts = count_source(JEKYLL)
    assert (counts["exercises"], counts["solutions"], counts["headings"]) == (1, 1, 0)


def test_a_heading_inside_a_collapsed_block_is_not_one_of_the_pages():
    """A spoiler's `#### Uploading with scp` became a heading inside the `<details>` (of its
    admonition type's class, not `details`): the page counted it, the source did not."""
    from tracksite.commands.importers.pipeline.counting import count_page, count_source

    source = "## Moving data\n\n::: spoiler\n\n### SCP\n\n#### Uploading\n\nUse scp.\n\n:::\n"
    page = (
        '<article class="ts-page"><h2 id="moving-data">Moving data</h2><details class="note"><summary>SCP'
        '</summary><h4 id="uploading">Uploading</h4><p>Use scp.</p></details></article>'
    )
    assert count_source(source)["headings"] == count_page(page)["headings"] == 1
