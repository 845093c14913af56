"""The site a course becomes: every page and file at its address, and what may be published.

Owns the site plan (`plan`), the pages tracksite writes itself (`trackpages`), redirects, the
plain view data for templates (`views`), which files a lesson publishes (`published`), the
rules for static files and SVG (`statics`, `svgsafe`) and for addresses on another host in them
(`addresses`), the course's id (`courseid`) and each page's digest for `mkdocs serve`
(`fingerprints`). Imports every folder below it (tests/architecture/test_floors.py: yaml, problems, schema,
model, markdown, widgets, learning); never remote-files.yml's reader, the loader or `checks`.
"""
