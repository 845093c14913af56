"""Links and images in page bodies, checked against the site plan: `lesson:` links and their
anchors, relative links to files and pages of the site, and images.

Anchors are the ids Python-Markdown gives the target page (core/markdown/anchors.py), computed only for
pages some link points into. A relative link must reach a file the site publishes: the engine
warns about anything else (and `strict: true` fails the build), so the check says it first.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from tracksite.core.checks.common import near, problems_of
from tracksite.core.checks.lessons import resolve
from tracksite.core.markdown import anchors as anchor_ids
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import lines_holding
from tracksite.core.memo import memo
from tracksite.core.schema.choices import BrokenLinks
from tracksite.core.site.addresses import REMOTE_HINT, remote_message
from tracksite.core.site.published import unpublished_reason

IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?")
# `![](fig.png){alt='...'}`: attr_list's alt attribute is alt text too (Carpentries writes it so).
_ALT_ATTR = re.compile(r"""[^)]*\)\{[^}]*\balt\s*=\s*(?:"[^"]*\S[^"]*"|'[^']*\S[^']*'|[^\s}'"]+)""")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# ids every page has without a heading: footnotes and the theme's own targets (Material's
# `__drawer`, `__search`, `__code_0`, `__tabbed_1_1`...). Only those: a heading such as
# `## __init__ method` gets the id `init-method`, so `#__init__-method` is a broken link.
_ALWAYS = re.compile(
    r"^(?:$|top$|fn:|fnref:|__(?:drawer|search|palette|config|consent|code|codelineno|tabbed|annotation)"
    r"(?:$|[_-]))"
)


class _Ids:
    """Heading ids of the project's pages, rendered on first use and remembered."""

    def __init__(self, project) -> None:
        self.project = project
        self.config = project.site.config if project.site is not None else None
        self.cache: dict[str, set[str]] = {}

    def of(self, src_uri: str) -> set[str] | None:
        doc = self.project.document(src_uri)
        if doc is None:
            return None
        if src_uri not in self.cache:
            self.cache[src_uri] = anchor_ids.anchors(doc.body, self.config, doc.body_line)
        return self.cache[src_uri]


def _links(doc):
    return memo(("links", doc.body, doc.body_line), lambda: list(refs.find_links(doc.body, doc.body_line)))


def _is_draft(project, doc) -> bool:
    return doc.lesson_key is not None and doc.lesson_key in project.drafts


def course_links(project) -> list:
    """`lesson:`, `overview:`, `cheatsheet:` and `track:` links lead to published pages, and
    their `#anchor` to a heading of that page."""
    out = problems_of(project)
    ids = _Ids(project)
    for doc in project.documents:
        for link in _links(doc):
            if refs.is_unsafe(link.target) or refs.scheme_of(link.target) is None:
                continue
            ref = refs.parse(link.target, doc.track)
            why = ref if isinstance(ref, str) else resolve(ref, project, _is_draft(project, doc))
            column = _column(doc.body, link.start)
            if why:
                out.add(doc.path, link.line, f"broken link {link.target!r}: {why}", code="TS301", column=column)
                continue
            assert not isinstance(ref, str)  # a link that does not parse is reported just above
            if not ref.anchor or ref.kind == "glossary":  # a term's anchor: checked by resolve
                continue
            found = ids.of(ref.src_uri)
            if found is None:
                out.add(
                    doc.path,
                    link.line,
                    f"broken link {link.target!r}: anchors can only point into lesson, overview and cheatsheet pages",
                    code="TS302",
                    column=column,
                )
            elif ref.anchor not in found:
                out.add(
                    doc.path,
                    link.line,
                    f"broken link {link.target!r}: no heading with anchor #{ref.anchor} on that page",
                    hint=near(ref.anchor, found),
                    column=column,
                    **_anchor_kind(project, doc),
                )
    return out.items


def relative_links(project) -> list:
    """Every other link in a page body (not http(s), not `lesson:`) reaches a file the site
    publishes, stays inside the site, and its `#anchor` names a heading of the target page."""
    out = problems_of(project)
    ids = _Ids(project)
    plan = project.site.by_src_uri() if project.site is not None else {}
    for doc in project.documents:
        images = {(ln, t) for ln, _, t, _ in _images(doc)}
        for link in _links(doc):
            target = link.target
            if refs.is_unsafe(target) or refs.scheme_of(target) or _SCHEME.match(target) or target.startswith("//"):
                continue
            why = _relative_problem(
                doc,
                target,
                plan,
                ids,
                skip_missing=(link.line, target) in images,
                docs_dir=project.site.config.docs_dir if project.site is not None else None,
                left_out=lambda uri: _left_out(project, uri),
            )
            if why:
                message, hint = why
                kind = _anchor_kind(project, doc) if message.startswith("no heading") else {"code": "TS301"}
                out.add(
                    doc.path,
                    link.line,
                    f"broken link {target!r}: {message}",
                    hint=hint,
                    column=_column(doc.body, link.start),
                    **kind,
                )
    return out.items


def tolerated(project, doc) -> bool:
    """Whether a broken anchor on this page is a warning: a page of an imported track, whose
    track.yml keeps `imported.broken_links` at `warning` (the lesson's own typos, kept as links
    so the instructor sees and mends them, while the import and the build go through)."""
    # a learner page of the import (docs/<track>/learners/) is the track's too, though no lesson
    return tolerates(project, doc.track or doc.src_uri.split("/", 1)[0])


def tolerates(project, slug: str | None) -> bool:
    """Whether the track `slug` keeps its lesson's broken anchors as warnings (`tolerated`): its
    generated pages that copy lesson text (the exercise pack) are held to the same rule."""
    track = project.curriculum.track(slug) if slug else None
    return track is not None and track.imported is not None and track.imported.broken_links is BrokenLinks.WARNING


def _anchor_kind(project, doc) -> dict:
    """The code and severity of a link to a missing heading on `doc`."""
    if tolerated(project, doc):
        return {"code": "TS308", "severity": "warning"}
    return {"code": "TS302"}


def _relative_problem(doc, target: str, plan: dict, ids: _Ids, *, skip_missing: bool, docs_dir=None, left_out=None):
    """(message, hint) when a relative link cannot work, else None."""
    parts = urlsplit(target)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/"):
        return (
            "an absolute path breaks when the site is served under a folder",
            "write a relative link, or `lesson:<slug>` for a lesson",
        )
    here = posixpath.dirname(doc.src_uri)
    if path:
        joined = posixpath.normpath(posixpath.join(here, path))
        if joined == ".." or joined.startswith("../"):
            return (
                "it climbs above the site's root folder",
                "link to a page or file of the site, or to an https:// address",
            )
        if joined not in plan:
            if skip_missing:
                return None  # images: reported by the image check
            if docs_dir is not None and (docs_dir / joined).is_file():
                return (
                    f"{docs_dir.name}/{joined} is left out of the site by mkdocs.yml's `exclude_docs` or `draft_docs`",
                    "link to a published page, or publish this one",
                )
            why = left_out(joined) if left_out else None
            if why:
                return why  # the file is there, but the site leaves it out
            if joined + "/index.md" in plan or (joined == "." and "index.md" in plan):
                return (f"{path!r} is a folder", f"link to {posixpath.join(path, 'index.md')!r}")
            return (
                f"no file {joined} in the site",
                "lessons link with `lesson:<slug>`; files beside a page are linked by their name",
            )
        target_uri = joined
    else:
        target_uri = doc.src_uri
    if fragment and not _ALWAYS.match(fragment):
        found = ids.of(target_uri)
        if found is not None and fragment not in found:
            return (f"no heading with anchor #{fragment} on that page", near(fragment, found))
    return None


def _column(body: str, offset: int) -> int:
    """The 1-based column of the body's character at `offset` (a link's target)."""
    return offset - body.rfind("\n", 0, offset)


def _images(doc) -> list[tuple[int, str, str, int]]:
    """(line, alt, target, column of the target) of every Markdown image of a page; alt is also
    read from `{alt='...'}`. Remembered per text, as the rest of a page's reading is (core/memo.py)."""

    def compute() -> list[tuple[int, str, str, int]]:
        found = []
        # an image shown as code is no image; each image holds `![` (the other lines are not walked)
        for n, _, line in lines_holding(refs.mask_code(doc.body), ("![",)):
            for m in IMAGE.finditer(line):
                alt = m.group(1) if m.group(1).strip() or not _ALT_ATTR.match(line, m.end()) else "alt"
                found.append((doc.body_line + n, alt, m.group(2), m.start(2) + 1))
        return found

    return memo(("images", doc.body, doc.body_line), compute)


def images(project) -> list:
    """Images have alt text, are files of the site (never remote: the Content-Security-Policy
    lets pages load images from the site itself only) and sit in the page's folder."""
    out = problems_of(project)
    plan = _plan(project)
    for doc in project.documents:
        for lineno, alt, target, column in _images(doc):
            if not alt.strip():
                out.add(
                    doc.path,
                    lineno,
                    f"image {target!r} has no alt text",
                    hint="describe what the image shows, e.g. ![A loop that runs the command once per file](loop.svg)",
                    severity="warning",
                    code="TS306",
                    column=column,
                )
            scheme = urlsplit(target).scheme.lower()  # a remote file listed in remote-files.yml passes:
            if (scheme in ("http", "https") or target.startswith("//")) and target not in project.remote.urls:
                out.add(
                    doc.path,
                    lineno,
                    f"image {remote_message(target)}, and would not show: the site's "
                    "Content-Security-Policy (img-src 'self') lets pages load images from the site only",
                    hint=REMOTE_HINT,
                    code="TS305",
                    column=column,
                )
                continue
            if _SCHEME.match(target) or target.startswith("#"):
                continue
            if target.startswith("/") or ".." in target.split("/"):
                out.add(
                    doc.path,
                    lineno,
                    f"image path {target!r} leaves the lesson folder",
                    hint="put the image beside lesson.md and write its file name",
                    code="TS304",
                    column=column,
                )
                continue
            here = posixpath.dirname(doc.src_uri)
            joined = posixpath.normpath(posixpath.join(here, unquote(urlsplit(target).path)))
            if joined in plan:
                continue
            why = _left_out(project, joined)
            expected = f"expected it at lessons/{doc.track}/{doc.lesson}/{target}" if doc.lesson else None
            message, hint = (f"is not published: {why[0]}", why[1]) if why else ("not found", expected)
            out.add(doc.path, lineno, f"image {target!r} {message}", hint=hint, code="TS303", column=column)
    return out.items


def _left_out(project, uri: str) -> tuple[str, str] | None:
    """(message, hint) when `uri` names a file that is in a lesson folder but not published."""
    track, _, rest = uri.partition("/")
    slug, _, rest = rest.partition("/")
    lesson = project.curriculum.lesson(f"{track}/{slug}") if rest else None
    if lesson is None:
        return None
    folder = lesson.sources.folder
    path = folder / rest
    if not path.exists() or path.is_symlink():
        return None
    why, hint = unpublished_reason(folder, path)
    return f"{rest} is in the lesson folder, but {why}", hint


def _plan(project) -> dict:
    return project.site.by_src_uri() if project.site is not None else {}
