"""Published SVG figures leave out what drawing programs keep for themselves (core/site/svgsafe.py).

`tracksite check` has already refused any figure with a script, an event handler or an external
reference, and warned once per figure about the inert editor data (Inkscape, LibreOffice, Visio,
Illustrator, draw.io, matplotlib metadata) that this step strips: the source file stays as the
instructor saved it, so the drawing program can still open it.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from tracksite.core.site import svgsafe


def strip_svgs(files: Files, config: MkDocsConfig, allowed: frozenset[str] = frozenset()) -> None:
    """Replace each SVG that holds inert editor data by its plain copy, in place. `allowed`: the
    remote addresses of remote-files.yml, which a figure may name (adapter/published/remotecopy.py)."""
    for file in list(files):
        if not file.src_uri.lower().endswith(".svg") or not file.abs_src_path:
            continue
        try:
            with open(file.abs_src_path, "rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the check reported it
        plain = svgsafe.clean(text, allowed)
        if plain is not None:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=plain, inclusion=file.inclusion))
