"""Fixtures the importer tests share: R with knitr and ggplot2, and the sandbox the knit runs in."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support.sites import IN_CI
from tracksite.core import sandbox


@pytest.fixture(scope="module")
def r_ready():
    """R with knitr and ggplot2 (Debian: r-base-core r-cran-knitr r-cran-ggplot2), and the sandbox
    it runs in (bubblewrap); CI must have them."""
    rscript = shutil.which("Rscript")
    why = "R is not installed (apt-get install r-base-core r-cran-knitr r-cran-ggplot2)"
    if rscript:
        run = subprocess.run(
            [rscript, "-e", "cat(setdiff(c('knitr', 'ggplot2'), rownames(installed.packages())))"],
            capture_output=True,
            text=True,
        )
        why = f"R lacks the packages: {run.stdout.strip()}" if run.stdout.strip() or run.returncode else ""
    why = why or sandbox.unavailable() or ""
    if why:
        if IN_CI:
            pytest.fail(why + "; .ci/run installs them")
        pytest.skip(why)
