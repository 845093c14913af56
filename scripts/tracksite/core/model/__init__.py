"""The course as plain dataclasses: tracks, phases, lessons, the glossary and the loaded project.

Owns the dataclasses (`course`), those of what an instructor writes, generated from the schema
(`shapes`, written by `generate`, which also writes the dataclasses of each data
widget, into its core/widgets/<home>/body.py, from the body's description there), a lesson read from its front-matter (`lesson`), the
glossary's terms and their anchor (`glossary`), remote-files.yml's listed files (`listing`) and
the loaded `Project` (`project`). Imports `schema`, `problems`, `yaml`, `sources` and the widget
registry, the floors below it (tests/architecture/test_floors.py); never Markdown, remote-files.yml's reader,
the loader, the site plan or the checks, which build on it.
"""
