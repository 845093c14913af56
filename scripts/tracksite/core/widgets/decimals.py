"""A computed number as the widgets' tables show it.

The attention heatmap and the step-by-step attention tables print the same weights; written
once here, they round alike (neither widget's folder imports the other's,
tests/architecture/test_widget_home.py)."""

from __future__ import annotations


def fmt(value: float, decimals: int = 2) -> str:
    """A number as the tables show it: `decimals` places, never "-0.00"."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text
