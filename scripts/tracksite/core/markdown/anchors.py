"""Heading anchors made by Python-Markdown itself, with the site's own extensions and `toc` settings.

`tracksite check` validates `lesson:x#anchor` and `page.md#anchor` links without building, so it
needs every id a page will have before any HTML exists. Re-deriving them from the source gets
setext headings, `__init__`, footnote references, emphasis and entities wrong; rendering the
page with the Markdown the build uses (Python-Markdown with mkdocs.yml's `markdown_extensions`,
`toc` options included) gives exactly the ids the built page has. Results are memoised by the
page's text, so `mkdocs serve` re-renders only the pages that changed.
"""

from __future__ import annotations

import functools
import re

import markdown
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique

from tracksite.core.markdown.blocks import blank_data_blocks_of
from tracksite.core.markdown.references import code_flags
from tracksite.core.memo import memo
from tracksite.core.siteconfig import SiteConfig

# Every `id="..."` of the rendered page: headings, attr_list `{#id}`, footnotes, raw HTML.
_ID = re.compile(r"""<[a-zA-Z][^<>]*?\sid=(?:"([^"]*)"|'([^']*)')""")
_NAME = re.compile(r"""<a\s[^<>]*?\bname=(?:"([^"]*)"|'([^']*)')""")
DEFAULT_EXTENSIONS = ("toc", "attr_list", "md_in_html", "footnotes", "tables", "def_list", "fenced_code")

Key = tuple  # SiteConfig.extensions: hashable (name, options) pairs


def anchors(markdown_text: str, config: SiteConfig | None = None, first_line: int = 1) -> set[str]:
    """Every id the page will have: headings (as `toc` makes them), `{#id}`, HTML ids, footnotes.
    `first_line`: the file line the text starts on, as the other passes parse its blocks (the
    ids do not depend on it: their parse is shared)."""
    key = config.extensions if config is not None and config.extensions else _default_key()
    return set(memo(("anchors", markdown_text, key), lambda: _ids(skeleton(markdown_text, first_line), key)))


def _ids(skeleton_text: str, key: Key) -> frozenset[str]:
    plain = plain_heading_ids(skeleton_text, key)
    return plain if plain is not None else _anchors(skeleton_text, key)


# An ATX heading line, and the characters an inline pattern of Python-Markdown or of a common
# extension can read as syntax (emphasis, code, links, images, HTML, entities, attr_list, math,
# caret/tilde/mark/keys, a closing `#` run): a heading without them keeps its text as written.
_ATX_LINE = re.compile(r"#{1,6}[ \t]+(.*?)[ \t]*(?:[ \t]#+[ \t]*)?")
_SYNTAX = re.compile(r"""[\\`*_\[\]<>&{}$^~=+#|"]""")
# What some extensions make of ordinary characters: smarty's quotes, dashes and ellipses,
# smartsymbols' (c) and 1/2, emoji's :name:, magiclink's shortened addresses and @mentions.
_EXTENSION_SYNTAX = {
    "smarty": re.compile(r"['\"]|--|\.\.|<<|>>"),
    "smartsymbols": re.compile(r"[()/]|--|<-|->|=/="),
    "emoji": re.compile(r":[^\s:]+:"),
    "magiclink": re.compile(r"://|www\.|@"),
}


def _extension_syntax(key: Key) -> list[re.Pattern]:
    names = [name.rsplit(".", 1)[-1] for name, _ in key]
    return [pattern for ext, pattern in _EXTENSION_SYNTAX.items() if ext in names]


def plain_heading_ids(skeleton_text: str, key: Key) -> frozenset[str] | None:
    """The ids of a page whose skeleton is plain ATX headings only, as `toc` makes them (its own
    slugify, separator and numbering of repeats), without rendering: most lessons' pages, and
    rendering was most of a check's time. None when any line needs the real renderer."""
    extra = _extension_syntax(key)
    texts = []
    for line in skeleton_text.split("\n"):
        if not line.strip():
            continue
        m = _ATX_LINE.fullmatch(line)
        text = m.group(1).strip() if m else ""
        if not text or _SYNTAX.search(text) or any(p.search(text) for p in extra):
            return None
        texts.append(text)
    slugify, separator = _toc(key)
    used: set[str] = set()
    counters: dict[str, int] = {}
    for text in texts:
        unique(slugify(text, separator), used, counters)
    return frozenset(used)


