"""A course's remote-files listing (entries with licence and credit) and a lesson that uses them."""

from __future__ import annotations

from pathlib import Path

from support.course import lesson_md, write


def listing(*entries: str) -> str:
    return "files:\n" + "".join(entries)


def entry(url: str, licence: str = "CC-BY-4.0", credit: str | None = "Photo by A. Tester") -> str:
    text = f"  - url: {url}\n    licence: {licence}\n"
    if credit:
        text += f"    credit: {credit}\n    source: https://archive.example.org/item/7\n"
    return text


def lesson_with(course: Path, markdown: str, slug: str = "a1") -> None:
    body = "## Start\n\n" + "Words to read here. " * 40 + f"\n\n{markdown}\n"
    write(course, f"lessons/alpha/{slug}/lesson.md", lesson_md("First lesson", body=body))
