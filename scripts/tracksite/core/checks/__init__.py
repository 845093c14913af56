"""Checks are passes: each is a function from the model (the loaded project and its site plan)
to problems, and every pass runs on every check, in the build and in `tracksite check` alike.

`check()` is the one entry point both call (the MkDocs plugin in `on_config`, the CLI in
`tracksite check`), so a source that fails one fails the other with the same `path:line`
message. A pass never raises for bad input and never stops at the first problem.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tracksite.core import checkcache, forked, memo, siteconfig
from tracksite.core import widgetregistry as W
from tracksite.core.checks import (
    content,
    docs_pages,
    formulas,
    lessons,
    links,
    ranoutput,
    redirects,
    remote_files,
    reuse,
    rootcause,
    structure,
    teaching,
    templates,
    urls,
)
from tracksite.core.learning import expectations
from tracksite.core.learning import glossary as glossary_mod
from tracksite.core.loader import read
from tracksite.core.markdown import complexity
from tracksite.core.problems.problem import Problem
from tracksite.core.site import plan as siteplan
from tracksite.core.widgets.runnable import check as runnable

Pass = Callable[["object"], Iterable[Problem]]


def _widget_passes() -> tuple[Pass, ...]:
    """The `PASS` of each widget whose registry entry says `check`: its folder's `check.py`
    (core/widgets/<home>/), so a new widget's pass runs without an edit here."""
    return tuple(importlib.import_module(f"tracksite.core.widgets.{w.home}.check").PASS for w in W.WIDGETS if w.check)


# In order: what is wrong with the course's shape first, then pages, links and the site's URLs.
PASSES: tuple[Pass, ...] = (
    structure.site_config,
    structure.track_numbers,
    structure.reserved_slugs,
    structure.orphan_cheatsheets,
    structure.unpublished_lesson_files,
    lessons.lesson_references,
    lessons.prerequisite_cycles,
    lessons.prerequisite_tracks,
    docs_pages.front_matter,
    templates.override_templates,
    content.active_content,
    content.body_rules,
    content.page_warnings,
    content.objective_coverage,
    formulas.formulas,
    content.widgets,
    *_widget_passes(),  # after the widgets' bodies are checked, before the glossary's terms
    content.glossary,
    teaching.quiz_answers,
    teaching.dated_phrases,
    ranoutput.stale_outputs,
    links.course_links,
    links.relative_links,
    links.images,
    urls.unreadable_files,
    urls.static_files,
    urls.collisions,
    redirects.redirect_files,
    remote_files.unused,
)


def _nothing(project, page) -> None:
    """What a pass reads of a page's text: nothing (it reads the model around the pages)."""


def _terms_used(project, page) -> object:
    """The glossary reads of a page the first line of each of its track's terms (core/learning/glossary.py)."""
    return page.track and glossary_mod.first_uses(project.glossary, page.track, page.body, page.body_line)


def _quizzes(project, page) -> object:
    """The quiz pass reads of a lesson page its questions and their lines."""
    return page.kind == "lesson" and teaching.quiz_questions(page.body, page.body_line)


def _exercises(project, page) -> object:
    """The runnable pass reads of a page its checked exercises (told apart by value here)."""
    return [(e.path, e.line, e.lines, e.body_line, e.value) for e in runnable.exercises_in([page])]


def _folders(project) -> tuple:
    """What the files beside the pages say (widget data, images, link targets): the stamp of every
    page's folder and all below it, and of docs/ (asked again only where the watcher saw a change),
    less the pages' own files, whose text is compared on its own (core/checks/reuse.py)."""
    docs = project.site.config.docs_dir if project.site is not None else None
    pages = [os.path.split(page.path) for page in project.documents]
    folders = [str(docs)] if docs is not None else []
    folders += dict.fromkeys(folder for folder, _ in pages)
    named = set(pages)
    return tuple(_beside(folder, named) for folder in folders)


