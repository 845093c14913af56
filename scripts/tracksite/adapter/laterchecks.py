"""`mkdocs build` runs the checks that do not shape the pages beside the rendering.

Every check runs in every build (`tracksite check` runs the same ones), but some of them
(`checks.LATER`: unsafe URLs, body rules, warnings) neither feed the pages nor keep them from
rendering, and they were about half of a build's checking time. When the other checks found no
error, a forked copy of the build process runs them while the pages render into the staging
folder; the build collects their findings before it publishes anything, and stops there, with
the same report, if they hold an error: the site in place is never touched, as when a check
fails before rendering. Where there is no `fork` (Windows), or the copy fails, they run in the
build's own process.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from tracksite.core import checks


class LaterChecks:
    """The `LATER` passes of one build, running in a forked copy of it."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.pid, self.fd = None, None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: find, hand the findings over, and leave without any cleanup
            try:
                os.close(read)
                data = pickle.dumps(checks.later_problems(project))
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> list:
        """The findings: from the copy, or found here when it could not give them."""
        if self.fd is not None:
            with os.fdopen(self.fd, "rb") as pipe:
                data = pipe.read()
            self.fd = None
            assert self.pid is not None  # set together with fd
            os.waitpid(self.pid, 0)
            self.pid = None
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 - the copy died: run the passes here instead
                pass
        return checks.later_problems(self.project)

    def cancel(self) -> None:
        """The build failed: stop the copy."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
