"""The language of each page: the course's (`theme.language`), or its track's (`language:` in
track.yml, set by `tracksite import` from a lesson's `lang:`). It picks the interface strings
(core/messages.py) the templates, the Markdown blocks and the page's JavaScript show, the page's
`lang` and `dir`, and so the stemmer search reads the page with."""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import re
from typing import Any

import jinja2

from tracksite.core import memo, messages
from tracksite.core.model.course import Curriculum
from tracksite.core.site import courseid

log = logging.getLogger("mkdocs.plugins.tracksite")


def course_language(config: Any) -> str:
    theme = getattr(config, "theme", None)
    found = theme.get("language") if theme is not None and hasattr(theme, "get") else None
    return str(found or "en")


def page_language(config: Any, curriculum: Curriculum | None, src_uri: str) -> str:
    """The page's language: its track's when the track declares one, else the course's."""
    track = curriculum.track(src_uri.split("/")[0]) if curriculum is not None and "/" in src_uri else None
    return (track.language if track is not None else None) or course_language(config)


def page_catalogue(lang: str) -> messages.Catalogue:
    """The interface strings of a page in `lang`; warn once a build about missing strings (the
    page's state carries its language to the blocks: core/widgets/common.py `WidgetContext`).
    A language tracksite has no strings for at all (a Japanese lesson's track) is no mistake of
    the course, which can do nothing about it: it is said (the interface is in English), not
    warned about, so the strict build publishes it as `tracksite check` passes it. A catalogue
    that lacks some strings is a mistake of tracksite's, warned about."""
    found = messages.catalogue(lang)
    warned = memo.current().owned("language.warned", set)  # (once a build, not at every serve rebuild)
    if found.missing and found.lang not in warned:
        warned.add(found.lang)
        if not messages.section(found.lang, "page"):
            log.info(
                "tracksite: no interface strings in '%s': its pages' buttons and labels are in English", found.lang
            )
            return found
        log.warning(
            "tracksite: the interface has no '%s' for %d string(s), shown in English: %s",
            found.lang,
            len(found.missing),
            ", ".join(found.missing),
        )
    return found


def context(lang: str, config: Any = None) -> dict[str, Any]:
    """What the templates need of the page's language: `lang`, `dir`, the script's strings, and
    the name of Material's file of its own strings for it (partials/language.html)."""
    found = page_catalogue(lang)
    return {
        "lang": lang,
        "dir": messages.direction(lang),
        "messages": json.dumps(found.script, ensure_ascii=False, separators=(",", ":")),
        "material_lang": material_language(config, lang) if config is not None else None,
    }


def material_language(config: Any, lang: str) -> str:
    """Which of the theme's `partials/languages/*.html` speaks `lang`: the tag itself ("pt-BR"),
    its primary subtag ("es" for "es-MX"), else the course's language, else English. Material
    names a few files by region ("pt-BR", "zh-TW"), most by the primary subtag alone."""
    dirs = tuple(str(d) for d in getattr(getattr(config, "theme", None), "dirs", ()) or ())
    tag = lang.replace("_", "-")
    for name in (tag, messages.language_code(tag), course_language(config)):
        if _theme_has_language(dirs, name):
            return name
    return "en"


@functools.cache
def _theme_has_language(dirs: tuple[str, ...], name: str) -> bool:
    return bool(name) and any(os.path.isfile(os.path.join(d, "partials", "languages", f"{name}.html")) for d in dirs)


def lang_of(ctx: Any) -> str:
    """The language of what a template draws: its page's (`ts.lang`), else the course's (the
    404 page, a theme's page tracksite gives no language), read from the template's context
    rather than from any module: two pages render in their own languages whatever the order."""
    resolve = getattr(ctx, "resolve_or_missing", None)  # (`get`, less two calls)
    ts = resolve("ts") if resolve is not None else None
    lang = ts.get("lang") if isinstance(ts, dict) else None
    if lang:
        return lang
    config = resolve("config") if resolve is not None else None
    return course_language(None if isinstance(config, jinja2.Undefined) else config)


@jinja2.pass_context
def template_text(ctx: Any, key: str, **values: Any) -> str:
    """`t("key")` in a template: the string in the page's language (`lang_of`)."""
    return messages.catalogue(lang_of(ctx)).text(key, **values)


def install(env: jinja2.Environment) -> None:
    env.globals["t"] = template_text
    # Material's own strings (partials/language.html), each looked up once a build
    env.globals["ts_material_text"] = _material_text({})
    # the namespace of the learner's state in the browser (main.html: <meta name="tracksite-course">)
    env.globals["ts_course_id"] = courseid.of_config
    env.globals["ts_course_earlier"] = courseid.earlier_of_config  # the id its keys move from


def _material_text(known: dict[tuple[str, str, str], str]) -> Any:
    """`lang.t(key)` of Material's file of strings for a language, else English's, else the key:
    remembered by the files' names and the key for the build (the environment's), as each call
    of the file's macro builds its whole table of strings again (20 a page)."""

    def text(lang: Any, fallback: Any, key: Any) -> str:
        files = getattr(lang, "__name__", None), getattr(fallback, "__name__", None)
        if not (isinstance(files[0], str) and isinstance(files[1], str) and isinstance(key, str)):
            return str(lang.t(key) or fallback.t(key) or key)
        found = known.get((files[0], files[1], key))
        if found is None:
            found = known[files[0], files[1], key] = str(lang.t(key) or fallback.t(key) or key)
        return found

    return text


_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
_LANG_ATTR = re.compile(r"""\s(?:lang|dir)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def mark_html(output: str, lang: str) -> str:
    """The page's `<html>` with its own `lang` and `dir` (Material writes the course's there): a
    track in Spanish is read aloud, hyphenated and searched as Spanish, Arabic laid out right to
    left."""
    found = _HTML_TAG.search(output)
    if found is None:
        return output
    tag = _LANG_ATTR.sub("", found.group(0))
    marked = f'{tag[:5]} lang="{html.escape(lang)}" dir="{messages.direction(lang)}"{tag[5:]}'
    return output[: found.start()] + marked + output[found.end() :]
