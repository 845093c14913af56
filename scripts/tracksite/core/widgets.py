"""Learning widgets, core side: find, parse and validate the widget blocks of a lesson body.

Nothing here imports Markdown, pymdown-extensions or MkDocs. The Markdown adapter
(`tracksite.adapter.blocks`) renders from the parsed values this module returns; `tracksite check` and
the build call `validate_widgets` first, so an instructor sees every problem with its line.

Blocks (pymdown-extensions "Blocks" syntax):

    //// exercise | Title         task Markdown, with a nested `/// solution` block
    /// flashcards                 YAML list of {term, answer} (or a Markdown definition list)
    /// quiz                       YAML list of {question, options: [{text, correct, explain}]}
    /// attention                  YAML mapping {data, compare, focus, target}
    /// attention-steps            YAML mapping {tokens, x, w_q, w_k, w_v}
    /// instructor                 teaching notes, left out of the learner site

Every parser returns `(value, issues)` and never raises on bad input: an `Issue` line is relative
to the block body (1 = first body line) unless the issue names a data `file`, in which case the line
is the file's own.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Sequence

import yaml

from tracksite.core.problems import Problem

# ----------------------------------------------------------------------------------------------
# Names

WIDGET_BLOCKS = ("exercise", "solution", "flashcards", "quiz", "attention", "attention-steps",
                 "instructor")
#: Blocks whose body is data (YAML), not Markdown: nothing inside them is a nested block.
RAW_BLOCKS = frozenset({"flashcards", "quiz", "attention", "attention-steps"})
#: Block names the site's Markdown configuration knows besides ours (pymdownx.blocks.admonition
#: with the types of the authoring contract, and pymdownx.blocks.details).
OTHER_KNOWN_BLOCKS = frozenset({"admonition", "caption", "details", "note", "tip", "warning", "info",
                                "example", "question"})
DEFAULT_KNOWN_BLOCKS = frozenset(WIDGET_BLOCKS) | OTHER_KNOWN_BLOCKS

#: Tokens a model adds around the text; captions look past them (BERT heads often park their
#: attention on [SEP] or [CLS] as a "no-op", so they say little about which word matters).
SPECIAL_TOKENS = frozenset({"[CLS]", "[SEP]", "[PAD]", "[MASK]", "<s>", "</s>", "<pad>",
                            "<|endoftext|>", "<bos>", "<eos>"})

MAX_ISSUES_PER_FILE = 12


@dataclass(frozen=True)
class Issue:
    """A problem found while parsing one block (line relative to the body) or one data file."""

    line: int | None
    message: str
    field: str | None = None
    hint: str | None = None
    severity: str = "error"
    file: Path | None = None  # set when the problem is in a data file (line is then the file's)


def _errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]


def clean_text(value: str) -> str:
    """Plain text safe to hand to Python-Markdown's tree: drop control characters (STX/ETX are
    Markdown's placeholder markers) and normalise surrounding whitespace."""
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    return value.strip()


# ----------------------------------------------------------------------------------------------
# YAML with line numbers, refusing aliases, anchors and tags


@dataclass
class YamlDoc:
    data: Any
    lines: dict[tuple, int]  # path -> 1-based line (of the key for mapping entries)
    raw: dict[tuple, str]  # path -> the scalar exactly as written (for plain-text fields)


def _yaml_loader_class():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RawScalars:
    """The scalars of a document exactly as written, composed only when first asked for."""

    def __init__(self, text: str):
        self.text = text
        self._map: dict[tuple, str] | None = None

    def get(self, path: tuple, default: str | None = None) -> str | None:
        if self._map is None:
            self._map = {}
            try:
                node = yaml.compose(self.text, Loader=_yaml_loader_class())
                if node is not None:
                    doc = YamlDoc(None, {}, {})
                    _walk_node(node, (), doc, [])
                    self._map = doc.raw
            except Exception:  # noqa: BLE001 - only a nicety for plain-text fields
                pass
        return self._map.get(path, default)


def load_yaml(text: str) -> tuple[YamlDoc | None, list[Issue]]:
    """Parse one block body with the project's strict YAML reader (tracksite.core.yamlsafe: no
    aliases, tags, merge keys or duplicate keys); lines are 1-based within `text`."""
    try:
        from tracksite.core import yamlsafe
    except ImportError:  # pragma: no cover - yamlsafe ships with the package
        return load_yaml_data(text)
    try:
        located = yamlsafe.parse(text)
    except yamlsafe.YamlProblem as exc:
        return None, [Issue(exc.line, exc.message,
                            hint="quote text that contains ': ' or starts with a special "
                                 "character such as *, &, !, [, {, > or |")]
    except Exception as exc:  # noqa: BLE001 - never a traceback for an instructor
        return None, [Issue(None, f"invalid YAML: {exc}")]
    return YamlDoc(located.value, dict(located.lines), _RawScalars(text)), []


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


def load_yaml_data(text: str) -> tuple[YamlDoc | None, list[Issue]]:
    """Parse a (possibly large) YAML data file with libyaml when available, refusing the same
    things as tracksite.core.yamlsafe; lines are 1-based within `text`."""
    loader_cls = _yaml_loader_class()
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None, [Issue(event.start_mark.line + 1,
                                    "YAML anchors and aliases (& and *) are not allowed",
                                    hint="write each value out in full")]
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent,
                                  yaml.MappingStartEvent)) and event.tag is not None:
                return None, [Issue(event.start_mark.line + 1,
                                    f"YAML tags like {event.tag!r} are not allowed",
                                    hint="quote the value if the '!' is part of the text")]
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Issue(line, f"invalid YAML: {what}",
                            hint="quote text that contains ': ' or starts with a special "
                                 "character such as *, &, !, [, {, > or |")]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return None, [Issue(None, f"invalid YAML: {exc}")]
    doc = YamlDoc(data, {}, {})
    issues: list[Issue] = []
    if node is not None:
        _walk_node(node, (), doc, issues)
    return doc, issues


