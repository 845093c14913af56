"""Unit tests of the engine-free core: YAML, references, anchors, the model, problem formats."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest

from tracksite.core import messages
from tracksite.core.learning import coursemap
from tracksite.core.markdown import anchors
from tracksite.core.markdown import references as refs
from tracksite.core.model.course import Curriculum, Lesson, LessonSources, Phase, Track
from tracksite.core.problems.problem import Problem, format_github, format_json, format_text
from tracksite.core.sources import split_front_matter
from tracksite.core.yaml import safe as yamlsafe
from tracksite.errors import SourceProblem


# -- yamlsafe -------------------------------------------------------------------------------
def test_lines_of_keys_and_items():
    doc = yamlsafe.parse("a: 1\nb:\n  - x\n  - y\nc:\n  d: 2\n", first_line=5)
    assert doc.value == {"a": 1, "b": ["x", "y"], "c": {"d": 2}}
    assert (doc.line("a"), doc.line("b", 1), doc.line("c", "d")) == (5, 8, 10)
    assert doc.line("c", "missing") == 9  # a missing key points at its parent


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"])
def test_lines_are_the_editors_where_yaml_counts_more_breaks(brk):
    """NEL and the Unicode separators (pasted from word processors) break lines for YAML, not
    for editors: every line and column given is the one the editor shows."""
    doc = yamlsafe.parse(f"a: 1{brk}b: 2\nc: 3\n", first_line=3)
    assert (doc.line("a"), doc.line("b"), doc.line("c")) == (3, 3, 4)
    with pytest.raises(SourceProblem) as e:
        yamlsafe.parse(f"a: 1{brk}b: 2\nc: &x 3\n", first_line=3)
    assert (e.value.line, e.value.column) == (4, 4)
    with pytest.raises(SourceProblem) as e:  # the line a message names, too
        yamlsafe.parse(f'x: 1{brk}y: "a\n\n', first_line=1)
    assert e.value.line == 3 and e.value.message.endswith("that starts on line 1")
    with pytest.raises(SourceProblem) as e:  # a refused character: its line was counted by newlines
        yamlsafe.parse(f"a: 1{brk}b: 2\nc: \x00\n", first_line=3)
    assert e.value.line == 4


@pytest.mark.parametrize(
    "text, needle",
    [
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: [*x]\n", "aliases"),
        ("a: !!python/object/apply:os.system ['true']\n", "tag"),
        ("a: !custom 1\n", "tag"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a:\n\t- b\n", "tab"),
        ("a: [1, 2\n", "YAML syntax error"),
        ("<<: {a: 1}\n", "merge"),
    ],
)
def test_refused_yaml(text, needle):
    with pytest.raises(SourceProblem) as e:
        yamlsafe.parse(text)
    assert needle in e.value.message and e.value.line


def test_billion_laughs_is_refused_before_expansion():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")
    )
    with pytest.raises(SourceProblem, match="anchors"):
        yamlsafe.parse(bomb)


def test_deep_nesting_is_refused():
    with pytest.raises(SourceProblem, match="nested"):
        yamlsafe.parse("a: " + "[" * 200 + "]" * 200)


def test_dates_stay_text():
    assert yamlsafe.parse("d: 2026-11-21\n").value == {"d": "2026-11-21"}


# -- front-matter ---------------------------------------------------------------------------
def test_front_matter_split_and_body_line():
    src = split_front_matter(Path("x.md"), "---\ntitle: T\n---\n## Body\n")
    assert src.meta.value == {"title": "T"} and src.body == "## Body\n" and src.body_line == 4


def test_front_matter_not_a_mapping():
    with pytest.raises(SourceProblem, match="must be a mapping"):
        split_front_matter(Path("x.md"), "---\n- a\n- b\n---\n")


def test_front_matter_never_closed():
    with pytest.raises(SourceProblem, match="never closed"):
        split_front_matter(Path("x.md"), "---\ntitle: T\n")


# -- references -----------------------------------------------------------------------------
def test_parse_references():
    assert refs.parse("lesson:b", "t") == refs.Ref("lesson", "t", "b", None)
    assert refs.parse("overview:u/b#x-y", "t") == refs.Ref("overview", "u", "b", "x-y")
    assert refs.parse("track:u", None) == refs.Ref("track", "u", None, None)
    assert isinstance(refs.parse("lesson:../etc/passwd", "t"), str)
    assert isinstance(refs.parse("lesson:/abs", "t"), str)
    assert isinstance(refs.parse("lesson:Capital", "t"), str)
    assert "names no track" in refs.parse("lesson:b", None)


def test_url_contract():
    assert refs.url("lesson", "t", "l") == "t/l/"
    assert refs.url("overview", "t", "l") == "t/l/overview/"
    assert refs.url("cheatsheet", "t", "l") == "t/l/cheatsheet/"
    assert refs.url("track", "t") == "t/"
    assert refs.relative_src("t/l/index.md", "u/m/overview.md") == "../../u/m/overview.md"


@pytest.mark.parametrize(
    ("path", "start"),
    [
        ("t/l/", "t/m"), ("t/glossary", "t/l"), ("t/l/", "."), ("a", "a"), ("x/y", "x/y/z/"), ("a//b/./c", "a/b"),
        ("../up", "t"), ("t", "../../up"), ("/root/x", "t"), ("t", "/root"), ("a..b/c", "a"),
    ],
)  # fmt: skip
def test_relative_is_relpath_without_the_working_folder(path, start):
    """Paths within the site, seen from its root: what `posixpath.relpath` says from any folder."""
    assert refs.relative(path, start) == posixpath.relpath(path, start)


def test_find_links_skips_code():
    body = "See [a](lesson:x) and `[b](lesson:y)`.\n```\n[c](lesson:z)\n```\n[d]: cheatsheet:w\n"
    assert [(l.target, l.line) for l in refs.find_links(body, 10)] == [("lesson:x", 10), ("cheatsheet:w", 14)]


def test_rewrite_in_place():
    body = "[a](lesson:x) [b](track:t)"
    links = list(refs.find_links(body, 1))
    out = refs.rewrite(body, {(l.start, l.end): "NEW" for l in links})
    assert out == "[a](NEW) [b](NEW)"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:x", " data:text/html,x", "vbscript:x"])
def test_unsafe_urls(url):
    assert refs.is_unsafe(url)


def test_unsafe_urls_are_found_in_every_position_and_in_order():
    # links and attributes interleaved, an attribute over a line break, a prefixed attribute, an
    # attribute's `=` inside a link's value and prose with an `=` that starts no attribute
    masked = (
        "x = y and [a](javascript:one) then <a\nhref =\n'vbscript:two'> and\n"
        '<svg><a xlink:href="data:text/html,three"></a></svg> [b](href=javascript:four)\n'
        "[c]: file:///five\n\\href{javascript:six} {: data-x=1 src=javascript:seven }\n"
    )
    found = [(line, target) for line, _, target in refs.unsafe_urls(masked, 10)]
    assert found == [
        (10, "javascript:one"),
        (12, "vbscript:two"),
        (13, "data:text/html,three"),  # `href=javascript:four` is the link's value, read whole: no attribute
        (14, "file:///five"),
        (15, "javascript:six"),
        (15, "javascript:seven"),
    ]


# -- anchors --------------------------------------------------------------------------------
def test_anchor_ids_like_toc():
    ids = anchors.anchors(
        "## Queries, keys and values\n## The *it* example\n## Practice\n## Practice\n"
        "## Custom {#mine}\n```\n## not a heading\n```\n"
    )
    assert ids == {"queries-keys-and-values", "the-it-example", "practice", "practice_1", "mine"}


# -- model ----------------------------------------------------------------------------------
def _lesson(track, slug, deep=()):
    return Lesson(
        track=track,
        slug=slug,
        title=slug.upper(),
        summary="s",
        objectives=("o",),
        prerequisites=(),
        read=5,
        practice=3,
        difficulty="standard",
        math="none",
        deep_dives=tuple(deep),
        credits=None,
        status="published",
        sources=LessonSources(Path("."), Path("l.md"), None, None),
    )


def test_positions_neighbours_backlinks():
    phases = (Phase(title="P1", lessons=("a", "b")), Phase(title="P2", lessons=("c",)))
    t = Track(slug="t", number=1, title="T", summary="s", phases=phases, path=Path("t.yml"))
    u = Track(
        slug="u", number=2, title="U", summary="s", phases=(Phase(title="Q", lessons=("z",)),), path=Path("u.yml")
    )
    lessons = {l.key: l for l in (_lesson("t", "a"), _lesson("t", "b", ["u/z"]), _lesson("t", "c"), _lesson("u", "z"))}
    c = Curriculum([u, t], lessons)
    assert [tr.slug for tr in c.tracks] == ["t", "u"]
    c_lesson = lessons["t/c"]
    pos = c.position(c_lesson)
    assert (pos.number, pos.of, pos.phase_number, pos.phase.title) == (3, 3, 2, "P2")
    assert c.previous(c_lesson).slug == "b" and c.next(c_lesson) is None
    assert c.previous(lessons["t/a"]) is None
    assert c.backlinks(lessons["u/z"]) == [lessons["t/b"]]
    assert c.track_minutes(t) == 24


def test_every_tracks_neighbours_as_each_track_finds_its_own():
    """The course map's lessons of other tracks, found for every track in one walk, are each
    track's own (`neighbours`): prerequisites and deep dives both ways, in course order, a
    missing lesson named, a lesson named twice."""
    p1 = (Phase(title="P", lessons=("a", "b", "c")),)
    tracks = [
        Track(slug=s, number=n, title=s, summary="s", phases=p1, path=Path(f"{s}.yml"))
        for n, s in enumerate(("t", "u", "v"), 1)
    ]
    deep = {"t/a": ["u/b", "v/c"], "u/b": ["t/a", "t/a"], "v/a": ["w/x"], "v/c": ["u/a", "v/b"]}
    lessons = {l.key: l for l in (_lesson(t.slug, s, deep.get(f"{t.slug}/{s}", [])) for t in tracks for s in "abc")}
    c = Curriculum(tracks, lessons)
    every = coursemap.every_neighbours(c)
    assert every == {t.slug: coursemap.neighbours(c, t) for t in tracks}
    assert [l.key for l in every["u"]] == ["t/a", "v/c"]


def test_a_long_track_title_is_drawn_within_its_column_on_several_lines():
    """A track's title above its band wraps as a phase title does, and the band's head grows by a
    line for each line more: on one line "Track 5: Transformers and LLMs" ran into the gap where
    the lines from the band above pass (tests/browser/test_course_map.py measures it)."""
    phases = (Phase(title="P", lessons=("a",)),)
    short = Track(slug="t", number=1, title="T", summary="s", phases=phases, path=Path("t.yml"))
    long = Track(slug="u", number=2, title="Transformers and LLMs", summary="s", phases=phases, path=Path("u.yml"))
    lessons = {l.key: l for l in (_lesson("t", "a"), _lesson("u", "a"))}
    c = Curriculum([short, long], lessons)
    words = messages.catalogue("en")
    lines = coursemap.track_lines(long, words)
    assert lines == ["Track 2: Transformers and", "LLMs"] and all(len(x) <= coursemap.PHASE_CHARS for x in lines)
    _, bands, _, _ = coursemap.layout(c, c.tracks, (), words)
    assert bands[1][3] - bands[0][3] == coursemap.PHASE_LINE
    svg = coursemap.render_svg(c, c.tracks, lambda lesson: "#", "Map")
    assert '<text class="ts-map__track"><tspan x="30" y="' in svg and ">LLMs</tspan></text>" in svg


# -- problem formats ------------------------------------------------------------------------
def test_problem_formats():
    p = Problem("lessons/t/l/lesson.md", 3, "unknown key 'sumary'", "sumary", "did you mean 'summary'?", code="TS101")
    assert format_text([p]) == "lessons/t/l/lesson.md:3: [TS101] sumary: unknown key 'sumary' (did you mean 'summary'?)"
    assert format_github([p]) == (
        "::error file=lessons/t/l/lesson.md,line=3,title=TS101::sumary: unknown key 'sumary' (did you mean 'summary'?)"
    )
    assert json.loads(format_json([p]))[0]["line"] == 3
    assert format_github([Problem("a,b.md", None, "x\ny", code="TS001")]) == "::error file=a%2Cb.md,title=TS001::x%0Ay"
