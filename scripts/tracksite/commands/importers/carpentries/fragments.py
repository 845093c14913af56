"""Links to an id no page of the imported track has, found once the whole track is planned.

A link whose `#id` no heading of its target page has leads a learner to the top of the page at
best, and `tracksite linkcheck` fails the published site on it. The source lesson's own typos
(`#silence-failure` for `#silent-failure`, an anchor to a heading renamed upstream) used to be
kept as links for `check` to warn about, so the import said nothing of some, check and the strict
build passed, and the generated workflow's link check failed (issue 84, M1). Now every link of
the track's pages (its lessons, cheatsheets and learner pages; Markdown links, reference
definitions and HTML `href`s) is checked against the ids the target page will have, computed as
`tracksite check` computes them (core/markdown/anchors.py); one that names none points at the page
instead (a link on its own page keeps its words), and the import says so once, with the source's
file and line. Check, the strict build and linkcheck then agree: nothing is broken.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from tracksite.commands.importers.carpentries import anchorfix
from tracksite.commands.importers.pipeline.plan import INSTRUCTOR_BLOCK, Plan
from tracksite.core.markdown.anchors import anchors
from tracksite.core.markdown.references import mask_code

LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<target>[^)\s]+)\)")
DEFINITION = re.compile(r"^(?P<lead>\s{0,3}\[[^\]^][^\]]*\]:\s*)(?P<target>\S+)", re.M)  # not a footnote
HREF = re.compile(r"""(?P<lead>\shref=)(?P<q>["'])(?P<target>[^"'<>]*)(?P=q)""", re.I)
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
ALWAYS = re.compile(r"^(?:$|top$|fn:|fnref:|__)")  # ids every page has (core/checks/links.py)
PAGE_SUFFIXES = (".md", ".Rmd", ".rmd")


def loosen(root: Path, track: str, plan: Plan) -> None:
    """Every Markdown file of the planned track with its links to missing ids loosened; a
    warning for each, at the source's file and line; the learner's lost links counted."""
    tops = (f"lessons/{track}/", f"cheatsheets/{track}/", f"docs/{track}/")
    pages = {rel: text for rel, text in plan.files.items() if isinstance(text, str) and rel.endswith(".md")}
    pages = {rel: text for rel, text in pages.items() if rel.startswith(tops)}
    origin = {lesson: source for source, lesson in plan.sources.items()}
    ids: dict[str, set[str]] = {}

    def ids_of(rel: str) -> set[str]:
        if rel not in ids:
            ids[rel] = anchors(FRONT.sub("", pages[rel], count=1))
        return ids[rel]

    for rel, text in pages.items():
        source = _source(root, rel, track, origin)
        masked, hidden = mask_code(text), [m.span() for m in INSTRUCTOR_BLOCK.finditer(text)]

        def fix(m: re.Match, kind: str) -> str:
            if masked[m.start() : m.end()] != m.group(0):  # noqa: B023 (shown as code: left as written)
                return m.group(0)
            path, _, fragment = m["target"].partition("#")
            fragment = unquote(fragment)
            target = _target(rel, path, track, pages)  # noqa: B023
            if not m["target"].count("#") or ALWAYS.match(fragment) or target is None:
                return m.group(0)
            if fragment in ids_of(target):
                return m.group(0)
            where = f"{_name(root, source)}:{anchorfix.line_of(source, fragment)}"  # noqa: B023
            target_source = _source(root, target, track, origin)
            why = (
                "the import did not keep that heading's id"
                if fragment in anchorfix.upstream_ids(target_source)
                else "no heading of the source lesson has that id either (a mistake upstream)"
            )
            if kind == "link" and not path:  # on its own page: its words stay
                plan.warnings.append(f"{where}: link to #{fragment}: {why}; its text is kept")
                learner = not any(a <= m.start() < b for a, b in hidden)  # noqa: B023
                if learner and rel in origin:  # noqa: B023
                    plan.changes.setdefault(origin[rel], Counter())["links"] -= 1  # noqa: B023
                return m["text"]
            plan.warnings.append(f"{where}: link to {m['target']}: {why}; it points at the page instead")
            loose = path or "#top"
            if kind == "link":
                return f"[{m['text']}]({loose})"
            return f"{m['lead']}{m['q']}{loose}{m['q']}" if kind == "href" else f"{m['lead']}{loose}"

        text = LINK.sub(lambda m: fix(m, "link"), text)
        masked = mask_code(text)
        text = DEFINITION.sub(lambda m: fix(m, "definition"), text)
        masked = mask_code(text)
        plan.files[rel] = HREF.sub(lambda m: fix(m, "href"), text)


def _target(rel: str, path: str, track: str, pages: dict[str, str]) -> str | None:
    """The planned page a link's path leads to (itself for `#id` alone), or None (another
    track's, a site page, a file, an address)."""
    if not path:
        return rel
    if path.startswith("lesson:"):
        ref = path.removeprefix("lesson:").strip("/")
        owner, _, slug = ref.rpartition("/")
        page = f"lessons/{track}/{slug}/lesson.md"
        return page if owner in ("", track) and page in pages else None
    if re.match(r"^[a-z][a-z0-9+.-]*:", path, re.I) or path.startswith("/"):
        return None
    # resolved as the site places the pages: a lesson at <track>/<slug>/, a learner page at
    # <track>/learners/ (`../learners/setup.md` from a lesson is its track's Setup page)
    at = {_address(page): page for page in pages}
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(_address(rel)), path))
    return at.get(joined)


def _address(rel: str) -> str:
    """A planned page's source path as the site has it (docs/ pages as they are, a lesson's
    `lesson.md` as its folder's page, a cheatsheet beside it)."""
    parts = rel.split("/")
    if parts[0] == "lessons" and len(parts) == 4:
        return f"{parts[1]}/{parts[2]}/{'index.md' if parts[3] == 'lesson.md' else parts[3]}"
    if parts[0] == "cheatsheets" and len(parts) == 3:
        return f"{parts[1]}/{parts[2].removesuffix('.md')}/cheatsheet.md"
    return rel.removeprefix("docs/")


def _source(root: Path, rel: str, track: str, origin: dict[str, str]) -> Path | None:
    """The file of the lesson a planned page comes from: an episode (plan.sources), or a learner,
    instructor or profile page kept under docs/<track>/ at its folder and name."""
    if rel in origin:
        return root / origin[rel]
    inner = rel.removeprefix(f"docs/{track}/")
    if inner == rel:
        return None
    stem = posixpath.splitext(inner)[0]
    return next((root / f"{stem}{s}" for s in PAGE_SUFFIXES if (root / f"{stem}{s}").is_file()), None)


def _name(root: Path, source: Path | None) -> str:
    return source.relative_to(root).as_posix() if source is not None else "the lesson"
