"""tracksite's theme, from the installed package, on the engine's search path (issue 27)."""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import platform
import types
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket, bc_magic
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from tracksite import theme as theme_files
from tracksite.core.memo import current, digest, stable_text

_log = logging.getLogger("mkdocs.plugins.tracksite")


def install_theme(config: MkDocsConfig) -> None:
    """Put tracksite's templates on the theme's search path and link its stylesheets and
    scripts, from the installed package: the course's `custom_dir` still comes first (its own
    partials win), then ours, then Material's. Nothing is copied into the course, so an upgraded
    package is what the next build uses. Idempotent, for `mkdocs serve` rebuilds."""
    _list_without_dot_folders(config.theme)
    dirs = config.theme.dirs
    if str(theme_files.TEMPLATES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(theme_files.TEMPLATES))
    listed_css = {str(x) for x in config.extra_css}
    config.extra_css[:0] = [css for css in theme_files.STYLESHEETS if css not in listed_css]
    listed_js = {str(getattr(x, "path", x)) for x in config.extra_javascript}
    config.extra_javascript[:0] = [_deferred(js) for js in theme_files.SCRIPTS if js not in listed_js]


class ThemeListing(jinja2.BaseLoader):
    """The theme's loader, listing its files without walking its dot folders. MkDocs lists every
    file of the theme's folders at each build to publish its assets, and leaves out any under a
    folder whose name starts with a dot; Material's `.icons` holds 14,000 of its 14,500 files, and
    walking and matching them took 0.14 s of every build, a save under `mkdocs serve` too."""

    def __init__(self, inner: jinja2.FileSystemLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str):
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for root in self.inner.searchpath:
            for folder, subfolders, names in os.walk(root, followlinks=self.inner.followlinks):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                rel = os.path.relpath(folder, root).replace(os.sep, "/")
                found.update(n if rel == "." else f"{rel}/{n}" for n in names if not n.startswith("."))
        return sorted(found)


def _list_without_dot_folders(theme: Any) -> None:
    """Have the theme's environments list their files with `ThemeListing` (once per theme)."""
    get_env = theme.get_env
    if getattr(get_env, "tracksite_listing", False):
        return

    def listing_env() -> jinja2.Environment:
        env = get_env()
        if type(env.loader) is jinja2.FileSystemLoader:
            env.loader = ThemeListing(env.loader)
        return env

    listing_env.tracksite_listing = True  # type: ignore[attr-defined]
    theme.get_env = listing_env


# Material's own search: its lunr language files and its web worker (about 1.2 MB), which only
# its search plugin loads
MATERIAL_SEARCH_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def drop_unused_search_files(files: Files, config: MkDocsConfig) -> None:
    """Leave Material's search files out of the site unless the course turns Material's search
    plugin on (`plugins: [search]`): the course search is tracksite's own, and a theme file no
    page loads is only weight on the server and in every copy of the site."""
    if any(name.rpartition("/")[2] == "search" for name in config.plugins):
        return
    theme_dirs = set(config.theme.dirs)
    for file in list(files):
        if file.dest_uri.startswith(MATERIAL_SEARCH_FILES) and file.src_dir in theme_dirs:
            files.remove(file)


def drop_source_maps(files: Files, config: MkDocsConfig) -> None:
    """Leave the theme's source maps (Material's *.map, about 1 MB) out of the site: a browser
    fetches one only while its developer tools are open, to show Material's sources, and its
    absence costs nothing else, while every copy of the site and every deploy carried them. A
    course's own files in docs/ are published as they are."""
    theme_dirs = set(config.theme.dirs)
    for file in list(files):
        if file.dest_uri.endswith(".map") and file.src_dir in theme_dirs:
            files.remove(file)


def _deferred(path: str) -> c.ExtraScriptValue:
    script = c.ExtraScriptValue(path)
    script.defer = True
    return script


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory across `mkdocs serve` rebuilds, and on disk in the
    course's state folder (core/localstate.py) for the next process. MkDocs makes a new template
    environment for every build, and compiling the templates a page uses (Material's and ours)
    took a build about 0.3 s, in each process that renders pages. Jinja keys a bucket by the
    template's name and file and the checksum of its source, so an edited template is compiled
    again; the file's name adds the versions of Jinja and Python and the environment's settings,
    and its content carries a digest: a file that does not match it is compiled again.

    Jinja's own bucket format stores the checksum pickled, and unpickling runs whatever the file
    says: a file planted in the checkout's old `.cache/` ran a command at the next build. Here
    the checksum is plain text and the code is read with `marshal` alone (`_encode`, `_decode`),
    and only from the user's own state folder: `pickle` is never called."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.folder: str | None = None
        self.salt = ""

    def using(self, env: Any, folder: Path | None) -> CompiledTemplates:
        """This cache, its files under `folder` (None: in memory only, the build cache is off)."""
        self.folder = None if folder is None else str(folder)
        settings = (env.autoescape, sorted(env.extensions), env.trim_blocks, env.lstrip_blocks, env.optimized)
        self.salt = stable_text([_FORMAT, platform.python_version(), jinja2.__version__, settings])
        return self

    def _path(self, bucket: Bucket) -> str | None:
        return None if self.folder is None else os.path.join(self.folder, digest([self.salt, bucket.key]))

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        path = self._path(bucket)
        if code is None and path is not None:
            with contextlib.suppress(OSError):
                with open(path, "rb") as f:
                    check, _, code = f.read().partition(b"\n")
                if check.decode("ascii", "replace") != digest([code]):
                    _log.info("tracksite: a compiled template in %s was damaged: compiled again", self.folder)
                    code = None
        if code is not None:
            _decode(bucket, code)  # (not what this Jinja and Python wrote: left empty, compiled again)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = self.code[bucket.key] = _encode(bucket)
        path = self._path(bucket)
        if path is None:
            return
        with contextlib.suppress(OSError):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            spare = f"{path}.{os.getpid()}"
            with open(spare, "wb") as f:
                f.write(digest([code]).encode("ascii") + b"\n" + code)
            os.replace(spare, path)


#: Bumped when what a kept file holds changes (2: the checksum as text, not pickled).
_FORMAT = "2"


def _encode(bucket: Bucket) -> bytes:
    """A compiled template as Jinja's magic bytes, the source's checksum as text, and the code
    by `marshal` (Jinja's `write_bytecode` pickles the checksum)."""
    if bucket.code is None:
        raise TypeError("can't write empty bucket")
    return bc_magic + str(bucket.checksum).encode("ascii") + b"\n" + marshal.dumps(bucket.code)


def _decode(bucket: Bucket, data: bytes) -> None:
    """Put the code of `data` (`_encode`) in `bucket` when it is for this Jinja and Python and
    the same source; otherwise leave the bucket empty, so the template is compiled again."""
    bucket.reset()
    if not data.startswith(bc_magic):
        return
    checksum, newline, code = data[len(bc_magic) :].partition(b"\n")
    if not newline or checksum.decode("ascii", "replace") != str(bucket.checksum):
        return
    try:
        loaded = marshal.loads(code)
    except (EOFError, ValueError, TypeError):
        return
    if isinstance(loaded, types.CodeType):
        bucket.code = loaded


def compiled_templates() -> CompiledTemplates:
    """The compiled templates of the memory in use (core/memo.py): kept across the rebuilds of a
    `mkdocs serve` process, whose memory it is; a build's own otherwise."""
    return current().owned("theme.compiled-templates", CompiledTemplates)
