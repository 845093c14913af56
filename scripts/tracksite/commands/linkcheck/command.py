"""The `tracksite linkcheck` command: internal links by default, `--external` for the web."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from tracksite.commands.common import annotation_stream
from tracksite.commands.linkcheck import lychee
from tracksite.commands.linkcheck.external import (
    CACHE_DIR,
    IGNORE_FILE,
    check_external,
    compile_ignore,
    read_ignore_file,
)
from tracksite.commands.linkcheck.internal import check_internal
from tracksite.commands.linkcheck.report import CheckError
from tracksite.core import localstate
from tracksite.core.problems.problem import format_github, format_json, format_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "linkcheck",
        help="check every link of the built site (internal; --external for the web)",
        description="Check that every link, image, script and stylesheet of the built site resolves, "
        "and every #fragment names an element of its page (offline, tracksite's own reader). "
        "With --external, check the links to other sites instead (lychee, networked: "
        "timeouts, retries, a cache and an ignore list).",
    )
    p.add_argument("site_dir", nargs="?", metavar="SITE_DIR", help="the built site (default: site/ in --root)")
    p.add_argument("--external", action="store_true", help="check http(s) links to other sites instead")
    p.add_argument(
        "--base-path",
        metavar="PATH",
        help="the URL path the site is served under, e.g. /course/ (default: the path of "
        "mkdocs.yml's site_url, read from the home page's canonical link; else /)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="REGEX",
        help="with --external: skip URLs this Python regular expression matches (repeatable)",
    )
    p.add_argument(
        "--ignore-file",
        metavar="FILE",
        help=f"with --external: one regular expression per line (default: {IGNORE_FILE} in --root)",
    )
    p.add_argument(
        "--timeout", type=int, default=20, metavar="SECONDS", help="with --external: per request (default 20)"
    )
    p.add_argument("--retries", type=int, default=2, metavar="N", help="with --external: retries per URL (default 2)")
    p.add_argument(
        "--retry-wait", type=int, default=2, metavar="SECONDS", help="with --external: wait before a retry (default 2)"
    )
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="with --external: where the cache lives (default: the course's state folder, never the checkout; "
        "TRACKSITE_CACHE_DIR moves it)",
    )
    p.add_argument("--no-cache", action="store_true", help="with --external: ask every URL again")
    p.add_argument(
        "--max-cache-age", default="1d", metavar="AGE", help="with --external: e.g. 12h, 1d, 7d (default 1d)"
    )
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text for people, github for workflow annotations, json for tools",
    )
    p.set_defaults(handler=cmd_linkcheck)


def _state(root: Path) -> Path:
    """The cache's default folder: the course's state folder (core/localstate.py), never the
    checkout, where a committed cache would pass links that are broken."""
    try:
        return localstate.folder(root, CACHE_DIR)
    except OSError as e:
        raise CheckError(
            f"the link cache's folder {localstate.path(root, CACHE_DIR)} cannot be made ({e.strerror or e}); "
            f"pass --cache-dir or --no-cache, or set {localstate.ENV} to a folder you can write"
        ) from None


def cmd_linkcheck(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    site = Path(args.site_dir) if args.site_dir else root / "site"
    if args.external:
        lychee.lychee_binary()  # the optional extra, before any work
        if args.timeout < 1 or args.retries < 0 or args.retry_wait < 0:
            raise CheckError("--timeout must be at least 1 s, --retries and --retry-wait at least 0")
        patterns: list[re.Pattern] = []
        ignore_file = Path(args.ignore_file) if args.ignore_file else root / IGNORE_FILE
        if args.ignore_file or ignore_file.is_file():
            patterns += read_ignore_file(ignore_file)
        patterns += [compile_ignore(p, "--ignore") for p in args.ignore]
        cache = None if args.no_cache else (Path(args.cache_dir) if args.cache_dir else _state(root))
        ext = check_external(
            site,
            ignore=patterns,
            timeout=args.timeout,
            retries=args.retries,
            retry_wait=args.retry_wait,
            cache_dir=cache,
            max_cache_age=args.max_cache_age,
        )
        problems = ext.problems
        summary = (
            f"tracksite linkcheck --external: {ext.urls} URL{'s' if ext.urls != 1 else ''} on "
            f"{ext.pages} pages ({ext.ignored} ignored, {ext.cached} from the cache)"
        )
    else:
        res = check_internal(site, base_path=args.base_path)
        problems = res.problems
        summary = (
            f"tracksite linkcheck: {res.pages} pages and {res.stylesheets} stylesheets, "
            f"{res.links} internal links, {res.fragments} fragments"
        )
    out = {"github": format_github, "json": format_json}.get(args.format, format_text)(problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    try:
        if out:
            print(out, file=annotation_stream() if args.format == "github" else sys.stdout, flush=True)
    except BrokenPipeError:  # `tracksite linkcheck | head`: the reader left; that is not our error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.format == "text":
        print(f"{summary}: {len(errors)} broken, {warnings} warning{'s' if warnings != 1 else ''}", file=sys.stderr)
        if hint := _instructor_hint(site, errors):
            print(hint, file=sys.stderr)
    return 1 if errors else 0


def _instructor_hint(site: Path, errors: list) -> str | None:
    """What to do when the pages link an instructor view that the site does not hold: a site
    built by an older tracksite, or a learner view built alone (`--site-dir` then copied)."""
    into = [e for e in errors if "instructor/" in e.message]
    if not into or (site / "instructor").is_dir():
        return None
    return (
        f"note: {len(into)} of these link the instructor view (mkdocs.yml: the tracksite plugin's "
        f"`instructor_view: true`), which {site} does not hold: build the site again with `mkdocs build` "
        f"or `tracksite build` (each builds it into {site}/instructor/ too), or add it with "
        f"`tracksite build --instructor --beside {site}`"
    )
