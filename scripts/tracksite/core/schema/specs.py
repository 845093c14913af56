"""What an instructor writes, described once in the schema language (tracksite.core.schema.language).

The validator, the loader's defaults, the page labels, the starter text of `tracksite new`, the
JSON Schemas for editors (`tracksite schema`) and the field tables of docs/authoring.md
(`tracksite docs --write`) all come from the descriptions below: adding a choice value or changing
a default is one edit here.
"""

from __future__ import annotations

import re
from typing import Any

from tracksite.core import widgetregistry as W
from tracksite.core.schema.choices import BrokenLinks, Difficulty, MathLevel, PracticeRule, Status, TrackStage
from tracksite.core.schema.language import (
    INVALID,
    Bool,
    Choice,
    Field,
    ListOf,
    MapOf,
    Mapping,
    Minutes,
    Number,
    Spec,
    Text,
    read,
)
from tracksite.core.schema.remote import REMOTE_FILE, REMOTE_FILES  # remote-files.yml
from tracksite.core.yaml.safe import Located

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
REF_RE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
TRACK_REF_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
#: A prerequisite's `link:`: a web address, or a Markdown page of docs/ (a path, no "..").
LINK_RE = re.compile(r"^(?:https?://[^\s]+|(?!/)(?!.*\.\.)[\w./-]+\.md)$(?!\n)")


