"""A page's first-visit weight: what a browser with an empty cache downloads to show it.

`first_visit_weight(site_dir, page_url)` reads the page's HTML (no browser) and counts, each
compressed with gzip at level 9 as a server would send it:

* the HTML itself;
* stylesheets (`<link rel=stylesheet>`), and the fonts and `@import`s they name (every `url()`
  of an `@font-face` or `@import` that is not a `data:` URI: an upper bound, since a browser
  fetches a font only when text uses it);
* scripts (`<script src>`, `<link rel=preload|modulepreload>`), the course search's own
  `search.js` and `search.css` among them;
* images (`<img src>`, or the first `srcset` candidate when there is no `src`), the favicon
  (`<link rel=icon>`), `<video poster>`;
* widget data: every `url` in a widget's `data-config`, except the attention heatmap's, which
  attention.js fetches only when the widget comes near the viewport: those files are listed apart,
  under `deferred`, with their own total.

The course search (`[data-ts-search]`) loads its dialog's code and its engine only when a learner
opens it: `search-ui.js` (its `data-ui`), `search-engine.js` beside it, and the index's entry file
`search-index/index.json` (its `data-index`; the filter file loads only when a learner goes to the
track or kind menu). Those are listed apart, under `on_search`, with their total; a query then
adds the word files of its words and one fragment per result shown, which depend on the query
and are measured in Chromium by `tracksite bench --search`.

A widget whose files load when a learner shows intent on it (`<meta name="tracksite-on-intent">`,
widgets.js: the runnable editor, with CodeMirror) is listed apart, under `on_intent`, with the
modules its script imports and their total; the interpreter it starts on a Run is measured by
`tracksite bench --runnable`.

On a page with Material's own search box (a plain MkDocs site; tracksite's theme has none),
Material's search worker and its whole index (`search/search_index.json`) are fetched as the
page loads, before any query: both are counted, the index as kind `search`.

Not counted: background images of stylesheets, `data:` URIs (already inside the
file that holds them), and anything on another origin (there should be none;
tests/browser/test_privacy.py fails on it). A resource loaded twice counts once.
tests/browser/test_privacy.py compares this list with the requests a real Chromium makes on a
first visit.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tracksite.htmlscan import CSS_URL as _CSS_URL
from tracksite.htmlscan import config_urls as _config_urls
from tracksite.htmlscan import parse_srcset
from tracksite.sitepaths import base_path_of

SEARCH_INDEX = "search/search_index.json"
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.I | re.S)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.I)


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (kind, url as written)
        self.material_search = False  # Material's search box: its worker and index load on every visit
        self._config = False
        self.config_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = set(a.get("rel", "").lower().split())
        if tag == "link" and a.get("href"):
            if "stylesheet" in rel:
                self.found.append(("css", a["href"]))
            elif rel & {"icon", "shortcut"}:
                self.found.append(("image", a["href"]))
            elif rel & {"preload", "modulepreload"}:
                kind = {"style": "css", "font": "font", "image": "image"}.get(a.get("as", ""), "js")
                self.found.append(("js" if "modulepreload" in rel else kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))
        elif tag == "meta" and a.get("name") == "tracksite-on-intent" and a.get("data-src"):
            self.found.append(("on-intent", a["data-src"]))
        elif tag == "script" and a.get("id") == "__config":
            self._config = True
        if a.get("data-md-component") == "search":
            self.material_search = True
        elif tag == "img":
            if a.get("src"):
                self.found.append(("image", a["src"]))
            elif a.get("srcset"):
                first = parse_srcset(a["srcset"])
                if first:
                    self.found.append(("image", first[0]))
        elif tag == "video" and a.get("poster"):
            self.found.append(("image", a["poster"]))
        if a.get("data-ts-search") is not None:
            if a.get("data-ui"):
                self.found.append(("on-search", a["data-ui"]))
                self.found.append(("on-search", posixpath.join(posixpath.dirname(a["data-ui"]), "search-engine.js")))
            if a.get("data-index"):
                self.found.append(("on-search", a["data-index"]))
        if a.get("data-widget") and a.get("data-config"):
            # the heatmap fetches its data only when it comes near the viewport (attention.js)
            kind = "deferred" if a["data-widget"] == "attention" else "data"
            for url in _config_urls(a["data-config"]):
                self.found.append((kind, url))

    def handle_endtag(self, tag: str) -> None:
        self._config = False

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config_text += data


def _local(site: Path, base: str, url: str, served_under: str = "/") -> Path | None:
    """The file of the site a same-origin URL names, relative to `base` (a site path), or None.
    `served_under` is the URL path of the site (`/course/`), which absolute URLs start with."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path
    if path.startswith("/") and served_under != "/" and path.startswith(served_under):
        path = "/" + path[len(served_under) :]
    parts = parts._replace(path=path)
    segments: list[str] = [] if parts.path.startswith("/") else base.split("/")[:-1]
    for seg in parts.path.split("/"):
        seg = unquote(seg)
        if seg in ("", "."):
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    found = site.joinpath(*segments) if segments else site
    if parts.path.endswith("/") or found.is_dir():
        found = found / "index.html"
    return found


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _material_search(parser: _Resources, page_rel: str) -> list[tuple[str, str, str]]:
    """Material's search box, where a page has one (a plain MkDocs site): its worker and its whole
    index are fetched as the page loads, before any query, so they count as the page's weight."""
    if not parser.material_search:
        return []
    try:
        config = json.loads(parser.config_text)
    except ValueError:
        return []
    found = []
    if isinstance(config, dict) and isinstance(config.get("search"), str):
        found.append(("js", config["search"], page_rel))
    base = config.get("base", ".") if isinstance(config, dict) else "."
    found.append(("search", f"{base.rstrip('/')}/{SEARCH_INDEX}", page_rel))
    return found


