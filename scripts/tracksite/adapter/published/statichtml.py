"""HTML files published beside pages carry the pages' Content-Security-Policy (issue 51).

`tracksite check` refuses an HTML file that is not plain text (core/site/statics.py), but a
browser that opens one directly gives it the site's origin, and a rule that missed something
would let it run. So the published copy starts its `<head>` with the strict policy pages ship
(adapter/pages/csp.py; a file of its own holds no template script, so the policy lists no hash): no
inline script or event handler runs, whatever the file holds. A policy the author wrote as well
cannot loosen it: a browser enforces every policy a page declares, so their intersection holds.

The policy goes in before everything the file writes but its doctype (moving that would put the
page in quirks mode); the parser then opens `<html>` and `<head>` around it, and the author's
own `<html lang>` lends its attributes to that element, as browsers do. The result is parsed
again and refused (`Refused`) unless the policy is the first element of the head.
"""

from __future__ import annotations

import html5lib
from html5lib.constants import namespaces
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from tracksite.adapter.pages import csp
from tracksite.core import htmlread
from tracksite.errors import UserError

SUFFIXES = (".html", ".htm")
POLICY = csp.policy([])
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
# The text is published as UTF-8 (a byte order mark it had is read, not kept), so it says so.
CHARSET = '<meta charset="utf-8">'
_HTML = f"{{{namespaces['html']}}}"


class Refused(UserError):
    """The policy could not be made the first element of the file's head: not published."""


def with_policy(text: str) -> str:
    """`text` (an HTML file) with the site's policy first in its head, and its charset after."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    at = htmlread.after_doctype(text)
    out = f"{text[:at]}{META}{CHARSET}{text[at:]}"
    _verify(out)
    return out


def _verify(out: str) -> None:
    """Parse the published text as a browser does: the policy must be the head's first element."""
    root = html5lib.parse(out, treebuilder="etree", scripting=True)
    head = root.find(f"{_HTML}head")
    first = next(iter(head), None) if head is not None else None
    if first is None or first.tag != f"{_HTML}meta" or first.get("content") != POLICY:
        raise Refused("its <head> could not be made to start with the site's Content-Security-Policy")


def protect(files: Files, config: MkDocsConfig) -> None:
    """Replace each HTML file the site publishes from the course's sources by its copy with the
    policy (theme templates and generated pages, such as redirects, write their own)."""
    for file in list(files):
        if not file.src_uri.lower().endswith(SUFFIXES) or not file.abs_src_path or file.is_documentation_page():
            continue
        try:
            with open(file.abs_src_path, "rb") as handle:
                published = with_policy(handle.read().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, Refused) as e:
            # The check refuses these first; a build that skipped it publishes nothing unprotected.
            raise PluginError(f"{file.src_uri} is not published: {e}") from None
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=published, inclusion=file.inclusion))
