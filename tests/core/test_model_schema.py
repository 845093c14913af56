"""The model is the schema's (issues 30 and 41): the dataclasses of what an instructor writes
(core/model/shapes.py) are generated from core/schema/specs.py by core/model/generate.py, and a
stale file fails here; every field of the schema has its place, typed, a choice arrives as its
enum, and a default stated in the schema is the one the loaded model shows."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from support.course import REPO, lesson_md, load, make_course, write
from tracksite.core import widgetregistry as W
from tracksite.core.model import course as model
from tracksite.core.model import generate, shapes
from tracksite.core.model.glossary import Term
from tracksite.core.model.listing import RemoteFile
from tracksite.core.schema import choices
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import Choice, Field, ListOf, Mapping, Text
from tracksite.core.widgets.attention import body as attention
from tracksite.core.widgets.attention.body import ATTENTION
from tracksite.core.widgets.attention_steps import body as steps
from tracksite.core.widgets.attention_steps.body import ATTENTION_STEPS
from tracksite.core.widgets.flashcards import body as flashcards
from tracksite.core.widgets.flashcards.body import CARD
from tracksite.core.widgets.predict import body as predict
from tracksite.core.widgets.predict.body import PREDICT
from tracksite.core.widgets.quiz import body as quiz
from tracksite.core.widgets.quiz.body import OPTION, QUESTION

#: Each data widget's generated values, in its own module (core/widgets/<home>/body.py), between
#: two marked lines below its body's description.
WIDGETS = REPO / "scripts" / "tracksite" / "core" / "widgets"
FLASHCARD_BODY = WIDGETS / "flashcards" / "body.py"

# Fields of a model class that no instructor writes: derived from folders, files and other pages.
DERIVED = {
    model.Lesson: {"track", "slug", "sources", "overview_title", "cheatsheet_title"},
    model.Track: {"slug", "path"},
    model.Prerequisite: {"line"},
    Term: {"track", "line", "path"},
    RemoteFile: {"line", "path"},
}
# What the widgets' classes add to the generated ones: what no one writes.
WIDGET_EXTRAS = {
    "QuizQuestion": set(),
    "AttentionSpec": {"lines"},
    "StepsData": {"q", "k", "v", "scores", "scaled", "weights", "output"},
}
# Schema fields that are a mapping of their own and stand in the model as its leaves.
FLATTENED = {"time"}


def leaves(spec: Mapping) -> dict[str, schema.Field]:
    """The schema's fields by the name the model gives them: `time.read` is `read`."""
    out = {}
    for f in spec.fields:
        if f.name in FLATTENED:
            assert isinstance(f.spec, Mapping)
            out.update({g.name: g for g in f.spec.fields})
        else:
            out[f.name] = f
    return out


def test_the_generated_model_is_fresh():
    """core/model/shapes.py is what `tracksite docs --write` writes from today's schema: an edit of
    the schema without the run, or an edit of the generated file by hand, fails here."""
    assert generate.TARGET == REPO / "scripts" / "tracksite" / "core" / "model" / "shapes.py"
    assert generate.TARGET.read_text(encoding="utf-8") == generate.source(), "run `tracksite docs --write`"
    homes = {w.home for w in W.WIDGETS if w.data}
    assert set(generate.WIDGET_SHAPES) == {WIDGETS / home / "body.py" for home in homes}  # each in its module
    assert not (WIDGETS / "shapes.py").exists() and not list(WIDGETS.glob("*/shapes.py"))
    for path, text in generate.files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: run `tracksite docs --write`"


def test_a_field_added_to_the_schema_is_a_typed_field_of_the_model(monkeypatch):
    """The generator reads the schema: a new field appears in the source with its type and
    default, and a spec it has no model type for is refused (not silently dropped)."""
    added = Field("level", Choice(kind=choices.Difficulty), default=choices.Difficulty.INTRO)
    wider = dataclasses.replace(
        schema.LESSON, fields=(*schema.LESSON.fields, added, Field("tags", ListOf(item=Text())))
    )
    shapes_ = tuple(dataclasses.replace(s, spec=wider) if s.spec is schema.LESSON else s for s in generate.SHAPES)
    monkeypatch.setattr(generate, "SHAPES", shapes_)
    text = generate.source()
    assert "    level: Difficulty = Difficulty.INTRO\n" in text and "    tags: tuple[str, ...] = ()\n" in text
    namespace: dict = {}
    exec(compile(text, "shapes.py", "exec"), namespace)  # the generated source is valid Python
    fields = {f.name: f for f in dataclasses.fields(namespace["LessonFields"])}
    assert fields["level"].default is choices.Difficulty.INTRO and fields["tags"].default == ()
    assert fields["title"].default is dataclasses.MISSING  # required: a loader that forgets it fails
    odd = Field("odd", Mapping(name="unmodelled", fields=(Field("x", Text()),)))
    monkeypatch.setattr(generate, "SHAPES", (generate.Shape("X", Mapping(fields=(odd,)), "x"),))
    with pytest.raises(TypeError, match="unmodelled"):
        generate.source()


