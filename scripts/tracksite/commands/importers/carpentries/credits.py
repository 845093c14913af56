"""The lesson's authors, as the credits name them: plain names, read from CITATION.cff, AUTHORS
and config.yaml's `maintainers:`.

The credits are plain text (a footer, a printed page), and the files they come from are the
lesson's own, written for GitHub: an AUTHORS line may be a Markdown link (`[Ann](mailto:a@b.org)`),
a name with its e-mail address (`Ann Lee <ann@lee.org>`), the template's own text (`FIXME: list
authors' names and email addresses.`), a heading (`x was written by:`), a shell command that made
the list (`git log --format='%aN' | sort -u`) or a sentence about the community. Names are kept
(a link becomes its text), addresses are dropped, and a line that is no name is left out; each
change is a note of the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracksite.commands.importers.carpentries import pages
from tracksite.commands.importers.pipeline import confine

SHOWN = 5  # authors named before "and N others"
_IMAGE_LINK = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_EMAIL = re.compile(r"<?\b(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b>?")
_URL = re.compile(r"\bhttps?://\S+")
_COMMAND = re.compile(r"^(?:\$\s|`|git\s|sort\s|grep\s|cat\s|awk\s|sed\s)|\|\s*(?:sort|uniq)\b")
_TEMPLATE = re.compile(r"\bFIXME\b|\bTODO\b|list authors'? names", re.I)


@dataclass
class Authors:
    """The names the credits give, and what reading them left out (file:line: why)."""

    names: list[str] = field(default_factory=list)
    maintainers: list[str] = field(default_factory=list)
    seen: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (file, kind) -> where in it

    @property
    def notes(self) -> list[str]:
        """One note a kind of change a file: `AUTHORS:2: ... (lines 2, 3 and 46 more)`."""
        out = []
        for (file, kind), seen in self.seen.items():
            where = list(dict.fromkeys(seen))
            more = (
                f" (also lines {', '.join(where[1:4])}{' and more' if len(where) > 4 else ''})"
                if len(where) > 1
                else ""
            )
            out.append(f"{file}:{where[0]}: {_WHY[kind]}{more}")
        return out

    def text(self) -> str:
        """ "A, B and C"; past SHOWN authors "A, ..., E and N others"; maintainers always named."""
        shown = self.names[:SHOWN]
        shown += [m for m in self.maintainers if m not in shown]
        others = len([n for n in self.names[SHOWN:] if n not in shown])
        if not shown:
            return ""
        if others:
            return ", ".join(shown) + f" and {others} other{'s' if others != 1 else ''}"
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"


def read_citation(root: Path) -> dict | None:
    """The lesson's CITATION.cff as a mapping (authors, version, release date), or None."""
    cff = root / "CITATION.cff"
    if not cff.is_file():
        return None
    try:
        data = yaml.safe_load(confine.read(root, cff))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def read_authors(root: Path, config: dict | None = None) -> Authors:
    """The lesson's authors from CITATION.cff (or AUTHORS), and config.yaml's maintainers."""
    found = Authors()
    data = read_citation(root)
    if data is not None:
        for person in data.get("authors") or []:
            if isinstance(person, dict):
                name = " ".join(str(person.get(k, "") or "").strip() for k in ("given-names", "family-names"))
                _keep(found, name.strip() or str(person.get("name", "") or ""), "CITATION.cff:1")
    for file in (root / "AUTHORS", root / "AUTHORS.md"):
        if not found.names and file.is_file():
            for n, line in enumerate(confine.read(root, file).splitlines(), 1):
                if line.strip() and not line.lstrip().startswith("#"):
                    _keep(found, re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line), f"{file.name}:{n}")
    maintainers = (config or {}).get("maintainers")
    if isinstance(maintainers, str):
        maintainers = re.split(r"\s*[,;]\s*", maintainers)
    for person in maintainers if isinstance(maintainers, list) else []:
        before = len(found.names)
        _keep(found, str(person.get("name", "") if isinstance(person, dict) else person), "config.yaml:1")
        found.maintainers += found.names[before:]
        del found.names[before:]
    found.names = found.names[:200]
    return found


_WHY = {
    "template": "the template's placeholder text, not a name: left out of the credits",
    "command": "a shell command, not a name: left out of the credits",
    "sentence": "a sentence or a heading, not a name: left out of the credits",
    "cleaned": "credited by name alone (a link as its text, no e-mail or web address)",
}


def _keep(found: Authors, line: str, where: str) -> None:
    """Add the name `line` holds, if any; note what was taken out of it, or why it was left out."""
    text = line.strip()
    name = plain_name(text)
    if not text:
        return
    if _TEMPLATE.search(text):
        kind = "template"
    elif _COMMAND.search(text):
        kind = "command"
    elif name.endswith(":") or (name.endswith(".") and len(name.split()) > 4) or len(name.split()) > 8:
        kind = "sentence"
    else:
        if name and name not in found.names:
            found.names.append(name)
        if name == text:
            return
        kind = "cleaned"
    file, _, at = where.partition(":")
    found.seen.setdefault((file, kind), []).append(at.strip())


def plain_name(text: str) -> str:
    """`text` as plain text: links as their text (pages.plain_text, as titles are read), without
    images, e-mail addresses or web addresses, which say nothing of who a person is."""
    text = _IMAGE_LINK.sub("", text)
    text = _LINK.sub(lambda m: "" if _EMAIL.fullmatch(m[1].strip()) else m[0], text)
    text = pages.plain_text(_AUTOLINK.sub("", text))
    text = _URL.sub("", _EMAIL.sub("", text))
    text = re.sub(r"\(\s*\)|<\s*>|\[\s*\]", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,;-–—|")
