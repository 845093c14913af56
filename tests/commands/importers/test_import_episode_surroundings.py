"""Issue 53, round 4: what surrounds the episodes, and forms met on lessons nobody had imported.

- a `<script>` or `<style>` block over several lines (shell-genomics' platform switcher) is left
  out whole, with a note; one shown inside a code fence stays;
- a link whose text goes on to the next line of its paragraph (sql-ecology's setup page:
  `[Relational` then `Databases](../episodes/x.md#y)`) is rewritten as one link; Jekyll's lesson
  root before a link's path (`({{ base.url }}/03-crs)`, organization-geospatial) is dropped, so
  the path resolves as the lesson's own instead of leaving the site;
- a glossary term written as a linked span with an id (`[[**field**]{#field}](https://...)`,
  the lesson template's Glosario form) keeps both; a table's `| --- |` rule is no smart dash;
- a summary whose first paragraph leads into a list ("you will be able to:") keeps the list;
  Liquid never reaches it;
- a link to an instructor page keeps its words (the page is in the instructor view only, issue 73);
- the Setup page is a prerequisite in every lesson's header, the home page then does not say
  there is nothing to install, and every overview links the other learner pages (Reference,
  Discussion);
- an episode's `teaching:` minutes are its `time.teach`: the header, the track page and the
  instructor's schedule show teaching and exercises as the source plans them;
- fenced divs of any class, in any opener form, nested three deep, with Spanish titles, become
  closed blocks; a generic exercise title in Spanish, French, Portuguese or German ("Ejercicio
  3") is not repeated after the number; a call-out without a title is labelled in the lesson's
  language; hard line breaks (two spaces, Pandoc's trailing backslash) stay breaks.

Every lesson here is generated for these tests (English and Spanish variants).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from support.harness import page as _page
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries import htmlwrap, pages, pandoc
from tracksite.commands.importers.carpentries.episode import Context, convert
from tracksite.core.markdown.blocks import find_blocks, iter_blocks

SCRIPT = """Intro text for the episode.

<script language="javascript" type="text/javascript">
function set_page_view_defaults() {
    document.getElementById('div_win').style.display = 'block';
};

window.onload = set_page_view_defaults;
</script>

## Writing files

