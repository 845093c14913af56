"""A fake wheel of tracksite at a given version, for the pinning and bounded-input tests, and a newer
release of a built wheel, for the upgrade test (tests/release/test_package.py)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from tracksite import __version__


def fake_wheel(folder: Path, version: str = __version__) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tracksite-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("tracksite/__init__.py", f'__version__ = "{version}"\n')
    return path


def newer_wheel(wheel: Path, folder: Path, version: str, marker: str) -> Path:
    """`wheel` as the next release would ship it: every file the same but `version` in the package
    and its metadata, and a CSS rule that says `marker` at the end of the widgets' style sheet (a
    rule, not a comment: tracksite publishes its style sheets without their comments). Its
    RECORD is written anew, each file with its digest and size, as a build writes it.

    Rewritten from the built wheel rather than built again from a copy of the sources (`pip
    wheel`: an interpreter with pip and setuptools, about three seconds of processor time): what
    the upgrade test proves is what pip does with a newer wheel, not how one is built (the
    release workflow's build job builds the first)."""
    old_info, new_info = f"tracksite-{__version__}.dist-info/", f"tracksite-{version}.dist-info/"
    css = "tracksite/theme/assets/tracksite/widgets.css"
    rule = f'\n.ts-upgrade-marker::after {{ content: "{marker}"; }}\n'
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / wheel.name.replace(f"-{__version__}-", f"-{version}-", 1)
    assert path.name != wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        record = []
        for name in old.namelist():
            if name == old_info + "RECORD":
                continue
            data = old.read(name)
            if name == css:
                data += rule.encode("utf-8")
            elif name == "tracksite/__init__.py":
                data = data.replace(f'"{__version__}"'.encode(), f'"{version}"'.encode(), 1)
            elif name == old_info + "METADATA":
                data = data.replace(f"\nVersion: {__version__}\n".encode(), f"\nVersion: {version}\n".encode(), 1)
            name = name.replace(old_info, new_info, 1)
            new.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            record.append(f"{name},sha256={digest},{len(data)}")
        new.writestr(new_info + "RECORD", "\n".join([*record, f"{new_info}RECORD,,"]) + "\n")
    return path
