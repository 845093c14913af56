"""Property-based tests: whatever text or values land in front-matter and track.yml, the loader
returns either a valid model or a list of located problems, and never raises.

Hypothesis generates three kinds of input: YAML-ish text (characters YAML cares about, mixed
with indentation, tabs, control characters and non-ASCII), structured values dumped to YAML
(so the document parses and the schema has to judge it), and the fixture's valid documents
with one key replaced by a random value (so the rest of the loader runs too).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.course import lesson_md, make_course
from tracksite.core.problems.problem import Problem
from tracksite.core.schema import specs as schema
from tracksite.core.schema.choices import Status
from tracksite.core.yaml import safe as yamlsafe
from tracksite.core.yaml.safe import Located, parse
from tracksite.errors import SourceProblem

REPO = Path(__file__).resolve().parents[2]

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- generators ---------------------------------------------------------------------------------

# Characters YAML gives meaning to, plus whitespace, control characters and non-ASCII.
YAML_ALPHABET = st.sampled_from(
    list("-:?[]{},#&*!|>'\"%@`<= \t\n\r\x00\x07\x1b\x85\u2028\ufeff\ud7ff\ue000\U0001f600abcxyz019._/\\~é")
)
yamlish_lines = st.lists(
    st.tuples(st.integers(0, 6), st.text(YAML_ALPHABET, max_size=30)).map(lambda t: " " * t[0] + t[1]),
    max_size=12,
).map("\n".join)
yamlish_text = st.one_of(
    yamlish_lines,
    st.text(max_size=200),  # any Unicode, surrogates and control characters included
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from([f.name for f in schema.LESSON.fields]), yamlish_lines),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "a1",
            "..",
            "../beta/b1",
            "/etc/passwd",
            "Alpha",
            "a 1",
            "café",
            "2024-01-01",
            "12:30",
            "0x1F",
            "1e3",
            "yes",
            "no",
            "~",
            "null",
            "<script>",
            "intro",
            "standard",
            "heavy",
            "draft",
            "beta/b2",
            "a1#x",
        ]
    ),
)
KEYS = sorted(
    {
        f.name
        for spec in (schema.LESSON, schema.TRACK, schema.PHASE, schema.TIME, schema.PREREQUISITE)
        for f in spec.fields
    }
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=20,
)
mappings = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), values, max_size=8)


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


# -- one small course, rewritten for every example ------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("properties") / "course")


@pytest.fixture(scope="module", autouse=True)
def package_files_listed_once():
    """The package's theme and widget files, listed once for the module, not at each of the
    examples' loads: the site plan of every load (core/site/plan.py) walked the theme's folders
    and looked for each widget's files in turn: a load of the small course took 9 ms of processor
    time, 4 ms with the lists kept. The examples change the course's sources, never the package: the lists are the
    ones a load makes, the same each time (asserted here)."""
    from tracksite import theme
    from tracksite.core import widgetregistry

    listed = {"theme": theme.asset_files(), "widgets": widgetregistry.home_asset_files()}
    assert listed["theme"] and listed["widgets"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(theme, "asset_files", lambda: list(listed["theme"]))
        patch.setattr(widgetregistry, "home_asset_files", lambda: list(listed["widgets"]))
        yield
    assert theme.asset_files() == listed["theme"] and widgetregistry.home_asset_files() == listed["widgets"]


VALID_LESSON = {
    "title": "First lesson",
    "summary": "A lesson.",
    "objectives": ["do the thing"],
    "time": {"read": 1, "practice": 5},
    "difficulty": "standard",
    "math": "none",
}
VALID_TRACK = {
    "number": 1,
    "title": "Alpha track",
    "summary": "The first track.",
    "phases": [{"title": "Phase A", "lessons": ["a1", "a2"]}, {"title": "Phase B", "lessons": ["a3"]}],
}
LESSON = "lessons/alpha/a1/lesson.md"
TRACK = "lessons/alpha/track.yml"


class Restore:
    """Write one file for an example and put the original back afterwards."""

    def __init__(self, root: Path, rel: str, data: bytes) -> None:
        self.path = root / rel
        self.original = self.path.read_bytes()
        self.data = data

    def __enter__(self):
        self.path.write_bytes(self.data)
        return self

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)


@functools.cache
def _site_config(root: Path):
    """The course's mkdocs.yml as MkDocs loads it: the same for every example (they change the
    course's sources, never its configuration), so loaded once, not at each of thousands."""
    from tracksite.adapter.config import mkdocsconfig

    return mkdocsconfig.load(root)