def page_file(site: Path, page_url: str) -> Path:
    url = page_url.strip().lstrip("/")
    path = site / url
    if not url or url.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def first_visit_weight(site_dir: str | Path, page_url: str) -> dict:
    """What a first visit to `page_url` (relative to the site root, e.g.
    "transformers-and-llms/attention-mechanism/") downloads, in bytes and gzip -9 bytes.

    Returns {"page", "total_bytes", "total_gzip", "by_kind": {kind: gzip bytes}, "resources":
    [{"url", "kind", "bytes", "gzip"}], "missing": [urls named but not in the site],
    "not_counted": [what was left out and why], "deferred", "on_search", "on_intent": [resources
    as above], "deferred_gzip", "on_search_gzip", "on_intent_gzip"}. Kinds: html, css, js, font, image, data (and search).
    Raises FileNotFoundError when the page is not in the site."""
    site = Path(site_dir).resolve()
    html_path = page_file(site, page_url)
    if not html_path.is_file():
        raise FileNotFoundError(f"no page {page_url!r} in {site} ({html_path} does not exist)")
    page_rel = html_path.relative_to(site).as_posix()
    parser = _Resources()
    parser.feed(html_path.read_text(encoding="utf-8"))
    parser.close()
    todo: list[tuple[str, str, str]] = [(kind, url, page_rel) for kind, url in parser.found]  # kind, url, base
    todo += _material_search(parser, page_rel)
    page_bytes = html_path.read_bytes()
    visit = _Visit(
        site=site,
        served_under=base_path_of(site),
        seen={html_path},
        resources=[{"url": page_rel, "kind": "html", "bytes": len(page_bytes), "gzip": gzip_size(page_bytes)}],
        not_counted=[] if parser.material_search else [SEARCH_INDEX + " (Material's search: not on this page)"],
    )
    while todo:
        todo += visit.fetch(*todo.pop(0))
    return visit.summary(page_url)


