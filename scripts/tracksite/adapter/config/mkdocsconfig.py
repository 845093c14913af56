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
import dataclasses
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tracksite.adapter.config import courseidsetting, enginethemes
from tracksite.core import sandbox, siteconfig
from tracksite.core.problems.problem import Problem
from tracksite.core.site import addresses
from tracksite.core.siteconfig import ConfigProblem, SiteConfig
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
    """What the file, and every file it INHERITs, holds that the engine must not be handed, or
    should be warned about, read from their YAML nodes before MkDocs loads any of them
    (core/yaml/configfile.py): a file too large or nested too deeply to read, aliases that grow
    past what a real configuration holds once written out (MkDocs writes every setting out in a
    debug line while it loads, so the build and the check refuse the file before that), an
    INHERIT that leaves the project or comes back to a file already read, and tags that make
    MkDocs' loader run Python code (a warning: the build runs them, and so does the check, which
    loads the configuration as the build does). The project is the folder of `path`, as the
    build takes it."""
    root = path.resolve().parent
    found: list[ConfigProblem] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        seen.add(current.resolve())
        problems, parent = _guard_file(current)
        found += problems
        if parent is None or refused(tuple(problems)):
            break
        line, column, written = parent
        # as MkDocs finds it: beside the file that names it, the path as written (not resolved)
        named = Path(os.path.normpath(os.path.join(os.path.dirname(current), written)))
        why = _not_inheritable(named, root, seen)
        if why:
            hint = "copy the settings it needs into the project's own files"
            found.append(ConfigProblem(current, line, f"INHERIT: {written}: {why}", column, code="TS901", hint=hint))
            break
        current = named if named.is_file() else None  # a missing one: the engine says so, at its line
    return tuple(found)


def _guard_file(path: Path) -> tuple[list[ConfigProblem], tuple[int, int, str] | None]:
    """One file's problems, and its `INHERIT:` (line, column, path as written) if any."""
    try:
        refusal = configyaml.too_large(path.stat().st_size)
        node, refusal = (None, refusal) if refusal else configyaml.bounded(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return [], None  # the engine reports these itself
    if refusal is not None:
        line, column, message, hint = refusal
        return [ConfigProblem(path, line, message, column, code="TS015", hint=hint)], None
    problems = [
        ConfigProblem(
            path,
            line,
            f"`{tag}` makes MkDocs run Python code when it reads {path.name}",
            warning=True,
            code="TS903",
            hint="remove it unless you wrote it yourself; a value or `!!python/name:` does what settings need",
        )
        for line, tag in configyaml.code_tags(node)
    ]
    problems += [
        ConfigProblem(
            path,
            line,
            f"character {char}, written as an escape, cannot be written into a page or a file "
            "(UTF-8 has no code for it)",
            column,
            code="TS012",
            hint="delete the escape",
        )
        for line, column, char in configyaml.unencodable(node)
    ]
    return problems, configyaml.inherited(node)


def _not_inheritable(path: Path, root: Path, seen: set[Path]) -> str | None:
    """Why the engine must not read `path` as a parent configuration, or None: the project's
    settings come from the project (a file outside it, or a link leading out, is another
    folder's, which a pull request cannot show), and a file read again would be read forever."""
    real = path.resolve()
    if not real.is_relative_to(root):
        return "the file is outside the project folder"
    if real in seen:
        return "the file is already read: INHERIT goes round in a circle"
    return None


def refused(problems: tuple[ConfigProblem, ...]) -> bool:
    return any(not p.warning for p in problems)


def refusal(path: Path, problems: tuple[ConfigProblem, ...]) -> str | None:
    """The text a build stops with when `guard` refused the configuration (None: it did not),
    each problem at its file (the one given, or one it INHERITs) relative to the project."""
    errors = [p for p in problems if not p.warning]
    if not errors:
        return None
    root = path.resolve().parent
    shown = "\n".join(
        Problem(
            p.path.resolve().relative_to(root).as_posix() if p.path.resolve().is_relative_to(root) else str(p.path),
            p.line,
            p.message,
            hint=p.hint,
            column=p.column,
            code=p.code or "TS901",
        ).text()
        for p in errors
    )
    count = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}"
    return f"tracksite found {count} in the course sources; nothing was built:\n{shown}"


def from_mkdocs(config: MkDocsConfig, problems: tuple[ConfigProblem, ...] | None = None) -> SiteConfig:
    """The checks' view of a config MkDocs validated: the build's own (its file guarded here,
    as `load` guards it), or `load`'s, with the problems `load` found."""
    root = Path(config.config_file_path or ".").resolve().parent
    if problems is None:
        problems = guard(Path(config.config_file_path)) if config.config_file_path else ()
    custom = config.theme.custom_dir
    if custom and config.config_file_path:
        problems += _custom_dir_problems(root, Path(custom), Path(config.config_file_path))
    if config.config_file_path:
        problems += _remote_assets(config, Path(config.config_file_path))
        problems += _run_code_in_file(config, Path(config.config_file_path))
        problems += courseidsetting.problems(config, Path(config.config_file_path))
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
        site_name=str(config.site_name or ""),
        use_directory_urls=bool(config.use_directory_urls),
        exclude_docs=_lines(config.exclude_docs),
        draft_docs=_lines(config.draft_docs),
        themes=engine,
        problems=problems,
        language=str(config.theme.get("language") or "en"),
        run_code=_run_code(config),
        known_failures=_known_failures(config),
        course_id=courseidsetting.declared(config),
    )


def _known_failures(config: MkDocsConfig) -> str:
    """The plugin's `known_failures:` file (core/widgets/knownfailures.py), as written; "" for none."""
    plugin = config.plugins.get("tracksite") if isinstance(config.plugins, dict) else None
    value = getattr(plugin, "config", {}).get("known_failures") if plugin is not None else None
    return value if isinstance(value, str) else ""


