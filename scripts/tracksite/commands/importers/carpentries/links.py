"""Links and images of a converted page, pointed at where the imported track has each target.

Every relative path is resolved as the Workbench resolves it (workbench.Layout): an episode
becomes a `lesson:` link, a learner page a link to its page under `docs/<track>/learners/`,
an instructor or profile page a link to the lesson whose instructor notes now hold it, the
lesson's home page a `track:` link; figures are copied beside the page, and any other file
(data sets, scripts, archives) is published under `docs/<track>/` at the path the Workbench site
gives it (`data/surveys.csv`) and linked as a download. A path that is nowhere in the source
lesson is the source's own mistake: its text is kept and the problem reported with its line.
Reference-style links take their definitions from the page or from the lesson's `links.md`,
which the Workbench appends to every page.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from tracksite.commands.importers.carpentries import datafiles, pandoc
from tracksite.commands.importers.carpentries.converted import Context, Episode, Note
from tracksite.commands.importers.carpentries.workbench import Target, download_path
from tracksite.core import messages
from tracksite.core.site.published import ASSET_SUFFIXES as PUBLISHED
from tracksite.core.site.published import refusal
from tracksite.core.site.statics import DATA_SUFFIXES, MAX_DATA_BYTES, MAX_FILE_BYTES

# Pandoc takes a space inside a path (`fig/my plot.png`) where what follows is no title (`"..."`),
# and a path in angle brackets (`<fig/my plot.png>`), as CommonMark writes one with spaces
_PATH = r"[^)\s<][^)\s]*(?: +[^)\s\"'(][^)\s]*)*"
IMAGE = re.compile(
    r"!\[(?P<cap>(?:[^\[\]]|\[[^\]]*\])*)\]\((?:<(?P<angled>[^<>\n]+)>|(?P<src>" + _PATH + r"))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)(?P<attrs>\{[^}]*\})?"
)
ALT_ATTR = re.compile(r"""\balt\s*=\s*(?:'(?P<a>(?:[^'\\]|\\.)*)'|"(?P<b>(?:[^"\\]|\\.)*)")""")
# `[text](target)`, `[text](<a target>)` (CommonMark's and Pandoc's form for one with spaces), `[text](target "title")`
LINK = re.compile(
    r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?:<(?P<angled>[^<>\n]+)>|(?P<target>" + _PATH + r"))"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\)"
)
# `<https://...>` or `<someone@example.org>` in a link's text: Pandoc makes no link inside a link
# and shows the brackets; Python-Markdown would nest a second link in the first
AUTOLINK_TEXT = re.compile(r"<((?:[a-z][a-z0-9+.-]*:|[^\s<>@]+@)[^\s<>]*)>", re.I)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.I)
_REMOTE_SRC = re.compile(r"^[a-z]+:", re.I)  # an image that is not a file of the lesson
LOST_LINK = {"links": -1}
NO_ALT = "TS714"  # the problem code of an image the source describes nowhere (core/problems/codes.py)
IMAGE_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".avif"}


def note(ep: Episode, ctx: Context, message: str, *, warning: bool = False, counts: dict | None = None) -> None:
    ep.notes.append(Note(ctx.line, message, warning, counts))


def has_caption(line: str) -> bool:
    """Whether `image` gives this line a `/// caption` block, so the block around it needs more slashes."""
    return any(m.group("cap").strip() and not _REMOTE_SRC.match(m["src"] or m["angled"]) for m in IMAGE.finditer(line))


