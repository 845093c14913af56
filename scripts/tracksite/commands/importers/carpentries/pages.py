"""The Workbench pages besides episodes, mapped to tracksite's own features.

- `index.md` (the lesson's home) becomes the track's introduction: the first learner page of the
  track, and its first paragraph, as plain text, the track's summary;
- `learners/*.md` (setup, reference, discussion, ...) become the track's learner pages under
  `docs/<track>/learners/`, listed with the track in the navigation;
- the glossary of `learners/reference.md` (a definition list) also becomes the track's
  `glossary.yml`, so its terms get tooltips where lessons use them and the track a glossary page;
- `instructors/*.md` become pages of the instructor view only (`audience: instructors`, under
  `docs/<track>/instructors/`), and `profiles/*.md` learner pages beside Setup.

Each page's links and figures are resolved like an episode's (links.py, workbench.py).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from tracksite.commands.importers.carpentries import anchorfix, datafiles, glossaryforms, unknit
from tracksite.commands.importers.carpentries.converted import Context, Episode
from tracksite.commands.importers.carpentries.episode import convert
from tracksite.commands.importers.carpentries.workbench import Lesson as Source
from tracksite.commands.importers.pipeline import limits
from tracksite.commands.importers.pipeline.plan import Plan
from tracksite.core import messages
from tracksite.core.learning.glossary import _norm
from tracksite.core.markdown.prose import prose_lines
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import ListOf, Text
from tracksite.core.sources import read_text, split_front_matter


def credit(src: Source, *, markdown: bool = False) -> str:
    """The attribution the licence asks for; in a page body (`markdown`) the title links to the
    source (a printed cheatsheet adds a link's address after it: the address shows once)."""
    words = messages.catalogue(src.lang)
    title = f"[{src.title}]({src.url})" if markdown and src.url else src.title
    where = f" ({src.url})" if src.url and not markdown else ""
    who = words.text("impByAuthors", authors=src.authors) if src.authors else words.text("impByCarpentries")
    return words.text("impCredit", title=title, where=where, who=who, licence=src.licence)


_TERM = re.compile(
    r"^(?:\[(?P<text>[^\]]+)\]\{#(?P<id>[\w-]+)\}|\[\[(?P<linked>[^\[\]]+)\]\{\s*#[\w-]+\s*\}\]\([^)\s]*\)"
    r"|(?P<plain>(?![*+-]\s)[^\s:#>|].*?))\s*(?:\{\s*#[\w-]+\s*\})?\s*$"
)
# In a glossary section: `- **term**: definition`, `**term** - definition` (a term in bold, then its definition)
_BOLD_ENTRY = re.compile(r"^(?:[-*+]\s+)?(?P<term>\*\*[^*]+\*\*|__[^_]+__)\s*(?:[:\u2013\u2014]|-\s)\s*(?P<text>\S.*)$")
_HEADING_LINE = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
# The names a glossary section goes by, in the languages lessons come in
GLOSSARY_HEADING = re.compile(
    r"gloss?ar(?:y|io|ium)?|glossaire|gloss[aá]rio|glosar|vocabul[aá]ri[oe]|t[eé]rminos|terms|definitions|用語",
    re.I,
)
_DEFINITION = re.compile(r"^:\s+(?P<text>\S.*)$")


def context(
    src: Source, track: str, slugs: dict[str, str], path: Path, *, page: str = "lesson", notes_lesson: str | None = None
) -> Context:
    """The context every page of the lesson is converted in: the lesson's layout and links.md."""
    return Context(
        episode_slugs={k: f"{track}/{v}" for k, v in slugs.items()},
        source_dir=path.parent,
        link_defs=src.link_defs,
        layout=src.layout,
        track=track,
        page=page,
        notes_lesson=notes_lesson,
        lang=src.lang,
    )


def publish(plan: Plan, ctx: Context, track: str, folder: str) -> None:
    """Copy the figures a page uses beside it (`folder`) and its downloads under docs/<track>/."""
    for source, name in ctx.files.items():
        plan.files[f"{folder}/{name}"] = source
    for source, rel in ctx.downloads.items():
        zipped = rel.endswith(datafiles.ZIPPED) and source.suffix.lower() in datafiles.HTML
        plan.files[f"docs/{track}/{rel}"] = datafiles.zipped(source) if zipped else source


def report(plan: Plan, src: Source, page: Path, ep: Episode) -> None:
    rel = page.relative_to(src.root)
    for n in ep.notes:
        (plan.warnings if n.warning else plan.notes).append(f"{rel}:{n.line}: {n.message}")
        if n.counts:
            plan.changes.setdefault(rel.as_posix(), Counter()).update(n.counts)


def _title(meta, fallback: str) -> str:
    title = meta.value.get("title") if isinstance(meta.value, dict) else None
    return str(title or fallback)


def learner_page(
    src: Source,
    page: Path,
    track: str,
    slugs: dict[str, str],
    plan: Plan,
    *,
    notes_lesson: str | None,
    name: str | None = None,
    title: str | None = None,
) -> Episode:
    """One learner page (or the lesson's home, as `index.md`) under docs/<track>/learners/."""
    md = split_front_matter(page, unknit.page_text(src.root, page))
    ctx = context(src, track, slugs, page, page="learners", notes_lesson=notes_lesson)
    ep = convert(md.body, md.body_line, ctx)
    heading = title or _title(md.meta, page.stem.replace("-", " ").replace("_", " ").capitalize())
    words = messages.catalogue(src.lang)
    if page.stem == "reference" and plain_text(heading).casefold() == words.text("glossary").casefold():
        heading = words.text("impReference")  # the track's glossary page has that name already
    folder = f"docs/{track}/learners"
    target = name or Path(page.name).with_suffix(".md").name
    front: dict = {"title": heading}
    if page.stem == "setup" and name is None:
        # the lesson's place for what to install and which version: facts that date by nature
        # ("the latest version of R"), kept and updated here, so check leaves them alone
        front["dated_facts"] = True
    plan.files[f"{folder}/{target}"] = _front(front) + ep.body + "\n---\n\n" + credit(src, markdown=True) + "\n"
    publish(plan, ctx, track, folder)
    report(plan, src, page, ep)
    return ep


def learner_links(src: Source) -> list[tuple[str, str]]:
    """(title as plain text, file name under docs/<track>/learners/) of every learner page, Setup
    first: the Workbench links these from every page's top bar."""
    found = []
    for page in src.learners:
        if page.is_file():
            meta = split_front_matter(page, read_text(page)).meta
            fallback = page.stem.replace("-", " ").replace("_", " ").capitalize()
            title = plain_text(_title(meta, fallback)).replace("[", "").replace("]", "") or fallback
            found.append((title, Path(page.name).with_suffix(".md").name))
    return sorted(found, key=lambda link: link[1] != "setup.md")


def setup_line(src: Source) -> str | None:
    """ "Before you start: [Setup](../learners/setup.md)", for every lesson's overview (each
    lesson's header lists it as a prerequisite); None without a setup page."""
    setup = next((link for link in learner_links(src) if link[1] == "setup.md"), None)
    if setup is None:
        return None
    return f"{messages.catalogue(src.lang).text('beforeYouStart')} [{setup[0]}](../learners/{setup[1]})"


def pages_line(src: Source) -> str | None:
    """The lesson's other learner pages (Reference, Discussion, ...) as links, for every overview:
    nothing else of the track links them (the Workbench has them in every page's top bar)."""
    others = [f"[{title}](../learners/{name})" for title, name in learner_links(src) if name != "setup.md"]
    return messages.catalogue(src.lang).text("impPages", links=", ".join(others)) if others else None


def introduction(src: Source, track: str, slugs: dict[str, str], plan: Plan, notes_lesson: str) -> str | None:
    """The lesson's home page as the track's introduction; returns its summary (plain text)."""
    index = src.root / "index.md"
    if not index.is_file():
        return None
    words = messages.catalogue(src.lang)
    ep = learner_page(
        src, index, track, slugs, plan, notes_lesson=notes_lesson, name="index.md", title=words.text("impLanding")
    )
    return first_sentences(ep.learner_body, 400)


def status_everywhere(src: Source, track: str, plan: Plan) -> None:
    """The lesson's stage (config.yaml `life_cycle`) at the top of every page of the track: its
    lessons, overviews, cheat sheets and learner and instructor pages, as the Workbench shows it
    on every page, not only on the landing page. It is a call-out the source's episodes do not
    hold: each episode's count takes it (counting.py), listed once here."""
    if not src.life_cycle:
        return
    badge = status_badge(src)
    tops = (f"lessons/{track}/", f"cheatsheets/{track}/", f"docs/{track}/")
    for rel, text in plan.files.items():
        if isinstance(text, str) and rel.endswith(".md") and rel.startswith(tops):
            end = text.index("---\n\n", 4) + 5 if text.startswith("---\n") else 0  # after the front matter
            plan.files[rel] = text[:end] + badge + "\n" + text[end:]
    for source in plan.sources:
        plan.changes.setdefault(source, Counter())["callouts"] += 1
    plan.notes.append(
        f"config.yaml:1: the lesson's stage ({src.life_cycle}) is shown at the top of every page of the track, "
        "as the Workbench shows it"
    )


def status_badge(src: Source) -> str:
    """The lesson's stage (config.yaml `life_cycle`) as the Workbench shows it: a stable lesson's
    status in one line, a lesson still in the making with a warning that it may change."""
    words = messages.catalogue(src.lang)
    stage = src.life_cycle.capitalize()
    if src.life_cycle == "stable":
        return f"/// info | {stage}\n{words.text('impStable')}\n///\n"
    return f"/// warning | {stage}\n{words.text('impLifeCycle', stage=stage)}\n///\n"


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<text>\S.*)$")


