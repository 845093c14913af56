"""What a served page holds around the parts its reload script swaps in place, as a digest.

Under `mkdocs serve` the reload script (livereload.js) updates the open page after a save by
replacing what Material's instant navigation replaces (the container with the navigation, the
content and the table of contents; the header's topic, the logo, the skip link, the announcement,
the outdated-version banner, the tabs) and the title and per-page meta. Everything else must be
what the new page has too: the style sheets and scripts, the CSP, `<html>`'s language, the header
around the topic, Material's configuration. The script cannot tell from the page it shows, which
its own scripts have changed since (Material's palette script unhides a toggle, adds meta tags),
so the server, which has the page as it was sent, puts this digest on the script's tag: the same
digest on the new page, or the page is reloaded whole.
"""

from __future__ import annotations

import hashlib
import re

#: The components Material's instant navigation replaces (Material 9.x, `setupInstantNavigation`).
SWAPPED = ("announce", "container", "header-topic", "outdated", "logo", "skip", "tabs")

_COMPONENT = re.compile(rb'data-md-component="(?:' + b"|".join(n.encode() for n in SWAPPED) + rb')"')
_TAG_NAME = re.compile(rb"<([A-Za-z][\w-]*)")
#: the head's per-page elements, which the script replaces with the rest
_PER_PAGE = re.compile(
    rb"<title>.*?</title>|<link rel=\"(?:prev|next|canonical)\"[^>]*>|<meta name=\"(?:author|description)\"[^>]*>",
    re.S,
)


def digest(page: bytes) -> str:
    """The digest of `page` outside its swapped parts and per-page head elements; "" when the
    parts cannot be told apart (an element not closed), which the script reloads for."""
    kept: list[bytes] = []
    pos = 0
    while (found := _COMPONENT.search(page, pos)) is not None:
        start = page.rfind(b"<", pos, found.start())
        name = _TAG_NAME.match(page, start) if start != -1 else None
        end = _element_end(page, name.group(1), name.end()) if name else None
        if end is None:
            return ""
        kept.append(page[pos:start])
        kept.append(b"<!--part-->")
        pos = end
    kept.append(page[pos:])
    text = b"".join(kept)
    head_end = text.find(b"</head>")
    if head_end != -1:
        text = _PER_PAGE.sub(b"", text[:head_end]) + text[head_end:]
    return hashlib.blake2b(text, digest_size=10).hexdigest()


def _element_end(page: bytes, name: bytes, pos: int) -> int | None:
    """Where the element whose start tag ends at `pos` ends (after its end tag), counting the
    elements of the same name opened and closed inside it."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>/]", re.I)
    depth = 1
    for tag in tags.finditer(page, pos):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = page.find(b">", tag.end() - 1)
            return None if close == -1 else close + 1
    return None
