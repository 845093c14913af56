"""`tracksite export scorm`: the built course as a SCORM 1.2 or 2004 (4th edition) package.

The course is one SCO. Its launch page (scorm-launch.html) holds the LMS session and shows the
course's pages in a frame (theme/export/scorm.js says how progress reaches the LMS), so moving
between pages neither ends the session nor needs the LMS to know the pages; one SCO per lesson
would make the LMS's menu the course's navigation and lose the course's own. The manifest lists
every file of the package, and the schema files it names sit at the package root.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from tracksite.commands.export import coursedata, interactions, scormstate, staging
from tracksite.core import messages
from tracksite.errors import UserError

EXPORT = staging.EXPORT
ASSETS = staging.ASSETS
LAUNCH = "scorm-launch.html"
#: The launch page's words: the link without JavaScript, the lines scorm.js shows without an LMS
#: and in a second window of one activity.
LINES = {"open": "scormOpen", "alone": "scormAlone", "elsewhere": "scormElsewhere"}
MAPPING = "interactions.csv"  # each interaction's id and response letters, in words (interactions.py)

SCHEMAS = {
    "1.2": ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"),
    "2004": tuple(sorted(p.name for p in (EXPORT / "scorm2004").glob("*.xsd"))),
}
_NS = {
    "1.2": {
        "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
    "2004": {
        "": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
}
_LOCATIONS = {
    "1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd",
    "2004": "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "
    "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd",
}

_LAUNCH_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; \
frame-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/scorm.css">
</head>
<body>
<p id="ts-scorm-alone" class="ts-scorm-line" role="status" hidden>{alone}</p>
<p id="ts-scorm-elsewhere" class="ts-scorm-line" role="status" hidden>{elsewhere}</p>
<iframe id="ts-scorm-frame" title="{title}"></iframe>
<noscript><p><a href="index.html">{open}</a></p></noscript>
<script src="{assets}/scorm-course.js"></script>
<script src="{assets}/scorm-state.js"></script>
<script src="{assets}/scorm.js"></script>
</body>
</html>
"""


def course_script(course: coursedata.Course, version: str, threshold: float, mastery: float | None = None) -> str:
    """scorm-course.js: what scorm.js lays suspend_data out by (scormstate), and the answer key."""
    start = f"{course.track}/index.html" if course.track else "index.html"
    data = scormstate.course_data(course, version, threshold, mastery, start)
    return "window.tracksiteCourse = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n"


def identifier(course: coursedata.Course, limit: int = 60) -> str:
    """The manifest's identifier: `tracksite-` and the course's title (and track), letters and
    digits kept, the rest hyphens (as earlier packages wrote it, so that a new version keeps it);
    a longer one keeps its start and ends with 8 hex digits of the whole, so that two courses
    whose titles differ past the limit stay two packages to the LMS."""
    named = course.title.lower() + (f"-{course.track}" if course.track else "")
    words = "".join(ch if ch.isalnum() else "-" for ch in named).strip("-")
    ident = "tracksite-" + (words or "course")
    if len(ident) <= limit:
        return ident
    digest = hashlib.sha1(named.encode("utf-8")).hexdigest()[:8]
    return ident[: limit - 9].rstrip("-") + "-" + digest


def manifest(staged: Path, course: coursedata.Course, version: str, mastery: float | None = None) -> bytes:
    ns = _NS[version]
    for prefix, uri in ns.items():
        ET.register_namespace(prefix, uri)

    def q(tag: str, prefix: str = "") -> str:
        return f"{{{ns[prefix]}}}{tag}"

    m = ET.Element(q("manifest"), {"identifier": identifier(course), "version": "1"})
    m.set(q("schemaLocation", "xsi"), _LOCATIONS[version])
    meta = ET.SubElement(m, q("metadata"))
    ET.SubElement(meta, q("schema")).text = "ADL SCORM"
    ET.SubElement(meta, q("schemaversion")).text = "1.2" if version == "1.2" else "2004 4th Edition"
    orgs = ET.SubElement(m, q("organizations"), {"default": "org"})
    org = ET.SubElement(orgs, q("organization"), {"identifier": "org"})
    ET.SubElement(org, q("title")).text = course.title
    item = ET.SubElement(org, q("item"), {"identifier": "course", "identifierref": "sco", "isvisible": "true"})
    ET.SubElement(item, q("title")).text = course.title
    if mastery is not None and version == "1.2":  # the LMS's own passed/failed, as scorm.js reports it
        ET.SubElement(item, q("masteryscore", "adlcp")).text = f"{mastery:g}"
    resources = ET.SubElement(m, q("resources"))
    type_attr = "scormtype" if version == "1.2" else "scormType"
    res = ET.SubElement(resources, q("resource"), {"identifier": "sco", "type": "webcontent", "href": LAUNCH})
    res.set(q(type_attr, "adlcp"), "sco")
    skip = {"imsmanifest.xml", *SCHEMAS[version]}
    for path in sorted(p for p in staged.rglob("*") if p.is_file()):
        name = path.relative_to(staged).as_posix()
        if name not in skip:
            ET.SubElement(res, q("file"), {"href": name})
    ET.indent(m)
    return staging.xml_document(m)


def package(
    site: Path,
    out: Path,
    work: Path,
    *,
    version: str,
    threshold: float,
    mastery: float | None = None,
    track: str | None = None,
) -> int:
    """Write the package of the built `site` (or of its `track`) to `out`; returns the number of
    files. A track's package holds the whole site (its links to other tracks work) and starts at
    the track's page; its activity records that track's lessons, under an id of its own."""
    course = coursedata.read(site, track)
    try:
        warning = scormstate.check(course, version)
    except ValueError as e:
        raise UserError(f"tracksite export scorm: {e}") from None
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    staged = work / "package"
    staging.copy_site(site, staged)
    staging.refuse_remote(staged)
    staging.prepare(staged, ("portable.js",), course_id=course.course_id or None)
    for name in ("scorm-state.js", "scorm.js", "scorm.css"):
        shutil.copyfile(EXPORT / name, staged / ASSETS / name)
    (staged / ASSETS / "scorm-course.js").write_text(
        course_script(course, version, threshold, mastery), encoding="utf-8"
    )
    title = course.title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    said = messages.catalogue(course.lang)
    lines = {key: html.escape(said.text(name)) for key, name in LINES.items()}
    page = _LAUNCH_PAGE.format(title=title, assets=ASSETS, lang=html.escape(course.lang), **lines)
    (staged / LAUNCH).write_text(page, encoding="utf-8")
    folder = EXPORT / ("scorm12" if version == "1.2" else "scorm2004")
    for name in SCHEMAS[version]:
        shutil.copyfile(folder / name, staged / name)
    shutil.copyfile(EXPORT / "SCHEMAS-NOTICE.txt", staged / ASSETS / "SCHEMAS-NOTICE.txt")
    entries = [(lesson, q, data) for lesson in course.lessons for q, data in scormstate.questions(lesson)]
    (staged / MAPPING).write_text(interactions.mapping(entries), encoding="utf-8")
    (staged / "imsmanifest.xml").write_bytes(manifest(staged, course, version, mastery))
    return staging.write_zip(staged, out, first=("imsmanifest.xml",))
