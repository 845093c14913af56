"""After the import: build the course as learners get it and compare each page with its source.

`tracksite check` says the imported files are well formed; it cannot say that a table the
import flattened to a paragraph of pipes is gone. So the import builds the learner site (strict,
into a temporary folder, the course's own configuration) and counts, per episode, what the
built page shows (counting.py). Each count must equal the source's, plus or minus the changes
the import listed with their file:line and reason (a missing figure, a link to nowhere); any
other difference is an error and the import exits 1. Text of the lesson's instructor-only parts
found on any learner page or in the search index is an error too.
"""

from __future__ import annotations

import contextlib
import difflib
import html
import io
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.common import build_site
from tracksite.commands.importers.pipeline import counting
from tracksite.commands.importers.pipeline.plan import Planned, learner_only, ran_lessons
from tracksite.core.checks import ranoutput


@dataclass
class Verified:
    """Per source episode: its counts, the changes the import listed, the built page's counts."""

    source: dict[str, Counter] = field(default_factory=dict)
    listed: dict[str, Counter] = field(default_factory=dict)
    rendered: dict[str, Counter] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    built: bool = False

    def differences(self, rel: str) -> dict[str, list[int]]:
        """key -> [source, expected after the listed changes, on the page], where the page differs."""
        if rel not in self.rendered:
            return {}
        src, listed, page = self.source[rel], self.listed.get(rel, Counter()), self.rendered[rel]
        return {k: [src[k], src[k] + listed[k], page[k]] for k in counting.KEYS if src[k] + listed[k] != page[k]}


def verify(root: Path, p: Planned, track: str, config_file: Path | None = None) -> Verified:
    """Build the learner site of the course at `root` (with `-f config_file`, as check read it)
    and compare (see the module's docstring)."""
    result = Verified(source=p.counts, listed=p.plan.changes)
    with tempfile.TemporaryDirectory(prefix="tracksite-verify-") as tmp:
        site = Path(tmp) / "site"
        log = io.StringIO()
        with contextlib.redirect_stderr(log):
            # an import runs no exercise of the course, whatever mkdocs.yml's `run_code` says
            code = build_site(root, site, strict=True, quiet=True, config_file=config_file, run_code=False)
        if code != 0:
            lines = [line for line in log.getvalue().splitlines() if line.strip()]
            result.errors.append(
                "the strict build of the course failed, so the learner pages could not be compared with "
                "the source: " + " / ".join(lines[-6:])
            )
            return result
        result.built = True
        for rel, lesson in p.plan.sources.items():
            page = site / Path(lesson).parent.relative_to("lessons") / "index.html"
            if not page.is_file():
                result.errors.append(f"{rel}: the build wrote no learner page for {lesson}")
                continue
            result.rendered[rel] = counting.count_page(page.read_text(encoding="utf-8"))
        for rel in p.plan.sources:
            for key, (src, expected, shown) in result.differences(rel).items():
                said = f" ({expected} after the changes the import listed)" if expected != src else ""
                line, where = _placed(result.source[rel], result.rendered[rel], key)
                result.errors.append(
                    f"{rel}:{line}: {key.replace('_', ' ')}: {src} in the source{said}, {shown} on the built "
                    f"learner page{where}, and the import listed no such change: report it, with this lesson"
                )
        result.errors.extend(_instructor_leaks(site, p))
    result.errors.extend(_code_not_run(root, p))
    return result


def _placed(source: Counter, page: Counter, key: str) -> tuple[int, str]:
    """The first line, and the words, of the elements of `key` that one side has and the other
    not (the two lists aligned by their first words): where to look, in the source and on the page."""
    src = getattr(source, "where", {}).get(key)
    shown = getattr(page, "where", {}).get(key)
    if src is None or shown is None:
        return 1, ""
    said, first = [], None
    matcher = difflib.SequenceMatcher(None, [w for _, w in src], [w for _, w in shown], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for line, text in src[i1:i2]:
            first = first or line
            said.append(f"in the source only: {_at(line)}{text!r}")
        after = src[i1 - 1][0] if i1 else None
        said += [
            f"on the page only: {text!r}" + (f" (after source line {after})" if after else "")
            for _, t in shown[j1:j2]
            for text in [t]
        ]
        first = first or after
    return first or 1, (" (" + "; ".join(said[:4]) + (", …" if len(said) > 4 else "") + ")") if said else ""


def _at(line: int | None) -> str:
    return f"line {line} " if line else ""


def _code_not_run(root: Path, p: Planned) -> list[str]:
    """Each chunk of a lesson whose code the run made output for, where the track's page holds
    code or output other than the run's (edited since): counting would find the same blocks."""
    episode = {lesson: rel for rel, lesson in p.plan.sources.items()}
    errors = []
    for lesson, text in ran_lessons(p).items():
        try:
            page = (root / lesson).read_text(encoding="utf-8")
        except OSError:
            continue  # (the build said so)
        made = {digest for _, digest in ranoutput.chunks(text)}
        for line, digest in ranoutput.chunks(page):
            if digest not in made:
                errors.append(
                    f"{lesson}:{line}: this code block and the output below it are not what the code of "
                    f"{episode[lesson]} prints when run: the page's code or output was changed after the import; "
                    "make the change in the source lesson and bring it in with --update, running its code again"
                )
    return errors


def _instructor_leaks(site: Path, p: Planned) -> list[str]:
    """Sentences of the instructor-only parts found on a learner page or in the search index."""
    probes: dict[str, str] = {}
    for rel, texts in p.plan.instructor_text.items():
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", _plain(text)):
                if len(sentence.split()) >= 6:
                    probes.setdefault(sentence[:80], rel)
    learner = _plain(" ".join(learner_only(str(t)) for t in p.plan.files.values() if isinstance(t, str)))
    probes = {probe: rel for probe, rel in probes.items() if probe not in learner}  # also learner text
    if not probes:
        return []
    found: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".json") or not path.is_file():
            continue
        text = _plain(path.read_text(encoding="utf-8", errors="replace"))
        for probe, rel in probes.items():
            if probe in text and probe not in found:
                found[probe] = f"{rel}:1: instructor-only text reached {path.relative_to(site).as_posix()}: {probe!r}"
    return list(found.values())


def _plain(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"[`*_\[\]()#>|]", " ", text)
    return " ".join(text.split())