We write a file.
"""


def _convert(text: str):
    return convert(text, 1, Context(episode_slugs={}))


@pytest.mark.parametrize("tag", ["script", "style", "SCRIPT"])
def test_a_script_or_style_block_over_several_lines_is_left_out_whole(tag):
    ep = _convert(SCRIPT.replace("<script", f"<{tag}").replace("</script>", f"</{tag}>"))
    assert "## Writing files\n\nWe write a file." in ep.body
    assert "getElementById" not in ep.body and "</" not in ep.body
    assert [(n.line, n.message) for n in ep.notes] == [
        (3, f"a <{tag.lower()}> block (7 lines) was left out: the site runs no lesson scripts")
    ]


def test_a_script_shown_in_code_stays_and_an_unclosed_one_is_no_block():
    fenced = "```html\n<script>\nalert(1)\n</script>\n```\n"
    assert _convert(fenced).body == fenced
    lines, numbers, notes = htmlwrap.unwrap(["<script>", "text"], 1)
    assert notes == [] and lines == ["<script>", "text"]


@pytest.mark.parametrize(
    "lines, joined",
    [
        (
            [
                "under the sections [Relational",
                "Databases](../episodes/00-intro.md#relational-databases) or [Import](x.md).",
            ],
            "under the sections [Relational Databases](../episodes/00-intro.md#relational-databases) or [Import](x.md).",
        ),
        (["- ver la [sección de", "instalación](setup.md) antes"], "- ver la [sección de instalación](setup.md) antes"),
        (["see [the", "long", "name][ref] there"], "see [the long name][ref] there"),
    ],
)
def test_a_link_whose_text_goes_on_to_the_next_line_is_one_link(lines, joined):
    out, numbers = pandoc.join_images([*lines, "", "after"], list(range(1, len(lines) + 3)))
    assert out == [joined, "", "after"] and numbers == [1, len(lines) + 1, len(lines) + 2]


@pytest.mark.parametrize(
    "lines",
    [
        ["a [bracket that never closes", "", "next paragraph](x.md)"],
        ["a [bracket", "## Heading](x.md)"],
        ["code `[x` here", "y](z)"],
        ["[one] and [two", "- item](x.md)"],
    ],
)
def test_a_bracket_not_followed_by_its_target_in_the_paragraph_joins_nothing(lines):
    assert pandoc.join_images(lines, list(range(len(lines))))[0] == lines


@pytest.mark.parametrize(
    "body, summary",
    [
        (
            "By the end of this lesson, you will be able to:\n\n1. Work with **.mrk** files.\n"
            "2. Use [reports](x.md)\n   to find errors.\n\nMore text.\n",
            "By the end of this lesson, you will be able to: Work with .mrk files; Use reports to find errors.",
        ),
        (
            "Al terminar podrás:\n- usar `git`;\n- colaborar.\n\nOtro párrafo con varias palabras más.\n",
            "Al terminar podrás: usar git; colaborar.",
        ),
        (
            "At this point, we have the following Makefile:\n\n```make\n# Generate summary table.\n\nall : x\n```\n",
            "At this point, we have the following Makefile:",
        ),
        ("```\nlong code line with many words\n```\n\nThe prose after the code.\n", "The prose after the code."),
        # a Make variable or shell prompt in code is no formula once the backticks are gone
        ("Rules use `$(CC)` and `$@` here.\n", "Rules use \\$(CC) and \\$@ here."),
    ],
)
def test_a_summary_that_leads_into_a_list_keeps_the_list(body, summary):
    assert pages.first_sentences(body, 400) == summary


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


LESSON = {
    "config.yaml": "title: 'Shell for tests'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-listing.md\n- 02-scripts.md\n"
    "learners:\n- setup.md\n- reference.md\n- discuss.md\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\n"
    "In this lesson for {{ site.title }} learners you will be able to:\n\n- open a *terminal*;\n"
    "- write a script.\n",
    "episodes/01-listing.md": "---\ntitle: Files\nteaching: 30\nexercises: 15\n---\n\n"
    "::: objectives\n- List files.\n:::\n\n"
    "We look at files in this episode and at what they hold.\n\n"
    "The [next episode's section on\nloops](02-scripts.md#loops) follows, and the\n"
    "[instructor notes](../instructors/instructor-notes.md#timing-of-the-files-episode) say how long.\n\n"
    "<script>\nvar x = 1;\n</script>\n\n"
    "```\nls\n```\n{: .language-bash}\n",
    "episodes/02-scripts.md": "---\ntitle: Scripts\nteaching: 40\nexercises: 20\n---\n\n"
    "Scripts hold commands that run one after the other.\n\n## Loops\n\nA loop repeats. Back to [the first\n"
    "episode]({{ base.url }}/01-listing) or its [figure list]( {{ page.root }}/01-listing.html#top).\n",
    "learners/setup.md": "---\ntitle: Setup\n---\n\nInstall a shell.\n",
    "learners/reference.md": "---\ntitle: Reference\n---\n\n## Glossary\n\nshell\n:   A program that runs commands.\n",
    "learners/discuss.md": "---\ntitle: Discussion\n---\n\nQuestions learners ask.\n",
    "instructors/instructor-notes.md": "---\ntitle: Instructor notes\n---\n\n"
    "## Timing of the files episode\n\nKeep it short.\n",
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The generated lesson imported into a new course, built for learners and for instructors."""
    tmp = tmp_path_factory.mktemp("round4")
    course = tmp / "course"
    assert main(["init", str(course), "--site-name", "Round four"]) == 0
    source = _write(tmp / "src", LESSON)
    assert main(["--root", str(course), "import", "carpentries", str(source), "--track", "sh"]) == 0
    assert main(["--root", str(course), "build", "--site-dir", str(tmp / "site")]) == 0
    assert main(["--root", str(course), "build", "--instructor", "--site-dir", str(tmp / "instr")]) == 0
    return course, tmp / "site", tmp / "instr"


