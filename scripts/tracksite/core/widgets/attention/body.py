"""`/// attention`: a real model's attention weights, from a data file beside the lesson.

The block body (`ATTENTION`, core/widgets/attention/schema.py) names the file; the file (ATTENTION_DATA) holds
the sentence, tokens, weights[layer][head][query][key] and where they come from. The opening
view (layer, head, caption) is chosen here, at build time, so the page reads without script.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core import messages
from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import (
    INVALID,
    Either,
    Field,
    ListOf,
    MapOf,
    Mapping,
    Spec,
    Text,
    Whole,
    read,
)
from tracksite.core.widgets.attention.schema import ATTENTION
from tracksite.core.widgets.attention.shapes import AttentionSpecFields
from tracksite.core.widgets.body import Body, errors, read_body
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

# The body's description (ATTENTION) is core/widgets/attention/schema.py; `AttentionSpecFields` is generated
# from it (core/widgets/attention/shapes.py, `tracksite docs --write`).

MAX_FINDINGS_PER_FILE = 12


class Weights(Spec):
    """weights[layer][head][query][key]: every layer the same number of heads, every head a
    square of rows, every row a softmax output (numbers from 0 to 1 summing to 1)."""

    def _read(self, value, path, ctx):
        before = len(ctx.findings)

        def bad(p, message):
            if len(ctx.findings) - before < MAX_FINDINGS_PER_FILE:
                ctx.report(path + p, message, code="TS406")

        if not isinstance(value, list) or not value:
            bad((), "expected weights[layer][head][query][key]: a list of at least one layer")
            return INVALID
        heads = len(value[0]) if isinstance(value[0], list) else None
        for li, layer in enumerate(value):
            if not isinstance(layer, list) or not layer:
                bad((li,), f"layer {li + 1}: expected a list of at least one head")
            elif len(layer) != heads:
                bad(
                    (li,),
                    f"layer {li + 1} has {len(layer)} heads, layer 1 has {heads}: every layer needs the same number",
                )
            else:
                for hi, head in enumerate(layer):
                    self._head(head, (li, hi), bad)
        return value if len(ctx.findings) == before else INVALID

    @staticmethod
    def _head(head, p, bad):
        where = f"layer {p[0] + 1}, head {p[1] + 1}"
        if not isinstance(head, list) or not head:
            bad(p, f"{where}: expected one row per token")
            return
        n = max((len(r) for r in head if isinstance(r, list)), default=len(head))  # tokens, as most rows say
        if len(head) != n:
            bad(p, f"{where}: expected {n} rows (one per token, as many as each row has weights), found {len(head)}")
            return
        for qi, row in enumerate(head):
            if not isinstance(row, list) or len(row) != n:
                bad(p + (qi,), f"{where}, query {qi + 1}: expected {n} weights (one per token)")
            elif not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: every weight must be a number")
            elif any(w < 0 or w > 1 for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: weights must lie between 0 and 1")
            elif abs(sum(row) - 1) > 1e-3:
                bad(
                    p + (qi,),
                    f"{where}, query {qi + 1}: weights sum to {sum(row):.4f}; expected 1 (within 0.001): "
                    "each row is a softmax output",
                )

    def _json(self):
        row = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 1}
        return {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": row}},
        }

    def describe(self):
        return "weights[layer][head][query][key], each row summing to 1"


def _fits_tokens(data, path, ctx):
    n = len(data["tokens"])
    if len(data["weights"][0][0]) != n:
        ctx.report(
            path + ("weights",),
            f"each head has {len(data['weights'][0][0])} rows; expected {n}, one per token",
            code="TS406",
        )
    words = data["words"]
    if words and [i for w in words for i in w] != list(range(n)):
        ctx.report(
            path + ("words",),
            "expected words as lists of token indices covering every token once, in order, e.g. [[0], [1], [2, 3]]",
            f"token indices run from 0 to {n - 1}",
            code="TS406",
        )


ATTENTION_DATA = Mapping(
    help="An attention data file (JSON or YAML) beside the lesson, as `tracksite attention` writes it.",
    name="attention data",
    rules=(_fits_tokens,),
    fields=(
        Field("sentence", Text(help="The sentence, as written."), required=True),
        Field(
            "tokens",
            ListOf(
                item=Text(max_length=100),
                min_items=1,
                max_items=512,
                noun="token",
                help="The tokens, as the model's tokenizer split the sentence.",
            ),
            required=True,
        ),
        Field(
            "words",
            ListOf(
                item=ListOf(item=Whole(minimum=0, maximum=511), min_items=1, noun="index"),
                noun="word",
                help="Which tokens make each word, e.g. [[0], [1], [2, 3]].",
            ),
        ),
        Field("weights", Weights(help="weights[layer][head][query][key]: each row a softmax output."), required=True),
        Field(
            "source",
            Either(options=(Text(), MapOf(key=Text(max_length=100), value=Text(numbers=True), name="a mapping"))),
            required=True,
            example="source: {model: ..., package: ..., package_version: ..., tokenizer: ...}",
        ),
        Field("label", Text(max_length=60, help="A short label for the widget's sentence switch, e.g. tired.")),
    ),
)

#: Tokens a model adds around the text; captions look past them (BERT heads often park their
#: attention on [SEP] or [CLS] as a "no-op", so they say little about which word matters).
SPECIAL_TOKENS = frozenset(
    {"[CLS]", "[SEP]", "[PAD]", "[MASK]", "<s>", "</s>", "<pad>", "<|endoftext|>", "<bos>", "<eos>"}
)


@dataclass(frozen=True, kw_only=True)
class AttentionSpec(AttentionSpecFields):
    """A block's body as written, with the line of each key (to point a data file's problem at)."""

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


def parse_attention_spec(body: str) -> tuple[AttentionSpec | None, list[Finding]]:
    value, findings, lines = read_body(
        body, ATTENTION, "expected 'data: <file>.json' (and optionally compare, focus, target)"
    )
    if value is INVALID:
        return None, findings
    spec = AttentionSpec(
        data=value["data"], compare=value["compare"], focus=value["focus"], target=value["target"], lines=dict(lines)
    )
    return spec, findings


def load_attention_data(path: Path) -> tuple[AttentionData | None, list[Finding]]:
    """Read and validate one attention data file (cached on path, size and mtime)."""
    try:
        stat = path.stat()
    except OSError:
        return None, [
            Finding(None, f"data file not found: {path.name}", file=path, hint="put it beside lesson.md", code="TS407")
        ]
    return _load_attention_data_cached(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _load_attention_data_cached(path_str: str, size: int, mtime: int):
    path = Path(path_str)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding(None, f"cannot read the data file: {exc}", file=path, code="TS407")]
    data, lines, findings = _parse_data_text(text, path)
    if findings:
        return None, findings
    value, findings = read(ATTENTION_DATA, data, lines)
    findings = [dataclasses.replace(f, file=path) for f in findings]
    if value is INVALID:
        return None, findings
    source = value["source"]
    return AttentionData(
        value["sentence"].strip(),
        tuple(value["tokens"]),
        value["weights"],
        tuple(tuple(w) for w in value["words"]) if value["words"] else None,
        source_sentence(source) if isinstance(source, dict) else source.strip(),
        value["label"].strip() if value["label"] else None,
    ), findings


def _parse_data_text(text: str, path: Path):
    """(data, key path -> line, findings): JSON with its own line numbers, or strict YAML."""
    if path.suffix.lower() == ".json":

        def bad_constant(name):
            raise ValueError(f"{name} is not a number JSON allows")

        try:
            return json.loads(text, parse_constant=bad_constant), _JsonLines(text), []
        except json.JSONDecodeError as exc:
            return (
                None,
                {},
                [Finding(exc.lineno, f"invalid JSON: {exc.msg}", file=path, code="TS407", column=exc.colno)],
            )
        except (ValueError, RecursionError) as exc:
            return None, {}, [Finding(None, f"invalid JSON: {exc}", file=path, code="TS407")]
    try:
        located = parse(text)
    except SourceProblem as exc:
        return None, {}, [Finding(exc.line, exc.message, file=path, code=exc.code, column=exc.column)]
    return located.value, located.lines, []


class _JsonLines(dict):
    """Lines of a JSON file's values, computed (by the YAML reader: JSON is YAML) only when a
    problem needs one."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.done = text, False

    def _fill(self) -> None:
        if not self.done:
            self.done = True
            try:
                self.update(parse(self.text).lines)
            except (SourceProblem, RecursionError):
                pass

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def __contains__(self, key):
        self._fill()
        return super().__contains__(key)


