"""The starter text of `tracksite new`: a lesson's front-matter is generated from the lesson
schema (tracksite.core.schema.specs.LESSON), so a new field, choice or default shows up here with no
edit; the bodies are prose that tells the author what each section is for.

The prose is in the lesson's language (its track's `language:`, else the course's): it lives in
the `starter:` section of the interface catalogue (theme/messages/<language>.yml), beside the
words tracksite puts on the pages, so a translator finds every string of a language in one file.
A language without a complete catalogue (`messages.COMPLETE`) gets the English text, never a
mixture. In each text `{title}` is the title as given and `{t}` the title as it reads inside a
sentence (`in_sentence`)."""

from __future__ import annotations

import html
import re
from typing import Any

from tracksite.commands.trackfile import yaml_scalar
from tracksite.core import messages
from tracksite.core.learning.readingtime import reading_minutes
from tracksite.core.schema import specs as schema

COMMENT_COLUMN = 29
#: Languages that capitalise every noun: a title keeps its capital inside a sentence there.
CAPITALISED_NOUNS = frozenset({"de"})


def in_sentence(title: str, lang: str | None = None) -> str:
    """A title inside a sentence: "Gradient descent" -> "gradient descent", "LSTMs" stays; in
    German "Gradientenverfahren" stays too, since German writes nouns with a capital."""
    if messages.language_code(lang) in CAPITALISED_NOUNS:
        return title
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _section(code: str) -> dict[str, str]:
    """The `starter:` section of one language's catalogue file; empty when there is none."""
    return messages.section(code, "starter")


def starter_texts(lang: str | None) -> dict[str, str]:
    """Every starter text in `lang`: its own where its catalogue is complete, else English."""
    code = messages.language_code(lang)
    english = _section("en")
    own = _section(code) if code in messages.COMPLETE else {}
    return {key: own.get(key) or text for key, text in english.items()}


def starter_text(key: str, lang: str | None, title: str = "", *, markdown: bool = False, **values: str) -> str:
    """One starter text in `lang` with `{title}`, `{t}` and `values` filled in; `markdown`: the
    text is a page's Markdown, where the title is written as text (`markdown_text`)."""
    t = in_sentence(title, lang)
    if markdown:
        title, t = markdown_text(title), markdown_text(t)
    return starter_texts(lang)[key].format(title=title, t=t, **values)


_MARKDOWN_MARKS = re.compile(r"([\\`*_$|~])")
# Brackets as entities, not `\[`: `\[d\]` is also TeX's display-math pair, which the check reads
# as a formula (TS508 under `math: none`: a new lesson refused its own starter text, issue 84)
_BRACKETS = {"[": "&#91;", "]": "&#93;"}


def markdown_text(text: str) -> str:
    """`text` as Markdown that reads as that text: `<`, `>` and `&` as entities, and the marks of
    code, emphasis, links, formulas and tables escaped. A title is text: `Using <script> tags`
    written into a new lesson's prose as it was made the check refuse the lesson's own starter
    as markup (issue 74), and `|` broke the cheatsheet's table."""
    escaped = _MARKDOWN_MARKS.sub(r"\\\1", html.escape(text, quote=False))
    return re.sub(r"[\[\]]", lambda m: _BRACKETS[m.group(0)], escaped)


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
    title: str,
    *,
    summary: str | None,
    objectives: list[str],
    previous: str | None,
    body_read: int | None = None,
    lang: str | None = None,
) -> tuple[str, str]:
    """(front-matter, body) of a new lesson in `lang`; the read time is filled in from the body's words."""
    body = starter_text(
        "lesson",
        lang,
        title,
        markdown=True,
        card_term=yaml_scalar(title),  # (a flashcard's term is text: shown escaped)
        card_answer=yaml_scalar(starter_text("cardAnswer", lang, title)),
    )
    values = {
        "title": title,
        "summary": summary or starter_text("summary", lang, title),
        "objectives": objectives or [starter_text("objective", lang, title)],
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


def starter_overview(lang: str | None = None) -> str:
    """overview.md of a new lesson in `lang`."""
    return starter_text("overview", lang)


def starter_cheatsheet(title: str, lang: str | None = None) -> str:
    """The cheatsheet of a new lesson in `lang`; the title also fills a table cell (its `|` escaped)."""
    return starter_text("cheatsheet", lang, title, markdown=True, cell=markdown_text(title))