def test_the_import_keeps_links_across_lines_and_instructor_fragments(imported):
    course, site, instr = imported
    text = (course / "lessons/sh/listing/lesson.md").read_text()
    assert "[next episode's section on loops](lesson:sh/scripts#loops)" in text
    # the instructor notes are a page of the instructor view only (issue 73): the learner's text keeps the words
    assert "instructor notes say how long" in text and "instructors/" not in text
    assert "var x" not in text and "```bash\nls\n```" in text
    # Jekyll's lesson root before a path (`{{ base.url }}/01-listing`) is the lesson's own path
    scripts = (course / "lessons/sh/scripts/lesson.md").read_text()
    assert "[the first episode](lesson:sh/listing)" in scripts and "{{" not in scripts
    # the fragment names a heading of the instructor notes, a page of the instructor build only
    assert _page(instr, "sh/instructors/instructor-notes").find(id="timing-of-the-files-episode") is not None
    assert not (site / "sh/instructors").exists()


def test_the_track_summary_keeps_the_list_and_no_liquid(imported):
    course, _, _ = imported
    track = yaml.safe_load((course / "lessons/sh/track.yml").read_text())
    assert track["summary"] == "In this lesson for learners you will be able to: open a terminal; write a script."


def test_setup_is_in_every_lesson_header_and_the_other_pages_in_every_overview(imported):
    _, site, _ = imported
    for slug in ("listing", "scripts"):
        header = _page(site, f"sh/{slug}").select_one(".ts-prereqs")
        assert header is not None
        setup = header.find("a", string="Setup")
        assert setup is not None and setup["href"] == "../learners/setup/"
        overview = _page(site, f"sh/{slug}/overview").select_one("article")
        hrefs = {a.get_text(strip=True): a["href"] for a in overview.find_all("a")}
        assert hrefs["Setup"] == "../../learners/setup/"
        assert hrefs["Reference"] == "../../learners/reference/"
        assert hrefs["Discussion"] == "../../learners/discuss/"
    for name in ("setup", "reference", "discuss"):
        assert (site / f"sh/learners/{name}/index.html").is_file()


def test_the_home_page_does_not_say_there_is_nothing_to_install(imported):
    _, site, _ = imported
    needs = _page(site, "").select_one(".ts-start__needs")
    text = needs.get_text(" ", strip=True)
    assert "nothing to install" not in text
    assert needs.find("a", string="Setup")["href"] == "sh/learners/setup/"


def test_the_time_is_teaching_and_exercises_as_the_source_plans_it(imported):
    course, site, instr = imported
    front = yaml.safe_load((course / "lessons/sh/listing/lesson.md").read_text().split("---\n")[1])
    assert front["time"]["teach"] == 30 and front["time"]["practice"] == 15
    facts = _page(site, "sh/listing").select_one(".ts-lesson-header .ts-facts").get_text(" ", strip=True)
    assert "Teaching 30 min" in facts and "Practice 15 min" in facts and "Read" not in facts
    track = _page(site, "sh")
    assert [li["data-minutes"] for li in track.select(".ts-lessons__item")] == ["45", "60"]
    schedule = _page(instr, "sh/schedule").select_one("article").get_text(" ", strip=True)
    assert "Teach" in schedule and "Total: 1 h 45 min of teaching and practice" in schedule.replace("1h", "1 h")


# Variants of the Workbench's fenced divs: known and unknown classes, attribute forms, Spanish
# titles, nesting up to three deep. Whatever the mix, no `:::` is left and every block closes.
KINDS = ["callout", "discussion", "hint", "checklist", "prereq", "caution", "testimonial", "keypoints-extra", "tab"]
OPENERS = ["::: {kind}", ":::::::::::::: {kind}", "::: {{.{kind}}}", "::: {{#id-1 .{kind} .extra}}"]
TITLES = ["## Nota", "## Ejercicio", "## Discusión: ¿por qué?", ""]


