"""Reading built files: the links and the browser-visible ids of an HTML or SVG page, and the
`url()`s of a stylesheet, with line numbers. Shared by `tracksite linkcheck` (commands) and the
page-weight tool (tools), which may not import each other, so it lives beside them; the
attributes of one start tag (`tag_attributes`) too, read by the search index (adapter) and the
Pandoc importer (commands)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Attributes that hold a URL, per element; any element's `style` attribute is read for url() too.
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "source": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "input": ("src",),
    "object": ("data",),
    "form": ("action",),
    "button": ("formaction",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "ins": ("cite",),
    "del": ("cite",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
SRCSET_ATTRS: dict[str, tuple[str, ...]] = {"img": ("srcset",), "source": ("srcset",), "link": ("imagesrcset",)}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_REFRESH_URL = re.compile(r"""^\s*\d+(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"]+)""", re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def tag_attributes(raw: str) -> dict[str, str]:
    """The attributes of one start tag (the text after its name), names in lower case, entities
    decoded, an attribute without a value as "", the first of a repeated name kept (as browsers
    do)."""
    out: dict[str, str] = {}
    if not raw or raw.isspace():
        return out
    for name, double, single, bare in _ATTR.findall(raw):
        value = double or single or bare
        out.setdefault(name.lower(), html.unescape(value) if "&" in value else value)
    return out


@dataclass(frozen=True)
class Link:
    """One URL as written in one file, with where it was found."""

    page: Path  # the built file, absolute
    line: int
    where: str  # `<a href>`, `<img srcset>`, `style url()`, `data-config url`, ...
    raw: str

    @property
    def shown(self) -> str:
        """The link as the report names it: `<a href="../x/">`, `<div style> url() "x.png"`."""
        if re.fullmatch(r"<[\w-]+ [\w:-]+>", self.where):
            return f'{self.where[:-1]}="{self.raw}">'
        return f'{self.where} "{self.raw}"'


@dataclass
class PageScan:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Scanner(HTMLParser):
    """Links and browser-visible ids of one HTML (or SVG) file, with line numbers."""

    def __init__(self, page: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.scan = PageScan()
        self._inert = 0  # inside <template> or <noscript>: not in the document a browser scrolls
        self._style = False

    def _add(self, where: str, raw: str | None) -> None:
        if raw is not None:
            self.scan.links.append(Link(self.page, self.getpos()[0], where, raw.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}  # a bare attribute (`<a download>`) holds no URL
        if tag in ("template", "noscript"):
            self._inert += 1
        if not self._inert:
            if a.get("id"):
                self.scan.ids.add(a["id"])
            if tag == "a" and a.get("name"):
                self.scan.ids.add(a["name"])
        self._style = tag == "style"
        for attr in URL_ATTRS.get(tag, ()):
            if a.get(attr):  # an empty href is the page itself; an empty src loads nothing
                self._add(f"<{tag} {attr}>", a[attr])
        for attr in SRCSET_ATTRS.get(tag, ()):
            for url in parse_srcset(a.get(attr) or ""):
                self._add(f"<{tag} {attr}>", url)
        if a.get("style"):
            for url in css_urls(a["style"]):
                self._add(f"<{tag} style> url()", url)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH_URL.match(a.get("content") or "")
            if m:
                self._add("<meta http-equiv=refresh>", m.group(1))
        if a.get("data-config") and a.get("data-widget"):
            for url in config_urls(a["data-config"]):
                self._add(f"<{tag} data-config> url", url)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("template", "noscript") and self._inert:
            self._inert -= 1
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            for url in css_urls(data):
                self._add("<style> url()", url)


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard splits them (URLs may contain commas)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to the next comma outside parentheses
            depth = 0
            while i < n and (value[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


def css_urls(css: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(css) if any(m.groups())]


def config_urls(config: str) -> list[str]:
    """The `url` values of a widget's JSON configuration (the data files it fetches)."""
    try:
        data = json.loads(config)
    except ValueError:
        return []
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "src") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def scan_file(path: Path) -> PageScan:
    scanner = _Scanner(path)
    scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
    scanner.close()
    return scanner.scan


def scan_stylesheet(path: Path) -> list[Link]:
    """The `url()` and `@import` targets of a stylesheet (fonts, images, other stylesheets)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    links = []
    for rx, where in ((CSS_URL, "url()"), (_CSS_IMPORT, "@import")):
        for m in rx.finditer(text):
            raw = next((g for g in m.groups() if g is not None), "")
            if raw:
                links.append(Link(path, text.count("\n", 0, m.start()) + 1, where, raw.strip()))
    return links


def kind_of(raw: str) -> str | None:
    """'internal', 'external', 'local-file' or None (mailto:, data:, javascript:, ... not links to check)."""
    if raw.startswith("//"):
        return "external"
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("http", "https"):
        return "external"
    if scheme == "file":
        return "local-file"
    if scheme and not (len(scheme) == 1 and raw[1:2] == ":"):  # not a Windows drive letter
        return None
    return "internal"
