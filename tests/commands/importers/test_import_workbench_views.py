"""Issue 73: what the Workbench gives learners and instructors, given by an imported lesson.

Two Workbench lessons (an English one in two episodes, a Spanish one in one) are imported into one
course, built as the generated workflow builds it (the learner site, then the instructor view
beside it under `instructor/`), and the built HTML is read:

- every page links its instructor version and back; a `::: instructor` note shows in its own
  episode's instructor page only; the instructors/ page is a page of the instructor view only,
  and the instructor's bar links it and the schedule;
- Learner profiles are a learner page, in the bar and the search; Setup is in the bar of the
  track page; the home page links every track's Setup; the learner pages are the track's (no
  "For instructors" footer, searched, in the track's language, the landing page titled in it and
  carrying the lesson's life-cycle badge);
- group tabs are tabs; glossary terms written in bold reach the glossary; a `.sqlite` database
  is published and its link reaches it.

The lessons are written for these tests, in the Workbench's layout (their structure follows The
Carpentries' spreadsheet and SQL lessons, CC BY 4.0; the sentences are this file's own).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from support import harness
from support.harness import page
from tracksite import theme as theme_files
from tracksite.commands.cli import main

EPISODE_ONE = """---
title: Opening the survey data
teaching: 10
exercises: 5
---

::: objectives

- open a database of survey records

:::

The survey records live in one file: [the survey database](data/survey.sqlite). Open it with
any SQLite browser before the next episode.

::: instructor

Learners on lab machines may lack a database browser: check the room before the session.

:::

::: challenge

## Count the tables

How many tables does the database hold?

::: solution

Three.

:::

:::
"""

EPISODE_TWO = """---
title: Checking values
teaching: 15
exercises: 10
---

::: objectives

- restrict the values a column accepts

:::

Data validation stops a typing slip from reaching the analysis.

::: group-tab

### Excel

Choose **Data**, then **Data Validation**, and allow whole numbers only.

### Calc

Choose **Data**, then **Validity**, and allow whole numbers only.

:::

::: instructor

Show the error dialog live: typing a letter into the checked column makes the point at once.

:::

::: challenge

## Try a wrong value

Type a letter into the checked column. What happens?

::: solution

The program refuses it.

:::

:::
"""

SETUP = """---
title: Setup
---

Download the survey database and install the latest version of a spreadsheet program.
"""

REFERENCE_EN = """---
title: 'Reference'
---

## Glossary

data validation
:   A rule that limits what a cell accepts.
"""

PROFILES = """---
title: FIXME
---

Ana keeps field records in spreadsheets and wants fewer typing slips in them.
"""

NOTES = """---
title: Instructor Notes
---

## Timing

The validation episode runs long when learners use both programs: pick one for the demonstration.
"""

INDEX_EN = """---
site: sandpaper::sandpaper_site
---

This lesson shows how to keep survey data tidy in spreadsheets and databases.

If you teach it, see the [Instructor Notes](instructors/instructor-notes.md).
"""

EPISODE_ES = """---
title: Datos ordenados
teaching: 0
exercises: 5
---

::: objectives

- guardar cada variable en su propia columna

:::

Una tabla ordenada guarda una observación por fila; cada celda tiene un solo valor y la
salida de un programa se copia sin cambios. Un delimitador separa los campos.

::: challenge

## Ordenar una tabla

¿Qué columnas tendría la tabla ordenada?

::: solution

Una por variable.

### Por qué

Cada variable se mide aparte.

:::

:::

## Por qué

Una tabla así se analiza sin transformarla antes.
"""

REFERENCE_ES = """---
title: 'Referencias'
---

## Glosario

**observación**
: Un registro de una fila de la tabla.

**celda**
: La intersección de una fila y una columna.

**delimitador**
: El carácter que separa los campos de un archivo de texto.
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def english_lesson(root: Path) -> Path:
    _write(
        root,
        {
            "config.yaml": "title: 'Tidy Survey Data'\nlicense: 'CC-BY 4.0'\nlife_cycle: 'beta'\n"
            "episodes:\n- 01-opening.md\n- 02-checking.md\n",
            "index.md": INDEX_EN,
            "episodes/01-opening.md": EPISODE_ONE,
            "episodes/02-checking.md": EPISODE_TWO,
            "learners/setup.md": SETUP,
            "learners/reference.md": REFERENCE_EN,
            "instructors/instructor-notes.md": NOTES,
            "profiles/learner-profiles.md": PROFILES,
        },
    )
    (root / "episodes/data").mkdir()
    with sqlite3.connect(root / "episodes/data/survey.sqlite") as db:
        db.execute("CREATE TABLE plots (id INTEGER PRIMARY KEY, kind TEXT)")
        db.execute("INSERT INTO plots (kind) VALUES ('control')")
    return root


