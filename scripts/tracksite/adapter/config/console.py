"""What the build prints: every line MkDocs or tracksite logs goes through one filter, so a
folder name holding a newline and `::warning` cannot become a GitHub Actions workflow command
in CI's log (see `tracksite.core.problems.problem.no_workflow_commands`)."""

from __future__ import annotations

import logging

from tracksite.core.problems.problem import no_workflow_commands


class NoWorkflowCommands(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        safe = no_workflow_commands(message)
        if safe != message:
            record.msg, record.args = safe, None
        return True


_FILTER = NoWorkflowCommands()


def install(*loggers: str) -> None:
    """Put the filter on every handler of these loggers (MkDocs' own, once its CLI set it up)."""
    for name in loggers:
        for handler in logging.getLogger(name).handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
