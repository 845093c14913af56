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

import argparse
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracksite.errors import USAGE, UserError
from tracksite.commands.importers import limits, svgclean
from tracksite.commands.importers.episode import Context, Episode, Note, convert
from tracksite.core.blocksyntax import unwrap_blocks
from tracksite.core.schema import SLUG_RE
from tracksite.core.sources import SourceProblem, read_text, split_front_matter
from tracksite.core.yamlsafe import YamlProblem, parse

WORDS = re.compile(r"[A-Za-z0-9']+")
COMMAND_LINE = re.compile(r"^\$\s+(\S.*)$")


@dataclass
class Source:
    """The parts of a Workbench lesson the import reads."""

    root: Path
    title: str
    licence: str
    url: str
    episodes: list[Path]
    learners: list[Path] = field(default_factory=list)
    instructors: list[Path] = field(default_factory=list)
    authors: str = ""
    link_defs: dict[str, str] = field(default_factory=dict)  # links.md, shared by every episode


def read_source(root: Path) -> Source:
    config = root / "config.yaml"
    if not config.is_file():
        raise UserError(f"{root} has no config.yaml: is it a Carpentries Workbench lesson?")
    try:
        data = parse(read_text(config)).value
    except (YamlProblem, SourceProblem) as e:
        raise UserError(f"{config}:{getattr(e, 'line', None) or 1}: {e}") from None
    if not isinstance(data, dict):
        raise UserError(f"{config}: expected `key: value` lines")
    names = data.get("episodes") or sorted(p.name for p in (root / "episodes").iterdir()
                                           if p.suffix in (".md", ".Rmd")) if (root / "episodes").is_dir() else []
    episodes = [root / "episodes" / str(n) for n in names]
    missing = [str(p) for p in episodes if not p.is_file()]
    if missing:
        raise UserError(f"config.yaml lists episodes that do not exist: {', '.join(missing)}")
    if not episodes:
        raise UserError(f"{root}/episodes holds no episode")

    def pages(folder: str, listed) -> list[Path]:
        if listed:
            return [root / folder / str(n) for n in listed if (root / folder / str(n)).is_file()]
        return sorted((root / folder).glob("*.md"))

    return Source(root=root, title=str(data.get("title") or root.name), licence=str(data.get("license") or "CC-BY 4.0"),
                  url=str(data.get("source") or data.get("url") or ""), episodes=episodes,
                  learners=pages("learners", data.get("learners")), instructors=pages("instructors", data.get("instructors")),
                  authors=read_authors(root), link_defs=_shared_links(root))


def _shared_links(root: Path) -> dict[str, str]:
    """The Workbench appends links.md to every episode: its `[ref]: url` definitions."""
    from tracksite.commands.importers.pandoc import definitions

    links = root / "links.md"
    return definitions(links.read_text(encoding="utf-8", errors="replace")) if links.is_file() else {}