# Asides, `*(...)*`, that open a paragraph: the form of the import's own notice where an image is
# missing (links.py, impImageMissing), which is no prose of the lesson's to summarise it by.
NOTICE = re.compile(r"^(?:\*\([^\n]*?\)\*\s*)+")


def first_sentences(body: str, limit: int) -> str | None:
    """The first paragraph of prose in `body`, as plain text no longer than `limit`; a lead-in
    that ends with a colon ("you will be able to:") takes the list under it, or it says nothing."""
    paras = re.split(r"\n\s*\n", _without_code(body))
    notice = ""  # the notice just before: a missing image's caption follows it and repeats it
    for k, para in enumerate(paras):
        lead = para.splitlines()
        lead = lead[: next((i for i, line in enumerate(lead) if i and _ITEM.match(line)), len(lead))]
        whole = " ".join(" ".join(lead).split())
        text, caption_of = NOTICE.sub("", whole), notice
        notice = whole if whole and not text else ""
        if not text or text.startswith(("#", ":", "<", "!", "|", "- ", "* ", "+ ", "`", "/", ">")):
            continue
        if caption_of and plain_text(text) in plain_text(caption_of):
            continue
        plain = plain_text(_code_dollars(text))
        items = (
            _list_after(para, paras[k + 1 : k + 2]) if plain.endswith(":") or len(lead) < len(para.splitlines()) else []
        )
        if items:
            plain = f"{plain} {'; '.join(i.rstrip('.;') for i in items)}."
        if len(plain.split()) >= 4:
            return limits.shorten(plain, limit)
    return None