def _beside(folder: str, pages: set) -> tuple:
    """A folder's stamp less the entries of `pages`: filtered once per stamp (a save changes one
    folder's), not every folder's entries on every save."""
    stamp = memo.folder_stamp(Path(folder))
    # each folder's stamp less its pages, by folder: worked out again only when its stamp is new
    beside: dict[str, tuple[tuple, frozenset, tuple]] = memo.current().owned("checks.beside-pages", dict)
    kept = beside.get(folder)
    if kept is None or kept[0] is not stamp or not kept[1] <= pages:
        own = frozenset(e[:2] for e in stamp if e[:2] in pages)
        kept = beside[folder] = (stamp, own, tuple(e for e in stamp if e[:2] not in own))
    return kept[2]


_PAGE = reuse.Rule(per_page=True)
_FILES = reuse.Rule(per_page=True, context=_folders)
_COURSE = reuse.Rule(reads=_nothing)
#: Which passes a `mkdocs serve` rebuild may take partly or wholly from the check before, and how
#: (core/checks/reuse.py); a pass not named here runs whole on every check.
REUSE: dict[Pass, reuse.Rule] = {
    lessons.lesson_references: _COURSE,
    lessons.prerequisite_cycles: _COURSE,
    lessons.prerequisite_tracks: _COURSE,
    content.active_content: _PAGE,
    content.body_rules: _PAGE,
    content.page_warnings: _PAGE,
    content.objective_coverage: _PAGE,
    formulas.formulas: _PAGE,
    content.widgets: _FILES,
    content.glossary: reuse.Rule(reads=_terms_used, keeps=lambda project: project.glossary.used_in),
    teaching.quiz_answers: reuse.Rule(reads=_quizzes),
    runnable.exercises: reuse.Rule(reads=_exercises),
    teaching.dated_phrases: _PAGE,
    links.course_links: _PAGE,
    links.relative_links: _FILES,
    links.images: _FILES,
    urls.collisions: _COURSE,
}


#: Allocations between two collections of the young generation while a check runs, and while a
#: build renders its pages (adapter/buildstate.py; Python's default is 700): see `check`.
YOUNG_THRESHOLD = 10_000


@dataclasses.dataclass(frozen=True)
class Mode:
    """How a check runs: its six options, each named once (issue 87: `_check` mixed them as
    keywords). The build's and `tracksite check`'s passes are the same in every mode."""

    include_drafts: bool = False  # the drafts too (`tracksite check`, `mkdocs serve`, `drafts: true`)
    instructor: bool = False  # the instructor's pages planned (`instructor: true`)
    serving: bool = False  # for `mkdocs serve`, which also publishes mkdocs.yml's `draft_docs`
    #: The build's findings of sources that did not change since the last build taken from the
    #: course's state folder (core/checkcache.py, core/localstate.py).
    cached: bool = False
    #: For `mkdocs serve`, whose rebuild after a save checks again: every pass runs in this
    #: process, so that what it found in each file is remembered (core/memo.py) and a rebuild
    #: reads again only the files whose stamp changed (core/sources.py) and works on those alone.
    incremental: bool = False
    stop: Callable[[], bool] = bool  # asked before each pass (`remember`: a save came)


def check(config: siteconfig.SiteConfig, memory: memo.Memory | None = None, **options: Any):
    """`_check` in the `Mode` of `options` with `memory` in use from now on (core/memo.py: a fresh one for
    `tracksite check` and each build, the serve process's own across its rebuilds; None: the one
    in use), and with the cyclic collector's young generation collected every
    `YOUNG_THRESHOLD` allocations instead of 700 while it runs. What a check allocates is the
    course it keeps (pages, parsed front matter, remembered results), which every collection
    survives, or texts and matches that reference counting frees: collected every 700
    allocations, the survivors were walked again in the older generations, and two full passes
    over the whole heap fell inside a 400-lesson check (a tenth of its processor time)."""
    if memory is not None:
        memo.use(memory)
    before = gc.get_threshold()
    if before[0] < YOUNG_THRESHOLD:
        gc.set_threshold(YOUNG_THRESHOLD, *before[1:])
    try:
        return _check(config, Mode(**options))
    finally:
        gc.set_threshold(*before)


