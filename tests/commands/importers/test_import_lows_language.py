"""Issue 84's lows: what the import writes on its own is in the lesson's language, an image the
source describes nowhere is reported (TS714) and not described by its file name, and the hint for
a folder that is not a course names `--root` where the command line takes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.carpentries.episode import Context, convert

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _lesson(root: Path, episode: str, name: str = "01-fig.md", lang: str = "es") -> Path:
    (root / "episodes/fig").mkdir(parents=True)
    (root / "config.yaml").write_text(f"title: 'Figuras'\nlicense: 'CC-BY 4.0'\nlang: {lang}\nepisodes:\n- {name}\n")
    (root / "episodes" / name).write_text(episode)
    (root / "episodes/fig/05-cat_photo.png").write_bytes(PNG)
    return root


EPISODE = """---
title: Figuras
teaching: 5
exercises: 5
---

Este episodio muestra una figura con y sin descripción para quien aprende.

![](fig/05-cat_photo.png)

![Un gato](fig/05-cat_photo.png)

![](fig/no-esta.png)
"""


def _import(tmp_path: Path, episode: str, *extra: str, name: str = "01-fig.md"):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Figuras"]) == 0
    src = _lesson(tmp_path / "src", episode, name)
    result = harness.tracksite("import", "carpentries", str(src), "--track", "fig", *extra, cwd=course)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course, result.stdout + result.stderr


def test_a_spanish_lesson_gets_spanish_words_and_no_file_name_as_alt_text(tmp_path):
    """Old: `![05-cat_photo.png](...)`, "work through the episode", "The Carpentries lesson ...",
    "Image not available" on a `lang: es` course, and a note, not a warning, for the image."""
    course, said = _import(tmp_path, EPISODE)
    assert "warning: episodes/01-fig.md:9: [TS714] image fig/05-cat_photo.png has no alt text and no caption" in said
    text = (course / "lessons/fig/fig-episode/lesson.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["objectives"] == ["trabajar el episodio «Figuras»"]
    track = yaml.safe_load((course / "lessons/fig/track.yml").read_text())
    assert track["summary"] == "La lección de The Carpentries «Figuras», importada con sus episodios en orden."
    assert harness.mkdocs(course).returncode == 0
    page = harness.page(course / "site", "fig/fig-episode/").select_one(".ts-page")
    alts = [img["alt"] for img in page.select("img")]
    assert alts == ["Una figura que la lección original no describe", "Un gato"], alts
    assert not [a for a in alts if "png" in a]
    assert "Imagen no disponible: no-esta.png" in page.get_text()
    assert "Image not available" not in page.get_text()


def test_an_image_with_a_caption_takes_it_as_alt_text_and_is_no_warning():
    ep = convert("![A cat on a mat](fig/x.png)\n", 1, Context(episode_slugs={}))
    assert "![A cat on a mat](x.png)" in ep.body
    assert not [n for n in ep.notes if n.warning]


RMD = """---
title: Gráfico
teaching: 5
exercises: 5
---

Un gráfico sin descripción en la lección original:

```{r}
plot(1:3)
```
"""


@pytest.mark.usefixtures("r_ready")
def test_a_plot_without_alt_text_is_described_in_the_lessons_language(tmp_path):
    course, said = _import(tmp_path, RMD, "--execute", name="01-plot.Rmd")
    text = (course / "lessons/fig/plot/lesson.md").read_text()
    assert "![Gráfico que dibuja el código R de arriba (bloque " in text, text
    assert "Plot drawn by" not in text
    assert 'their alt text says "Gráfico que dibuja el código R de arriba"' in said


def test_the_hint_outside_a_course_puts_root_before_the_command(tmp_path):
    """Old: "name it with --root COURSE", and `tracksite check --root COURSE` is refused by the parser."""
    result = harness.tracksite("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "`tracksite --root COURSE check ...`" in result.stderr
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "C"]) == 0
    assert harness.tracksite("--root", str(course), "check", cwd=tmp_path).returncode == 0  # the form it names


SHORT = """---
title: Diagrama
teaching: 5
exercises: 0
---

![Un diagrama del flujo de datos entre las tablas de la base](fig/no-esta.png)

Míralo bien.
"""


def test_a_short_episode_opening_with_a_missing_image_takes_no_summary_from_its_notice(tmp_path):
    """Old: summary "(Imagen no disponible: Un diagrama del flujo ...)", the import's own words, on the
    lesson's card, overview and search result. The episode's prose is too short to summarise it
    (fewer than four words), so the summary falls back to its title."""
    course, _ = _import(tmp_path, SHORT, name="01-diagrama.md")
    text = (course / "lessons/fig/diagrama/lesson.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["summary"] == "Diagrama.", front["summary"]
    assert "*(Imagen no disponible: Un diagrama del flujo de datos entre las tablas de la base)*" in text
    assert harness.mkdocs(course).returncode == 0
    overview = harness.page(course / "site", "fig/diagrama/overview/").select_one(".ts-page").get_text(" ")
    assert "no disponible" not in overview, overview
