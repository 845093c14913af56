"""`tracksite import carpentries PATH --track SLUG`: a Carpentries Workbench lesson as a track.

The Workbench keeps episode order in `config.yaml`, one episode per file in `episodes/`, learner
pages in `learners/` and teaching notes in `instructors/`. Each episode becomes a lesson with an
overview and a cheatsheet; learner pages become site pages under `docs/<track>/learners/`;
instructor notes go into `/// instructor` blocks, which the learner site leaves out. The lesson's
licence and source are credited on every page. Everything is written to a staging folder first
and moved into place at the end, so an interrupted import leaves no half-made track: a rerun
starts it again.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from tracksite.commands.importers.carpentries import anchorfix, credits, datafiles, fragments, pages, roster
from tracksite.commands.importers.carpentries.converted import Episode, Note
from tracksite.commands.importers.carpentries.episode import LIQUID, convert
from tracksite.commands.importers.carpentries.pages import credit
from tracksite.commands.importers.carpentries.pandoc import definitions
from tracksite.commands.importers.carpentries.workbench import Lesson as Source
from tracksite.commands.importers.pipeline import confine, courseconfig, limits
from tracksite.commands.importers.pipeline.plan import Plan
from tracksite.core import messages
from tracksite.core.learning.readingtime import reading_minutes
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.markdown.bodychecks import formulas
from tracksite.core.schema.choices import TrackStage
from tracksite.core.sources import read_text, split_front_matter
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem, UserError

WORDS = re.compile(r"[A-Za-z0-9']+")
DOCS_FOLDERS = {"learners", "instructors", "profiles", "data", "files", "fig"}
COMMAND_LINE = re.compile(r"^\$\s+(\S.*)$")
TAB_BLOCK = re.compile(r"^/{3,} tab \|", re.M)  # the lesson's group tabs (episode.py): pymdownx.blocks.tab
WARNING_BLOCK = re.compile(r"^\s*`{3,}\s*warning\s*$", re.M)  # R's warnings (knitr.py): named in mkdocs.yml


def read_source(root: Path) -> Source:
    """The lesson at `root`, every path it names confined to it (confine.py)."""
    config = root / "config.yaml"
    if not config.is_file():
        if (root / "_config.yml").is_file() or (root / "_episodes").is_dir() or (root / "_episodes_rmd").is_dir():
            raise UserError(
                f"{root}/_config.yml:1: a lesson in the Carpentries' older Jekyll format (_episodes/, _extras/), "
                "which this import does not read: move it to the Workbench first (The Carpentries' lesson "
                "transition tool, built on pegboard, does it), then import the Workbench lesson"
            )
        raise UserError(f"{root} has no config.yaml: is it a Carpentries Workbench lesson?")
    text = confine.read(root, config)
    try:
        data = parse(text).value
    except SourceProblem as e:
        raise UserError(f"{config}:{getattr(e, 'line', None) or 1}: {e}") from None
    if not isinstance(data, dict):
        raise UserError(f"{config}: expected `key: value` lines")
    rosters = {
        folder: roster.read(root, folder, data.get(folder), text, take_unlisted=folder == "learners")
        for folder in ("episodes", "learners", "instructors", "profiles")
    }
    episodes = rosters["episodes"].pages
    if not episodes:
        said = "".join(f"\n{root}/{w}" for w in rosters["episodes"].warnings)
        raise UserError(
            f"{root}/episodes holds no episode to import: a Workbench lesson keeps one Markdown or R Markdown "
            f"file per episode there, listed in config.yaml `episodes:`{said}"
        )
    authors = credits.read_authors(root, data)
    return Source(
        root=root,
        title=str(data.get("title") or root.name),
        licence=str(data.get("license") or "CC-BY 4.0"),
        url=str(data.get("source") or data.get("url") or ""),
        episodes=episodes,
        learners=rosters["learners"].pages,
        instructors=rosters["instructors"].pages,
        profiles=rosters["profiles"].pages,
        authors=authors.text(),
        credit_notes=authors.notes + [n for r in rosters.values() for n in r.notes],
        listing_warnings=[w for r in rosters.values() for w in r.warnings],
        link_defs=_shared_links(root),
        unlisted=rosters["learners"].unlisted,
        lang=_language(data.get("lang")),
        life_cycle=_life_cycle(data.get("life_cycle")),
    )


def _life_cycle(value: object) -> str:
    """config.yaml's `life_cycle:`, one of the Workbench's stages, else nothing."""
    text = str(value or "").strip().lower()
    return text if text in {stage.value for stage in TrackStage} else ""


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _language(value: object) -> str:
    """config.yaml's `lang:` when it is a language tag (the file is the lesson's, not ours: anything
    else is left out, and the track takes the course's language)."""
    text = str(value or "").strip()
    return text if _LANGUAGE_TAG.fullmatch(text) and len(text) <= 35 else ""