def check_result(root: Path, rel: str):
    """The property: a valid model, or located problems. Never an exception."""
    from tracksite.core import checks

    project = checks.load(_site_config(root))
    problems = project.problems
    assert problems is not None
    text_lines = None
    for p in problems.items:
        assert isinstance(p, Problem)
        assert isinstance(p.path, str) and p.path and not p.path.startswith("/"), p
        assert p.line is None or (isinstance(p.line, int) and p.line >= 1), p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert "Traceback" not in p.message
        p.text()  # formats without error
        if p.path == rel and p.line is not None:
            if text_lines is None:
                text_lines = (root / rel).read_bytes().count(b"\n") + 1
            assert p.line <= text_lines + 1, (p, text_lines)
    errors_in_file = [p for p in problems.errors if p.path == rel]
    if not errors_in_file and rel == LESSON:
        # a valid model: the lesson is there and every field has its declared shape
        lesson = project.curriculum.lesson("alpha/a1")
        assert lesson is not None
        assert isinstance(lesson.title, str) and lesson.title.strip()
        assert isinstance(lesson.read, int) and 1 <= lesson.read <= 600
        assert lesson.practice is None or 1 <= lesson.practice <= 600
        assert lesson.difficulty in schema.DIFFICULTY.values and lesson.math in schema.MATH.values
        assert lesson.status in tuple(Status)
        assert lesson.objectives and all(isinstance(o, str) for o in lesson.objectives)
    if not errors_in_file and rel == TRACK:
        track = project.curriculum.track("alpha")
        assert track is not None and isinstance(track.number, int) and 1 <= track.number <= 999
        assert track.phases and all(p.lessons for p in track.phases)
    return project


# -- the parser alone ------------------------------------------------------------------------------


@SETTINGS
@given(text=yamlish_text, first_line=st.integers(1, 50))
def test_parse_returns_plain_data_or_a_located_problem(text, first_line):
    try:
        located = parse(text, first_line=first_line)
    except SourceProblem as e:
        assert isinstance(e.line, int) and e.line >= first_line, (e.line, e.message)
        assert e.message.strip()
        return
    assert isinstance(located, Located)

    def plain(v):
        if isinstance(v, dict):
            return all(isinstance(k, str) and plain(x) for k, x in v.items())
        if isinstance(v, list):
            return all(plain(x) for x in v)
        return v is None or isinstance(v, (str, int, float, bool))

    assert plain(located.value)
    assert all(isinstance(line, int) and line >= first_line for line in located.lines.values())


@SETTINGS
@given(value=values)
def test_parse_round_trips_plain_values(value):
    try:
        located = parse(dump(value))
    except SourceProblem as e:  # text no page or export can hold, even written as an escape
        assert e.code == "TS012" and _unshowable(value), (value, e.message)
        return
    assert located.value == value or _has_nan_or_date(value)