def _check(config: siteconfig.SiteConfig, mode: Mode):
    """Load the project of `config` (in `config.root`; the site configuration as the engine
    loaded it, adapter/config/mkdocsconfig.py), plan its site and run every pass in `mode`: the
    model with all its problems (`project.problems`) and its plan (`project.site`). The build and
    `tracksite check` run the same passes in the same way (`_run`: on a large course some beside
    the others in a helper)."""
    include_drafts, instructor, serving = mode.include_drafts, mode.instructor, mode.serving
    incremental, stop = mode.incremental, mode.stop
    unrun, last = _unrun(), _last()
    unrun.clear()  # (a check taken from the state folder and not run since: this one replaces it)
    if incremental:  # serve: what the last save's check remembered stays (`memo.grow` below)
        memo.grow(0)
    else:
        memo.limit()  # the whole course's results while it is checked (a build limits them after)
    options = {"drafts": include_drafts, "instructor_build": instructor, "serving": serving}
    digest = checkcache.key(config, options) if mode.cached else None
    kept = checkcache.load(config.root, digest) if digest else None
    # the same files as last time, none too complex to build then: none is measured again
    measure = kept is None or any(p.code == complexity.CODE for p in kept[0])
    again = Mode(include_drafts, instructor, serving)  # (what `remember` checks again)
    if incremental:  # (once the watcher runs)
        last[:] = [(config, again)]
    project = read(
        config.root,
        docs_dir=config.docs_dir,
        config=config,
        measure=measure,
        include_drafts=include_drafts,
        serving=serving,
    )
    if incremental:  # (before the plan and the passes: each page's results stay for the next save)
        memo.grow(len(project.documents))
    project.site = siteplan.plan(project, config, instructor=instructor)
    project.model_key = digest
    assert project.problems is not None
    terms = project.glossary.terms
    if kept is not None and len(kept[1]) == len(terms):
        if incremental:  # serve: checked again in the first pause (`remember`), for the first save
            unrun[:] = [(config, again)]
        project.problems.items = kept[0]
        project.glossary.used_in.update(zip(terms, kept[1]))  # what the glossary pages show
        return project
    if incremental:
        found = reuse.run(project, PASSES, REUSE, (include_drafts, instructor, serving), stop=stop)
        if stop():  # (`remember`, stopped: its findings are not shown)
            return project
        project.problems.extend(problem for run in PASSES for problem in found[run])
    else:
        project.problems.extend(_run(project))
    rootcause.refine(project.problems, project.curriculum)  # causes first, their echoes dropped
    expectations.apply(project.problems, project.curriculum)  # track.yml `expects`
    if digest:
        uses = [project.glossary.used_in.get(term, []) for term in terms]
        checkcache.save(config.root, digest, project.problems.items, uses)
    return project


def _unrun() -> list[tuple[siteconfig.SiteConfig, Mode]]:
    """Under `mkdocs serve`, a first check whose findings were taken from the state folder: its
    configuration and options (`remember` checks them again), in the memory in use."""
    return memo.current().owned("checks.unrun", list)


def _last() -> list[tuple[siteconfig.SiteConfig, Mode]]:
    """Under `mkdocs serve`, the last check's configuration and options (`remember`)."""
    return memo.current().owned("checks.last", list)


def has_unrun() -> bool:
    """Whether the last check took its findings from the state folder under serve (`remember`)."""
    return bool(_unrun())


