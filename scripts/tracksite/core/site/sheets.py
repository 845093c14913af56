"""tracksite's own style sheets as a site publishes them: without their comments.

The package's sheets explain every rule in comments (why a colour, which WCAG criterion, which
browser quirk); a learner's browser needs none of it, and on a runnable lesson's first visit
those comments were 4.1 kB of gzip (issue 83's budget is 90 kB of assets: docs/benchmarks.md).
So the site plan publishes each of tracksite's `.css` files as `published(text)`: the same
tokens, read by a CSS tokenizer (tinycss2, as a browser reads them, so a `/*` inside a string or
a `url()` stays), the comments left out and blank lines dropped. The package's sources keep
their comments; a course's own sheets (docs/, `extra_css`) are published as written.
"""

from __future__ import annotations

import re

import tinycss2

_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def published(text: str) -> str:
    """`text` without its comments: tinycss2 serializes the tokens again, inserting an empty
    comment only where two tokens would otherwise run together (`a/**/b`), and whitespace kept
    as written (rules, selectors and values unchanged), less the lines left empty."""
    nodes = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=False)
    out = _BLANK_LINES.sub("", tinycss2.serialize(nodes)).lstrip("\n")
    return out if out.endswith("\n") or not out else out + "\n"
