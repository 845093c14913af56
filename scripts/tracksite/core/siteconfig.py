"""What the checks need to know from mkdocs.yml, read without the engine.

`tracksite check` and the build must see the same site: the docs folder, the templates a page
may name in `template:`, the Markdown extensions and the `toc` settings that make heading ids.
Both read them here, from the same file, so neither can drift from the other. The file is
parsed leniently (unknown tags such as `!ENV` or `!!python/name:` become plain values): it is
the engine's job to refuse a broken configuration, ours only to read what the checks use.

Which `/// name` blocks exist is configuration too: pymdownx.blocks.admonition makes one block
per entry of its `types`, pymdownx.blocks.details likewise, and pymdownx.blocks.caption adds its
caption blocks. Adding `danger` to the admonition types in mkdocs.yml is then all it takes for
`tracksite check` to accept `/// danger` (`SiteConfig.blocks`).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pathspec
import yaml

from tracksite import theme as theme_files
from tracksite.core import configyaml

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
# The adapter adds its own widget blocks; Python-Markdown cannot load them without the engine.
# `tracksite.guard` stops a build without the plugin (tracksite/guard.py); the plugin removes it.
OWN_EXTENSIONS = ("tracksite", "tracksite.guard")


@dataclass(frozen=True)
class Themes:
    """What the engine has installed: each theme's template folder by name, and the engine's own
    templates (MkDocs' sitemap.xml). Engine knowledge: the adapter looks it up
    (adapter/themes.py) and hands it down, so nothing in core reads the engine's entry points."""

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
    use_directory_urls: bool = True
    exclude_docs: str = ""  # mkdocs.yml's gitignore-style lines: docs/ files never published
    draft_docs: str = ""  # ... and docs/ files published only by `mkdocs serve`
    #: (file name, line, message) when mkdocs.yml cannot be read as a mapping: the engine stops
    #: on it too, and every setting above is then a default that tells nothing about the site.
    problem: tuple[str, int | None, str] | None = None
    #: (line, tag) of each tag in mkdocs.yml that MkDocs' own loader runs as Python code.
    code_tags: tuple[tuple[int, str], ...] = ()
    #: The `///` block names mkdocs.yml's pymdownx.blocks extensions define; None where there is
    #: no readable mkdocs.yml, so the defaults apply and no block is called unknown for it.
    blocks: frozenset[str] | None = None
    engine_templates: Path | None = None  # the engine's own pages (Themes.engine_templates)

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
        """Every template a page's `template:` may name: the theme's and the overrides'."""
        found: set[str] = set()
        for folder in self.theme_dirs:
            for dirpath, _, names in os.walk(folder):
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


class _Lenient(yaml.SafeLoader):
    """Plain data; any tag (`!ENV`, `!!python/name:...`) is read as the value it decorates."""


def _any_tag(loader: yaml.SafeLoader, suffix, node):  # noqa: ANN001 - PyYAML's callback shape
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_Lenient.add_multi_constructor("!", _any_tag)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read(root: Path, *, docs_dir: Path | None = None, themes: Themes = NO_THEMES) -> SiteConfig:
    """The site configuration of the project in `root` (defaults when it has no mkdocs.yml);
    `themes`: the installed themes, as the adapter found them."""
    root = root.resolve()
    data: dict = {}
    problem = blocks = None
    tags: list[tuple[int, str]] = []
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            loaded, problem, tags = _load(path)
            data = loaded if isinstance(loaded, dict) else {}
            blocks = _block_names(data) if problem is None else None
            break
    if docs_dir is None:
        docs_dir = root / str(data.get("docs_dir") or "docs")
    theme = data.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else theme if isinstance(theme, dict) else {}
    return SiteConfig(
        root=root,
        docs_dir=docs_dir.resolve() if docs_dir.is_dir() else None,
        theme_dirs=tuple(_theme_dirs(root, theme, themes)),
        extensions=tuple(_extensions(data.get("markdown_extensions"))),
        site_url=str(data.get("site_url") or ""),
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        exclude_docs=_patterns(data.get("exclude_docs")),
        draft_docs=_patterns(data.get("draft_docs")),
        problem=problem,
        code_tags=tuple(tags),
        blocks=blocks,
        engine_templates=themes.engine_templates,
    )


def _load(path: Path) -> tuple[Any, tuple[str, int | None, str] | None, list[tuple[int, str]]]:
    """mkdocs.yml's data, or what stops the engine from reading it (with its line), and the
    tags in it that MkDocs' loader runs as code (configyaml.py)."""
    try:
        text = path.read_text(encoding="utf-8")
        node = configyaml.compose(text, _Lenient)
        too_big = configyaml.expansion_problem(node)
        if too_big is not None:
            return None, (path.name, too_big[0], too_big[1]), []
        loaded = yaml.load(text, Loader=_Lenient)  # noqa: S506 - safe subclass
    except (OSError, UnicodeDecodeError) as e:
        return None, (path.name, None, f"cannot read the site configuration: {e}"), []
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.problem, e.context) if x) or "invalid YAML"
        return None, (path.name, mark.line + 1 if mark else None, f"YAML syntax error: {what}"), []
    except yaml.YAMLError as e:
        return None, (path.name, None, f"YAML syntax error: {e}"), []
    if not isinstance(loaded, dict):
        return (
            None,
            (
                path.name,
                1,
                "expected the site configuration as `key: value` lines (site_name, theme, plugins, ...)",
            ),
            [],
        )
    return loaded, None, configyaml.code_tags(node)


def refusal(path: Path) -> tuple[int, str] | None:
    """(line, message) when mkdocs.yml's aliases would make the engine spend minutes reading it:
    what the plugin checks while MkDocs loads it, before MkDocs writes the settings out."""
    try:
        return configyaml.expansion_problem(configyaml.compose(path.read_text(encoding="utf-8"), _Lenient))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the engine reports these itself


def _patterns(value) -> str:
    """A gitignore-style option as MkDocs takes it: a multi-line string (else none: MkDocs
    itself refuses another type, in its own words)."""
    return value if isinstance(value, str) else ""


def _theme_dirs(root: Path, theme: dict, themes: Themes) -> list[Path]:
    """The course's overrides folder, then tracksite's templates (from the package, as the
    plugin puts them on the engine's search path), then the installed theme's own templates."""
    dirs = []
    custom = theme.get("custom_dir")
    if isinstance(custom, str) and (root / custom).is_dir():
        dirs.append((root / custom).resolve())
    dirs.append(theme_files.TEMPLATES)
    installed = themes.folder(str(theme.get("name") or "mkdocs"))
    if installed is not None:
        dirs.append(installed)
    return dirs


def _extensions(value) -> list[tuple[str, tuple]]:
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            name, options = item, dict[str, Any]()
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            options = options if isinstance(options, dict) else {}
        else:
            continue
        if isinstance(name, str) and name not in OWN_EXTENSIONS:
            out.append((name, _freeze(options)))
    return out


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(v) for v in value))
    return value


def _thaw(value):
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


def _block_names(config: dict) -> frozenset[str]:
    names: set[str] = set()
    for ext, options in _extensions(config.get("markdown_extensions")):
        if ext not in BASE_BLOCK:
            continue
        if base_block := BASE_BLOCK[ext]:
            names.add(base_block)
        options = _thaw(options) if options else {}
        types = options.get("types") if "types" in options else DEFAULT_TYPES.get(ext, ())
        names.update(_type_names(types))
    return frozenset(names)
