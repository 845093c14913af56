"""Issue 51 in Chromium: an HTML file published beside pages runs none of the reported payloads.

A course is built with a plain `docs/notes.html`: its published copy starts its head with the
site's policy. Then each of the five payloads the issue reported (each ran its handler on the
site's origin) is written into the built site as the build would publish it had the check been
bypassed: with the policy the build puts first, once more with an author's own loose policy
after it. None runs. The same files without the policy do run, so the payloads are live.
"""

from __future__ import annotations

import html5lib
import pytest

from support.course import write
from support.html_payloads import PAYLOADS, page_with
from support.sites import run_mkdocs
from tracksite.adapter.published import statichtml

pytestmark = pytest.mark.browser

LOOSE = '<meta http-equiv="Content-Security-Policy" content="script-src * \'unsafe-inline\'">'
COLLECT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _ran(page, url: str) -> tuple[list[str], list[str]]:
    """(the alerts the page raised, the policy violations it reported) once it has loaded. One
    page serves every file in turn (each load is a new document; the files hold no storage): a
    page of its own for each cost Chromium a renderer process apiece."""
    alerts: list[str] = []

    def alert(dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", alert)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)  # the broken image's error event, after load
        return alerts, page.evaluate("window.__violations")
    finally:
        page.remove_listener("dialog", alert)


def test_published_html_carries_the_policy_and_no_payload_runs(course, chromium, serve_site):
    write(course, "docs/notes.html", page_with("<p>Plain text.</p>"))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-2000:]
    site = course / "site"
    head = html5lib.parse((site / "notes.html").read_text(encoding="utf-8"), namespaceHTMLElements=False).find("head")
    first = next(iter(head))
    assert (first.tag, first.get("http-equiv"), first.get("content")) == (
        "meta",
        "Content-Security-Policy",
        statichtml.POLICY,
    )
    for name, payload in PAYLOADS.items():
        raw = page_with(payload)
        (site / f"raw-{name}.html").write_text(raw, encoding="utf-8")
        (site / f"published-{name}.html").write_text(statichtml.with_policy(raw), encoding="utf-8")
        loosened = raw.replace("<head>", "<head>" + LOOSE, 1)
        (site / f"loosened-{name}.html").write_text(statichtml.with_policy(loosened), encoding="utf-8")
    base = serve_site(site)
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.add_init_script(COLLECT)
        alerts, _ = _ran(page, base + "notes.html")
        assert alerts == []
        for name in PAYLOADS:
            assert _ran(page, f"{base}raw-{name}.html")[0] == ["1"], f"{name}: the payload is not live"
            for kind in ("published", "loosened"):
                alerts, violations = _ran(page, f"{base}{kind}-{name}.html")
                assert alerts == [], f"{kind}-{name} ran its handler"
                assert any(v.startswith("script-src") for v in violations), (kind, name, violations)
    finally:
        context.close()
