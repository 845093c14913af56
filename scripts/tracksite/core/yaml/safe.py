"""YAML for untrusted course sources: plain data only, with the line of every key.

Course repositories take pull requests from strangers, so the parser refuses everything that
PyYAML would otherwise happily do: construct objects from tags, expand aliases (billion laughs),
or let a duplicate key silently win. What survives is plain scalars, lists and mappings, and a
map from each key path to its line so that problems can point at the offending key.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracksite.errors import SourceProblem

MAX_DEPTH = 32
MAX_NODES = 50_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Path_ = tuple[Any, ...]

#: What a double-quoted escape (`"\x01"`, `"\uFFFE"`) can put into text that YAML refuses
#: written as it is: C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
#: None is a character of XML 1.0, so an export's manifest that held one would not parse.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Located:
    """A parsed document and the line of each key path (`("time", "read")`, `("phases", 0)`)."""

    value: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    #: numbers exactly as written (`3.10`, `042`), for fields that want text
    raw: dict[Path_, str] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """The line of the deepest known ancestor of `path`: a missing key points at its parent."""
        p: Path_ = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


class _StrictLoader(yaml.SafeLoader):
    """Refuses anchors and aliases at parse time, before anything can be expanded."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SourceProblem(
                "YAML aliases (*name) are not allowed in course files; write the value out",
                event.start_mark.line + 1,
                code="TS013",
                column=event.start_mark.column + 1,
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise SourceProblem(
                f"YAML anchors (&{anchor}) are not allowed in course files; write the value out",
                event.start_mark.line + 1,
                code="TS013",
                column=event.start_mark.column + 1,
            )
        return super().compose_node(parent, index)


#: Every line break YAML reads: editors do not read NEL, LINE and PARAGRAPH SEPARATOR as breaks
#: (pasted from word processors and PDFs, they would put YAML's line numbers past the editor's).
_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LINE_WORD = re.compile(r"\bline (\d+)")
_COUNTED_BY_NEWLINES = {"TS011", "TS012"}  # a tab's and a refused character's lines: the editor's already


