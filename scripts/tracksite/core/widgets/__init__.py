"""Learning widgets, core side: parse and validate the widget blocks of a lesson body.

Each widget is a folder of this package, named by its registry entry (`home`): `body.py` (its
body's description, the dataclasses generated from it and its parser, ending with a `BODY`), `block.py` (its pymdownx block:
the HTML a page shows and the data an export takes), `check.py` when the check runs a pass of its
own. Beside them, what every widget shares: `body.py` (reading a body), `bodies.py` (each `BODY`,
from its entry), `validate.py` (every block of a page), `tables.py` (the guide's field tables),
`decimals.py` (numbers as a page shows them), and for the blocks `common.py` (their base
classes, element helpers, JSON islands), `islands.py` (the islands' types, which the exports
import) and `inline.py` (a widget text as inline Markdown).
The blocks are Python-Markdown and pymdownx code, never MkDocs': the extension that registers
them is the adapter's (`tracksite.adapter.blocks`). `tracksite check` and the build call
`validate_widgets` first, so an instructor sees every problem with its line; the check loads no
block module.

Blocks (pymdown-extensions "Blocks" syntax, found in a page by tracksite.core.markdown.blocks): every widget
of tracksite.core.widgetregistry, e.g.

    //// exercise | Title         task Markdown, with a nested `/// solution` block
    /// quiz                       YAML list of {question, options: [{text, correct, explain}]}

The YAML bodies are described in the schema language (core/schema/language.py) and read like
front-matter; each data widget's `body.py` ends with a `BODY` (loaded by
tracksite.core.widgets.bodies from the folder its registry entry names). Every parser
returns `(value, findings)` and never raises on bad input: a finding's line is relative to the
block body (1 = first body line) unless it names a data `file`, in which case the line is the
file's own. The values are dataclasses generated from each body's description into the
marked lines of the same `body.py` (core/model/generate.py). The authoring
guide's field tables are written from the same bodies (`tables`).

This package's own module imports nothing and re-exports nothing: a caller imports the module
that defines a name (`tracksite.core.widgets.quiz.body.parse_quiz`), so that loading one block never
loads every widget. core/model/generate.py reads a body's description by running the text of its
`body.py` above the generated classes, never the module, which a broken generation would stop.
"""