def image(m: re.Match, ep: Episode, ctx: Context) -> str:
    """`![caption](fig/x.png){alt='...'}` as tracksite writes it: alt text in the brackets, the
    figure copied beside the page, the caption in a `/// caption` block. The caption is shown even
    when it is also the alt text (knitr's `fig.cap` without `fig.alt`): the Workbench shows it as
    the figure's caption too, and a reader who sees the plot needs it as much as one who does not.
    Blocks around it take one more slash for it (`depth`), so it works inside solutions as well."""
    caption, src, attrs = m.group("cap").strip(), m.group("src") or m.group("angled"), m.group("attrs") or ""
    alt_m = ALT_ATTR.search(attrs)
    alt = (alt_m.group("a") if alt_m.group("a") is not None else alt_m.group("b")) if alt_m else None
    alt = re.sub(r"\\(.)", r"\1", alt) if alt else alt  # Pandoc escapes a quote inside the quotes: `\'`
    if _REMOTE_SRC.match(src):
        note(
            ep,
            ctx,
            f"remote image {src} is kept as a link: the site's CSP blocks third-party images",
            counts={"figures": -1, "links": 1},
        )
        return f"[{caption or alt or src}]({src})"
    name = src.rsplit("/", 1)[-1]
    words = messages.catalogue(ctx.lang or "en")
    if not alt and caption:
        alt = caption
        note(ep, ctx, f"image {src} has no alt text; its caption is used")
    elif not alt and _find(ctx, src) is None:
        alt = name  # (the page says the image is missing, and which: reported below)
    elif not alt:  # a file name (`fig/05-plot.png`) tells a reader who cannot see the figure nothing
        alt = words.text("impNoAlt")
        note(
            ep,
            ctx,
            f"[{NO_ALT}] image {src} has no alt text and no caption: a reader who cannot see it learns "
            f"nothing of it (its alt text says \"{alt}\"): describe it in the source, `![...]({src}){{alt='...'}}`",
            warning=True,
        )
    # alt text is plain text: a caption's link (a photo credit) is its words there, a link in the caption
    alt = re.sub(r"(?<!!)\[([^\[\]]*)\]\([^()\s]*\)", r"\1", alt).replace("[", "(").replace("]", ")")
    found = _find(ctx, src)
    if found is None:
        note(
            ep,
            ctx,
            f"image {src} is not in the source lesson; replaced by its alt text",
            warning=True,
            counts={"figures": -1},
        )
        missing = f"*({words.text('impImageMissing', alt=alt)})*"
        return f"{missing}\n\n{caption}\n" if caption else missing  # the caption's words and links stay
    name = beside_page(ctx, found.path, name) if found.path is not None else name
    ep.images.append(src)
    size = " ".join(f'{k}="{v}"' for k, v in re.findall(r"""\b(width|height)\s*=\s*["']?([\d.]+(?:%|px|em)?)""", attrs))
    shown = f"![{alt}]({name})" + (f"{{ {size} }}" if size else "")
    return f"{shown}\n\n/// caption\n{caption}\n///\n" if caption else shown


# `[CLI](#command-line interface)`: an anchor written with spaces, which Pandoc keeps in the link
SPACED_ANCHOR = re.compile(r"(?<!!)(?P<head>\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)\s#]*#)(?P<id>[^)#]*\s[^)#]*)\)")


def spaced_anchor(m: re.Match) -> str:
    """The anchor slugged as Pandoc makes the ids it points at (`#command-line-interface`)."""
    return f"{m['head']}{pandoc.auto_id(m['id'].strip())})"


def link(m: re.Match, ep: Episode, ctx: Context) -> str:
    """An inline link `[text](target)` with its target rewritten (see the module's docstring)."""
    text, target = AUTOLINK_TEXT.sub(r"&lt;\1&gt;", m.group("text")), m.group("target") or m.group("angled")
    new = rewrite_target(target, ep, ctx)
    if new is not None and re.search(r"\s", new):
        new = f"<{new}>"
    return f"[{text}]({new}{m['title'] or ''})" if new is not None else text


def rewrite_target(target: str, ep: Episode, ctx: Context, lost: dict | None = LOST_LINK) -> str | None:
    """The target a link has in the imported track; None when it is kept as text (reported, with
    `lost` as what the page loses: a link, or nothing where a definition line stays as `#`)."""
    if _SCHEME.match(target):
        return target
    found = _find(ctx, target)
    if found is None:
        where = "the lesson's files" if ctx.layout is not None else "the site"
        note(ep, ctx, f"link to {target} points nowhere in {where}; its text is kept", warning=True, counts=lost)
        return None
    anchor = f"#{found.anchor}" if found.anchor else ""
    if found.kind == "episode":
        return (
            f"lesson:{ctx.episode(found.path.name if found.path else target.split('#')[0].rsplit('/', 1)[-1])}{anchor}"
        )
    if found.kind in ("learner", "profile"):  # profiles are learner pages (pages.profile_pages)
        name = PurePosixPath(found.path.name).with_suffix(".md").name if found.path else ""
        if (
            found.kind == "profile"
            and ctx.layout is not None
            and any(p.name == found.path.name for p, kind in ctx.layout.pages.items() if kind == "learner")
        ):
            name = f"profiles-{name}"
        return (f"{name}" if ctx.page == "learners" else f"../learners/{name}") + anchor
    if found.kind == "instructor":
        name = PurePosixPath(found.path.name).with_suffix(".md").name if found.path else ""
        if ctx.page == "instructors":
            return name + anchor
        note(
            ep,
            ctx,
            f"link to {target}: the instructor pages are in the instructor view only (every page links it); "
            "its text is kept",
            counts=lost,
        )
        return None
    if found.kind == "home":
        return f"track:{ctx.track}"
    assert found.path is not None
    return _download(found, target, ep, ctx, lost)


