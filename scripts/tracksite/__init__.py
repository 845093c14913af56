"""tracksite: course tracks from Markdown, checked and rendered as a static site."""

__version__ = "0.1.0"