def lesson_slug(path: Path, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^\d+[-_]?", "", path.stem).lower()).strip("-") or "episode"
    slug = limits.free_slug(slug)
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def credit(src: Source) -> str:
    where = f" ({src.url})" if src.url else ""
    who = f"{src.authors} and The Carpentries" if src.authors else "The Carpentries and its contributors"
    return (f"Adapted from \"{src.title}\"{where} by {who}, "
            f"licensed {src.licence}. Changes: converted to tracksite's format.")


def read_authors(root: Path) -> str:
    """The lesson's authors from CITATION.cff (or AUTHORS), as "A, B and others"; "" if none."""
    names: list[str] = []
    cff = root / "CITATION.cff"
    if cff.is_file():
        try:
            data = yaml.safe_load(cff.read_text(encoding="utf-8", errors="replace"))
        except yaml.YAMLError:
            data = None
        for person in (data or {}).get("authors") or [] if isinstance(data, dict) else []:
            if isinstance(person, dict):
                name = " ".join(str(person.get(k, "")).strip() for k in ("given-names", "family-names")).strip()
                names.append(name or str(person.get("name", "")).strip())
    for file in (root / "AUTHORS", root / "AUTHORS.md"):
        if not names and file.is_file():
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
            names = [re.sub(r"^[-*]\s*", "", l).strip() for l in lines if l.strip() and not l.startswith("#")]
    names = [n for n in names if n][:200]
    if not names:
        return ""
    if len(names) > 5:
        return ", ".join(names[:5]) + f" and {len(names) - 5} others"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


@dataclass
class Plan:
    """Every file the import writes, relative to the project root, plus what it reports."""

    files: dict[str, str | Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan_import(src: Source, track: str, number: int) -> Plan:
    plan = Plan()
    taken: set[str] = set()
    slugs = {p.name: lesson_slug(p, taken) for p in src.episodes}
    episodes: list[tuple[str, dict, Episode]] = []
    for path in src.episodes:
        episodes.append(_episode(src, path, track, slugs, plan))
    _instructor_notes(src, track, slugs, episodes, plan)
    _fix_anchors(src, track, episodes, plan)
    for i, (slug, meta, ep) in enumerate(episodes):
        prev = episodes[i - 1][0] if i else None
        nxt = episodes[i + 1][0] if i + 1 < len(episodes) else None
        base = f"lessons/{track}/{slug}"
        plan.files[f"{base}/lesson.md"] = _lesson_text(src, meta, ep, prev)
        plan.files[f"{base}/overview.md"] = _overview_text(src, meta, ep, i, len(episodes), prev, nxt, track)
        plan.files[f"cheatsheets/{track}/{slug}.md"] = _cheatsheet_text(src, ep)
    plan.files[f"lessons/{track}/track.yml"] = _track_yml(src, number, [e[0] for e in episodes])
    for page in src.learners:
        _learner_page(src, page, track, slugs, plan)
    return plan


def _episode(src: Source, path: Path, track: str, slugs: dict[str, str], plan: Plan):
    rel = path.relative_to(src.root)
    try:
        md = split_front_matter(path, read_text(path))
    except (SourceProblem, YamlProblem) as e:
        raise UserError(f"{rel}:{getattr(e, 'line', None) or 1}: {e}") from None
    meta = md.meta.value if isinstance(md.meta.value, dict) else {}
    ctx = Context(episode_slugs={k: f"{track}/{v}" for k, v in slugs.items()}, source_dir=path.parent,
                  link_defs=src.link_defs)
    ep = convert(md.body, md.body_line, ctx)
    slug = slugs[path.name]
    for source_path, name in ctx.image_names.items():
        image = (path.parent / source_path).resolve()
        if image.is_file() and image.is_relative_to(src.root.resolve()):
            plan.files[f"lessons/{track}/{slug}/{name}"] = image
        else:
            ep.notes.append(Note(md.body_line, f"{source_path} not found; its reference is kept"))
    title = limits.fit_episode(ep, str(meta.get("title") or path.stem),
                               lambda message: ep.notes.append(Note(1, message)))
    plan.notes.extend(f"{rel}:{n.line}: {n.message}" for n in ep.notes)
    meta = {"title": title, "teaching": meta.get("teaching"),
            "exercises": meta.get("exercises"), "source": str(rel)}
    return slug, meta, ep


def _fix_anchors(src: Source, track: str, episodes, plan: Plan) -> None:
    """Links to heading ids the imported pages no longer have are loosened (anchorfix)."""
    from tracksite.commands.importers import anchorfix

    sources = {slug: src.root / meta["source"] for slug, meta, _ in episodes}

    def note(path, anchor, message):
        where = path.relative_to(src.root) if path else "episodes"
        plan.notes.append(f"{where}:{anchorfix.line_of(path, anchor)}: {message}")

    fixed = anchorfix.fix({slug: ep.body for slug, _, ep in episodes}, track, sources, note)
    for slug, _, ep in episodes:
        ep.body = fixed[slug]


def _instructor_notes(src, track, slugs, episodes, plan: Plan) -> None:
    """Whole-lesson teaching notes go to the first lesson's instructor block: never to learners."""
    for page in src.instructors:
        md = split_front_matter(page, read_text(page))
        ep = convert(md.body, md.body_line, Context(episode_slugs={k: f"{track}/{v}" for k, v in slugs.items()}))
        title = (md.meta.value.get("title") if isinstance(md.meta.value, dict) else None) or page.stem
        body = unwrap_blocks(ep.body)  # one flat instructor block: no block may open inside it
        episodes[0][2].body += f"\n//// instructor\n**{title}** (from the source lesson's `{page.relative_to(src.root)}`)\n\n{body.strip()}\n////\n"
        plan.notes.append(f"{page.relative_to(src.root)}:1: instructor page moved into an instructor block of lesson {episodes[0][0]}")


def _summary(ep: Episode, title: str) -> str:
    for para in re.split(r"\n\s*\n", ep.body):
        text = para.strip()
        if not text or text.startswith(("#", "/", "`", "!", "|", "-", "*", ">", "<")):
            continue
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        plain = re.sub(r"[`*_]", "", " ".join(plain.split()))
        sentence = re.split(r"(?<=[.!?])\s", plain)[0]
        if len(WORDS.findall(sentence)) >= 4:
            return sentence[:297] + ("..." if len(sentence) > 297 else "")
    return ep.questions[0] if ep.questions else f"{title}."


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) + "---\n\n"


def _lesson_text(src: Source, meta: dict, ep: Episode, prev: str | None) -> str:
    from tracksite.core.readingtime import reading_minutes  # the estimate `check` holds `read` to

    objectives = ep.objectives or [f"work through the episode \"{meta['title']}\""]
    data: dict = {"title": meta["title"], "summary": _summary(ep, meta["title"]), "objectives": objectives}
    if ep.questions:
        data["questions"] = ep.questions
    if ep.keypoints:
        data["keypoints"] = ep.keypoints
    if prev:
        data["prerequisites"] = [{"lesson": prev}]
    time = {"read": reading_minutes(ep.body)}
    if isinstance(meta.get("exercises"), int) and meta["exercises"] > 0:
        time["practice"] = min(meta["exercises"], 600)
    data["time"] = time
    data["math"] = _math_level(ep.body)
    data["credits"] = credit(src)
    return _front(data) + ep.body


def _math_level(body: str) -> str:
    """What `math:` says must match the formulas the body holds (`tracksite check` compares them)."""
    from tracksite.core.bodychecks import formulas

    found = len(formulas(body, 1))
    return "none" if not found else "light" if found < 10 else "heavy"


def _overview_text(src, meta, ep: Episode, i: int, n: int, prev, nxt, track: str) -> str:
    parts = ["## What you'll learn\n"]
    if ep.questions:
        parts.append("This episode answers:\n\n" + "\n".join(f"- {q}" for q in ep.questions) + "\n")
    else:
        parts.append(f"{_summary(ep, meta['title'])}\n")
    where = f"Episode {i + 1} of {n} of \"{src.title}\"."
    if prev:
        where += f" It follows [the previous episode](lesson:{prev})."
    if nxt:
        where += f" Next comes [the following episode](lesson:{nxt})."
    parts.append("## Where this fits\n\n" + where + "\n")
    parts.append("## Before you start\n\n" + ("Read the previous episode first." if prev else
                                               "Nothing beyond the track's set-up.") + "\n")
    if isinstance(meta.get("teaching"), int) and meta["teaching"]:
        parts.append(f"## Teaching time\n\nThe source lesson plans {meta['teaching']} minutes of teaching"
                     + (f" and {meta['exercises']} of exercises." if meta.get("exercises") else ".") + "\n")
    parts.append("## Source\n\n" + credit(src) + "\n")
    return "\n".join(parts)


def _cheatsheet_text(src: Source, ep: Episode) -> str:
    parts = []
    if ep.keypoints:
        parts.append("## Key points\n\n" + "\n".join(f"- {k}" for k in ep.keypoints) + "\n")
    commands: list[str] = []
    for line in ep.body.splitlines():
        m = COMMAND_LINE.match(line.strip())
        command = re.sub(r"\s+#.*$", "", m.group(1)).strip() if m else ""
        if command and command not in commands and "`" not in command:
            commands.append(command)
    if commands:
        parts.append("## Commands in this episode\n\n" + "\n".join(f"- `{c}`" for c in commands[:14]) + "\n")
    if not parts:
        parts.append("## Summary\n\n" + _summary(ep, "This episode") + "\n")
    parts.append("## Source\n\n" + credit(src) + "\n")
    return "\n".join(parts)


def _track_yml(src: Source, number: int, slugs: list[str]) -> str:
    summary = f"The Carpentries lesson \"{src.title}\", imported with its episodes in order."
    index = src.root / "index.md"
    if index.is_file():
        body = split_front_matter(index, read_text(index)).body
        for para in re.split(r"\n\s*\n", body):
            text = " ".join(para.split())
            if text and not text.startswith(("#", ":", "<", "!", "|", "-", "*", "`")):
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
                summary = text[:397] + ("..." if len(text) > 397 else "")
                break
    data = {"number": number, "title": src.title, "summary": summary,
            "phases": [{"title": "Episodes", "lessons": slugs}]}
    return f"# Imported from a Carpentries lesson ({src.url or src.root.name}).\n" + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100)


