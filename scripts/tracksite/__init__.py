"""tracksite: course tracks from Markdown, checked and rendered as a static site."""

__version__ = "0.2.0"  # the one place the version is written (pyproject.toml reads it)