def _shared_links(root: Path) -> dict[str, str]:
    """The Workbench appends links.md to every episode: its `[ref]: url` definitions."""
    links = root / "links.md"
    return definitions(confine.read(root, links)) if links.is_file() else {}


def lesson_slug(path: Path, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^\d+[-_]?", "", path.stem).lower()).strip("-") or "episode"
    slug = limits.free_slug(slug)
    if slug in DOCS_FOLDERS:  # docs/<track>/learners, data, files, fig: the track's own pages and downloads
        slug = f"{slug}-episode"
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def plan_import(src: Source, track: str, number: int, defined: dict[str, str] | None = None) -> Plan:
    """Every file of the new track; `defined` holds the glossary terms of the course's other tracks."""
    plan = Plan(notes=list(src.credit_notes), warnings=list(src.listing_warnings))
    taken: set[str] = set()
    slugs = {p.name: lesson_slug(p, taken) for p in src.episodes}
    first = f"{track}/{slugs[src.episodes[0].name]}"
    episodes: list[tuple[str, dict, Episode]] = []
    for path in src.episodes:
        episodes.append(_episode(src, path, track, slugs, plan, first))
    pages.instructor_pages(src, track, slugs, plan)
    pages.profile_pages(src, track, slugs, plan)
    _fix_anchors(src, track, episodes, plan)
    setup = pages.setup_line(src)
    setup_page = next((link for link in pages.learner_links(src) if link[1] == "setup.md"), None)
    if setup:
        plan.notes.append(
            "learners/setup.md:1: linked from every lesson's header (before you start) and overview, "
            "as the Workbench links Setup from every page"
        )
    _episode_files(src, track, episodes, plan, setup, setup_page)
    summary = pages.introduction(src, track, slugs, plan, first)
    plan.files[f"lessons/{track}/track.yml"] = _track_yml(
        src, number, [e[0] for e in episodes], summary, _expects(episodes, plan)
    )
    for page in src.learners:
        pages.learner_page(src, page, track, slugs, plan, notes_lesson=first)
        if page in src.unlisted:
            plan.notes.append(
                f"{page.relative_to(src.root)}:1: not listed in config.yaml `learners:`; imported as a learner page, "
                "as the Workbench shows it"
            )
    datafiles.publish_unlinked(src, track, plan)
    texts = [
        (
            slug,
            "\n".join(
                (
                    ep.learner_body,
                    str(plan.files[f"lessons/{track}/{slug}/overview.md"]),
                    str(plan.files[f"cheatsheets/{track}/{slug}.md"]),
                )
            ),
        )
        for slug, _, ep in episodes
    ]
    pages.glossary(src, track, texts, plan, defined)
    pages.status_everywhere(src, track, plan)
    fragments.loosen(src.root, track, plan)  # last: every page of the track planned
    return plan


def _episode_files(
    src: Source,
    track: str,
    episodes: list[tuple[str, dict, Episode]],
    plan: Plan,
    setup: str | None,
    setup_page: tuple[str, str] | None,
) -> None:
    """Each episode's lesson.md, overview and cheatsheet, in order: its prerequisites are the
    episode before it and the Setup page (`setup_page`: its title and file), and its overview
    links the lessons on either side, with the Setup and other pages' lines (`setup`)."""
    for i, (slug, meta, ep) in enumerate(episodes):
        prev = episodes[i - 1][0] if i else None
        nxt = episodes[i + 1][0] if i + 1 < len(episodes) else None
        base = f"lessons/{track}/{slug}"
        before = [{"lesson": prev}] if prev else []
        if setup_page:  # a docs page: `link:` is from docs/ (core/schema/specs.py LINK_RE)
            before.append({"text": setup_page[0], "link": f"{track}/learners/{setup_page[1]}"})
        plan.files[f"{base}/lesson.md"] = _lesson_text(src, meta, ep, before)
        plan.sources[meta["source"]] = f"{base}/lesson.md"
        more = "\n\n".join(line for line in (setup, pages.pages_line(src)) if line) or None
        plan.files[f"{base}/overview.md"] = _overview_text(src, meta, ep, (i, len(episodes)), (prev, nxt), more)
        plan.files[f"cheatsheets/{track}/{slug}.md"] = _cheatsheet_text(src, ep)


def _episode(src: Source, path: Path, track: str, slugs: dict[str, str], plan: Plan, first: str):
    rel = path.relative_to(src.root)
    try:
        md = split_front_matter(path, read_text(path))
    except SourceProblem as e:
        raise UserError(
            f"{rel}:{getattr(e, 'line', None) or 1}: {e} (in the episode's front matter, between its "
            "`---` lines: mend it there, e.g. quote a title that holds a colon or a bracket, and import again)"
        ) from None
    meta = md.meta.value if isinstance(md.meta.value, dict) else {}
    ctx = pages.context(src, track, slugs, path, notes_lesson=first)
    ep = convert(md.body, md.body_line, ctx)
    slug = slugs[path.name]
    pages.publish(plan, ctx, track, f"lessons/{track}/{slug}")
    if not str(meta.get("title") or "").strip():  # sandpaper needs one; a file name is no title to show
        named = re.sub(r"[-_]+", " ", re.sub(r"^\d+[-_]?", "", path.stem)).strip().capitalize() or path.stem
        ep.notes.append(Note(1, f"the episode has no `title:` in its front matter; titled {named!r}", True, None))
        meta = {**meta, "title": named}
    title = limits.fit_episode(
        ep,
        _plain_title(str(meta["title"]), ep),
        lambda message, counts: ep.notes.append(Note(1, message, False, counts)),
    )
    _plain_links(ep)
    if not ep.objectives:
        ep.notes.append(
            Note(1, "the episode states no objectives; the lesson's one objective says so", False, {"objectives": 1})
        )
    pages.report(plan, src, path, ep)
    if ep.instructor:
        plan.instructor_text[str(rel)] = list(ep.instructor)
    meta = {"title": title, "teaching": meta.get("teaching"), "exercises": meta.get("exercises"), "source": str(rel)}
    return slug, meta, ep


def _plain_title(title: str, ep: Episode) -> str:
    """The title as the words a reader sees: the site shows titles as plain text, so `*alpha*`
    would keep its asterisks (and Liquid its braces)."""
    plain = pages.plain_text(LIQUID.sub("", title)) or title
    if plain != title.strip():
        ep.notes.append(Note(1, f"the title's Markdown or Liquid was removed (titles are plain text): {plain!r}"))
    return plain


# `[text](target)` and `[text][label]` (the lesson's links.md or the page defines the label)
_FIELD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\](?:\([^)\s]+\)|\[[^\]]*\])")


