"""What a page read while it was built, noted where it is read: the whole-page cache's keys.

A page's whole output (pagecache.py) depends on more than its Markdown: the templates Jinja loads
for it, the parts of its `ts` context and of the configuration its templates draw, the other
pages' titles it shows, the interface's strings, the glossary the plugin links terms from. Listed
by hand in other modules, such a key was wrong as soon as a template read something new. So, as
Sphinx's `env.note_dependency` notes a file a directive reads, a page's reads are noted where they
happen (`Reads.note`), and the template engine's access points are instrumented once
(`Reads.install`): the templates it loads (`get_template`, `select_template`), the names a
template takes from the page's context (a context class of ours), the attributes and items read
of `ts`, `config`, the navigation and the other pages (`Environment.getattr`, `getitem`), and the
interface strings (`t`).

A read is a kind and a name whose value the next build can look up again before the page is
rendered (`Reads.values`). The page's output is kept under the digest of its reads' values, its
reads' names beside it: the next build looks the same names up and finds the output only when
every value is the same. A read that cannot be looked up again (a template global this module
does not know, another page's content) keeps the page from being kept.
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jinja2
import markupsafe
from mkdocs.structure import StructureItem
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.pages import language
from tracksite.core import messages
from tracksite.core.memo import digest, stable_text
from tracksite.core.site import courseid

#: A read: its kind and its name.
Read = tuple[str, str]
#: The kind of a read that cannot be looked up again.
OPAQUE = "opaque"
#: The names MkDocs gives a page's templates whose attributes are read apart.
_ROOTS = ("ts", "config", "page", "nav")
#: Jinja's own globals, the same in every build; `t` and `ts_material_text`, whose strings are
#: reads of their own (`string`, and the language files Material's template imports).
_PURE_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "t", "ts_material_text"})
#: Template globals whose value is a function of the configuration alone: the course's id, and the
#: theme's translations of MkDocs' i18n (those of its `locale`, from the theme's package).
CALLS: dict[str, Callable[[Any], Any]] = {
    "ts_course_id": courseid.of_config,
    "ts_course_earlier": courseid.earlier_of_config,
}
CALLS.update(dict.fromkeys(("_", "gettext", "ngettext", "pgettext", "npgettext"), lambda c: str(c.theme.get("locale"))))
#: Of the page itself, what its own key holds (its conversion, front-matter and address).
_OWN = frozenset({"content", "toc", "title", "meta", "file", "url", "is_homepage", "active", "markdown"})
_OWN |= {"is_page", "is_section", "is_link"}
#: Of what MkDocs gives a page's templates, what the page's own key holds: `base_url` is made of
#: its address alone. And what is the same for every page of a build: looked up once.
_OWN_CONTEXT = frozenset({"base_url"})
_SAME_CONTEXT = frozenset({"mkdocs_version"})
#: Of the page or another page, what the navigation's shape says.
_NAV = frozenset({"previous_page", "next_page", "parent", "ancestors", "children", "is_top_level", "is_index"})
_NAV |= {"url", "abs_url", "is_page", "is_section", "is_link", "is_homepage", "active"}
#: The lines a guide's title can come from (MkDocs: the first level-1 heading).
_HEADINGS = re.compile(r"^#(?!#).*$|^.*<h1.*$", re.M | re.I)
_SETEXT = re.compile(r"^=+[ \t]*$", re.M)
#: How many digested `ts` parts a build keeps (the shared ones stay: every page reads them).
_TEXTS_KEPT = 256
#: A mapping's methods: read whole.
_WHOLE = frozenset({"get", "items", "keys", "values"})
#: Values whose attributes and items are never a read of their own: the parts of `ts` (dicts,
#: lists, text) a template walks, reads of `ts` noted where the template took the part.
_PLAIN = frozenset({dict, list, tuple, str, int, float, bool, type(None), markupsafe.Markup})
#: A dict's own attributes: any other name Jinja's `getattr` looks up as an item.
_DICT_NAMES = frozenset(dir(dict))
_UNSEEN = object()


class Reads:
    """One build's noted reads, page by page, and how each kind of read is looked up again."""

    def __init__(
        self, config: Any, project: Any, ts_of: Callable[[Page], dict[str, Any]], model: str | None = None
    ) -> None:
        self.config = config
        self.project = project
        self.ts_of = ts_of  # the page's `ts` (pagecontext.Contexts.page)
        # the digest of what every page's `ts` is made from (the course's files, the configuration,
        # the code, the plugin's options), when the build computed it: reads of `ts` noted under
        # the same one have the same values, which `values` takes as noted (`ts` is made of the
        # course model alone: a page's own, made again, was a sixth of a warm build at 300 lessons)
        self.model = model
        self.files: Any = None  # set as MkDocs makes them (`on_nav`)
        self.nav: Any = None
        self._noted: dict[str, dict[Read, None]] = {}  # src_uri -> its reads, in the order noted
        self._shared: dict[Read, str] = {}  # values the same for every page of the build
        self._own: dict[str, dict[Read, str]] = {}  # src_uri -> values of the page's own reads
        self._ts: dict[str, dict[str, Any]] = {}  # src_uri -> its `ts`
        self._mkdocs: dict[str, dict[str, Any]] = {}  # src_uri -> what MkDocs gives its templates
        self._pages: list[Any] | None = None
        # id -> (a `ts` part, its digest): a part every page shares (`home`) digested once. Bounded,
        # oldest first out: it keeps the part alive (its id stays its own), and a page's own parts
        # held for the whole build grew it by kilobytes a page (10,000 lessons: a tenth of a GB)
        self._texts: OrderedDict[int, tuple[Any, str]] = OrderedDict()
        self._page: Page | None = None  # the page being built, while its templates render
        self._context: dict[str, Any] = {}
        self._roots: dict[int, tuple[Any, str]] = {}
        self._globals: dict[str, Any] = {}
        # of the page being built: its reads (the dict `_noted` holds), the names its templates
        # took with the value each stood for (noted once), the language of its strings
        self._current: dict[Read, None] = {}
        self._seen: dict[str, Any] = {}
        self._lang: str | None = None

    # -- noting ----------------------------------------------------------------------------
    def note(self, page: Page, kind: str, name: str = "") -> None:
        """The page read `name` of `kind` (Sphinx's `note_dependency`)."""
        self._noted.setdefault(page.file.src_uri, {})[kind, name] = None

    def begin(self, page: Page, context: dict[str, Any]) -> None:
        """The page's templates render now, with `context` (its `ts` may still be added)."""
        self._page, self._context, self._roots, self._seen, self._lang = page, context, {}, {}, None
        self._current = self._noted.setdefault(page.file.src_uri, {})
        self._current["template", page.meta.get("template", "main.html")] = None  # (MkDocs loads it first)

    def end(self) -> None:
        self._page, self._context, self._roots, self._seen, self._lang = None, {}, {}, {}, None
        self._current = {}

    def taken(self, page: Page) -> list[Read]:
        """The page's reads, forgotten here (`let_go` forgets their values)."""
        noted = self._noted.pop(page.file.src_uri, {})
        if noted is self._current:  # (taken while its templates render: what follows is not its)
            self._current = {}
        return list(noted)

    def let_go(self, page: Page) -> None:
        """Forget the page's `ts` and the values looked up of it (its reads stay noted)."""
        self._ts.pop(page.file.src_uri, None)
        self._own.pop(page.file.src_uri, None)
        self._mkdocs.pop(page.file.src_uri, None)

    def _note(self, kind: str, name: str = "") -> None:
        """A read of the page being built (`begin` to `end`)."""
        self._current[kind, name] = None

    # -- the template engine's access points -------------------------------------------------
    def install(self, env: jinja2.Environment) -> None:
        """Note what the templates read, for the page being built (`begin` to `end`)."""
        self._install_context(env)
        self._install_attributes(env)
        self._install_templates(env)
        self._globals = env.globals
        text = env.globals.get("t")
        if callable(text):
            env.globals["t"] = self._strings(text)

    def _install_context(self, env: jinja2.Environment) -> None:
        """The names a template takes from its context, each noted once a page (a template
        resolves a name at each block and include: 270 a page, a fifth of them distinct)."""
        reads, resolve = self, env.context_class.resolve_or_missing

        class Recording(env.context_class):  # type: ignore[name-defined]  # a class of the env's own
            def resolve_or_missing(self, key: str) -> Any:
                value = resolve(self, key)
                if reads._page is not None and reads._seen.get(key, _UNSEEN) is not value:
                    reads._seen[key] = value
                    reads._resolved(key, value)
                return value

        env.context_class = Recording

    def _install_attributes(self, env: jinja2.Environment) -> None:
        """The attributes and items read of the roots (`ts`, `config`, the page, the navigation)
        and of the navigation's items. Most reads a template makes are of the parts of `ts` it
        walks (a sidebar's lessons: 600 a page), plain values that are no read of their own:
        those go straight through, and a dict's item is taken without the exception Jinja's
        `getattr` raises and catches first (same value, same undefined)."""
        reads, getattr_, getitem, undefined = self, env.getattr, env.getitem, env.undefined

        def read_attribute(obj: Any, attribute: str) -> Any:
            if reads._page is not None:
                root = reads._roots.get(id(obj))
                if root is not None or type(obj) not in _PLAIN:
                    reads._attribute(obj, attribute, root)
            if type(obj) is dict and attribute not in _DICT_NAMES:
                try:
                    return obj[attribute]
                except KeyError:
                    return undefined(obj=obj, name=attribute)
            return getattr_(obj, attribute)

        def read_item(obj: Any, argument: Any) -> Any:
            if reads._page is not None and isinstance(argument, str):
                root = reads._roots.get(id(obj))
                if root is not None or type(obj) not in _PLAIN:
                    reads._attribute(obj, argument, root)
            return getitem(obj, argument)

        env.getattr, env.getitem = read_attribute, read_item  # type: ignore[method-assign]

    def _install_templates(self, env: jinja2.Environment) -> None:
        """The templates Jinja loads for the page; each found once a build by its name (Jinja's
        own cache takes a weak reference and a lock at each of a page's 40 includes)."""
        reads, get, select = self, env.get_template, env.select_template
        loaded: dict[tuple[str, str | None], jinja2.Template] = {}

        def get_template(name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
            template = loaded.get((name, parent)) if globals is None and isinstance(name, str) else None
            if template is None:
                template = get(name, parent, globals)
                if globals is None and isinstance(name, str) and not env.auto_reload:
                    loaded[name, parent] = template
            if reads._page is not None and template.name:
                reads._current["template", template.name] = None
            return template

        def select_template(names: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
            template = select(names, parent, globals)
            if reads._page is not None and not isinstance(names, jinja2.Undefined):
                for name in names:  # the names tried before the one found, too: one may appear
                    name = name.name if isinstance(name, jinja2.Template) else env.join_path(name, parent or "")
                    reads._note("template", name or "")
                    if name == template.name:
                        break
            return template

        env.get_template, env.select_template = get_template, select_template  # type: ignore[method-assign]

    def _strings(self, text: Callable[..., str]) -> Callable[..., str]:
        """`t`, noting each string a page shows; once the page's `ts` gives its language, the
        string is taken from that language's catalogue here (what `language.template_text`
        does, less its look-up of `ts`: 50 strings a page)."""
        direct = text is language.template_text

        @jinja2.pass_context
        def t(ctx: Any, key: str, **values: Any) -> str:
            if self._page is not None:
                lang = self._lang
                if lang is None:  # (the page's `ts` gives it once taken: then the same for the page)
                    ts = self._ts.get(self._page.file.src_uri)
                    lang = (ts.get("lang") if isinstance(ts, dict) else None) or language.lang_of(ctx)
                    if isinstance(ts, dict):
                        self._lang = lang
                self._current["string", f"{lang}\0{key}"] = None
                if direct and self._lang is not None:
                    return messages.catalogue(lang).text(key, **values)
            return text(ctx, key, **values)

        return t

    def _resolved(self, key: str, value: Any) -> None:
        """A name the template took from its context: the page's own, or a global."""
        if key in _ROOTS and value is self._context.get(key):
            self._roots[id(value)] = (value, key)
            if key == "ts" and isinstance(value, dict):
                assert self._page is not None
                self._ts[self._page.file.src_uri] = value
            elif key == "nav":  # (iterated as a whole: its shape)
                self._note("nav")
        elif key in self._globals and value is self._globals[key]:
            if key not in _PURE_GLOBALS:
                self._note("call" if key in CALLS else OPAQUE, key)
        elif key in self._context and value is self._context[key] and key not in _OWN_CONTEXT:
            self._note("context", key)

    def _attribute(self, obj: Any, attribute: str, root: tuple[Any, str] | None) -> None:
        kind = root[1] if root is not None and root[0] is obj else None
        if kind is None and obj is self._page:
            kind = "page"
        if kind in ("ts", "config"):
            self._note(kind, "*" if attribute in _WHOLE else attribute)
        elif kind == "page":
            if attribute in _NAV and attribute not in _OWN:
                self._note("nav")
            elif attribute not in _OWN:
                self._note("page", attribute)
        elif kind == "nav":
            self._note("nav")
        elif isinstance(obj, StructureItem):  # another page, a section, a link of the navigation
            if attribute == "title" and isinstance(obj, Page):
                self._note("title", obj.file.src_uri)
            elif attribute in _NAV or attribute == "title":
                self._note("nav")
            else:
                self._note(OPAQUE, f"{type(obj).__name__}.{attribute}")

    # -- looking the reads up again ----------------------------------------------------------
    def values(self, page: Page, reads: list[Read], noted: dict[Read, str] | None = None) -> list[str] | None:
        """Each read's value, now, as a digest; None when one cannot be looked up. `noted`: the
        values of the page's `ts` reads a build noted under this build's `model`."""
        shared, own = self._shared, self._own.setdefault(page.file.src_uri, {})
        if noted:
            own.update(noted)
        out = []
        for read in reads:
            value = shared.get(read)  # (most reads: the same for every page)
            if value is None:
                value = own.get(read)
            if value is None:
                value = self.value(page, *read)
                if value is None:
                    return None
            out.append(value)
        return out

    def value(self, page: Page, kind: str, name: str) -> str | None:
        """A read's value now, as `_value_text` notes it (remembered for the build, or for the page)."""
        shared = _SHARED.get(kind)
        if shared is not None:
            value = self._shared[kind, name] = _value_text(shared(self, name))
            return value
        own = _OWN_KINDS.get(kind)
        if own is None:
            return None
        value = self._own.setdefault(page.file.src_uri, {})[kind, name] = _value_text(own(self, page, name))
        if kind == "context" and name in _SAME_CONTEXT:
            self._shared[kind, name] = value
        return value

    def _ts_value(self, page: Page, name: str) -> str:
        ts = self._ts.get(page.file.src_uri)
        if ts is None:
            ts = self._ts[page.file.src_uri] = self.ts_of(page)
        if name == "*":
            return _text(ts)
        part = ts.get(name, KeyError)
        if isinstance(part, str):  # (the strings of the page's language: long, and no JSON needed)
            return "str:" + part
        if isinstance(part, dict | list):  # (a part every page shares, `home`, is the same object)
            known = self._texts.get(id(part))
            if known is None or known[0] is not part:
                known = self._texts[id(part)] = (part, digest([_text(part)]))
                if len(self._texts) > _TEXTS_KEPT:
                    self._texts.popitem(last=False)
            else:
                self._texts.move_to_end(id(part))
            return known[1]
        return _text(part)

    def _context_value(self, page: Page, name: str) -> str:
        context = self._mkdocs.get(page.file.src_uri)
        if context is None:
            if self._pages is None:  # (as MkDocs hands them to `_build_page`: once, not per page)
                self._pages = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
            context = self._mkdocs[page.file.src_uri] = mkdocsinternals.page_context(
                self.nav, self._pages, self.config, page
            )
        return stable_text(context.get(name))

    def _config_value(self, name: str) -> str:
        if name == "*":
            return stable_text({k: self._config_value(k) for k in self.config})
        if name == "theme":
            theme = self.config.theme
            return stable_text({"name": theme.name, "dirs": list(theme.dirs), **dict(theme.items())})
        return stable_text(self.config.get(name))

    def _template_value(self, name: str) -> str:
        """The file Jinja's loader finds for `name` in the theme's folders, by content."""
        for folder in self.config.theme.dirs:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                with open(path, "rb") as fh:
                    return digest([path.encode(), fh.read()])
        return "missing"

    def _nav_value(self, name: str) -> str:
        """The navigation's shape: its sections' titles, its links and pages' addresses (a
        page's title is a read of its own)."""

        def shape(items: Any) -> list[Any]:
            out: list[Any] = []
            for item in items or ():
                if isinstance(item, Page):
                    out.append(("page", item.file.src_uri, item.url))
                else:
                    out.append((type(item).__name__, item.title, getattr(item, "url", None), shape(item.children)))
            return out

        return digest([stable_text(shape(self.nav.items if self.nav is not None else []))])

    def _title_value(self, src_uri: str) -> str:
        """What another page's title is made from, before that page is converted: a lesson's
        entry in the course, a track page's track, a guide's front-matter title and headings."""
        project = self.project
        doc = project.document(src_uri)
        if doc is not None and doc.lesson_key:
            return stable_text([doc.kind, repr(project.curriculum.lesson(doc.lesson_key))])
        if doc is not None:
            meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
            headings = _HEADINGS.findall(doc.body)  # (a setext heading: the whole text)
            return digest([stable_text(meta.get("title")), *headings, doc.body if _SETEXT.search(doc.body) else ""])
        track = project.curriculum.track(src_uri.split("/")[0])
        return stable_text([src_uri, repr(track), self.config.get("site_name")])

    def _string_value(self, name: str) -> str:
        lang, key = name.split("\0", 1)
        found = messages.catalogue(lang)
        return found.page.get(key) or found.script.get(key) or key


def _value_text(text: str) -> str:
    """A read's value as the cache notes it: a short one as it is, after "=" (a digest, 24 hex
    digits, never starts so), a longer one or one with a tab or a line break by its digest. A
    page reads a hundred values, most of them a title, an address or a flag: a digest each was
    a fifth of the time its reads took to look up."""
    if len(text) <= _RAW_LONGEST and "\t" not in text and "\n" not in text:
        return "=" + text
    return digest([text], size=12)


#: How long a read's value is noted as it is (`_value_text`).
_RAW_LONGEST = 40


def _text(value: Any) -> str:
    """A part of `ts` as text: JSON where it can be (the views are dicts, lists and strings made
    in the same order from the same course), `stable_text` for anything else. A text that
    differs only in its order makes a page miss, never hit wrongly."""
    try:
        return json.dumps(value, ensure_ascii=False, default=stable_text)
    except (TypeError, ValueError):  # (a key that is not text)
        return stable_text(value)


_SHARED: dict[str, Callable[[Reads, str], str]] = {
    "template": Reads._template_value,
    "config": Reads._config_value,
    "nav": Reads._nav_value,
    "title": Reads._title_value,
    "string": Reads._string_value,
    "call": lambda reads, name: stable_text(CALLS[name](reads.config)),
    "glossary": lambda reads, name: digest([repr(reads.project.glossary.terms)]),
    "track": lambda reads, name: repr(reads.project.curriculum.track(name)),
}
_OWN_KINDS: dict[str, Callable[[Reads, Page, str], str]] = {
    "ts": Reads._ts_value,
    "context": Reads._context_value,
    "page": lambda reads, page, name: stable_text(getattr(page, name, None)),
}
