"""Reading a built site's Pagefind index back, for tests: each page's fragment (the text, title,
metadata, filters and headings Pagefind stored for it) is gzipped JSON behind a `pagefind_dcd`
signature."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page, by URL (`/track/lesson/`)."""
    found = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), f"{path} is not a Pagefind fragment"
        fragment = json.loads(data[len(SIGNATURE) :])
        found[fragment["url"]] = fragment
    return found


def all_text(site: Path) -> str:
    """Everything a search could show: the text, metadata and filters of every indexed page."""
    return "\n".join(json.dumps(f, ensure_ascii=False) for f in fragments(site).values())
