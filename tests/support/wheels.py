"""A fake wheel of tracksite at a given version, for the pinning and bounded-input tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tracksite import __version__


def fake_wheel(folder: Path, version: str = __version__) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tracksite-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("tracksite/__init__.py", f'__version__ = "{version}"\n')
    return path