def _code_dollars(text: str) -> str:
    """`$` inside code spans escaped (`\\$`): the summary is plain text, whose `$...$` the site
    draws as a formula, and a shell prompt or a Make variable (`$(CC)`, `$@`) is no formula."""
    return re.sub(r"(`+)(.+?)\1", lambda m: m.group(0).replace("$", "\\$"), text)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _without_code(body: str) -> str:
    """The body with its fenced code blocks blanked: code is never a summary's prose."""
    out, fence = [], ""
    for line in body.splitlines():
        m = _FENCE.match(line)
        if fence or m:
            if m and fence and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            elif m and not fence:
                fence = m.group(1)
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def _list_after(para: str, following: list[str]) -> list[str]:
    """The items of the list right under a lead-in paragraph (or in its own last lines), plain."""
    lines = para.splitlines()[1:] or (following[0].splitlines() if following else [])
    items: list[str] = []
    for line in lines:
        m = _ITEM.match(line)
        if m:
            items.append(plain_text(_code_dollars(m["text"])))
        elif items and line.strip() and line[:1].isspace():
            items[-1] += " " + plain_text(_code_dollars(line))
    return [i for i in items if i]


def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees: no `**`, `_`, backticks, link targets or tags."""
    text = re.sub(r"(?<!!)\[([^\[\]]*)\]\{[^}]*\}", r"\1", markdown)  # Pandoc's spans: `[term]{#id}`
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]", lambda m: m.group(1) or m.group(2) or "", text)
    text = re.sub(r"\{[:#.][^}]*\}|<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|`+)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w])_(.+?)_(?![\w])", r"\1", text)
    return " ".join(text.split())


def instructor_pages(src: Source, track: str, slugs: dict[str, str], plan: Plan) -> None:
    """Each page of instructors/ as a page of the instructor view (`audience: instructors`, under
    docs/<track>/instructors/), as the Workbench's instructor view has it: never on the learner site."""
    for page in src.instructors:
        md = split_front_matter(page, unknit.page_text(src.root, page))
        ctx = context(src, track, slugs, page, page="instructors")
        notes = convert(md.body, md.body_line, ctx)
        rel = page.relative_to(src.root)
        plan.instructor_text.setdefault(rel.as_posix(), []).append(notes.body)
        title = plain_text(_title(md.meta, page.stem.replace("-", " ").replace("_", " ").capitalize()))
        folder = f"docs/{track}/instructors"
        plan.files[f"{folder}/{Path(page.name).with_suffix('.md').name}"] = (
            _front({"title": title, "audience": "instructors"})
            + notes.body
            + "\n---\n\n"
            + credit(src, markdown=True)
            + "\n"
        )
        publish(plan, ctx, track, folder)
        report(plan, src, page, notes)
        plan.notes.append(f"{rel}:1: a page of the instructor view (docs/{track}/instructors/), as the Workbench's")