@pytest.mark.parametrize(
    "spec,cls",
    [
        (schema.LESSON, model.Lesson),
        (schema.TRACK, model.Track),
        (schema.PHASE, model.Phase),
        (schema.PREREQUISITE, model.Prerequisite),
        (schema.IMPORTED, model.Imported),
        (schema.TERM, Term),
        (schema.REMOTE_FILE, RemoteFile),
    ],
)
def test_every_field_of_the_schema_has_its_place_in_the_model(spec, cls):
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    written = leaves(spec)
    assert set(written) == set(fields) - DERIVED.get(cls, set()), "the schema and the model name different fields"
    for name, f in written.items():
        if isinstance(f.spec, Choice) and f.spec.kind is not None:
            # a choice with neither a default nor `required` may be left out: the model's type allows None
            kind = f.spec.kind if f.required or f.default is not None else f.spec.kind | None
            assert hints[name] == kind, f"{name}: the model's type is {hints[name]}, not {kind}"
            assert f.spec.values == tuple(m.value for m in f.spec.kind)
        default, stated = fields[name].default, f.default
        stated = tuple(stated) if isinstance(stated, list) else stated  # the model's lists are tuples
        if stated is not None:
            assert default == stated, f"{name}: the model's default {default!r} is not the schema's"


def test_no_hand_copy_of_a_generated_shape():
    """The model's classes of written shapes extend the generated ones; none restates a field."""
    for cls, base in (
        (model.Lesson, shapes.LessonFields),
        (model.Track, shapes.TrackFields),
        (Term, shapes.TermFields),
    ):
        assert issubclass(cls, base)
        own = set(cls.__annotations__)
        assert own == DERIVED[cls] - {f.name for f in dataclasses.fields(base)}, cls
    assert (
        model.Phase is shapes.Phase and model.Imported is shapes.Imported and model.Prerequisite is shapes.Prerequisite
    )


def test_the_choices_are_the_values_the_validator_takes():
    by_kind = {
        f.spec.kind: f.spec
        for spec in (schema.LESSON, schema.TRACK)
        for f in leaves(spec).values()
        if isinstance(f.spec, Choice)
    }
    assert set(by_kind) == {
        choices.Difficulty,
        choices.MathLevel,
        choices.Status,
        choices.PracticeRule,
        choices.TrackStage,
    }
    json_enum = schema.LESSON.by_name()["difficulty"].spec._json()["enum"]
    assert json_enum == ["intro", "standard", "advanced"]


def test_a_loaded_lesson_holds_enums_and_the_schemas_defaults(tmp_path):
    root = make_course(tmp_path / "c")
    text = lesson_md("Plain").replace("difficulty: standard\nmath: none\n", "")
    write(root, "lessons/alpha/a1/lesson.md", text)
    project = load(root)
    lesson = project.curriculum.lesson("alpha/a1")
    assert lesson is not None
    assert lesson.difficulty is choices.Difficulty.STANDARD  # the schema's default, as the enum
    assert lesson.math is choices.MathLevel.NONE
    assert lesson.status is choices.Status.PUBLISHED
    assert project.curriculum.track("alpha").practice is choices.PracticeRule.SUGGESTED
    other = project.curriculum.lesson("alpha/a2")
    assert other is not None and isinstance(other.difficulty, choices.Difficulty)
    assert f"{lesson.difficulty}" == "standard"  # what a template prints


def test_an_imported_track_holds_the_schemas_imported_fields(tmp_path):
    """track.yml `imported:` (written by `tracksite import`) arrives as model.Imported, its
    `broken_links` as the enum with the schema's default."""
    assert {f.name for f in dataclasses.fields(model.Imported)} == set(schema.IMPORTED.by_name())
    root = make_course(tmp_path / "c")
    track_yml = root / "lessons/alpha/track.yml"
    track_yml.write_text(track_yml.read_text() + "imported:\n  source: https://example.org/lesson\n")
    track = load(root).curriculum.track("alpha")
    assert track is not None
    assert track.imported == model.Imported(
        source="https://example.org/lesson", broken_links=choices.BrokenLinks.WARNING
    )
    assert load(root).curriculum.track("beta").imported is None  # type: ignore[union-attr]


