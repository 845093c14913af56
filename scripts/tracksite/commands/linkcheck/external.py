"""External links (opt-in, slow, networked; a separate weekly job): every http(s) link of the
built pages, less those an ignore list names, requested once each by lychee with a timeout,
retries and a cache. Redirects are warnings, everything else that is not 2xx an error naming
every page that links to the URL."""

from __future__ import annotations

import html
import math
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tracksite.commands.linkcheck.internal import built_site_pages, html_pages
from tracksite.commands.linkcheck.lychee import entries, run_lychee
from tracksite.commands.linkcheck.report import CheckError, Report
from tracksite.core.problems.problem import Problem
from tracksite.htmlscan import Link, kind_of, scan_file
from tracksite.sitepaths import site_url_of

IGNORE_FILE = ".linkcheck-ignore"
#: The course's state folder of the cache (core/localstate.py), never the checkout.
CACHE_DIR = "linkcheck"


@dataclass
class ExternalResult:
    problems: list[Problem]
    urls: int
    ignored: int
    cached: int
    pages: int


def read_ignore_file(path: Path) -> list[re.Pattern]:
    patterns = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CheckError(f"cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise CheckError(f"{path} is not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        patterns.append(compile_ignore(line, f"{path}:{n}"))
    return patterns


def compile_ignore(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise CheckError(f"{where}: bad regular expression {pattern!r}: {e}") from None


def external_links(site: Path) -> dict[str, list[Link]]:
    """Every http(s) URL of the built pages, with the places that link to it; links to the site's
    own address (canonical links, when site_url is set) are internal and checked offline."""
    own = site_url_of(site)
    found: dict[str, list[Link]] = {}
    for page in html_pages(site):
        for link in scan_file(page).links:
            if kind_of(link.raw) == "external":
                url = "https:" + link.raw if link.raw.startswith("//") else link.raw
                if own and url.startswith(own):
                    continue
                found.setdefault(url, []).append(link)
    return found


def check_external(
    site: Path,
    *,
    ignore: Iterable[re.Pattern] = (),
    timeout: int = 20,
    retries: int = 2,
    retry_wait: int = 1,
    cache_dir: Path | None = None,
    max_cache_age: str = "1d",
    concurrency: int = 16,
) -> ExternalResult:
    site, pages = built_site_pages(site)
    links = external_links(site)
    patterns = list(ignore)
    checked = {url: where for url, where in links.items() if not any(p.search(url) for p in patterns)}
    ignored = len(links) - len(checked)
    report = Report()
    if not checked:
        return ExternalResult([], 0, ignored, 0, len(pages))
    urls = sorted(checked)
    with tempfile.TemporaryDirectory(prefix="tracksite-external-") as tmp:
        workdir = Path(tmp)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            workdir = cache_dir
        listing = Path(tmp) / "external-links.html"
        # one link per line: lychee's line number is the index of the URL
        listing.write_text(
            "".join(f'<a href="{html.escape(u)}">{n}</a>\n' for n, u in enumerate(urls, 1)), encoding="utf-8"
        )
        args = _lychee_options(
            timeout, retries, retry_wait, concurrency, max_cache_age if cache_dir is not None else None
        )
        waves = math.ceil(len(urls) / concurrency)
        budget = (timeout + retry_wait * 2**retries) * (retries + 1) * waves + 120
        data, _ = run_lychee(args + [str(listing)], cwd=workdir, timeout=budget)
    results, cached = _verdicts(data, urls, checked, timeout, retries)
    for url, (severity, message) in results.items():
        for link in checked.get(url, []):
            report.add(
                severity,
                (url, str(link.page)),
                link.page,
                link.line,
                f"{link.shown}: {message}",
                severity,
                code="TS806",
            )
    return ExternalResult(report.items, len(urls), ignored, cached, len(pages))


def _lychee_options(timeout: int, retries: int, retry_wait: int, concurrency: int, cache_age: str | None) -> list[str]:
    """lychee's options for one run: only a 2xx answer is a working link; with a cache
    (`cache_age`, how long an answer is kept), only those are kept, so a link that failed is
    asked again at the next run."""
    args = [
        "--timeout",
        str(timeout),
        "--max-retries",
        str(retries),
        "--retry-wait-time",
        str(retry_wait),
        "--max-concurrency",
        str(concurrency),
        "--accept",
        "200..=299",
    ]
    if cache_age is not None:
        args += ["--cache", "--max-cache-age", cache_age, "--cache-exclude-status", "100..=199,300..=599"]
    return args


def _verdicts(
    data: dict, urls: list[str], checked: dict[str, list[Link]], timeout: int, retries: int
) -> tuple[dict[str, tuple[str, str]], int]:
    """lychee's answers as url -> (severity, message): failures and timeouts are errors, a
    redirect of a URL that did not fail is a warning; and how many answers came from the cache."""
    cached = 0
    results: dict[str, tuple[str, str]] = {}  # url -> (severity, message)
    for name in ("error_map", "timeout_map"):
        for _, _, entry in entries(data, name):
            url = _url_of(entry, urls)
            status = entry.get("status") or {}
            text = status.get("text") or "failed"
            if name == "timeout_map" or text.lower().startswith("timeout"):
                text = f"no answer within {timeout} s ({retries + 1} attempts)"
            elif status.get("details") and status["details"] not in text:
                text = f"{text}: {status['details']}"
            results[url] = ("error", text)
    for _, _, entry in entries(data, "success_map"):
        if "cached" in ((entry.get("status") or {}).get("text") or "").lower():
            cached += 1
    for _, _, entry in entries(data, "redirect_map"):
        origin = entry.get("origin") or entry.get("url")
        hops = entry.get("redirects") or []
        if origin in checked and hops and origin not in results:
            final = hops[-1].get("url", "?")
            results[origin] = ("warning", f"redirects to {final}; link to that address instead")
    return results, cached


def _url_of(entry: dict, urls: list[str]) -> str:
    line = (entry.get("span") or {}).get("line")
    if isinstance(line, int) and 1 <= line <= len(urls):
        return urls[line - 1]
    return entry.get("url", "")
