"""What the checks need to know of the site's configuration, as plain values.

`tracksite check` and the build must see the same site: the docs folder, the templates a page
may name in `template:`, the Markdown extensions and the `toc` settings that make heading ids.
Neither reads mkdocs.yml here: the engine loads and validates it (with `-f`, `INHERIT`, `!ENV`
and the command line's overrides), the adapter hands its values down (adapter/config/mkdocsconfig.py,
from the build's own config in the plugin's `on_config`, from the same loader in the commands),
and `settings()` makes them the `SiteConfig` the checks use.

Which `/// name` blocks exist is configuration too: pymdownx.blocks.admonition makes one block
per entry of its `types`, pymdownx.blocks.details likewise, and pymdownx.blocks.caption adds its
caption blocks. Adding `danger` to the admonition types in mkdocs.yml is then all it takes for
`tracksite check` to accept `/// danger` (`SiteConfig.blocks`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec
import yaml

from tracksite import theme as theme_files

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
# The adapter adds its own widget blocks; Python-Markdown cannot load them without the engine.
# `tracksite.guard` stops a build without the plugin (tracksite/guard.py); the plugin removes it.
OWN_EXTENSIONS = ("tracksite", "tracksite.guard")


@dataclass(frozen=True)
class Themes:
    """What the engine has installed: each theme's template folder by name, and the engine's own
    templates (MkDocs' sitemap.xml). Engine knowledge: the adapter looks it up
    (adapter/config/enginethemes.py) and hands it down, so nothing in core reads the engine's entry points."""

    folders: tuple[tuple[str, Path], ...] = ()
    engine_templates: Path | None = None

    def folder(self, name: str) -> Path | None:
        return next((path for theme, path in self.folders if theme == name), None)


#: No installed theme known: only the course's overrides and tracksite's own templates count.
NO_THEMES = Themes()


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    docs_dir: Path | None
    theme_dirs: tuple[Path, ...] = ()
    extensions: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()  # (name, sorted options)
    site_url: str = ""
    site_name: str = ""  # the course's name (course.json's title, and with site_url its id)
    use_directory_urls: bool = True
    exclude_docs: str = ""  # mkdocs.yml's gitignore-style lines: docs/ files never published
    draft_docs: str = ""  # ... and docs/ files published only by `mkdocs serve`
    #: What the engine refused in its configuration (it stops on it too: every setting above is
    #: then a default that tells nothing about the site), and what it warned about.
    problems: tuple[ConfigProblem, ...] = ()
    #: The `///` block names mkdocs.yml's pymdownx.blocks extensions define; None where there is
    #: no usable mkdocs.yml, so the defaults apply and no block is called unknown for it.
    blocks: frozenset[str] | None = None
    engine_templates: Path | None = None  # the engine's own pages (Themes.engine_templates)
    language: str = "en"  # the course's (`theme.language`); a track may have its own
    #: Whether the checks run the exercises' code (in a sandbox, core/sandbox.py): the plugin's
    #: `run_code` setting for builds, `tracksite check --run-code` for a check; off by default.
    run_code: bool = False
    #: ... and in the page's own Python too (Pyodide under Node, in the same sandbox):
    #: `tracksite check --run-code --in-page-python` (core/widgets/runnable/check.py).
    run_code_in_page: bool = False
    #: The course's list of exercises whose check is known to fail (the plugin's
    #: `known_failures:`, a path from the project's root; "" for none): core/widgets/knownfailures.py.
    known_failures: str = ""
    #: the plugin's `course_id:` when it is a valid slug, else "" (core/site/courseid.py)
    course_id: str = ""

    def leaves_out(self, src_uri: str, *, serving: bool = False) -> bool:
        """Whether the engine leaves this docs/ file out of the site, as MkDocs decides it: its
        defaults (dotfiles, templates/), then `exclude_docs`, then `draft_docs` unless serving."""
        if self._specs[0].match_file(src_uri):
            return True
        return not serving and self._specs[1] is not None and self._specs[1].match_file(src_uri)

    @functools.cached_property
    def _specs(self):
        excluded = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/", *self.exclude_docs.splitlines()])
        drafts = pathspec.GitIgnoreSpec.from_lines(self.draft_docs.splitlines()) if self.draft_docs else None
        return excluded, drafts

    def extension_configs(self) -> tuple[list[str], dict[str, dict]]:
        """Names and options, as `markdown.Markdown(extensions=..., extension_configs=...)` wants them."""
        names = [n for n, _ in self.extensions]
        return names, {n: _thaw(opts) for n, opts in self.extensions if opts}

    @functools.cached_property
    def templates(self) -> frozenset[str]:
        """Every template a page's `template:` may name: the theme's and the overrides'. Hidden
        folders are not walked: Material's `.icons` holds 14,000 SVG files and no page template,
        and walking them was a sixth of checking a small course."""
        found: set[str] = set()
        for folder in self.theme_dirs:
            for dirpath, folders, names in os.walk(folder):
                folders[:] = [f for f in folders if not f.startswith(".")]
                rel = os.path.relpath(dirpath, folder)
                for name in names:
                    if name.endswith(".html"):
                        found.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
        return frozenset(found)

    @functools.cached_property
    def static_templates(self) -> frozenset[str]:
        """The pages the engine renders from the theme into the site's root after copying the
        files (MkDocs' own sitemap.xml, the theme's `static_templates` such as Material's
        404.html): a docs/ file of the same name would be overwritten without a word."""
        engine = self.engine_templates
        found = set(os.listdir(engine)) if engine is not None and engine.is_dir() else set()
        for folder in self.theme_dirs:
            theme_yml = folder / "mkdocs_theme.yml"
            try:
                data = yaml.safe_load(theme_yml.read_text(encoding="utf-8")) if theme_yml.is_file() else None
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                data = None
            names = data.get("static_templates") if isinstance(data, dict) else None
            found.update(n for n in names or () if isinstance(n, str))
        return frozenset(found)


@dataclass(frozen=True)
class ConfigProblem:
    """What the engine refused or warned about in its configuration, where it knows the place:
    the file (mkdocs.yml, or a file it INHERITs), the line and column."""

    path: Path
    line: int | None
    message: str
    column: int | None = None
    warning: bool = False  # MkDocs builds with it, but `--strict` (tracksite build's default) stops
    code: str | None = None  # the catalogue's code, where it is not the engine's own TS901/TS902
    hint: str | None = None


def settings(
    root: Path,
    *,
    docs_dir: Path | None,
    custom_dir: Path | None = None,
    theme_dirs: tuple[Path, ...] = (),
    extensions: Iterable[tuple[str, Any]] = (),
    site_url: str = "",
    site_name: str = "",
    use_directory_urls: bool = True,
    exclude_docs: str = "",
    draft_docs: str = "",
    themes: Themes = NO_THEMES,
    problems: tuple[ConfigProblem, ...] = (),
    language: str = "en",
    run_code: bool = False,
    known_failures: str = "",
    course_id: str = "",
) -> SiteConfig:
    """The site configuration from the values the engine validated (plain values: the adapter
    reads them from the engine's own loaded config, so `-f`, `INHERIT` and `!ENV` count as they
    do in the build). `extensions`: each Markdown extension's name and options, as the engine
    resolved them (a `slugify` is the function itself). `theme_dirs`: the theme's folders;
    tracksite's own templates go between them and the course's overrides (`custom_dir`), as the
    plugin puts them on the engine's search path."""
    root = root.resolve()
    listed = [(name, _freeze(options or {})) for name, options in extensions if name not in OWN_EXTENSIONS]
    failed = any(not p.warning for p in problems)
    return SiteConfig(
        root=root,
        docs_dir=docs_dir.resolve() if docs_dir is not None and docs_dir.is_dir() else None,
        theme_dirs=(*([custom_dir.resolve()] if custom_dir else []), theme_files.TEMPLATES, *theme_dirs),
        extensions=() if failed else tuple(listed),
        site_url=site_url,
        site_name=site_name,
        use_directory_urls=use_directory_urls,
        exclude_docs=exclude_docs,
        draft_docs=draft_docs,
        problems=problems,
        blocks=None if failed else _block_names(listed),
        engine_templates=themes.engine_templates,
        language=language,
        run_code=run_code,
        known_failures=known_failures,
        course_id=course_id,
    )


def defaults(root: Path, themes: Themes = NO_THEMES, problems: tuple[ConfigProblem, ...] = ()) -> SiteConfig:
    """The settings of a project without a usable mkdocs.yml: the engine's defaults (docs/, the
    mkdocs theme), and no block called unknown for want of the site's extensions."""
    installed = themes.folder("mkdocs")
    dirs = (installed,) if installed is not None else ()
    config = settings(root, docs_dir=root / "docs", theme_dirs=dirs, themes=themes, problems=problems)
    return dataclasses.replace(config, blocks=None)


@dataclass(frozen=True)
class _Named:
    """An option's Python object (a `slugify` function, a `functools.partial` of one), equal to
    another by its name and arguments: the engine makes a new one at every load of the config, and
    the anchors remembered across `mkdocs serve` rebuilds are keyed by the extensions' options."""

    name: str
    value: Any = field(compare=False, hash=False)


def _name(value: Any) -> str:
    if isinstance(value, functools.partial):
        keywords = sorted((k, repr(v)) for k, v in value.keywords.items())
        return f"{_name(value.func)}({value.args!r}, {keywords!r})"
    module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    return f"{module}.{name}" if module and name else f"{type(value).__qualname__}:{value!r}"


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("__list__", tuple(_freeze(v) for v in value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _Named(_name(value), value)


def _thaw(value):
    if isinstance(value, _Named):
        return value.value
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [_thaw(v) for v in value[1]]
    if isinstance(value, tuple):
        return {k: _thaw(v) for k, v in value}
    return value


#: The defaults of pymdown-extensions when an extension is listed without `types`.
DEFAULT_TYPES = {
    "pymdownx.blocks.admonition": (
        "note",
        "attention",
        "caution",
        "danger",
        "error",
        "tip",
        "hint",
        "warning",
        "important",
    ),
    "pymdownx.blocks.details": (),
    "pymdownx.blocks.caption": ("caption", "figure-caption", "table-caption"),
}
#: The block each of those extensions registers besides its types.
BASE_BLOCK = {
    "pymdownx.blocks.admonition": "admonition",
    "pymdownx.blocks.details": "details",
    "pymdownx.blocks.caption": None,
    "pymdownx.blocks.html": "html",
    "pymdownx.blocks.definition": "define",
    "pymdownx.blocks.tab": "tab",
}


def _type_names(types: Any) -> tuple[str, ...]:
    names = []
    for t in types or ():
        name = t.get("name") if isinstance(t, dict) else t
        if isinstance(name, str):
            names.append(name)
    return tuple(names)


def _block_names(extensions: list[tuple[str, Any]]) -> frozenset[str]:
    names: set[str] = set()
    for ext, options in extensions:
        if ext not in BASE_BLOCK:
            continue
        if base_block := BASE_BLOCK[ext]:
            names.add(base_block)
        options = _thaw(options) if options else {}
        types = options.get("types") if "types" in options else DEFAULT_TYPES.get(ext, ())
        names.update(_type_names(types))
    return frozenset(names)
