"""Tools that building a site never needs (benchmark, page weight, the MiniLM forward pass).

Nothing on the build's import path imports this package.
"""
