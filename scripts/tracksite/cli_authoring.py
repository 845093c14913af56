"""Instructor commands that change the course: scaffolding, reordering, renaming."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the authoring commands to the `tracksite` parser."""
    return None