def profile_pages(src: Source, track: str, slugs: dict[str, str], plan: Plan) -> None:
    """Learner profiles (profiles/) are for learners too: pages beside Setup, as the Workbench's
    "Learner Profiles" link in every page's bar."""
    for page in src.profiles:
        name = Path(page.name).with_suffix(".md").name
        if any(p.name == page.name for p in src.learners):
            name = f"profiles-{name}"
        title = messages.catalogue(src.lang).text("impProfiles") if len(src.profiles) == 1 else None
        learner_page(src, page, track, slugs, plan, notes_lesson=None, name=name, title=title)
        plan.notes.append(
            f"{page.relative_to(src.root)}:1: a learner page (docs/{track}/learners/{name}), as the Workbench shows it"
        )


def _note_left_out(plan: Plan, rel: Path, why: str, terms: list[str]) -> None:
    if terms:
        plan.notes.append(
            f"{rel}:1: {len(terms)} glossary terms {why} stay on the reference page only: "
            + ", ".join(terms[:8])
            + (", …" if len(terms) > 8 else "")
        )


def glossary(
    src: Source, track: str, lessons: list[tuple[str, str]], plan: Plan, defined: dict[str, str] | None = None
) -> None:
    """The definition list of learners/reference.md as the track's glossary.yml: each term taught
    by the first lesson (`lessons`: slug and the text of its pages) whose prose uses it; a term no lesson uses stays on the reference page only,
    and so does one another track of the course (`defined`: term -> definition) defines otherwise."""
    reference = next((p for p in src.learners if p.stem == "reference"), None)
    if reference is None:
        return
    body = split_front_matter(reference, read_text(reference)).body
    found = definitions(body)
    known = {term.casefold() for term, _ in found}
    found += [(t, d) for t, d in glossaryforms.html_definitions(body) if t.casefold() not in known]
    fields = schema.TERM.by_name()
    term_spec, definition_spec = fields["term"].spec, fields["definition"].spec
    assert isinstance(term_spec, Text) and isinstance(definition_spec, Text)  # as the glossary schema says
    term_limit, definition_limit = term_spec.max_length, definition_spec.max_length
    terms, unused, elsewhere, kept = [], [], [], []
    in_code: dict[str, list[str]] = {}  # lesson -> the terms only its code uses
    for term, definition in found:
        names = glossaryforms.aliases(term, body)  # `**library** o biblioteca`: library, biblioteca
        lesson = next((u for u in (_first_use(n, track, lessons) for n in (term, *names)) if u), None)
        if lesson is None and (lesson := glossaryforms.first_code_use((term, *names), lessons)):
            in_code.setdefault(lesson, []).append(limits.shorten(term, term_limit))
        other = (defined or {}).get(term.lower())
        if other is not None and _norm(other) != _norm(definition):
            elsewhere.append(term)
            continue
        if lesson is None:
            unused.append(term)
            continue
        kept.append(term)
        terms.append(
            {
                "term": limits.shorten(term, term_limit),
                "definition": limits.shorten(definition, definition_limit),
                **({"aliases": names} if names else {}),
                "lesson": lesson,
            }
        )
    rel = reference.relative_to(src.root)
    _note_left_out(plan, rel, "no lesson uses", unused)
    _note_left_out(plan, rel, "another track defines otherwise", elsewhere)
    if terms:
        _write_glossary(src, track, rel, plan, terms, kept, in_code)