def test_the_generator_runs_without_the_file_it_writes():
    """generate.py imports nothing that imports a module it writes: a stale or broken shapes.py or
    widget body.py (a class the model's users import gone missing) must not stop `tracksite docs
    --write` from fixing it. A widget's description is read from its body.py's text above the
    generated classes, so the module itself is never imported."""
    import subprocess
    import sys

    code = (
        "import sys, tracksite.core.model.generate as g; g.files(); "
        "print([m for m in sys.modules if m.startswith('tracksite.') and m.endswith(('.shapes', '.body'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "['tracksite.core.widgets.body']"  # the shared reader, which generates nothing


@pytest.mark.parametrize(
    "spec,cls,module",
    [
        (CARD, flashcards.Flashcard, flashcards),
        (PREDICT, predict.Prediction, predict),
        (OPTION, quiz.QuizOption, quiz),
        (QUESTION, quiz.QuizQuestionFields, quiz),
        (ATTENTION, attention.AttentionSpecFields, attention),
        (ATTENTION_STEPS, steps.StepsFields, steps),
    ],
)
def test_the_widgets_values_are_generated_from_their_bodies_description(spec, cls, module):
    """Issue 41: the quiz's, flashcards', predict and attention blocks' dataclasses mirrored their
    body specs by hand; they are generated from them now, and the widget's code uses the generated
    class (extended only with what no one writes: an attention body's key lines)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert list(fields) == [f.name for f in spec.fields]
    assert all(fields[f.name].default == f.default for f in spec.fields if f.default is not None)
    generated = {shape.name for shape in generate.WIDGET_SHAPES[WIDGETS / module.__name__.split(".")[-2] / "body.py"]}
    assert cls.__name__ in generated  # the module's class is the one generated between its marked lines
    for own in [n for n in vars(module).values() if dataclasses.is_dataclass(n) and n.__module__ == module.__name__]:
        if own.__name__ in generated:
            continue
        names = {f.name for f in dataclasses.fields(own)}
        if issubclass(own, cls):  # extends the generated class with what no one writes
            assert names - set(fields) == WIDGET_EXTRAS[own.__name__], own
        else:
            assert not set(fields) <= names, f"{own.__name__} restates {cls.__name__}'s fields by hand"


def test_a_widget_value_parsed_is_the_generated_class():
    cards, findings = flashcards.parse_flashcards("Softmax\n: Turns scores into weights.\n")
    assert findings == [] and cards == [flashcards.Flashcard(term="Softmax", answer="Turns scores into weights.")]
    value, findings = predict.parse_predict('code: print(1)\noutput: "1"\nexplain: It prints one.\n')
    assert findings == [] and value == predict.Prediction(code="print(1)", output="1", explain="It prints one.")
    assert value.language == "python"  # the description's default


def test_docs_check_fails_when_a_widget_body_drifts_from_its_dataclass(monkeypatch, tmp_path, capsys):
    """A field added to a widget body's description without `tracksite docs --write` makes
    `tracksite docs --check` fail and name its core/widgets/<home>/body.py; `--write` brings it in step."""
    from tracksite.commands import editor_schema
    from tracksite.commands.cli import main

    assert main(["--root", str(REPO), "docs", "--check"]) == 0
    target = tmp_path / "body.py"
    target.write_text(FLASHCARD_BODY.read_text(encoding="utf-8"), encoding="utf-8")

    def wider(shape):
        if shape.name != "Flashcard":
            return shape
        return dataclasses.replace(
            shape, spec=dataclasses.replace(shape.spec, fields=(*CARD.fields, Field("mnemonic", Text())))
        )

    widened = {
        (target if path == FLASHCARD_BODY else path): tuple(wider(s) for s in shapes_)
        for path, shapes_ in generate.WIDGET_SHAPES.items()
    }
    monkeypatch.setattr(generate, "WIDGET_SHAPES", widened)
    assert main(["--root", str(REPO), "docs", "--check"]) == 1
    assert f"{target}: out of date with the schema" in capsys.readouterr().err
    fresh = editor_schema.generated_files(REPO)[target]
    assert fresh.count("    mnemonic: str | None = None\n") == 1
    before, after = (t.partition(generate.BEGIN) for t in (FLASHCARD_BODY.read_text(encoding="utf-8"), fresh))
    assert before[0] == after[0] and before[2].partition(generate.END)[2] == after[2].partition(generate.END)[2]


def test_the_generator_alone_repairs_a_broken_module(monkeypatch, tmp_path):
    """`python -m tracksite.core.model.generate` writes the generated classes with nothing else
    loaded: the command line imports the widgets, which a broken class in a body.py would stop.
    Only the text above the marked lines is run to read the description."""
    text = FLASHCARD_BODY.read_text(encoding="utf-8")
    head, begin, rest = text.partition(generate.BEGIN)
    target = tmp_path / "body.py"
    target.write_text(head + begin + "\nclass Flashcard(:\n" + generate.END + rest.partition(generate.END)[2])
    with pytest.raises(SyntaxError):
        compile(target.read_text(encoding="utf-8"), str(target), "exec")
    moved = {(target if path == FLASHCARD_BODY else path): s for path, s in generate.WIDGET_SHAPES.items()}
    monkeypatch.setattr(generate, "WIDGET_SHAPES", moved)
    assert generate.main(["--check"]) == 1
    assert generate.main([]) == 0
    assert target.read_text(encoding="utf-8") == text
    assert generate.main(["--check"]) == 0
    assert [s.name for s in generate.described(target)] == ["Flashcard"]
    target.write_text(head, encoding="utf-8")
    with pytest.raises(ValueError, match="no line `# -- the dataclasses of SHAPES above"):
        generate.described(target)