def slugify(text: str) -> str:
    """The slug nearest to what was written (`Old_One` -> `old-one`), offered as "did you mean"."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


_SLUG: dict[str, Any] = dict(
    pattern=SLUG_RE, pattern_help="a slug (lower-case letters, digits and hyphens)", suggest=slugify
)

DIFFICULTY = Choice(kind=Difficulty, help="How demanding the lesson is.", labels=(("intro", "Introductory"),))
MATH = Choice(
    kind=MathLevel,
    help="How much mathematics the lesson uses.",
    labels=(("none", "No math"), ("light", "Light math"), ("heavy", "Math-heavy")),
)
EXPECTED_PRACTICE = (W.QUIZ.name, W.FLASHCARDS.name, "solutions")

PREREQUISITE = Mapping(
    help="A lesson to read first (`lesson: slug` or `lesson: track/slug`) or free text (`text: ...`).",
    name="`{lesson: ref}` or `{text: ...}`",
    fields=(
        Field(
            "lesson",
            Text(
                help="Slug of a lesson in this track, or track/slug.",
                pattern=REF_RE,
                pattern_help="a lesson slug or track/slug",
            ),
        ),
        Field("text", Text(help="A prerequisite that is not a lesson.")),
        Field(
            "link",
            Text(
                help="With `text:`, where a newcomer learns it: a page of the course's docs/ (`basics.md`) or a web "
                "address (`https://...`); the text is shown as a link to it.",
                pattern=LINK_RE,
                pattern_help="a docs/ page (`basics.md`) or a web address (`https://...`)",
            ),
        ),
    ),
    exactly_one_of=("lesson", "text"),
)

TIME = Mapping(
    help="Minutes a learner needs.",
    name="`{read: minutes, practice: minutes}`",
    fields=(
        Field(
            "read",
            Minutes(
                help="Reading time in minutes; kept within 30% of the estimate from the prose (200 words a minute, plus time per formula)."
            ),
            required=True,
            example="read: 8",
            note="minutes at 200 words a minute; tracksite check says when it is off",
        ),
        Field(
            "practice",
            Minutes(help="Minutes for the practice section."),
            example="practice: 10",
            note="minutes for the Practice section",
        ),
        Field(
            "teach",
            Minutes(
                help="Minutes an instructor plans to teach the lesson in a workshop (an imported Carpentries "
                "episode's `teaching:`); the lesson's time is then teaching and practice, not reading and practice."
            ),
            example="teach: 40",
            note="workshop teaching minutes; header, track page and schedule count them instead of reading time",
        ),
    ),
)

DATED_FACTS = Field(
    "dated_facts",
    Bool(
        help="This page is the course's place for facts that date (`as of 2026`, `the largest models`): "
        "the dated-phrase warning leaves it alone, so such snapshots are kept, and updated, in one place."
    ),
    default=False,
    example="dated_facts: true",
    note="the course's place for facts that date: no dated-phrase warning here",
)

LESSON = Mapping(
    help="Front-matter of lessons/<track>/<lesson>/lesson.md",
    name="lesson front-matter",
    fields=(
        Field(
            "title", Text(help="The lesson's title.", max_length=120), required=True, example="title: Loops, in brief"
        ),
        Field(
            "summary",
            Text(help="One sentence; shown on the track page and used as the meta description.", max_length=300),
            required=True,
            example="summary: One sentence on what the learner gets from this lesson.",
        ),
        Field(
            "objectives",
            ListOf(
                item=Text(max_length=300),
                min_items=1,
                help='What a learner can do by the end ("By the end, you\'ll be able to").',
            ),
            required=True,
            example="objectives:\n  - explain ...",
            note="what a learner can do by the end; the quiz and flashcards practise each",
        ),
        Field(
            "questions",
            ListOf(
                item=Text(max_length=300),
                min_items=1,
                max_items=6,
                help='The questions the lesson answers, shown at its top ("Questions this lesson answers").',
            ),
            example="questions:\n  - Which problem does this idea solve?",
            note="the questions the lesson answers, shown at its top",
        ),
        Field(
            "keypoints",
            ListOf(
                item=Text(max_length=400),
                min_items=1,
                max_items=8,
                help="What to remember, shown at the foot of the lesson and gathered on the track's Key points page.",
            ),
            example="keypoints:\n  - The one idea to remember from this lesson.",
            note="what to remember, shown at the foot of the lesson",
        ),
        Field(
            "prerequisites",
            ListOf(item=PREREQUISITE, help="What to know first: lessons (linked) or text."),
            example="prerequisites:\n  - lesson: earlier-lesson\n  - text: Comfort with vectors and dot products",
            note="what to know first: a lesson (slug, or track/slug) or free text",
        ),
        Field("time", TIME, required=True, example="time: {read: 8, practice: 10}"),
        Field("difficulty", DIFFICULTY, default=Difficulty.STANDARD),
        Field("math", MATH, default=MathLevel.NONE),
        Field(
            "deep_dives",
            ListOf(
                item=Text(pattern=TRACK_REF_RE, pattern_help="a track/lesson reference"),
                help='Lessons of other tracks that go deeper: a "Go deeper" box.',
            ),
            example="deep_dives:\n  - other-track/lesson-slug",
            note="lessons of other tracks that go deeper, as track/slug",
        ),
        Field(
            "credits",
            Text(help="Source attribution shown at the foot of the lesson.", max_length=1000),
            example="credits: Sources this lesson draws on, shown at its foot.",
        ),
        Field(
            "status",
            Choice(kind=Status, help="Drafts show under `mkdocs serve` only."),
            default=Status.PUBLISHED,
            note="a draft is shown by `mkdocs serve` only: delete this line to publish",
        ),
        DATED_FACTS,
    ),
)

PHASE = Mapping(
    help="A named group of lessons, in order.",
    name="phase",
    fields=(
        Field("title", Text(help="The phase's title.", max_length=120), required=True),
        Field(
            "lessons",
            ListOf(item=Text(**_SLUG), min_items=1, help="Lesson slugs in order: the only source of lesson numbers."),
            required=True,
        ),
    ),
)

PRACTICE = Choice(
    kind=PracticeRule,
    help="How `tracksite check` treats a lesson objective that no practice touches: `suggested`, a "
    "warning (quiz questions, exercises and flashcards count); `required`, an error (only quiz "
    "questions and exercises count, since a flashcard recalls and does not check).",
)

IMPORTED = Mapping(
    help="Set by `tracksite import` on a track it imported: where the lesson came from, and how "
    "`tracksite check` treats the lesson's own broken links (an anchor that was a typo upstream).",
    name="imported",
    fields=(
        Field(
            "source", Text(help="The lesson the track was imported from: its address or folder name.", max_length=300)
        ),
        Field(
            "broken_links",
            Choice(
                kind=BrokenLinks,
                help="How check treats a link to a heading the target page lacks: `warning` (TS308) or `error` (TS302).",
            ),
            default=BrokenLinks.WARNING,
            example="imported:\n  broken_links: error",
            note="`warning`: a link to an anchor the page lacks is a warning (TS308); `error` makes it TS302",
        ),
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
        Field(
            "expects",
            ListOf(
                item=Choice(values=EXPECTED_PRACTICE),
                help=(
                    "The practice every lesson of the track is expected to have: `quiz`, `flashcards` (objectives no quiz "
                    "or flashcard practises are warned about) and `solutions` (an exercise without one is warned about). "
                    "An empty list expects none, e.g. for a lesson imported from a format without quizzes."
                ),
            ),
            default=list(EXPECTED_PRACTICE),
            example="expects: [solutions]",
            note="the practice each lesson should have; check warns about what is missing",
        ),
        Field(
            "practice",
            PRACTICE,
            default=PracticeRule.SUGGESTED,
            example="practice: required",
            note="`required`: an objective no quiz question or exercise practises is an error",
        ),
        Field(
            "language",
            Text(
                help=(
                    "The track's language when it differs from the course's (`theme.language`), as a language tag "
                    "(`es`, `pt-BR`): its pages carry it as `lang`, its interface strings come from that language's "
                    "catalogue and search stems its words in it. `tracksite import` sets it from a lesson's `lang:`."
                ),
                pattern=re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}$"),
                max_length=35,
                pattern_help="a language tag such as `es` or `pt-BR`",
            ),
            example="language: es",
            note="the track's language when it is not the course's; pages get `lang` and a translated interface",
        ),
        Field(
            "stage",
            Choice(
                kind=TrackStage,
                labels=(("pre-alpha", "Pre-alpha"),),
                help=(
                    "How finished the track is, in the stages of the Carpentries' lesson life cycle: `pre-alpha` "
                    "(written, not yet taught), `alpha` (taught once, being revised), `beta` (ready for other "
                    "instructors) or `stable`. The track's page and its card on the home page show it; "
                    "`tracksite import carpentries` sets it from a lesson's `life_cycle:`."
                ),
            ),
            example="stage: beta",
            note="shown on the track's page and on the home page; leave it out for a finished track",
        ),
        Field(
            "imported",
            IMPORTED,
            example="imported:\n  source: https://github.com/swcarpentry/git-novice\n  broken_links: warning",
            note="written by `tracksite import`; `broken_links: error` makes the lesson's own broken anchors errors",
        ),
    ),
)

PAGE = Mapping(
    help="Optional front-matter of overview.md and cheatsheet files.",
    name="page front-matter",
    fields=(Field("title", Text(help="Overrides the page's title.", max_length=120)), DATED_FACTS),
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
        Field(
            "hide",
            ListOf(
                item=Choice(values=("navigation", "toc", "footer", "path", "tags", "feedback")),
                help="Parts of the page the theme leaves out.",
            ),
        ),
        Field("icon", Text(help="A Material icon shown in the navigation, e.g. material/book.", max_length=120)),
        Field("subtitle", Text(help="A line under the title in the navigation.", max_length=120)),
        Field("status", Text(help="A Material page status (new, deprecated).", max_length=40)),
        Field(
            "audience",
            Choice(
                values=("learners", "instructors"),
                help="`instructors`: the page is in the instructor view only (`tracksite build --instructor`), "
                "never on the learner site; an imported lesson's instructors/ pages say so.",
            ),
        ),
        DATED_FACTS,
    ),
)


REDIRECTS = MapOf(
    help="lessons/<track>/redirects.yml: old lesson addresses that keep working after a rename.",
    name="`old-slug: new-slug`",
    key=Text(**_SLUG, help="The lesson's old slug."),
    value=Text(**_SLUG, help="The lesson the old address leads to: a lesson slug of this track."),
)


TERM = Mapping(
    help="One glossary term of the track.",
    name="term",
    fields=(
        Field(
            "term",
            Text(help="The term as learners read it; a plural (-s, -es) counts as a use too.", max_length=80),
            required=True,
            example="term: Attention weight",
        ),
        Field(
            "definition",
            Text(help="One or two sentences, shown in the tooltip and on the glossary page.", max_length=400),
            required=True,
            example="definition: How much one token draws on another.",
        ),
        Field("aliases", ListOf(item=Text(max_length=80), help="Other spellings or forms that also count as a use.")),
        Field(
            "lesson",
            Text(
                help='The lesson that teaches the term ("taught in"): a slug of this track, or track/slug.',
                pattern=REF_RE,
                pattern_help="a lesson slug or track/slug",
            ),
            required=True,
            example="lesson: attention-and-transformers",
        ),
        Field(
            "introduced",
            Text(
                help="An earlier lesson of this track that names the term briefly before `lesson` "
                "teaches it (or, when `lesson` is in another track, the lesson of this track that "
                "explains it first): uses from that lesson on are expected, not warned about.",
                pattern=SLUG_RE,
                pattern_help="a lesson slug of this track",
            ),
        ),
    ),
)

GLOSSARY = Mapping(
    help="lessons/<track>/glossary.yml: the track's terms, each defined once.",
    name="glossary.yml",
    fields=(
        Field(
            "terms",
            ListOf(
                item=TERM, min_items=1, max_items=500, help="The terms, in any order (the glossary page sorts them)."
            ),
            required=True,
            example="terms:\n  - term: Token\n    definition: ...\n    lesson: tokens-and-embeddings",
        ),
    ),
)


#: Every description with a field table in the authoring guide (`<!-- tracksite:fields NAME -->`),
#: besides the widget bodies' (core/widgets/bodies.py, TABLES).
SPECS: dict[str, Mapping] = {
    "lesson": LESSON,
    "track": TRACK,
    "phase": PHASE,
    "prerequisite": PREREQUISITE,
    "time": TIME,
    "page": PAGE,
    "docs": DOCS_PAGE,
    "glossary": GLOSSARY,
    "term": TERM,
    "remote-files": REMOTE_FILES,
    "remote-file": REMOTE_FILE,
}

#: The JSON Schemas editors use: file name, description, title; the widget bodies' and their data files' follow
#: (core/widgets/bodies.py, EDITOR_SCHEMAS; commands/editor_schema.py joins the two).
EDITOR_SCHEMAS: tuple[tuple[str, Spec, str], ...] = (
    ("lesson.schema.json", LESSON, "tracksite lesson front-matter (lessons/<track>/<lesson>/lesson.md)"),
    ("track.schema.json", TRACK, "tracksite track (lessons/<track>/track.yml)"),
    ("page.schema.json", PAGE, "tracksite overview and cheatsheet front-matter (optional)"),
    ("redirects.schema.json", REDIRECTS, "tracksite redirects (lessons/<track>/redirects.yml)"),
    ("glossary.schema.json", GLOSSARY, "tracksite glossary (lessons/<track>/glossary.yml)"),
    ("remote-files.schema.json", REMOTE_FILES, "tracksite remote files (remote-files.yml, beside mkdocs.yml)"),
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


def findings(spec: Spec, located: Located) -> list:
    """Check a located document; every problem as a `Finding`, with its problem code."""
    return read(spec, located.value, located.lines)[1]
