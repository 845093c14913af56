"""The requirement a course pins tracksite with: the tracksite that is running, installed again
wherever the course is built (a colleague's laptop, the GitHub Actions runner).

`tracksite==0.2.0` is only true for a version an index has. How the running tracksite was
installed is recorded by pip (PEP 610, `direct_url.json`): from an index (no record), the version
is pinned; from a version-control URL, that URL at the commit; from a wheel file or a folder (a
checkout, editable or not), the wheel is copied or built into the course's `.tracksite/wheels/`
and requirements.txt names it by its path in the course, so the course carries what it builds
with. `init` writes the pin, `upgrade` moves a course to the running tracksite the same way.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from tracksite import __version__
from tracksite.errors import USAGE, UserError

WHEELS = ".tracksite/wheels"  # in the course, committed with it
#: A line of requirements.txt that installs tracksite: a pin, a URL, or a wheel's path.
_TRACKSITE_LINE = re.compile(r"^\s*(?:tracksite\s*(?:[=<>!~@\[;]|$)|\S*tracksite-[^/\s]*\.whl\b)", re.I)


@dataclass(frozen=True)
class Pin:
    requirement: str  # the line of requirements.txt
    note: str  # what init and upgrade say about it
    wheel: Path | None = None  # a wheel to copy into the course's WHEELS folder


def origin() -> dict | None:
    """pip's record of where the running tracksite came from; None when installed from an index
    (or when it runs from a source tree nobody installed)."""
    try:
        text = importlib.metadata.distribution("tracksite").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def pin(record: dict | None, version: str = __version__) -> Pin:
    """The requirement for the tracksite `record` (direct_url.json) describes."""
    if record is None or not isinstance(record.get("url"), str):
        return Pin(f"tracksite=={version}", f"requirements.txt pins tracksite=={version}, as installed from the index")
    url: str = record["url"]
    subdirectory = record.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        requirement = f"tracksite @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}{fragment}"
        return Pin(requirement, f"requirements.txt pins tracksite at commit {vcs['commit_id'][:12]} of {url}")
    local = _local_path(url)
    if "archive_info" in record and local is None:  # a wheel or sdist on a web server
        return Pin(f"tracksite @ {url}", f"requirements.txt pins tracksite at {url}")
    if local is None:
        return _fallback(version, f"tracksite was installed from {url}, which the course cannot install from")
    if "archive_info" in record:  # a wheel (or sdist) file
        if local.is_file():
            return Pin(wheel_line(local.name), _wheel_note(local.name), wheel=local)
        return _fallback(version, f"the file tracksite was installed from, {local}, is gone")
    editable = "editable" if (record.get("dir_info") or {}).get("editable") else "installed"
    source = local / subdirectory if subdirectory else local
    if not (source / "pyproject.toml").is_file():
        return _fallback(version, f"the checkout tracksite was installed from, {source}, is gone")
    return Pin("", f"tracksite runs from a checkout ({editable} from {source})", wheel=source)


def _fallback(version: str, why: str) -> Pin:
    """The version pin, when the install cannot be carried into the course: said plainly, since
    only an index that has this version can install it."""
    return Pin(
        f"tracksite=={version}",
        f"{why}: requirements.txt pins tracksite=={version}, which only a package index that has it "
        f"can install; to carry this tracksite with the course, put its wheel into {WHEELS}/ and "
        "run `tracksite upgrade` from an environment where that wheel is installed",
    )


def wheel_name(p: Pin) -> str:
    """The name of the wheel a pin puts into the course: the file's, or the one a build of the
    checkout makes (pure Python: one wheel for every platform). A checkout whose version did not
    change is taken as the same tracksite."""
    assert p.wheel is not None
    return p.wheel.name if p.wheel.is_file() else f"tracksite-{__version__}-py3-none-any.whl"


def wheel_line(name: str) -> str:
    return f"./{WHEELS}/{name}"


def _wheel_note(name: str) -> str:
    return (
        f"copied {name} into {WHEELS}/ and pointed requirements.txt at it: commit that folder, so the "
        "course installs this tracksite wherever it is built"
    )


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    return Path(url2pathname(unquote(parts.path))) if parts.scheme == "file" else None


def place(p: Pin, course: Path) -> Pin:
    """Put the pin's wheel into the course (copied, or built from the checkout) and return the
    pin naming it; older tracksite wheels there are removed. A pin without a wheel is as is."""
    if p.wheel is None:
        return p
    folder = wheel_folder(course)
    folder.mkdir(parents=True, exist_ok=True)
    if p.wheel.is_file():
        name, note = p.wheel.name, p.note
        if p.wheel.resolve() != (folder / name).resolve():
            _unlink_link(folder / name)
            shutil.copy2(p.wheel, folder / name)
    else:
        try:
            built = _build(p.wheel, _digest(p.wheel))
        except UserError as e:
            return _fallback(__version__, str(e))
        name = built.name
        _unlink_link(folder / name)
        shutil.copy2(built, folder / name)
        note = f"{p.note}: built {_wheel_note(name).removeprefix('copied ')}"
    for old in folder.glob("tracksite-*.whl"):
        if old.name != name:
            old.unlink()  # in the course's own folder (wheel_folder); a link is removed, not followed
    return Pin(wheel_line(name), note)


def wheel_folder(course: Path) -> Path:
    """The course's wheel folder, refused (a UserError, before anything is written) where it, or
    `.tracksite/` above it, is a symbolic link that leads out of the course: the older wheels
    are deleted there, and the new one written, which would be another folder's files."""
    folder = course / WHEELS
    real, base = os.path.realpath(folder), os.path.realpath(course)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        raise UserError(
            f"{WHEELS}/ leads outside the course through a symbolic link (to {real}); tracksite "
            f"writes the wheel there and deletes older ones: replace the link with a folder, then run again",
            exit_code=USAGE,
        )
    return folder


