"""The output folder: which folder a build may replace, and replacing it without losing anything.

A build replaces its output folder whole, so `--site-dir lessons` or `-d ~` must never get that
far. A folder may be replaced only if it is absent, empty (hidden entries aside), or holds the
marker file an earlier tracksite build wrote; never the project, a folder holding it, or a source
folder. Hidden entries (`.git` of a gh-pages checkout, `.nojekyll`) survive, as with MkDocs.

The swap is crash-safe: the build is staged in `.NAME.staging-PID-*` beside the folder; the old
folder is renamed to `.NAME.old-PID-*`, the staged one renamed into place, the old folder's hidden
entries moved across, and the old folder removed. The next build finishes whatever an
interrupted one left: a missing site comes back from its `.old-*`, hidden entries still in an
`.old-*` are moved into the site, and leftovers of processes no longer running are removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tracksite.core.problems.problem import printable
from tracksite.errors import UserError

MARKER = ".tracksite-build"
_MARKER_TEXT = "Built by tracksite. The next build replaces this folder; hidden files in it are kept.\n"


class Refused(UserError):
    """The output folder cannot be replaced; the message says why and what to do."""


def check(site: Path, root: Path, sources: list[Path]) -> None:
    """Refuse an output folder the build must not replace."""
    site, root = Path(os.path.abspath(site)), Path(os.path.abspath(root))
    if site == root or site in root.parents:
        raise Refused(
            f"the site folder {show(site)} is the project folder or holds it; "
            "the build replaces its output folder whole. Use --site-dir site"
        )
    for source in sources:
        source = Path(os.path.abspath(source))
        if site == source or source in site.parents:
            raise Refused(
                f"the site folder {show(site)} is the source folder {show(source)} or inside it; "
                "choose a folder of its own, such as --site-dir site"
            )
    if os.path.lexists(site) and not site.is_dir():
        raise Refused(f"the site folder {show(site)} is a file; remove it or choose another --site-dir")
    if site.is_dir() and not is_ours(site):
        raise Refused(
            f"the site folder {show(site)} is not empty and was not built by tracksite (no {MARKER} "
            "file in it); nothing was changed. Empty it or choose another --site-dir"
        )


def is_ours(site: Path) -> bool:
    """An empty folder (hidden entries aside), or one an earlier build marked: with the marker
    file, or (a site built before there was one) a home page tracksite's templates wrote."""
    try:
        names = os.listdir(site)
    except OSError:
        return False
    return MARKER in names or all(name.startswith(".") for name in names) or _generated_home(site / "index.html")


def _generated_home(index: Path) -> bool:
    try:
        with index.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return '<meta name="generator" content="tracksite,' in head


def stage(site: Path) -> tuple[str, list[str]]:
    """A fresh staging folder beside `site`, after finishing what earlier builds left there;
    and the leftovers that could not be removed (owned by another user, say)."""
    site = Path(os.path.abspath(site))
    site.parent.mkdir(parents=True, exist_ok=True)
    left = recover(site)
    return tempfile.mkdtemp(prefix=f".{site.name}.staging-{os.getpid()}-", dir=site.parent), left


def swap(staged: str, site: Path) -> None:
    """Put the staged build in the site's place, keeping the old site's hidden entries."""
    site = Path(os.path.abspath(site))
    (Path(staged) / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    old = None
    if os.path.lexists(site):
        old = tempfile.mkdtemp(prefix=f".{site.name}.old-{os.getpid()}-", dir=site.parent)
        os.rmdir(old)
        os.rename(site, old)
    os.rename(staged, site)
    if old:
        _keep_hidden(Path(old), site)
        shutil.rmtree(old, ignore_errors=True)


def mark(site: Path) -> None:
    """Mark a folder built in place (without staging) as tracksite's."""
    (Path(site) / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def recover(site: Path) -> list[str]:
    """Finish or undo what interrupted builds left beside `site`; what could not be removed."""
    left: list[str] = []
    for entry in sorted(site.parent.iterdir()):
        kind = _leftover_kind(entry.name, site.name)
        if kind is None or _alive(entry.name, site.name, kind):
            continue
        if kind == "old" and not os.path.lexists(site):
            os.rename(entry, site)  # interrupted between the two renames: the old site comes back
            continue
        if kind == "old":
            _keep_hidden(entry, site)
        shutil.rmtree(entry, ignore_errors=True)
        if os.path.lexists(entry):
            left.append(show(entry))
    return left


def _leftover_kind(name: str, site_name: str) -> str | None:
    for kind in ("staging", "old"):
        if name.startswith(f".{site_name}.{kind}-"):
            return kind
    return None


def _alive(name: str, site_name: str, kind: str) -> bool:
    """Whether the process that made this leftover still runs (a concurrent build)."""
    pid = name[len(f".{site_name}.{kind}-") :].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _keep_hidden(old: Path, site: Path) -> None:
    for entry in old.iterdir():
        if entry.name.startswith(".") and entry.name != MARKER and not os.path.lexists(site / entry.name):
            os.rename(entry, site / entry.name)


def show(path: Path | str) -> str:
    """A path as one printable line: control characters (a newline in a folder name) escaped."""
    return printable(os.fspath(path))
