"""What is inside a page: no active content, widget bodies that work, and the warnings that
help learners (vague link text, a reading time far from the prose, objectives nothing practises)."""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from pathlib import Path

from tracksite.core.checks import rawhtml
from tracksite.core.checks.common import problems_of
from tracksite.core.learning import glossary as glossary_mod
from tracksite.core.learning import readingtime
from tracksite.core.learning.coverage import objective_warnings
from tracksite.core.markdown import bodychecks
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import blank_data_blocks_of
from tracksite.core.markdown.prose import FOLDED_TO_ASCII
from tracksite.core.memo import current, folder_stamp, memo
from tracksite.core.model.project import Project
from tracksite.core.site.addresses import REMOTE_HINT, remote_message
from tracksite.core.widgets.validate import validate_widgets

_VAGUE_LINK = re.compile(r"\[(?<!!\[)(here|click here|this link|this|link|read more|more)\]\(", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^{}\n]{0,300}?(?<![\w-])(on[a-z]+)\s*=[^{}\n]{0,300}\}", re.I)
# The search's marks that only tracksite's templates write (search/page.py): in a page they
# would retitle its result, add a filter, move the indexed part or weigh it (`nan` broke the build).
_SEARCH_MARK = r"(data-search-(?:body|meta|filter|weight))(?![\w-])"
_ATTR_LIST_SEARCH_MARK = re.compile(r"\{:?[^{}\n]{0,300}?(?<![\w-])" + _SEARCH_MARK + r"[^{}\n]{0,300}\}", re.I)
MAX_FINDINGS = 20  # of one kind in one file: enough to act on, never a flood
# `url()` and `@import` anywhere outside code, `{: style=... }` of attr_list included (raw HTML's
# tags and style sheets are read as a browser reads them, by rawhtml.py).
REMOTE_STYLE = re.compile(
    r"""url\(\s*["']?((?:https?:)?//[^"')\s]*)|@import\s+(?:url\(\s*)?["']?((?:https?:)?//[^"')\s;]*)""", re.I
)


def active_content(project) -> list:
    """No code reaches a learner's browser from a course page: no script-like HTML elements,
    no `on...=` event handlers (in HTML or `{: attr_list }`), no javascript:, vbscript:,
    data: or file: URLs. Code blocks and the data of widget blocks (rendered as text) are
    not looked at. A remote file listed in remote-files.yml is the build's to copy, not refused."""
    out = problems_of(project)
    allowed = project.remote.urls
    for doc in project.documents:
        found = memo(
            ("active", doc.body, doc.body_line, allowed),
            lambda doc=doc: _active_content(doc.body, doc.body_line, allowed),
        )
        for line, column, message, hint, code in found:
            out.add(doc.path, line, message, hint=hint, code=code, column=column)
    return out.items


def _active_content(
    body: str, body_line: int, allowed: frozenset[str] = frozenset()
) -> list[tuple[int, int | None, str, str, str]]:
    """(line, column, message, hint, code) of every script-like element, event handler and
    unsafe URL (masking keeps every character in place, so columns are the file's)."""
    found: list[tuple[int, int | None, str, str, str]] = []
    masked = blank_data_blocks_of(refs.mask_code(body), body, body_line)
    line_at = refs.line_finder(masked, body_line)
    for line, scheme, target in itertools.islice(refs.unsafe_urls(masked, body_line), MAX_FINDINGS):
        found.append(
            (
                line,
                None,
                f"link to {scheme}: URL {target[:60]!r} is not allowed",
                "course pages link only to pages, files and http(s) addresses",
                "TS503",
            )
        )
    for m in itertools.islice(REMOTE_STYLE.finditer(masked) if _may_load_style(masked) else (), MAX_FINDINGS):
        url = m.group(1) or m.group(2)
        if html.unescape(url) in allowed:
            continue
        found.append(
            (line_at(m.start()), column_at(masked, m.start()), f"style {remote_message(url)}", REMOTE_HINT, "TS504")
        )
    seen = {(line, code) for line, _, _, _, code in found}  # a URL the patterns above found too
    counts: Counter[str] = Counter()
    as_published = blank_data_blocks_of(rawhtml.published(refs.mask_code(body), body), body, body_line)
    for finding in rawhtml.findings(as_published, body_line, allowed):
        code = finding[4]
        if ((finding[0], code) not in seen or code not in ("TS503", "TS504")) and counts[code] < MAX_FINDINGS:
            counts[code] += 1
            found.append(finding)
    found += _attribute_findings(masked, line_at)
    return found


