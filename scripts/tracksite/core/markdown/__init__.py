"""A page's Markdown as tracksite reads it, without rendering it.

Owns the `/// name` block grammar (`blocks`), the heading anchors Python-Markdown will make
(`anchors`), course links (`references`), pages too complex to build (`complexity`), formulas the
converter cannot draw (`tex`), leftovers of other formats in a body (`bodychecks`) and the lines
a learner reads, with the formulas in them (`prose`). Imports Python-Markdown and the floors
below it (tests/architecture/test_floors.py): problems, memo, sources, the widget registry, `model` (the
curriculum and a term's anchor, for `references`) and the site's Markdown settings
(`siteconfig`, for `anchors`); never the widgets, the learning folder, the site plan or the checks.
"""
