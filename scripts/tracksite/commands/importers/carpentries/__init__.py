"""The Carpentries Workbench (sandpaper) as an import source: config.yaml, episodes/, learners/,
instructors/, Pandoc's fenced divs, kramdown's leftovers, R Markdown run with knitr.

`source.py` is what the pipeline sees (pipeline/source.py's protocol); the rest is this format's
own: where a path points (workbench.py), the lesson read and planned (lesson.py), an episode
converted (episode.py, linerewrites.py, pandoc.py, htmlwrap.py, codeattrs.py, tabs.py, links.py,
anchorfix.py, converted.py), the other pages (pages.py, credits.py, datafiles.py) and R Markdown
(knitr.py, chunkheaders.py, rpackages.py, unreachable.py).
"""
