"""The course as plain frozen dataclasses: tracks, phases, lessons and their pages.

Owns the dataclasses (`course`) and a lesson read from its front-matter (`lesson`). May import
`tracksite.core.schema.specs` and `tracksite.core.problems.problem`; never the loader, the site plan or the
checks, which build on it.
"""
