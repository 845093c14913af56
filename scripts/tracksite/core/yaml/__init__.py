"""YAML as tracksite reads it: plain data with the line of every key, syntax errors said in plain words.

Owns the strict reader for course files (`safe`), the explanations of PyYAML's errors (`explain`)
and what mkdocs.yml may hold before the engine reads it (`configfile`). May import the
standard library, PyYAML, `tracksite.errors` and `tracksite.core.problems.problem`; nothing else of core.
"""