def _plain_links(ep: Episode) -> None:
    """Questions, objectives and key points are plain text on the site (code spans aside): a
    link there is kept as its text, and the change listed (counting.py counts it)."""
    for name in ("questions", "objectives", "keypoints"):
        items = getattr(ep, name)
        for i, item in enumerate(items):
            found = len(_FIELD_LINK.findall(item))
            if found:
                items[i] = _FIELD_LINK.sub(lambda m: m["text"], item)
                ep.notes.append(
                    Note(
                        1,
                        f"{name}: {found} link(s) kept as text: the lesson header shows plain text",
                        False,
                        {"links": -found},
                    )
                )


def _fix_anchors(src: Source, track: str, episodes, plan: Plan) -> None:
    """Links to heading ids the imported pages no longer have are loosened (anchorfix)."""
    sources = {slug: src.root / meta["source"] for slug, meta, _ in episodes}

    def note(path, anchor, message, learner):
        where = path.relative_to(src.root) if path else "episodes"
        plan.warnings.append(f"{where}:{anchorfix.line_of(path, anchor)}: {message}")
        if "kept as text" in message and learner:
            plan.changes.setdefault(str(where), Counter())["links"] -= 1

    fixed = anchorfix.fix({slug: ep.body for slug, _, ep in episodes}, track, sources, note)
    for slug, _, ep in episodes:
        ep.body = fixed[slug]


