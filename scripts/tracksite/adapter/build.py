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
from tracksite.adapter.pages import pagecontext
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
    """`mkdocs build` of the project in `root` (`-f config_file`, default its mkdocs.yml); `quiet` (a
    build another command runs): warnings only, no instructor view beside; `export_data`, the widgets'
    data for `tracksite export` in the pages; `beside`, the instructor view into SITE/instructor (`out`);
    `run_code`: False, no exercise runs whatever TRACKSITE_RUN_CODE says (an import's build); None, as it says."""
    handler = _plain_log(quiet)
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
        plugin.own_build = not quiet  # a build another command makes for itself: the learner view only
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
        logging.getLogger("mkdocs").removeHandler(handler)
    if not quiet:
        print(f"built {printable(str(out))}", file=sys.stderr)
    return 0


def _plain_log(quiet: bool) -> logging.Handler:
    """MkDocs' log on stderr as `LEVEL    -  message` (warnings only when `quiet`, a build
    another command makes), not through the root logger's handlers: the handler to remove once
    the build is over."""
    logger, handler = logging.getLogger("mkdocs"), logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Plain())
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    return handler


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


def instructor_beside(config, settings, *, command: str, wanted: bool = True) -> None:
    """The instructor view built into `instructor/` of the learner site `config` has just built,
    when the course publishes one (the plugin's `instructor_view: true`): every page of that site
    links its instructor view, so a `mkdocs build` that left it out published links to nothing, and
    `tracksite linkcheck site` said so (issue 84: 19 broken links after one import). Built by
    `mkdocs build` (and `gh-deploy`) of the learner view, from the same configuration file, into
    the folder being built (so a staged build swaps both views in together); not under serve,
    not by a build that is itself the instructor view, and not by a build another command makes
    for itself (`wanted`: an import's comparison, an export's packages). Its exercises are not
    run again (the learner build judged them as asked)."""
    if (
        not wanted
        or command not in ("build", "gh-deploy")
        or not settings.instructor_view
        or settings.instructor
        or not config.config_file_path
    ):
        return
    target = Path(config.site_dir) / pagecontext.VIEW_FOLDER
    inner = load_config(str(config.config_file_path), site_dir=str(target), strict=config.strict)
    plugin = inner.plugins.get("tracksite")
    if plugin is None or not _beside(inner, plugin):
        return
    _settings(
        plugin.config, instructor=True, drafts=settings.drafts, pdfs=settings.pdfs, export_data=False, run_code=False
    )
    plugin.own_build = False  # (nor does it prune the cache the learner view just kept)
    logging.getLogger("mkdocs").info("tracksite: the instructor view (instructor_view: true), into instructor/")
    inner.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocsinternals.build(inner)
    finally:
        inner.plugins.on_shutdown()
