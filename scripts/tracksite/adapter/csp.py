"""The Content-Security-Policy each page ships in a `<meta>` tag, made exact per page.

Our own widgets use external scripts only. Material's theme still writes a few small inline
scripts (palette, scope), so rather than allowing every inline script with 'unsafe-inline', each
page's policy lists the SHA-256 hashes of exactly the inline scripts that page contains.
"""
from __future__ import annotations

import base64
import hashlib
import re

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S)


def _executes(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs):
        return False
    m = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs)
    return m is None or m.group(1).lower() in ("text/javascript", "module", "application/javascript")


def _theme_part(html: str) -> str:
    """The page without its article: only the theme's own scripts may be allowed by hash, so
    a script that slipped into lesson content stays blocked."""
    start = html.find("<article")
    end = html.rfind("</article>")
    if start == -1 or end == -1:
        return html
    return html[:start] + html[end:]


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for m in _INLINE_SCRIPT.finditer(_theme_part(html)):
        if _executes(m.group("attrs")):
            digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def policy_for(html: str) -> str:
    hashes = inline_script_hashes(html)
    return POLICY.format(hashes="".join(f" {h}" for h in hashes))


def apply(html: str) -> str:
    """Fill the page's CSP meta tag with the policy for exactly this page's inline scripts."""
    if not _META.search(html):
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return _META.sub(lambda _: meta, html, count=1)
