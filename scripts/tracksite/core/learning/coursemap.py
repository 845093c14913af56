"""The course map: lessons as nodes grouped by phase, prerequisite and deep-dive edges, as SVG.

Drawn at build time from the curriculum, so the picture needs no JavaScript library and no
third-party request, and it is always the graph `track.yml` and the front-matter describe. The
SVG is inline in the page: its links are ordinary links, its colours follow the light and dark
palettes through CSS classes, and the progress script only toggles `data-state` on nodes. A
text alternative (nested lists) carries the same graph for screen readers and for print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from tracksite.core import messages
from tracksite.core.model.course import Curriculum, Lesson, Track

#: A box holds up to four lines of a lesson's title (Node.lines): at 58 px, two held only the start of
#: three of Track 5's titles.
NODE_W, NODE_H = 176, 72
COL_GAP, ROW_GAP = 56, 18
PAD, HEAD_H, BAND_GAP = 30, 34, 30  # PAD leaves room for the same-column arrows' bow
TRACK_H = 22  # a track's title above its phases, when the map shows several tracks
#: A phase's title above its column: lines of at most this many characters (they fit a box's
#: width at the title's size, so a title never runs into the next column's), up to three, each
#: line after the first making the band's head PHASE_LINE taller. Shortened to one line with "…",
#: the column titles were cut ("From transformers to…").
PHASE_CHARS, PHASE_LINES, PHASE_LINE = 26, 3, 15
#: The home page draws every lesson up to this many; a larger course gets one box per track
#: (each track page still draws its lessons), so the home page does not grow with every lesson.
LESSON_MAP_LIMIT = 60
TRACK_COLUMNS = 4


def _wrap(text: str, width: int) -> list[str]:
    """Lines of a box, broken between words only: a word split across two lines (at a hyphen
    or for length) would read as two words, which the node's name, its text unbroken, does not
    contain."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def track_lines(track: Track, words: messages.Catalogue) -> list[str]:
    """A track's title as the lines drawn above its band, each as wide as a phase title's at
    most: drawn on one line, a long title ran past its column into the gap where lines from the
    band above pass ("Track 5: Transformers and LLMs" is 215 px in DejaVu Sans Bold, the column
    176), and they crossed it. Each line after the first makes the band's head PHASE_LINE taller."""
    return _wrap(f"{words.text('trackN', n=track.number)}: {track.title}", PHASE_CHARS) or [""]


def phase_lines(title: str) -> list[str]:
    """A phase's title as the lines drawn above its column (PHASE_CHARS, PHASE_LINES)."""
    lines = _wrap(title, PHASE_CHARS) or [""]
    if len(lines) > PHASE_LINES:
        rest = " ".join(lines[PHASE_LINES - 1 :])
        lines = [*lines[: PHASE_LINES - 1], textwrap.shorten(rest, PHASE_CHARS, placeholder="…")]
    return lines


def _lessons(count: int) -> str:
    """A track's size as its box, its name and the list all say it ("1 lesson", "19 lessons")."""
    return f"{count} lesson" if count == 1 else f"{count} lessons"


@dataclass(frozen=True)
class Node:
    lesson: Lesson
    number: int
    x: int
    y: int
    track_number: int | None = None  # set for a lesson of another track shown beside this one

    @property
    def prefix(self) -> str:
        """The box's number, short to leave the title room: "1." in the map's own track, "T4.3"
        for Lesson 3 of Track 4 shown beside it."""
        return f"T{self.track_number}.{self.number}" if self.track_number else f"{self.number}."

    @property
    def lines(self) -> list[str]:
        """The box's text: prefix and title on lines of 24 characters, the first of 20 when it takes
        more than two (the lines then rise to the badge and tick and come closer: `_box`), up to
        four, shortened past that. Two lines cut three of Track 5's titles ("4. Training language /
        models by next-token…"). Lines break between words only, so that the lines read together
        are the name's start."""
        text = f"{self.prefix} {self.lesson.title}"
        lines = _wrap(text, 24)
        if len(lines) > 2:
            first = _wrap(text, 20)[0]
            lines = [first, *_wrap(text[len(first) :].lstrip(), 24)]
        if len(lines) > 4:
            lines = [*lines[:3], textwrap.shorten(" ".join(lines[3:]), 23, placeholder="…")]
        return lines

    def name(self, words: messages.Catalogue) -> str:
        """The link's accessible name: the box's text with the title in full, so that the name
        starts with what the box shows and a speech-input user who says it reaches the link
        (WCAG 2.5.3). A lesson of another track adds which track: "T4.3" alone says little when
        heard. learner.js appends the lesson's state, as in "1. The deep learning era (done)"."""
        text = f"{self.prefix} {self.lesson.title}"
        if not self.track_number:
            return text
        return words.text("mapFromTrack", name=text, track=words.text("trackN", n=self.track_number))

    @property
    def key(self) -> str:
        return self.lesson.key


