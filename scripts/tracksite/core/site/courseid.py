"""The course's id: the namespace of everything its pages keep in a learner's browser.

Browsers share localStorage per origin, and an LMS serves every package from one origin (Moodle's
pluginfile.php), as GitHub Pages serves user.github.io/a and user.github.io/b: without a
namespace, two courses would read and wipe each other's progress. The id is derived from what
names and places the course (its `site_name` and `site_url`), so it is the same on every build
and differs between two courses; the pages carry it (`<meta name="tracksite-course">`, read by
widgets.js) and so does a SCORM package (scorm-course.js, read by scorm.js).

A course that declares its id (the plugin's `course_id:` in mkdocs.yml, a short slug: `SLUG`)
keeps its learners' state when it is renamed or moved (another domain, another path): its id is
made of the slug alone, and its pages are not bound to their address. Its pages also carry the id
the name and address gave (`data-earlier`), and widgets.js moves what a learner kept under it to
the declared id once (never over a key the declared id already holds). Without it, the id is the
name and address's, as before, and `tracksite check` suggests declaring one (TS608).

A name alone does not tell two courses apart (`tracksite init` leaves `site_url` empty), nor an
address two activities of one package in an LMS: a site built without `site_url`, and every
exported copy, bind the id to where the copy is served from (`data-bound="location"` on the meta;
widgets.js and scorm.js combine the id with the address of the copy's root).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

#: What every id looks like: widgets.js tells an earlier, un-namespaced key (`tracksite:progress`)
#: from another course's (`tracksite:0a1b2c3d:progress`) by it.
PATTERN = re.compile(r"^[0-9a-f]{8}$")


def course_id(site_name: object, site_url: object) -> str:
    """8 hex digits of the course's name and address (the address without its final slash)."""
    name = str(site_name or "").strip()
    url = str(site_url or "").strip().rstrip("/")
    return hashlib.sha1(f"{name}\n{url}".encode()).hexdigest()[:8]


#: A declared course id (`course_id:`): lowercase letters, digits and hyphens, 2 to 40 of them,
#: starting and ending with a letter or digit (the id of a course, not a title: it never changes).
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")


def declared_id(slug: str) -> str:
    """The id of a course that declares `course_id: slug`: the slug alone, so neither a new name
    nor a new address changes it."""
    return hashlib.sha1(f"course-id\n{slug}".encode()).hexdigest()[:8]


def suggested(name: str) -> str:
    """A slug made of a course's name (`tracksite init` writes it as `course_id:`): lowercase
    ASCII words joined by hyphens, 40 characters at most; "course" when the name has none."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    slug = "-".join(words)[:40].strip("-")
    return slug if SLUG.match(slug) else "course"


def of(site_name: object, site_url: object, declared: object = "") -> str:
    """The course's id: its declared slug's (when valid), else its name and address's."""
    if isinstance(declared, str) and SLUG.match(declared):
        return declared_id(declared)
    return course_id(site_name, site_url)


def track_id(course: str, slug: str) -> str:
    """The id of one track exported as a package of its own (`tracksite export --track`): its
    learners' state apart from the whole course's package, and from another track's."""
    return hashlib.sha1(f"{course}\ntrack:{slug}".encode()).hexdigest()[:8]


def of_config(config: object) -> str:
    """The id of the course `config` (MkDocs's configuration) builds: in a template,
    `ts_course_id(config)`."""
    get = getattr(config, "get", None)
    if get is None:
        return course_id("", "")
    return of(get("site_name"), get("site_url"), declared(config))


def earlier_of_config(config: object) -> str:
    """The id the name and address gave a course that now declares its own (its learners' keys
    are moved from it: widgets.js), or "" for a course that declares none: in a template,
    `ts_course_earlier(config)`."""
    get = getattr(config, "get", None)
    if get is None or not (isinstance(slug := declared(config), str) and SLUG.match(slug)):
        return ""
    return course_id(get("site_name"), get("site_url"))


def declared(config: object) -> object:
    """The plugin's `course_id:` as mkdocs.yml writes it (None when absent; the checks say
    whether it is a valid slug: adapter/config/mkdocsconfig.py, TS607)."""
    get: Any = getattr(config, "get", None)
    plugins: Any = get("plugins") if get is not None else None
    plugin = plugins.get("tracksite") if hasattr(plugins, "get") else None
    options: Any = getattr(plugin, "config", None)
    return options.get("course_id") if hasattr(options, "get") else None
