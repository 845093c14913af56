"""remote-files.yml, described in the schema language (read as schema.REMOTE_FILES like every
other course file): the files on other hosts the build copies into the site, each with the
licence that allows it (core/remote/files.py reads the listing; docs/security.md gives the rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracksite.core.schema.language import INVALID, Choice, Field, ListOf, Mapping, Text

#: Licences that let anyone copy a file and pass it on, for any purpose: the only ones under which
#: the build copies a remote file into the site (docs/security.md). SPDX ids, and `public-domain`
#: for a work with no copyright left. Non-commercial (NC) and no-derivatives (ND) terms are not
#: here: the build cannot tell how the site is used, and it rewrites a drawing's markup.
FREE_LICENCES = (
    "CC0-1.0",
    "public-domain",
    "Unlicense",
    "CC-BY-4.0",
    "CC-BY-3.0",
    "CC-BY-2.5",
    "CC-BY-2.0",
    "CC-BY-SA-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-2.5",
    "CC-BY-SA-2.0",
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "OFL-1.1",
)
#: ...of which these ask for no credit; every other one asks that the author be named.
NO_CREDIT = ("CC0-1.0", "public-domain", "Unlicense")
HTTPS_RE = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?$(?!\n)")
LICENCE_HINT = (
    "the build copies a file only under a licence that lets anyone share it (docs/security.md); "
    "if the author allowed you otherwise, download the file yourself and put it beside the page"
)


@dataclass(frozen=True, kw_only=True)
class Licence(Choice):
    """A licence id as SPDX writes it. Anything else (none, "all rights reserved", NC or ND
    terms, a name not known) is refused with what to do instead, not only a list of words."""

    def _read(self, value, path, ctx):
        if isinstance(value, str) and value in self.values:
            return value
        spelled = {v.lower(): v for v in self.values}.get(str(value).strip().lower())
        if spelled:
            ctx.report(path, f"{value!r} is written {spelled!r}", f"write licence: {spelled}", code="TS104")
        else:
            ctx.report(
                path,
                f"licence {value!r} does not let the build copy the file into the site",
                LICENCE_HINT,
                code="TS104",
            )
        return INVALID


def _credit_where_asked(entry: dict, path: tuple, ctx: Any) -> None:
    """Every licence but CC0, the Unlicense and the public domain asks that the author be named."""
    if entry.get("licence") not in NO_CREDIT and not entry.get("credit"):
        ctx.report(
            path,
            f"licence {entry.get('licence')} asks that the author be credited: add `credit:`",
            "credit: Photo by A. Author, Example Archive",
            code="TS102",
        )


REMOTE_FILE = Mapping(
    help="One file on another host that the build copies into the site.",
    name="remote file",
    fields=(
        Field(
            "url",
            Text(
                help="The file's address, exactly as the pages, drawings and style sheets name it.",
                pattern=HTTPS_RE,
                pattern_help="an https:// address",
            ),
            required=True,
            example="url: https://images.example.org/photo.jpg",
        ),
        Field(
            "licence",
            Licence(values=FREE_LICENCES, help="The file's licence, as an SPDX id (or `public-domain`)."),
            required=True,
            example="licence: CC-BY-4.0",
        ),
        Field(
            "credit",
            Text(
                help="Who made it, as its licence asks to be credited; shown to learners under every page that "
                "uses it. Required unless the licence is CC0-1.0, Unlicense or public-domain.",
                max_length=300,
            ),
            example="credit: Photo by A. Author",
        ),
        Field(
            "source",
            Text(
                help="The page the file comes from (its author and licence), linked from the credit.",
                pattern=re.compile(r"^https?://\S+$(?!\n)"),
                pattern_help="an http(s):// address",
            ),
            example="source: https://images.example.org/photo",
        ),
    ),
    rules=(_credit_where_asked,),
    json_extra={
        "if": {"properties": {"licence": {"enum": list(NO_CREDIT)}}, "required": ["licence"]},
        "else": {"required": ["credit"], "properties": {"credit": {"type": "string"}}},
    },
)

REMOTE_FILES = Mapping(
    help="remote-files.yml, beside mkdocs.yml: the files on other hosts the build copies into the site.",
    name="remote-files.yml",
    fields=(
        Field(
            "files",
            ListOf(item=REMOTE_FILE, min_items=1, max_items=500, noun="file", help="The files, in any order."),
            required=True,
            example="files:\n  - url: https://images.example.org/photo.jpg\n    licence: CC0-1.0",
        ),
    ),
)
