"""The shapes of what an instructor writes, described once in the schema language.

Owns the schema language (`language`), the words an instructor chooses from (`choices`), the
front-matter and course-file specs (`specs`), remote-files.yml (`remote`) and the authoring
guide's generated field tables (`tables`) and each data widget's body (`quiz`, `flashcards`,
`predict`, `attention`, `steps`), in modules that hold only the description, so that
core/model/generate.py writes the widgets' values (core/widgets/shapes.py) from them without
importing a widget; the widget's parser and `BODY` are in its module under core/widgets/.
Imports `yaml`, `problems`, `sources` and the widget registry (`tables`, which writes the
authoring guide, also reads the widgets' bodies); never the model, the loader, the site plan or
the checks.
"""
