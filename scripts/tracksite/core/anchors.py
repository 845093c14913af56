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

from tracksite.core.siteconfig import SiteConfig

# Every `id="..."` of the rendered page: headings, attr_list `{#id}`, footnotes, raw HTML.
_ID = re.compile(r"""<[a-zA-Z][^<>]*?\sid=(?:"([^"]*)"|'([^']*)')""")
_NAME = re.compile(r"""<a\s[^<>]*?\bname=(?:"([^"]*)"|'([^']*)')""")
DEFAULT_EXTENSIONS = ("toc", "attr_list", "md_in_html", "footnotes", "tables", "def_list", "fenced_code")

Key = tuple  # SiteConfig.extensions: hashable (name, options) pairs


def anchors(markdown_text: str, config: SiteConfig | None = None) -> set[str]:
    """Every id the page will have: headings (as `toc` makes them), `{#id}`, HTML ids, footnotes."""
    key = config.extensions if config is not None and config.extensions else _default_key()
    return set(_anchors(markdown_text, key))


@functools.lru_cache(maxsize=20_000)
def _anchors(markdown_text: str, key: Key) -> frozenset[str]:
    md = _renderer(key)
    md.reset()
    try:
        html = md.convert(markdown_text)
    except Exception:  # noqa: BLE001 - a page the build cannot render is reported by the build
        return frozenset()
    return frozenset(a or b for m in (_ID, _NAME) for a, b in m.findall(html))


def heading_ids(markdown_text: str, config: SiteConfig | None = None) -> list[str]:
    """The ids of the page's headings, in order, as `toc` makes them."""
    key = config.extensions if config is not None and config.extensions else _default_key()
    md = _renderer(key)
    md.reset()
    md.convert(markdown_text)
    out: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            out.append(token["id"])
            walk(token.get("children", ()))

    walk(getattr(md, "toc_tokens", ()))
    return out


@functools.lru_cache(maxsize=8)
def _renderer(key: Key) -> markdown.Markdown:
    """One Markdown instance per extension set; extensions that cannot load are left out (the
    build reports them), the widgets' blocks are the adapter's and not needed for ids."""
    names, configs = SiteConfig(root=None, docs_dir=None, extensions=key).extension_configs()  # type: ignore[arg-type]
    for options in configs.values():  # `slugify: !!python/name:pymdownx.slugs.uslugify` was read as text
        if isinstance(options.get("slugify"), str):
            found = _import(options.pop("slugify"))
            if found is not None:
                options["slugify"] = found
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


def _import(dotted: str):
    import importlib

    module, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        return None
