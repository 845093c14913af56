"""Remote files the instructor chose to publish: `remote-files.yml`, beside mkdocs.yml.

The site makes no third-party requests (docs/security.md), so a file on another host named by a
page, a drawing or a style sheet is refused (core/site/addresses.py), unless the instructor lists it here
with a licence that lets anyone share it. A listed file is not refused: the build downloads it
once (adapter/published/remotecopy.py, cached outside the site), writes it into the site at
`_remote/<hash>/<name>` and points every use at that copy, so the learner's browser only ever
asks the site. `tracksite check` reads the same listing and runs the same passes, without the
network. This module holds what both need: reading the listing (its dataclasses, with the copy's
address, are core/model/listing.py), what the build writes for a downloaded file, and the
rewriting of the pages and files that name one.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from tracksite.core.model.listing import Listing, RemoteFile, safe_name
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import INVALID, read
from tracksite.core.site import svgsafe
from tracksite.core.site.addresses import CSS_URL, LISTING, LOADING, remote_in_css
from tracksite.core.site.published import refusal
from tracksite.core.yaml.safe import Located

FILE_NAME = LISTING
CACHE = "remote-files"  # the course's state folder of the downloads (core/localstate.py), never the checkout
MAX_BYTES = 10_000_000  # like any other file the site publishes (statics.MAX_FILE_BYTES)
# The types a copy may have (core/site/published.py's allow-list): of the documents that can hold
# script, only SVG, which is held to the drawing rules; never HTML, which could not be checked.
COPIED_DOCUMENTS = frozenset({".svg"})
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^<>]*)?>")
_ATTRIBUTE = re.compile(r"""(\s)([\w:.-]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")
_STYLE_BLOCK = re.compile(r"(<style\b[^<>]*>)(.*?)(</style\s*>)", re.I | re.S)


def load(root: Path, read_yaml: Callable, report_schema: Callable, report: Callable[..., None]) -> Listing:
    """The optional remote-files.yml beside mkdocs.yml, read and validated by the loader's own
    means (`read_yaml`, `report_schema`) like every other source."""
    path = root / FILE_NAME
    located = read_yaml(path) if path.is_file() else None
    if located is None:
        return Listing()
    report_schema(path, schema.REMOTE_FILES, located)
    return listing(path, located, report)


def listing(path: Path, located: Located, report: Callable[..., None]) -> Listing:
    """The entries of remote-files.yml that are valid on their own (the loader reported the
    others, at their lines, from the schema): one wrong entry does not turn every other listed
    file into a refusal. An address listed twice is reported at its second entry."""
    out = Listing()
    seen: dict[str, int | None] = {}  # every address written, valid entry or not, at its first line
    items = located.value.get("files") if isinstance(located.value, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        line = located.line("files", i)
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and url in seen:
            hint = "list each address once"
            report(path, line, f"{url!r} is already listed at line {seen[url]}", hint=hint, code="TS106")
            continue
        if isinstance(url, str):
            seen[url] = line
        entry, _ = read(schema.REMOTE_FILE, item)
        if entry is not INVALID:
            item = RemoteFile(
                url=entry["url"],
                licence=entry["licence"],
                credit=entry.get("credit"),
                source=entry.get("source"),
                path=path,
                line=line,
            )
            out.files[entry["url"]] = item
            refused = refusal(item.site_path, checked=COPIED_DOCUMENTS)
            if refused is not None:  # listed all the same: the pages naming it are not refused twice
                why, hint = refused
                report(path, line, f"{entry['url']!r}: {why}", hint=hint, code="TS712")
    return out


def mentioned(listing_: Listing, texts: list[str]) -> set[str]:
    """The listed addresses that some published text names (as written or HTML-escaped)."""
    found = set()
    for url in listing_.files:
        escaped = html.escape(url, quote=True)
        if any(url in text or escaped in text for text in texts):
            found.add(url)
    return found


# -- what the build writes --------------------------------------------------------------------


def vet(item: RemoteFile, data: bytes, allowed: frozenset[str]) -> tuple[bytes | None, str | None]:
    """(the bytes to publish, None) for a downloaded file, or (None, why it is refused): only a
    type on the site's allow-list (core/site/published.py), no document a browser would run, nothing over the size limit, and an SVG or a style sheet held
    to the rules of the project's own (svgsafe.py; remote loads only of listed files)."""
    suffix = PurePosixPath(item.site_path).suffix.lower()
    if len(data) > MAX_BYTES:
        return None, f"it is over {MAX_BYTES:,} bytes"
    refused = refusal(item.site_path, checked=COPIED_DOCUMENTS)
    if refused is not None:
        return None, refused[0]
    if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html", b"<?xml")) and suffix != ".svg":
        return None, "it is a document a browser would open with the site's rights, not a file to show"
    if suffix not in (".svg", ".css"):
        return data, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, f"it is not UTF-8 text, as a {suffix} file must be"
    if suffix == ".css":
        found = remote_in_css(text, allowed=allowed)
        return (None, f"it loads {found[0][1]!r}, which is not listed") if found else (data, None)
    review = svgsafe.review(text, allowed)
    if review.refused:
        line, why = review.refused[0]
        return None, f"the SVG {why} (its line {line})"
    plain = svgsafe.clean(text, allowed)
    return (plain.encode("utf-8") if plain is not None else data), None


def relative(target: str, base_dir: str) -> str:
    """`target` (a path in the site) as seen from a file in `base_dir` (a folder of the site):
    relative, so the site works at any address and under any sub-path."""
    return posixpath.relpath(target, base_dir or ".")


def rewrite_css(text: str, new_url: Callable[[str], str | None]) -> tuple[str, set[str]]:
    """`text` with each listed `url(...)` and `@import` pointing at the copy; the addresses met."""
    met: set[str] = set()

    def one(m: re.Match) -> str:
        local = new_url(m.group(2))
        if local is None:
            return m.group(0)
        met.add(m.group(2))
        return m.group(0)[: m.start(2) - m.start(0)] + local

    return CSS_URL.sub(one, text), met


def rewrite_markup(text: str, new_url: Callable[[str], str | None]) -> tuple[str, set[str]]:
    """HTML or SVG `text` with every attribute that loads a listed file (`src`, `srcset`,
    `poster`, `href` but a link's, `style`, and `<style>` blocks) pointing at the copy; the
    addresses met. Only tags are read: text (a URL shown in prose or code) is never changed."""
    met: set[str] = set()

    def value(url: str) -> str:
        plain = html.unescape(url)
        local = new_url(plain.strip())
        if local is not None:
            met.add(plain.strip())
            return html.escape(local, quote=True)
        parts = []
        for candidate in plain.split(","):
            words = candidate.split()
            local = new_url(words[0]) if words else None
            if local is not None:
                met.add(words[0])
                candidate = candidate.replace(words[0], local, 1)
            parts.append(candidate)
        return html.escape(",".join(parts), quote=True)

    def attribute(tag: str, m: re.Match) -> str:
        name, raw = m.group(2).lower(), m.group(4)
        quote = raw[0] if raw[:1] in "\"'" else ""
        inner = raw[1:-1] if quote else raw
        loads = name in LOADING or name in ("href", "xlink:href") and tag != "a"
        if loads:
            new = value(inner)
        elif name == "style":
            new, found = rewrite_css(html.unescape(inner), new_url)
            met.update(found)
            new = html.escape(new, quote=True) if found else inner
        else:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{quote or chr(34)}{new}{quote or chr(34)}"

    def tag(m: re.Match) -> str:
        name = m.group(1).lower()
        attrs = m.group(2) or ""
        return f"<{m.group(1)}{_ATTRIBUTE.sub(lambda a: attribute(name, a), attrs)}>"

    def style(m: re.Match) -> str:
        css, found = rewrite_css(m.group(2), new_url)
        met.update(found)
        return m.group(1) + css + m.group(3)

    return _STYLE_BLOCK.sub(style, _TAG.sub(tag, text)), met


def credits_html(files: list[RemoteFile]) -> str:
    """The "Third-party files" note under a page: who made each file it shows and under which
    licence, as the licences ask; left out of the search index."""
    items = []
    for item in sorted(files, key=lambda f: (f.credit or "", f.url)):
        who = html.escape(item.credit or safe_name(item.url))
        if item.source:
            who = f'<a href="{html.escape(item.source, quote=True)}">{who}</a>'
        items.append(f"<li>{who} ({html.escape(item.licence)})</li>")
    return (
        '<aside class="ts-credits ts-third-party" aria-label="Third-party files" data-search-ignore>'
        '<p class="ts-credits__label">Third-party files</p>'
        f"<ul>{''.join(items)}</ul></aside>"
    )