def _download(found: Target, target: str, ep: Episode, ctx: Context, lost: dict | None) -> str | None:
    """A file to publish: a figure goes beside the page, anything else under docs/<track>/."""
    path = found.path
    suffix = path.suffix.lower()
    if refusal(path.name) is not None or suffix in (".md", ".markdown"):
        note(
            ep,
            ctx,
            f"{target} is not a file type the site publishes; the link is kept as text: share the file another way",
            counts=lost,
        )
        return None
    limit = MAX_DATA_BYTES if suffix in DATA_SUFFIXES | {".svg", ".html", ".htm"} else MAX_FILE_BYTES
    if path.stat().st_size > limit:
        note(
            ep,
            ctx,
            f"{target} is larger than the site publishes ({limit:,} bytes for this type); the link is kept as text",
            counts=lost,
        )
        return None
    anchor = f"#{found.anchor}" if found.anchor else ""
    if ctx.layout is None:  # no lesson around (a unit test): beside the page, if the site publishes it
        if suffix not in PUBLISHED:
            note(
                ep,
                ctx,
                f"{target} is not a file type the site publishes (images, data files and downloads); "
                "the link is kept as text: share the file another way",
                counts=lost,
            )
            return None
        return beside_page(ctx, path, path.name) + anchor
    if suffix in IMAGE_SUFFIXES:
        return beside_page(ctx, path, path.name) + anchor
    rel = download_path(ctx.layout, path)
    active = datafiles.active_html(path)
    if active:
        rel += datafiles.ZIPPED
        note(
            ep, ctx, f"{target} {active}: published zipped ({rel.rsplit('/', 1)[-1]}), as a download to open from disk"
        )
    ctx.downloads[path] = rel
    return f"../{rel}{anchor if not active else ''}"


def beside_page(ctx: Context, path, name: str) -> str:
    """The name a figure gets beside the page: its own, or with its folder's when two differ."""
    if path in ctx.files:
        return ctx.files[path]
    taken = set(ctx.files.values())
    name = re.sub(r"[\s()<>]+", "-", name)  # `my plot.png`: in Markdown a space or a bracket ends a path
    candidate = name
    if candidate in taken:
        candidate = f"{path.parent.name}-{name}"
    n = 2
    while candidate in taken:
        candidate, n = f"{n}-{name}", n + 1
    ctx.files[path] = candidate
    return candidate


def _find(ctx: Context, target: str) -> Target | None:
    """Resolve with the lesson's layout; without one (unit tests), by episode file name only."""
    if ctx.layout is not None and ctx.source_dir is not None:
        return ctx.layout.resolve(ctx.source_dir, target)
    path, _, anchor = target.partition("#")
    name = path.rsplit("/", 1)[-1]
    if ctx.episode(name) and ("/episodes/" in f"/{path}" or "/" not in path):
        return Target("episode", None, anchor)  # type: ignore[arg-type]
    if path.startswith(("fig/", "files/", "data/")) or IMAGE.match(f"![]({path})") and "/" not in path:
        if ctx.source_dir is None or (ctx.source_dir / path).is_file():
            return Target("file", (ctx.source_dir / path) if ctx.source_dir else None, anchor)  # type: ignore[arg-type]
    return None


def shared_definitions(body: str, ep: Episode, ctx: Context) -> str:
    """Definitions from the lesson's links.md for the reference links this page uses."""
    if not ctx.link_defs:
        return ""
    local = pandoc.definitions(body)
    lines = []
    for label in sorted(pandoc.used_references(body) - set(local)):
        line = ctx.link_defs.get(label)
        if line is None:
            continue
        m = pandoc.DEFINITION.match(line)
        if m is None:
            continue
        target = rewrite_target(m["target"], ep, ctx)
        if target is not None:
            lines.append(f"[{m['ref']}]: {target}")
    return ("\n\n" + "\n".join(lines) + "\n") if lines else ""


def definition_line(line: str, ep: Episode, ctx: Context) -> str:
    """A page's own `[ref]: target` line, its target rewritten like an inline link's."""
    m = pandoc.DEFINITION.match(line)
    if m is None or _SCHEME.match(m["target"]):
        return line
    target = rewrite_target(m["target"], ep, ctx, lost=None)
    if target is None:
        return f"[{m['ref']}]: #"  # keeps `[text][ref]` a link on the page rather than raw brackets
    return f"[{m['ref']}]: {target}{m['title'] or ''}"
