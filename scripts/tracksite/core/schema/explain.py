"""PyYAML's syntax errors, said in plain words with the fix.

PyYAML describes what its parser met ("mapping values are not allowed here"), not what the
instructor did. The slips behind those words are few: a value holding `: ` that needs quotes,
a line indented more or less than its neighbours, a quote never closed, a value starting with
a character YAML reserves. `explain` looks at the reported line and its neighbours, names the
slip and says how to fix it; PyYAML's own words stay at the end of the hint.
"""

from __future__ import annotations

import re

from tracksite.core.schema import specs as schema

PREFIX = "YAML syntax error: "
_KEY_VALUE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w.-]*):\s+(?P<value>.*)$")
_RESERVED_START = re.compile(r"found character '(.)' that cannot start any token")


def explain(message: str, lines: list[str], line: int | None) -> tuple[str, str] | None:
    """(plain message, hint) for a `YAML syntax error: …` at 1-based `line` of a file's lines."""
    if not message.startswith(PREFIX) or not line or not lines:
        return None
    line = min(line, len(lines))  # "end of stream" is reported past the last line
    said = message[len(PREFIX) :]
    text = lines[line - 1]
    for rule in (_colon_in_value, _indented_into_text, _reserved_start, _unclosed_quote, _indentation, _flow_list):
        found = rule(said, text, lines, line)
        if found:
            plain, fix = found
            return plain, f"{fix}; YAML's own words: {said}"
    return None


def _colon_in_value(said: str, text: str, lines: list[str], line: int):
    if "mapping values are not allowed" not in said:
        return None
    m = _KEY_VALUE.match(text)
    if not m or m["value"][:1] in "\"'|>[{" or ": " not in m["value"] + " ":
        return None
    value = m["value"].rstrip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        f"the value of `{m['key']}` contains a colon followed by a space, which YAML reads as the start of another key",
        f"put the whole value in quotes: {m['key']}: {quoted}",
    )


def _indented_into_text(said: str, text: str, lines: list[str], line: int):
    """`- item` then a key indented past the dash: YAML continues the item's text and trips."""
    if "mapping values are not allowed" not in said:
        return None
    m = _KEY_VALUE.match(text)
    previous = _previous_content(lines, line)
    if not m or previous is None:
        return None
    key, indent = m["key"], len(m["indent"])
    siblings = _top_level_keys(lines, line)
    if indent and key in siblings:
        return (
            f"`{key}:` on line {line} is indented, so YAML reads it as more text of line {previous} above "
            f"instead of a key of its own",
            f"start `{key}:` at the beginning of the line, like the other keys",
        )
    return (
        f"line {line} is indented more than line {previous} above, so YAML reads it as part of that line's text",
        f"indent `{key}:` exactly like the keys it belongs with, or quote the text if the colon is part of it",
    )


def _reserved_start(said: str, text: str, lines: list[str], line: int):
    m = _RESERVED_START.search(said)
    if not m:
        return None
    kv = _KEY_VALUE.match(text)
    where = f"the value of `{kv['key']}`" if kv else f"line {line}"
    return (f"{where} starts with `{m.group(1)}`, which YAML reserves", "put the whole value in quotes")


def _unclosed_quote(said: str, text: str, lines: list[str], line: int):
    if "quoted scalar" not in said and "unexpected end of stream" not in said:
        return None
    return (
        "a quoted value is never closed (or holds a quote of the same kind inside it)",
        'close the quote on the same line; for text containing " use single quotes around it, '
        "and write a ' inside single quotes as ''",
    )


def _indentation(said: str, text: str, lines: list[str], line: int):
    if "expected key" in said or "expected <block end>" in said:
        return (
            f"line {line} is indented differently from the lines at its level; YAML reads indentation as structure",
            "indent keys of the same mapping by the same number of spaces, and list items under a key by more than the key",
        )
    if "expected '-' indicator" in said:
        return (
            f"line {line} interrupts a list: every item of a list starts with `- ` at the same indentation",
            "start the line with `- ` like the items above it, or indent it under the item it continues",
        )
    if "could not find expected ':'" in said:
        return (
            f"line {line} (or the one before it) is not a `key: value` pair",
            "add the missing `:` after the key, or indent a continued text under its key",
        )
    return None


def _flow_list(said: str, text: str, lines: list[str], line: int):
    if "flow sequence" not in said and "flow mapping" not in said:
        return None
    return (
        "a `[...]` or `{...}` on this line is not closed, or an item in it holds a comma, colon or bracket",
        "close the bracket, and quote any item that contains `,`, `:` or brackets",
    )


def _previous_content(lines: list[str], line: int) -> int | None:
    for n in range(line - 1, 0, -1):
        stripped = lines[n - 1].strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return n
    return None


def _top_level_keys(lines: list[str], line: int) -> set[str]:
    """Keys written at the start of a line in the same front-matter or file, before `line`."""
    keys: set[str] = set()
    for text in lines[: line - 1]:
        if text.strip() == "---":
            keys.clear()
            continue
        m = re.match(r"^([A-Za-z_][\w.-]*):", text)
        if m:
            keys.add(m.group(1))
    keys.update(f.name for spec in (schema.LESSON, schema.TRACK) for f in spec.fields)
    return keys
