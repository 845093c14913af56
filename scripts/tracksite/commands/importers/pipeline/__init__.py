"""The import pipeline, the same for every source format: plan, read, convert, write, verify, report.

A source (`carpentries/`, or any folder registered in `sources.py`) reads a lesson and converts it
(`source.Source`; what the pipeline reads of the lesson and of its code's run: protocols.py);
the pipeline does the rest: confines every path to the lesson (confine.py), fits
what the schema limits (limits.py), makes raw HTML and SVG inert (rawclean.py, svgclean.py),
writes the track through the journal (write.py), edits mkdocs.yml (courseconfig.py), merges a newer
release (update.py), builds and compares (verify.py, counting.py) and reports (report.py). It never
imports a source: the source is handed to it (flow.py).
"""