def _div(kind: str, opener: str, title: str, inner: str) -> str:
    head = opener.format(kind=kind)
    return f"{head}\n\n{title}\n\nTexto de la caja.\n\n{inner}\n\n:::\n"


@pytest.mark.parametrize(
    "kinds, opener, title",
    [
        (combo, OPENERS[i % len(OPENERS)], TITLES[i % len(TITLES)])
        for i, combo in enumerate(itertools.islice(itertools.permutations(KINDS, 3), 0, None, 41))
    ],
)
def test_fenced_divs_of_any_class_nested_in_any_form_become_closed_blocks(kinds, opener, title):
    inner = ""
    for kind in reversed(kinds):
        inner = _div(kind, opener, title, inner)
    challenge = f"::: challenge\n\n## Ejercicio 1\n\n¿Qué hace `ls`?\n\n{inner}\n::: solution\n\nLista.\n\n:::\n:::\n"
    ep = _convert(f"Un párrafo.\n\n{inner}\n{challenge}")
    assert not re.search(r"(?m)^\s*:{3,}", ep.body), ep.body
    blocks, problems = find_blocks(ep.body)
    assert problems == []
    assert all(b.closed for b in iter_blocks(blocks))
    assert sum(1 for b in iter_blocks(blocks) if b.name == "exercise") == 1


# The glossary form of the lesson template (sql-ecology-lesson and others): each term an id inside a
# link to Glosario, and the definitions linking each other by those ids.
LINKED_TERMS = """## Glossary

[[**field**]{#field}](https://glosario.carpentries.org/en/#field)
:   A component of a [record](#record) containing a single value.

[[**record**]{#record}](https://glosario.carpentries.org/en/#record)
:   A group of [fields](#field); see [[*also*]{#also}](https://example.org/also).
"""


def test_a_linked_term_with_an_id_keeps_its_id_and_its_link():
    ep = _convert(LINKED_TERMS)
    assert "[**field**](https://glosario.carpentries.org/en/#field) { #field }" in ep.body
    assert "[*also*](https://example.org/also){: #also }" in ep.body
    assert pages.definitions(LINKED_TERMS) == [
        ("field", "A component of a record containing a single value."),
        ("record", "A group of fields; see also."),
    ]
    html = markdown.markdown(ep.body, extensions=["def_list", "attr_list"])
    soup = BeautifulSoup(html, "lxml")
    assert [dt.get("id") for dt in soup.find_all("dt")] == ["field", "record"]
    assert soup.find("a", id="also") is not None and soup.find("a", href="#record") is not None


@pytest.mark.parametrize("rule", ["| --- | --- |", "|---|--|", "| :---: | ---: |", "--- | ---"])
def test_a_table_rule_keeps_its_dashes_where_prose_gets_smart_ones(rule):
    body = _convert(f"| a | b |\n{rule}\n| x --- y | 1 -- 2 |\n").body
    assert f"\n{rule}\n" in body and "| x \u2014 y | 1 \u2013 2 |" in body


@pytest.mark.parametrize(
    "title",
    ["Exercise", "Challenge 2", "Ejercicio", "Ejercicio 3:", "Desafío 1", "Reto", "Pregunta", "Exercice 2", "Übung 1",
     "Exercício", "Actividad nº 2"],
)  # fmt: skip
def test_a_generic_exercise_title_in_any_language_is_not_repeated_after_the_number(title):
    ep = _convert(f"::: challenge\n\n## {title}\n\nHaz esto.\n\n:::::: solution\n\nHecho.\n\n::::::\n:::\n")
    assert "//// exercise\nHaz esto." in ep.body.replace("\n\n", "\n"), ep.body


@pytest.mark.parametrize("title", ["Ejercicio: contar líneas", "Preguntas frecuentes sobre git", "Exercise the loop"])
def test_an_exercise_title_that_says_more_than_its_kind_is_kept(title):
    assert (
        f"//// exercise | {title}"
        in _convert(f"::: challenge\n\n## {title}\n\nHaz esto.\n\n::: solution\n\nHecho.\n\n:::\n:::\n").body
    )


