"""What each page of the site is made from, as one digest per page: the edit loop of `mkdocs serve`.

`mkdocs serve` renders again only the pages whose digest changed since the last build of the
session (adapter/serve/rebuild.py), and must still write exactly what a full build writes. A page is
made from its own source (for a lesson, overview or cheatsheet: its file and its folder's data
files and images), from what every page shares (the site configuration and templates, the list
of tracks, the glossary, the guides' titles, the drafts), and from the tracks it shows: its own
and every track within two links of it (prerequisites, deep dives and the lessons a glossary term
is taught in, either way); the home page and the guides show every track.

What a lesson lends to the pages of its track is kept apart from its text (`lesson_states`): its
front-matter as loaded, the glossary terms it uses (the glossary's "used in"), and its exercises,
quizzes, flashcards and instructor notes (the exercise pack, the review deck, the schedule, and
which of those pages a track has). So a save that changes a lesson's prose renders that page
again and nothing else; one that changes its front-matter or its practice renders its track's
pages, the pages of the tracks linked to it that show whole tracks, and the lessons that link to
it across tracks; one that changes track.yml, the glossary, mkdocs.yml,
the theme or a guide's title renders everything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.memo import current, digest, folder_stamp, kept_fact, memo


def _hash(parts: Iterable[str]) -> str:
    return digest(parts, size=16)


class _Digests:
    """Digests of the last call's parts, given again for the same parts. Under `mkdocs serve` a
    save changes the parts of a few pages: the others' parts are the same strings (each kept:
    a file's stamp, a lesson's text, the digests given here), so a page's digest costs a lookup
    (their hashes are kept by the strings), not a digest of every page's parts at every save."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, ...], str] = {}
        self._now: dict[tuple[str, ...], str] = {}

    def __call__(self, *parts: str) -> str:
        found = self._now.get(parts)
        if found is None:
            found = self._last.get(parts)
            self._now[parts] = found = found if found is not None else _hash(parts)
        return found

    def turn(self) -> None:
        """After a call: what it digested is what the next call looks up (no more is held)."""
        self._last, self._now = self._now, {}


def _digests() -> _Digests:
    """The digests of the memory in use (core/memo.py `Memory`): the serve process's across its rebuilds."""
    return current().owned("fingerprints.digests", _Digests)


def _stamps() -> dict[str, tuple[tuple, str]]:
    """Each folder's stamp (`folder_stamp`, kept while the watcher reports no change there) and its
    digest, by folder, in the memory in use."""
    return current().owned("fingerprints.stamps", dict)


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


#: Blocks of a lesson whose text other pages show: the exercise pack, the review deck, the schedule.
SHARED_BLOCKS = (*W.GRADED, W.FLASHCARDS.name, W.INSTRUCTOR.name)


def _shared_blocks(body: str) -> str:
    """The text of a body's blocks that other pages show (remembered per text)."""

    def compute() -> str:
        blocks, _ = find_blocks(body)
        return repr(
            [
                (b.name, b.argument, b.options, b.body, b.closed, b.parent is None)
                for b in iter_blocks(blocks)
                if b.name in SHARED_BLOCKS
            ]
        )

    return memo(("fingerprint-blocks", body), compute)


def lesson_states(project: Any) -> dict[str, str]:
    """Per lesson key, what the lesson lends to pages other than its own: its front-matter as
    loaded, the glossary terms its pages use, and its shared blocks."""
    used: dict[str, list[str]] = {}
    for term, keys in project.glossary.used_in.items():
        for key in keys:
            used.setdefault(key, []).append(f"{term.track}:{term.anchor}")
    blocks: dict[str, list[str]] = {}
    for doc in project.documents:
        if doc.lesson_key is not None:
            blocks.setdefault(doc.lesson_key, []).extend((doc.kind, _shared_blocks(doc.body)))
    # the last call's lessons and their texts, by the lesson object's identity (the object is
    # held, so its id stays its own): a rebuild under `mkdocs serve` loads only the lessons a save
    # changed and keeps the others' objects (core/loader.py), whose frozen fields nothing changes
    # after the load, so their text is not worked out again at every save (a fifth of the digests' time)
    memory, now = current(), {}
    texts: dict[int, tuple[Any, str]] = memory.owned("fingerprints.lesson-texts", dict)
    for lesson in project.curriculum.all_lessons():
        kept = texts.get(id(lesson))
        now[id(lesson)] = kept if kept is not None and kept[0] is lesson else (lesson, repr(lesson))
    memory.keep("fingerprints.lesson-texts", now)
    digests = _digests()
    return {
        lesson.key: digests(now[id(lesson)][1], *sorted(used.get(lesson.key, ())), *blocks.get(lesson.key, ()))
        for lesson in project.curriculum.all_lessons()
    }


def track_states(project: Any, lessons: dict[str, str]) -> dict[str, str]:
    """Per track, what its pages show of the whole track: its track.yml and its lessons' states."""
    parts: dict[str, list[str]] = {t.slug: [repr(t)] for t in project.curriculum.tracks}
    for slug, (_, located) in project.track_files.items():
        parts.setdefault(slug, []).append(repr(located.value))
    for lesson in project.curriculum.all_lessons():
        parts.setdefault(lesson.track, []).append(lessons[lesson.key])
    return {slug: _digests()(*p) for slug, p in parts.items()}


