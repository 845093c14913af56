"""The shapes of what an instructor writes, described once in the schema language.

Owns the schema language (`language`), the words an instructor chooses from (`choices`), the
front-matter and course-file specs (`specs`), remote-files.yml (`remote`), PyYAML's syntax
errors said in plain words with the fields' names (`explain`). Each data widget's body is
described in its own folder (core/widgets/<home>/schema.py), in the schema language of this one.
Imports `yaml`, `problems`, `sources` and the widget registry, the floors below it
(tests/architecture/test_floors.py); never a widget, the model, the loader, the site plan or the checks. The
authoring guide's field tables read the widgets' bodies too, so they are `widgets/tables.py`.
"""
