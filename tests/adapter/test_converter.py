"""One Markdown converter reused across a build's pages (adapter/pages/converter.py): the site is the
one a converter built per page gives, byte for byte, and a converter that raised is not reused."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from support import harness
from support.course import lesson_md, make_course, write
from tracksite.adapter.pages import converter

#: What one document leaves in a converter and the next must not see: footnotes and their
#: numbers, heading ids already used, HTML stashed by md_in_html, math, fenced code, blocks.
BODY = """## Introduction

A claim[^a] and another[^b].

[^a]: The first note of {page}.
[^b]: The second note.

## Introduction

<div markdown="1">
Inside **HTML** on {page}.
</div>

Term
:   Its definition on {page}.

| a | b |
|---|---|
| 1 | $x^2$ |

$$
\\sum_i x_i
$$

```python
print("{page}")
```

/// note | On {page}
A note.
///
"""


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_reused_converter_builds_the_site_a_new_converter_per_page_builds(tmp_path):
    root = make_course(tmp_path / "course")
    for lesson in ("alpha/a1", "alpha/a3", "beta/b1"):
        write(
            root,
            f"lessons/{lesson}/lesson.md",
            lesson_md(lesson, body=BODY.format(page=lesson)).replace("math: none", "math: light"),
        )
    harness.build(
        root, "-d", str(tmp_path / "reused"), processes=1
    )  # the build cache on: one converter, reset between pages
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - tracksite\n", "  - tracksite:\n      cache: false\n", 1))
    harness.build(root, "-d", str(tmp_path / "per-page"), processes=1)  # MkDocs' own: a converter per page
    reused, per_page = _tree(tmp_path / "reused"), _tree(tmp_path / "per-page")
    assert sorted(reused) == sorted(per_page)
    assert [name for name in reused if reused[name] != per_page[name]] == []
    page = reused["beta/b1/index.html"].decode()
    assert "The first note of beta/b1." in page and "of alpha" not in page  # the notes are the page's own
    assert 'id="introduction_1"' in page  # heading ids counted from this page's start


def _render_page(page: list[str], config: object, files: object) -> None:
    """Stands for `Page.render`: asks this module's `markdown` for a converter, as MkDocs does."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    page.append(md.convert(page[0]))
    page.append(str(id(md)))


EXTENSIONS = ["footnotes", "toc"]
CONFIGS: dict = {}


def test_the_converter_is_reset_between_pages_and_dropped_after_an_error():
    first, second = ["A[^n]\n\n[^n]: one"], ["# T\n\nB"]
    converter.render(_render_page, first, None, None)
    converter.render(_render_page, second, None, None)
    assert first[2] == second[2]  # the same converter
    assert "fn:n" not in second[1] and "one" not in second[1]  # the first page's note is gone
    assert markdown.Markdown is not None and globals()["markdown"] is markdown  # the module put back

    def raising(page, config, files):
        _render_page(page, config, files)
        raise ValueError("a page that fails")

    with pytest.raises(ValueError):
        converter.render(raising, ["C"], None, None)
    third = ["D"]
    converter.render(_render_page, third, None, None)
    assert third[2] != first[2]  # built anew after the failure
    assert globals()["markdown"] is markdown