def _write_glossary(
    src: Source, track: str, rel: Path, plan: Plan, terms: list[dict], kept: list[str], in_code: dict[str, list[str]]
) -> None:
    """glossary.yml of `terms` (as many as the schema takes), links to them moved to it, and the
    terms only code uses named in their lesson's overview (glossaryforms.code_terms_section)."""
    terms_spec = schema.GLOSSARY.by_name()["terms"].spec
    assert isinstance(terms_spec, ListOf)  # the glossary schema's terms are a list
    written = {str(t["term"]) for t in terms[: terms_spec.max_items]}
    in_code = {slug: [t for t in names if t in written] for slug, names in in_code.items()}
    glossaryforms.code_terms_section(plan, track, in_code, messages.catalogue(src.lang))
    plan.files[f"lessons/{track}/glossary.yml"] = (
        f"# The glossary of {rel}, imported: each term's lesson is the first that uses it.\n"
        + yaml.safe_dump(
            {"terms": terms[: terms_spec.max_items]},
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )
    )
    plan.notes.append(
        f"{rel}:1: {len(terms)} glossary terms became the track's glossary (tooltips where lessons use them)"
    )
    moved = anchorfix.to_glossary(
        plan.files, track, list(zip(kept, [str(t["term"]) for t in terms[: terms_spec.max_items]]))
    )
    if moved:
        plan.notes.append(f"{rel}:1: {moved} link(s) to its terms point at the term in the track's glossary")


def definitions(body: str) -> list[tuple[str, str]]:
    """(term, definition as plain text) of every glossary entry of a reference page, in every form
    the Workbench's pages write one: a Pandoc definition list (the term plain, bold, `[term]{#id}`
    or linked), and in a glossary section also a bold term followed by its definition on its line
    (`- **term**: text`) and a heading with the paragraph under it (`### term`). Each term once."""
    found = _definition_list(body) + _glossary_section_entries(body)
    seen: set[str] = set()
    out = []
    for term, text in found:
        if term.casefold() not in seen:
            seen.add(term.casefold())
            out.append((term, text))
    return out


def _glossary_section_entries(body: str) -> list[tuple[str, str]]:
    """Bold-term lines and heading-and-paragraph entries under a glossary heading, to the next
    heading of its level or above."""
    lines = _without_code(body).splitlines()
    out: list[tuple[str, str]] = []
    level = 0  # the glossary heading's level while inside its section
    for i, line in enumerate(lines):
        h = _HEADING_LINE.match(line)
        if h and (not level or len(h["level"]) <= level):
            level = len(h["level"]) if GLOSSARY_HEADING.search(h["text"]) else 0
            continue
        if not level:
            continue
        if h:  # a heading inside the section: the term, its definition the paragraph under it
            text = _paragraph(lines, i + 1)
            if text:
                out.append((plain_text(h["text"]), text))
            continue
        m = _BOLD_ENTRY.match(line.strip())
        if m:
            rest = [m["text"], *_continuation(lines, i + 1)]
            out.append((plain_text(m["term"]).rstrip(":").strip(), plain_text(" ".join(rest))))
    return [(t, d) for t, d in out if t and d]


def _paragraph(lines: list[str], start: int) -> str:
    """The plain text of the paragraph that starts at or after `start` (blank lines skipped), if
    it is prose: a list, a table or a definition line is not a heading's definition."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or _HEADING_LINE.match(lines[start]) or re.match(r"^\s*(?:[-*+|:>]|\d+[.)])", lines[start]):
        return ""
    return plain_text(" ".join([lines[start], *_continuation(lines, start + 1)]))


def _continuation(lines: list[str], start: int) -> list[str]:
    out = []
    for line in lines[start:]:
        if not line.strip() or _HEADING_LINE.match(line) or re.match(r"^\s*(?:[-*+]\s|\*\*|__)", line):
            break
        out.append(line.strip())
    return out


def _definition_list(body: str) -> list[tuple[str, str]]:
    """(term, definition as plain text) of every definition list entry in a Pandoc body."""
    lines = body.splitlines()
    out: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        start = _DEFINITION.match(line)
        j = i - 1 if i and lines[i - 1].strip() else i - 2
        if start is None or j < 0 or _DEFINITION.match(lines[j]) or lines[j].startswith((" ", "\t")):
            continue
        term = _TERM.match(lines[j].strip())
        if term is None:
            continue
        text = [start["text"]]
        for k in range(i + 1, len(lines)):
            if not lines[k].strip() or _DEFINITION.match(lines[k]):
                break
            text.append(lines[k].strip())
        out.append((plain_text(term["text"] or term["linked"] or term["plain"]).strip(), plain_text(" ".join(text))))
    return [(t, d) for t, d in out if t and d]


def _first_use(term: str, track: str, lessons: list[tuple[str, str]]) -> str | None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?:e?s)?(?![\w-])", re.I)
    for slug, text in lessons:
        if any(pattern.search(line) for _, line in prose_lines(text, 1)):
            return slug
    return None


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) + "---\n\n"