def _may_load_style(masked: str) -> bool:
    """Whether REMOTE_STYLE can match: every match holds `url(` or `@import` in some case. Most
    pages hold neither, and the pattern, case-insensitive from its first letter, was tried at
    every place of every page (a tenth of the active-content pass)."""
    if any(c in masked for c in FOLDED_TO_ASCII):
        return True
    lowered = masked.lower()
    return "url(" in lowered or "@import" in lowered


#: The attributes a page may not carry in `{: attr_list }` (raw HTML's: rawhtml.py): (patterns, message, hint, code).
_ATTRIBUTE_RULES = (
    (
        (_ATTR_LIST_HANDLER,),
        "event handler attribute {}= is not allowed in course pages",
        "interactive parts come from the widget blocks",
        "TS502",
    ),
    (
        (_ATTR_LIST_SEARCH_MARK,),
        "{}= is a mark of tracksite's own templates: in a page it would change the search's title, "
        "filters or weights of the page",
        "remove it; to keep text out of the search, mark it data-search-ignore",
        "TS520",
    ),
)


def _attribute_findings(masked: str, line_at) -> list[tuple[int, int | None, str, str, str]]:
    """(line, column, message, hint, code) of each event handler and search mark a page writes."""
    found: list[tuple[int, int | None, str, str, str]] = []
    if "{" not in masked:  # every rule's pattern starts at the `{` of an attr_list
        return found
    for patterns, message, hint, code in _ATTRIBUTE_RULES:
        for rx in patterns:
            for m in itertools.islice(rx.finditer(masked), MAX_FINDINGS):
                found.append(
                    (line_at(m.start(1)), column_at(masked, m.start(1)), message.format(m.group(1).lower()), hint, code)
                )
    return found


def column_at(text: str, index: int) -> int:
    """The 1-based column of `text[index]` on its line: editors jump to it."""
    return index - text.rfind("\n", 0, index)


def body_rules(project) -> list:
    """What renders silently wrong (core/markdown/bodychecks.py): pandoc fenced divs, a second title,
    a `math:` level the lesson contradicts."""
    out = problems_of(project)
    bodychecks.check_documents(project, out)
    return out.items


def widgets(project) -> list:
    """Every widget block's body (flashcards, quiz, attention, ...) and the data files it names."""
    out = problems_of(project)
    stamps: dict[Path, tuple] = {}
    known_blocks = project.site.config.blocks if project.site is not None else None  # mkdocs.yml's `/// name`s
    for doc in project.documents:
        shown, folder = out.relative(doc.path), doc.path.parent
        if folder not in stamps:  # widget data files live beside the page
            stamps[folder] = folder_stamp(folder)
        out.extend(
            memo(
                ("widgets", shown, doc.body, doc.body_line, folder, stamps[folder], known_blocks),
                lambda shown=shown, doc=doc, folder=folder: validate_widgets(
                    shown, doc.body, doc.body_line, folder, known_blocks=known_blocks
                ),
            )
        )
    return out.items


def glossary(project) -> list:
    """Each track's glossary: definitions that name real lessons, terms not used before they
    are taught (core/learning/glossary.py); also records where each term is used, for its page."""
    out = problems_of(project)
    glossary_mod.check(project, project.glossary, out)
    return out.items


def _vague_links(body: str) -> list[tuple[int, int, str]]:
    """(line in the body, column, link text) of each link whose text says nothing, remembered per text."""

    def compute() -> list[tuple[int, int, str]]:
        if not _VAGUE_LINK.search(body):  # one scan of the page: the pattern never spans lines
            return []
        return [
            (n, m.start() + 1, m.group(1)) for n, line in enumerate(body.split("\n")) if (m := _VAGUE_LINK.search(line))
        ]

    return memo(("vague-links", body), compute)


