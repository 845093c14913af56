"""The editor schemas (docs/schemas/*.json) give the same verdict as `tracksite check`.

Documents are generated field by field (every field, every allowed value, wrong types, blanks,
lengths, unknown keys) and at random, and each is judged by the validator (schema.findings) and
by jsonschema with the committed schema; the two must agree."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import harness
from support.course import REPO
from support.schemas import GENERATED, SPECS, VALIDATORS, WRONG_TYPES, verdicts
from tracksite.commands.editor_schema import render
from tracksite.core.schema import language as schemalang
from tracksite.core.schema import specs as schema
from tracksite.core.sources import read_text, read_yaml, split_front_matter
from tracksite.core.widgets.attention import body as attention_body
from tracksite.core.widgets.attention_steps import body as steps_body
from tracksite.core.widgets.flashcards import body as flashcards_body
from tracksite.core.widgets.quiz import body as quiz_body
from tracksite.core.yaml.safe import Located, parse

LESSON = {
    "title": "Attention, in brief",
    "summary": "Why attention replaced recurrence.",
    "objectives": ["explain attention", "compute a softmax"],
    "prerequisites": [{"lesson": "recurrence"}, {"lesson": "other-track/tokens"}, {"text": "Vectors"}],
    "time": {"read": 8, "practice": 10},
    "difficulty": "standard",
    "math": "light",
    "deep_dives": ["transformers-and-llms/attention-mechanism"],
    "credits": "Based on a lecture.",
    "status": "published",
}
TRACK = {
    "number": 4,
    "title": "Deep learning, a survey",
    "summary": "A tour.",
    "phases": [
        {"title": "Foundations", "lessons": ["era", "recurrence"]},
        {"title": "Vision", "lessons": ["convolutions"]},
    ],
}
PAGE = {"title": "Overview: attention"}


def cases():
    """(id, schema file, document, expected verdict or None when only agreement is asserted)."""
    out = [
        ("lesson: every field", "lesson.schema.json", LESSON, True),
        ("track: every field", "track.schema.json", TRACK, True),
        ("page: title", "page.schema.json", PAGE, True),
        ("page: empty", "page.schema.json", {}, True),
    ]
    for name, base in (("lesson.schema.json", LESSON), ("track.schema.json", TRACK), ("page.schema.json", PAGE)):
        spec = SPECS[name]
        for f in spec.fields:
            doc = {k: v for k, v in base.items() if k != f.name}
            out.append((f"{name}: without {f.name}", name, doc, not f.required))
            out.append((f"{name}: {f.name} left empty", name, {**base, f.name: None}, not f.required))
            for wrong in WRONG_TYPES:
                out.append((f"{name}: {f.name} = {wrong!r}", name, {**base, f.name: wrong}, None))
            if isinstance(f.spec, schema.Choice):
                for value in f.spec.values:
                    out.append((f"{name}: {f.name} = {value}", name, {**base, f.name: value}, True))
                for value in ("hard", f.spec.values[0].upper(), f" {f.spec.values[0]}"):
                    out.append((f"{name}: {f.name} = {value!r}", name, {**base, f.name: value}, False))
            if isinstance(f.spec, schema.Text):
                n = f.spec.max_length
                for value, ok in (
                    *((("x" * n, True),) if f.spec.pattern is None else ()),  # a pattern's field: its own tests
                    ("x" * (n + 1), False),
                    ("", False),
                    ("   ", False),
                    ("\t\n", False),
                ):
                    out.append(
                        (
                            f"{name}: {f.name} of {len(value)} characters {value[:3]!r}",
                            name,
                            {**base, f.name: value},
                            ok,
                        )
                    )
            if isinstance(f.spec, schemalang.Whole):
                lo = getattr(f.spec, "minimum", 1)
                hi = f.spec.maximum
                for value, ok in (
                    (lo, True),
                    (hi, True),
                    (lo - 1, False),
                    (hi + 1, False),
                    (-5, False),
                    ("4", False),
                    (False, False),
                ):
                    out.append((f"{name}: {f.name} = {value!r}", name, {**base, f.name: value}, ok))
        out.append((f"{name}: unknown key", name, {**base, "sumary": "x"}, False))
        out.append((f"{name}: not a mapping", name, ["title"], False))
    # nested parts of a lesson
    L = "lesson.schema.json"
    for key, value, ok in [
        ("time", {"read": 5}, True),
        ("time", {"practice": 5}, False),
        ("time", {"read": 5, "practice": None}, True),
        ("time", {"read": 5, "reading": 3}, False),
        ("time", {"read": 0}, False),
        ("time", {"read": 601}, False),
        ("time", {"read": 5, "practice": 1.5}, False),
        ("time", {"read": "5"}, False),
        ("time", {"read": True}, False),
        ("objectives", [], False),
        ("objectives", ["x"] * 200, True),
        ("objectives", ["x"] * 201, False),
        ("objectives", ["ok", ""], False),
        ("objectives", ["ok", " "], False),
        ("objectives", ["x" * 301], False),
        ("objectives", [["nested"]], False),
        ("objectives", [None], False),
        ("objectives", "explain", False),
        ("prerequisites", [], True),
        ("prerequisites", [{"lesson": "a", "text": "b"}], False),
        ("prerequisites", [{}], False),
        ("prerequisites", ["a-lesson"], False),
        ("prerequisites", [{"lesson": "Bad Slug"}], False),
        ("prerequisites", [{"lesson": "a/b/c"}], False),
        ("prerequisites", [{"lesson": "/a"}], False),
        ("prerequisites", [{"lesson": "a--b"}], False),
        ("prerequisites", [{"lesson": "track/a-1"}], True),
        ("prerequisites", [{"text": ""}], False),
        ("prerequisites", [{"text": "t", "note": "x"}], False),
        ("prerequisites", [{"lesson": None}], None),
        ("prerequisites", [{"lesson": 3}], False),
        ("deep_dives", [], True),
        ("deep_dives", ["no-track"], False),
        ("deep_dives", ["a/b", "c/d"], True),
        ("deep_dives", ["A/b"], False),
        ("deep_dives", [7], False),
        ("deep_dives", ["a/b"] * 201, False),
    ]:
        out.append((f"lesson: {key} = {str(value)[:40]}", L, {**LESSON, key: value}, ok))
    T = "track.schema.json"
    for phases, ok in [
        ([], False),
        ([{"title": "A", "lessons": []}], False),
        ([{"title": "A"}], False),
        ([{"lessons": ["a"]}], False),
        ([{"title": "A", "lessons": ["a"], "extra": 1}], False),
        ([{"title": "A", "lessons": ["Bad"]}], False),
        ([{"title": "A", "lessons": ["a-1", "b2"]}], True),
        ([{"title": "", "lessons": ["a"]}], False),
        ([{"title": "A", "lessons": "a"}], False),
        (["A"], False),
        ([{"title": "A", "lessons": [None]}], False),
        ([{"title": "A", "lessons": ["a"]}] * 201, False),
    ]:
        out.append((f"track: phases = {str(phases)[:50]}", T, {**TRACK, "phases": phases}, ok))
    R = "redirects.schema.json"
    for doc, ok in [
        ({}, True),
        ({"old-one": "a2"}, True),
        ({"old-one": "a2", "older": "a3"}, True),
        ({2019: "a2"}, True),
        ({"Old_One": "a2"}, False),
        ({"old-one": "A2"}, False),
        ({"old-one": None}, False),
        ({"old-one": ""}, False),
        ({"old-one": 2}, False),
        ({"old-one": ["a2"]}, False),
        ({"old-one": {"to": "a2"}}, False),
        ({"old-one": "a2\n"}, False),
        ({"old--one": "a2"}, False),
        ({"x" * 2001: "a2"}, False),
        (["old-one", "a2"], False),
        ("old-one a2", False),
    ]:
        out.append((f"redirects: {str(doc)[:50]}", R, doc, ok))
    return out


CASES = cases()


@pytest.mark.parametrize("name,doc,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_schema_agrees_with_validator(name, doc, expected):
    by_tracksite, by_editor = verdicts(name, doc)
    assert by_tracksite == by_editor, schema.findings(SPECS[name], Located(doc))
    if expected is not None:
        assert by_tracksite is expected


# Random documents: start from a valid one and replace or add values anywhere.
VALUES = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        1,
        7,
        600,
        601,
        999,
        1000,
        -3,
        2.5,
        "",
        " ",
        "x",
        "intro",
        "advanced",
        "heavy",
        "draft",
        "a-slug",
        "Bad Slug",
        "a/b",
        "a/b/c",
        "x" * 121,
        "x" * 301,
        [],
        ["x"],
        [""],
        ["a/b"],
        ["a-slug", "b"],
        [{"lesson": "a"}],
        [{"text": "t"}],
        [{"lesson": "a", "text": "t"}],
        [{}],
        {},
        {"read": 5},
        {"read": 5, "x": 1},
        [{"title": "A", "lessons": ["a"]}],
        [{"title": "A", "lessons": []}],
    ]
)
KEYS = st.sampled_from(sorted({*LESSON, *TRACK, "read", "practice", "lesson", "text", "lessons", "unknown"}))


@st.composite
def mutated(draw, base):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        containers = [doc]
        for v in doc.values():
            if isinstance(v, dict):
                containers.append(v)
            if isinstance(v, list):
                containers += [i for i in v if isinstance(i, dict)]
        target = draw(st.sampled_from(containers))
        if target and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(target)))
        else:
            key = draw(KEYS)
        if draw(st.integers(0, 5)) == 0:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(draw(VALUES))
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_documents_agree(data):
    name, base = data.draw(st.sampled_from([("lesson.schema.json", LESSON), ("track.schema.json", TRACK)]))
    doc = data.draw(mutated(base))
    by_tracksite, by_editor = verdicts(name, doc)
    assert by_tracksite == by_editor, (doc, schema.findings(SPECS[name], Located(doc)))


@pytest.mark.parametrize(
    "name,base,key,yaml_text,value",
    [
        ("lesson.schema.json", LESSON, "time", "time: {read: 5.0}", {"read": 5, "practice": None, "teach": None}),
        ("track.schema.json", TRACK, "number", "number: 1.0", 1),
        ("lesson.schema.json", LESSON, "title", "title: no", "no"),
        ("page.schema.json", PAGE, "title", "title: yes", "yes"),
        ("lesson.schema.json", LESSON, "credits", "credits: 2017-06-12", "2017-06-12"),
    ],
)
def test_editor_and_validator_read_yaml_alike(name, base, key, yaml_text, value):
    """Issue 18: `read: 5.0`, `number: 1.0` and `title: no` get one verdict, and the value the
    site uses is the one the editor shows."""
    parsed = parse(yaml_text).value[key]
    doc = {**base, key: parsed}
    assert verdicts(name, doc) == (True, True)
    assert schema.value(SPECS[name], doc, key) == value


def test_loader_uses_the_whole_number_and_the_text(tmp_path):
    import shutil

    from support.course import load

    root = tmp_path / "c"
    shutil.copytree(REPO / "lessons", root / "lessons")
    shutil.copytree(REPO / "cheatsheets", root / "cheatsheets")
    track = root / "lessons" / "transformers-and-llms" / "track.yml"
    track.write_text(track.read_text().replace("number: 5", "number: 5.0"))
    lesson = root / "lessons" / "transformers-and-llms" / "scaling-and-context" / "lesson.md"
    text = lesson.read_text()
    import re

    text = re.sub(r"\n  read: (\d+)", lambda m: f"\n  read: {m.group(1)}.0", text, count=1)
    lesson.write_text(text)
    project = load(root)
    assert not project.problems.errors, project.problems.errors
    t = project.curriculum.track("transformers-and-llms")
    assert t.number == 5 and type(t.number) is int
    assert type(project.curriculum.lesson("transformers-and-llms/scaling-and-context").read) is int


def test_redirects_are_read_by_the_schema(tmp_path):
    """redirects.read keeps the lines the schema accepts, and says where and what for the rest,
    with the slug it probably meant."""
    from tracksite.core.site import redirects

    (tmp_path / "redirects.yml").write_text("# moved\nold-one: a2\nOld_Two: a3\n2019: a4\nfour: Lesson_5\n")
    found, bad = redirects.read(tmp_path)
    assert [(r.old, r.new, r.line) for r in found] == [("old-one", "a2", 2), ("2019", "a4", 4)]
    assert [(f.line, f.field, f.hint) for f in bad] == [
        (3, "Old_Two", "did you mean 'old-two'?"),
        (5, "four", "did you mean 'lesson-5'?"),
    ]
    assert bad[0].message == "'Old_Two' is not a slug (lower-case letters, digits and hyphens)"


def test_slug_with_a_trailing_newline():
    doc = {**TRACK, "phases": [{"title": "A", "lessons": ["a1\n"]}]}
    assert verdicts("track.schema.json", doc) == (False, False)


def test_committed_schemas_are_fresh():
    folder = REPO / "scripts" / "tracksite" / "theme" / "schemas"
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(GENERATED), "run `tracksite schema`"
    for name, s in GENERATED.items():
        assert (folder / name).read_text(encoding="utf-8") == render(s), (
            f"tracksite/theme/schemas/{name} is stale: run `tracksite schema`"
        )
        jsonschema.Draft7Validator.check_schema(json.loads((folder / name).read_text(encoding="utf-8")))


def test_docs_check_fails_on_a_stale_table_and_write_fixes_it(tmp_path):
    """A freshness check of the guide: the raw docs/authoring.md holds the tables themselves."""

    root = tmp_path / "p"
    (root / "docs").mkdir(parents=True)
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "<!-- tracksite:fields lesson -->\n\n| key | required |" in guide  # readable on GitHub
    stale = guide.replace("| `difficulty` | no |", "| `difficulty` | yes |")
    assert stale != guide
    (root / "docs" / "authoring.md").write_text(stale, encoding="utf-8")

    def run(*a):
        return harness.tracksite("--root", str(root), *a)

    result = run("docs", "--check")
    assert result.returncode == 1 and "docs/authoring.md: out of date" in result.stderr
    assert run("docs", "--write").returncode == 0
    assert (root / "docs" / "authoring.md").read_text(encoding="utf-8") == guide
    assert run("docs", "--check").returncode == 0


def test_authoring_guide_tables_are_fresh():
    from tracksite.core.widgets import tables as fieldtables
    from tracksite.core.widgets.tables import fill

    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert fill(guide) == guide, "docs/authoring.md is stale: run `tracksite docs --write`"
    for name in fieldtables.SPECS:
        if name not in ("phase", "prerequisite", "time"):
            assert f"<!-- tracksite:fields {name} -->" in guide, name


def test_bundled_course_is_valid_for_editors():
    for track in sorted((REPO / "lessons").glob("*/track.yml")):
        VALIDATORS["track.schema.json"].validate(read_yaml(track).value)
    lessons = sorted((REPO / "lessons").glob("*/*/lesson.md"))
    assert lessons
    for path in lessons:
        VALIDATORS["lesson.schema.json"].validate(split_front_matter(path, read_text(path)).meta.value)


def test_vscode_settings_point_at_the_schemas():
    settings_ = json.loads((REPO / ".vscode" / "settings.json").read_text())
    mapping = settings_["yaml.schemas"]
    assert mapping == {
        "./scripts/tracksite/theme/schemas/track.schema.json": ["/lessons/*/track.yml"],
        "./scripts/tracksite/theme/schemas/redirects.schema.json": ["/lessons/*/redirects.yml"],
        "./scripts/tracksite/theme/schemas/glossary.schema.json": ["/lessons/*/glossary.yml"],
    }
    for schema_path in mapping:
        assert (REPO / schema_path).is_file()


# The YAML inside /// quiz, /// flashcards, /// attention and /// attention-steps blocks.
QUIZ = [
    {
        "question": "What does `cd ..` do?",
        "options": [
            {"text": "Moves up one folder", "correct": True, "explain": "`..` is the parent."},
            {"text": "Nothing", "explain": "It changes the working folder."},
        ],
    }
]
CARDS = [
    {"term": "Softmax", "answer": "Turns scores into weights that sum to 1."},
    {"term": "Token", "answer": "A unit of text."},
]
ATTENTION = {"data": "it-tired.json", "compare": "it-wide.json", "focus": "it", "target": "animal"}
STEPS = {
    "tokens": ["it", "animal"],
    "x": [[1, 0], [0, 1]],
    "w_q": [[1, 0], [0, 1]],
    "w_k": [[1, 0], [0, 1]],
    "w_v": [[1, 0], [0, 1]],
}
BLOCKS = {
    "quiz.schema.json": QUIZ,
    "flashcards.schema.json": CARDS,
    "attention.schema.json": ATTENTION,
    "attention-steps.schema.json": STEPS,
}


def _item_variants(item: dict, spec) -> list[tuple[str, dict, bool | None]]:
    """One mapping of a block with each field missing, empty, of every wrong type, and unknown keys."""
    out = []
    for f in spec.fields:
        out.append((f"without {f.name}", {k: v for k, v in item.items() if k != f.name}, not f.required))
        out.append((f"{f.name} empty", {**item, f.name: None}, None if not f.required else False))
        for wrong in WRONG_TYPES:
            out.append((f"{f.name} = {wrong!r}", {**item, f.name: wrong}, None))
    out.append(("unknown key", {**item, "explanation": "x"}, False))
    return out


def block_cases():
    out = [(f"{name}: valid", name, doc, True) for name, doc in BLOCKS.items()]
    for name, doc in (("quiz.schema.json", QUIZ), ("flashcards.schema.json", CARDS)):
        out += [
            (f"{name}: empty list", name, [], False),
            (f"{name}: a mapping", name, doc[0], False),
            (f"{name}: a string", name, "question", False),
            (f"{name}: a null item", name, [None], False),
        ]
    for label, question, ok in _item_variants(QUIZ[0], quiz_body.QUESTION):
        out.append((f"quiz question {label}", "quiz.schema.json", [question], ok))
    for label, option, ok in _item_variants(QUIZ[0]["options"][1], quiz_body.OPTION):
        out.append(
            (f"quiz option {label}", "quiz.schema.json", [{**QUIZ[0], "options": [QUIZ[0]["options"][0], option]}], ok)
        )
    for options, ok in [
        ([QUIZ[0]["options"][0]], False),
        ([dict(o, correct=False) for o in QUIZ[0]["options"]], False),
        ([QUIZ[0]["options"][0], dict(QUIZ[0]["options"][1], text="Moves up one folder")], False),
        ([dict(o, correct=True) for o in QUIZ[0]["options"]], True),
        (QUIZ[0]["options"] * 6, False),
    ]:
        out.append((f"quiz options {str(options)[:60]}", "quiz.schema.json", [{**QUIZ[0], "options": options}], ok))
    for label, card, ok in _item_variants(CARDS[0], flashcards_body.CARD):
        out.append((f"flashcard {label}", "flashcards.schema.json", [card, CARDS[1]], ok))
    out.append(
        ("flashcards: a term twice", "flashcards.schema.json", [CARDS[0], dict(CARDS[1], term="Softmax")], False)
    )
    for name, base, spec in (
        ("attention.schema.json", ATTENTION, attention_body.ATTENTION),
        ("attention-steps.schema.json", STEPS, steps_body.ATTENTION_STEPS),
    ):
        for label, doc, ok in _item_variants(base, spec):
            out.append((f"{name}: {label}", name, doc, ok))
    for data, ok in [
        ("it.yaml", True),
        ("it.YML", True),
        ("../it.json", False),
        ("/it.json", False),
        ("it.txt", False),
        ("https://x/it.json", False),
        ("a\\it.json", False),
    ]:
        out.append((f"attention data {data}", "attention.schema.json", {"data": data}, ok))
    return out


BLOCK_CASES = block_cases()


def block_verdict(name: str, doc) -> bool:
    """tracksite's verdict, asserting the editor's is the same, with one documented exception:
    JSON Schema cannot say "each term once" (no two items with the same value of a key), so a
    repeated flashcard term or option text is valid for the editor and an error for the checks
    (the schema's description says it; docs/authoring.md, "Checking as you type")."""
    by_tracksite, by_editor = verdicts(name, doc)
    findings = schema.findings(SPECS[name], Located(doc))
    if by_tracksite != by_editor:
        assert by_editor and all(
            f.hint and f.hint.startswith("each ") and f.hint.endswith(" once") for f in findings
        ), findings
    return by_tracksite


@pytest.mark.parametrize("name,doc,expected", [c[1:] for c in BLOCK_CASES], ids=[c[0] for c in BLOCK_CASES])
def test_block_schemas_agree_with_validator(name, doc, expected):
    verdict = block_verdict(name, doc)
    if expected is not None:
        assert verdict is expected


def test_a_repeated_term_is_the_only_thing_editors_miss():
    assert block_verdict("flashcards.schema.json", [CARDS[0], dict(CARDS[1], term="Softmax")]) is False
    assert verdicts("flashcards.schema.json", [CARDS[0], dict(CARDS[1], term="Softmax")]) == (False, True)
    described = json.dumps(GENERATED["flashcards.schema.json"]) + json.dumps(GENERATED["quiz.schema.json"])
    assert "each term once" in described and "each text once" in described


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_blocks_agree(data):
    """Quiz and flashcard bodies mutated anywhere: same verdict from both."""
    name = data.draw(st.sampled_from(["quiz.schema.json", "flashcards.schema.json"]))
    items = copy.deepcopy(BLOCKS[name])
    dicts = [d for item in items for d in [item, *item.get("options", [])]]
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(dicts))
        key = data.draw(st.sampled_from(sorted({*target, "correct", "text", "explain", "term", "answer", "other"})))
        target[key] = copy.deepcopy(data.draw(VALUES))
    block_verdict(name, items)