def _learner_page(src: Source, page: Path, track: str, slugs: dict[str, str], plan: Plan) -> None:
    md = split_front_matter(page, read_text(page))
    ctx = Context(episode_slugs={k: f"{track}/{v}" for k, v in slugs.items()}, source_dir=page.parent,
                  link_defs=src.link_defs)
    ep = convert(md.body, md.body_line, ctx)
    title = (md.meta.value.get("title") if isinstance(md.meta.value, dict) else None) or page.stem.capitalize()
    base = f"docs/{track}/learners"
    plan.files[f"{base}/{page.name}"] = _front({"title": str(title)}) + ep.body + "\n---\n\n" + credit(src) + "\n"
    for source_path, name in ctx.image_names.items():
        image = (page.parent / source_path).resolve()
        if image.is_file() and image.is_relative_to(src.root.resolve()):
            plan.files[f"{base}/{name}"] = image
    plan.notes.extend(f"{page.relative_to(src.root)}:{n.line}: {n.message}" for n in ep.notes)


def write_plan(root: Path, track: str, plan: Plan) -> None:
    """Write into a staging folder, then move each new folder into place as the last step."""
    staging = root / f".tracksite-import-{track}"
    if staging.exists():
        shutil.rmtree(staging)  # an interrupted import: start it again
    for rel, content in plan.files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path) and content.suffix.lower() == ".svg":
            target.write_text(svgclean.clean(content.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")
        elif isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    for top in (f"lessons/{track}", f"cheatsheets/{track}", f"docs/{track}"):
        if (staging / top).exists():
            (root / top).parent.mkdir(parents=True, exist_ok=True)
            (staging / top).rename(root / top)
    shutil.rmtree(staging)


def next_track_number(root: Path) -> int:
    numbers = []
    for path in (root / "lessons").glob("*/track.yml"):
        try:
            value = parse(read_text(path)).value
        except (YamlProblem, SourceProblem):
            continue
        if isinstance(value, dict) and isinstance(value.get("number"), int):
            numbers.append(value["number"])
    return max(numbers, default=0) + 1


def cmd_import(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    track = args.track
    try:
        if not SLUG_RE.fullmatch(track):
            raise UserError(f"--track {track!r} is not a slug (lower-case letters, digits and hyphens)")
        for top in (f"lessons/{track}", f"cheatsheets/{track}", f"docs/{track}"):
            if (root / top).exists():
                raise UserError(f"{top} exists already: choose another --track or remove it first")
        src = read_source(Path(args.path).resolve())
        plan = plan_import(src, track, args.number or next_track_number(root))
    except UserError as e:
        raise UserError(e.message, exit_code=USAGE) from None
    write_plan(root, track, plan)
    print(f"imported {len(src.episodes)} episodes of \"{src.title}\" as lessons/{track}/")
    for note in plan.notes:
        print(f"note: {note}")
    return _check(root)


def _check(root: Path) -> int:
    from tracksite.core.loader import load
    from tracksite.core.problems import format_text

    project = load(root)
    if project.problems.errors:
        print(format_text(project.problems.errors), file=sys.stderr)
        print("the imported track has problems (listed above): fix them, then run `tracksite check`", file=sys.stderr)
        return 1
    print("tracksite check: the imported track has no errors")
    return 0


def register(sub) -> None:
    p = sub.add_parser("import", help="import a lesson from another format as a new track",
                       description="Turn a Carpentries Workbench lesson (config.yaml, episodes/, learners/, "
                                   "instructors/) into a tracksite track that passes `tracksite check`.")
    p.add_argument("format", choices=("carpentries",), help="the source format")
    p.add_argument("path", help="the lesson's folder (the one with config.yaml)")
    p.add_argument("--track", required=True, help="the new track's slug, e.g. version-control")
    p.add_argument("--number", type=int, help="the track's number (default: one more than the highest)")
    p.set_defaults(handler=cmd_import)
