"""The site's configuration as the engine loads it, handed to the checks as plain values.

The build and `tracksite check` must check the same site. The plugin takes it from the config
MkDocs validated for the build (`from_mkdocs`, in `on_config`); the commands load it with
MkDocs' own `load_config` (`load`), so `-f other.yml`, `INHERIT:` and `!ENV` mean in a check
what they mean in the build. What MkDocs refuses in the file becomes located problems
(file:line), not a traceback: its YAML errors carry their mark, its validation errors name a
setting, found again at its line.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tracksite.adapter import enginethemes
from tracksite.core.site import config as siteconfig
from tracksite.core.site.config import ConfigProblem, SiteConfig
from tracksite.core.yaml import configfile as configyaml
from tracksite.errors import USAGE, UserError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")  # what `mkdocs build` looks for without -f
_SETTING = re.compile(r"Config value '([^']+)': (.*)", re.S)


def config_file(root: Path, given: str | Path | None = None) -> Path | None:
    """The configuration file: `-f` as given (relative to the working folder, as MkDocs takes
    it), else mkdocs.yml (or mkdocs.yaml) in the project; None when the project has neither."""
    if given is not None:
        path = Path(given).resolve()
        if not path.is_file():
            raise UserError(f"config file {given} does not exist", exit_code=USAGE)
        return path
    return next((root / n for n in CONFIG_NAMES if (root / n).is_file()), None)


def guard(path: Path) -> tuple[ConfigProblem, ...]:
    """What the file holds that the engine must not be handed, or should be warned about, read
    from its YAML nodes before MkDocs loads it (core/yaml/configfile.py): aliases that grow past
    what a real configuration holds once written out (MkDocs writes every setting out in a
    debug line while it loads, so the build and the check refuse the file before that), and
    tags that make MkDocs' loader run Python code (a warning: the build runs them, and so does
    the check, which loads the configuration as the build does)."""
    try:
        # composed, not constructed: aliases stay shared nodes, and no tag runs
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()  # the engine reports these itself, at their line
    too_big = configyaml.expansion_problem(node)
    if too_big is not None:
        line, message = too_big
        return (ConfigProblem(path, line, message, code="TS015", hint=configyaml.HINT),)
    return tuple(
        ConfigProblem(
            path,
            line,
            f"`{tag}` makes MkDocs run Python code when it reads {path.name}",
            warning=True,
            code="TS903",
            hint="remove it unless you wrote it yourself; a value or `!!python/name:` does what settings need",
        )
        for line, tag in configyaml.code_tags(node)
    )


def refused(problems: tuple[ConfigProblem, ...]) -> bool:
    return any(not p.warning for p in problems)


def from_mkdocs(config: MkDocsConfig, problems: tuple[ConfigProblem, ...] | None = None) -> SiteConfig:
    """The checks' view of a config MkDocs validated: the build's own (its file guarded here,
    as `load` guards it), or `load`'s, with the problems `load` found."""
    root = Path(config.config_file_path or ".").resolve().parent
    if problems is None:
        problems = guard(Path(config.config_file_path)) if config.config_file_path else ()
    custom = config.theme.custom_dir
    engine = enginethemes.installed()
    theme_dirs = tuple(Path(d) for d in config.theme.dirs if d != custom and Path(d) != engine.engine_templates)
    return siteconfig.settings(
        root,
        docs_dir=Path(config.docs_dir),
        custom_dir=Path(custom) if custom else None,
        theme_dirs=theme_dirs,
        extensions=[
            (name, config.mdx_configs.get(name, {})) for name in config.markdown_extensions if isinstance(name, str)
        ],
        site_url=config.site_url or "",
        use_directory_urls=bool(config.use_directory_urls),
        exclude_docs=_lines(config.exclude_docs),
        draft_docs=_lines(config.draft_docs),
        themes=engine,
        problems=problems,
        language=str(config.theme.get("language") or "en"),
    )


def load(root: Path, given: str | Path | None = None) -> SiteConfig:
    """The project's configuration as `mkdocs build -f given` would load it; the engine's
    defaults when the project has no mkdocs.yml; its refusals as problems of the file."""
    import mkdocs.config  # on demand; it loads mkdocs.exceptions, whose errors are caught below

    path = config_file(root, given)
    if path is None:
        return siteconfig.defaults(root, enginethemes.installed())
    guarded = guard(path)
    if refused(guarded):
        return siteconfig.defaults(path.parent, enginethemes.installed(), guarded)
    with _captured() as records:
        try:
            config = mkdocs.config.load_config(str(path))
        except mkdocs.exceptions.ConfigurationError as e:  # YAML that does not parse: MkDocs keeps the parser's error
            return siteconfig.defaults(path.parent, enginethemes.installed(), (_yaml_problem(path, e),))
        except mkdocs.exceptions.MkDocsException:  # validation errors: MkDocs logged each before giving up
            config = None
    problems = guarded + tuple(_logged(path, records))
    if config is None:
        if not any(not p.warning for p in problems):
            # `strict: true` in the file: MkDocs stops on its warnings, listed above
            problems += (ConfigProblem(path, None, "MkDocs refused the configuration (strict: its warnings stop it)"),)
        return siteconfig.defaults(path.parent, enginethemes.installed(), problems)
    return from_mkdocs(config, problems)


class _Keep(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _captured() -> Iterator[list[logging.LogRecord]]:
    """MkDocs' warnings and errors while it loads the config, kept (not printed) to be reported
    as problems with their lines."""
    handler = _Keep(logging.WARNING)
    records = handler.records
    logger = logging.getLogger("mkdocs")
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _yaml_problem(path: Path, error: ConfigurationError) -> ConfigProblem:
    cause = error.__context__
    if isinstance(cause, yaml.MarkedYAMLError):
        mark = cause.problem_mark or cause.context_mark
        what = " ".join(x for x in (cause.problem, cause.context) if x) or "invalid YAML"
        where = Path(mark.name) if mark is not None and mark.name and Path(mark.name).is_file() else path
        return ConfigProblem(
            where.resolve(),
            mark.line + 1 if mark else None,
            f"YAML syntax error: {what}",
            column=mark.column + 1 if mark else None,
        )
    if "key-value mapping" in str(error):  # a list, or one word, where the settings go
        return ConfigProblem(
            path, 1, "expected the site configuration as `key: value` lines (site_name, theme, plugins, ...)"
        )
    return ConfigProblem(path, None, str(error))


def _logged(path: Path, records: list[logging.LogRecord]) -> Iterator[ConfigProblem]:
    lines = _setting_lines(path) if records else {}
    for record in records:
        text = record.getMessage()
        m = _SETTING.match(text)
        setting, message = (m.group(1), m.group(2)) if m else (None, text)
        message = f"{setting}: {message}" if setting else message
        yield ConfigProblem(
            path, lines.get(setting or "", None), message.strip(), warning=record.levelno < logging.ERROR
        )


def _setting_lines(path: Path) -> dict[str, int]:
    """Each top-level setting's line in the file: the nodes are composed, not constructed, so
    MkDocs' tags (`!ENV`, `!!python/name:`) need no loader of ours."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _lines(spec) -> str:
    """A gitignore-style setting back as its lines (MkDocs hands it over compiled)."""
    return "\n".join(str(p.pattern) for p in getattr(spec, "patterns", ()) if getattr(p, "pattern", None))