def _walk_node(node, path: tuple, doc: YamlDoc, issues: list[Issue]) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS and not issues:
        issues.append(Issue(node.start_mark.line + 1, f"YAML type {node.tag!r} is not allowed: "
                                                      "only text, numbers, lists and mappings"))
    if isinstance(node, yaml.ScalarNode):
        doc.raw[path] = node.value
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_node(item, path + (index,), doc, issues)
    elif isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                issues.append(Issue(key_node.start_mark.line + 1, f"duplicate key {key!r}",
                                    field=str(key), hint="keep only one"))
            seen.add(key)
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            _walk_node(value_node, path + (key,), doc, issues)


def _line(doc: YamlDoc | None, path: tuple) -> int | None:
    if doc is None:
        return None
    while path:
        if path in doc.lines:
            return doc.lines[path]
        path = path[:-1]
    return doc.lines.get((), 1)


def _field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reader:
    """Typed access to a YamlDoc that records issues instead of raising."""

    def __init__(self, doc: YamlDoc, issues: list[Issue], prefix: str = ""):
        self.doc = doc
        self.issues = issues
        self.prefix = prefix

    def error(self, path: tuple, message: str, hint: str | None = None,
              severity: str = "error") -> None:
        name = _field_name(path)
        self.issues.append(Issue(_line(self.doc, path), message,
                                 field=(self.prefix + name) if name else (self.prefix or None),
                                 hint=hint, severity=severity))

    def text(self, value: Any, path: tuple, required: bool = True) -> str | None:
        if isinstance(value, str):
            text = clean_text(value)
        elif isinstance(value, (bool, int, float)) or type(value).__name__ in ("date", "datetime"):
            # YAML read `no`, `3.10` or `2017-06-12` as a non-string: keep what the author wrote.
            text = clean_text(self.doc.raw.get(path, str(value)))
        elif value is None:
            text = ""
        else:
            self.error(path, f"expected text, found {_kind(value)}",
                       hint="write plain text on one line, or quote it")
            return None
        if not text:
            if required:
                self.error(path, "missing: expected some text")
            return None
        return text

    def keys(self, mapping: dict, path: tuple, allowed: Sequence[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(path + (key,), f"unknown {what} field {key!r}",
                           hint="expected one of: " + ", ".join(allowed))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if value is None:
        return "nothing"
    return type(value).__name__


# ----------------------------------------------------------------------------------------------
# Finding blocks in a Markdown body

RE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
RE_START = re.compile(r"^\s*(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
RE_END = re.compile(r"^\s*(/{3,})[ ]*$")


@dataclass
class BlockSource:
    name: str
    argument: str | None
    length: int  # number of slashes
    line: int  # 1-based file line of the header
    body_line: int  # 1-based file line of the body's first line
    indent: int = 0
    options: str = ""  # indented "header options" lines
    body_lines: list[str] = field(default_factory=list)
    closed: bool = False
    parent: "BlockSource | None" = None
    children: list["BlockSource"] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines)


def find_blocks(text: str, first_line: int = 1) -> tuple[list[BlockSource], list[Issue]]:
    """All `///` blocks of a Markdown body (nested ones in `children`), outside fenced code.

    Issues carry absolute file lines. Mirrors pymdownx.blocks: a block ends at the first line
    with exactly its number of slashes; the body of a data block (flashcards, quiz, ...) is
    taken literally."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    top: list[BlockSource] = []
    stack: list[BlockSource] = []
    issues: list[Issue] = []
    fence: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        lineno = first_line + i
        i += 1
        if fence is not None:
            m = RE_FENCE.match(raw)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                    and not m.group(2).strip():
                fence = None
            if stack:
                stack[-1].body_lines.append(raw)
            continue
        m = RE_FENCE.match(raw)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            if stack:
                stack[-1].body_lines.append(raw)
            continue
        end = RE_END.match(raw)
        if end:
            length = len(end.group(1))
            if stack and stack[-1].length == length:
                stack.pop().closed = True
                continue
            if stack and stack[-1].name in RAW_BLOCKS:
                stack[-1].body_lines.append(raw)
                continue
            opener = next((b for b in reversed(stack) if b.length == length), None)
            if opener is not None:
                inner = stack[-1]
                issues.append(Issue(lineno, f"this {'/' * length} closes the {opener.name} "
                                            f"block from line {opener.line}, but the "
                                            f"{inner.name} block from line {inner.line} is "
                                            "still open",
                                    hint=f"close {inner.name} first with a line "
                                         f"{'/' * inner.length}"))
                while stack and stack[-1] is not opener:
                    stack.pop()
                stack.pop().closed = True
            else:
                issues.append(Issue(lineno, f"a {'/' * length} line that closes no block",
                                    hint="a block ends with the same number of slashes it "
                                         "started with"))
            continue
        start = RE_START.match(raw)
        if start and not (stack and stack[-1].name in RAW_BLOCKS):
            length = len(start.group(1))
            block = BlockSource(name=start.group(2).lower(), argument=start.group(3) or None,
                                length=length, line=lineno, body_line=lineno + 1,
                                indent=len(raw) - len(raw.lstrip(" ")),
                                parent=stack[-1] if stack else None)
            clash = next((b for b in stack if b.length == length), None)
            if clash is not None:
                issues.append(Issue(lineno, f"a block inside the {clash.name} block from line "
                                            f"{clash.line} must use a different number of "
                                            f"slashes than {'/' * length}",
                                    hint=f"write the outer block with {'/' * (length + 1)} "
                                         "(four slashes) and the inner one with ///"))
            # pymdownx header options: the lines right after the header indented 4+ spaces.
            option_lines = []
            while i < len(lines) and re.match(r"^ {%d,}\S" % (block.indent + 4), lines[i]):
                option_lines.append(lines[i])
                i += 1
            block.options = "\n".join(option_lines)
            block.body_line = lineno + 1 + len(option_lines)
            (stack[-1].children if stack else top).append(block)
            stack.append(block)
            continue
        if stack:
            stack[-1].body_lines.append(raw)
    for block in stack:
        issues.append(Issue(block.line, f"the {block.name} block is never closed",
                            hint=f"end it with a line {'/' * block.length}"))
    return top, issues


def iter_blocks(blocks: list[BlockSource]):
    """Depth-first, without recursion: nesting depth is whatever an author (or attacker) wrote."""
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(block.children))


# ----------------------------------------------------------------------------------------------
# Flashcards


@dataclass(frozen=True)
class Flashcard:
    term: str
    answer: str


RE_DEFLIST_ANSWER = re.compile(r"^:[ \t]+(.*)$")


def _looks_like_deflist(body: str) -> bool:
    return any(RE_DEFLIST_ANSWER.match(line) for line in body.split("\n"))


def parse_flashcards(body: str) -> tuple[list[Flashcard], list[Issue]]:
    if _looks_like_deflist(body):
        return _parse_flashcards_deflist(body)
    doc, issues = load_yaml(body)
    if doc is None:
        return [], issues
    reader = _Reader(doc, issues)
    data = doc.data
    hint = "write a YAML list: '- term: ...' with '  answer: ...' on the next line"
    if data is None:
        reader.error((), "no cards: expected a list of cards with term and answer", hint=hint)
        return [], issues
    if not isinstance(data, list):
        reader.error((), f"expected a list of cards, found {_kind(data)}", hint=hint)
        return [], issues
    cards: list[Flashcard] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data):
        path = (index,)
        if not isinstance(item, dict):
            reader.error(path, f"card {index + 1}: expected 'term' and 'answer', found "
                               f"{_kind(item)}", hint=hint)
            continue
        reader.keys(item, path, ("term", "answer"), "flashcard")
        term = reader.text(item.get("term"), path + ("term",))
        answer = reader.text(item.get("answer"), path + ("answer",))
        if term and term in seen:
            reader.error(path + ("term",), f"the term {term!r} is already on card "
                                           f"{seen[term] + 1}", hint="each term once")
        if term:
            seen.setdefault(term, index)
        if term and answer:
            cards.append(Flashcard(term, answer))
    if not data:
        reader.error((), "no cards: expected at least one card", hint=hint)
    return cards, issues


def _parse_flashcards_deflist(body: str) -> tuple[list[Flashcard], list[Issue]]:
    issues: list[Issue] = []
    cards: list[Flashcard] = []
    term: str | None = None
    term_line = 0
    answer: list[str] | None = None

    def finish() -> None:
        if term is None:
            return
        if not answer or not clean_text(" ".join(answer)):
            issues.append(Issue(term_line, f"the term {term!r} has no answer",
                                field="answer", hint="add a line ': answer' right after it"))
        else:
            cards.append(Flashcard(term, clean_text(" ".join(answer))))

    for number, line in enumerate(body.split("\n"), start=1):
        m = RE_DEFLIST_ANSWER.match(line)
        if m:
            if term is None:
                issues.append(Issue(number, "an answer line ': ...' without a term above it",
                                    field="term"))
            elif answer:
                issues.append(Issue(number, f"the term {term!r} has a second answer",
                                    field="answer", hint="one answer per term"))
            else:
                answer = [m.group(1)]
        elif not line.strip():
            continue
        elif line[:1] in (" ", "\t") and answer:
            answer.append(line.strip())
        else:
            finish()
            term, term_line, answer = clean_text(line), number, None
    finish()
    if not cards and not issues:
        issues.append(Issue(None, "no cards: expected at least one term with an answer"))
    return cards, issues


# ----------------------------------------------------------------------------------------------
# Quiz


@dataclass(frozen=True)
class QuizOption:
    text: str
    correct: bool
    explain: str


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    options: tuple[QuizOption, ...]

    @property
    def multiple(self) -> bool:
        return sum(1 for o in self.options if o.correct) > 1


def parse_quiz(body: str) -> tuple[list[QuizQuestion], list[Issue]]:
    doc, issues = load_yaml(body)
    if doc is None:
        return [], issues
    reader = _Reader(doc, issues)
    data = doc.data
    hint = "write a YAML list: '- question: ...' then 'options:' with '- text:', 'explain:'"
    if not isinstance(data, list) or not data:
        reader.error((), "expected a list of questions, found " + _kind(data)
                     if data else "no questions: expected at least one", hint=hint)
        return [], issues
    questions: list[QuizQuestion] = []
    for qi, item in enumerate(data):
        path = (qi,)
        if not isinstance(item, dict):
            reader.error(path, f"question {qi + 1}: expected 'question' and 'options', found "
                               f"{_kind(item)}", hint=hint)
            continue
        reader.keys(item, path, ("question", "options"), "question")
        text = reader.text(item.get("question"), path + ("question",))
        options_value = item.get("options")
        opath = path + ("options",)
        if not isinstance(options_value, list):
            reader.error(opath if "options" in item else path,
                         f"question {qi + 1}: expected a list of at least 2 options, found "
                         + _kind(options_value), hint=hint)
            continue
        if len(options_value) < 2:
            reader.error(opath, f"question {qi + 1}: expected at least 2 options, found "
                                f"{len(options_value)}")
        options: list[QuizOption] = []
        bad = False
        for oi, option in enumerate(options_value):
            p = opath + (oi,)
            if isinstance(option, str):
                reader.error(p, f"option {oi + 1} of question {qi + 1} is bare text: expected "
                                "'text:', 'explain:' and for right answers 'correct: true'")
                bad = True
                continue
            if not isinstance(option, dict):
                reader.error(p, f"option {oi + 1}: expected 'text' and 'explain', found "
                                f"{_kind(option)}")
                bad = True
                continue
            reader.keys(option, p, ("text", "correct", "explain"), "option")
            otext = reader.text(option.get("text"), p + ("text",))
            if "explain" not in option:
                reader.error(p, f"option {oi + 1} of question {qi + 1} has no 'explain': every "
                                "option needs one, saying why it is right or wrong")
                explain = None
            else:
                explain = reader.text(option.get("explain"), p + ("explain",))
            correct = option.get("correct", False)
            if not isinstance(correct, bool):
                reader.error(p + ("correct",), f"expected true or false, found {_kind(correct)}")
                correct = False
            if otext is None or explain is None:
                bad = True
                continue
            options.append(QuizOption(otext, correct, explain))
        if not bad and len(options) >= 2 and not any(o.correct for o in options):
            reader.error(opath, f"question {qi + 1} has no correct option",
                         hint="mark at least one option with 'correct: true'")
            bad = True
        seen = set()
        for oi, o in enumerate(options):
            if o.text in seen:
                reader.error(opath + (oi, "text"), f"option text {o.text!r} appears twice")
            seen.add(o.text)
        if text and not bad and len(options) >= 2:
            questions.append(QuizQuestion(text, tuple(options)))
    return questions, issues


# ----------------------------------------------------------------------------------------------
# Attention


@dataclass(frozen=True)
class AttentionSpec:
    data: str
    compare: str | None = None
    focus: str | None = None
    target: str | None = None
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class AttentionData:
    sentence: str
    tokens: tuple[str, ...]
    weights: list  # weights[layer][head][query][key]
    words: tuple[tuple[int, ...], ...] | None = None
    source: str = ""
    label: str | None = None

    @property
    def layers(self) -> int:
        return len(self.weights)

    @property
    def heads(self) -> int:
        return len(self.weights[0])


ATTENTION_FIELDS = ("data", "compare", "focus", "target")
DATA_FIELDS = ("sentence", "tokens", "words", "weights", "source", "label")
DATA_SUFFIXES = (".json", ".yaml", ".yml")


def parse_attention_spec(body: str) -> tuple[AttentionSpec | None, list[Issue]]:
    doc, issues = load_yaml(body)
    if doc is None:
        return None, issues
    reader = _Reader(doc, issues)
    if not isinstance(doc.data, dict):
        reader.error((), f"expected 'data: <file>.json' (and optionally compare, focus, "
                         f"target), found {_kind(doc.data)}")
        return None, issues
    reader.keys(doc.data, (), ATTENTION_FIELDS, "attention")
    values = {}
    for key in ATTENTION_FIELDS:
        values[key] = reader.text(doc.data.get(key), (key,), required=key == "data")
    for key in ("data", "compare"):
        name = values[key]
        if name is None:
            continue
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or "\\" in name or "://" in name:
            reader.error((key,), f"expected a file name beside the lesson, found {name!r}",
                         hint="e.g. it-tired.json")
            values[key] = None
        elif pure.suffix.lower() not in DATA_SUFFIXES:
            reader.error((key,), f"expected a .json, .yaml or .yml file, found {name!r}")
            values[key] = None
    if _errors(issues) or values["data"] is None:
        return None, issues
    return AttentionSpec(values["data"], values["compare"], values["focus"],
                         values["target"], dict(doc.lines)), issues


def load_attention_data(path: Path) -> tuple[AttentionData | None, list[Issue]]:
    """Read and validate one attention data file (cached on path, size and mtime)."""
    try:
        stat = path.stat()
    except OSError:
        return None, [Issue(None, f"data file not found: {path.name}", file=path,
                            hint="put it beside lesson.md")]
    return _load_attention_data_cached(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _load_attention_data_cached(path_str: str, size: int, mtime: int):
    path = Path(path_str)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Issue(None, f"cannot read the data file: {exc}", file=path)]
    data, issues = _parse_data_text(text, path)
    if data is None:
        return None, issues
    result, problems = _validate_attention_data(data, text, path)
    return result, issues + problems


def _parse_data_text(text: str, path: Path):
    if path.suffix.lower() == ".json":
        def bad_constant(name):
            raise ValueError(f"{name} is not a number JSON allows")
        try:
            return json.loads(text, parse_constant=bad_constant), []
        except json.JSONDecodeError as exc:
            return None, [Issue(exc.lineno, f"invalid JSON: {exc.msg}", file=path)]
        except (ValueError, RecursionError) as exc:
            return None, [Issue(None, f"invalid JSON: {exc}", file=path)]
    doc, issues = load_yaml_data(text)
    issues = [Issue(i.line, i.message, i.field, i.hint, i.severity, path) for i in issues]
    return (doc.data if doc is not None else None), issues


class _DataLines:
    """Lines of values in a data file, computed only when a problem needs one."""

    def __init__(self, text: str):
        self.text = text
        self._doc: YamlDoc | None | bool = False

    def __call__(self, path: tuple) -> int | None:
        if self._doc is False:
            try:
                self._doc, _ = load_yaml_data(self.text)
            except Exception:  # noqa: BLE001 - a line number is a nicety, never a crash
                self._doc = None
        return _line(self._doc, path) if self._doc else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _validate_attention_data(data: Any, text: str, path: Path):
    issues: list[Issue] = []
    lines = _DataLines(text)

    def err(p: tuple, message: str, hint: str | None = None) -> None:
        issues.append(Issue(lines(p), message, field=_field_name(p) or None, hint=hint,
                            file=path))

    if not isinstance(data, dict):
        err((), f"expected a mapping with sentence, tokens, weights and source, found "
                f"{_kind(data)}")
        return None, issues
    for key in data:
        if key not in DATA_FIELDS:
            err((key,), f"unknown field {key!r}", hint="expected one of: " + ", ".join(DATA_FIELDS))
    sentence = data.get("sentence")
    if not isinstance(sentence, str) or not sentence.strip():
        err(("sentence",), "expected the sentence as text")
    tokens = data.get("tokens")
    if not isinstance(tokens, list) or not tokens or \
            not all(isinstance(t, str) and t.strip() for t in tokens):
        err(("tokens",), "expected a non-empty list of tokens (text), as the model's tokenizer "
                         "split the sentence")
        tokens = None
    source = data.get("source")
    if isinstance(source, dict) and source:
        source_text = source_sentence(source)
    elif isinstance(source, str) and source.strip():
        source_text = source.strip()
    else:
        err(("source",), "expected where the weights come from: a mapping {model, package, "
                         "package_version, tokenizer} or a sentence")
        source_text = ""
    label = data.get("label")
    if label is not None and not (isinstance(label, str) and label.strip()):
        err(("label",), "expected a short text label, e.g. tired")
        label = None
    weights = data.get("weights")
    n = len(tokens) if tokens else None
    shape_ok = True
    if not isinstance(weights, list) or not weights:
        err(("weights",), "expected weights[layer][head][query][key]: a list of at least one "
                          "layer")
        shape_ok = False
    else:
        heads = None
        count = 0
        for li, layer in enumerate(weights):
            if count >= MAX_ISSUES_PER_FILE:
                break
            if not isinstance(layer, list) or not layer:
                err(("weights", li), f"layer {li + 1}: expected a list of at least one head")
                shape_ok = False
                count += 1
                continue
            if heads is None:
                heads = len(layer)
            elif len(layer) != heads:
                err(("weights", li), f"layer {li + 1} has {len(layer)} heads, layer 1 has "
                                     f"{heads}: every layer needs the same number")
                shape_ok = False
                count += 1
            for hi, head in enumerate(layer):
                if count >= MAX_ISSUES_PER_FILE:
                    break
                where = f"layer {li + 1}, head {hi + 1}"
                if not isinstance(head, list) or (n is not None and len(head) != n):
                    err(("weights", li, hi), f"{where}: expected {n if n else 'one'} rows (one "
                                             "per token), found "
                                             + (str(len(head)) if isinstance(head, list)
                                                else _kind(head)))
                    shape_ok = False
                    count += 1
                    continue
                for qi, row in enumerate(head):
                    if count >= MAX_ISSUES_PER_FILE:
                        break
                    p = ("weights", li, hi, qi)
                    tok = f" ({tokens[qi]!r})" if tokens and qi < len(tokens) else ""
                    if not isinstance(row, list) or (n is not None and len(row) != n):
                        err(p, f"{where}, query {qi + 1}{tok}: expected {n} weights (one per "
                               "token), found " + (str(len(row)) if isinstance(row, list)
                                                   else _kind(row)))
                        shape_ok = False
                        count += 1
                        continue
                    if not all(_is_number(w) for w in row):
                        err(p, f"{where}, query {qi + 1}{tok}: every weight must be a number")
                        shape_ok = False
                        count += 1
                        continue
                    if any(w < 0 or w > 1 for w in row):
                        err(p, f"{where}, query {qi + 1}{tok}: weights must lie between 0 and 1")
                        shape_ok = False
                        count += 1
                        continue
                    total = sum(row)
                    if abs(total - 1) > 1e-3:
                        err(p, f"{where}, query {qi + 1}{tok}: weights sum to {total:.4f}; "
                               "expected 1 (within 0.001): each row is a softmax output")
                        shape_ok = False
                        count += 1
    words_value = data.get("words")
    words = None
    if words_value is not None and tokens:
        ok = isinstance(words_value, list) and words_value and all(
            isinstance(w, list) and w and all(isinstance(i, int) and not isinstance(i, bool)
                                              for i in w) for w in words_value)
        flat = [i for w in words_value for i in w] if ok else []
        if not ok or flat != list(range(len(tokens))):
            err(("words",), "expected words as lists of token indices covering every token "
                            "once, in order, e.g. [[0], [1], [2, 3]]",
                hint=f"token indices run from 0 to {len(tokens) - 1}")
        else:
            words = tuple(tuple(w) for w in words_value)
    if issues or not tokens or not shape_ok:
        return None, issues
    return AttentionData(sentence.strip(), tuple(tokens), weights, words, source_text,
                         label.strip() if isinstance(label, str) else None), issues


def source_sentence(source: dict) -> str:
    """"model (package 1.0; tokenizer: ...; generated by ...)" from a data file's source."""
    plain = {str(k): str(v).strip() for k, v in source.items()
             if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip()}
    head = plain.pop("model", "")
    parts = []
    package = plain.pop("package", "")
    version = plain.pop("package_version", "")
    if package:
        parts.append(f"package {package}" + (f" {version}" if version else ""))
    elif version:
        parts.append(f"version {version}")
    for key in ("tokenizer", "generated_by"):
        if key in plain:
            parts.append(f"{key.replace('_', ' ')}{':' if key == 'tokenizer' else ''} "
                         f"{plain.pop(key)}")
    if "decimals" in plain:
        parts.append(f"rounded to {plain.pop('decimals')} decimals")
    parts += [f"{k.replace('_', ' ')}: {v}" for k, v in plain.items()]
    if not head:
        return "; ".join(parts)
    return head + (f" ({'; '.join(parts)})" if parts else "")


def word_label(tokens: Sequence[str], pieces: Sequence[int]) -> str:
    """The word a group of pieces spells: "play" + "##ing" -> "playing"."""
    out = ""
    for n, i in enumerate(pieces):
        t = tokens[i]
        if n and t.startswith("##"):
            t = t[2:]
        out += t
    return out


@dataclass(frozen=True)
class AttentionView:
    """What the page shows before any script runs: the opening head, caption and table."""

    layer: int  # 0-based
    head: int  # 0-based
    focus: int  # token index
    target: int | None
    caption: str
    rows: tuple[tuple[str, float], ...]  # (token, weight) for the focus token, sentence order


def _default_focus(tokens: Sequence[str]) -> int:
    return next((i for i, t in enumerate(tokens) if t not in SPECIAL_TOKENS), 0)


def attention_view(data: AttentionData, focus: str | None = None,
                   target: str | None = None) -> AttentionView:
    """Pick the opening (layer, head) and write an honest caption.

    With a target: the head where focus gives target the largest weight. The caption then says
    whether, in that head, target is also the token focus attends to most, looking past the
    special tokens ([CLS], [SEP], ...) but not past focus itself."""
    tokens = data.tokens
    fi = tokens.index(focus) if focus in tokens else _default_focus(tokens)
    ti = tokens.index(target) if target in tokens else None
    f = tokens[fi]
    if ti is None:
        layer = head = 0
        row = data.weights[0][0][fi]
        caption = (f"Layer 1, head 1: how much attention \u201c{f}\u201d gives each token. "
                   "Choose another token, layer or head to compare.")
    else:
        best = (-1.0, 0, 0)
        for li, heads in enumerate(data.weights):
            for hi, rows in enumerate(heads):
                w = rows[fi][ti]
                if w > best[0]:
                    best = (w, li, hi)
        weight, layer, head = best
        row = data.weights[layer][head][fi]
        t = tokens[ti]
        lead = (f"Layer {layer + 1}, head {head + 1}: \u201c{f}\u201d puts {weight:.2f} of its "
                f"attention on \u201c{t}\u201d, more than in any other head")
        ranked = sorted(range(len(tokens)), key=lambda k: -row[k])
        top = ranked[0]
        top_plain = next(k for k in ranked if tokens[k] not in SPECIAL_TOKENS or k == ti)
        if top == ti:
            caption = lead + ", and more than on any other token."
        elif top_plain == ti:
            caption = (lead + f". Only the special token {tokens[top]} gets more "
                       f"({row[top]:.2f}); among the words, \u201c{t}\u201d gets the most.")
        else:
            other = "itself" if top_plain == fi else f"\u201c{tokens[top_plain]}\u201d"
            caption = (lead + f". Even here \u201c{f}\u201d attends more to {other} "
                       f"({row[top_plain]:.2f}): no head makes \u201c{t}\u201d its main focus.")
    rows_out = tuple((tok, float(row[k])) for k, tok in enumerate(tokens))
    return AttentionView(layer, head, fi, ti, caption, rows_out)


def _attention_block_issues(spec: AttentionSpec, source_dir: Path):
    """Load the data (and compare) files of a spec; returns (main, compare, issues)."""
    issues: list[Issue] = []
    loaded = []
    for key in ("data", "compare"):
        name = getattr(spec, key)
        if name is None:
            loaded.append(None)
            continue
        data, problems = load_attention_data(source_dir / name)
        issues.extend(problems)
        loaded.append(data)
    main, compare = loaded
    if main is not None:
        for key in ("focus", "target"):
            value = getattr(spec, key)
            if value is not None and value not in main.tokens:
                issues.append(Issue(spec.lines.get((key,)), f"{key} {value!r} is not one of the tokens of "
                                          f"{spec.data}",
                                    field=key, hint="tokens: " + " ".join(main.tokens)))
        if spec.focus and spec.target and spec.focus == spec.target:
            issues.append(Issue(spec.lines.get(("target",)), "focus and target are the same token",
                                field="target"))
    if main is not None and compare is not None and \
            (main.layers, main.heads) != (compare.layers, compare.heads):
        issues.append(Issue(spec.lines.get(("compare",)), f"{spec.compare} has {compare.layers} layers x "
                                  f"{compare.heads} heads but {spec.data} has {main.layers} x "
                                  f"{main.heads}: a minimal pair must come from the same model",
                            field="compare"))
    return main, compare, issues


@dataclass(frozen=True)
class AttentionBlock:
    spec: AttentionSpec
    data: AttentionData
    compare: AttentionData | None
    view: AttentionView


def parse_attention(body: str, source_dir: Path) -> tuple[AttentionBlock | None, list[Issue]]:
    spec, issues = parse_attention_spec(body)
    if spec is None:
        return None, issues
    main, compare, more = _attention_block_issues(spec, source_dir)
    issues = issues + more
    if main is None or _errors(issues):
        return None, issues
    view = attention_view(main, spec.focus, spec.target)
    return AttentionBlock(spec, main, compare, view), issues


# ----------------------------------------------------------------------------------------------
# Attention, step by step (computed at build time)

STEP_FIELDS = ("tokens", "x", "w_q", "w_k", "w_v")
MAX_STEP_TOKENS = 12
MAX_STEP_DIM = 12


@dataclass(frozen=True)
class StepsData:
    tokens: tuple[str, ...]
    x: list[list[float]]
    w_q: list[list[float]]
    w_k: list[list[float]]
    w_v: list[list[float]]
    q: list[list[float]]
    k: list[list[float]]
    v: list[list[float]]
    scores: list[list[float]]
    scaled: list[list[float]]
    weights: list[list[float]]
    output: list[list[float]]

    @property
    def d_k(self) -> int:
        return len(self.w_q[0])


def matmul(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> list[list[float]]:
    cols = list(zip(*b))
    return [[math.fsum(x * y for x, y in zip(row, col)) for col in cols] for row in a]


def transpose(a: Sequence[Sequence[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*a)]


def softmax_rows(a: Sequence[Sequence[float]]) -> list[list[float]]:
    out = []
    for row in a:
        top = max(row)
        exps = [math.exp(v - top) for v in row]
        total = math.fsum(exps)
        out.append([e / total for e in exps])
    return out


def parse_attention_steps(body: str) -> tuple[StepsData | None, list[Issue]]:
    doc, issues = load_yaml(body)
    if doc is None:
        return None, issues
    reader = _Reader(doc, issues)
    data = doc.data
    if not isinstance(data, dict):
        reader.error((), "expected a mapping with tokens, x, w_q, w_k and w_v, found "
                         + _kind(data))
        return None, issues
    reader.keys(data, (), STEP_FIELDS, "attention-steps")
    tokens = data.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        reader.error(("tokens",), "expected a list of tokens, e.g. [it, animal]")
        tokens = None
    else:
        tokens = [reader.text(t, ("tokens", i)) for i, t in enumerate(tokens)]
        if any(t is None for t in tokens):
            tokens = None
        elif len(tokens) > MAX_STEP_TOKENS:
            reader.error(("tokens",), f"at most {MAX_STEP_TOKENS} tokens fit in the tables, "
                                      f"found {len(tokens)}")

    def matrix(key: str, rows: int | None, cols: int | None, what: str):
        value = data.get(key)
        p = (key,)
        if key not in data:
            reader.error(p, f"missing: expected {what}")
            return None
        if not isinstance(value, list) or not value or not all(isinstance(r, list) and r
                                                                for r in value):
            reader.error(p, f"expected {what} as a list of rows, e.g. [[1, 0], [0, 1]]")
            return None
        for ri, row in enumerate(value):
            if not all(_is_number(v) for v in row):
                reader.error(p + (ri,), f"{key} row {ri + 1}: every entry must be a number")
                return None
            if any(abs(v) > 1e6 for v in row):
                reader.error(p + (ri,), f"{key} row {ri + 1}: keep entries small (|x| <= 1e6)")
                return None
        width = len(value[0])
        for ri, row in enumerate(value):
            if len(row) != width:
                reader.error(p + (ri,), f"{key} row {ri + 1} has {len(row)} entries, row 1 has "
                                        f"{width}: every row needs the same length")
                return None
        if rows is not None and len(value) != rows:
            reader.error(p, f"{key} has {len(value)} rows; expected {rows} ({what})")
            return None
        if cols is not None and width != cols:
            reader.error(p, f"{key} rows have {width} entries; expected {cols} ({what})")
            return None
        if width > MAX_STEP_DIM:
            reader.error(p, f"{key} has {width} columns; at most {MAX_STEP_DIM} fit in the "
                            "tables")
            return None
        return [[float(v) for v in row] for row in value]

    n = len(tokens) if tokens else None
    x = matrix("x", n, None, "one embedding row per token")
    d_model = len(x[0]) if x else None
    w_q = matrix("w_q", d_model, None, "d_model rows (the width of x)")
    d_k = len(w_q[0]) if w_q else None
    w_k = matrix("w_k", d_model, d_k, "d_model rows and d_k columns, like w_q")
    w_v = matrix("w_v", d_model, None, "d_model rows (the width of x)")
    if _errors(issues) or None in (tokens, x, w_q, w_k, w_v):
        return None, issues
    q, k, v = matmul(x, w_q), matmul(x, w_k), matmul(x, w_v)
    scores = matmul(q, transpose(k))
    scale = math.sqrt(len(w_q[0]))
    scaled = [[s / scale for s in row] for row in scores]
    weights = softmax_rows(scaled)
    output = matmul(weights, v)
    return StepsData(tuple(tokens), x, w_q, w_k, w_v, q, k, v, scores, scaled, weights,
                     output), issues


def fmt(value: float, decimals: int = 2) -> str:
    """A number as the tables show it: `decimals` places, never "-0.00"."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def fmt_matrix(matrix: Sequence[Sequence[float]], decimals: int = 2) -> list[list[str]]:
    """Whole numbers stay whole (as the instructor typed them); otherwise fixed decimals."""
    if all(float(v).is_integer() and abs(v) < 1e9 for row in matrix for v in row):
        return [[str(int(v)) for v in row] for row in matrix]
    return [[fmt(v, decimals) for v in row] for row in matrix]


# ----------------------------------------------------------------------------------------------
# Storage keys


def content_key(*parts: Any) -> str:
    """A short fingerprint of a widget's content, so saved answers of an edited quiz are dropped."""
    blob = json.dumps(parts, default=lambda o: o.__dict__, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:8]


# ----------------------------------------------------------------------------------------------
# Validation of a whole lesson body


def _check_options(block: BlockSource) -> list[Issue]:
    if not block.options.strip():
        return []
    doc, issues = load_yaml(_dedent(block.options))
    line = block.line + 1
    if doc is None:
        return [Issue(line, f"block options: {i.message}", hint=i.hint) for i in issues]
    if not isinstance(doc.data, dict):
        return [Issue(line, "lines indented 4 spaces right after a block header are read as "
                            "block options, and these are not a YAML mapping",
                      hint="start the body at the same indentation as the /// line")]
    out = []
    for key in doc.data:
        if key != "attrs":
            out.append(Issue(line + (doc.lines.get((key,), 1) - 1),
                             f"unknown block option {key!r} for {block.name}",
                             field=str(key),
                             hint="the only block option is attrs; other settings go in the "
                                  "body, not indented"))
    return out


def _dedent(text: str) -> str:
    lines = text.split("\n")
    width = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
    return "\n".join(x[width:] for x in lines)


def block_issues(block: BlockSource, source_dir: Path) -> list[Issue]:
    """Issues of one block: lines relative to the body, data-file issues with `file` set."""
    name = block.name
    body = _dedent(block.body)
    if name == "flashcards":
        return parse_flashcards(body)[1]
    if name == "quiz":
        return parse_quiz(body)[1]
    if name == "attention":
        return parse_attention(body, source_dir)[1]
    if name == "attention-steps":
        return parse_attention_steps(body)[1]
    return []


def validate_widgets(display_path: str, text: str, first_line: int, source_dir: Path,
                     *, known_blocks: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with the widget blocks of one Markdown body (front-matter removed).

    `first_line` is the 1-based file line of the body's first line; data-file problems are
    reported at the data file (a path beside `display_path`)."""
    known = frozenset(known_blocks) if known_blocks is not None else DEFAULT_KNOWN_BLOCKS
    problems: list[Problem] = []

    def add(issue: Issue, line_offset: int | None, block: BlockSource | None) -> None:
        if issue.file is not None:
            path = str(PurePosixPath(display_path).parent / issue.file.name) \
                if issue.file.parent == Path(source_dir) else issue.file.as_posix()
            line = issue.line
        else:
            path = display_path
            if issue.line is None:
                line = block.line if block is not None else None
            else:
                line = issue.line + (line_offset or 0)
        name = issue.field
        if block is not None and issue.file is None:  # "quiz[0].options", "attention.focus"
            name = block.name + (("" if name.startswith("[") else ".") + name if name else "")
        problems.append(Problem(path, line, issue.message, name, issue.hint,
                                "warning" if issue.severity == "warning" else "error"))

    try:
        blocks, issues = find_blocks(text, first_line)
    except Exception as exc:  # noqa: BLE001 - never a traceback for an instructor
        return [Problem(display_path, first_line, f"could not read the widget blocks: {exc}")]
    for issue in issues:
        add(issue, None, None)
    for block in iter_blocks(blocks):
        try:
            _validate_block(block, known, source_dir, add)
        except Exception as exc:  # noqa: BLE001
            add(Issue(None, f"could not check this block: {type(exc).__name__}: {exc}"),
                None, block)
    return problems


def _validate_block(block: BlockSource, known: frozenset, source_dir: Path, add) -> None:
    name = block.name
    if name not in known:
        add(Issue(block.line, f"unknown block '{name}'",
                  hint="expected one of: " + ", ".join(sorted(known))), 0, None)
        return
    for issue in _check_options(block):
        add(issue, 0, block)
    if name not in WIDGET_BLOCKS:
        return
    offset = block.body_line - 1
    if name == "solution":
        if block.parent is None or block.parent.name != "exercise":
            add(Issue(block.line, "a solution block must sit inside an exercise block",
                      hint="//// exercise | Title, the task, then /// solution ... /// and "
                           "finally ////"), 0, block)
        if block.argument:
            add(Issue(block.line, "solution takes no title (the button reads \"Show solution\")",
                      severity="warning"), 0, block)
        if not block.body.strip():
            add(Issue(block.line, "the solution is empty"), 0, block)
        return
    if name == "exercise":
        solutions = [c for c in block.children if c.name == "solution"]
        task = "\n".join(block.body_lines).strip()
        if not task:
            add(Issue(block.line, "the exercise has no task text"), 0, block)
        if not solutions:
            add(Issue(block.line, "the exercise has no solution",
                      hint="add /// solution ... /// inside it (the exercise uses ////)",
                      severity="warning"), 0, block)
        if block.length == 3 and solutions:
            pass  # reported by find_blocks as a slash clash
        return
    if name == "instructor":
        if not block.body.strip():
            add(Issue(block.line, "the instructor block is empty"), 0, block)
        return
    if not block.body.strip():
        add(Issue(block.line, f"the {name} block is empty"), 0, block)
        return
    for issue in block_issues(block, source_dir):
        add(issue, offset, block)
