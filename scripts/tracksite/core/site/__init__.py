"""The site a course becomes: every page and file at its address, and what may be published.

Owns the site plan (`plan`), the pages tracksite writes itself (`trackpages`), redirects, the
plain view data for templates (`views`), the engine's settings as plain values (`config`), which
files a lesson publishes (`published`), the rules for static files and SVG (`statics`,
`svgsafe`) and each page's digest for `mkdocs serve` (`fingerprints`). Imports every folder
below it (yaml, schema, problems, model, markdown, learning, remote, widgets); never the loader
or `checks`.
"""