@functools.lru_cache(maxsize=8)
def _toc(key: Key):
    """The `toc` slugify and separator of the site's settings (defaults: Python-Markdown's)."""
    names, configs = _settings(key)
    options = next((configs.get(n, {}) for n in names if n in ("toc", "markdown.extensions.toc")), {})
    return options.get("slugify", toc_slugify), options.get("separator", "-")


# What decides a heading's id: the heading lines, setext underlines, the definitions a heading can
# use (footnotes, links, abbreviations) and every other id on the page (`unique` avoids them).
_ATX = re.compile(r"^\s*(?:(?:>|[-*+]|\d+[.)])\s*)*#{1,6}(?:\s|$)")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_DEFINITION = re.compile(r"^\s{0,3}(?:\*?\[[^\]]+\]:)")
_HAS_ID = re.compile(r"""\bid\s*=|\{[:\s]*[^}]*#""")


def skeleton(markdown_text: str, first_line: int = 1) -> str:
    """The page with every line that cannot change a heading id blanked (lines kept, so block
    structure stays): rendering it gives the ids of the whole page, about 20 times faster, which
    is what keeps checking a course of 1,000 lessons in seconds. Fenced code and widget data are
    blanked first: a `#` line there is no heading."""
    lines = markdown_text.split("\n")
    code = "\n".join("" if c else line for line, c in zip(lines, code_flags(markdown_text, len(lines))))
    lines = blank_data_blocks_of(code, markdown_text, first_line).split("\n")
    keep = [False] * len(lines)
    # each pattern is tried only on a line that holds a character every match of it holds (most
    # lines of prose hold "id", in "did" or "side", none of `=` or `{`)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if ("=" in line or "{" in line) and _HAS_ID.search(
            line
        ):  # its whole block: `term { #id }` needs its `:   definition`
            start = end = i
            while start > 0 and lines[start - 1].strip():
                start -= 1
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            keep[start : end + 1] = [True] * (end + 1 - start)
        elif ("#" in line and _ATX.match(line)) or ("]:" in line and _DEFINITION.match(line)):
            keep[i] = True
        elif (
            ("=" in line or "-" in line)
            and _SETEXT.match(line)
            and i > 0
            and lines[i - 1].strip()
            and (i < 2 or not lines[i - 2].strip())
        ):
            keep[i] = keep[i - 1] = True
    return "\n".join(line if k else "" for line, k in zip(lines, keep))


def _anchors(markdown_text: str, key: Key) -> frozenset[str]:
    md = _renderer(key)
    md.reset()
    try:
        html = md.convert(markdown_text)
    except Exception:  # noqa: BLE001 - a page the build cannot render is reported by the build
        return frozenset()
    return frozenset(a or b for m in (_ID, _NAME) for a, b in m.findall(html))


@functools.lru_cache(maxsize=8)
def _settings(key: Key) -> tuple[list[str], dict[str, dict]]:
    """The extensions' names and options (a `slugify` is the function the engine loaded)."""
    return SiteConfig(root=None, docs_dir=None, extensions=key).extension_configs()  # type: ignore[arg-type]


@functools.lru_cache(maxsize=8)
def _renderer(key: Key) -> markdown.Markdown:
    """One Markdown instance per extension set; extensions that cannot load are left out (the
    build reports them), the widgets' blocks are the adapter's and not needed for ids."""
    names, configs = _settings(key)
    usable = []
    for name in names:
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: configs.get(name, {})})
        except Exception:  # noqa: BLE001 - unknown or engine-bound extension
            continue
        usable.append(name)
    if "toc" not in usable and "markdown.extensions.toc" not in usable:
        usable.append("toc")
    return markdown.Markdown(extensions=usable, extension_configs={n: configs[n] for n in usable if n in configs})


def _default_key() -> Key:
    return tuple((name, ()) for name in DEFAULT_EXTENSIONS)
