"""YAML as tracksite reads it: plain data with the line of every key, syntax errors said in plain words.

Owns the strict reader for course files (`safe`), the explanations of PyYAML's errors (`explain`)
and what mkdocs.yml may hold before the engine reads it (`configfile`). Imports PyYAML,
`tracksite.errors`, the problem codes and, for the names of fields in its explanations,
`schema.specs`; nothing above them.
"""
