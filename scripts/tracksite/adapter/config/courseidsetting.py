"""The plugin's `course_id:` (core/site/courseid.py): a slug checked at its line in mkdocs.yml.

A wrong id is an error (TS607), and the build stops: a course whose id changed by a typo would
lose every learner's progress as surely as a renamed one. A course without one keeps the id its
name and address give, as before, and hears once per check that renaming or moving it would lose
its learners' progress (TS608, a warning, which the build only notes)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from tracksite.core.site import courseid
from tracksite.core.siteconfig import ConfigProblem

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

_SETTING = re.compile(r"\s*course_id\s*:")


def declared(config: MkDocsConfig) -> str:
    """The valid slug the course declares, or "" (none, or a wrong one: `problems` says)."""
    value = courseid.declared(config)
    return value if isinstance(value, str) and courseid.SLUG.match(value) else ""


def problems(config: MkDocsConfig, config_file: Path) -> tuple[ConfigProblem, ...]:
    """TS607 for a `course_id:` that is not a slug, at its line; TS608 (a warning) for none."""
    plugins = config.plugins if isinstance(config.plugins, dict) else {}
    if "tracksite" not in plugins:
        return ()  # not a tracksite course's build (a plain MkDocs site of the benchmark)
    value = courseid.declared(config)
    if value is None:
        message = (
            "the course declares no course_id: its learners' progress is kept under its name and address, "
            "and renaming the course or moving its site loses it"
        )
        hint = (
            "add `course_id: a-short-slug` under `- tracksite:` in mkdocs.yml's plugins (e.g. "
            f"`course_id: {_suggested(config)}`); learners keep what they saved so far"
        )
        return (
            ConfigProblem(
                config_file, _line(config_file, r"\s*-\s*tracksite\b"), message, warning=True, code="TS608", hint=hint
            ),
        )
    if isinstance(value, str) and courseid.SLUG.match(value):
        return ()
    kinds = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    shown = repr(value) if isinstance(value, str) else kinds.get(type(value), "not text")
    message = (
        f"course_id: {shown} is not a course id: 2 to 40 lowercase letters, digits and hyphens, "
        "starting and ending with a letter or digit, were expected"
    )
    hint = f"write it as a short slug, e.g. `course_id: {_suggested(config)}`, and never change it afterwards"
    return (ConfigProblem(config_file, _line(config_file, _SETTING.pattern), message, code="TS607", hint=hint),)


def _suggested(config: MkDocsConfig) -> str:
    """A slug made of the course's name (what `tracksite init` writes)."""
    return courseid.suggested(str(config.site_name or ""))


def _line(config_file: Path, pattern: str) -> int | None:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = config_file.read_text(encoding="utf-8").splitlines()
        return next((n for n, t in enumerate(text, 1) if re.match(pattern, t)), None)
    return None
