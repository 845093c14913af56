"""A page's Markdown as tracksite reads it, without rendering it.

Owns the `/// name` block grammar (`blocks`), the heading anchors Python-Markdown will make
(`anchors`), course links (`references`), pages too complex to build (`complexity`), formulas the
converter cannot draw (`tex`) and leftovers of other formats in a body (`bodychecks`). May import
Python-Markdown, problems, schema and the widget registry; never the model's loader, the site
plan or the checks.
"""
