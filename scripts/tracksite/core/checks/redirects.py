"""Each track's redirects.yml: what the schema finds wrong (`schema.REDIRECTS`, read by
redirects.read), an old slug that is a lesson again (its redirect would hide the lesson), and a
target that is no lesson of the track."""

from __future__ import annotations

from tracksite.core.checks.common import near, problems_of


def redirect_files(project) -> list:
    out = problems_of(project)
    if project.site is None:
        return []
    for path, found, bad in project.site.redirect_files:
        for f in bad:
            out.add(path, f.line, f.message, field=f.field, hint=f.hint, code=f.code, column=f.column)
        track = project.curriculum.track(path.parent.name)
        slugs = track.lesson_slugs if track is not None else ()
        for r in found:
            if (path.parent / r.old).exists() or r.old in slugs:
                out.add(
                    path,
                    r.line,
                    f"{r.old!r} is a lesson of this track again; its redirect would hide it",
                    hint="delete this line",
                    code="TS217",
                )
            elif r.new not in slugs:
                out.add(
                    path,
                    r.line,
                    f"redirect target {r.new!r} is not a lesson of {path.parent.name}/track.yml",
                    hint=near(r.new, slugs) or "point it at an existing lesson or delete the line",
                    code="TS217",
                )
    return out.items
