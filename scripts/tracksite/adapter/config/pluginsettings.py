"""The tracksite plugin's settings in mkdocs.yml (`plugins: - tracksite: {...}`), declared as
MkDocs' own `config_options` so that MkDocs validates them with the rest of the file; apart from
the plugin, which reads them at each build, so that its events stay in one readable module."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class TracksiteConfig(Config):
    drafts = c.Type(bool, default=False)
    """Build draft lessons too (always on under `mkdocs serve`)."""
    instructor = c.Type(bool, default=False)
    """Show `/// instructor` notes and the per-track schedule pages."""
    instructor_view = c.Type(bool, default=False)
    """The instructor view is published under `instructor/`, and pages link it: every `mkdocs build`
    (and `tracksite build`) of the learner view builds it there too (adapter/build.instructor_beside)."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace the site only when the build succeeded."""
    pdfs = c.Type(bool, default=False)
    """Track pages link the PDFs (cheatsheets, exercise pack) that `tracksite pdf --publish`
    prints into the site; that command turns it on for its own build."""
    cache = c.Type(bool, default=True)
    """Keep each page's converted Markdown in the course's state folder for the next build
    (buildcache.py, core/localstate.py)."""
    run_code = c.Optional(c.Type(bool))
    """`false` keeps the exercises unrun whatever the environment says (an import's build); `true`
    runs nothing by itself (TS435): the exercises run (in the sandbox, core/sandbox.py) only when
    the person who runs the build asks, with TRACKSITE_RUN_CODE=1 (`tracksite check --run-code`
    for one check), never because a file a pull request can change says so. docs/security.md."""
    known_failures = c.Optional(c.Type(str))
    """A YAML file (a path from the project's root) listing the exercises whose check is known to
    fail, in CPython or in the page's Python: `check --run-code` reports them as known (TS446), and
    an entry that no longer fails is an error (TS444), so the list only shrinks. See
    core/widgets/knownfailures.py and docs/authoring.md."""
    export_data = c.Type(bool, default=False)
    """Give each widget an export reads (its registry entry's `export`) its parsed data as a JSON
    island: `tracksite export` turns it on for its own build, `tracksite build --for-export` for
    a site `export --site` reads. Off, the published pages hold none."""
    course_id = c.Optional(c.Type(object))
    """The course's own id, a short slug (`intro-to-ml`): what a learner's browser keeps (progress,
    answers, code) lives under it, so renaming the course or moving its site keeps it (core/site/
    courseid.py). Any YAML value is taken here so that a wrong one is reported at its line (TS607)."""
