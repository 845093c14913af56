"""Hostile HTML as browsers parse it: payloads a lesson could carry, a page made of one, and the workbench lesson
the HTML-as-browsers and linear-scan tests build."""

from __future__ import annotations

PAYLOADS = {
    "empty-comment": "<!--><img src=x onerror=alert(1)>-->",
    "dash-comment": "<!---><img src=x onerror=alert(1)>-->",
    "bang-comment-end": "<!-- a --!><img src=x onerror=alert(1)>-->",
    "cdata-outside-svg": "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "svg-style": "<svg><style><img src=x onerror=alert(1)></style></svg>",
}


HTML_HEAD = '<!doctype html>\n<html lang="en">\n<head><title>Notes</title></head>\n<body>\n<h1>Notes</h1>\n'


def page_with(payload: str) -> str:
    return f"{HTML_HEAD}{payload}\n<p>End.</p>\n</body>\n</html>\n"


def workbench_lesson(tmp_path):
    """A tiny Carpentries Workbench lesson whose episode links `files/page.html`."""
    src = tmp_path / "src"
    (src / "episodes/files").mkdir(parents=True)
    (src / "config.yaml").write_text("title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n- 01-one.md\n")
    (src / "episodes/01-one.md").write_text(
        "---\ntitle: One\nteaching: 5\nexercises: 5\n---\n\n::: objectives\n\n- do one thing\n\n:::\n\n"
        "This episode explains the one idea in a few plain words for learners; "
        "[the handout](files/page.html) has more.\n"
    )
    (src / "episodes/files/page.html").write_text(page_with("\n".join(PAYLOADS.values())), encoding="utf-8")
    return src