def _unlink_link(path: Path) -> None:
    """A link in the wheel's place is removed: copying onto it would write where it leads."""
    if path.is_symlink():
        path.unlink()


#: What a wheel of tracksite is built from, besides the package: the checkout's other files
#: (the course beside it, a virtual environment, an old build/ folder) stay out.
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "CHANGELOG.md")


def _package_in(source: Path) -> Path:
    """Where the package lies in the checkout (scripts/tracksite in tracksite's own layout)."""
    package = Path(__file__).resolve().parents[1]
    return package.relative_to(source) if package.is_relative_to(source) else Path("scripts/tracksite")


def _digest(source: Path) -> str:
    """The checkout's package files, by content: a wheel built once serves every later `init` of
    the same process while they are unchanged."""
    h = hashlib.sha256()
    inside = source / _package_in(source)
    files = [source / n for n in PROJECT_FILES if (source / n).is_file()]
    files += sorted(p for p in inside.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        h.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@functools.cache
def _build(source: Path, digest: str) -> Path:
    """A wheel of the checkout, built from a copy of its package (setuptools would leave a build/
    folder in the checkout, and a stale one carries deleted modules into the wheel), without
    fetching setuptools again when the running Python has it. `digest` keys the cache."""
    tmp = Path(tempfile.mkdtemp(prefix="tracksite-wheel-"))
    atexit.register(shutil.rmtree, tmp, True)
    copy, out = tmp / "src", tmp / "dist"
    inside = _package_in(source)
    shutil.copytree(source / inside, copy / inside, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in PROJECT_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, copy / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(copy)]
    if importlib.util.find_spec("setuptools") is not None:
        cmd.insert(5, "--no-build-isolation")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    built = next(out.glob("tracksite-*.whl"), None)
    if result.returncode != 0 or built is None:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise UserError(f"cannot build a wheel of tracksite from {source}: {' '.join(tail)}")
    return built


def requirements(text: str | None, requirement: str) -> str:
    """requirements.txt with its tracksite line replaced by `requirement` (added when there is
    none); every other line kept."""
    if text is None:
        return requirement + "\n"
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if _TRACKSITE_LINE.match(line)]
    if found:
        lines[found[0]] = requirement
        lines = [line for i, line in enumerate(lines) if i not in found[1:]]
    else:
        lines.append(requirement)
    return "\n".join(lines) + "\n"


def current_requirement(text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if _TRACKSITE_LINE.match(line)), None)
