"""Issue 73: lessons of the Workbench format import clean whatever raw HTML and SVG they carry.

- raw HTML that a lesson script drove (cloud-genomics' platform `<select onchange=...>`) is made
  inert with a note: the control that only the script worked goes, handlers and script links of
  other elements go, their content stays; the check then has nothing to refuse;
- an SVG's style rules that load from another host (Mermaid's Font Awesome `@import`,
  Excalidraw's `@font-face`) are removed at import with a note, the rest of the style kept.

The snippets are written for these tests in the shape the lessons have.
"""

from __future__ import annotations

import pytest

from tracksite.commands.importers import rawclean
from tracksite.commands.importers.episode import Context, convert
from tracksite.commands.importers.svgclean import publishable
from tracksite.core.checks import rawhtml
from tracksite.core.site import svgsafe

SELECT = (
    '**Please select the platform: <select id="id_platform" name="platformlist" '
    "onchange=\"change_content_by_platform('id_platform');return false;\">"
    '<option value="aws" id="id_aws" selected> AWS </option>'
    '<option value="cyverse" id="id_cyverse"> CyVerse </option></select>**'
)


def test_a_form_control_only_a_script_worked_is_left_out_with_a_note():
    ep = convert(f"## Logging on\n\n{SELECT}\n\nConnect with ssh.\n", 10, Context(episode_slugs={}))
    assert "**Please select the platform:**" in ep.body
    assert "select" not in ep.body.replace("Please select", "") and "onchange" not in ep.body
    assert [(n.line, n.message) for n in ep.notes] == [
        (
            12,
            "an HTML <select> that only a lesson script worked (onchange=) was left out: the site runs no lesson scripts",
        )
    ]
    assert rawhtml.findings(ep.body, 1) == []


@pytest.mark.parametrize(
    ("line", "kept", "removed"),
    [
        ('<a href="#top" onclick="go()">top</a>', '<a href="#top">top</a>', "onclick="),
        ('<a href="javascript:go()">run</a>', "<a>run</a>", "href="),
        ("<img src='fig/a.png' onerror=\"x()\" alt='A'/>", "<img src='fig/a.png' alt='A' />", "onerror="),
        ('<button type="button" onClick="toggle()">Show</button> the hint', " the hint", "<button>"),
    ],
)
def test_handlers_and_script_links_go_and_the_element_stays(line, kept, removed):
    out, notes = rawclean.sanitize(line)
    assert out == kept and len(notes) == 1 and removed in notes[0]
    assert rawhtml.findings(out, 1) == []


def test_html_shown_as_code_is_left_as_it_is():
    line = 'Write `<button onclick="go()">` in the page.'
    assert rawclean.sanitize(line) == (line, [])


MERMAID = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">'
    '<style>@import url("https://cdn.example.org/font-awesome/all.min.css");\'</style>'
    '<style><![CDATA[\n@font-face { font-family: Virgil; src: url("https://excalidraw.example/Virgil.woff2"); }\n'
    '@font-face { font-family: Local; src: url("Local.woff2"); }\n'
    ".label { font-family: Virgil, sans-serif; fill: #333; }\n]]></style>"
    '<foreignObject width="100" height="40"><div xmlns="http://www.w3.org/1999/xhtml" '
    'style="display: inline-block;"><span class="edgeLabel">Checks periodically</span></div></foreignObject>'
    '<text class="label" x="5" y="30">Start</text></svg>'
)


def test_style_rules_that_load_from_another_host_are_removed_at_import():
    assert any("another host" in m or "third party" in m for _, m in svgsafe.review(MERMAID).refused)
    plain, notes = publishable(MERMAID)
    assert svgsafe.review(plain).refused == []
    assert notes == [
        "style rules that load from another host (@import https://cdn.example.org/font-awesome/all.min.css, "
        "@font-face https://excalidraw.example/Virgil.woff2): the page's fonts are used"
    ]
    assert "Local.woff2" in plain and ".label { font-family: Virgil" in plain and "Checks periodically" in plain
