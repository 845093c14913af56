"""Published SVG figures leave out what drawing programs keep for themselves (core/site/svgsafe.py).

`tracksite check` has already refused any figure with a script, an event handler or an external
reference, and warned once per figure about the inert editor data (Inkscape, LibreOffice, Visio,
Illustrator, draw.io, matplotlib metadata) that this step strips: the source file stays as the
instructor saved it, so the drawing program can still open it.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from tracksite.core import memo
from tracksite.core.site import svgsafe


def strip_svgs(files: Files, config: MkDocsConfig, allowed: frozenset[str] = frozenset()) -> None:
    """Replace each SVG that holds inert editor data by its plain copy, in place. `allowed`: the
    remote addresses of remote-files.yml, which a figure may name (adapter/published/remotecopy.py)."""
    kind = "svg-plain " + memo.digest(sorted(allowed))
    for file in list(files):
        if not file.src_uri.lower().endswith(".svg") or not file.abs_src_path:
            continue
        path = file.abs_src_path
        found = memo.kept_fact(kind, (path,), lambda path=path: _plain(path, allowed))
        plain = found[0] if found else None
        if plain is not None:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, content=plain, inclusion=file.inclusion))


def _plain(path: str, allowed: frozenset[str]) -> tuple[str | None] | None:
    """The SVG's plain copy, or (None,) when it holds no editor data: kept under `mkdocs serve`
    while the watcher reports no change there (core/memo.py), since reading and cleaning every
    figure of the course on each save was a fourteenth of a bundled course's save. None when it
    cannot be read (the check reported it), asked again."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return (svgsafe.clean(text, allowed),)
