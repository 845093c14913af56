"""Building from the CLI: MkDocs' own build with tracksite's options set, errors as text.

`tracksite build --instructor` needs a plugin option that `mkdocs build` cannot pass, so the
CLI loads the config itself and runs the same build function MkDocs runs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.config import mkdocsconfig
from tracksite.core.problems.problem import no_workflow_commands, os_error, printable


class _Plain(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


def build_site(
    root: Path,
    out: Path,
    *,
    instructor: bool = False,
    drafts: bool = False,
    strict: bool = True,
    pdfs: bool = False,
    export_data: bool = False,
    config_file: Path | None = None,
    quiet: bool = False,
    beside: bool = False,
    run_code: bool | None = None,
) -> int:
    """`mkdocs build` of the project in `root` (with `-f config_file`, default its mkdocs.yml);
    `quiet` (a build another command runs) prints warnings only; `export_data`, the widgets'
    data for `tracksite export` in the pages (the plugin's option of that name); `beside`, the
    instructor view published inside the learner site (`out` is SITE/instructor, see _beside);
    `run_code`: False, no exercise runs whatever TRACKSITE_RUN_CODE says (an import's build); None, as it says."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Plain())
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    try:
        given = Path(config_file or root / "mkdocs.yml")
        # before MkDocs reads any of its files: a YAML bomb costs nothing to refuse here
        stop = mkdocsconfig.refusal(given, mkdocsconfig.guard(given)) if given.is_file() else None
        if stop:
            print(no_workflow_commands(f"tracksite build: {stop}"), file=sys.stderr)
            return 1
        config = load_config(str(given), site_dir=str(out.resolve()), strict=strict)
        plugin = config.plugins.get("tracksite")
        if plugin is None:
            print("tracksite build: error: mkdocs.yml does not list the tracksite plugin", file=sys.stderr)
            return 2
        if beside and not _beside(config, plugin):
            return 0
        _settings(
            plugin.config, instructor=instructor, drafts=drafts, pdfs=pdfs, export_data=export_data, run_code=run_code
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocsinternals.build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError, MkDocsException) as e:
        message = str(e).strip()
        if message:
            print(no_workflow_commands(f"tracksite build: {message}"), file=sys.stderr)
        return 1
    except OSError as e:  # before MkDocs' build started: reading mkdocs.yml, say
        print(os_error("tracksite build: error", e), file=sys.stderr)
        return 1
    finally:
        logger.removeHandler(handler)
    if not quiet:
        print(f"built {printable(str(out))}", file=sys.stderr)
    return 0


def _beside(config, plugin) -> bool:
    """The instructor view published under `instructor/` of the learner site: its address is the
    site's followed by `instructor/` (its sitemap and canonical links); False, with a line that
    says so, for a course that publishes none (the plugin's `instructor_view`)."""
    if not plugin.config.instructor_view:
        print(
            "tracksite build: the course publishes no instructor view (mkdocs.yml: the tracksite plugin's "
            "`instructor_view` is not true): nothing built",
            file=sys.stderr,
        )
        return False
    if config.site_url:
        config.site_url = config.site_url.rstrip("/") + "/instructor/"
    return True


def _settings(
    settings, *, instructor: bool, drafts: bool, pdfs: bool, export_data: bool, run_code: bool | None
) -> None:
    """The command line's options over the plugin's settings in mkdocs.yml: `pdfs` and
    `export_data` only turn on; `run_code` False keeps the exercises unrun, None leaves it to the environment."""
    settings.instructor = instructor
    settings.drafts = drafts
    settings.pdfs = pdfs or settings.pdfs
    settings.export_data = export_data or settings.export_data
    if run_code is not None:
        settings.run_code = run_code
