"""YAML as tracksite reads it: plain data with the line of every key.

Owns the strict reader for course files (`safe`) and what mkdocs.yml may hold before the engine
reads it (`configfile`). On the floor above core's base modules (tests/architecture/test_floors.py): imports
PyYAML and `tracksite.errors`, nothing of core. PyYAML's errors in plain words need the schema's
field names, so they are `schema/explain.py`.
"""
