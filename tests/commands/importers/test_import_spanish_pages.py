"""Issue 84: a `lang: es` lesson's imported pages carry no string of the English catalogue, neither
in their visible text nor in what a screen reader reads (alt, aria-label, title): its learner
pages and its instructor view (the instructor's schedule was all English). The
lesson is written here in Spanish (no upstream text is read), with each kind of block the import
labels in its own words, a missing image and, run with --execute, a plot no chunk option describes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support import harness
from tracksite.commands.cli import main

MESSAGES = Path(harness.__file__).resolve().parents[2] / "scripts/tracksite/theme/messages"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
BLOCK = "::::::::::::::::::::::::::::::::::::::::"
LESSON = {
    "config.yaml": "title: 'Análisis con R'\nlang: es\nlicense: 'CC-BY 4.0'\n"
    "source: 'https://github.com/example/analisis'\nepisodes:\n- 01-graficos.Rmd\n- 02-bucles.md\n"
    "learners:\n- setup.md\n- reference.md\ninstructors:\n- notas.md\nprofiles:\n- estudiante.md\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\n\nEsta lección enseña a analizar datos con R.\n",
    "episodes/01-graficos.Rmd": """---
title: Gráficos
teaching: 10
exercises: 5
---

::: questions
- ¿Cómo se dibuja un gráfico?
:::

Un gráfico que la lección original no describe:

```{r sin-descripcion}
plot(1:3)
```

Y una suma: `r 1 + 1`.

::: keypoints
- `plot()` dibuja un gráfico.
:::
""",
    "episodes/02-bucles.md": f"""---
title: Bucles
teaching: 5
exercises: 5
---

Los bucles repiten un trabajo para cada elemento de una lista.

![](fig/falta.png)

![](fig/gato.png)

{BLOCK} challenge

## Contar

Cuenta hasta cinco con un bucle.

::: hint
Usa `1:5`.
:::

::: solution
Con `for (i in 1:5) print(i)`.
:::

{BLOCK}

::: callout
Los índices empiezan en 1.
:::

::: caution
Un bucle sin fin no termina nunca.
:::

::: discussion
¿Qué bucles has escrito?
:::

::: checklist
- R instalado
:::

::: prereq
Saber sumar.
:::

::: testimonial
Aprendí mucho.
:::

::: spoiler
Un detalle escondido.
:::

Vuelve a los [gráficos](01-graficos.Rmd).
""",
    "learners/setup.md": "---\ntitle: Preparación\n---\n\nInstala R.\n",
    "learners/reference.md": "---\ntitle: Referencia\n---\n\n## Glosario\n\n[bucle]{#bucle}\n:   Código que se repite.\n",
    "instructors/notas.md": "---\ntitle: Notas para docentes\n---\n\nEmpieza por el primer episodio.\n",
    "profiles/estudiante.md": "---\ntitle: Ana\n---\n\nAna estudia biología.\n",
}


def _flat(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        out.update(_flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key: str(value)})
    return out


def english_words() -> dict[str, str]:
    """Each part of an English catalogue string (between its `{name}`s) the Spanish one does not
    share, of four letters or more: part -> its key."""
    en, es = (_flat(yaml.safe_load((MESSAGES / f"{lang}.yml").read_text(encoding="utf-8"))) for lang in ("en", "es"))
    parts: dict[str, str] = {}
    for key, text in en.items():
        if key.startswith("starter.") or es.get(key) == text:
            continue
        for part in re.split(r"\{[^}]*\}", text):
            part = part.strip(" :.,;()«»\"'\n")
            if len(part) >= 4 and part not in es.get(key, ""):
                parts.setdefault(part, key)
    return parts


def read(page: Path) -> str:
    """What a learner sees or hears on the page: its text outside code, scripts and hidden
    elements, and its alt, aria-label and title attributes."""
    soup = harness.soup(page)
    for tag in soup.select("script, style, code, pre, [hidden]"):
        tag.decompose()
    said = [soup.get_text(" ")]
    said += [tag[a] for tag in soup.find_all(True) for a in ("alt", "aria-label", "title") if tag.get(a)]
    return " ".join(" ".join(said).split())


@pytest.mark.usefixtures("r_ready")
def test_an_imported_spanish_lesson_run_with_r_shows_no_english_catalogue_string(tmp_path):
    """Old: the plot's alt text ended "(chunk sin-descripcion)"."""
    check_spanish_import(tmp_path, execute=True)


def test_an_imported_spanish_lesson_shows_no_english_catalogue_string(tmp_path):
    """Old: the instructor's schedule, "Schedule: Track 1", "Lesson | Title | Teach | ...", "No
    instructor notes for this lesson."."""
    check_spanish_import(tmp_path, execute=False)


def check_spanish_import(tmp_path: Path, *, execute: bool) -> None:
    """Import the lesson (with --execute or without), build the site, read every page of the
    track, learner and instructor view, for the English catalogue's words."""
    src = tmp_path / "src"
    for name, text in LESSON.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (src / "episodes/fig").mkdir()
    (src / "episodes/fig/gato.png").write_bytes(PNG)
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Curso"]) == 0
    run = ["--execute"] if execute else []
    result = harness.tracksite("import", "carpentries", str(src), "--track", "es", *run, cwd=course)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert harness.mkdocs(course).returncode == 0
    pages = list((course / "site/es").rglob("index.html"))
    assert len(pages) >= 10, pages
    schedule = course / "site/instructor/es/schedule/index.html"  # the instructor view the import turns on
    pages += [p for p in (course / "site/instructor/es").rglob("index.html")]
    assert schedule in pages, pages
    words = english_words()
    found = {}
    for page in pages:
        text = read(page)
        for part, key in words.items():
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text):
                found.setdefault(f"{key}: {part!r}", []).append(str(page.relative_to(course / "site")))
    assert not found, found
    lesson = read(course / "site/es/graficos/index.html")
    assert ("Gráfico que dibuja el código R de arriba (bloque sin-descripcion)" in lesson) is execute, lesson
    assert "Imagen no disponible" in read(course / "site/es/bucles/index.html")
