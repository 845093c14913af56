"""The course's shape across files: track numbers, lesson slugs the track's own pages use,
cheatsheets without a lesson, files in lesson folders the site leaves out."""

from __future__ import annotations

from tracksite.core.checks.common import near, problems_of
from tracksite.core.memo import kept_fact
from tracksite.core.model.course import Track
from tracksite.core.site import trackpages
from tracksite.core.site.published import unpublished_reason


def site_config(project) -> list:
    """What the engine refuses in its configuration (mkdocs.yml, or a file it INHERITs): it stops
    before building, and every check that depends on the settings (Markdown extensions, block
    names, docs folder) would only repeat defaults; what it warns about stops a strict build."""
    out = problems_of(project)
    for problem in project.site.config.problems:
        out.add(
            problem.path,
            problem.line,
            problem.message,
            column=problem.column,
            hint=problem.hint
            or (
                "quote a value that holds ': ' or starts with a special character, and indent with spaces"
                if problem.message.startswith("YAML")
                else None
            ),
            severity="warning" if problem.warning else "error",
            code=problem.code or ("TS902" if problem.warning else "TS901"),
        )
    return out.items


def track_numbers(project) -> list:
    """Each track has its own number (numbers order the home page and label the tracks)."""
    out = problems_of(project)
    by_number: dict[int, Track] = {}
    for t in project.curriculum.tracks:
        if not t.number:
            continue
        if t.number in by_number:
            path, located = project.track_files[t.slug]
            out.add(
                path,
                located.line("number"),
                f"track number {t.number} is already used by {by_number[t.number].slug}/track.yml",
                field="number",
                hint="each track needs its own number",
                code="TS209",
            )
        else:
            by_number[t.number] = t
    return out.items


def reserved_slugs(project) -> list:
    """No lesson is named like a page the track makes itself (keypoints, review, schedule...):
    its address would be that page's, now or once the track has one."""
    out = problems_of(project)
    for t in project.curriculum.tracks:
        path, located = project.track_files[t.slug]
        for i, phase in enumerate(t.phases):
            for j, slug in enumerate(phase.lessons):
                if slug in trackpages.RESERVED_SLUGS:
                    out.add(
                        path,
                        located.line("phases", i, "lessons", j),
                        f"lesson slug {slug!r} is taken by the track's own {slug} page",
                        hint="rename the lesson, e.g. with `tracksite rename`",
                        code="TS210",
                    )
    return out.items


def orphan_cheatsheets(project) -> list:
    """Every file under cheatsheets/ is the cheatsheet of a lesson some track.yml lists."""
    out = problems_of(project)
    folder = project.root / "cheatsheets"
    if not folder.is_dir():
        return []
    known = {t.slug: set(t.lesson_slugs) for t in project.curriculum.tracks}
    files = kept_fact("files-below", (str(folder),), lambda: [p for p in sorted(folder.rglob("*")) if not p.is_dir()])
    for path in files:  # (listed again under serve only after a change there: core/memo.py)
        if path.name.startswith("."):
            continue
        rel = path.relative_to(folder).parts
        if len(rel) != 2 or path.suffix != ".md":
            out.add(path, None, "unexpected file; cheatsheets live at cheatsheets/<track>/<lesson>.md", code="TS211")
        elif rel[0] not in known:
            out.add(path, None, f"cheatsheet for unknown track {rel[0]!r}", code="TS211")
        elif path.stem not in known[rel[0]]:
            out.add(
                path,
                None,
                f"cheatsheet has no lesson: {rel[0]}/track.yml lists no {path.stem!r}",
                hint=near(path.stem, known[rel[0]]),
                code="TS211",
            )
    return out.items


def unpublished_lesson_files(project) -> list:
    """A file put in a lesson folder is meant for learners: one the site leaves out (a type it
    does not publish, or a subfolder) is named, rather than missing from the site unsaid."""
    out = problems_of(project)
    for path in project.left_out:
        why, hint = unpublished_reason(path.parent, path)
        out.add(path, None, f"not published: {why}", severity="warning", hint=hint, code="TS212")
    return out.items
