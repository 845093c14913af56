"""`tracksite import`: lessons of other formats turned into tracksite tracks.

`pipeline/` holds the steps every format shares (plan, read, convert, write, check, verify,
report, update) and the `Source` protocol a format meets; each format has its own folder (today
`carpentries/`, the Workbench) and one entry in `sources.py`. `command.py` joins them: the
pipeline never imports a source.
"""