def _unshowable(v) -> bool:
    """Whether text in `v` holds a character the parser refuses even escaped (U+0001, U+FFFE)."""
    if isinstance(v, str):
        return bool(yamlsafe._UNSHOWABLE.search(v))
    if isinstance(v, dict):
        return any(_unshowable(k) or _unshowable(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_unshowable(x) for x in v)
    return False


def _has_nan_or_date(v) -> bool:
    """Values PyYAML's dumper cannot round-trip: NaN, and text with YAML's extra line breaks
    (NEL, LS, PS), which the dumper writes unquoted and every YAML reader folds into spaces."""
    if isinstance(v, float):
        return v != v
    if isinstance(v, str):
        return any(c in v for c in "\x85\u2028\u2029")
    if isinstance(v, dict):
        return any(_has_nan_or_date(x) or not isinstance(k, str) or _has_nan_or_date(k) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_nan_or_date(x) for x in v)
    return False


# -- the whole loader ---------------------------------------------------------------------------


@SETTINGS
@given(text=yamlish_text)
def test_lesson_front_matter_text(project, text):
    data = ("---\n" + text + "\n---\n## Body\n\nWords.\n").encode("utf-8", "surrogatepass")
    with Restore(project, LESSON, data):
        check_result(project, LESSON)


@SETTINGS
@given(value=st.one_of(mappings, values))
def test_lesson_front_matter_values(project, value):
    data = ("---\n" + dump(value) + "---\n## Body\n\nWords.\n").encode()
    with Restore(project, LESSON, data):
        check_result(project, LESSON)


@SETTINGS
@given(
    key=st.sampled_from(list(VALID_LESSON) + ["prerequisites", "deep_dives", "credits", "status", "extra"]),
    value=values,
)
def test_lesson_with_one_field_replaced(project, key, value):
    meta = dict(VALID_LESSON, **{key: value})
    data = ("---\n" + dump(meta) + "---\n" + "Words to read here. " * 40 + "\n").encode()
    with Restore(project, LESSON, data):
        check_result(project, LESSON)


@SETTINGS
@given(text=yamlish_text)
def test_track_yml_text(project, text):
    with Restore(project, TRACK, text.encode("utf-8", "surrogatepass")):
        check_result(project, TRACK)


@SETTINGS
@given(value=st.one_of(mappings, values))
def test_track_yml_values(project, value):
    with Restore(project, TRACK, dump(value).encode()):
        check_result(project, TRACK)


@SETTINGS
@given(
    key=st.sampled_from(list(VALID_TRACK)),
    value=values,
    phase_key=st.sampled_from(["title", "lessons", "extra"]),
    phase_value=values,
)
def test_track_with_one_field_replaced(project, key, value, phase_key, phase_value):
    track = dict(VALID_TRACK, **{key: value})
    with Restore(project, TRACK, dump(track).encode()):
        check_result(project, TRACK)
    phased = dict(
        VALID_TRACK, phases=[dict(VALID_TRACK["phases"][0], **{phase_key: phase_value}), VALID_TRACK["phases"][1]]
    )
    with Restore(project, TRACK, dump(phased).encode()):
        check_result(project, TRACK)


@SETTINGS
@given(text=yamlish_text, where=st.sampled_from(["lessons/alpha/a1/overview.md", "cheatsheets/alpha/a1.md"]))
def test_page_front_matter(project, text, where):
    data = ("---\n" + text + "\n---\n## Key ideas\n\nText.\n").encode("utf-8", "surrogatepass")
    with Restore(project, where, data):
        check_result(project, where)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_lesson(project, data):
    with Restore(project, LESSON, data):
        check_result(project, LESSON)


@SETTINGS
@given(
    block=st.sampled_from(["quiz", "flashcards", "attention", "attention-steps", "exercise", "solution"]),
    body=st.one_of(yamlish_text, values.map(dump)),
)
def test_widget_blocks_never_crash_the_loader(project, block, body):
    text = lesson_md("First lesson", body=f"## Practice\n\n/// {block}\n{body}\n///\n\nWords.\n")
    with Restore(project, LESSON, text.encode("utf-8", "surrogatepass")):
        check_result(project, LESSON)


# -- libyaml and the pure-Python reader agree ------------------------------------------------------


def _outcome(text: str, fast: bool):
    """What `parse` gives with libyaml's composer (the fast path) or with the pure-Python strict
    loader alone: the value, lines and raw numbers, or the problem's line and message."""
    saved = yamlsafe._CLoader
    if not fast:
        yamlsafe._CLoader = None
    try:
        located = parse(text)
        return ("ok", located.value, located.lines, located.raw)
    except SourceProblem as e:
        return ("problem", e.line, e.message)
    finally:
        yamlsafe._CLoader = saved


@pytest.mark.skipif(yamlsafe._CLoader is None, reason="this PyYAML was built without libyaml")
@SETTINGS
@given(text=yamlish_text)
def test_libyaml_fast_path_reads_as_the_strict_loader(text):
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


@pytest.mark.skipif(yamlsafe._CLoader is None, reason="this PyYAML was built without libyaml")
def test_libyaml_fast_path_on_the_bundled_course_and_hostile_nesting():
    """Every front-matter, YAML file and widget body of the bundled course reads the same both
    ways; nesting that would crash libyaml's recursive composer is refused, not a crash."""
    from tracksite.core.markdown.blocks import RAW_BLOCKS, find_blocks, iter_blocks

    texts = [p.read_text(encoding="utf-8") for p in REPO.glob("lessons/*/*.yml")]
    for md in [*REPO.glob("lessons/*/*/*.md"), *REPO.glob("cheatsheets/*/*.md")]:
        text = md.read_text(encoding="utf-8")
        front, body = text.split("---\n", 2)[1:] if text.startswith("---\n") else ("", text)
        texts.append(front)
        blocks, _ = find_blocks(body)
        texts += [b.body for b in iter_blocks(blocks) if b.name in RAW_BLOCKS]
    assert len(texts) > 60
    for text in texts:
        fast = _outcome(text, fast=True)
        assert fast[0] == "ok" and fast == _outcome(text, fast=False)
    for hostile in ("[" * 100_000 + "]" * 100_000, "- " * 100_000 + "x", "{a: " * 50_000 + "1" + "}" * 50_000):
        assert _outcome(hostile, fast=True)[0] == "problem"
