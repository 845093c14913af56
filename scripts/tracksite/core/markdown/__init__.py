"""A page's Markdown as tracksite reads it, without rendering it.

Owns the `/// name` block grammar (`blocks`), the heading anchors Python-Markdown will make
(`anchors`), course links (`references`), pages too complex to build (`complexity`), formulas the
converter cannot draw (`tex`) and leftovers of other formats in a body (`bodychecks`). Imports
Python-Markdown, problems, memo, sources, the widget registry, `model.course` (`references`),
the math patterns of `learning.readingtime` and the site's Markdown settings (`site.config`,
for `anchors`); never the loader, the site plan or the checks.
"""