def _stat(path: Path | None) -> str:
    """The file's size and time (asked again under serve only after a change there: core/memo.py)."""
    return kept_fact("size-time", (str(path),), lambda: _ask_stat(path)) if path is not None else "None:missing"


def _ask_stat(path: Path | None) -> str:
    try:
        st = os.stat(path) if path is not None else None
    except OSError:
        st = None
    return f"{path}:{st.st_size}:{st.st_mtime_ns}" if st is not None else f"{path}:missing"


def _guide_titles(project: Any) -> list[str]:
    """What every page shows of the guides (docs/ pages): their addresses and titles (the footer
    lists them), taken from the front-matter and the first `# ` heading."""
    out = []
    for doc in project.documents:
        if doc.kind == "page":
            first = next((line for line in doc.body.splitlines() if line.startswith("# ")), "")
            out.append(
                f"{doc.src_uri}:{(doc.meta.value or {}).get('title') if isinstance(doc.meta.value, dict) else ''}:{first}"
            )
    return out


def site_digests(project: Any, shared: str) -> dict[str, tuple[str, str]]:
    """The digest of every page the site plan renders (by `src_uri`): equal digests, equal page;
    beside it, the digest of the page's own source (which says the page itself was edited).
    `shared` is what every page draws from beyond the course (configuration, templates)."""
    c = project.curriculum
    lessons = lesson_states(project)
    tracks = track_states(project, lessons)
    links = _links(project)
    every = _hash(
        [
            shared,
            *(f"{t.slug}:{t.number}:{t.title}" for t in c.tracks),
            repr(project.glossary.terms),
            *_guide_titles(project),
            *sorted(project.drafts),
        ]
    )
    all_tracks = _hash(f"{slug}={state}" for slug, state in sorted(tracks.items()))
    near_states: dict[str, str] = {}

    def scope(slug: str | None) -> str:
        if slug is None or slug not in tracks:
            return all_tracks
        if slug not in near_states:
            near = set(links.get(slug, ()))
            for other in list(near):
                near |= links.get(other, set())
            near.add(slug)
            near_states[slug] = _hash(f"{s}={tracks.get(s, '')}" for s in sorted(near))
        return near_states[slug]

    stamps: dict[str, str] = {}
    scopes: dict[str, str] = {}  # per lesson key
    shown_tracks = {t.slug: repr(t) for t in c.tracks}  # once, not once per lesson that links out
    out = {}
    for entry in project.site.entries:
        if not entry.src_uri.endswith(".md"):
            continue
        doc = project.document(entry.src_uri)
        if doc is not None and doc.lesson is not None:  # its text, and its folder's data files and images
            folder = str(doc.path.parent)
            if folder not in stamps:
                stamps[folder] = _folder_digest(folder, doc.path.parent)
            own = _digests()(_stat(doc.path), stamps[folder])
            lesson = c.lesson(doc.lesson_key) if doc.lesson_key else None
            if lesson is None:
                shown = scope(doc.track)
            elif lesson.key in scopes:  # (its overview and cheatsheet show what the lesson shows)
                shown = scopes[lesson.key]
            else:
                shown = scopes[lesson.key] = _lesson_scope(c, lesson, tracks, lessons, shown_tracks)
        elif "/" in entry.src_uri:
            own = _own(entry)
            shown = scope(entry.src_uri.split("/", 1)[0])
        else:  # the home page shows every track; a guide only the tracks' titles (in `every`)
            own = _own(entry)
            shown = "" if entry.kind == "docs-page" and entry.src_uri != "index.md" else all_tracks
        out[entry.src_uri] = (_digests()(every, entry.kind, own, shown), _digests()(own))
    _digests().turn()
    return out


def _own(entry: Any) -> str:
    """A page's own source: its file's stamp, or the digest of the text the plan made for it (not
    the text, which the digests kept for the next call would hold)."""
    return _hash((entry.content,)) if entry.content is not None else _stat(entry.path)


def _folder_digest(folder: str, path: Path) -> str:
    """The digest of a lesson folder's files other than its pages: worked out again only when
    the folder's stamp is a new one (a save there)."""
    stamp = folder_stamp(path)
    stamps = _stamps()
    kept = stamps.get(folder)
    if kept is None or (kept[0] is not stamp and kept[0] != stamp):
        kept = stamps[folder] = (stamp, _hash(repr([f for f in stamp if not f[1].endswith(".md")])))
    return kept[1]


def _lesson_scope(c: Any, lesson: Any, tracks: dict[str, str], lessons: dict[str, str], shown: dict[str, str]) -> str:
    """What a lesson's pages show beyond their own text: their whole track (navigation, pager,
    phases), and of other tracks only the lessons they link to (deep dives, the lessons that hand
    over to this one, prerequisites), each with its place in its track (`views.lesson_view`)."""
    keys = {*lesson.deep_dives, *(b.key for b in c.backlinks(lesson))}
    keys |= {p.lesson for p in lesson.prerequisites if p.lesson}
    parts = [tracks.get(lesson.track, "")]
    for key in sorted(keys):
        other = c.lesson(key)
        if other is not None and other.track != lesson.track:
            parts.append(f"{key}={lessons.get(key, '')}:{shown[other.track]}")
    return _digests()(*parts)
