"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class AttentionSpecFields:
    """The body of an `/// attention` block (core/widgets/attention/body.py's `AttentionSpec` adds its lines)."""

    #: The data file `tracksite attention` wrote, beside lesson.md.
    data: str
    #: A second data file from the same model: a minimal pair.
    compare: str | None = None
    #: The token whose attention opens the widget.
    focus: str | None = None
    #: The token it should attend to: opens on the head that attends most.
    target: str | None = None
