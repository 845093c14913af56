"""Reading a built site's search index back, for tests: a page's sections are packed into JSON
files (`pages/<id>-<n>.json`: the page's URL and metadata and, in order, each section's anchor,
heading and text; tracksite.search.stream `fragment_files`), put together here as one entry per
page."""

from __future__ import annotations

import json
from pathlib import Path


def _section_files(site: Path) -> list[tuple[int, int, dict]]:
    out = []
    for path in (site / "search-index" / "pages").glob("*.json"):
        page, section = map(int, path.stem.split("-"))
        out.append((page, section, json.loads(path.read_text(encoding="utf-8"))))
    return sorted(out, key=lambda t: (t[0], t[1]))


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page, by URL (`/track/lesson/`): its metadata and its sections in order,
    each `[anchor, heading, text]`."""
    found: dict[str, dict] = {}
    for _page, _n, part in _section_files(site):
        page = found.setdefault(part["url"], {"url": part["url"], "meta": part["meta"], "sections": []})
        assert page["meta"] == part["meta"], part["url"]
        page["sections"].extend(part["sections"])
    return found


def content(fragment: dict) -> str:
    """A fragment's text: its sections' text, in page order (headings apart)."""
    return " ".join(text for _anchor, _title, text in fragment["sections"])


def sections(fragment: dict) -> dict[str, str]:
    """A fragment's sections a result can lead to: anchor -> heading."""
    return {anchor: title for anchor, title, _text in fragment["sections"] if anchor}


def filters(site: Path) -> dict[str, dict[str, list[str]]]:
    """Each filter's values, with the URLs of the pages each one keeps."""
    urls = {page: part["url"] for page, _n, part in _section_files(site)}
    out: dict[str, dict[str, list[str]]] = {}
    for name, values in json.loads((site / "search-index" / "filters.json").read_text(encoding="utf-8")).items():
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
