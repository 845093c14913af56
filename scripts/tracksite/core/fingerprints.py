"""What each track's generated pages are made from, as one digest per page.

Under `mkdocs serve --dirty` MkDocs renders again only the pages whose source file is newer than
their output; a page tracksite generates (a track page, its glossary, key points, review,
exercise pack, the instructor's schedule) has no source file, so MkDocs renders every one of
them on every save: at 1,000 lessons that was about 200 pages and their course maps, most of
the time from save to page. With these digests the adapter renders a generated page again only
when something it draws from has changed since the last build of the same `serve` session.

A track's pages draw from its own sources (track.yml, its lessons' front-matter and text, its
glossary) and, through the course map and the "taught in" links, from the lessons of the tracks
it links to. So a page's digest covers its track and every track within two links of it
(prerequisites and deep dives, either way, and the lessons its terms are taught in), plus what
every page shares: the list of tracks (their numbers and titles), the site configuration and the
page's own generated text. Anything outside that (a lesson's prev/next in another track) is what
MkDocs' own `--dirty` does not redraw either, and what it warns about on every dirty build.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable

#: The kinds of site entries whose pages are drawn from the model rather than from a file.
TRACK_KINDS = ("track", "track-page", "schedule")


def _hash(parts: Iterable[str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def track_digests(project: Any) -> dict[str, str]:
    """One digest per track of everything it is loaded from: its track.yml, its lessons (their
    front-matter and the text of every page), and its glossary terms."""
    parts: dict[str, list[str]] = {t.slug: [repr(t)] for t in project.curriculum.tracks}
    for slug, (_, located) in project.track_files.items():
        parts.setdefault(slug, []).append(repr(located.value))
    for lesson in project.curriculum.all_lessons():
        parts.setdefault(lesson.track, []).append(repr(lesson))
    for doc in project.documents:
        if doc.track is not None:
            parts.setdefault(doc.track, []).extend((doc.src_uri, repr(doc.meta.value), doc.body))
    for term in project.glossary.terms:
        parts.setdefault(term.track, []).append(repr(term))
    return {slug: _hash(p) for slug, p in parts.items()}


def _links(project: Any) -> dict[str, set[str]]:
    """Which tracks each track is linked to, either way: cross-track prerequisites, deep dives,
    and the lessons that teach a track's glossary terms."""
    c = project.curriculum
    links: dict[str, set[str]] = {t.slug: set() for t in c.tracks}

    def join(a: str, key: str | None) -> None:
        if key and "/" in key:
            b = key.split("/", 1)[0]
            if b != a:
                links.setdefault(a, set()).add(b)
                links.setdefault(b, set()).add(a)

    for lesson in c.all_lessons():
        for p in lesson.prerequisites:
            join(lesson.track, p.lesson)
        for key in lesson.deep_dives:
            join(lesson.track, key)
    for term in project.glossary.terms:
        join(term.track, term.lesson)
        join(term.track, term.introduced)
    return links


def page_digests(project: Any, shared: str) -> dict[str, str]:
    """The digest of each generated track page, by its `src_uri`. `shared` is what every page
    draws from beyond the course (the site configuration, the templates)."""
    tracks = track_digests(project)
    links = _links(project)
    common = _hash([shared, *(f"{t.slug}:{t.number}:{t.title}" for t in project.curriculum.tracks)])
    out = {}
    for entry in project.site.entries:
        if entry.kind not in TRACK_KINDS:
            continue
        slug = entry.src_uri.split("/", 1)[0]
        near = set(links.get(slug, ()))
        for other in list(near):
            near |= links.get(other, set())
        near.add(slug)
        out[entry.src_uri] = _hash([common, entry.kind, entry.content or "",
                                    *(f"{s}={tracks.get(s, '')}" for s in sorted(near))])
    return out
