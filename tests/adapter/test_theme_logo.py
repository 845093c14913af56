"""The header's logo (issue 56): where the logo is tracksite's mark, partials/logo.html draws it
inline from partials/logo-mark.html, so that a page fetches favicon.svg once (as the icon). The
inline copy must be the same drawing as the published file."""

from __future__ import annotations

from tracksite.theme import ASSETS, TEMPLATES


def test_the_inline_logo_is_the_favicons_drawing():
    mark = (TEMPLATES / "partials" / "logo-mark.html").read_text(encoding="utf-8").strip()
    favicon = (ASSETS / "tracksite" / "favicon.svg").read_text(encoding="utf-8").strip()
    assert mark.startswith('<svg aria-hidden="true" focusable="false" ')
    assert mark.replace(' aria-hidden="true" focusable="false"', "", 1) == favicon