@dataclass(frozen=True)
class Edge:
    source: str  # lesson key the arrow starts from (the prerequisite, or the brief lesson)
    target: str
    kind: str  # "prerequisite" (same track), "cross-prerequisite" (another track's) or "deep-dive"


def edges(curriculum: Curriculum, keys: set[str]) -> list[Edge]:
    """Prerequisite edges (needed -> needing) and deep-dive edges (brief -> deep) among `keys`."""
    out: list[Edge] = []
    for lesson in curriculum.all_lessons():
        if lesson.key not in keys:
            continue
        for pre in lesson.prerequisites:
            if pre.lesson:
                key = pre.lesson if "/" in pre.lesson else f"{lesson.track}/{pre.lesson}"
                if key in keys:
                    same = key.split("/")[0] == lesson.track
                    out.append(Edge(key, lesson.key, "prerequisite" if same else "cross-prerequisite"))
        for dive in lesson.deep_dives:
            if dive in keys:
                out.append(Edge(lesson.key, dive, "deep-dive"))
    return out


def needs_of(curriculum: Curriculum, lesson: Lesson) -> list[str]:
    """The published lessons `lesson` builds on, in its own track and in others, as keys: the
    map's boxes and its list both carry them (data-needs) and learner.js derives both states
    from them with one rule, so the two never disagree. The rule: only the lessons in the
    lesson's own track must be done for it to be ready; one in another track is a
    recommendation, drawn and listed as such but never locking, since a learner may start any
    track first. A prerequisite left out of the build (a draft) is left out here too: it could
    never be marked done."""
    out = []
    for pre in lesson.prerequisites:
        if pre.lesson:
            key = pre.lesson if "/" in pre.lesson else f"{lesson.track}/{pre.lesson}"
            if curriculum.lesson(key) is not None and key not in out:
                out.append(key)
    return out


def neighbours(curriculum: Curriculum, track: Track) -> list[Lesson]:
    """Lessons of other tracks linked to this track's: its cross-track prerequisites, the lessons
    its lessons go deeper in, and the brief lessons that go deeper into it (in course order)."""
    return every_neighbours(curriculum).get(track.slug, [])


def every_neighbours(curriculum: Curriculum) -> dict[str, list[Lesson]]:
    """`neighbours` of every track of the course, by slug, in one walk of the course: the track
    pages ask for all of them once a build (`pagecontext.Contexts`), where each track page
    walked every lesson for its own."""
    owners: dict[str, list[str]] = {}  # lesson key -> the tracks that list it
    for track in curriculum.tracks:
        for lesson in curriculum.lessons_of(track.slug):
            owners.setdefault(lesson.key, []).append(track.slug)
    keys: dict[str, set[str]] = {track.slug: set() for track in curriculum.tracks}
    for lesson in curriculum.all_lessons():
        refs = [p.lesson for p in lesson.prerequisites if p.lesson and "/" in p.lesson] + list(lesson.deep_dives)
        mine = owners.get(lesson.key, [])
        for slug in mine:
            keys[slug].update(k for k in refs if slug not in owners.get(k, ()))
        for k in refs:
            for slug in owners.get(k, ()):
                if slug not in mine:
                    keys[slug].add(lesson.key)
    named: dict[str, list[str]] = {}  # lesson key -> the tracks it is a neighbour of
    for slug, found in keys.items():
        for k in found:
            named.setdefault(k, []).append(slug)
    out: dict[str, list[Lesson]] = {slug: [] for slug in keys}
    for lesson in curriculum.all_lessons():
        for slug in named.get(lesson.key, ()):
            out[slug].append(lesson)
    return out