@dataclass
class _Visit:
    """What a first visit has fetched so far; kept apart from the walk so each rule (skip, count,
    defer, follow a stylesheet's fonts and imports) reads on its own."""

    site: Path
    served_under: str
    seen: set[Path]
    resources: list[dict]
    not_counted: list[str]
    missing: list[str] = field(default_factory=list)
    deferred: list[dict] = field(default_factory=list)
    on_search: list[dict] = field(default_factory=list)
    on_intent: list[dict] = field(default_factory=list)

    def fetch(self, kind: str, url: str, base: str) -> list[tuple[str, str, str]]:
        """Count one named resource; return what it names in turn (a stylesheet's fonts and imports)."""
        if url.startswith("data:"):
            return []
        path = _local(self.site, base, url, self.served_under)
        if path is None:
            self.not_counted.append(f"{url} (not on this site)")
            return []
        if path in self.seen:
            return []
        self.seen.add(path)
        if not path.is_file():
            self.missing.append(url)
            return []
        rel = path.relative_to(self.site).as_posix() if path.is_relative_to(self.site) else str(path)
        data = path.read_bytes()
        if kind == "deferred":
            self.deferred.append({"url": rel, "kind": "data", "bytes": len(data), "gzip": gzip_size(data)})
            return []
        if kind == "on-intent":  # a widget's files and the modules its script imports: on a learner's intent
            on_kind = "css" if rel.endswith(".css") else "js"
            self.on_intent.append({"url": rel, "kind": on_kind, "bytes": len(data), "gzip": gzip_size(data)})
            return [] if on_kind == "css" else [("on-intent", ref, base) for _, ref, base in _module_refs(data, rel)]
        if kind == "on-search":
            on_kind = "js" if rel.endswith(".js") else "search"
            self.on_search.append({"url": rel, "kind": on_kind, "bytes": len(data), "gzip": gzip_size(data)})
            return []
        self.resources.append({"url": rel, "kind": kind, "bytes": len(data), "gzip": gzip_size(data)})
        if kind == "js":
            return _module_refs(data, rel)
        return _css_refs(data, rel) if kind == "css" else []

    def summary(self, page_url: str) -> dict:
        """The totals first_visit_weight returns (its docstring lists the keys)."""
        by_kind: dict[str, int] = {}
        for r in self.resources:
            by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + r["gzip"]
        return {
            "page": page_url,
            "total_bytes": sum(r["bytes"] for r in self.resources),
            "total_gzip": sum(r["gzip"] for r in self.resources),
            "by_kind": by_kind,
            "resources": self.resources,
            "missing": self.missing,
            "not_counted": self.not_counted,
            "deferred": self.deferred,
            "deferred_gzip": sum(r["gzip"] for r in self.deferred),
            "on_search": self.on_search,
            "on_search_gzip": sum(r["gzip"] for r in self.on_search),
            "on_intent": self.on_intent,
            "on_intent_gzip": sum(r["gzip"] for r in self.on_intent),
        }


#: `import ... from "./x.js"` in a module, and the modules a script imports as it starts:
#: runnable.js imports the code editor's module (runnable-editor.js, by an address it builds, so
#: no literal names it) as it starts; runnable.js itself loads on a learner's intent (issue 83).
_STATIC_IMPORT = re.compile(rb"""^\s*import\b[^;'"]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']""", re.M)
_LOADS_AS_PAGE_LOADS = {"runnable.js": ("runnable-editor.js",)}


def _module_refs(data: bytes, rel: str) -> list[tuple[str, str, str]]:
    """The modules a script fetches as the page loads: its static imports, and the editor module
    runnable.js imports (relative to the script itself)."""
    refs = [("js", m.decode("utf-8", "replace"), rel) for m in _STATIC_IMPORT.findall(data)]
    refs += [("js", name, rel) for name in _LOADS_AS_PAGE_LOADS.get(posixpath.basename(rel), ())]
    return refs


def _css_refs(data: bytes, rel: str) -> list[tuple[str, str, str]]:
    """The fonts (only those in @font-face: a browser fetches them on first use) and @imports a
    stylesheet names, relative to the stylesheet itself."""
    css = data.decode("utf-8", errors="replace")
    refs: list[tuple[str, str, str]] = []
    for block in _FONT_FACE.findall(css):
        for m in _CSS_URL.finditer(block):
            ref = next(g for g in m.groups() if g is not None)
            refs.append(("font", ref, rel))
    for ref in _IMPORT.findall(css):
        refs.append(("css", ref, rel))
    return refs
