"""`tracksite export cc`: the course as an IMS Common Cartridge 1.1, the version both Canvas and
Moodle import.

The cartridge's organisation is the course's: a module per track, in it a folder per phase, in it
each lesson's pages (the lesson, its overview, its cheatsheet: web content, the built pages with
their styles and figures under web_resources/) and its quiz, one QTI 1.2 assessment per lesson
holding every question of its quizzes as an item (options, the right answer or answers, each
option's feedback), in the Common Cartridge profile Canvas's importer reads
(cc.multiple_choice.v0p1 / cc.multiple_response.v0p1). Pages are written as the portable copy
has them (links naming index.html), so that a page opened from the LMS's file store finds its
neighbours and figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from tracksite.commands.export import coursedata, staging
from tracksite.core import messages

CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
LOMIMSCC = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
WEB = "web_resources"
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
PROFILE = {False: "cc.multiple_choice.v0p1", True: "cc.multiple_response.v0p1"}


def _safe_id(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def _mattext(parent: ET.Element, html: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", {"texttype": "text/html"}).text = html


def _field(meta: ET.Element, label: str, entry: str) -> None:
    f = ET.SubElement(meta, "qtimetadatafield")
    ET.SubElement(f, "fieldlabel").text = label
    ET.SubElement(f, "fieldentry").text = entry


def _item(section: ET.Element, ident: str, n: int, question: coursedata.Question, lang: str) -> None:
    item = ET.SubElement(section, "item", {"ident": ident, "title": messages.catalogue(lang).text("ccQuestion", n=n)})
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    _field(meta, "cc_profile", PROFILE[question.multiple])
    _field(meta, "cc_weighting", "1")
    presentation = ET.SubElement(item, "presentation")
    _mattext(presentation, question.text)
    cardinality = "Multiple" if question.multiple else "Single"
    lid = ET.SubElement(presentation, "response_lid", {"ident": "response1", "rcardinality": cardinality})
    choice = ET.SubElement(lid, "render_choice")
    option_ids = [f"{ident}_o{i}" for i in range(len(question.options))]
    for oid, text in zip(option_ids, question.options, strict=True):
        _mattext(ET.SubElement(choice, "response_label", {"ident": oid}), text)
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    for oid, feedback in zip(option_ids, question.feedback, strict=True):
        if feedback:
            cond = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
            ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", {"respident": "response1"}).text = oid
            ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": f"{oid}_fb"})
    right = ET.SubElement(processing, "respcondition", {"continue": "No"})
    var = ET.SubElement(right, "conditionvar")
    if question.multiple:
        both = ET.SubElement(var, "and")
        for i, oid in enumerate(option_ids):
            target = both if i in question.correct else ET.SubElement(both, "not")
            ET.SubElement(target, "varequal", {"respident": "response1"}).text = oid
    else:
        for i in question.correct:
            ET.SubElement(var, "varequal", {"respident": "response1"}).text = option_ids[i]
    ET.SubElement(right, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
    for oid, feedback in zip(option_ids, question.feedback, strict=True):
        if feedback:
            fb = ET.SubElement(item, "itemfeedback", {"ident": f"{oid}_fb"})
            _mattext(ET.SubElement(fb, "flow_mat"), feedback)


def assessment(lesson: coursedata.Lesson, ident: str) -> bytes:
    """The lesson's quiz: every question of its quizzes, as QTI 1.2 items."""
    root = ET.Element("questestinterop")
    test = ET.SubElement(root, "assessment", {"ident": ident, "title": _said(lesson, "ccQuiz")})
    meta = ET.SubElement(ET.SubElement(test, "qtimetadata"), "qtimetadatafield")
    ET.SubElement(meta, "fieldlabel").text = "cc_maxattempts"
    ET.SubElement(meta, "fieldentry").text = "unlimited"
    section = ET.SubElement(test, "section", {"ident": "root_section"})
    # each item is named by its question's identity (its text and options, or the author's id),
    # as the SCORM package names its interactions: the same in every version of the cartridge,
    # so that a new import's results line up with the last one's, question by question
    n = 0
    for quiz_number, quiz in enumerate(lesson.quizzes, 1):
        for q_number, question in enumerate(quiz.questions, 1):
            n += 1
            name = _safe_id(question.ident) if "|" not in question.key else f"q{quiz_number}_{q_number}"
            _item(section, f"{ident}_{name}", n, question, lesson.lang)
    root.set("xmlns", QTI)
    ET.indent(root)
    return staging.xml_document(root)


def _q(tag: str, ns: str = CC) -> str:
    return f"{{{ns}}}{tag}"


def _titled(parent: ET.Element, ident: str, text: str, ref: str | None = None) -> ET.Element:
    item = ET.SubElement(parent, _q("item"), {"identifier": ident, **({"identifierref": ref} if ref else {})})
    ET.SubElement(item, _q("title")).text = text
    return item