def layout(
    curriculum: Curriculum,
    tracks: Iterable[Track],
    others: Sequence[Lesson],
    words: messages.Catalogue,
) -> tuple[list[Node], list[tuple[Track, int, list, int]], int, int]:
    """Place nodes: one band per track, one column per phase, lessons top to bottom; `others`
    (lessons of other tracks) in one more column at the right, titled "Other tracks". Each band
    is (track, its top, its columns as (title, x), its head's height: room for the track's
    title (`track_lines`, in `words`) and its phases' titles, on as many lines as they need)."""
    nodes: list[Node] = []
    bands: list = []
    y0 = PAD
    width = 0
    tracks = list(tracks)
    for track in tracks:
        phases = [(p.title, ls) for p, ls in curriculum.phases_of(track)]
        if others:
            phases.append(("Other tracks", list(others)))
        tallest = max((len(ls) for _, ls in phases), default=0)
        extra = max((len(phase_lines(title)) for title, _ in phases), default=1) - 1
        titled = TRACK_H + (len(track_lines(track, words)) - 1) * PHASE_LINE if len(tracks) > 1 else 0
        head = HEAD_H + extra * PHASE_LINE + titled
        band_h = head + tallest * (NODE_H + ROW_GAP)
        columns = []
        for col, (title, lessons) in enumerate(phases):
            x = PAD + col * (NODE_W + COL_GAP)
            columns.append((title, x))
            for row, lesson in enumerate(lessons):
                number = curriculum.position(lesson).number
                other = curriculum.track_of(lesson).number if lesson.track != track.slug else None
                nodes.append(Node(lesson, number, x, y0 + head + row * (NODE_H + ROW_GAP), other))
        bands.append((track, y0, columns, head))
        width = max(width, PAD * 2 + len(phases) * NODE_W + max(len(phases) - 1, 0) * COL_GAP)
        y0 += band_h + BAND_GAP
    return nodes, bands, width, y0 - BAND_GAP + PAD


def _edge_path(a: Node | TrackNode, b: Node | TrackNode) -> str:
    """A line from `a` to `b` that never passes behind a box: between neighbouring columns a curve
    from the right of `a` to the left of `b`; in one column, a bow down the left side; otherwise
    along the gaps, out to the gap beside `a`'s column, along the gap under `b`'s row (rows line up
    in every column, so it is free) and into `b` from the gap on its left."""
    step = NODE_W + COL_GAP
    if a.x == b.x:  # same column: down the left side, bowing outwards
        x, y1, y2 = a.x, a.y + NODE_H // 2, b.y + NODE_H // 2
        return f"M{x},{y1} C{x - 22},{y1} {x - 22},{y2} {x},{y2}"
    if b.x - a.x == step:
        x1, y1, x2, y2 = a.x + NODE_W, a.y + NODE_H // 2, b.x, b.y + NODE_H // 2
        mid = (x1 + x2) / 2
        return f"M{x1},{y1} C{mid:.0f},{y1} {mid:.0f},{y2} {x2},{y2}"
    forward = b.x > a.x
    x1 = a.x + NODE_W if forward else a.x
    gap_a = x1 + COL_GAP // 2 if forward else x1 - COL_GAP // 2
    gap_b = b.x - COL_GAP // 2
    y1, y2 = a.y + NODE_H // 2, b.y + NODE_H // 2
    lane = b.y + NODE_H + ROW_GAP // 2
    return f"M{x1},{y1} H{gap_a} V{lane} H{gap_b} V{y2} H{b.x}"


def _svg_start(width: int, height: int, title: str, map_id: str) -> str:
    """The <svg> element's start: its size, its accessible name and the arrowhead."""
    return (
        f'<svg class="ts-map__svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{map_id}-title" focusable="false"><title id="{map_id}-title">{escape(title)}</title>'
        f'<defs><marker id="{map_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="ts-map__arrowhead"/>'
        "</marker></defs>"
    )


def _box(x: int, y: int, lines: list[str], line_h: int, name: str, href: str, data: str, extra_class: str = "") -> str:
    """One box of the map: a link named `name` (learner.js adds its state), its text lines
    centred, a badge for "ready" or "started" and a tick for "done"."""
    top = y + NODE_H // 2 - (len(lines) - 1) * line_h // 2 + 5
    tspans = " ".join(
        f'<tspan x="{x + 10}" y="{top + i * line_h}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (
        f'<a class="ts-map__node{extra_class}" href="{escape(href)}" {data} '
        f'aria-label="{escape(name)}" data-label="{escape(name)}">'
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8"/>'
        f'<text class="ts-map__label" aria-hidden="true">{tspans}</text>'
        f'<circle class="ts-map__badge" cx="{x + NODE_W - 12}" cy="{y + 12}" r="5"/>'
        f'<text class="ts-map__tick" aria-hidden="true" x="{x + NODE_W - 30}" y="{y + 17}">\u2713</text></a>'
    )


