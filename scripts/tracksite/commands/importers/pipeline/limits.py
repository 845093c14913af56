"""What an imported episode carries, fitted to the lesson schema's limits instead of failing it.

The Workbench sets no limit on an episode's key points or the length of its title; tracksite's
lesson schema does (a header and a Key points page must stay readable). What goes beyond is
moved, not dropped: a long title is shortened, extra questions and key points go to the end of
the body as a list, a too-long item is cut at a word with "…". Each change is reported.
"""

from __future__ import annotations

from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import ListOf, Text
from tracksite.core.site.trackpages import RESERVED_SLUGS


def free_slug(slug: str) -> str:
    """A slug the track's own pages (glossary, review, …) have not taken."""
    return f"{slug}-episode" if slug in RESERVED_SLUGS else slug


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "\u2026"


def fit_episode(ep, title: str, note) -> str:
    """Fit `ep`'s lists in place; return the title to use. `note(message, counts)` reports a change
    (counts: what it takes from the lesson header's lists, counting.py)."""
    fields = schema.LESSON.by_name()
    title_spec = fields["title"].spec
    assert isinstance(title_spec, Text)  # the lesson schema declares the title as text
    title_limit = title_spec.max_length
    if len(title) > title_limit:
        note(f"the title is longer than {title_limit} characters; shortened", None)
        title = shorten(title, title_limit)
    extra: list[str] = []
    for name, heading in (
        ("questions", "More questions"),
        ("keypoints", "More key points"),
        ("objectives", "More objectives"),
    ):
        spec = fields[name].spec
        items = getattr(ep, name)
        length = getattr(spec.item, "max_length", None) if isinstance(spec, ListOf) else None
        if length and any(len(i) > length for i in items):
            note(f"{name}: an item longer than {length} characters was shortened", None)
            items[:] = [shorten(i, length) for i in items]
        limit = getattr(spec, "max_items", None)
        if limit and len(items) > limit:
            note(
                f"{name}: {len(items)} items, {limit} fit the lesson header; the rest are listed at the end of the lesson",
                {name: limit - len(items)},
            )
            extra += ["", f"**{heading}**", "", *(f"- {i}" for i in items[limit:])]
            del items[limit:]
    if extra:
        ep.body = ep.body.rstrip("\n") + "\n" + "\n".join(extra) + "\n"
    return title
