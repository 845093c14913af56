"""R Markdown episodes whose knitr run stopped only because a download could not reach the network.

Many Workbench lessons fetch their data while they build (`download.file()` in a setup chunk).
The sandbox the lesson's R code runs in has no network (rsandbox.py), so every episode of such a
lesson fails in knitr. That is the sandbox's rule, not a fault of the lesson, and the code is
still worth importing: those episodes are imported as an import without `--execute` imports them,
and a warning names them, the addresses and what to do. Only R's own messages for an unreachable
address count; any other R error still stops the import, so a broken lesson is never published
quietly without output.
"""

from __future__ import annotations

import re

# R's error as Rscript prints it when knitr stops: "Error in CALL : \n  MESSAGE", then "Calls:" or
# "Execution halted"; the message is all that is read.
_ERROR = re.compile(
    r"^Error(?: in [^\n]*? :|:)\s*(?P<message>.*?)(?=^Calls:|^Execution halted|^In addition:|\Z)", re.M | re.S
)
_URL = r"'(?P<url>(?:https?|ftps?)://[^'\s]+)'"
# download.file()/url()/curl: what R and libcurl say when an address cannot be reached
NETWORK = re.compile(
    rf"^(?:cannot open URL {_URL}|cannot open the connection to {_URL.replace('url', 'url2')}|"
    r"(?:Could not resolve host|Couldn't resolve host name|Failed to connect to|Could not connect to|"
    r"Couldn't connect to server|Timeout was reached|Resolving timed out)\b.*)$",
    re.S,
)
_HOST = re.compile(r"(?:Could not resolve host|Failed to connect to)[: ]+(?P<host>[\w.-]+)")
_TRIED = re.compile(r"^trying URL '(?P<url>[^']+)'", re.M)
SHOWN = 3  # addresses named in the warning; the report holds them all


def network_failure(stderr: str) -> list[str] | None:
    """The addresses that could not be reached when knitr's last error says so, else None.
    Strict on purpose: the error must be R's or libcurl's message for an unreachable address
    (a missing file, a package error or a `file://` path is not one). R ran without a network,
    so no address could be reached: none is tried from here."""
    errors = list(_ERROR.finditer(stderr))
    if not errors:
        return None
    message = " ".join(errors[-1]["message"].split())
    m = NETWORK.match(message)
    if not m:
        return None
    host = _HOST.search(message)
    address = m["url"] or m["url2"] or (host["host"] if host else "")
    tried = _TRIED.findall(stderr)
    return [address] if address else tried[-1:] or ["(an address R did not name)"]


def warning(offline: dict[str, list[str]], rerun: str) -> str:
    """The warning printed and written to the report: the episodes, the addresses, what to do."""
    urls = list(dict.fromkeys(u for found in offline.values() for u in found))
    named = ", ".join(urls[:SHOWN]) + (f" and {len(urls) - SHOWN} more" if len(urls) > SHOWN else "")
    return (
        f"{len(offline)} R Markdown episode(s) have no outputs: {', '.join(f'episodes/{n}' for n in offline)}. "
        f"Their R code downloads data ({named}), and the sandbox it runs in has no network, so they were "
        "imported as an import without --execute imports them (the code is shown, its output and plots are "
        "not). To add the output, make the lesson read a copy of those files kept in its folder instead of "
        f"downloading them, then run {rerun}"
    )
