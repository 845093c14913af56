"""Every widget block of tracksite, declared once.

A widget is a `/// name` block an instructor writes in a page. What the rest of the program
needs to know about it is stated here and nowhere else: the block's name, whether its body is
YAML data (taken literally, never read as Markdown), whether its text is learner prose (the
glossary links terms in it, reading time counts it), the class of its rendered root element, the
scripts and stylesheets it needs, whether it checks the learner's answer, and
the schema of its body for editors. The validation (`core/widgets/validate.py`), the block syntax
(`core/markdown/blocks.py`), the glossary and term linking (`core/learning/glossary.py`, `core/learning/termlinks.py`),
the objectives' coverage (`core/learning/coverage.py`), the exercise pack (`core/site/trackpages.py`), the
scripts and stylesheets a page that shows the widget links (`theme/__init__.py`,
`adapter/published/widgetassets.py`) and the Markdown extension (`adapter/blocks/`) all read this module.

Where a widget lives is stated here too, as a name: its folder under `core/widgets/` (`home`),
which holds its block (`block.py`, the pymdownx block that draws it and gives an export its
data), and for a data body its description, ending with the `SHAPES` from which
core/model/generate.py writes its dataclasses below it, and its parser (all in `body.py`, ending
with a `BODY`), and the pass the
check runs on it (`check.py`, ending with a `PASS`) when the entry says `check`; beside that
folder, its script and stylesheet (`assets`: in its folder, published at the address the entry
names, `assets/tracksite/predict.js`: `home_asset_files()`; the shared runtime every page links,
widgets.js, under `theme/assets/`), its editors' schema under `theme/schemas/`
(`schema_file`) and its benchmark under `tools/bench/` (`bench`). Each layer loads the modules
of a widget's folder by that name (the Markdown extension, adapter/blocks/, imports
`tracksite.core.widgets.<home>.block`, core/widgets/bodies.py `...<home>.body`,
core/checks/__init__.py `...<home>.check`), so nothing here imports them and no layer keeps a list
of its own. `pieces()` lists every file of a widget; tests/architecture/test_widget_home.py finds each from the
registry alone, and fails on a widget file the registry does not name.

Adding a widget: an entry here, its folder under `core/widgets/` (a block module, and a
description and a body module when the body is data, its script and stylesheet), and its tests (docs/architecture.md, "How to add a widget").

This module imports only the theme's lists of files (`tracksite.theme`, which imports nothing of
tracksite): everything else may depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracksite import theme

#: The widgets' folders (core/widgets/): each entry's `home` is one of them.
HOMES = Path(__file__).resolve().with_name("widgets")


@dataclass(frozen=True)
class Widget:
    name: str  # the block name: `/// name`
    summary: str  # one line, for the authoring guide
    data: bool = False  # the body is YAML data: taken literally, a `///` inside it opens nothing
    prose: bool = True  # the body is text a learner reads: terms linked, reading time counted
    practice: bool = False  # time spent in it is practice time (`time.practice`), not reading
    css_class: str | None = None  # the class of its rendered root element
    assets: tuple[str, ...] = ()  # files under theme/assets/ it needs on the page: those not
    # every page links are linked by the pages that show it (css_class found in the page)
    # a CSS selector of the roots on which a learner's intent (a pointer, a touch, the focus, a
    # key) loads `intent_assets`, those of its `assets` named by a <meta> each
    # (adapter/published/widgetassets.py) that intent.js reads, not linked: a page only read
    # never downloads them (issue 83)
    on_intent: str | None = None
    intent_assets: tuple[str, ...] = ()
    # files its scripts fetch by address and no page links (the code editor's module, the
    # sandboxed frame's script and its worker's): published from its home at `assets/<name>`
    # like its `assets`, and with theme.RUNTIME's files only where a page runs code
    fetched: tuple[str, ...] = ()
    graded: bool = False  # it checks the learner's answer: the exercise pack gathers it, and a
    # `practice: required` track counts it toward the objectives (a flashcard grades nothing)
    answers: str | None = None  # class of the <details> holding its answers: the instructor's pack opens it
    searched: bool = True  # site search indexes its text; False for answers and instructor notes
    # (an `answers` element is never searched either: search/page.py reads NOT_SEARCHED)
    usage: str | None = None  # how an instructor writes it, for a hint where another format's
    # markup stands in its place (core/markdown/bodychecks.py)
    schema_title: str | None = None  # title of the editors' JSON Schema of its body, if data
    home: str = ""  # its folder under core/widgets/: `block.py` (the `WidgetBlock` with `WIDGET =
    # <entry>`), and for a data body `body.py` (its description, with its `SHAPES`, the
    # dataclasses generated from them and its parser, ending with its `BODY`)
    export: str | None = None  # what the exports take from the data its block gives them (EXPORTS)
    check: bool = False  # its folder's `check.py` ends with a `PASS` every check runs (a runnable's
    # code is run against its tests): core/checks/__init__.py runs it beside its own passes
    bench: str | None = None  # its module under tools/bench/ (`tracksite bench --<bench>`)
    lead_in: bool = False  # its task is the paragraph of prose just above it (a runnable block
    # holds code and tests, not the words "Fill in `softmax`..."): the exercise pack copies both

    @property
    def schema_file(self) -> str | None:
        return f"{self.name}.schema.json" if self.schema_title else None

    def pieces(self) -> tuple[str, ...]:
        """Every file of the widget, relative to the tracksite package, in the order of its
        layers: what an instructor writes (description, body), what the check runs of it, how a
        page shows it (block, its words in every language, assets), the editors' schema and its
        benchmark."""
        home = f"core/widgets/{self.home}"
        return tuple(
            dict.fromkeys(
                [
                    f"{home}/__init__.py",
                    *([f"{home}/body.py"] if self.data else []),
                    *([f"{home}/check.py"] if self.check else []),
                    f"{home}/block.py",
                    *([f"{home}/words.yml"] if (HOMES / self.home / "words.yml").is_file() else []),
                    *(asset_piece(a) for a in (*self.assets, *self.fetched)),
                    *([f"theme/schemas/{self.schema_file}"] if self.schema_file else []),
                    *([f"tools/bench/{self.bench}.py"] if self.bench else []),
                ]
            )
        )


#: What an export takes from a widget (its entry's `export`): each of these kinds is a list of
#: a lesson in commands/export/coursedata.py, read from the data the widget's block gives an
#: export build (core/widgets/common.py, `island`). `quizzes`: questions with options, the
#: right ones and the feedback (Common Cartridge QTI items, the SCORM score); `exercises`: a
#: checked task the SCORM score counts as one question; `decks`: flashcard terms (the SCORM
#: state's cards).
EXPORTS = ("quizzes", "exercises", "decks")
#: The attribute of a JSON island (`<script type="application/json" data-ts-island="NAME">`) that
#: names the widget whose data it holds.
ISLAND = "data-ts-island"


EXERCISE = Widget(
    "exercise",
    "a task for the learner, with a solution block inside",
    practice=True,
    css_class="ts-exercise",
    graded=True,
    usage="an exercise: `//// exercise | Title`, its solution in `/// solution` inside it, closed by `////`",
    home="exercise",
)
SOLUTION = Widget(
    "solution",
    "the answer to an exercise, folded until the learner opens it",
    practice=True,
    css_class="ts-solution",
    answers="ts-solution",
    searched=False,
    usage="a `/// solution` block inside the `//// exercise` it answers",
    home="exercise",
)
FLASHCARDS = Widget(
    "flashcards",
    "cards to flip: a term on the front, its meaning on the back",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-cards",
    assets=("tracksite/flashcards.js", "tracksite/flashcards.css"),
    searched=False,
    schema_title="tracksite /// flashcards block body",
    home="flashcards",
    export="decks",
)
QUIZ = Widget(
    "quiz",
    "multiple-choice questions with feedback for each option",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-quiz",
    assets=("tracksite/quiz.js", "tracksite/quiz.css"),
    searched=False,
    graded=True,
    answers="ts-quiz__answers",
    schema_title="tracksite /// quiz block body",
    home="quiz",
    export="quizzes",
)
ATTENTION = Widget(
    "attention",
    "a heat map of a model's attention weights over a sentence",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-attn",
    assets=("tracksite/attention.js", "tracksite/attention.css"),
    schema_title="tracksite /// attention block body",
    home="attention",
)
ATTENTION_STEPS = Widget(
    "attention-steps",
    "attention worked through step by step on small matrices",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-steps",
    assets=("tracksite/attention.js", "tracksite/attention.css"),
    schema_title="tracksite /// attention-steps block body",
    home="attention_steps",
)
PREDICT = Widget(
    "predict",
    "a short program: the learner says what it prints, then sees the output and why",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-predict",
    assets=("tracksite/predict.js", "tracksite/predict.css"),
    graded=True,
    answers="ts-predict__answer",
    schema_title="tracksite /// predict block body",
    home="predict",
)
RUNNABLE = Widget(
    "runnable",
    "Python the learner edits and runs in the page; with tests, an exercise the page checks",
    data=True,
    prose=False,
    practice=True,
    css_class="ts-run",
    assets=(
        "tracksite/intent.js",
        "tracksite/runnable-print.css",
        "tracksite/runnable-sandbox.js",
        "tracksite/runnable-work.js",
        "tracksite/runnable.js",
        "tracksite/runnable.css",
    ),
    on_intent='[data-widget="runnable"], [data-widget="predict"][data-runnable="true"]',
    intent_assets=(
        "tracksite/runnable-sandbox.js",
        "tracksite/runnable-work.js",
        "tracksite/runnable.js",
        "tracksite/runnable.css",
    ),
    fetched=("tracksite/runnable-editor.js", "tracksite/runnable-frame.js", "tracksite/runnable-worker.js"),
    graded=True,
    answers="ts-run__solution",
    schema_title="tracksite /// runnable block body",
    home="runnable",
    export="exercises",
    check=True,
    bench="runnable",
    lead_in=True,
)
INSTRUCTOR = Widget(
    "instructor",
    "teaching notes, only in the instructor build and its schedule",
    prose=False,
    css_class="ts-instructor",
    searched=False,
    usage="an instructor note: `/// instructor` ... `///` (left out of the learner site)",
    home="instructor",
)

#: Every widget, in the order the authoring guide lists them.
WIDGETS: tuple[Widget, ...] = (
    EXERCISE,
    SOLUTION,
    FLASHCARDS,
    QUIZ,
    PREDICT,
    RUNNABLE,
    ATTENTION,
    ATTENTION_STEPS,
    INSTRUCTOR,
)
BY_NAME: dict[str, Widget] = {w.name: w for w in WIDGETS}
NAMES: frozenset[str] = frozenset(BY_NAME)

#: Blocks whose body is data (read by `blocksyntax` literally).
DATA_BLOCKS: frozenset[str] = frozenset(w.name for w in WIDGETS if w.data)
#: Blocks whose text is not learner prose (no glossary links, no reading time).
NOT_PROSE: frozenset[str] = frozenset(w.name for w in WIDGETS if not w.prose)
#: Blocks whose time counts as practice.
PRACTICE: frozenset[str] = frozenset(w.name for w in WIDGETS if w.practice)
#: Root classes of the rendered widgets whose text the term linker leaves alone.
NO_TERM_LINKS: tuple[str, ...] = tuple(w.css_class for w in WIDGETS if not w.prose and w.css_class)
#: Blocks that check an answer, in the guide's order: the exercise pack, `practice: required`.
GRADED: tuple[str, ...] = tuple(w.name for w in WIDGETS if w.graded)
LEAD_IN: tuple[str, ...] = tuple(w.name for w in WIDGETS if w.lead_in)
#: Classes of the answers' <details> elements that the instructor's exercise pack opens.
ANSWERS: tuple[str, ...] = tuple(w.answers for w in WIDGETS if w.answers)
#: Classes of rendered elements site search leaves out: the widgets not searched, and every
#: widget's answers (a new widget with answers never leaks them into results).
NOT_SEARCHED: frozenset[str] = frozenset({*(w.css_class for w in WIDGETS if not w.searched and w.css_class), *ANSWERS})


def widget_assets(widget: Widget) -> tuple[str, ...]:
    """A widget's own files (its registry entry's `assets` that not every page links): linked
    only from the pages that show it (adapter/published/widgetassets.py)."""
    shared = {*theme.STYLESHEETS, *theme.SCRIPTS}
    return tuple(f"assets/{a}" for a in widget.assets if f"assets/{a}" not in shared)


#: Every widget's own files, each once: what an old course's mkdocs.yml may still list.
WIDGET_ASSETS = tuple(dict.fromkeys(a for w in WIDGETS for a in widget_assets(w)))


def storage_key(kind: str, *parts: object) -> str:
    """Where a page keeps a learner's state in the browser, spelled here once for every widget:
    `tracksite:<kind>:<part>:...` (`quiz`, `cards`, `runnable`, `code`). The page carries each key as
    data (`data-key`, `data-code-key`), which quiz.js, flashcards.js and runnable.js read; widgets.js adds the
    course's namespace after `tracksite:` (core/site/courseid.py), and scorm.js keeps those keys."""
    return ":".join(("tracksite", kind, *(str(p) for p in parts)))


def asset_piece(asset: str) -> str:
    """Where a widget's file (`tracksite/predict.js`, as an entry's `assets` names it) lives in the
    package: in the home of the first entry whose folder holds it (two entries may share one, as the
    attention widgets share attention.js), else under theme/assets/ (widgets.js, the shared runtime)."""
    name = Path(asset).name
    for widget in WIDGETS:
        if widget.home and (HOMES / widget.home / name).is_file():
            return f"core/widgets/{widget.home}/{name}"
    return f"theme/assets/{asset}"


def asset_file(asset: str) -> Path:
    """The file in the package that the site publishes at `assets/<asset>`."""
    return HOMES.parent.parent / asset_piece(asset)


def home_asset_files() -> list[tuple[str, Path]]:
    """The widgets' files that live in their homes, as (address in the site, file), sorted: published
    at the address the entry names (`assets/tracksite/predict.js`), the one a page has always linked,
    beside the theme's own files (core/site/plan.py)."""
    found = {f"assets/{a}": asset_piece(a) for w in WIDGETS for a in (*w.assets, *w.intent_assets, *w.fetched)}
    return sorted(
        (uri, asset_file(uri.removeprefix("assets/"))) for uri, piece in found.items() if piece.startswith("core/")
    )