def _head(course: coursedata.Course) -> tuple[ET.Element, ET.Element, ET.Element]:
    """The manifest with its metadata; its root item and its resources, empty."""
    m = ET.Element(_q("manifest"), {"identifier": "tracksite_cartridge"})
    m.set(_q("schemaLocation", XSI), f"{CC} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd")
    meta = ET.SubElement(m, _q("metadata"))
    ET.SubElement(meta, _q("schema")).text = "IMS Common Cartridge"
    ET.SubElement(meta, _q("schemaversion")).text = "1.1.0"
    general = ET.SubElement(ET.SubElement(meta, _q("lom", LOMIMSCC)), _q("general", LOMIMSCC))
    ET.SubElement(ET.SubElement(general, _q("title", LOMIMSCC)), _q("string", LOMIMSCC)).text = course.title
    organizations = ET.SubElement(m, _q("organizations"))
    org = ET.SubElement(organizations, _q("organization"), {"identifier": "org", "structure": "rooted-hierarchy"})
    top = ET.SubElement(org, _q("item"), {"identifier": "root"})
    return m, top, ET.SubElement(m, _q("resources"))


def _shared_files(resources: ET.Element, staged: Path, course: coursedata.Course) -> None:
    """One resource with every file of the site but the lessons' pages, which are resources of
    their own that depend on it: styles, scripts, figures, and the pages the lessons link to
    (home, track pages, glossary, review), which an LMS must keep though no module lists them."""
    shared = ET.SubElement(resources, _q("resource"), {"identifier": "site_files", "type": "webcontent"})
    own = {f"{WEB}/{url}index.html" for lesson in course.lessons for url in lesson.pages}
    for path in sorted(p for p in (staged / WEB).rglob("*") if p.is_file()):
        name = path.relative_to(staged).as_posix()
        if name not in own:
            ET.SubElement(shared, _q("file"), {"href": name})


def _lesson(parent: ET.Element, resources: ET.Element, lesson: coursedata.Lesson, staged: Path) -> None:
    """A lesson's pages, as web content, and its quiz, as a QTI assessment, under `parent`."""
    base = _safe_id(lesson.id)
    for url in lesson.pages:
        kind = url[len(lesson.url) :]
        ref = f"page_{base}_{_safe_id(kind) or 'lesson'}"
        href = f"{WEB}/{url}index.html"
        res = ET.SubElement(resources, _q("resource"), {"identifier": ref, "type": "webcontent", "href": href})
        ET.SubElement(res, _q("file"), {"href": href})
        ET.SubElement(res, _q("dependency"), {"identifierref": "site_files"})
        _titled(parent, f"item_{ref}", _said(lesson, _KINDS[kind]) if kind in _KINDS else lesson.title, ref)
    if any(quiz.questions for quiz in lesson.quizzes):
        ident = f"quiz_{base}"
        href = f"{ident}/assessment.xml"
        (staged / ident).mkdir()
        (staged / href).write_bytes(assessment(lesson, ident))
        res = ET.SubElement(resources, _q("resource"), {"identifier": ident, "type": ASSESSMENT_TYPE})
        ET.SubElement(res, _q("file"), {"href": href})
        _titled(parent, f"item_{ident}", _said(lesson, "ccQuiz"), ident)


#: A lesson's pages other than the lesson itself, by the catalogue's key for their LMS title.
_KINDS = {"overview/": "ccOverview", "cheatsheet/": "ccCheatsheet"}


def _said(lesson: coursedata.Lesson, key: str) -> str:
    """A title the LMS lists, in the lesson's own language ("Resumen: ..." in a Spanish track)."""
    return messages.catalogue(lesson.lang).text(key, title=lesson.title)


def manifest(course: coursedata.Course, staged: Path) -> bytes:
    """imsmanifest.xml: a module per track, a folder per phase, each lesson's pages and quiz."""
    m, top, resources = _head(course)
    _shared_files(resources, staged, course)
    for slug, track_title in course.tracks:
        module = _titled(top, f"track_{_safe_id(slug)}", track_title)
        folders: dict[str, ET.Element] = {}
        for lesson in (x for x in course.lessons if x.track == slug):
            parent = module
            if lesson.phase:
                if lesson.phase not in folders:
                    folders[lesson.phase] = _titled(module, f"phase_{_safe_id(slug)}_{len(folders) + 1}", lesson.phase)
                parent = folders[lesson.phase]
            _lesson(parent, resources, lesson, staged)
    ET.indent(m)
    for prefix, uri in (("", CC), ("xsi", XSI), ("lomimscc", LOMIMSCC)):
        ET.register_namespace(prefix, uri)
    return staging.xml_document(m)


def package(site: Path, out: Path, work: Path, track: str | None = None) -> int:
    """The cartridge of the built `site`, or of its `track` alone (its module and quizzes)."""
    course = coursedata.read(site, track)
    staged = work / "cartridge"
    staged.mkdir()
    staging.copy_site(site, staged / WEB)
    shutil.rmtree(staged / WEB / "search-index", ignore_errors=True)  # no search in an LMS's file view
    staging.refuse_remote(staged / WEB)
    staging.prepare(staged / WEB, ("portable.js",), search=False, course_id=course.course_id or None)
    (staged / "imsmanifest.xml").write_bytes(manifest(course, staged))
    return staging.write_zip(staged, out, first=("imsmanifest.xml",))
