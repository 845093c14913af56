"""The words an instructor chooses from, stated once: the schema's `Choice` fields take their
values from these enums (core/schema/specs.py), and the model's fields have them as types
(core/model/course.py), so a value added here is allowed by the validator, offered by the editor
schemas, listed in the docs tables and known to the model at once.

`StrEnum` members are strings: templates print them and comparisons with the written word
(`lesson.difficulty == "intro"`) hold. This module imports nothing from tracksite.
"""

from __future__ import annotations

from enum import StrEnum


class Difficulty(StrEnum):
    """How demanding a lesson is (`difficulty:`)."""

    INTRO = "intro"
    STANDARD = "standard"
    ADVANCED = "advanced"


class MathLevel(StrEnum):
    """How much mathematics a lesson uses (`math:`)."""

    NONE = "none"
    LIGHT = "light"
    HEAVY = "heavy"


class Status(StrEnum):
    """Whether a lesson is published (`status:`); a draft shows under `mkdocs serve` only."""

    PUBLISHED = "published"
    DRAFT = "draft"


class BrokenLinks(StrEnum):
    """How `check` treats an imported lesson's own broken anchors (track.yml `imported.broken_links`)."""

    WARNING = "warning"
    ERROR = "error"


class PracticeRule(StrEnum):
    """How `check` treats an objective no practice touches (track.yml `practice:`)."""

    SUGGESTED = "suggested"
    REQUIRED = "required"


class TrackStage(StrEnum):
    """How finished a track is (track.yml `stage:`): the stages of the Carpentries' lesson life
    cycle (the Workbench's `life_cycle:`), in order."""

    PRE_ALPHA = "pre-alpha"
    ALPHA = "alpha"
    BETA = "beta"
    STABLE = "stable"