def parse(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document; `first_line` is the file line the text starts on. Lines and
    columns are the editor's (counted by newlines) even where YAML counts more breaks."""
    if not any(c in text for c in "\x85\u2028\u2029"):
        return _parse(text, first_line)
    starts = [0] + [m.end() for m in _YAML_BREAKS.finditer(text)]  # YAML's lines

    def start(yaml_line: int) -> int:
        return starts[min(max(yaml_line - first_line, 0), len(starts) - 1)]

    def line(yaml_line: int) -> int:
        return text.count("\n", 0, start(yaml_line)) + first_line

    try:
        located = _parse(text, first_line)
    except SourceProblem as e:
        if e.line is None or e.code in _COUNTED_BY_NEWLINES:
            raise
        at = start(e.line)
        column = e.column + at - (text.rfind("\n", 0, at) + 1) if e.column is not None else None
        message = _LINE_WORD.sub(lambda m: f"line {line(int(m.group(1)))}", e.message)
        raise SourceProblem(message, line(e.line), code=e.code, column=column) from None
    located.lines = {path: line(n) for path, n in located.lines.items()}
    return located


def _parse(text: str, first_line: int) -> Located:
    offset = first_line - 1
    if "\t" in _indentation(text):
        line, tab = next(
            (i, l.index("\t") + 1)
            for i, l in enumerate(text.split("\n"), 1)
            if l[: len(l) - len(l.lstrip())].count("\t")
        )
        raise SourceProblem(
            "tab used for indentation; YAML indents with spaces only", line + offset, code="TS011", column=tab
        )
    if _SHALLOW_BY_LIBYAML and "&" not in text and "*" not in text:
        unscanned = _unscanned(text, offset, first_line)
        if unscanned is not None:
            return unscanned
    node, loader = _compose_fast(text)
    if loader is not None:
        located = _located(node, loader, offset, first_line)
        _dash_continuations(node, text, offset)
        return located
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as e:  # raised while reading: control characters, surrogates
        line = text[: e.position].count("\n") + 1 + offset
        raise SourceProblem(
            f"character U+{e.character:04X} is not allowed in YAML; delete it or write it as an escape in double quotes",
            line,
            code="TS012",
            column=e.position - text.rfind("\n", 0, e.position),
        ) from None
    try:
        node = loader.get_single_node()
    except SourceProblem as e:
        raise SourceProblem(e.message, (e.line or 1) + offset, code=e.code, column=e.column) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 + offset if mark else first_line
        what = e.problem or "invalid YAML"
        context = f" {e.context}" if e.context else ""
        if e.context_mark and mark and e.context_mark.line != mark.line:
            context += f" that starts on line {e.context_mark.line + 1 + offset}"
        column = mark.column + 1 if mark else None
        raise SourceProblem(f"YAML syntax error: {what}{context}".strip(), line, code="TS010", column=column) from None
    except yaml.YAMLError as e:
        raise SourceProblem(f"YAML syntax error: {e}", first_line, code="TS010") from None
    except RecursionError:
        raise SourceProblem("YAML is nested too deeply", first_line, code="TS015") from None
    finally:
        loader.dispose()
    located = _located(node, loader, offset, first_line)
    _dash_continuations(node, text, offset)
    return located


def _dash_continuations(node: Node | None, text: str, offset: int) -> None:
    """Refuse a plain text that goes on over a line starting with `- `: a list item indented
    deeper than the one above it, which YAML silently reads as more words of that item
    (`- one` then `    - two` is the single item "one - two")."""
    lines = text.split("\n")
    todo = [node] if node is not None else []
    while todo:
        n = todo.pop()
        if isinstance(n, ScalarNode):
            if not n.style and n.end_mark.line > n.start_mark.line:  # plain: None, or "" from libyaml
                for i in range(n.start_mark.line + 1, min(n.end_mark.line, len(lines) - 1) + 1):
                    if lines[i].lstrip().startswith("- "):
                        raise SourceProblem(
                            "this list item is indented deeper than the item above it, so YAML reads it as "
                            f"more text of that item ({n.value[:60]!r}); indent its `-` like the other items "
                            "(or, if the dash belongs to the text, put the text in quotes)",
                            i + 1 + offset,
                            code="TS016",
                            column=len(lines[i]) - len(lines[i].lstrip()) + 1,
                        )
        elif isinstance(n, SequenceNode):
            todo.extend(n.value)
        elif isinstance(n, MappingNode):
            todo.extend(v for _, v in n.value)


#: libyaml's parser, where PyYAML was built with it: it composes a document several times faster
#: than the pure-Python one, and every front-matter and widget body of a course goes through here.
_CLoader = getattr(yaml, "CSafeLoader", None)


#: libyaml from 0.2.5 on refuses nesting deeper than 1,000 levels itself, so its composer cannot
#: recurse deep enough to crash the process: a text with no `&` and no `*` (no anchor, no alias)
#: is then composed without reading its events first (a third of the parse of a quiz body), and
#: `_convert` measures its depth and size as it walks the nodes.
_SHALLOW_BY_LIBYAML = _CLoader is not None and yaml.__with_libyaml__ and yaml._yaml.get_version() >= (0, 2, 5)


def _unscanned(text: str, offset: int, first_line: int) -> Located | None:
    """The document composed by libyaml without reading its events first; None where libyaml
    refuses it or it is too deep or too large (read again as before, for the same message)."""
    node, loader = _compose_fast(text, scan=False)
    if loader is None:
        return None
    try:
        located = _located(node, loader, offset, first_line)
    except SourceProblem as e:
        if e.code == "TS015":
            return None
        raise
    _dash_continuations(node, text, offset)
    return located


def _compose_fast(text: str, scan: bool = True) -> tuple[Node | None, Any]:
    """(node, loader) from libyaml for a document with no anchor, alias or error; (None, None)
    otherwise, and the pure-Python strict loader reads it instead: anchors are refused there
    before anything is expanded, and its error messages are the ones yamlhelp explains.
    `scan`: its events are read first (see `_plain_events`)."""
    if _CLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None, None
    try:
        if scan and not _plain_events(text):
            return None, None
        loader = _CLoader(text)
        try:
            return loader.get_single_node(), loader
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError, RecursionError):  # the strict loader reports it in its words
        return None, None


