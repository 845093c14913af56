"""Issue 84: a newcomer's first imported course.

- H1: every command that needs a course refuses, exit 2 and nothing written, in a folder that is
  not one (an import there wrote 52 files, then failed with exit 1);
- H2: right after an import, the publish steps of the course README and of the generated workflow
  pass together, as written (the import turns on the instructor view, every page links it, and
  `linkcheck` found 19 links to a folder nothing had built): the build writes that view beside.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from support import harness
from tracksite.commands.cli import main

EPISODE = """---
title: {title}
teaching: 5
exercises: 5
---

This episode explains the widget idea in a few plain words for learners.

::: challenge

## Try

Run it.

:::
"""


def tiny_lesson(root: Path, episodes: tuple[str, ...] = ("01-one.md", "02-two.md")) -> Path:
    """A Workbench lesson of plain Markdown episodes, a setup page and instructor notes, made here
    (the tests read nothing outside the repository)."""
    for folder in ("episodes", "learners", "instructors"):
        (root / folder).mkdir(parents=True)
    listed = "".join(f"- {name}\n" for name in episodes)
    (root / "config.yaml").write_text(
        f"title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n{listed}learners:\n- setup.md\ninstructors:\n- notes.md\n"
    )
    for n, name in enumerate(episodes, 1):
        (root / "episodes" / name).write_text(EPISODE.format(title=f"Episode {n}"))
    (root / "learners/setup.md").write_text("---\ntitle: Setup\n---\n\nInstall the tools before you start.\n")
    (root / "instructors/notes.md").write_text("---\ntitle: Notes\n---\n\nTeach the widget slowly.\n")
    return root


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "carpentries", "{src}", "--track", "tiny"],
        ["import", "carpentries", "{src}", "--track", "tiny", "--verify"],
        ["check"],
        ["build"],
        ["build", "--instructor"],
        ["new", "track", "t", "--number", "1", "--title", "T"],
        ["new", "lesson", "t", "l", "--title", "L"],
        ["move", "t", "l", "--first"],
        ["remove", "track", "t"],
        ["export", "scorm"],
        ["pdf"],
    ],
)
def test_every_command_that_needs_a_course_refuses_outside_one_and_writes_nothing(tmp_path, argv):
    src = tiny_lesson(tmp_path / "src")
    empty = tmp_path / "not-a-course"
    empty.mkdir()
    result = harness.tracksite(*[a.format(src=src) for a in argv], cwd=empty)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is not a tracksite course" in result.stderr and "tracksite init" in result.stderr
    assert tree(empty) == []
    assert "Traceback" not in result.stderr


def test_an_import_outside_a_course_exits_2_as_a_shell_sees_it(tmp_path):
    src = tiny_lesson(tmp_path / "src")
    empty = tmp_path / "not-a-course"
    empty.mkdir()
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=empty, process=True)
    assert result.returncode == 2 and tree(empty) == [], result.stderr


def _commands(text: str) -> list[list[str]]:
    """The `tracksite` and `mkdocs` command lines of a README's or workflow's steps, as written."""
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    return [
        shlex.split(re.sub(r"^\.venv/bin/", "", line))
        for line in lines
        if re.match(r"^(\.venv/bin/)?(tracksite|mkdocs) ", line)
    ]


def _run(course: Path, argv: list[str]):
    if argv[0] == "mkdocs":
        assert argv[1] == "build"
        return harness.mkdocs(course, *[a for a in argv[2:] if a != "--strict"])
    return harness.tracksite(*argv[1:], cwd=course)


@pytest.fixture
def imported(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    result = harness.tracksite(
        "import", "carpentries", str(tiny_lesson(tmp_path / "src")), "--track", "tiny", cwd=course
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "instructor_view: true" in (course / "mkdocs.yml").read_text()
    return course


def test_the_course_readmes_publish_steps_pass_right_after_an_import(imported):
    """Old: `tracksite linkcheck site` found 10 broken links here, each to instructor/."""
    readme = (imported / "README.md").read_text()
    steps = _commands(readme[readme.index("## Check and publish") :].split("\n## ")[0])
    assert [argv[:2] for argv in steps] == [["tracksite", "check"], ["mkdocs", "build"], ["tracksite", "linkcheck"]]
    for argv in steps:
        result = _run(imported, argv)
        assert result.returncode == 0, f"{argv}: " + result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 broken" in result.stderr
    learner = harness.page(imported / "site", "tiny/one/")
    link = learner.find("a", href=re.compile(r"instructor/tiny/one/$"))
    assert link is not None  # the page links its instructor view, and the view is there
    instructor = harness.page(imported / "site/instructor", "tiny/one/")
    assert instructor.find("a", href=re.compile(r"\.\./\.\./tiny/one/$")) is not None
    assert (imported / "site/instructor/tiny/instructors/notes/index.html").is_file()
    assert not (imported / "site/tiny/instructors").exists()  # the notes are in the instructor view only


def test_the_generated_workflows_build_job_passes_right_after_an_import(imported):
    workflow = yaml.safe_load((imported / ".github/workflows/publish.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    (imported / "mkdocs.pages.yml").write_text("INHERIT: mkdocs.yml\n")  # the settings step, without a Pages address
    steps = [argv for text in runs for argv in _commands(text)]
    assert [argv[:2] for argv in steps] == [["tracksite", "check"], ["mkdocs", "build"], ["tracksite", "linkcheck"]]
    for argv in steps:
        argv = [a for a in argv if a != "--format" and a != "github"]
        result = _run(imported, argv)
        assert result.returncode == 0, f"{argv}: " + result.stdout[-2000:] + result.stderr[-2000:]
    assert (imported / "site/instructor/index.html").is_file()


def test_linkcheck_says_how_to_build_an_instructor_view_the_pages_link(imported, tmp_path):
    """A learner view built alone (a build another command made, an older tracksite): the
    broken links to instructor/ come with the command that builds that view."""
    assert harness.mkdocs(imported).returncode == 0
    import shutil

    shutil.rmtree(imported / "site/instructor")
    result = harness.tracksite("linkcheck", "site", cwd=imported)
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    assert "link the instructor view (mkdocs.yml: the tracksite plugin's `instructor_view: true`)" in said
    assert "`tracksite build --instructor --beside site`" in said


def test_a_package_exported_from_the_built_site_leaves_the_instructor_view_out(imported, tmp_path):
    """The build now writes the instructor view into site/instructor/: `export --site site` is
    for learners, and copies the learner view only."""
    import zipfile

    assert harness.mkdocs(imported).returncode == 0
    assert (imported / "site/instructor/index.html").is_file()
    out = tmp_path / "offline.zip"
    result = harness.tracksite("export", "offline", "--site", "site", "--out", str(out), cwd=imported)
    assert result.returncode == 0, result.stderr[-2000:]
    names = zipfile.ZipFile(out).namelist()
    assert any(n.endswith("tiny/one/index.html") for n in names)
    assert not [n for n in names if "/instructor/" in f"/{n}" or "instructors" in n], names[:20]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_search_labels_an_imported_learner_page_with_its_track_not_as_a_guide_for_instructors(tmp_path, lang):
    """M5: the Setup page of an imported lesson was "Guide for instructors" ("Guía para docentes")
    in the search's results, as a page of no track."""
    src = tiny_lesson(tmp_path / "src")
    (src / "config.yaml").write_text((src / "config.yaml").read_text() + f"lang: {lang}\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=course)
    assert result.returncode == 0, result.stderr[-2000:]
    assert harness.mkdocs(course).returncode == 0
    setup = harness.page(course / "site", "tiny/learners/setup/")
    where = setup.select_one("[data-search-meta=where]").get_text(strip=True)
    track = setup.select_one("[data-search-filter=track]")
    assert where.endswith(": Tiny") and where.split(":")[0].endswith("1"), where
    assert track is not None and track.get_text(strip=True) == where
    index = " ".join(p.read_text(encoding="utf-8") for p in (course / "site/search-index").rglob("*.json"))
    assert "Guide for instructors" not in index and "Guía para docentes" not in index


def test_a_link_to_an_rmd_episode_finds_the_episode_not_a_stale_knitted_copy_beside_it(tmp_path):
    """M4: `01-intro.md` beside the `01-intro.Rmd` episode (a knitted leftover upstream) was taken
    for the link's target, so links to the episode became text, "not a file type the site publishes"."""
    src = tiny_lesson(tmp_path / "src", episodes=("01-intro.Rmd", "02-two.md"))
    (src / "episodes/01-intro.md").write_text("stale knitted copy\n")
    (src / "episodes/02-two.md").write_text(
        (src / "episodes/02-two.md").read_text() + "\nBack to [the intro](01-intro.md#try).\n"
    )
    (src / "learners/setup.md").write_text(
        "---\ntitle: Setup\n---\n\nRead [the intro](../episodes/01-intro.md) and [again](01-intro.html).\n"
    )
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "not a file type the site publishes" not in result.stdout
    setup = (course / "docs/tiny/learners/setup.md").read_text()
    assert "[the intro](lesson:tiny/intro)" in setup and "[again](lesson:tiny/intro)" in setup, setup
    two = next((course / "lessons/tiny").glob("*/lesson.md"), None)
    bodies = " ".join(p.read_text() for p in (course / "lessons/tiny").glob("*/lesson.md"))
    assert two is not None and "[the intro](lesson:tiny/intro#try)" in bodies


def test_the_sources_broken_anchors_are_said_once_at_import_and_check_build_and_linkcheck_agree(tmp_path):
    """M1: of six links to ids the source lesson has nowhere (a same-page link, a reference
    definition, an HTML link, a link to another episode, and two on a learner page), the import
    said two, check warned about five and passed, the strict build passed, and linkcheck failed on
    twelve (each in both views). Now each is said once, at the source's file and line; the link
    keeps its words (on its own page) or points at its page; and all three pass."""
    src = tiny_lesson(tmp_path / "src")
    one = src / "episodes/01-one.md"
    one.write_text(
        one.read_text()
        + '\nSee [a](#nope1), [b][r], <a href="#nope3">c</a> and [d](02-two.md#nope4); `[e](#in-code)`.\n'
        + "\nAlso [the setup](../learners/setup.md#nope7).\n"
        + "\n[r]: #nope2\n"
    )
    setup = src / "learners/setup.md"
    setup.write_text(setup.read_text() + "\nSee [e](#nope5) and [f](../episodes/01-one.md#nope6), [g](#install).\n")
    setup.write_text(setup.read_text().replace("Install the tools", "## Install\n\nInstall the tools"))
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    warned = [line for line in result.stdout.splitlines() if line.startswith("warning:") and "#nope" in line]
    lines = one.read_text().splitlines()
    at = {n: next(i for i, text in enumerate(lines, 1) if f"#nope{n}" in text) for n in (1, 2, 3, 4, 7)}
    for n in (1, 2, 3, 4, 7):
        assert sum(f"episodes/01-one.md:{at[n]}: link to " in w and f"#nope{n}" in w for w in warned) == 1, warned
    setup_line = next(i for i, text in enumerate(setup.read_text().splitlines(), 1) if "#nope5" in text)
    assert sum(w.startswith(f"warning: learners/setup.md:{setup_line}: link to") for w in warned) == 2, warned
    assert len(warned) == 7 and all("a mistake upstream" in w for w in warned)
    body = (course / "lessons/tiny/one/lesson.md").read_text()
    assert "See a, " in body and "[d](lesson:tiny/two)" in body and "`[e](#in-code)`" in body
    assert "[the setup](../learners/setup.md)" in body
    assert "[g](#install)" in (course / "docs/tiny/learners/setup.md").read_text()  # a heading it has: kept
    check = harness.tracksite("check", cwd=course)
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stderr, check.stdout + check.stderr
    assert harness.mkdocs(course).returncode == 0
    links = harness.tracksite("linkcheck", "site", cwd=course)
    assert links.returncode == 0 and " 0 broken" in links.stderr, links.stdout[-3000:]


def test_a_new_lesson_titled_with_every_mark_passes_its_own_check_and_shows_the_title(tmp_path):
    """Low: `\\[d\\]`, the escaped brackets of the title in the starter's prose, is also TeX's
    display-math pair: the check read a formula under `math: none` (TS508) and refused the lesson."""
    title = "a: b # c, [d] {e} & *f !g | > '\" ---"
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Marks"]) == 0
    assert harness.tracksite("new", "track", "t", "--number", "1", "--title", "T", cwd=course).returncode == 0
    made = harness.tracksite("new", "lesson", "t", "marks", "--title", title, cwd=course)
    assert made.returncode == 0, made.stderr
    (course / "lessons/t/marks/lesson.md").write_text(
        (course / "lessons/t/marks/lesson.md").read_text().replace("status: draft", "")
    )
    assert harness.tracksite("check", cwd=course).returncode == 0
    assert harness.mkdocs(course).returncode == 0
    text = " ".join(harness.page(course / "site", "t/marks/").select_one("article").get_text(" ").split())
    assert f"Explain {title} to a classmate" in text


def test_check_whose_state_folder_cannot_be_looked_at_checks_without_its_cache(tmp_path):
    """Low: `tracksite check` by another user on a read-only checkout stopped with "permission
    denied (.../journal)": looking for an interrupted edit's journal in a state folder this user
    cannot look into raised. The same refusal of the system, made here without a second user: a
    state folder whose path the system refuses (too long). Checked without the cache, as the
    README says, and said so."""
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    unusable = str(tmp_path / "/".join(["d" * 200] * 25))
    result = harness.tracksite("check", cwd=course, env={"TRACKSITE_CACHE_DIR": unusable})
    assert result.returncode == 0, result.stderr[-500:]
    assert "note: checked without a cache" in result.stderr and "0 errors" in result.stderr


REFERENCE_FORMS = """---
title: Referencia
---

## Glosario

**library** o biblioteca
:   A collection of functions one loads by name.

**CSV** (archivo)
:   A text file of values separated by commas.

<dl>
<dt>data frame</dt>
<dd>A table whose columns may hold <em>different</em> types.</dd>
<dt>vector</dt>
<dd>An ordered run of values of one type.</dd>
</dl>
"""


def test_a_glossary_in_html_and_terms_with_a_translation_or_a_qualifier_reach_the_tracks_glossary(tmp_path):
    """M6: an HTML glossary was ignored without a word, and `**library** o biblioteca` or `**CSV**
    (archivo)` were looked for whole in the lessons, found in none, and left on the reference page."""
    import yaml as pyyaml

    src = tiny_lesson(tmp_path / "src")
    (src / "config.yaml").write_text(
        (src / "config.yaml").read_text().replace("- setup.md\n", "- setup.md\n- reference.md\n")
    )
    (src / "learners/reference.md").write_text(REFERENCE_FORMS)
    one = src / "episodes/01-one.md"
    one.write_text(one.read_text() + "\nLoad the biblioteca, then read a CSV file into a data frame of one vector.\n")
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny"]) == 0
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    terms = {t["term"]: t for t in pyyaml.safe_load((course / "lessons/tiny/glossary.yml").read_text())["terms"]}
    assert set(terms) == {"library o biblioteca", "CSV (archivo)", "data frame", "vector"}, terms
    assert terms["library o biblioteca"]["aliases"] == ["library", "biblioteca"]
    assert terms["CSV (archivo)"]["aliases"] == ["CSV"]
    assert terms["data frame"]["definition"] == "A table whose columns may hold different types."
    assert all(t["lesson"] == "one" for t in terms.values())
    check = harness.tracksite("check", cwd=course)
    assert check.returncode == 0 and "0 warnings" in check.stderr, check.stdout + check.stderr
    assert harness.mkdocs(course).returncode == 0
    glossary = harness.page(course / "site", "tiny/glossary/")
    shown = " ".join(glossary.select_one("article").get_text(" ").split())
    assert "data frame" in shown and "biblioteca" in shown and "CSV" in shown
