"""What a course teaches and how: glossaries, objectives' coverage, the course map, schedules.

Owns the glossary and its term links (`glossary`, `termlinks`), the objectives' coverage, the
course map, the instructor's schedule, reading time and a track's expected practice
(`expectations`). May import yaml, schema, problems, model, markdown and the widget
registry; never the site plan or the checks.
"""