@pytest.mark.parametrize(
    "lang, labels",
    [
        ("", ["Hint", "Callout", "Discussion", "Spoiler"]),
        ("es", ["Pista", "Nota", "Discusión", "Detalles"]),
        ("fr", ["Indice", "Remarque", "Discussion", "Détails"]),
        ("pt-BR", ["Dica", "Nota", "Discussão", "Detalhes"]),
    ],
)
def test_a_call_out_without_a_title_is_labelled_in_the_lesson_language(lang, labels):
    text = "".join(f"::: {kind}\n\nTexto.\n\n:::\n\n" for kind in ("hint", "callout", "discussion", "spoiler"))
    text += "::: callout\n\n## Título propio\n\nTexto.\n\n:::\n"
    body = convert(text, 1, Context(episode_slugs={}, lang=lang)).body
    assert re.findall(r"^/// \w+ \| (.+)$", body, re.M) == [*labels, "Título propio"]


def test_hard_line_breaks_stay_breaks():
    """Two trailing spaces and Pandoc's trailing backslash both break the line (the index pages of
    older lessons list prerequisites so); an escaped backslash and code stay as written."""
    text = "fulfilled by:  \na) one **or**\\\nb) two\n\n> quoted  \n> next\n\nkeep \\\\\nand `code\\`\n"
    body = _convert(text).body
    assert body == "fulfilled by:  \na) one **or**  \nb) two\n\n> quoted  \n> next\n\nkeep \\\\\nand `code\\`\n"
    html = markdown.markdown(body)
    assert html.count("<br />") == 3 and "\\</p>" not in html


SPANISH = {
    "config.yaml": "title: 'La terminal'\nlang: es\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-navegar.md\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\nAl terminar la lección podrás:\n\n- moverte entre carpetas;\n"
    "- leer archivos.\n",
    "episodes/01-navegar.md": "---\ntitle: Navegar por *carpetas*\nteaching: 25\nexercises: 10\n---\n\n"
    ":::::: objectives\n- Usar `cd` y `ls`.\n::::::\n\n"
    "Aquí aprendemos a movernos entre carpetas con la terminal.\n\n## Listar\n\n```bash\nls\n```\n\n"
    "```output\nnotas.txt\n```\n\n::: hint\n\nPrueba `ls -F`.\n\n:::\n\n"
    ":::::::::: challenge\n\n## Ejercicio 1\n\n¿Qué muestra `pwd`?\n\n::::: {.callout}\n\n## Recuerda\n\n"
    "La [configuración\ninicial](../learners/setup.md) va primero.\n\n:::::\n\n::: solution\n\nLa carpeta actual.\n\n:::\n"
    "::::::::::\n",
    "learners/setup.md": "---\ntitle: Configuración\n---\n\nInstala una terminal.\n",
}


def test_a_spanish_lesson_imports_and_reads_in_spanish(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Curso"]) == 0
    source = _write(tmp_path / "src", SPANISH)
    assert main(["--root", str(course), "import", "carpentries", str(source), "--track", "term"]) == 0
    assert main(["--root", str(course), "build", "--site-dir", str(tmp_path / "site")]) == 0
    page = _page(tmp_path / "site", "term/navegar")
    article = page.select_one("article")
    text = article.get_text("\n")
    assert not re.search(r"(?m)^\s*:{3,}|\]\(|\{[:.]", text), text
    assert page.select_one("h1").get_text(strip=True) == "Navegar por carpetas"
    assert "Pista" in text and "Recuerda" in text and "Exercise 1: Ejercicio" not in text
    assert page.select_one(".ts-prereqs").find("a", string="Configuración")["href"] == "../learners/setup/"
    assert "Enseñanza" in page.select_one(".ts-lesson-header .ts-facts").get_text(" ", strip=True)
    summary = yaml.safe_load((course / "lessons/term/track.yml").read_text())["summary"]
    assert summary == "Al terminar la lección podrás: moverte entre carpetas; leer archivos."
