"""Links to headings that the import did not keep, loosened so the strict build passes.

Pandoc and Python-Markdown make heading ids alike but not always the same, and a challenge's
title heading becomes the exercise's title (the id goes on an anchor before it). A link to an id the
imported page no longer has would fail `tracksite check` (`lesson:x#id`) or the strict build
(`#id`); it is kept pointing at the page (or as plain text on the same page) and reported. A link the
source lesson itself breaks (an anchor no heading of the source has: a typo upstream) is left to
fragments.py, which loosens it too once the whole track is planned, and says it was upstream's.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from tracksite.commands.importers.carpentries import pandoc
from tracksite.commands.importers.pipeline.plan import INSTRUCTOR_BLOCK
from tracksite.core.markdown.anchors import anchors
from tracksite.core.markdown.references import mask_code
from tracksite.core.model.glossary import term_slug

_SAME_PAGE = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\(#(?P<id>[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*(?:\{[^}]*?#(?P<id>[\w.:-]+)[^}]*\})?\s*#*\s*$", re.M)
_OTHER_PAGE = re.compile(r"\((?P<scheme>lesson|overview|cheatsheet):(?P<page>[^)#\s]+)#(?P<id>[^)\s]+)\)")


def fix(bodies: dict[str, str], track: str, sources: dict[str, Path], note) -> dict[str, str]:
    """`bodies` by lesson slug, with links to missing ids loosened; `note(source, id, message,
    learner)`, `learner` False for a link inside an instructor block (no learner page shows it, so
    loosening it changes no learner count)."""
    ids = {slug: anchors(body) for slug, body in bodies.items()}
    fixed = {}

    def kept(m: re.Match, target: str, source: Path | None) -> str:
        """A link the source lesson itself breaks: left to fragments.py, which loosens and reports
        every such link of the planned track (learner pages and definitions included)."""
        return m.group(0)

    for slug, body in bodies.items():
        masked = mask_code(body)  # the same offsets as `body`; recomputed after the first pass
        hidden = [m.span() for m in INSTRUCTOR_BLOCK.finditer(body)]

        # The two rewriters run inside this iteration (re.sub below) and read `slug` and `masked`
        # as they are then: `other` must see the mask recomputed after the first pass.
        def same(m: re.Match) -> str:
            if m["id"] in ids[slug] or masked[m.start() : m.end()] != m.group(0):  # noqa: B023
                return m.group(0)
            if m["id"] not in upstream_ids(sources.get(slug)):  # noqa: B023
                return kept(m, f"#{m['id']}", sources.get(slug))  # noqa: B023
            note(
                sources.get(slug),  # noqa: B023
                m["id"],
                f"link to #{m['id']} has no heading with that id after the import; kept as text",
                not any(a <= m.start() < b for a, b in hidden),  # noqa: B023
            )
            return m["text"]

        def other(m: re.Match) -> str:
            page = m["page"].split("/")[-1] if m["page"].split("/")[0] in (track,) or "/" not in m["page"] else None
            if page is None or page not in ids or m["id"] in ids[page] or masked[m.start() : m.end()] != m.group(0):  # noqa: B023
                return m.group(0)
            if m["id"] not in upstream_ids(sources.get(page)):
                return kept(m, f"{m['scheme']}:{m['page']}#{m['id']}", sources.get(slug))  # noqa: B023
            note(
                sources.get(slug),  # noqa: B023
                m["id"],
                f"link to {m['scheme']}:{m['page']}#{m['id']} has no heading with that id "
                "after the import; it points at the page instead",
                True,
            )
            return f"({m['scheme']}:{m['page']})"

        body = _SAME_PAGE.sub(same, body)
        masked = mask_code(body)
        fixed[slug] = _OTHER_PAGE.sub(other, body)
    return fixed


def line_of(path: Path | None, anchor: str) -> int:
    """The first line of the source that mentions `#anchor`, for the report."""
    if path is None or not path.is_file():
        return 1
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if f"#{anchor}" in line:
            return n
    return 1


def upstream_ids(path: Path | None) -> set[str]:
    """The ids Pandoc gives the source's headings (auto_identifiers, or `{#id}`): an anchor
    that is none of them was broken in the source lesson, not by the import."""
    if path is None or not path.is_file():
        return set()
    text = path.read_text(encoding="utf-8", errors="replace")
    return {m["id"] or pandoc.auto_id(m["text"]) for m in _HEADING.finditer(text)}


_TO_REFERENCE = re.compile(
    r"(?P<lead>\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)(?:\.\./)?learners/reference\.md#(?P<id>[^)\s]+)", re.M
)
# From a learner page beside it (docs/<track>/learners/): `reference.md#commit`, as links.py writes it.
_TO_REFERENCE_BESIDE = re.compile(
    r"(?P<lead>\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)(?:\./)?(?:\.\./learners/)?reference\.md#(?P<id>[^)\s]+)", re.M
)


def to_glossary(files: dict, track: str, terms: list[tuple[str, str]]) -> int:
    """Links to a term of learners/reference.md (`../learners/reference.md#commit`: the id
    kramdown's `{:auto_ids}` gave it) pointed at the term on the track's glossary page
    (`glossary:commit`), where the import moved it; `terms` are (as upstream, as in glossary.yml).
    The track's learner pages under docs/ (its introduction, setup, discussion) point at it too, as
    `glossary:<track>/commit` (a docs page is in no track); the reference page itself keeps its
    own ids and links, so a link from outside the import still works. Returns how many links changed."""
    names = {pandoc.auto_id(upstream): term_slug(ours) for upstream, ours in terms}
    changed = 0

    def relink(m: re.Match, masked: str, prefix: str) -> str:
        nonlocal changed
        if m["id"] not in names or masked[m.start() : m.end()] != m.group(0):  # a link shown as code stays
            return m.group(0)
        changed += 1
        return f"{m['lead']}glossary:{prefix}{names[m['id']]}"

    learners = f"docs/{track}/learners/"
    for rel, text in files.items():
        if not isinstance(text, str) or not rel.endswith(".md") or rel == f"{learners}reference.md":
            continue
        if rel.startswith((f"lessons/{track}/", f"cheatsheets/{track}/")):
            pattern, prefix = _TO_REFERENCE, ""
        elif rel.startswith(learners):
            pattern, prefix = _TO_REFERENCE_BESIDE, f"{track}/"
        else:
            continue
        files[rel] = pattern.sub(functools.partial(relink, masked=mask_code(text), prefix=prefix), text)
    return changed
