"""R Markdown episodes whose knitr run stopped only because a download could not reach the network.

Many Workbench lessons fetch their data while they build (`download.file()` in a setup chunk),
so on a machine without network every episode of such a lesson fails in knitr. That is the
machine's situation, not a fault of the lesson, and the code is still worth importing: those
episodes are imported as `--no-execute` imports them, and a warning names them, the addresses
and the way to get the output. Only R's own messages for an unreachable address count; any other
R error still stops the import, so a broken lesson is never published quietly without output.
R says "cannot open URL" alike for a host it cannot reach and for a page the server does not
have (404), so for those messages the address is tried once more: a server that answers means
the lesson's address is wrong, an error of the lesson.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

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
PORTS = {"http": 80, "https": 443, "ftp": 21, "ftps": 990}
TRY_SECONDS = 5  # a host that takes longer to answer than this is as good as unreachable here


def network_failure(stderr: str) -> list[str] | None:
    """The addresses that could not be reached when knitr's last error says so, else None.
    Strict on purpose: the error must be R's or libcurl's message for an unreachable address
    (a missing file, a package error or a `file://` path is not one)."""
    errors = list(_ERROR.finditer(stderr))
    if not errors:
        return None
    message = " ".join(errors[-1]["message"].split())
    m = NETWORK.match(message)
    if not m:
        return None
    if (m["url"] or m["url2"]) and answers(m["url"] or m["url2"]):
        return None  # the server is there: the page is missing or refused, not the network
    host = _HOST.search(message)
    address = m["url"] or m["url2"] or (host["host"] if host else "")
    tried = _TRIED.findall(stderr)
    return [address] if address else tried[-1:] or ["(an address R did not name)"]


def answers(url: str) -> bool:
    """Whether the address's host accepts a connection now (no request is sent)."""
    try:
        parts = urlsplit(url)
        port = parts.port or PORTS.get(parts.scheme, 80)
        with socket.create_connection((parts.hostname or "", port), timeout=TRY_SECONDS):
            return True
    except (OSError, ValueError):
        return False


def warning(offline: dict[str, list[str]], rerun: str) -> str:
    """The warning printed and written to the report: the episodes, the addresses, what to do."""
    urls = list(dict.fromkeys(u for found in offline.values() for u in found))
    named = ", ".join(urls[:SHOWN]) + (f" and {len(urls) - SHOWN} more" if len(urls) > SHOWN else "")
    return (
        f"{len(offline)} R Markdown episode(s) have no outputs: {', '.join(f'episodes/{n}' for n in offline)}. "
        f"Their R code downloads data and this machine could not reach {named}, so they were imported "
        f"as --no-execute imports them (the code is shown, its output and plots are not). To add the "
        f"output, run {rerun} on a machine that can reach those addresses; to import without running "
        "code on purpose, pass --no-execute"
    )