def _summary(ep: Episode, title: str) -> str:
    """The first sentence of the episode's learner prose, as plain text (the summary is not Markdown);
    a lead-in sentence ending in a colon keeps the list it leads to (pages.first_sentences)."""
    prose = pages.first_sentences(ep.learner_body, 300)
    if prose:
        sentence = re.split(r"(?<=[.!?])\s", prose)[0]
        if len(WORDS.findall(sentence)) >= 4:
            return limits.shorten(sentence, 300)
    return pages.plain_text(ep.questions[0]) if ep.questions else f"{title}."


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) + "---\n\n"


def _lesson_text(src: Source, meta: dict, ep: Episode, before: list[dict]) -> str:
    objectives = ep.objectives or [messages.catalogue(src.lang).text("impObjective", title=meta["title"])]
    data: dict = {"title": meta["title"], "summary": _summary(ep, meta["title"]), "objectives": objectives}
    if ep.questions:
        data["questions"] = ep.questions
    if ep.keypoints:
        data["keypoints"] = ep.keypoints
    if before:
        data["prerequisites"] = before
    time = {"read": reading_minutes(ep.body)}
    if isinstance(meta.get("exercises"), int) and meta["exercises"] > 0:
        time["practice"] = min(meta["exercises"], 600)
    if isinstance(meta.get("teaching"), int) and meta["teaching"] > 0:  # the workshop's plan, as the source's schedule
        time["teach"] = min(meta["teaching"], 600)
    data["time"] = time
    data["math"] = _math_level(ep.body)
    data["credits"] = credit(src)
    return _front(data) + ep.body


def _math_level(body: str) -> str:
    """What `math:` says must match the formulas the body holds (`tracksite check` compares them)."""
    found = len(formulas(body, 1))
    return "none" if not found else "light" if found < 10 else "heavy"


def _overview_text(src, meta, ep: Episode, at: tuple[int, int], around: tuple, setup: str | None) -> str:
    """The overview tracksite writes for an episode, in the lesson's language (core/messages.py)."""
    words = messages.catalogue(src.lang)
    (i, n), (prev, nxt) = at, around
    parts = [f"## {words.text('impLearn')}\n"]
    if ep.questions:
        parts.append(words.text("impAnswers") + "\n\n" + "\n".join(f"- {q}" for q in ep.questions) + "\n")
    else:
        parts.append(f"{_summary(ep, meta['title'])}\n")
    where = words.text("impEpisodeOf", i=i + 1, n=n, title=src.title)
    if prev:
        where += " " + words.text("impFollows", link=f"lesson:{prev}")
    if nxt:
        where += " " + words.text("impNext", link=f"lesson:{nxt}")
    parts.append(f"## {words.text('impWhere')}\n\n" + where + "\n")
    before = words.text("impReadPrev" if prev else "impNothing")
    parts.append(f"## {words.text('impBefore')}\n\n" + before + (f"\n\n{setup}" if setup else "") + "\n")
    if isinstance(meta.get("teaching"), int) and meta["teaching"]:
        plans = "impPlansExercises" if meta.get("exercises") else "impPlans"
        said = words.text(plans, teaching=meta["teaching"], exercises=meta.get("exercises"))
        parts.append(f"## {words.text('impTeaching')}\n\n{said}\n")
    parts.append(f"## {words.text('impSource')}\n\n" + credit(src, markdown=True) + "\n")
    return "\n".join(parts)