def _plain_events(text: str) -> bool:
    """Whether libyaml's events (read without recursion) show no anchor, no alias, and no
    nesting deeper than MAX_DEPTH: libyaml's composer recurses in C, and a hostile `[[[[...`
    would crash the process instead of raising."""
    if _CLoader is None:  # only called once the C loader is known to exist
        return False
    depth = 0
    for n, event in enumerate(yaml.parse(text, Loader=_CLoader)):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None or n > 2 * MAX_NODES:
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


def _located(node: Node | None, loader: Any, offset: int, first_line: int) -> Located:
    located = Located(None)
    if node is None:
        return located
    counter = [0]
    try:
        located.value = _convert(node, (), located, offset, 0, counter, loader)
    except RecursionError:
        raise SourceProblem("YAML is nested too deeply", first_line, code="TS015") from None
    located.lines.setdefault((), node.start_mark.line + 1 + offset)
    return located


def _indentation(text: str) -> str:
    return "".join(l[: len(l) - len(l.lstrip(" \t"))] for l in text.split("\n"))


def _convert(
    node: Node,
    path: Path_,
    located: Located | None,
    offset: int,
    depth: int,
    counter: list[int],
    loader: yaml.SafeLoader,
) -> Any:
    lines = located.lines if located is not None else {}
    line = node.start_mark.line + 1 + offset
    column = node.start_mark.column + 1
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise SourceProblem(f"YAML document has more than {MAX_NODES} values", line, code="TS015", column=column)
    if depth > MAX_DEPTH:
        raise SourceProblem(f"YAML is nested more than {MAX_DEPTH} levels deep", line, code="TS015", column=column)
    if node.tag not in _PLAIN_TAGS:
        raise SourceProblem(
            f"YAML tag {node.tag!r} is not allowed; only plain strings, numbers, lists and mappings",
            line,
            code="TS013",
            column=column,
        )
    if isinstance(node, ScalarNode):
        return _scalar(node, path, located, line, column, loader)
    if isinstance(node, SequenceNode):
        out = []
        for i, child in enumerate(node.value):
            lines[path + (i,)] = child.start_mark.line + 1 + offset
            out.append(_convert(child, path + (i,), located, offset, depth + 1, counter, loader))
        return out
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            _refuse_key(key_node, key_line)
            key = _convert(key_node, path, None, offset, depth + 1, counter, loader)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise SourceProblem(
                    f"duplicate key {key!r} (first on line {lines[path + (key,)]}); "
                    "YAML would silently keep only the last one",
                    key_line,
                    code="TS014",
                    column=key_node.start_mark.column + 1,
                )
            lines[path + (key,)] = key_line
            result[key] = _convert(value_node, path + (key,), located, offset, depth + 1, counter, loader)
        return result
    raise SourceProblem("unsupported YAML node", line, code="TS010")  # pragma: no cover


_STR = "tag:yaml.org,2002:str"


def _scalar(node: ScalarNode, path: Path_, located: Located | None, line: int, column: int, loader) -> Any:
    """A scalar's value as an editor reads it: dates and YAML 1.1 booleans stay the text written,
    numbers keep their text too, and text YAML would carry through an escape only is refused."""
    # a plain string is its node's text (what SafeConstructor's `construct_yaml_str` returns),
    # taken without the constructor's bookkeeping: most scalars of a course are strings
    value = node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(value, str) and (bad := _UNSHOWABLE.search(value)):
        raise SourceProblem(
            f"character U+{ord(bad.group()):04X}, written as an escape, is not allowed in course text: "
            "no page can show it, and the SCORM and Common Cartridge exports' XML cannot hold it; "
            "delete the escape",
            line,
            code="TS012",
            column=column,
        )
    if isinstance(value, (datetime.date, datetime.datetime)):
        return node.value  # keep dates as the text the author wrote
    if isinstance(value, bool) and node.value.lower() not in ("true", "false"):
        return node.value  # YAML 1.2, as editors read it: `title: no` is the text "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and located is not None:
        located.raw[path] = node.value
    return value


def _refuse_key(key_node: Node, line: int) -> None:
    """A merge key (`<<`) or a key that is a list or mapping is not plain data."""
    column = key_node.start_mark.column + 1
    if key_node.tag == "tag:yaml.org,2002:merge":
        raise SourceProblem("YAML merge keys (<<) are not allowed in course files", line, code="TS013", column=column)
    if not isinstance(key_node, ScalarNode):
        raise SourceProblem("mapping keys must be plain text", line, code="TS013", column=column)
