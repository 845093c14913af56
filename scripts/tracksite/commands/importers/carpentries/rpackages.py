"""The R packages an R Markdown lesson needs, and which of them this machine lacks or has too old.

Running a lesson's R code where a package it loads is missing does not fail: knitr prints R's
error where the output should be, and 43 error blocks were once published with "no errors"
said. So before anything runs, the import reads what the lesson asks for: the packages its
evaluated chunks load (`library(x)`, `require(x)`, `x::f`, with the line), the lesson's
`renv.lock` (sandpaper keeps it in `renv/profiles/lesson-requirements/`) with the versions it
was built with, and `DESCRIPTION`'s `Depends`/`Imports` with their minimum versions. R itself
says which are installed and at which version; every missing or older package is named.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.pipeline import confine

LOCKS = ("renv.lock", "renv/profiles/lesson-requirements/renv.lock")
_DESCRIPTION_FIELD = re.compile(r"^(Depends|Imports):(?P<value>.*(?:\n[ \t]+.*)*)", re.M)
_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z][\w.]*)\s*(?:\(\s*>=?\s*(?P<version>[\w.-]+)\s*\))?\s*$")
VERSIONS_R = r"""
pkgs <- commandArgs(TRUE)
ip <- installed.packages()
for (p in pkgs) cat(p, if (p %in% rownames(ip)) ip[rownames(ip) == p, "Version"][[1]] else "", "\n", sep = "\t")
"""


@dataclass
class Needs:
    """What the lesson asks for: package -> (the version wanted or "", where it is asked for)."""

    wanted: dict[str, tuple[str, str]] = field(default_factory=dict)
    loaded: dict[str, str] = field(default_factory=dict)  # loaded by the lesson's code (where): needed to run it

    def want(self, name: str, version: str, where: str) -> None:
        old = self.wanted.get(name)
        if old is None or (version and _key(version) > _key(old[0])):  # where: what asks for that version
            self.wanted[name] = (version, where)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.split(r"[.-]", version) if x.isdigit())


def needs(root: Path, loads: list[tuple[str, str]]) -> Needs:
    """`loads`: (package, "episodes/x.Rmd:LINE") for each package the chunks load."""
    found = Needs()
    for name, where in loads:
        found.want(name, "", where)
        found.loaded.setdefault(name, where)
    for rel in LOCKS:
        lock = root / rel
        if lock.is_file():
            try:
                data = json.loads(confine.read(root, lock))
            except ValueError:
                continue
            for name, info in (data.get("Packages") or {}).items() if isinstance(data, dict) else ():
                if isinstance(info, dict) and isinstance(info.get("Version"), str):
                    found.want(name, info["Version"], f"{rel}:{_line(lock, name)}")
    description = root / "DESCRIPTION"
    if description.is_file():
        text = confine.read(root, description)
        for m in _DESCRIPTION_FIELD.finditer(text):
            for part in m["value"].split(","):
                req = _REQUIREMENT.match(part)
                if req and req["name"] != "R":
                    line = text[: m.start()].count("\n") + 1
                    found.want(req["name"], req["version"] or "", f"DESCRIPTION:{line}")
    return found


def _line(path: Path, name: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if f'"{name}":' in line:
            return n
    return 1


@dataclass
class Shortfall:
    """Packages missing on this machine, and those older than the lesson asks for."""

    missing: list[tuple[str, str]] = field(default_factory=list)  # (name, where asked)
    older: list[tuple[str, str, str, str]] = field(default_factory=list)  # (name, have, want, where)
    failed: str = ""  # R could not say

    def lines(self, needs: Needs) -> list[str]:
        """One line per package the lesson's code loads; those a lock file or DESCRIPTION only
        lists (a renv.lock names a hundred) one line per file when more than GROUPED, so they do
        not drown the rest of the import's output."""
        out = [
            f"{where}: the R package {name} is not installed" for name, where in self.missing if name in needs.loaded
        ]
        listed = [(name, where) for name, where in self.missing if name not in needs.loaded]
        out += _grouped(
            [
                (where, name, f"the R package {name} is not installed (listed, not loaded by the lesson's code)")
                for name, where in listed
            ],
            "R package(s) it lists are not installed (the lesson's code does not load them)",
        )
        out += _grouped(
            [
                (where, f"{name} {have} (older than {want})", f"the R package {name} is {have} here, older than {want}")
                for name, have, want, where in self.older
            ],
            "R package(s) here are older than it asks for",
        )
        return out

    def blocking(self, needs: Needs) -> list[tuple[str, str]]:
        """The missing packages the lesson's code loads: running it would print R's errors."""
        return [(name, needs.loaded[name]) for name, _ in self.missing if name in needs.loaded]


GROUPED = 3  # packages of one file named one line each; more, in one line


def _grouped(items: list[tuple[str, str, str]], what: str) -> list[str]:
    """(where, short, line) items as `where: line`, or one `file:1: N what: short, ...` per file
    that has more than GROUPED of them."""
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for item in items:
        by_file.setdefault(item[0].split(":")[0], []).append(item)
    out = []
    for file, found in by_file.items():
        if len(found) <= GROUPED:
            out += [f"{where}: {line}" for where, _, line in found]
        else:
            shorts = [short for _, short, _ in found]
            more = f" and {len(shorts) - 8} more" if len(shorts) > 8 else ""
            out.append(f"{file}:1: {len(found)} {what}: {', '.join(shorts[:8])}{more}")
    return out


def check(rscript: str, needs: Needs, work: Path) -> Shortfall:
    """Ask R which of the wanted packages are installed, and at which version."""
    short = Shortfall()
    if not needs.wanted:
        return short
    script = work / "package-versions.R"
    script.write_text(VERSIONS_R, encoding="utf-8")
    try:
        run = subprocess.run(
            [rscript, "--no-init-file", str(script), *sorted(needs.wanted)], capture_output=True, text=True, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        short.failed = str(e)
        return short
    have = {}
    for line in run.stdout.splitlines():
        name, _, version = line.partition("\t")
        have[name.strip()] = version.strip()
    for name, (want, where) in sorted(needs.wanted.items()):
        version = have.get(name, "")
        if not version:
            short.missing.append((name, where))
        elif want and _key(version) < _key(want):
            short.older.append((name, version, want, where))
    return short
