"""Checks are passes: each is a function from the model (the loaded project and its site plan)
to problems, and every pass runs on every check, in the build and in `tracksite check` alike.

`check()` is the one entry point both call (the MkDocs plugin in `on_config`, the CLI in
`tracksite check`), so a source that fails one fails the other with the same `path:line`
message. A pass never raises for bad input and never stops at the first problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tracksite.core import expectations, rootcause, siteconfig, siteplan
from tracksite.core.checks import content, docs_pages, lessons, links, redirects, structure, urls
from tracksite.core.loader import read
from tracksite.core.problems import Problem

Pass = Callable[["object"], Iterable[Problem]]

# In order: what is wrong with the course's shape first, then pages, links and the site's URLs.
PASSES: tuple[Pass, ...] = (
    structure.site_config,
    structure.track_numbers,
    structure.reserved_slugs,
    structure.orphan_cheatsheets,
    structure.unpublished_lesson_files,
    lessons.lesson_references,
    lessons.prerequisite_cycles,
    docs_pages.front_matter,
    content.active_content,
    content.body_rules,
    content.page_warnings,
    content.widgets,
    content.glossary,
    links.course_links,
    links.relative_links,
    links.images,
    urls.unreadable_files,
    urls.static_files,
    urls.collisions,
    redirects.redirect_files,
)


#: Passes whose findings neither feed the pages nor keep them from rendering (unsafe URLs, body
#: rules, warnings): a build may run them beside the rendering and stop before it publishes.
LATER: tuple[Pass, ...] = (content.active_content, content.body_rules, content.page_warnings)


def check(
    root: Path,
    *,
    include_drafts: bool = False,
    docs_dir: Path | None = None,
    instructor: bool = False,
    serving: bool = False,
    later: bool = True,
    themes: siteconfig.Themes = siteconfig.NO_THEMES,
):
    """Load the project in `root`, plan its site and run every pass: the model with all its
    problems (`project.problems`) and its plan (`project.site`). `serving`: for `mkdocs serve`,
    which also publishes mkdocs.yml's `draft_docs`. `later=False` leaves out the `LATER` passes
    (and the refining of the problems): the caller runs them (`later_problems`) and calls `finish`.
    `themes`: the engine's installed themes (adapter/themes.py), which only the adapter can find."""
    config = siteconfig.read(root, docs_dir=docs_dir, themes=themes)
    project = read(root, include_drafts=include_drafts, docs_dir=config.docs_dir, config=config, serving=serving)
    project.site = siteplan.plan(project, config, instructor=instructor)
    assert project.problems is not None
    for run in PASSES:
        if later or run not in LATER:
            project.problems.extend(run(project))
    if later:
        rootcause.refine(project.problems, project.curriculum)  # causes first, their echoes dropped
        expectations.apply(project.problems, project.curriculum)  # track.yml `expects`
    return project


#: What the commands and the tests call to load a project: the model with every check run on it,
#: exactly as the build does (the loader itself only reads, so it sits below the checks).
load = check


def later_problems(project) -> list[Problem]:
    """What the `LATER` passes find."""
    return [problem for run in LATER for problem in run(project)]


def finish(project, found: list[Problem]) -> None:
    """Add what the `LATER` passes found and refine the whole list, as `check` does."""
    project.problems.extend(found)
    rootcause.refine(project.problems, project.curriculum)
    expectations.apply(project.problems, project.curriculum)
