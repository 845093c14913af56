"""The SVG policy (issue 28, point 1): inert editor data is stripped, not refused; what can run or
load is still refused, with the reason.

The samples in tests/data/svg/ have the shape each program writes (Inkscape, LibreOffice Draw,
Visio, matplotlib, draw.io, Illustrator): their own namespaces, `<metadata>` with RDF, SVG fonts,
draw.io's `content=`, Illustrator's entities and private data. The refused samples in
tests/data/svg/refused/ carry a script (LibreOffice Impress's presentation engine), an event
handler, a `javascript:` link, an image from another site, HTML in a `foreignObject` that is more
than a label's text (an `<iframe>`, a handler), an external entity and an element outside the
allow-list. draw.io's and Mermaid's HTML labels (issue 73) are kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from support.course import load as check
from support.course import write
from support.sites import run_mkdocs
from tracksite.commands.importers.pipeline.svgclean import publishable
from tracksite.core.site import svgsafe
from tracksite.core.site.statics import static_problems

DATA = Path(__file__).resolve().parents[1] / "data" / "svg"
SVG_NS = "http://www.w3.org/2000/svg"
TOOLS = {
    "inkscape.svg": "Inkscape",
    "libreoffice-draw.svg": "LibreOffice",
    "visio.svg": "Visio",
    "matplotlib.svg": "metadata",
    "drawio.svg": "draw.io",
}
REFUSED = {
    "libreoffice-impress-script.svg": "contains a <script> element",
    "inkscape-onload.svg": "has an onload= event handler",
    "javascript-link.svg": "has a script or document URL in xlink:href=",
    "external-image.svg": "<image> loads 'https://tracker.example.com/pixel.png?who=learner' from a third party",
    "html-label-iframe.svg": "contains an HTML <iframe> element, which is not label text",
    "html-label-handler.svg": "has an onmouseover= event handler",
    "external-entity.svg": "declares entities",
    "unknown-element.svg": "iframe> element, which is not a plain drawing",
}


def _drawing(text: str) -> tuple[list[str], list[str]]:
    """What a browser draws: the SVG elements in document order and the visible text."""
    root = etree.fromstring(text.encode(), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    tags = [
        etree.QName(e).localname
        for e in root.iter()
        if isinstance(e.tag, str)
        and etree.QName(e).namespace == SVG_NS
        and etree.QName(e).localname in ("path", "rect", "circle", "text", "tspan", "use", "g")
        and not any(etree.QName(a).localname in ("metadata", "font", "foreignObject") for a in e.iterancestors())
    ]
    words = " ".join(
        "".join(e.itertext())
        for e in root.iter()
        if isinstance(e.tag, str) and etree.QName(e).namespace == SVG_NS and etree.QName(e).localname == "text"
    ).split()
    return tags, words


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_editor_data_is_removed_and_the_drawing_kept(name):
    text = (DATA / name).read_text(encoding="utf-8")
    review = svgsafe.review(text)
    assert review.refused == []
    assert any(r.startswith(TOOLS[name]) for r in review.removed), review.removed
    plain = svgsafe.clean(text)
    assert plain is not None
    again = svgsafe.review(plain)
    assert again.refused == [] and again.removed == []
    root = etree.fromstring(plain.encode())
    namespaces = {etree.QName(e).namespace for e in root.iter() if isinstance(e.tag, str)}
    namespaces |= {etree.QName(a).namespace for e in root.iter() if isinstance(e.tag, str) for a in e.attrib}
    assert namespaces <= {SVG_NS, None, "http://www.w3.org/1999/xlink", "http://www.w3.org/XML/1998/namespace"}
    before, after = _drawing(text), _drawing(plain)
    assert after == before and after[0], name


def test_visio_text_keeps_the_words_that_follow_its_paragraph_markers():
    plain = svgsafe.clean((DATA / "visio.svg").read_text(encoding="utf-8"))
    assert ">home</text>" in plain and "v:" not in plain and "documentProperties" not in plain


def test_illustrator_entities_are_written_out_at_import_and_its_private_data_removed():
    text = (DATA / "illustrator.svg").read_text(encoding="utf-8")
    assert "declares entities" in svgsafe.review(text).refused[0][1]  # as saved: check refuses it
    plain, removed = publishable(text)
    assert svgsafe.review(plain).refused == []
    assert any(r.startswith("Illustrator") for r in removed)
    assert "pgf" not in plain and "foreignObject" not in plain and "Python" in plain


def test_html_labels_of_diagram_tools_are_kept_in_their_namespace():
    text = (DATA / "drawio-html-labels.svg").read_text(encoding="utf-8")
    review = svgsafe.review(text)
    assert review.refused == [] and review.removed == ["draw.io (content=)"]
    root = etree.fromstring(svgsafe.clean(text).encode())
    labels = root.findall(".//{http://www.w3.org/1999/xhtml}div")
    assert labels and "local" in "".join(labels[0].itertext())  # still HTML: the browser lays it out


def test_attributes_of_other_programs_namespaces_are_removed_not_refused():
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:lucid="lucid" '
        'xmlns:osb="http://www.openswatchbook.org/uri/2009/osb" viewBox="0 0 10 10">'
        '<g lucid:page-tab-id="0_0"><rect width="5" height="5" osb:paint="solid"/></g></svg>'
    )
    review = svgsafe.review(text)
    assert review.refused == [] and review.removed == ["other programs (lucid:page-tab-id=, osb:paint=)"]
    plain = svgsafe.clean(text)
    assert "lucid" not in plain and "osb" not in plain and "<rect" in plain


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_can_run_or_load_is_refused_with_the_reason(name):
    text = (DATA / "refused" / name).read_text(encoding="utf-8")
    refused = svgsafe.review(text).refused
    assert any(REFUSED[name] in message for _, message in refused), refused
    assert all(line >= 1 for line, _ in refused)
    assert svgsafe.clean(text) is None  # nothing refused is ever rewritten for publishing
    assert publishable(text)[0].count("<") >= text.count("<") - 40  # the import copies it for check to report


def test_check_warns_once_per_figure_and_the_build_publishes_the_plain_copy(course, tmp_path):
    svg = (DATA / "inkscape.svg").read_text(encoding="utf-8")
    write(course, "lessons/alpha/a2/diagram.svg", svg)
    write(course, "docs/figures/matplotlib.svg", (DATA / "matplotlib.svg").read_text(encoding="utf-8"))
    found = static_problems(course, course / "lessons/alpha/a2/diagram.svg")
    assert [p.severity for p in found] == ["warning"]
    assert "Inkscape (" in found[0].message and "metadata" in found[0].message
    project = check(course)
    svg_warnings = [p for p in project.problems.items if p.message.startswith("SVG holds data")]
    assert sorted(p.path for p in svg_warnings) == ["docs/figures/matplotlib.svg", "lessons/alpha/a2/diagram.svg"]
    assert not project.problems.errors
    result = run_mkdocs(course, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    published = (tmp_path / "site/alpha/a2/diagram.svg").read_text(encoding="utf-8")
    assert "inkscape" not in published and "sodipodi" not in published and "git add" in published
    assert (course / "lessons/alpha/a2/diagram.svg").read_text(encoding="utf-8") == svg  # the source is untouched
    other = (tmp_path / "site/figures/matplotlib.svg").read_text(encoding="utf-8")
    assert "rdf:" not in other and "DOCTYPE" not in other and "inflammation" in other


def test_a_refused_figure_stops_check_with_its_line(course):
    write(
        course, "lessons/alpha/a2/diagram.svg", (DATA / "refused" / "inkscape-onload.svg").read_text(encoding="utf-8")
    )
    errors = check(course).problems.errors
    assert [(p.path, p.line) for p in errors] == [("lessons/alpha/a2/diagram.svg", 2)]
    assert "onload" in errors[0].message
