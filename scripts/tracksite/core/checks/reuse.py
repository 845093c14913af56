"""What each pass found at the check before, taken again under `mkdocs serve` where a save
cannot have changed it (issue 57).

A save under serve changes one lesson's prose, and every pass walked the course's pages again to
assemble the same problems once more: at 1,000 lessons two thirds of the check's processor time,
though what each page yields was remembered already (core/memo.py). So the model of the check
before is kept, and compared with this one (`_changed`): when only some pages' texts differ, a
pass is not run over the whole course again:

- a *per-page* pass (`Rule.per_page`: what it finds while on a page it reports at that page, from
  that page and the course around it) takes its findings on each page that did not change as
  kept, and runs on the changed pages alone;
- a pass that reads of the pages only what its `Rule.reads` gives of each (the glossary's first
  uses of a term, the quizzes) takes all it found as kept when that is the same on every changed page;
- every other pass runs as it always did.

"The course around a page" is everything the model holds but the pages' texts: the options and
configuration, tracks, lessons and their front-matter, the loader's problems, the site plan,
the glossary's terms, and of each changed page the anchors its headings make (links to it are
checked on other pages). When any of those differs, every pass runs. What a pass reads outside
the model (data files beside a page) is its `Rule.context`, compared too. The findings are what a
check from scratch finds, in its order (tests/core/test_incremental_check.py, tests/core/test_check_reuse.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tracksite.core.markdown import anchors as anchor_ids
from tracksite.core.memo import current
from tracksite.core.problems.problem import Problem, ProblemList


@dataclass(frozen=True)
class Rule:
    """How much of a pass's last findings a check may take again (see the module's docstring)."""

    per_page: bool = False
    reads: Callable[[Any, Any], object] | None = None  # (project, page) -> what the pass reads of it
    context: Callable[[Any], object] | None = None  # project -> what it reads outside the model
    keeps: Callable[[Any], dict] | None = None  # project -> what the pass fills in besides its findings


@dataclass
class _Kept:
    """The check before: what it was run on, and what each pass found there."""

    outline: tuple
    pages: tuple
    found: dict = field(default_factory=dict)  # pass -> its findings
    segments: dict = field(default_factory=dict)  # per-page pass -> {page index: findings} (None: not split)
    contexts: dict = field(default_factory=dict)
    filled: dict = field(default_factory=dict)  # pass -> a copy of what `keeps` gave


class _Only:
    """The project with some of its pages alone in `documents` (every lookup still the course's)."""

    def __init__(self, project, pages: list) -> None:
        self._project, self.documents = project, pages

    def __getattr__(self, name: str):
        return getattr(self._project, name)


def run(project, passes: Iterable, rules: dict, options: tuple, *, stop: Callable = bool) -> dict:
    """Each pass's findings on `project`, taken from the check before where `rules` allow.
    `stop`: asked before each pass, True leaves the passes not yet run out of what is kept (the
    next check runs them whole: `checks.remember`, stopped by a save)."""
    memory = current()
    kept, pages = memory.owned("reuse.kept", lambda: None), tuple(project.documents)  # (the check before's)
    outline = _outline(project, options)
    changed = _changed(kept, outline, pages, project)
    new = _Kept(outline, pages)
    memory.keep("reuse.kept", new)
    found: dict = {}
    contexts: dict = {}
    for p in passes:
        if stop():
            break
        rule = rules.get(p)
        context = None
        if rule is not None and rule.context is not None:  # (passes that read the same share it)
            context = contexts[rule.context] = contexts.get(rule.context) or rule.context(project)
        new.contexts[p] = context
        if rule is None or kept is None or changed is None or p not in kept.found or kept.contexts[p] != context:
            found[p] = list(p(project))
        elif rule.per_page and kept.segments.get(p) is not None:
            found[p] = _splice(p, project, kept.segments[p], changed, new)
            continue
        elif rule.reads is not None and all(
            rule.reads(project, kept.pages[i]) == rule.reads(project, pages[i]) for i in changed
        ):
            found[p] = list(kept.found[p])
            if rule.keeps is not None:
                rule.keeps(project).update(kept.filled[p])
        else:
            found[p] = list(p(project))
        _keep(new, p, rule, project, found[p])
    return found


def _keep(new: _Kept, p, rule: Rule | None, project, found: list[Problem]) -> None:
    new.found[p] = found
    if rule is not None and rule.keeps is not None:
        new.filled[p] = {k: list(v) for k, v in rule.keeps(project).items()}
    if rule is not None and rule.per_page:
        new.segments[p] = _segments(found, new.pages, project)


def _splice(p, project, segments: dict, changed: list[int], new: _Kept) -> list[Problem]:
    """A per-page pass's findings: those kept of the pages that did not change, the others found
    again (in one run over the changed pages, or one run each when that run's are not each at its page)."""
    again = set(changed)
    fresh = {i: found for i, found in segments.items() if i not in again}
    pages = [new.pages[i] for i in changed]
    split = _segments(list(p(_Only(project, pages))), pages, project)
    if split is None:
        split = {n: found for n, page in enumerate(pages) if (found := list(p(_Only(project, [page]))))}
    fresh.update((changed[n], found) for n, found in split.items())
    new.found[p], new.segments[p] = [x for i in sorted(fresh) for x in fresh[i]], fresh
    return list(new.found[p])


def _segments(found: list[Problem], pages: tuple | list, project) -> dict | None:
    """A per-page pass's findings by page (index: findings), or None when they are not each at
    its page, in the pages' order (the pass is then run whole next time too)."""
    if not found:
        return {}
    shown = ProblemList(project.root)
    index = {shown.relative(d.path): i for i, d in enumerate(pages)}
    if len(index) != len(pages):
        return None
    out: dict[int, list[Problem]] = {}
    last = -1
    for problem in found:
        i = index.get(problem.path, -1)
        if i < 0 or i < last:  # at no page (a data file's), or before the page it follows
            return None
        out.setdefault(i, []).append(problem)
        last = i
    return out


def _outline(project, options: tuple) -> tuple:
    """Everything of the model a pass may read but the pages (copied: the build may change some later)."""
    site, c, walk = project.site, project.curriculum, project.docs_walk
    return (
        options,
        project.root,
        site and (site.config, tuple(site.entries), tuple(site.walk_problems), tuple(site.unreadable)),
        site and tuple((path, tuple(r), tuple(f)) for path, r, f in site.redirect_files),
        tuple(c.tracks),
        dict(c.lessons),
        frozenset(c.draft_keys),
        tuple(project.problems.items) if project.problems is not None else None,
        dict(project.assets),
        dict(project.track_files),
        frozenset(project.drafts),
        walk and (tuple(walk.files), tuple(walk.problems), tuple(walk.unreadable)),
        tuple(project.lesson_links),
        tuple(project.left_out),
        tuple(project.glossary.terms),
        project.remote,
    )


def _changed(kept: _Kept | None, outline: tuple, pages: tuple, project) -> list[int] | None:
    """The indexes of the pages whose text alone changed since the check before, None when
    anything else did: a page's place, kind, front-matter or anchors, or the rest of the model."""
    if kept is None or len(kept.pages) != len(pages) or kept.outline != outline:
        return None
    config = project.site.config if project.site is not None else None
    changed = [i for i, (a, b) in enumerate(zip(kept.pages, pages)) if a is not b]
    for i in changed:
        a, b = kept.pages[i], pages[i]
        if (a.path, a.kind, a.src_uri, a.body_line, a.meta, a.track, a.lesson) != (
            b.path,
            b.kind,
            b.src_uri,
            b.body_line,
            b.meta,
            b.track,
            b.lesson,
        ) or anchor_ids.anchors(a.body, config) != anchor_ids.anchors(b.body, config):
            return None
    return changed