def source_sentence(source: dict) -> str:
    """ "model (package 1.0; tokenizer: ...; generated by ...)" from a data file's source."""
    plain = {
        str(k): str(v).strip()
        for k, v in source.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip()
    }
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
            parts.append(f"{key.replace('_', ' ')}{':' if key == 'tokenizer' else ''} {plain.pop(key)}")
    if "decimals" in plain:
        parts.append(f"rounded to {plain.pop('decimals')} decimals")
    parts += [f"{k.replace('_', ' ')}: {v}" for k, v in plain.items()]
    if not head:
        return "; ".join(parts)
    return head + (f" ({'; '.join(parts)})" if parts else "")


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


def attention_view(
    data: AttentionData, focus: str | None = None, target: str | None = None, lang: str = "en"
) -> AttentionView:
    """Pick the opening (layer, head) and write an honest caption, in the page's language.

    With a target: the head where focus gives target the largest weight. The caption then says
    whether, in that head, target is also the token focus attends to most, looking past the
    special tokens ([CLS], [SEP], ...) but not past focus itself."""
    words = messages.catalogue(lang)

    def q(token: str) -> str:
        return words.text("quoted", text=token)

    def share(weight: float) -> str:
        return messages.decimal(weight, lang)

    tokens = data.tokens
    fi = tokens.index(focus) if focus in tokens else _default_focus(tokens)
    ti = tokens.index(target) if target in tokens else None
    f = tokens[fi]
    if ti is None:
        layer = head = 0
        row = data.weights[0][0][fi]
        caption = words.text("atOpening", token=q(f))
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
        lead = words.text("atLead", layer=layer + 1, head=head + 1, token=q(f), share=share(weight), target=q(t))
        ranked = sorted(range(len(tokens)), key=lambda k: -row[k])
        top = ranked[0]
        top_plain = next(k for k in ranked if tokens[k] not in SPECIAL_TOKENS or k == ti)
        if top == ti:
            caption = words.text("atLeadTop", lead=lead)
        elif top_plain == ti:
            caption = words.text("atLeadSpecial", lead=lead, special=tokens[top], share=share(row[top]), target=q(t))
        else:
            other = words.text("atItself") if top_plain == fi else q(tokens[top_plain])
            caption = words.text(
                "atLeadOther", lead=lead, token=q(f), other=other, share=share(row[top_plain]), target=q(t)
            )
    rows_out = tuple((tok, float(row[k])) for k, tok in enumerate(tokens))
    return AttentionView(layer, head, fi, ti, caption, rows_out)


