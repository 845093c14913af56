"""Reading a built site's search index back, for tests: each page's fragment (the URL, metadata
and sections' text the index keeps for it, tracksite.adapter.search) is a JSON file."""

from __future__ import annotations

import json
from pathlib import Path


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page, by URL (`/track/lesson/`)."""
    found = {}
    for path in sorted((site / "search" / "pages").glob("*.json")):
        fragment = json.loads(path.read_text(encoding="utf-8"))
        found[fragment["url"]] = fragment
    return found


def content(fragment: dict) -> str:
    """A fragment's text: its sections' text, in page order (headings apart)."""
    return " ".join(text for _anchor, _title, text in fragment["sections"])


def sections(fragment: dict) -> dict[str, str]:
    """A fragment's sections a result can lead to: anchor -> heading."""
    return {anchor: title for anchor, title, _text in fragment["sections"] if anchor}


def filters(site: Path) -> dict[str, dict[str, list[str]]]:
    """Each filter's values, with the URLs of the pages each one keeps."""
    urls = {
        int(p.stem): json.loads(p.read_text(encoding="utf-8"))["url"]
        for p in (site / "search" / "pages").glob("*.json")
    }
    out: dict[str, dict[str, list[str]]] = {}
    for name, values in json.loads((site / "search" / "filters.json").read_text(encoding="utf-8")).items():
        for value, gaps in values.items():
            at, ids = -1, []
            for gap in gaps:
                at += gap
                ids.append(at)
            out.setdefault(name, {})[value] = [urls[i] for i in ids]
    return out


def all_text(site: Path) -> str:
    """Everything a search could show: the text, metadata and filters of every indexed page."""
    return "\n".join(json.dumps(f, ensure_ascii=False) for f in fragments(site).values())
