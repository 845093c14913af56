"""The shapes of what an instructor writes, described once in the schema language.

Owns the schema language (`language`), the words an instructor chooses from (`choices`), the
front-matter and course-file specs (`specs`), remote-files.yml (`remote`) and the authoring
guide's generated field tables (`tables`); each data widget's body is described in its own
module under core/widgets/, except those whose values are generated dataclasses
(core/widgets/shapes.py): the quiz's (`quiz`), flashcards' (`flashcards`), predict's
(`predict`) and attention's (`attention`) bodies are described here, in modules that hold only the description, so that core/model/generate.py reads
them without importing a widget.
Imports `yaml`, `problems`, `sources` and the widget registry (`tables`, which writes the
authoring guide, also reads the widgets' bodies); never the model, the loader, the site plan or
the checks.
"""