@pytest.mark.parametrize(
    "name,yaml_text",
    [
        (
            "quiz.schema.json",
            "- question: no\n  options:\n    - {text: yes, correct: true, explain: 1.0}\n    - {text: 5.0, explain: off}",
        ),
        (
            "quiz.schema.json",
            "- question: Q\n  options:\n    - {text: a, correct: yes, explain: e}\n    - {text: b, explain: e}",
        ),
        (
            "quiz.schema.json",
            "- question: Q\n  options:\n    - {text: a, correct: 1, explain: e}\n    - {text: b, explain: e}",
        ),
        ("flashcards.schema.json", "- {term: no, answer: 1.0}\n- {term: 5.0, answer: off}"),
        ("attention.schema.json", "data: it.json\nfocus: no\ntarget: 1.0"),
        ("attention-steps.schema.json", "tokens: [no, 1.0]\nx: [[1.0, 0], [0, 1]]\nw_q: [[1]]\nw_k: [[1]]\nw_v: [[1]]"),
    ],
)
def test_blocks_read_yaml_as_editors_do(name, yaml_text):
    """`no`, `yes`, `off` and `5.0` inside a block get one verdict from the editor and the checks."""
    doc = parse(yaml_text).value
    by_tracksite, by_editor = verdicts(name, doc)
    assert by_tracksite == by_editor, schema.findings(SPECS[name], Located(doc))
