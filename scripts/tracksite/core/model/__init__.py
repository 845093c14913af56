"""The course as plain dataclasses: tracks, phases, lessons, the glossary and the loaded project.

Owns the dataclasses (`course`), those of what an instructor writes, generated from the schema
(`shapes`, written by `generate`, which also writes core/widgets/shapes.py from the
data widgets' bodies' descriptions), a lesson read from its front-matter (`lesson`), the
glossary's terms (`glossary`) and the loaded `Project` (`project`). Imports `schema`,
`problems`, `yaml`, `sources`, `markdown.references` (a term's anchor) and `remote.files` (the
project's listing; `remote.files` imports `shapes` back); never the loader, the site plan or the
checks, which build on it.
"""
