"""`course.json`: the course's outline, written from the model and published beside its pages.

The exports (SCORM, Common Cartridge, offline: commands/export/) package a built site, and need
its structure: the tracks and their lessons in course order, titles, phases, each page's
language, the course's id. They used to read it back out of the built home page's and track
pages' markup, which tied them to the templates; this file gives it to them as data, from the
same curriculum the pages are made of, so `--site DIR` exports a site by its own outline.

It is published with the site, to learners: it holds nothing the published pages do not show
(no draft the build leaves out, no instructor page, no answer; the widgets' data stays in the
JSON islands of an export's build), and a tool that wants the course's outline can read it.
Its fields are documented in docs/lms-and-offline.md ("course.json"); `VERSION` grows when a
field changes meaning or goes, not when one is added.
"""

from __future__ import annotations

import json
from typing import Any

from tracksite.core.markdown import references as refs
from tracksite.core.site import courseid
from tracksite.core.siteconfig import SiteConfig

#: Where the site holds it (the site plan's entry; `tracksite export` reads it there).
SRC_URI = "course.json"
#: The schema's version: a reader refuses a file of a later one.
VERSION = 1
#: A lesson's pages besides its own, in the order the outline lists them.
COMPANIONS = ("overview", "cheatsheet")


def outline(project: Any, config: SiteConfig) -> dict[str, Any]:
    """The course's outline as the site publishes it: the tracks with lessons (as the home page
    lists them), each lesson with its number, its phase (numbered among the track's phases that
    have published lessons, as the navigation numbers them) and the pages the site has of it."""
    c = project.curriculum
    published = {d.src_uri for d in project.documents}
    tracks = []
    for track in c.tracks:
        lessons = c.lessons_of(track.slug)
        if not lessons:
            continue
        phases: dict[str, dict[str, Any]] = {}
        for number, (phase, members) in enumerate(c.phases_of(track), 1):
            for lesson in members:
                phases.setdefault(lesson.key, {"number": number, "title": phase.title})
        tracks.append(
            {
                "slug": track.slug,
                "number": track.number,
                "title": track.title,
                "lang": track.language or config.language,
                "url": refs.url("track", track.slug),
                "lessons": [
                    {
                        "id": lesson.key,
                        "slug": lesson.slug,
                        "title": lesson.title,
                        "number": c.position(lesson).number,
                        "phase": phases.get(lesson.key),
                        "url": refs.url("lesson", track.slug, lesson.slug),
                        "pages": [refs.url("lesson", track.slug, lesson.slug)]
                        + [
                            refs.url(kind, track.slug, lesson.slug)
                            for kind in COMPANIONS
                            if refs.src_uri(kind, track.slug, lesson.slug) in published
                        ],
                    }
                    for lesson in lessons
                ],
            }
        )
    return {
        "version": VERSION,
        "title": config.site_name,
        "id": courseid.of(config.site_name, config.site_url, config.course_id),
        "lang": config.language,
        "tracks": tracks,
    }


def text(project: Any, config: SiteConfig) -> str:
    """The file's text: UTF-8 JSON, keys in the order above, one line (it is read, not edited)."""
    return json.dumps(outline(project, config), ensure_ascii=False, separators=(",", ":")) + "\n"
