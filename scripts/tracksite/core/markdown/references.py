"""`lesson:`, `overview:`, `cheatsheet:` and `track:` links: finding, resolving, rewriting.

Instructors link by meaning (`lesson:transformers-and-llms/attention-mechanism#queries-keys-and-values`)
and never by URL, so lessons can move and be renumbered without a link breaking. This module also
owns the URL contract: which page lives at which path of the site.
"""

from __future__ import annotations

import bisect
import functools
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tracksite.core.markdown.blocks import lines_holding, text_fence_spans
from tracksite.core.memo import memo
from tracksite.core.model.course import Curriculum
from tracksite.core.model.glossary import GLOSSARY_ANCHOR

SCHEMES = ("lesson", "overview", "cheatsheet", "track", "glossary")
# A fence opens a code block; a backtick fence's info string holds no backtick (CommonMark),
# so "```` ```output ```` blocks" in a sentence is a code span, not a fence.
_CODE_SPAN_MULTI = re.compile(r"(`(?<!``)`*)(?!`)(?:(?!\1)[\s\S])+?(?<!`)\1(?!`)")
# Inline links and images `](target)` and reference definitions `[id]: target` (not footnotes `[^id]:`).
# Neither a target nor a title runs over the next `](`: tried from each `](` of a line, a target
# up to the line's end made a line of `](` quadratic (40 KB took check 40 s, issue 74); a link
# whose target holds `](` is none Markdown would write.
_NO_NEXT_LINK = r"(?:[^)\s>\]]|\](?!\())"
_TITLE = r"(?:\s+[\"'(](?:[^)\]]|\](?!\())*+)?\)"
_INLINE = re.compile(rf"\]\(\s*<?({_NO_NEXT_LINK}++)>?{_TITLE}")
# `](<my data.csv>)`: a target in angle brackets may hold spaces (Python-Markdown links it, and
# MkDocs' own validation lets it pass unseen); only those with a space, `_INLINE` reads the rest.
# Possessive runs that stop at the next `<` or `>`: linear however the line repeats itself.
_ANGLED = re.compile(rf"\]\(\s*<((?:[^<>\s]*+\s)++[^<>]*+)>{_TITLE}")
_DEFINITION = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_UNSAFE = re.compile(r"^(javascript|vbscript|data|file):", re.I)
# Where a URL starts: `](target)`, `](<target>)`, `]: target` (also on the next line), TeX's
# `\href{target}` (MathML keeps it as a link) and the URL attributes of HTML or attr_list
# `{: href="target" }`. Values are checked with entities decoded. Two patterns, read as one
# (`url_values`): the links' start with a literal, scanned fast; an attribute's runs up to an `=`,
# so it is looked for only before each `=` of the page (most prose has none), where it tried
# every word of the page. Its leading lookahead keeps what the single pattern found: `xlink:href`
# is found at its `href`.
_URL_VALUE = r"""\s*(?:<([^>\n]*)>|"([^"]*)"|'([^']*)'|([^\s)>"'{}]+))"""
_URL_LINK = re.compile(r"(?:\]\(|\]:|\\(?:href|url)\s*\{)" + _URL_VALUE, re.I)
_URL_ATTRIBUTE_AT = (
    r"(?=[hsafpdbcHSAFPDBC])(?<![\w-])(?:[\w-]+:)?"
    r"(?:href|src|action|formaction|poster|data|srcset|background|cite|ping)\s*=" + _URL_VALUE
)
_URL_ATTRIBUTE = re.compile(_URL_ATTRIBUTE_AT, re.I)
# the first place, from where the match starts, at which an attribute's URL starts, before one `=`
_URL_ATTRIBUTE_START = re.compile(rf"[\w:\s-]*?(?={_URL_ATTRIBUTE_AT})", re.I)
_BEFORE_EQUALS = re.compile(r"[\w:\s-]*")  # read on the reversed text: what an attribute's start may pass
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_TARGET = re.compile(rf"^(?:(?P<track>{_SLUG})/)?(?P<lesson>{_SLUG})(?:#(?P<anchor>[^\s#]*))?$")
_TRACK_TARGET = re.compile(rf"^(?P<track>{_SLUG})/?(?:#(?P<anchor>[^\s#]*))?$")


@dataclass(frozen=True)
class Link:
    """A link target as written in a Markdown body, with its file line."""

    target: str
    line: int
    start: int  # offset of the target within the body text
    end: int


@dataclass(frozen=True)
class Ref:
    kind: str
    track: str
    lesson: str | None
    anchor: str | None

    @property
    def src_uri(self) -> str:
        return src_uri(self.kind, self.track, self.lesson)