def render_svg(
    curriculum: Curriculum,
    tracks: list[Track],
    url: Callable[[Lesson], str],
    title: str,
    map_id: str = "ts-map",
    others: Sequence[Lesson] = (),
    lang: str = "en",
) -> str:
    """The map as an inline <svg>; `url(lesson)` gives each node's link from the page it sits on;
    its words in `lang` (core/messages.py)."""
    words = messages.catalogue(lang)
    nodes, bands, width, height = layout(curriculum, tracks, others, words)
    by_key = {n.key: n for n in nodes}
    all_edges = edges(curriculum, set(by_key))
    parts = [_svg_start(width, height, title, map_id)]
    for track, y, columns, head in bands:
        if len(tracks) > 1:
            spans = "".join(
                f'<tspan x="{PAD}" y="{y + 12 + i * PHASE_LINE}">{escape(line)}</tspan>'
                for i, line in enumerate(track_lines(track, words))
            )
            parts.append(f'<text class="ts-map__track">{spans}</text>')
        for phase_title, x in columns:
            lines = phase_lines(phase_title)
            top = y + head - 10 - (len(lines) - 1) * PHASE_LINE  # the last line just above the boxes
            spans = "".join(
                f'<tspan x="{x}" y="{top + i * PHASE_LINE}">{escape(line)}</tspan>' for i, line in enumerate(lines)
            )
            parts.append(f'<text class="ts-map__phase">{spans}</text>')
    for edge in all_edges:
        a, b = by_key[edge.source], by_key[edge.target]
        if a.track_number and b.track_number:
            continue  # between two lessons of other tracks: not this map's business
        parts.append(
            f'<path class="ts-map__edge ts-map__edge--{edge.kind}" d="{_edge_path(a, b)}" '
            f'marker-end="url(#{map_id}-arrow)"/>'
        )
    for node in nodes:
        needed = needs_of(curriculum, node.lesson)
        parts.append(
            _box(
                node.x,
                node.y,
                node.lines,
                16 if len(node.lines) < 3 else 14,
                node.name(words),
                url(node.lesson),
                f'data-lesson="{escape(node.key)}" data-needs="{escape(" ".join(needed))}"',
                " ts-map__node--other" if node.track_number else "",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def render_text(
    curriculum: Curriculum,
    tracks: list[Track],
    url: Callable[[Lesson], str],
    others: Sequence[Lesson] = (),
    lang: str = "en",
) -> str:
    """The same graph as nested lists: phases, lessons, what each needs and where it goes deeper.
    Each item carries its lesson and prerequisites, so learner.js can say "done" or "ready"."""
    keys = {l.key for t in tracks for l in curriculum.lessons_of(t.slug)} | {l.key for l in others}
    words = messages.catalogue(lang)
    needs: dict[str, list[str]] = {}
    first: dict[str, list[str]] = {}
    deeper: dict[str, list[str]] = {}
    for e in edges(curriculum, keys):
        if e.kind == "prerequisite":
            needs.setdefault(e.target, []).append(e.source)
        elif e.kind == "cross-prerequisite":
            first.setdefault(e.target, []).append(e.source)
        else:
            deeper.setdefault(e.source, []).append(e.target)

    def name(key: str) -> str:
        lesson = curriculum.lesson(key)
        assert lesson is not None
        track = words.text("trackN", n=curriculum.track_of(lesson).number)
        return f"{words.text('trackLesson', track=track, n=curriculum.position(lesson).number)}: {lesson.title}"

    def item(lesson: Lesson) -> str:
        extra = []
        if needs.get(lesson.key):
            extra.append(words.text("mapNeeds", lessons="; ".join(escape(name(k)) for k in needs[lesson.key])))
        if first.get(lesson.key):
            extra.append(words.text("mapFirst", lessons="; ".join(escape(name(k)) for k in first[lesson.key])))
        if deeper.get(lesson.key):
            extra.append(words.text("mapDeeper", lessons="; ".join(escape(name(k)) for k in deeper[lesson.key])))
        note = f" ({', '.join(extra)})" if extra else ""
        return (
            f'<li data-map-lesson="{escape(lesson.key)}" data-needs="{escape(" ".join(needs_of(curriculum, lesson)))}">'
            f'<a href="{escape(url(lesson))}">{escape(name(lesson.key))}</a>{note}'
            '<span class="ts-map__state"></span></li>'
        )

    out = ['<ul class="ts-map__list">']
    for track in tracks:
        out.append(f"<li>{escape(words.text('trackN', n=track.number))}: {escape(track.title)}<ul>")
        for phase, lessons in curriculum.phases_of(track):
            out.append(f"<li>{escape(phase.title)}<ul>{''.join(item(l) for l in lessons)}</ul></li>")
        out.append("</ul></li>")
    if others:
        out.append(f"<li>{escape(words.text('otherTracks'))}<ul>{''.join(item(l) for l in others)}</ul></li>")
    out.append("</ul>")
    return "".join(out)


# -- the course as tracks, for a course too large to draw lesson by lesson ---------------------
@dataclass(frozen=True)
class TrackNode:
    track: Track
    lessons: int
    x: int
    y: int

    @property
    def lines(self) -> list[str]:
        """The box's text: the track and its size, then its title on two lines, shortened if
        longer. The title comes last, so that a shortened one is still the start of the name."""
        title = _wrap(self.track.title, 24)
        if len(title) > 2:
            title = [title[0], textwrap.shorten(" ".join(title[1:]), 23, placeholder="…")]
        return [f"Track {self.track.number}, {_lessons(self.lessons)}", *title]

    @property
    def name(self) -> str:
        """The link's accessible name: the box's text with the title in full (WCAG 2.5.3, as for
        a lesson), as in "Track 1, 19 lessons: Small margins and the gradient"."""
        return f"Track {self.track.number}, {_lessons(self.lessons)}: {self.track.title}"


def track_edges(curriculum: Curriculum) -> list[Edge]:
    """One arrow per pair of tracks a lesson links across: a prerequisite in another track
    (needed track -> needing track) or a deep dive (brief track -> deep track)."""
    found: dict[tuple[str, str, str], None] = {}
    for e in edges(curriculum, {l.key for l in curriculum.all_lessons()}):
        a, b = e.source.split("/")[0], e.target.split("/")[0]
        if a != b:
            found.setdefault((a, b, e.kind))
    return [Edge(a, b, kind) for a, b, kind in found]


def render_tracks_svg(curriculum: Curriculum, url: Callable[[Track], str], title: str, map_id: str = "ts-map") -> str:
    """The course map as tracks: a box per track in number order, rows of TRACK_COLUMNS, with
    the arrows of `track_edges`; learner.js colours a box from the track's saved progress."""
    tracks = [t for t in curriculum.tracks if curriculum.lessons_of(t.slug)]
    nodes = {
        t.slug: TrackNode(
            t,
            len(curriculum.lessons_of(t.slug)),
            PAD + (i % TRACK_COLUMNS) * (NODE_W + COL_GAP),
            PAD + (i // TRACK_COLUMNS) * (NODE_H + ROW_GAP * 2),
        )
        for i, t in enumerate(tracks)
    }
    rows = -(-len(tracks) // TRACK_COLUMNS)
    width = PAD * 2 + min(len(tracks), TRACK_COLUMNS) * (NODE_W + COL_GAP) - COL_GAP
    height = PAD * 2 + rows * (NODE_H + ROW_GAP * 2) - ROW_GAP * 2
    parts = [_svg_start(width, height, title, map_id)]
    for edge in track_edges(curriculum):
        if edge.source in nodes and edge.target in nodes:
            parts.append(
                f'<path class="ts-map__edge ts-map__edge--{edge.kind}" '
                f'd="{_edge_path(nodes[edge.source], nodes[edge.target])}" marker-end="url(#{map_id}-arrow)"/>'
            )
    for node in nodes.values():
        parts.append(
            _box(
                node.x,
                node.y,
                node.lines,
                14,
                node.name,
                url(node.track),
                f'data-track="{escape(node.track.slug)}" data-lesson-count="{node.lessons}"',
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def render_tracks_text(curriculum: Curriculum, url: Callable[[Track], str]) -> str:
    """The track map as a list: each track, its size, the tracks it builds on and goes deeper in."""
    names = {t.slug: f"Track {t.number}" for t in curriculum.tracks}
    needs: dict[str, list[str]] = {}
    deeper: dict[str, list[str]] = {}
    for e in track_edges(curriculum):
        if e.kind == "prerequisite":
            needs.setdefault(e.target, []).append(names[e.source])
        else:
            deeper.setdefault(e.source, []).append(names[e.target])
    out = ['<ul class="ts-map__list">']
    for track in curriculum.tracks:
        count = len(curriculum.lessons_of(track.slug))
        if not count:
            continue
        extra = (
            [_lessons(count)]
            + (["builds on " + ", ".join(needs[track.slug])] if track.slug in needs else [])
            + (["goes deeper in " + ", ".join(deeper[track.slug])] if track.slug in deeper else [])
        )
        out.append(
            f'<li data-map-track="{escape(track.slug)}" data-lesson-count="{count}">'
            f'<a href="{escape(url(track))}">Track {track.number}: {escape(track.title)}</a> ({"; ".join(extra)})'
            '<span class="ts-map__state"></span></li>'
        )
    out.append("</ul>")
    return "".join(out)
