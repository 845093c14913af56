"""What lives on other hosts: addresses a page names there, and remote-files.yml's copies.

Owns the detection of third-party addresses (`addresses`) and the listed remote files with their
copies' addresses and the rewriting of their uses (`files`; the schema is `schema/remote.py`,
its dataclass `model/shapes.py`, generated from it). Imports yaml, schema, problems and
`model.shapes`, and the site's rules for what may be published (`site.published`,
`site.svgsafe`); never the site plan or the checks. Downloading is the adapter's
(`adapter/remotecopy.py`).
"""
