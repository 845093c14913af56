"""The MkDocs adapter: plugin events, the Blocks extension for widgets, CSP and MathML.

The only package that imports MkDocs. Another engine would get an adapter of its own beside it.
"""