def spanish_lesson(root: Path) -> Path:
    return _write(
        root,
        {
            "config.yaml": "title: 'Datos ordenados'\nlicense: 'CC-BY 4.0'\nlang: 'es'\nlife_cycle: 'stable'\n"
            "episodes:\n- 01-ordenados.md\n",
            "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\nEsta lección enseña a ordenar tablas de datos.\n",
            "episodes/01-ordenados.md": EPISODE_ES,
            "learners/setup.md": "---\ntitle: Configuración\n---\n\nInstale una hoja de cálculo.\n",
            "learners/reference.md": REFERENCE_ES,
        },
    )


def workflow_run(name: str) -> list[str]:
    """The command a step of the generated publishing workflow runs, as arguments."""
    jobs = yaml.safe_load((theme_files.STARTER / "publish.yml").read_text(encoding="utf-8"))["jobs"]
    step = next(s for s in jobs["build"]["steps"] if s.get("name") == name)
    return step["run"].replace("-f mkdocs.pages.yml", "").split()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("views")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Views"]) == 0
    for src, track in ((english_lesson(tmp / "en"), "survey"), (spanish_lesson(tmp / "es"), "ordenados")):
        out = harness.tracksite("--root", str(course), "import", "carpentries", str(src), "--track", track)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    # the workflow's "Build" (mkdocs.pages.yml only adds site_url), which writes the instructor
    # view beside the learner site (issue 84: it had a step of its own, missing from the README's)
    command = workflow_run("Build")
    assert command[:2] == ["mkdocs", "build"]
    harness.build(course)
    return course / "site"