def _run_code(config: MkDocsConfig) -> bool:
    """Whether the build's checks run the exercises: only when the person who runs it asked, in
    the environment (`TRACKSITE_RUN_CODE=1`), never because a file of the checkout says so (a pull
    request can change it); the plugin's `run_code: false` (an import's build) keeps it off."""
    plugin = config.plugins.get("tracksite") if isinstance(config.plugins, dict) else None
    if plugin is None or getattr(plugin, "config", {}).get("run_code") is False:
        return False
    return sandbox.asked()


def _run_code_in_file(config: MkDocsConfig, config_file: Path) -> tuple[ConfigProblem, ...]:
    """`run_code: true` in mkdocs.yml while the environment does not ask: it runs nothing (TS435,
    a warning, at its line where the file writes it)."""
    plugin = config.plugins.get("tracksite") if isinstance(config.plugins, dict) else None
    if plugin is None or not getattr(plugin, "config", {}).get("run_code") or sandbox.asked():
        return ()
    line = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = config_file.read_text(encoding="utf-8").splitlines()
        line = next((n for n, t in enumerate(text, 1) if re.match(r"\s*run_code\s*:", t)), None)
    message = (
        f"`run_code: true` in the configuration runs no exercise code: a file a pull request can change "
        f"does not turn it on; the person who runs the command does ({sandbox.ASK}=1, or `tracksite check --run-code`)"
    )
    hint = f"remove `run_code` from mkdocs.yml and set {sandbox.ASK}=1 in the environment of the step that builds"
    return (ConfigProblem(config_file, line, message, warning=True, code="TS435", hint=hint),)


#: Folders of overrides/ looked at for links out: a theme's partials are a few dozen files.
_MAX_OVERRIDES = 10_000


def _custom_dir_problems(root: Path, custom: Path, config_file: Path) -> tuple[ConfigProblem, ...]:
    """The theme's `custom_dir` (overrides/) is read by the build's template engine: a folder
    outside the project, or reached through a symbolic link that leads out, or a link inside it
    that does, would put another folder's files (any file the build can read) into every page."""
    link = next((p for p in (custom, *custom.parents) if p.is_symlink() and p.is_relative_to(root)), None)
    if not custom.resolve().is_relative_to(root):
        line, column = _nested_line(config_file, ("theme", "custom_dir"))
        what = "a symbolic link that leads" if link is not None else "a folder"
        return (
            ConfigProblem(
                config_file,
                line,
                f"theme.custom_dir: {custom.name}/ is {what} outside the project",
                column,
                code="TS004",
                hint="copy the templates into the project's own overrides/ folder",
            ),
        )
    found = []
    for n, (folder, dirs, files) in enumerate(os.walk(custom)):  # links to folders are listed, not followed
        for name in [*dirs, *files]:
            entry = Path(folder, name)
            if entry.is_symlink() and not entry.resolve().is_relative_to(root):
                found.append(
                    ConfigProblem(
                        entry,
                        None,
                        "symbolic link points outside the project; the theme would read it into every page",
                        code="TS004",
                        hint="copy the file into the project instead",
                    )
                )
        if n > _MAX_OVERRIDES:
            break
    return tuple(found)


def _remote_assets(config: MkDocsConfig, config_file: Path) -> tuple[ConfigProblem, ...]:
    """`extra_javascript` and `extra_css` from another host: every page's policy blocks them
    (`script-src 'self'`, `style-src 'self'`), so the site would carry a dead reference, and
    only `tracksite export` refused it, after check had passed."""
    found = []
    for key in ("extra_javascript", "extra_css"):
        for entry in config[key] or ():
            url = str(getattr(entry, "path", entry))
            if addresses.is_remote(url):
                line, column = _nested_line(config_file, (key,))
                found.append(
                    ConfigProblem(
                        config_file,
                        line,
                        f"{key}: {url} loads from another host, which every page's policy blocks "
                        "and no exported copy can carry",
                        column,
                        code="TS504",
                        hint="download the file into docs/ and list its path there instead",
                    )
                )
    return tuple(found)


def _nested_line(path: Path, keys: tuple[str, ...]) -> tuple[int | None, int | None]:
    """(line, column) of a nested setting (`theme:` `custom_dir:`) in the file; (None, None)
    where the file does not write it (an INHERITed file does, or the engine's default)."""
    try:
        node, _ = configyaml.bounded(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None, None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None, None
        pair = next((p for p in node.value if isinstance(p[0], yaml.ScalarNode) and p[0].value == key), None)
        if pair is None:
            return None, None
        node = pair[1]
    assert node is not None
    return node.start_mark.line + 1, node.start_mark.column + 1


def load(root: Path, given: str | Path | None = None, *, run_code: bool | None = False) -> SiteConfig:
    """The project's configuration as `mkdocs build -f given` would load it; the engine's
    defaults when the project has no mkdocs.yml; its refusals as problems of the file.
    `run_code`: whether the checks run the exercises' code; None, as the plugin's `run_code`
    says (`tracksite check`); off by default, so that a command that only loads the course (the
    language server, an import, `new`) never runs it, whatever a checkout's mkdocs.yml says."""
    config = _load(root, given)
    return config if run_code is None else dataclasses.replace(config, run_code=run_code)


def _load(root: Path, given: str | Path | None) -> SiteConfig:
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
    as problems with their lines. The logger's level is lowered to warnings while it loads: a
    quiet build earlier in the same process (`mkdocs build -q`, then `check --watch` or the
    language server) raised it to errors, and the config's warnings would be lost."""
    handler = _Keep(logging.WARNING)
    records = handler.records
    logger = logging.getLogger("mkdocs")
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


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