def _cheatsheet_text(src: Source, ep: Episode) -> str:
    words = messages.catalogue(src.lang)
    parts = []
    if ep.keypoints:
        parts.append(f"## {words.text('keyPoints')}\n\n" + "\n".join(f"- {k}" for k in ep.keypoints) + "\n")
    commands: list[str] = []
    for line in ep.learner_body.splitlines():
        m = COMMAND_LINE.match(line.strip())
        command = re.sub(r"\s+#.*$", "", m.group(1)).strip() if m else ""
        if command and command not in commands and "`" not in command:
            commands.append(command)
    if commands:
        parts.append(f"## {words.text('impCommands')}\n\n" + "\n".join(f"- `{c}`" for c in commands[:14]) + "\n")
    if not parts:
        parts.append(f"## {words.text('impSummary')}\n\n" + _summary(ep, words.text("impThisEpisode")) + "\n")
    parts.append(f"## {words.text('impSource')}\n\n" + credit(src, markdown=True) + "\n")
    return "\n".join(parts)


def _expects(episodes, plan: Plan) -> list[str]:
    """What practice the track expects: Workbench lessons have no quizzes or flashcards; solutions
    when every challenge of the source has one (else `check` would warn about each on every run)."""
    bare = sum(
        1
        for _, _, ep in episodes
        for b in iter_blocks(find_blocks(ep.body)[0])
        if b.name == "exercise" and not any(c.name == "solution" for c in b.children)
    )
    if bare:
        plan.notes.append(
            f"episodes: {bare} challenges have no solution in the source; the track expects none "
            "(track.yml `expects: []`)"
        )
        return []
    return ["solutions"]


def _phases(slugs: list[str], lang: str = "en") -> list[dict]:
    """The episodes in order, in up to four phases of equal size: the track page's map draws a
    phase as a column, so eight episodes make two columns of four rather than one of eight."""
    episodes = messages.catalogue(lang).text("impEpisodes")
    if len(slugs) <= 4:
        return [{"title": episodes, "lessons": slugs}]
    columns = min(-(-len(slugs) // 4), 4)
    size = -(-len(slugs) // columns)
    return [
        {"title": f"{episodes} {i + 1}\u2013{min(i + size, len(slugs))}", "lessons": slugs[i : i + size]}
        for i in range(0, len(slugs), size)
    ]


def _track_yml(src: Source, number: int, slugs: list[str], summary: str | None, expects: list[str]) -> str:
    data = {
        "number": number,
        "title": src.title,
        "summary": summary or messages.catalogue(src.lang).text("impTrackSummary", title=src.title),
        "phases": _phases(slugs, src.lang),
        "expects": expects,
        **({"stage": src.life_cycle} if src.life_cycle else {}),
        **({"language": src.lang} if src.lang and src.lang.split("-")[0].split("_")[0].lower() != "en" else {}),
        # check warns about the lesson's own broken anchors (TS308); `broken_links: error` makes them errors
        "imported": {"source": src.url or src.root.name, "broken_links": "warning"},
    }
    return f"# Imported from a Carpentries lesson ({src.url or src.root.name}).\n" + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )


def course_settings(root: Path, plan: Plan) -> list[str]:
    """mkdocs.yml given what the track needs (courseconfig.py): the instructor view published,
    as the Workbench publishes it, and the tab blocks where the lesson has tabs; the notes."""
    tabs = any(isinstance(text, str) and TAB_BLOCK.search(text) for text in plan.files.values())
    warnings = any(isinstance(text, str) and WARNING_BLOCK.search(text) for text in plan.files.values())
    return courseconfig.ensure(
        root, instructor_view=True, extensions=["pymdownx.blocks.tab"] if tabs else [], warnings=warnings
    )
