"""Files on other hosts that the site copies: remote-files.yml, read and vetted, and their uses rewritten.

Owns reading the listing, vetting a download and rewriting the pages and files that name a
listed file (`files`; the schema is `schema/remote.py`, the listed files' dataclasses
`model/listing.py`, which the loaded project holds). Imports yaml, schema, the model and the
site's rules for what may be published (`site.published`, `site.svgsafe`, `site.addresses`),
the floors below it (tests/architecture/test_floors.py); never the checks. Downloading is the adapter's
(`adapter/published/remotecopy.py`).
"""
