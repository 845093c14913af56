"""The peers tracksite is compared with, beside the plain project of course.py.

- **Material with `navigation.prune`** (and `navigation.indexes`, as the track pages need): what
  Material's documentation recommends for a large site, and what a user choosing plain Material
  would run. Without prune, Material renders the whole navigation into every page and its build
  grows with the square of the course: that project stays in the benchmark, labelled as such.
- **Zensical** on the same plain pages, installed with pip into its own virtual environment in
  the benchmark's temporary folder (it pins its own Markdown and pymdown-extensions); skipped,
  with the reason in the table, where it does not install.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tracksite.core import localstate
from tracksite.tools.bench.course import TrackPlan, write_plain_project
from tracksite.tools.bench.measure import BenchError, Run, aside, run_timed

#: The features a large plain Material site turns on: only the current section's pages in the
#: sidebar, and a section's first page as its index (the track page).
PRUNE_FEATURES = ("navigation.prune", "navigation.indexes")


def write_pruned_project(root: Path, tracks: list[TrackPlan], repo: Path) -> Path:
    """The plain project with Material's `navigation.prune` and `navigation.indexes` on."""
    write_plain_project(root, tracks, repo)
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    features = config["theme"].setdefault("features", [])
    features += [f for f in PRUNE_FEATURES if f not in features]
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, width=1000), encoding="utf-8")
    return root


def clear_cache(project: Path) -> None:
    """tracksite's persistent build cache (adapter/caches/buildcache.py, keptfiles.py) out of the way of
    a cold build: moved out of the project, as the last site is, and removed with it after the
    size's builds (its thousands of files deleted right before the build would slow it). The
    cache is the course's state folder (core/localstate.py): moved beside itself, on its own
    file system."""
    aside(localstate.path(project, "tracksite"))


class Zensical:
    """Zensical in a virtual environment of its own; `error` says why it is not there."""

    def __init__(self, work: Path) -> None:
        self.exe: Path | None = None
        self.version = "not installed"
        self.error: str | None = None
        venv = work / "zensical-venv"
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
            pip = subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "zensical"],
                capture_output=True,
                text=True,
                timeout=900,
            )
        except (OSError, subprocess.SubprocessError) as e:
            self.error = f"its virtual environment could not be made ({e})"
            return
        if pip.returncode != 0 or not (venv / "bin" / "zensical").exists():
            last = (pip.stderr or pip.stdout).strip().splitlines()[-1:] or ["no output"]
            self.error = f"`pip install zensical` failed: {last[0][:200]}"
            return
        self.exe = venv / "bin" / "zensical"
        found = subprocess.run(
            [str(venv / "bin" / "python"), "-c", "from importlib import metadata; print(metadata.version('zensical'))"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.version = found.stdout.strip() or "?"

    def build(self, project: Path, timeout: float, *, cold: bool) -> Run:
        """`zensical build` of the plain project (its mkdocs.yml; the site in project/site):
        cold with `--clean` (its cache emptied) and the site removed, warm as it was left."""
        assert self.exe is not None
        cmd = [str(self.exe), "build"]
        if cold:
            cmd.append("--clean")
            aside(project / "site")
        run = run_timed(cmd, project, timeout)
        if run.returncode != 0:
            raise BenchError(f"zensical build failed in {project}:\n{(run.stderr or run.stdout)[-3000:]}")
        return run