def remember(stop: Callable[[], bool] = bool) -> bool:
    """Check again, as a serve rebuild checks (its findings dropped: the first check's are those),
    after a serve session's first build, once its watcher runs: so that the first save's check
    takes what each file and each pass gave from memory. When the first check was taken from the
    state folder, nothing was remembered (and the pages were read without being measured,
    `read(measure=)`), and the first save after a restart read every page and ran every pass
    again (about 5 s at 1,000 lessons), where the others took a few tenths. When it ran, what the
    system said of each file (core/memo.py `kept_fact`: a lesson folder's stamps, a static file's
    review) was not kept, as no watcher ran yet to report a change to it, and the first save asked
    again of every file: asked again here, after the watcher started, it is kept. Run in a pause of
    the edits (adapter/serve/process.py); `stop` is asked before each pass (a save came: what
    was loaded and run by then is kept). Whether there was a check to run again."""
    unrun, last = _unrun(), _last()
    if not (unrun or last):
        return False
    config, mode = (unrun or last)[-1]
    unrun.clear()
    check(config, memo.current(), **{**dataclasses.asdict(mode), "incremental": True, "stop": stop})
    return True


#: Passes that only read the model and are among the slowest: on a course of `_BESIDE_FROM`
#: documents or more, with a core to spare, a forked helper (core/forked.py) runs them while this
#: process runs the others. Their findings are taken in PASSES' order, as if run here; when the
#: helper hands back nothing, they are run here. Not in an `incremental` check: what a helper
#: finds per file is remembered in the helper, which ends, so every rebuild would find it again
#: in a new helper (two seconds of processor time at 1,000 lessons, with the cost of copying the
#: pages of a process that holds the course); remembered here, a rebuild takes a few hundredths.
_BESIDE = (
    content.active_content,
    content.body_rules,
    content.page_warnings,
    content.objective_coverage,
    teaching.dated_phrases,
)
_BESIDE_FROM = 200


def _run(project) -> list[Problem]:
    helper = None
    if forked.affordable(forked.processes(len(project.documents), _BESIDE_FROM), forked.resident()) > 1:
        helper = forked.start(lambda: [list(run(project)) for run in _BESIDE])
    found = {run: list(run(project)) for run in PASSES if helper is None or run not in _BESIDE}
    beside = helper.result() if helper is not None else None
    if isinstance(beside, list) and len(beside) == len(_BESIDE):
        found.update(zip(_BESIDE, beside))
    return [problem for run in PASSES for problem in (found[run] if run in found else run(project))]


def check_everything(config: siteconfig.SiteConfig, memory: memo.Memory | None = None):
    """What `tracksite check` and the language server run: the build's checks with the drafts
    and the instructor's pages, and what `mkdocs serve` adds, mkdocs.yml's `draft_docs`. A page
    under `draft_docs` is left out of the build (a link to it from a published page is an error
    there), but `mkdocs serve` shows it, so its own problems are found here too, as the served
    preview would meet them; only a served check finds those, so it runs when there are drafts.
    `memory`: what the checks remember (core/memo.py), a fresh one when None; `check --watch` and
    the language server keep theirs from one check to the next."""
    project = check(config, memory or memo.Memory(), include_drafts=True, instructor=True)
    if not config.draft_docs or config.docs_dir is None or project.problems is None:
        return project
    served = check(config, include_drafts=True, instructor=True, serving=True)
    docs = project.problems.relative(config.docs_dir).rstrip("/") + "/"
    known = set(project.problems.items)
    for problem in served.problems.items if served.problems is not None else ():
        uri = problem.path.removeprefix(docs)
        if problem.path.startswith(docs) and config.leaves_out(uri) and not config.leaves_out(uri, serving=True):
            if problem not in known:
                project.problems.items.append(problem)
    return project


def exercises_not_run(project) -> int:
    """How many runnable exercises the check judged without running them (its note)."""
    return runnable.not_run(project)


#: What the commands and the tests call to load a project: the model with every check run on it,
#: exactly as the build does (the loader itself only reads, so it sits below the checks).
load = check