def target(site: Path, url: str, href: str) -> Path:
    """The file a link of the page at `url` leads to."""
    path = urljoin(f"https://x/{url}", href).removeprefix("https://x/").split("#")[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def bar(soup: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in soup.select("nav.ts-nav a[href]")}


def test_every_page_links_its_instructor_version_and_back(site):
    for url in ("", "survey/", "survey/checking/", "survey/learners/setup/", "ordenados/ordenados/"):
        soup = page(site, url)
        link = soup.select_one("nav.ts-nav a[data-ts-view=instructor]")
        assert link is not None, url
        there = target(site, url, link["href"])
        assert there == site / "instructor" / url / "index.html" and there.is_file(), url
        back = BeautifulSoup(there.read_text(encoding="utf-8"), "lxml").select_one("a[data-ts-view=learner]")
        assert target(site, f"instructor/{url}", back["href"]) == site / url / "index.html", url
    for missing in (site / "404.html", site / "instructor/404.html"):  # shown at any address: no other view
        assert BeautifulSoup(missing.read_text(encoding="utf-8"), "lxml").select("a[data-ts-view]") == []
    spanish = page(site, "instructor/ordenados/ordenados/").select_one("a[data-ts-view=learner]")
    assert spanish.get_text(strip=True) == "Vista para estudiantes"


def test_instructor_notes_show_at_their_own_episode_in_the_instructor_view_only(site):
    room, dialog = "check the room before the session", "makes the point at once"
    one, two = page(site, "instructor/survey/opening/").get_text(), page(site, "instructor/survey/checking/").get_text()
    assert room in one and dialog not in one
    assert dialog in two and room not in two
    for url in ("survey/opening/", "survey/checking/"):
        text = page(site, url).get_text()
        assert room not in text and dialog not in text, url
    notes = page(site, "instructor/survey/instructors/instructor-notes/")
    assert "pick one for the demonstration" in notes.get_text()
    assert not (site / "survey/instructors").exists()
    assert "pick one for the demonstration" not in page(site, "survey/opening/").get_text()
    links = bar(page(site, "instructor/survey/checking/"))
    assert target(site, "instructor/survey/checking/", links["Instructor Notes"]) == (
        site / "instructor/survey/instructors/instructor-notes/index.html"
    )
    schedule = target(site, "instructor/survey/checking/", links["Instructor schedule"])
    assert schedule.is_file() and "Checking values" in schedule.read_text(encoding="utf-8")
    assert "Instructor Notes" not in bar(page(site, "survey/checking/"))


def test_learner_profiles_and_setup_are_learner_pages_in_every_bar(site):
    for url in ("survey/", "survey/opening/", "survey/learners/setup/"):
        links = bar(page(site, url))
        assert target(site, url, links["Setup"]) == site / "survey/learners/setup/index.html", url
        assert target(site, url, links["Learner profiles"]).is_file(), url
    profiles = page(site, "survey/learners/learner-profiles/")
    assert "fewer typing slips" in profiles.select_one("[data-search-body]").get_text()
    assert "For instructors" not in profiles.select_one("footer").get_text()
    home = page(site, "")
    setups = {target(site, "", a["href"]) for a in home.select(".ts-track-card__pages a")}
    assert {site / "survey/learners/setup/index.html", site / "ordenados/learners/setup/index.html"} <= setups


def test_the_landing_page_is_the_tracks_in_its_language_with_its_status(site):
    landing = page(site, "survey/learners/")
    assert landing.find("h1").get_text(strip=True) == "About this lesson"
    assert "Beta" in landing.select_one(".admonition").get_text()
    assert bar(page(site, "survey/"))["About this lesson"] == "learners/"  # the landing page, linked
    spanish = page(site, "ordenados/learners/setup/")
    words = spanish.select_one("nav.ts-nav").get_text(" ", strip=True)
    assert "Track " not in words and "Itinerario" in words
    assert spanish.select_one("[data-search-body]") is not None
    assert "Para docentes" not in spanish.select_one("footer").get_text()
    assert page(site, "ordenados/learners/").find("h1").get_text(strip=True) == "Acerca de esta lección"
    guides = " ".join(a.get_text() for a in page(site, "").select("nav.ts-nav a"))
    assert "About this lesson" not in guides and "Introduction" not in guides


def test_group_tabs_are_tabs(site):
    soup = page(site, "survey/checking/")
    tabs = soup.select(".tabbed-set")
    assert len(tabs) == 1
    assert [label.get_text(strip=True) for label in tabs[0].select(".tabbed-labels label")] == ["Excel", "Calc"]
    assert "Validity" in tabs[0].get_text()
    assert not [t for t in soup.select(".admonition-title") if t.get_text(strip=True) == "Excel"]


def test_glossary_terms_written_in_bold_reach_the_glossary(site):
    terms = {dt.get_text(" ", strip=True).lower() for dt in page(site, "ordenados/glossary/").select("dt")}
    assert {"observación", "celda", "delimitador"} <= terms


def test_a_sqlite_database_is_published_and_its_link_reaches_it(site):
    soup = page(site, "survey/opening/")
    link = soup.find("a", string="the survey database")
    assert link is not None
    published = target(site, "survey/opening/", link["href"])
    assert published.is_file() and published.read_bytes()[:15] == b"SQLite format 3"


STARTER_LIKE = """\
site_name: T
plugins:
  # the course search is tracksite's own
  - tracksite{options}

markdown_extensions:
  - toc:
      permalink: true
  - attr_list   # for figures
validation:
  anchors: warn
"""


@pytest.mark.parametrize(
    "options, expected",
    [
        ("", {"instructor_view": True}),
        (":\n      pdfs: true", {"pdfs": True, "instructor_view": True}),
        (":\n        pdfs: true", {"pdfs": True, "instructor_view": True}),
        (":\n      instructor_view: false", {"instructor_view": False}),  # the user's choice stays
    ],
)
def test_the_import_turns_on_what_the_lesson_needs_in_mkdocs_yml_and_keeps_the_rest(tmp_path, options, expected):
    from tracksite.commands.importers.pipeline import courseconfig

    path = tmp_path / "mkdocs.yml"
    path.write_text(STARTER_LIKE.format(options=options), encoding="utf-8")
    courseconfig.ensure(tmp_path, instructor_view=True, extensions=["pymdownx.blocks.tab"])
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["plugins"] == [{"tracksite": expected}]
    assert data["markdown_extensions"] == [
        {"toc": {"permalink": True}},
        "attr_list",
        {"pymdownx.blocks.tab": {"alternate_style": True}},
    ]
    assert "# the course search is tracksite's own" in text and "attr_list   # for figures" in text
    assert data["validation"] == {"anchors": "warn"}
    assert courseconfig.ensure(tmp_path, instructor_view=True, extensions=["pymdownx.blocks.tab"]) == []
    assert path.read_text(encoding="utf-8") == text  # a second import changes nothing


def test_a_plugin_list_the_import_cannot_edit_is_left_with_a_note(tmp_path):
    from tracksite.commands.importers.pipeline import courseconfig

    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: T\nplugins: [tracksite]\n", encoding="utf-8")
    notes = courseconfig.ensure(tmp_path, instructor_view=True, extensions=[])
    assert path.read_text(encoding="utf-8") == "site_name: T\nplugins: [tracksite]\n"
    assert notes and "instructor_view: true" in notes[0]


def test_the_instructor_view_beside_builds_nothing_for_a_course_that_publishes_none(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Plain"]) == 0
    assert harness.mkdocs(course).returncode == 0
    assert (course / "site/index.html").is_file() and not (course / "site/instructor").exists()
    out = harness.tracksite("build", "--instructor", "--beside", "site", cwd=course)
    assert out.returncode == 0, out.stderr
    assert "publishes no instructor view" in out.stderr and "nothing built" in out.stderr
    assert not (course / "site/instructor").exists()
    wrong = harness.tracksite("build", "--beside", "site", cwd=course)  # without --instructor: a usage error
    assert wrong.returncode == 2 and "--beside" in wrong.stderr


def test_an_imported_page_shows_only_what_its_source_said(site):
    """`teaching: 0` was shown as a reading time ("Lectura 4 min"), the schema's default difficulty
    as the lesson's ("Standard"), and the columns of the course map as phases ("Episodes 1-4")."""
    soup = page(site, "ordenados/ordenados/")
    facts = soup.select_one(".ts-lesson-header .ts-facts").get_text(" ", strip=True)
    assert "Lectura" not in facts and "Práctica" in facts and "Dificultad" not in facts, facts
    where = soup.select_one(".ts-lesson-header__where").get_text(" ", strip=True)
    assert "Fase" not in where, where
    overview = page(site, "ordenados/ordenados/overview/").select_one(".ts-objectives .ts-muted").get_text()
    assert "Lectura" not in overview and "Estándar" not in overview, overview
    track = page(site, "survey/")
    assert [h.get_text(strip=True) for h in track.select(".ts-phase h2")] == ["Episodes"]
    assert "Difficulty" not in track.select_one(".ts-lessons").get_text()
    nav = [s.get_text(strip=True) for s in page(site, "survey/opening/").select(".ts-nav__phase-title")]
    assert nav == ["Episodes"]


def test_a_heading_inside_a_solution_stays_a_heading_out_of_the_contents(site):
    soup = page(site, "ordenados/ordenados/")
    inside = soup.select_one(".ts-solution h3")
    assert inside is not None and inside.get_text(strip=True).startswith("Por qué"), soup.select_one(".ts-solution")
    ids = [e["id"] for e in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    own = [h for h in soup.select("article h2") if h.get_text(strip=True).startswith("Por qué")]
    assert len(own) == 1 and own[0]["id"] != inside["id"]
    contents = [a.get_text(strip=True) for a in soup.select(".md-sidebar--secondary .md-nav__link")]
    assert contents.count("Por qué") == 1, contents


def test_the_lessons_stage_is_on_every_page_of_its_track(site):
    for url in (
        "survey/opening/",
        "survey/checking/overview/",
        "survey/opening/cheatsheet/",
        "survey/learners/setup/",
        "survey/learners/",
    ):
        boxes = [b.get_text(" ", strip=True) for b in page(site, url).select(".admonition")]
        assert any(b.startswith("Beta") for b in boxes), url
    notes = page(site, "instructor/survey/instructors/instructor-notes/")
    assert any(b.get_text(strip=True).startswith("Beta") for b in notes.select(".admonition"))
    # and on the track's own page and its home card, from the `stage:` the import wrote in track.yml
    assert "\nstage: beta\n" in (site.parent / "lessons/survey/track.yml").read_text(encoding="utf-8")
    stage = page(site, "survey/").select_one(".ts-track-header .ts-stage--beta")
    assert stage is not None and stage.get_text(" ", strip=True).startswith("Beta This track is in its Beta stage")
    assert page(site, "").select(".ts-track-card__label .ts-stage--beta")


def test_a_setup_page_is_the_lessons_place_for_facts_that_date(site):
    """Setup says "the latest version of R": check warned that it dates (TS521) on every import."""
    out = harness.tracksite("--root", str(site.parent), "check")
    assert out.returncode == 0 and "TS521" not in out.stdout + out.stderr, out.stdout + out.stderr
