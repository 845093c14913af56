"""What an instructor writes, described once in the schema language (tracksite.core.schemalang).

The validator, the loader's defaults, the page labels, the starter text of `tracksite new`, the
JSON Schemas for editors (`tracksite schema`) and the field tables of docs/authoring.md
(`tracksite docs --write`) all come from the descriptions below: adding a choice value or changing
a default is one edit here.
"""
from __future__ import annotations

import math
import re
from typing import Any

from tracksite.core.schemalang import (INVALID, Bool, Choice, Either, Field, ListOf, MapOf, Mapping, Minutes,
                                       Number, Real, Spec, Text, Whole, read, unique)
from tracksite.core.yamlsafe import Located

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
REF_RE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
TRACK_REF_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")


def slugify(text: str) -> str:
    """The slug nearest to what was written (`Old_One` -> `old-one`), offered as "did you mean"."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


_SLUG = dict(pattern=SLUG_RE, pattern_help="a slug (lower-case letters, digits and hyphens)", suggest=slugify)

DIFFICULTY = Choice(values=("intro", "standard", "advanced"), help="How demanding the lesson is.",
                    labels=(("intro", "Introductory"),))
MATH = Choice(values=("none", "light", "heavy"), help="How much mathematics the lesson uses.",
              labels=(("none", "No math"), ("light", "Light math"), ("heavy", "Math-heavy")))
STATUSES = ("published", "draft")

PREREQUISITE = Mapping(
    help="A lesson to read first (`lesson: slug` or `lesson: track/slug`) or free text (`text: ...`).",
    name="`{lesson: ref}` or `{text: ...}`",
    fields=(
        Field("lesson", Text(help="Slug of a lesson in this track, or track/slug.", pattern=REF_RE,
                             pattern_help="a lesson slug or track/slug")),
        Field("text", Text(help="A prerequisite that is not a lesson.")),
    ),
    exactly_one_of=("lesson", "text"),
)

TIME = Mapping(
    help="Minutes a learner needs.",
    name="`{read: minutes, practice: minutes}`",
    fields=(
        Field("read", Minutes(help="Reading time in minutes; kept within 30% of the estimate from the prose (200 words a minute, plus time per formula)."), required=True, example="read: 8", note="minutes at 200 words a minute; tracksite check says when it is off"),
        Field("practice", Minutes(help="Minutes for the practice section."), example="practice: 10", note="minutes for the Practice section"),
    ),
)

LESSON = Mapping(
    help="Front-matter of lessons/<track>/<lesson>/lesson.md",
    name="lesson front-matter",
    fields=(
        Field("title", Text(help="The lesson's title.", max_length=120), required=True, example="title: Loops, in brief"),
        Field("summary", Text(help="One sentence; shown on the track page and used as the meta description.", max_length=300), required=True, example="summary: One sentence on what the learner gets from this lesson."),
        Field("objectives", ListOf(item=Text(max_length=300), min_items=1, help="What a learner can do by the end (\"By the end, you'll be able to\")."), required=True, example="objectives:\n  - explain ...", note="what a learner can do by the end; the quiz and flashcards practise each"),
        Field("questions", ListOf(item=Text(max_length=300), min_items=1, max_items=6, help="The questions the lesson answers, shown at its top (\"Questions this lesson answers\")."), example="questions:\n  - Which problem does this idea solve?", note="the questions the lesson answers, shown at its top"),
        Field("keypoints", ListOf(item=Text(max_length=400), min_items=1, max_items=8, help="What to remember, shown at the foot of the lesson and gathered on the track's Key points page."), example="keypoints:\n  - The one idea to remember from this lesson.", note="what to remember, shown at the foot of the lesson"),
        Field("prerequisites", ListOf(item=PREREQUISITE, help="What to know first: lessons (linked) or text."), example="prerequisites:\n  - lesson: earlier-lesson\n  - text: Comfort with vectors and dot products", note="what to know first: a lesson (slug, or track/slug) or free text"),
        Field("time", TIME, required=True, example="time: {read: 8, practice: 10}"),
        Field("difficulty", DIFFICULTY, default="standard"),
        Field("math", MATH, default="none"),
        Field("deep_dives", ListOf(item=Text(pattern=TRACK_REF_RE, pattern_help="a track/lesson reference"), help="Lessons of other tracks that go deeper: a \"Go deeper\" box."), example="deep_dives:\n  - other-track/lesson-slug", note="lessons of other tracks that go deeper, as track/slug"),
        Field("credits", Text(help="Source attribution shown at the foot of the lesson.", max_length=1000), example="credits: Sources this lesson draws on, shown at its foot."),
        Field("status", Choice(values=STATUSES, help="Drafts show under `mkdocs serve` only."), default="published", note="a draft is shown by `mkdocs serve` only: delete this line to publish"),
    ),
)

PHASE = Mapping(
    help="A named group of lessons, in order.",
    name="phase",
    fields=(
        Field("title", Text(help="The phase's title.", max_length=120), required=True),
        Field("lessons", ListOf(item=Text(**_SLUG), min_items=1, help="Lesson slugs in order: the only source of lesson numbers."), required=True),
    ),
)

TRACK = Mapping(
    help="lessons/<track>/track.yml: track metadata and lesson order.",
    name="track.yml",
    fields=(
        Field("number", Number(help="The track's number, unique in the course."), required=True, example="number: 4"),
        Field("title", Text(help="The track's title.", max_length=120), required=True),
        Field("summary", Text(help="One or two sentences for the home page.", max_length=400), required=True),
        Field("phases", ListOf(item=PHASE, min_items=1, help="Phases in order, each with its lessons."), required=True),
    ),
)

PAGE = Mapping(
    help="Optional front-matter of overview.md and cheatsheet files.",
    name="page front-matter",
    fields=(Field("title", Text(help="Overrides the page's title.", max_length=120)),),
)

# docs/ pages: the Material keys a guide page may use. `template` must also name a template of
# the theme or of overrides/ (checked by checks/docs_pages.py, which knows the theme's folders).
DOCS_PAGE = Mapping(
    help="Optional front-matter of the Markdown pages under docs/ (guides).",
    name="docs page front-matter",
    fields=(
        Field("title", Text(help="The page's title (else its first heading).", max_length=120)),
        Field("description", Text(help="The meta description.", max_length=300)),
        Field("template", Text(help="A template of the theme or of overrides/, e.g. main.html.", max_length=120)),
        Field("hide", ListOf(item=Choice(values=("navigation", "toc", "footer", "path", "tags", "feedback")),
                             help="Parts of the page the theme leaves out.")),
        Field("icon", Text(help="A Material icon shown in the navigation, e.g. material/book.", max_length=120)),
        Field("subtitle", Text(help="A line under the title in the navigation.", max_length=120)),
        Field("status", Text(help="A Material page status (new, deprecated).", max_length=40)),
    ),
)


REDIRECTS = MapOf(
    help="lessons/<track>/redirects.yml: old lesson addresses that keep working after a rename.",
    name="`old-slug: new-slug`",
    key=Text(**_SLUG, help="The lesson's old slug."),
    value=Text(**_SLUG, help="The lesson the old address leads to: a lesson slug of this track."),
)


# -- widget bodies ----------------------------------------------------------------------------
# Widget texts keep a number as written (`text: 42` is the option "42"), so an answer can be one.

def _one_correct(options, path, ctx):
    if not any(o["correct"] for o in options):
        ctx.report(path, "no correct option", "mark at least one option with 'correct: true'")


OPTION = Mapping(
    help="One answer to choose: its text, whether it is right, and why.",
    name="option",
    fields=(
        Field("text", Text(numbers=True, max_length=500, help="What the learner picks (inline Markdown)."), required=True, example="text: A softmax over the scores"),
        Field("correct", Bool(help="Whether this option is right; at least one per question is."), default=False),
        Field("explain", Text(numbers=True, help="Why the option is right or wrong, shown after answering."), required=True, example="explain: Each row of weights sums to 1."),
    ),
)

QUESTION = Mapping(
    help="A question and its options.",
    name="question",
    fields=(
        Field("question", Text(numbers=True, max_length=1000, help="The question (inline Markdown)."), required=True, example="question: What turns scores into weights?"),
        Field("options", ListOf(item=OPTION, min_items=2, max_items=12, noun="option",
                                help="Two or more options, at least one correct, each text once.",
                                rules=(unique("text", "option text", "option"), _one_correct),
                                json_extra={"contains": {"required": ["correct"], "properties": {"correct": {"const": True}}}}),
              required=True),
    ),
)

QUIZ = ListOf(item=QUESTION, min_items=1, max_items=50, noun="question",
              help="The body of a `/// quiz` block: a list of questions.")

CARD = Mapping(
    help="A flashcard: a term and what it means.",
    name="card",
    fields=(
        Field("term", Text(numbers=True, max_length=300, help="The front of the card."), required=True, example="term: Softmax"),
        Field("answer", Text(numbers=True, help="The back of the card."), required=True, example="answer: Turns scores into weights that sum to 1."),
    ),
)

FLASHCARDS = ListOf(item=CARD, min_items=1, max_items=100, noun="card", rules=(unique("term", "term", "card"),),
                    help="The body of a `/// flashcards` block: a list of cards, each term once "
                         "(or a Markdown definition list).")

DATA_FILE_RE = re.compile(r"^(?![/\\])(?!.*\.\.)(?!.*\\)(?!.*://)[^\n]*\.(?:[jJ][sS][oO][nN]|[yY][aA]?[mM][lL])$")
_DATA_FILE = dict(pattern=DATA_FILE_RE, pattern_help="a .json, .yaml or .yml file beside the lesson, e.g. it-tired.json")

ATTENTION = Mapping(
    help="The body of an `/// attention` block: which data file to draw, and what to point at.",
    name="attention",
    fields=(
        Field("data", Text(**_DATA_FILE, help="The data file `tracksite attention` wrote, beside lesson.md."), required=True, example="data: it-tired.json"),
        Field("compare", Text(**_DATA_FILE, help="A second data file from the same model: a minimal pair.")),
        Field("focus", Text(numbers=True, max_length=100, help="The token whose attention opens the widget.")),
        Field("target", Text(numbers=True, max_length=100, help="The token it should attend to: opens on the head that attends most.")),
    ),
)

MAX_FINDINGS_PER_FILE = 12


class Weights(Spec):
    """weights[layer][head][query][key]: every layer the same number of heads, every head a
    square of rows, every row a softmax output (numbers from 0 to 1 summing to 1)."""

    def _read(self, value, path, ctx):
        before = len(ctx.findings)

        def bad(p, message):
            if len(ctx.findings) - before < MAX_FINDINGS_PER_FILE:
                ctx.report(path + p, message)

        if not isinstance(value, list) or not value:
            bad((), "expected weights[layer][head][query][key]: a list of at least one layer")
            return INVALID
        heads = len(value[0]) if isinstance(value[0], list) else None
        for li, layer in enumerate(value):
            if not isinstance(layer, list) or not layer:
                bad((li,), f"layer {li + 1}: expected a list of at least one head")
            elif len(layer) != heads:
                bad((li,), f"layer {li + 1} has {len(layer)} heads, layer 1 has {heads}: every layer needs the same number")
            else:
                for hi, head in enumerate(layer):
                    self._head(head, (li, hi), bad)
        return value if len(ctx.findings) == before else INVALID

    @staticmethod
    def _head(head, p, bad):
        where = f"layer {p[0] + 1}, head {p[1] + 1}"
        if not isinstance(head, list) or not head:
            bad(p, f"{where}: expected one row per token")
            return
        n = max((len(r) for r in head if isinstance(r, list)), default=len(head))  # tokens, as most rows say
        if len(head) != n:
            bad(p, f"{where}: expected {n} rows (one per token, as many as each row has weights), found {len(head)}")
            return
        for qi, row in enumerate(head):
            if not isinstance(row, list) or len(row) != n:
                bad(p + (qi,), f"{where}, query {qi + 1}: expected {n} weights (one per token)")
            elif not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: every weight must be a number")
            elif any(w < 0 or w > 1 for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: weights must lie between 0 and 1")
            elif abs(sum(row) - 1) > 1e-3:
                bad(p + (qi,), f"{where}, query {qi + 1}: weights sum to {sum(row):.4f}; expected 1 (within 0.001): "
                               "each row is a softmax output")

    def _json(self):
        row = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 1}
        return {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {
            "type": "array", "minItems": 1, "items": row}}}

    def describe(self):
        return "weights[layer][head][query][key], each row summing to 1"


def _fits_tokens(data, path, ctx):
    n = len(data["tokens"])
    if len(data["weights"][0][0]) != n:
        ctx.report(path + ("weights",), f"each head has {len(data['weights'][0][0])} rows; expected {n}, one per token")
    words = data["words"]
    if words and [i for w in words for i in w] != list(range(n)):
        ctx.report(path + ("words",), "expected words as lists of token indices covering every token once, in order, "
                                      "e.g. [[0], [1], [2, 3]]", f"token indices run from 0 to {n - 1}")


ATTENTION_DATA = Mapping(
    help="An attention data file (JSON or YAML) beside the lesson, as `tracksite attention` writes it.",
    name="attention data",
    rules=(_fits_tokens,),
    fields=(
        Field("sentence", Text(help="The sentence, as written."), required=True),
        Field("tokens", ListOf(item=Text(max_length=100), min_items=1, max_items=512, noun="token",
                               help="The tokens, as the model's tokenizer split the sentence."), required=True),
        Field("words", ListOf(item=ListOf(item=Whole(minimum=0, maximum=511), min_items=1, noun="index"), noun="word",
                              help="Which tokens make each word, e.g. [[0], [1], [2, 3]].")),
        Field("weights", Weights(help="weights[layer][head][query][key]: each row a softmax output."), required=True),
        Field("source", Either(options=(Text(), MapOf(key=Text(max_length=100), value=Text(numbers=True), name="a mapping"))),
              required=True, example="source: {model: ..., package: ..., package_version: ..., tokenizer: ...}"),
        Field("label", Text(max_length=60, help="A short label for the widget's sentence switch, e.g. tired.")),
    ),
)

MAX_STEP_TOKENS = 12
MAX_STEP_DIM = 12


def _rectangular(rows, path, ctx):
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            ctx.report(path + (i,), f"row {i + 1} has {len(row)} entries, row 1 has {width}: every row needs the same length")
            return


def _matrix(help: str) -> ListOf:
    return ListOf(item=ListOf(item=Real(), min_items=1, max_items=MAX_STEP_DIM, noun="entry"), min_items=1,
                  max_items=MAX_STEP_TOKENS, noun="row", rules=(_rectangular,), help=help)


ATTENTION_STEPS = Mapping(
    help="The body of an `/// attention-steps` block: tokens, embeddings and weight matrices; "
         "the page computes Q, K, V, the scores, the softmax and the output.",
    name="attention-steps",
    fields=(
        Field("tokens", ListOf(item=Text(numbers=True, max_length=40), min_items=1, max_items=MAX_STEP_TOKENS, noun="token",
                               help="The tokens, e.g. [it, animal]."), required=True, example="tokens: [it, animal]"),
        Field("x", _matrix("One embedding row per token."), required=True, example="x: [[1, 0], [0, 1]]"),
        Field("w_q", _matrix("Query weights: d_model rows (the width of x)."), required=True),
        Field("w_k", _matrix("Key weights: d_model rows and d_k columns, like w_q."), required=True),
        Field("w_v", _matrix("Value weights: d_model rows (the width of x)."), required=True),
    ),
)

TERM = Mapping(
    help="One glossary term of the track.",
    name="term",
    fields=(
        Field("term", Text(help="The term as learners read it; a plural (-s, -es) counts as a use too.", max_length=80),
              required=True, example="term: Attention weight"),
        Field("definition", Text(help="One or two sentences, shown in the tooltip and on the glossary page.",
                                 max_length=400), required=True, example="definition: How much one token draws on another."),
        Field("aliases", ListOf(item=Text(max_length=80), help="Other spellings or forms that also count as a use.")),
        Field("lesson", Text(help="The lesson that teaches the term (\"taught in\"): a slug of this track, or track/slug.",
                             pattern=REF_RE, pattern_help="a lesson slug or track/slug"), required=True,
              example="lesson: attention-and-transformers"),
        Field("introduced", Text(help="An earlier lesson of this track that names the term briefly before `lesson` "
                                      "teaches it: uses from that lesson on are expected, not warned about.",
                                 pattern=SLUG_RE, pattern_help="a lesson slug of this track")),
    ),
)

GLOSSARY = Mapping(
    help="lessons/<track>/glossary.yml: the track's terms, each defined once.",
    name="glossary.yml",
    fields=(Field("terms", ListOf(item=TERM, min_items=1, max_items=500, help="The terms, in any order (the glossary page sorts them)."),
                  required=True, example="terms:\n  - term: Token\n    definition: ...\n    lesson: tokens-and-embeddings"),),
)


#: Every description with a field table in the authoring guide (`<!-- tracksite:fields NAME -->`).
SPECS: dict[str, Mapping] = {
    "lesson": LESSON, "track": TRACK, "phase": PHASE, "prerequisite": PREREQUISITE, "time": TIME, "page": PAGE,
    "docs": DOCS_PAGE,
    "quiz-question": QUESTION, "quiz-option": OPTION, "flashcard": CARD, "attention": ATTENTION,
    "attention-steps": ATTENTION_STEPS,
    "glossary": GLOSSARY, "term": TERM,
}

#: The JSON Schemas editors use: file name, description, title.
EDITOR_SCHEMAS: tuple[tuple[str, Spec, str], ...] = (
    ("lesson.schema.json", LESSON, "tracksite lesson front-matter (lessons/<track>/<lesson>/lesson.md)"),
    ("track.schema.json", TRACK, "tracksite track (lessons/<track>/track.yml)"),
    ("page.schema.json", PAGE, "tracksite overview and cheatsheet front-matter (optional)"),
    ("redirects.schema.json", REDIRECTS, "tracksite redirects (lessons/<track>/redirects.yml)"),
    ("quiz.schema.json", QUIZ, "tracksite /// quiz block body"),
    ("flashcards.schema.json", FLASHCARDS, "tracksite /// flashcards block body"),
    ("attention.schema.json", ATTENTION, "tracksite /// attention block body"),
    ("attention-steps.schema.json", ATTENTION_STEPS, "tracksite /// attention-steps block body"),
    ("attention-data.schema.json", ATTENTION_DATA, "tracksite attention data file (beside lesson.md)"),
    ("glossary.schema.json", GLOSSARY, "tracksite glossary (lessons/<track>/glossary.yml)"),
)


def value(spec: Mapping, data: Any, name: str) -> Any:
    """`data[name]` if it is valid for the field, else the field's default: what the loader and
    the pages use, so a problem reported by `check` never crashes the build."""
    f = spec.by_name()[name]
    raw = data.get(name) if isinstance(data, dict) else None
    if raw is None:
        return f.default
    out, problems = read(f.spec, raw)
    return f.default if out is INVALID else out


def label(spec: Mapping, name: str, value_: str) -> str:
    """What a page shows for a choice (difficulty `intro` -> "Introductory")."""
    choice = spec.by_name()[name].spec
    assert isinstance(choice, Choice)
    return choice.label(value_)


def validate(spec: Spec, located: Located) -> list[tuple[int | None, str, str, str | None]]:
    """Check a located document; returns (line, field, message, hint) for every problem."""
    _, found = read(spec, located.value, located.lines)
    return [(f.line, f.field or "", f.message, f.hint) for f in found]
