"""The browser half of the search published: `search-engine.js` lives in the search package
(`tracksite/search/`), beside the indexer whose files it reads and whose reading of words it repeats
(`words.py`), so the two change together; adding a file to MkDocs' files is engine knowledge, so it is
done here. The build publishes it where the dialog imports it from (`assets/tracksite/`, beside `search-ui.js`); a course's
own docs/ file at that address wins, as it does for the theme's other assets."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

import tracksite.search

#: The engine's source in the package, and its address in the site.
ENGINE = Path(tracksite.search.__file__).resolve().with_name("search-engine.js")
ENGINE_URI = "assets/tracksite/search-engine.js"


def publish(files: Files, config: MkDocsConfig) -> None:
    """Add the engine to the site's files, unless the course publishes a file of its own there."""
    if files.get_file_from_path(ENGINE_URI) is None:
        files.append(File.generated(config, ENGINE_URI, abs_src_path=str(ENGINE), inclusion=InclusionLevel.INCLUDED))
