"""Issue 84, M6's rest: a glossary term that only the lessons' code uses reaches the track's glossary.

The import gives each term of the reference page's glossary to the first lesson whose prose uses
it; a term met only in code (`mutate`) was left on the reference page. It now goes to the first
lesson whose code names it, and that lesson's overview names it in prose (the check, and the
tooltips, read prose only), with its tooltip there. A term no page names at all stays out.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from support import harness
from tracksite.commands.cli import main

REFERENCE = """---
title: Referencias
---

## Glosario

[mutate]{#mutate}
: Una función que añade columnas a una tabla.

**columna**
: Una variable de una tabla.

**nadie**
: Un término que ninguna página usa.
"""

EPISODES = {
    "01-tablas.md": "Una tabla tiene filas y cada columna guarda una variable para quien aprende.\n",
    "02-cambiar.md": "Ahora cambiamos la tabla con una función del paquete para quien aprende.\n\n"
    "```r\ndatos <- mutate(datos, y = x * 2)\n```\n",
}


def _lesson(root: Path) -> Path:
    (root / "episodes").mkdir(parents=True)
    (root / "learners").mkdir()
    listed = "".join(f"- {name}\n" for name in EPISODES)
    (root / "config.yaml").write_text(
        f"title: 'Tablas'\nlicense: 'CC-BY 4.0'\nlang: es\nepisodes:\n{listed}learners:\n- reference.md\n"
    )
    for n, (name, body) in enumerate(EPISODES.items(), 1):
        (root / "episodes" / name).write_text(f"---\ntitle: Parte {n}\nteaching: 5\nexercises: 5\n---\n\n{body}")
    (root / "learners/reference.md").write_text(REFERENCE)
    return root


def test_a_term_only_code_uses_is_in_the_glossary_with_its_lesson_and_a_tooltip_on_the_overview(tmp_path):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tablas"]) == 0
    result = harness.tracksite("import", "carpentries", str(_lesson(tmp_path / "src")), "--track", "t", cwd=course)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said[-3000:]
    terms = yaml.safe_load((course / "lessons/t/glossary.yml").read_text())["terms"]
    assert {t["term"]: t["lesson"] for t in terms} == {"mutate": "cambiar", "columna": "tablas"}
    assert "no lesson uses stay on the reference page only: nadie" in said
    overview = (course / "lessons/t/cambiar/overview.md").read_text()
    assert "## Términos del código\n\nEl código de este episodio usa estos términos del glosario: mutate." in overview
    assert "Términos del código" not in (course / "lessons/t/tablas/overview.md").read_text()
    checked = harness.tracksite("check", cwd=course)
    assert checked.returncode == 0 and "0 errors, 0 warnings" in checked.stdout + checked.stderr
    assert harness.mkdocs(course).returncode == 0
    page = harness.page(course / "site", "t/cambiar/overview/")
    tip = page.select_one('a.ts-term__link[href$="#term-mutate"]')
    assert tip is not None and tip.get_text() == "mutate"