def page_warnings(project) -> list:
    """Warnings only: vague link text, empty table headers, reading times far from the prose."""
    out = problems_of(project)
    for doc in project.documents:
        for n, column, text in _vague_links(doc.body):
            out.add(
                doc.path,
                doc.body_line + n,
                f"link text {text!r} does not say where it goes",
                hint="name the target, e.g. [the lesson on loops](lesson:loops)",
                severity="warning",
                code="TS307",
                column=column,
            )
        headers = memo(("empty-table-headers", doc.body), lambda d=doc: _empty_table_headers(d.body.split("\n")))
        body_lines = doc.body.split("\n") if headers else []
        for n in headers:
            out.add(
                doc.path,
                doc.body_line + n,
                "a table's header row has an empty cell: a screen reader announces the column without a name",
                hint=f"name the column, e.g. `{_named_header(body_lines[n])}`",
                severity="warning",
                code="TS510",
            )
        if doc.kind == "lesson":
            _reading_time(out, doc, project)
    return out.items


def objective_coverage(project) -> list:
    """Objectives no practice touches (coverage.py): a pass of its own, run right after
    `page_warnings` (whose findings these followed), so that each is found page by page and a
    serve rebuild finds them again only on the pages that changed (core/checks/reuse.py)."""
    return _coverage(project)


def _named_header(row: str) -> str:
    """The header row found, each empty cell given a stand-in name: the hint shows this table."""
    cells = row.strip().strip("|").split("|")
    return "| " + " | ".join(c.strip() or "Name" for c in cells) + " |"


def _empty_table_headers(lines: list[str]) -> list[int]:
    """The 0-based lines of pipe-table header rows with an empty cell, outside code fences: axe
    reports them (empty-table-header), and the fix is a word in the Markdown."""
    if not any("|" in line for line in lines):
        return []
    found, fenced = [], False
    for n, (line, after) in enumerate(zip(lines, [*lines[1:], ""])):
        if ("```" in line or "~~~" in line) and _FENCE.match(line):  # (the test is much faster)
            fenced = not fenced
        if fenced or "|" not in line or not _TABLE_DELIMITER.match(after):
            continue
        cells = line.strip().removeprefix("|").removesuffix("|").split("|")
        if any(not cell.strip() for cell in cells):
            found.append(n)
    return found


def _reading_time(out, doc, project) -> None:
    lesson = project.curriculum.lesson(doc.lesson_key or "")
    if lesson is None:
        return
    reading = readingtime.estimate(doc.body, doc.body_line)
    expected, suggested = reading.minutes, readingtime.reading_minutes(doc.body)
    if expected and lesson.read != suggested and abs(lesson.read - expected) > 0.3 * expected:
        out.add(
            doc.path,
            doc.meta.line("time", "read"),
            f"read time {lesson.read} min is more than 30% off the prose estimate ({reading.describe()})",
            field="time.read",
            hint=f"set `read: {suggested}`",
            severity="warning",
            code="TS509",
        )


def _coverage(project) -> list:
    """Objectives no practice touches (coverage.py), one lesson at a time."""
    found = []
    for doc in project.documents:
        if doc.kind != "lesson":
            continue
        # A lesson's problems depend on its own file and its track's `practice` setting only; its
        # parsed front-matter is the same object for as long as the file's text is unchanged
        # (see loader `markdown`).
        track = project.curriculum.track((doc.lesson_key or "").partition("/")[0])
        key = ("coverage", doc.path, id(doc.meta), track.practice if track else None)
        results = current().results
        hit = results.get(key)
        if isinstance(hit, tuple) and hit[0] is doc.meta:
            warnings = hit[1]
        else:
            one = Project(project.root, project.curriculum, [doc], assets=project.assets)
            one.index()
            warnings = objective_warnings(one)
            results[key] = (doc.meta, warnings)
        found += warnings
    return found
