"""Markdown pages too complex to build: shapes that would keep the engine busy for minutes.

The loader refuses such a page with a problem instead of handing it to the build; the limits
sit far above any real page, and apart from the loader so they can be read and tuned alone.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import blank_data_blocks
from tracksite.core.sources import split_front_matter
from tracksite.errors import SourceProblem

#: The code of the loader's finding (problems/codes.py).
CODE = "TS512"


def parse_markdown(path: Path, text: str, measure: bool = True):
    """(source, too-complex finding) of a Markdown file's text, or the SourceProblem it raises;
    `measure` False: not measured (the finding None)."""
    try:
        src = split_front_matter(path, text)
    except SourceProblem as e:
        return e
    return src, too_complex(src.body, src.body_line) if measure else None


MAX_HEADINGS = 300
MAX_BRACKETS_PER_PARAGRAPH = 400
MAX_HTML_TAGS = 1000
_HTML_TAG = re.compile(r"<[A-Za-z]")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
# A setext heading's underline (`===` or `---` under a line of text) makes a heading as `#` does:
# 80,000 of them took a build 129 s when only `#` headings were counted.
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")


def too_complex(body: str, first_line: int) -> tuple[int, str] | None:
    """Shapes that take the build minutes: thousands of `[` in one paragraph or thousands of
    headings, `#` or setext (Python-Markdown's link parser and heading ids are quadratic), thousands of HTML
    tags (the search index's parser is quadratic in their nesting). No real page comes near."""
    headings = brackets = 0
    start = first_line
    masked = blank_data_blocks(refs.mask_code(body))
    tags = list(itertools.islice(_HTML_TAG.finditer(masked), MAX_HTML_TAGS + 1))
    if len(tags) > MAX_HTML_TAGS:
        return refs.line_finder(masked, first_line)(tags[-1].start()), f"page has more than {MAX_HTML_TAGS} HTML tags"
    previous = ""
    for n, line in enumerate(masked.split("\n")):
        above, previous = previous, line
        if not line.strip():
            brackets, start = 0, first_line + n + 1
            continue
        if _HEADING_LINE.match(line) or (
            above.strip() and _SETEXT_UNDERLINE.match(line) and not _SETEXT_UNDERLINE.match(above)
        ):
            headings += 1
            if headings > MAX_HEADINGS:
                return first_line + n, f"page has more than {MAX_HEADINGS} headings"
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_PARAGRAPH:
            return (
                start,
                f"paragraph has more than {MAX_BRACKETS_PER_PARAGRAPH} `[` characters; Markdown would take minutes over it",
            )
    return None
