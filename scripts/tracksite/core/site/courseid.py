"""The course's id: the namespace of everything its pages keep in a learner's browser.

Browsers share localStorage per origin, and an LMS serves every package from one origin (Moodle's
pluginfile.php), as GitHub Pages serves user.github.io/a and user.github.io/b: without a
namespace, two courses would read and wipe each other's progress. The id is derived from what
names and places the course (its `site_name` and `site_url`), so it is the same on every build
and differs between two courses; the pages carry it (`<meta name="tracksite-course">`, read by
widgets.js) and so does a SCORM package (scorm-course.js, read by scorm.js).

A name alone does not tell two courses apart (`tracksite init` leaves `site_url` empty), nor an
address two activities of one package in an LMS: a site built without `site_url`, and every
exported copy, bind the id to where the copy is served from (`data-bound="location"` on the meta;
widgets.js and scorm.js combine the id with the address of the copy's root).
"""

from __future__ import annotations

import hashlib
import re

#: What every id looks like: widgets.js tells an earlier, un-namespaced key (`tracksite:progress`)
#: from another course's (`tracksite:0a1b2c3d:progress`) by it.
PATTERN = re.compile(r"^[0-9a-f]{8}$")


def course_id(site_name: object, site_url: object) -> str:
    """8 hex digits of the course's name and address (the address without its final slash)."""
    name = str(site_name or "").strip()
    url = str(site_url or "").strip().rstrip("/")
    return hashlib.sha1(f"{name}\n{url}".encode()).hexdigest()[:8]


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
    return course_id(get("site_name"), get("site_url"))