def src_uri(kind: str, track: str, lesson: str | None = None) -> str:
    """The virtual source path of a page; MkDocs turns `x/index.md` into the URL `x/`."""
    if kind == "track":
        return f"{track}/index.md"
    if kind == "glossary":  # the track's glossary page (trackpages.src_uri)
        return f"{track}/glossary.md"
    if kind == "lesson":
        return f"{track}/{lesson}/index.md"
    return f"{track}/{lesson}/{kind}.md"


def url(kind: str, track: str, lesson: str | None = None) -> str:
    """The page's URL relative to the site root, as the core issue's URL contract fixes it."""
    if kind == "track":
        return f"{track}/"
    if kind == "lesson":
        return f"{track}/{lesson}/"
    return f"{track}/{lesson}/{kind}/"


def find_links(body: str, first_line: int) -> Iterator[Link]:
    """Every link target in a Markdown body outside code, with offsets to rewrite it in place."""
    # most lines hold no link: only those that hold a pattern's mark are walked, and scanned by
    # the patterns whose mark they hold
    for n, offset, line in lines_holding(mask_code(body), tuple(mark for _, mark in _LINK_MARKS)):
        for rx, mark in _LINK_MARKS:
            if mark in line:
                for lm in rx.finditer(line):
                    yield Link(lm.group(1), first_line + n, offset + lm.start(1), offset + lm.end(1))


#: Each link pattern with the text every match of it holds.
_LINK_MARKS = ((_INLINE, "]("), (_ANGLED, "](<"), (_DEFINITION, "]:"))


def scheme_of(target: str) -> str | None:
    head, sep, _ = target.partition(":")
    return head if sep and head in SCHEMES else None


def is_unsafe(target: str) -> bool:
    """A URL that runs code or embeds a document, as a browser reads it: HTML entities decoded,
    tabs and newlines dropped, leading spaces and control characters ignored, any letter case."""
    return unsafe_scheme(target) is not None


_BROWSER_DROPS = "".join(map(chr, range(33)))


def unsafe_scheme(target: str) -> str | None:
    if "&" in target or "\t" in target or "\n" in target or "\r" in target:
        url = re.sub(r"[\t\n\r]", "", html.unescape(target)).lstrip(_BROWSER_DROPS)
    else:
        url = target.lstrip(_BROWSER_DROPS)
    m = _UNSAFE.match(url)
    return m.group(1).lower() if m else None


def code_flags(text: str, size: int) -> list[bool]:
    """For each line of `text.split("\n")` (`size` of them), whether it is fenced code (the fence
    lines included), as the build's superfences reads fences (blocks.text_fence_spans, the one
    fence reader, its result remembered per text)."""
    flags = [False] * size
    for first, last in text_fence_spans(text):
        flags[first : last + 1] = [True] * (last + 1 - first)
    return flags


def mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked out (same length, same lines). A code
    span may run over a line break inside a paragraph, as Markdown allows. Remembered per text:
    the loader, the link, image and active-content checks all mask the same bodies."""
    return memo(("mask-code", body), lambda: _mask_code(body))


def _mask_code(body: str) -> str:
    if "`" not in body and "~~~" not in body:  # no code span and no fence: nothing to blank
        return body
    lines = body.split("\n")
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = _CODE_SPAN_MULTI.sub(lambda c: re.sub(r"[^\n]", " ", c.group(0)), "\n".join(paragraph))
            out.extend(text.split("\n"))
            paragraph.clear()

    for line, code in zip(lines, code_flags(body, len(lines))):
        if code or not line.strip():
            flush()
            out.append(" " * len(line) if code else line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)


def unsafe_urls(masked: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line, scheme, target) of every javascript:, vbscript:, data: or file: URL in link,
    reference-definition or attribute position, over line breaks too; `masked` is a body with
    its code blanked out (`mask_code`)."""
    line_at = line_finder(masked, first_line)
    for m in url_values(masked):
        i = next(g for g in range(1, 5) if m.group(g) is not None)
        scheme = unsafe_scheme(m.group(i))
        if scheme:
            yield line_at(m.start(i)), scheme, m.group(i)


def url_values(text: str) -> Iterator[re.Match]:
    """The URLs in link, reference-definition, TeX and attribute position, in order, none inside
    another: what one pattern of both kinds finds scanning left to right (each match starts at a
    `]`, a backslash or a letter, so never two kinds at one place). Groups 1-4: the value."""
    link = _URL_LINK.search(text)
    reverse = text[::-1] if "=" in text else ""  # (no `=`: no attribute)
    attribute = _next_attribute(text, reverse, 0)
    while link is not None or attribute is not None:
        if attribute is None or (link is not None and link.start() < attribute.start()):
            found = link
        else:
            found = attribute
        assert found is not None
        yield found
        end = found.end()
        if link is not None and link.start() < end:
            link = _URL_LINK.search(text, end)
        if attribute is not None and attribute.start() < end:
            attribute = _next_attribute(text, reverse, end)


