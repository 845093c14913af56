"""The glossary forms a Workbench reference page has beyond Markdown's: HTML, translations, qualifiers.

pages.definitions reads Pandoc's definition lists and glossary sections. A reference page may
also write its glossary as HTML (`<dl><dt>term</dt><dd>definition</dd></dl>`, which the Workbench
passes through), and a term may carry a translation or a qualifier beside its bold name
(`**library** o biblioteca`, `**CSV** (archivo)`). Such an HTML glossary was ignored without a
word, and such a term was looked for in the lessons as a whole ("library o biblioteca"), found
in none, and left on the reference page (issue 84, M6). Here the HTML entries are read, and a term
gets the names it is used by as aliases (the bold name, each translation, the term without its
qualifier), so the import finds the lesson that uses it, and the check and the tooltips do too.
"""

from __future__ import annotations

import html
import re

_DT = re.compile(r"<dt\b[^>]*>(?P<term>.*?)</dt>\s*(?P<dds>(?:<dd\b[^>]*>.*?</dd>\s*)+)", re.S | re.I)
_DD = re.compile(r"<dd\b[^>]*>(?P<text>.*?)</dd>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BOLD = re.compile(r"\*\*(?P<a>[^*]+)\*\*|__(?P<b>[^_]+)__|<(?:strong|b)\b[^>]*>(?P<c>.*?)</(?:strong|b)>", re.S | re.I)
# the words that join a term to its translation, in the languages lessons come in
_JOIN = re.compile(r"\s+(?:o|or|ou|oder|ó|y|e|and|und|et)\s+|\s*[/,;]\s*|\s+[-\u2013\u2014]\s+", re.I)
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*")


def html_definitions(body: str) -> list[tuple[str, str]]:
    """(term, definition as plain text) of each `<dt>`/`<dd>` pair of an HTML definition list."""
    out = []
    for m in _DT.finditer(body):
        term = _text(m["term"])
        text = " ".join(_text(dd["text"]) for dd in _DD.finditer(m["dds"]))
        if term and text:
            out.append((term, text))
    return out


def aliases(term: str, body: str) -> list[str]:
    """The other names `term` (as plain text) is used by, read from the reference page `body`:
    with a bold name and more beside it, the bold name and each translation beside it; with a
    qualifier in brackets, the term without it. None for a plain term: "Read and write" is one."""
    names: list[str] = []
    bolds = {_text(m["a"] or m["b"] or m["c"]) for m in _BOLD.finditer(body)}
    head = next((b for b in sorted(bolds, key=len, reverse=True) if b and term.startswith(b) and term != b), None)
    if head is not None:
        rest = _QUALIFIER.sub(" ", term[len(head) :]).strip()
        names = [head, *(p.strip(" .:") for p in _JOIN.split(f" {rest} ") if p.strip(" .:"))]
    elif _QUALIFIER.search(term) and _QUALIFIER.sub(" ", term).strip():
        names = [_QUALIFIER.sub(" ", term).strip()]
    seen = {term.casefold()}
    out = []
    for name in names:
        if len(name) > 1 and name.casefold() not in seen and len(name) <= 80:
            seen.add(name.casefold())
            out.append(name)
    return out


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).replace("**", "").split())


def first_code_use(names: tuple[str, ...], lessons: list[tuple[str, str]]) -> str | None:
    """The first lesson (`lessons`: slug and the text of its pages) whose text, code included,
    names the term by one of `names`: a term only the code uses (`mutate`, `data.frame`) was left
    on the reference page, though the learner meets it in that lesson's code (issue 84, M6)."""
    patterns = [re.compile(rf"(?<![\w.-]){re.escape(n)}(?![\w-])", re.I) for n in names if n.strip()]
    for slug, text in lessons:
        if any(p.search(text) for p in patterns):
            return slug
    return None


def code_terms_section(plan, track: str, in_code: dict[str, list[str]], words) -> None:
    """Name the terms of each lesson's code in the prose of its overview (before its Source
    section): the check finds uses in prose only, where a term in code gets no tooltip and would
    count as used nowhere, and the overview is where a learner sees what a lesson brings."""
    for slug, terms in in_code.items():
        path = f"lessons/{track}/{slug}/overview.md"
        text = plan.files.get(path)
        if not isinstance(text, str) or not terms:
            continue
        section = f"## {words.text('impCodeTerms')}\n\n{words.text('impCodeTermsText', terms=', '.join(terms))}\n\n"
        source = f"## {words.text('impSource')}\n"
        at = text.rfind(source)
        plan.files[path] = text[:at] + section + text[at:] if at >= 0 else text.rstrip("\n") + "\n\n" + section
