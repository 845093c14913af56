"""The starter text of `tracksite new`: a lesson's front-matter is generated from the lesson
schema (tracksite.core.schema.specs.LESSON), so a new field, choice or default shows up here with no
edit; the bodies are prose that tells the author what each section is for."""

from __future__ import annotations

from typing import Any

from tracksite.commands.trackfile import yaml_scalar
from tracksite.core.learning.readingtime import reading_minutes
from tracksite.core.schema import specs as schema

COMMENT_COLUMN = 29


def in_sentence(title: str) -> str:
    """A title inside a sentence: "Gradient descent" -> "gradient descent", "LSTMs" stays."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _with_comment(line: str, note: str) -> str:
    if not note:
        return line
    return f"{line.ljust(COMMENT_COLUMN - 1)} # {note}" if len(line) < COMMENT_COLUMN - 1 else f"{line}  # {note}"


def _note(f: schema.Field) -> str:
    if f.note:
        return f.note
    if isinstance(f.spec, schema.Choice):
        return " | ".join(f.spec.values)
    return ""


def _scalar(value: Any) -> str:
    return (
        yaml_scalar(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    )


def front_matter_lines(spec: schema.Mapping, values: dict[str, Any], indent: str = "") -> list[str]:
    """YAML lines for `spec`: the given values, then defaults, then commented-out examples of the
    optional fields, each with the field's note as a comment."""
    lines: list[str] = []
    for f in spec.fields:
        note = _note(f)
        if f.name in values:
            value = values[f.name]
            if isinstance(value, dict) and isinstance(f.spec, schema.Mapping):
                lines.append(_with_comment(f"{indent}{f.name}:", note))
                lines += front_matter_lines(f.spec, value, indent + "  ")
            elif isinstance(value, list):
                lines.append(_with_comment(f"{indent}{f.name}:", note))
                lines += [f"{indent}  - {_scalar(v)}" for v in value]
            else:
                lines.append(_with_comment(f"{indent}{f.name}: {_scalar(value)}", note))
        elif f.default is not None:
            lines.append(_with_comment(f"{indent}{f.name}: {_scalar(f.default)}", note))
        elif f.example:
            first, *rest = f.example.split("\n")
            lines.append(_with_comment(f"{indent}# {first}", note))
            lines += [f"{indent}# {r}" for r in rest]
    return lines


def starter_lesson(
    title: str, *, summary: str | None, objectives: list[str], previous: str | None, body_read: int | None = None
) -> tuple[str, str]:
    """(front-matter, body) of a new lesson; the read time is filled in from the body's words."""
    t = in_sentence(title)
    body = STARTER_BODY.format(
        title=title,
        t=t,
        card_term=yaml_scalar(title),
        card_answer=yaml_scalar(f"The main idea of {t}, in one or two sentences a learner can recall."),
    )
    values = {
        "title": title,
        "summary": summary or f"The idea behind {t}, how it works and where it is used.",
        "objectives": objectives or [f"explain the main idea of {t} and give an example of it"],
        "time": {"read": body_read or reading_minutes(body), "practice": 5},
        "status": "draft",
    }
    lines = front_matter_lines(schema.LESSON, values)
    if previous:
        lines = [l.replace("lesson: earlier-lesson", f"lesson: {previous}") for l in lines]
    return "\n".join(["---", *lines, "---", ""]), body


def starter_track(slug: str, number: int, title: str, summary: str, phase: str, first: str) -> str:
    """track.yml of a new track: one phase with its first lesson."""
    head = (
        f"# Track {number}: {title}.\n"
        "# Lesson order lives here and nowhere else: lesson numbers are computed from it.\n"
        f'# Add lessons with `tracksite new lesson {slug} SLUG --title "..."`; reorder them with `tracksite move`.\n'
    )
    values = {"number": number, "title": title, "summary": summary}
    lines = front_matter_lines(schema.TRACK, values)
    lines += ["phases:", f"  - title: {yaml_scalar(phase)}", "    lessons:", f"      - {first}"]
    return head + "\n".join(lines) + "\n"


STARTER_BODY = """\
Start with the question this lesson answers: which problem its subject solves, and why a learner \
meets that problem at this point in the track. Two or three sentences are enough.

## The idea, step by step

Build the idea in short steps, each with its own concrete example, and prefer small worked \
numbers to general definitions. Put diagrams beside this file as SVG files and describe each one \
in its alt text. Link other lessons by name, never by address, so links survive renumbering and \
renaming.

## Where it goes wrong

Name the usual misunderstandings and the cases where the idea does not apply, with one example \
of each.

## Practice

//// exercise | Explain it in your own words
Explain {t} to a classmate who missed this lesson, in three or four sentences, with one example.

/// solution
A strong answer names the problem, states the idea in plain words and shows it working on a \
small example.
///
////

/// flashcards
- term: {card_term}
  answer: {card_answer}
///
"""

STARTER_OVERVIEW = """\
## What you'll learn

Say in a few sentences what this lesson covers and what a learner takes away from it. The \
objectives from the lesson's front-matter are listed above this text, so describe the path \
through the lesson rather than repeating them.

## Where this fits

Name the lesson that comes before this one and the one after it, and say how this lesson \
connects them.

## Before you start

Say what a learner should already know. Lessons listed as prerequisites are linked from the \
lesson header.

## About the math

Say how much mathematics the lesson uses and of which kind, so that a learner can plan.
"""

STARTER_CHEATSHEET = """\
## Key ideas

- The three or four facts about {t} a learner needs at a glance.

## Terms

| Term | What it means |
|---|---|
| {cell} | One line a learner can recall. |

## Pitfalls

- A common mistake, and how to avoid it.
"""