def _next_attribute(text: str, reverse: str, start: int) -> re.Match | None:
    """The first attribute's URL from `start`: it starts in the run of word characters, `:`, `-`
    and spaces just before an `=`, so only those runs are tried, one `=` at a time."""
    equals = text.find("=", start) if reverse else -1
    while equals >= 0:
        before = _BEFORE_EQUALS.match(reverse, len(text) - equals)  # (always: it may match nothing)
        run = before.end() - before.start() if before is not None else 0
        head = _URL_ATTRIBUTE_START.match(text, max(start, equals - run))
        if head is not None:
            return _URL_ATTRIBUTE.match(text, head.end())
        equals = text.find("=", equals + 1)
    return None


def line_finder(text: str, first_line: int):
    """offset -> file line, in log time (counting newlines per finding is quadratic)."""
    starts = [m.start() for m in re.finditer("\n", text)]
    return lambda offset: first_line + bisect.bisect_left(starts, offset)


@functools.lru_cache(maxsize=65536)
def parse(target: str, current_track: str | None) -> Ref | str:
    """A `scheme:rest` target as a Ref, or the reason it is malformed (remembered: every check
    pass of every rebuild under `mkdocs serve` asks again for the same targets)."""
    kind, _, rest = target.partition(":")
    if kind == "track":
        m = _TRACK_TARGET.match(rest)
        if not m:
            return f"{target!r} is not `track:<track-slug>`"
        return Ref("track", m["track"], None, m["anchor"] or None)
    if kind == "glossary":  # `glossary:term` or `glossary:track/term`: a term of a track's glossary
        m = _TARGET.match(rest)
        if not m or m["anchor"] is not None:
            return f"{target!r} is not `glossary:<term>` or `glossary:<track>/<term>` (the term's anchor slug, no `#`)"
        track = m["track"] or current_track
        if track is None:
            return f"{target!r} names no track; outside a track write `glossary:<track>/<term>`"
        return Ref("glossary", track, None, GLOSSARY_ANCHOR + m["lesson"])
    m = _TARGET.match(rest)
    if not m:
        return (
            f"{target!r} is not `{kind}:<lesson>` or `{kind}:<track>/<lesson>` with an optional "
            "`#anchor` (slugs are lower-case letters, digits and hyphens; no `..` or `/` at the start)"
        )
    track = m["track"] or current_track
    if track is None:
        return f"{target!r} names no track; outside a track write `{kind}:<track>/<lesson>`"
    return Ref(kind, track, m["lesson"], m["anchor"] or None)


def resolve(ref: Ref, curriculum: Curriculum) -> str | None:
    """None when the target exists in this build, else why not."""
    track = curriculum.track(ref.track)
    if track is None:
        known = ", ".join(t.slug for t in curriculum.tracks)
        return f"no track {ref.track!r} (tracks: {known})"
    if ref.kind in ("track", "glossary"):  # a glossary's terms: checks/lessons.resolve, which has them
        return None
    key = f"{ref.track}/{ref.lesson}"
    lesson = curriculum.lesson(key)
    if lesson is None:  # links to drafts: checks/lessons.py says so first, in check and build alike
        return f"no lesson {ref.lesson!r} in track {ref.track!r}"
    if ref.kind == "overview" and lesson.sources.overview is None:
        return f"lesson {key!r} has no overview.md"
    if ref.kind == "cheatsheet" and lesson.sources.cheatsheet is None:
        return f"lesson {key!r} has no cheatsheet"
    return None


@functools.lru_cache(maxsize=4096)
def relative_src(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link from one page's source to another's, which the engine turns into a URL.
    Remembered: a page links to the same few pages many times."""
    return relative(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def relative(path: str, start: str) -> str:
    """`posixpath.relpath` of two paths within the site (addresses, source paths), as seen from
    its root: `relpath` of relative paths asks the system for the working folder twice a call,
    the same answer at each page. A path that could climb out of the root (`..`) or is absolute
    or empty goes to `relpath` as it is."""
    if not path or not start or path[0] == "/" or start[0] == "/" or ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    return posixpath.relpath("/" + path, "/" + start)


def rewrite(body: str, replacements: dict[tuple[int, int], str]) -> str:
    """Replace link targets at the given (start, end) offsets, right to left to keep offsets valid."""
    for (start, end), new in sorted(replacements.items(), reverse=True):
        body = body[:start] + new + body[end:]
    return body
