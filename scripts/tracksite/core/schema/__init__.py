"""The shapes of what an instructor writes, described once in the schema language.

Owns the schema language (`language`), the words an instructor chooses from (`choices`), the
front-matter and course-file specs (`specs`), the data widgets' bodies (`widgets`),
remote-files.yml (`remote`) and the authoring guide's generated field tables (`tables`).
May import `tracksite.core.yaml`, `tracksite.core.problems.problem` and the widget registry; never the
model, the loader, the site plan or the checks.
"""