def _attention_block_issues(spec: AttentionSpec, source_dir: Path):
    """Load the data (and compare) files of a spec; returns (main, compare, issues)."""
    issues: list[Finding] = []
    loaded: list[AttentionData | None] = []
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
                issues.append(
                    Finding(
                        spec.lines.get((key,)),
                        f"{key} {value!r} is not one of the tokens of {spec.data}",
                        field=key,
                        hint="tokens: " + " ".join(main.tokens),
                        code="TS406",
                    )
                )
        if spec.focus and spec.target and spec.focus == spec.target:
            issues.append(
                Finding(
                    spec.lines.get(("target",)), "focus and target are the same token", field="target", code="TS406"
                )
            )
    if main is not None and compare is not None and (main.layers, main.heads) != (compare.layers, compare.heads):
        issues.append(
            Finding(
                spec.lines.get(("compare",)),
                f"{spec.compare} has {compare.layers} layers x "
                f"{compare.heads} heads but {spec.data} has {main.layers} x "
                f"{main.heads}: a minimal pair must come from the same model",
                field="compare",
                code="TS406",
            )
        )
    return main, compare, issues


@dataclass(frozen=True)
class AttentionBlock:
    spec: AttentionSpec
    data: AttentionData
    compare: AttentionData | None
    view: AttentionView


def parse_attention(body: str, source_dir: Path) -> tuple[AttentionBlock | None, list[Finding]]:
    spec, issues = parse_attention_spec(body)
    if spec is None:
        return None, issues
    main, compare, more = _attention_block_issues(spec, source_dir)
    issues = issues + more
    if main is None or errors(issues):
        return None, issues
    view = attention_view(main, spec.focus, spec.target)
    return AttentionBlock(spec, main, compare, view), issues


BODY = Body(
    W.ATTENTION,
    ATTENTION,
    parse_attention,
    tables=((W.ATTENTION.name, ATTENTION),),
    files=(("attention-data.schema.json", ATTENTION_DATA, "tracksite attention data file (beside lesson.md)"),),
)
