"""Old lesson addresses that keep working after `tracksite rename --redirect`.

A track's redirects live beside its track.yml, in `lessons/<track>/redirects.yml`, one
`old-slug: new-slug` line each. For every redirect whose target is published, the build writes
three small static pages at the old addresses (lesson, overview, cheatsheet), each with a
`<meta http-equiv="refresh">`, a canonical link to the new address and a plain link for people
and crawlers that do not follow refreshes. No script: the pages ship a policy of
`default-src 'none'`, which a meta refresh does not need.

The site plan (siteplan.py) lists these pages with the rest of the site, and the redirects
pass (checks/redirects.py) reports redirects that cannot work.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from pathlib import Path

from tracksite.core.markdown import references as refs
from tracksite.core.model.course import Curriculum
from tracksite.core.problems.findings import Finding
from tracksite.core.schema import language as schemalang
from tracksite.core.schema import specs as schema
from tracksite.core.sources import read_yaml
from tracksite.errors import SourceProblem

FILE_NAME = "redirects.yml"
HEADER = (
    "# Old lesson addresses that still lead somewhere: `old-slug: new-slug`, one a line.\n"
    "# Written by `tracksite rename --redirect`; delete a line to drop its redirect.\n"
)


@dataclass(frozen=True)
class Redirect:
    track: str
    old: str
    new: str
    line: int | None = None


def path_for(track_dir: Path) -> Path:
    return track_dir / FILE_NAME


def read(track_dir: Path) -> tuple[list[Redirect], list[Finding]]:
    """The redirects of one track folder, and what is wrong in the file, located by the schema
    (`schema.REDIRECTS`, the same description the editors' JSON Schema comes from). An empty file
    is no redirects. Only the lines that read right become redirects."""
    path = path_for(track_dir)
    if not path.is_file():
        return [], []
    try:
        located = read_yaml(path)
    except SourceProblem as e:
        return [], [Finding(e.line, e.message, code=e.code, column=e.column)]
    if located.value is None:
        return [], []
    findings = schemalang.read(schema.REDIRECTS, located.value, located.lines)[1]
    bad = {f.field for f in findings}
    good = located.value.items() if isinstance(located.value, dict) else ()
    out = [Redirect(track_dir.name, str(old), new, located.line(old)) for old, new in good if str(old) not in bad]
    return out, findings


def record(track_dir: Path, old: str, new: str) -> str:
    """The text of redirects.yml after a rename from `old` to `new`.

    Earlier redirects to `old` now go straight to `new` (no chains), and a redirect from `new`
    is dropped, since `new` is a lesson again."""
    current, _ = read(track_dir)
    entries: dict[str, str] = {}
    for r in current:
        if r.old == new:
            continue
        entries[r.old] = new if r.new == old else r.new
    entries[old] = new
    path = path_for(track_dir)
    header = HEADER
    if path.is_file():
        lines = path.read_text(encoding="utf-8").split("\n")
        lead = [l for l in _leading_comments(lines)]
        if lead:
            header = "\n".join(lead) + "\n"
    return header + "".join(f"{k}: {v}\n" for k, v in entries.items())


def _leading_comments(lines: list[str]):
    for line in lines:
        if line.startswith("#"):
            yield line
        else:
            return


def pages_for(r: Redirect, root: Path, curriculum: Curriculum, site_url: str | None = None) -> list[tuple[str, str]]:
    """(site path, HTML) of the pages one redirect needs: lesson, overview and cheatsheet at the
    old address. None when its target is left out of the build (a draft) or is no lesson, or
    when the old slug is a lesson again (checks/redirects.py reports those)."""
    lesson = curriculum.lesson(f"{r.track}/{r.new}")
    if lesson is None or curriculum.track(r.track) is None or (root / "lessons" / r.track / r.old).exists():
        return []
    out = []
    for kind in ("lesson", "overview", "cheatsheet"):
        if kind == "overview" and lesson.sources.overview is None:
            continue
        if kind == "cheatsheet" and lesson.sources.cheatsheet is None:
            continue
        old_url = refs.url(kind, r.track, r.old)
        new_url = refs.url(kind, r.track, r.new)
        title = lesson.title if kind == "lesson" else f"{kind.capitalize()}: {lesson.title}"
        out.append((old_url + "index.html", redirect_html(old_url, new_url, title, site_url)))
    return out


def redirect_html(old_url: str, new_url: str, title: str, site_url: str | None = None) -> str:
    """A page at `old_url` that sends readers on to `new_url` (both relative to the site root)."""
    target = posixpath.relpath(new_url, old_url) + "/"
    canonical = (site_url.rstrip("/") + "/" + new_url) if site_url else target
    t, c, h = escape(title), escape(canonical), escape(target)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">\n'
        f"<title>Moved: {t}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={h}">\n'
        f'<link rel="canonical" href="{c}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{h}">{t}</a>.</p>\n'
        "</body>\n</html>\n"
    )
