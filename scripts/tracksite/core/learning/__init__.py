"""What a course teaches and how: glossaries, objectives' coverage, the course map, schedules.

Owns the glossary and its term links (`glossary`, `termlinks`), the objectives' coverage, the
course map, the instructor's schedule, reading time and a track's expected practice
(`expectations`). Imports problems, model, markdown, memo, the widget registry and the
widgets' bodies (`coverage`); never the site plan or the checks.
"""
