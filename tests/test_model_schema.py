"""The model is held to the schema (issue 30): every field an instructor may write has a place
in the model's dataclasses, a choice arrives as its enum, and a default stated in the schema is
the one the loaded model shows. A field added to core/schema/specs.py without a place in
core/model/course.py fails here, before a loader could forget it."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from course import lesson_md, load, make_course, write
from tracksite.core.model import course as model
from tracksite.core.schema import choices
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import Choice, Mapping

# Fields of a dataclass that no instructor writes: derived from folders, files and other pages.
DERIVED = {
    model.Lesson: {"track", "slug", "sources", "overview_title", "cheatsheet_title"},
    model.Track: {"slug", "path"},
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


@pytest.mark.parametrize("spec,cls", [(schema.LESSON, model.Lesson), (schema.TRACK, model.Track)])
def test_every_field_of_the_schema_has_its_place_in_the_model(spec, cls):
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    written = leaves(spec)
    assert set(written) == set(fields) - DERIVED[cls], "the schema and the model name different fields"
    for name, f in written.items():
        if isinstance(f.spec, Choice):
            assert f.spec.kind is not None, f"{name}: a choice the model keeps is an enum of core/schema/choices.py"
            assert hints[name] is f.spec.kind, f"{name}: the model's type is {hints[name]}, not {f.spec.kind}"
            assert f.spec.values == tuple(m.value for m in f.spec.kind)
        default, stated = fields[name].default, f.default
        stated = tuple(stated) if isinstance(stated, list) else stated  # the model's lists are tuples
        if stated is not None and default is not dataclasses.MISSING:
            assert default == stated, f"{name}: the model's default {default!r} is not the schema's"


def test_the_choices_are_the_values_the_validator_takes():
    by_kind = {
        f.spec.kind: f.spec
        for spec in (schema.LESSON, schema.TRACK)
        for f in leaves(spec).values()
        if isinstance(f.spec, Choice)
    }
    assert set(by_kind) == {choices.Difficulty, choices.MathLevel, choices.Status, choices.PracticeRule}
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
    assert track.imported == model.Imported("https://example.org/lesson", choices.BrokenLinks.WARNING)
    assert load(root).curriculum.track("beta").imported is None  # type: ignore[union-attr]
