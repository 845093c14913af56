"""`tracksite pdf`: printable cheatsheets, one PDF each and a booklet per track, and each
track's exercise pack (every exercise and quiz, in lesson order; with --instructor, from the
instructor build, solutions included).

The PDFs are the built site's own cheatsheet pages printed by headless Chromium (Playwright's
`page.pdf()` driving the system's Chromium, never a downloaded browser), with the print
stylesheet of assets/tracksite/theme.css: what a learner gets from the browser's own Print
button is what this command writes. The site is built first when it is missing or older than its
sources. A cheatsheet is meant to fit one page; one that does not is reported (and fails the
command with --strict).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracksite import theme as theme_files
from tracksite.adapter.config import mkdocsconfig
from tracksite.commands.common import build_site, course_root
from tracksite.core.markdown import references as refs
from tracksite.core.site import trackpages
from tracksite.errors import USAGE, UserError
from tracksite.localserver import CHROMIUM_ARGS, serve_folder
from tracksite.sitepaths import site_url_of

PAPERS = {"a4": "A4", "letter": "Letter"}
SOURCES = ("lessons", "cheatsheets", "docs", "overrides", "mkdocs.yml")

INSTALL_HELP = textwrap.dedent("""\
    tracksite pdf prints with headless Chromium through Playwright, and {missing}.
    Install them with:
      sudo apt-get install chromium        (Debian and Ubuntu; other systems: your package manager)
      pip install "tracksite[pdf]"         (Playwright, in tracksite's environment)
    tracksite uses the system's Chromium: `playwright install` is not needed. To use another
    Chromium or Chrome, set TRACKSITE_CHROMIUM to its path.""")


@dataclass
class Sheet:
    track: str
    lesson: str
    title: str
    url: str  # relative to the site root, e.g. "track/lesson/cheatsheet/"
    source: str  # the Markdown file, for messages


def _missing_printer() -> str | None:
    """What of the PDF printer is not installed (the `pdf` extra's Playwright, Chromium), if any."""
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("pypdf") is None:
        return "Playwright's or pypdf's Python package is not installed"
    if find_chromium() is None:
        return "no Chromium was found (looked for `chromium` and `chromium-browser`, or TRACKSITE_CHROMIUM)"
    return None


def find_chromium() -> str | None:
    override = os.environ.get("TRACKSITE_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def count_pages(path: Path) -> int:
    """Pages of a printed PDF (commands/pdffile.py: pypdf, of the `pdf` extra)."""
    return _pdffile().count_pages(path)


def _pdffile():
    """commands/pdffile.py, which needs pypdf, of the `pdf` extra: imported when a PDF is read or
    relinked, so that the commands load without the extra (one import for both uses)."""
    from tracksite.commands import pdffile

    return pdffile


def _load(root: Path, config_file: str | None):
    """The loaded course; the checks are imported here, on demand (`tracksite --help` skips them)."""
    from tracksite.core.checks import load

    return load(mkdocsconfig.load(root, config_file))


def cheatsheets(root: Path, track: str | None = None, config_file: str | None = None) -> list[Sheet]:
    """The published cheatsheets, in course order, of one track or all."""
    project = _load(root, config_file)
    c = project.curriculum
    if track is not None and c.track(track) is None:
        known = ", ".join(t.slug for t in c.tracks)
        raise UserError(f"no track {track!r} (tracks: {known})")
    out = []
    for t in c.tracks:
        if track is not None and t.slug != track:
            continue
        for lesson in c.lessons_of(t.slug):
            if lesson.sources.cheatsheet is None:
                continue
            out.append(
                Sheet(
                    t.slug,
                    lesson.slug,
                    lesson.cheatsheet_title or f"Cheatsheet: {lesson.title}",
                    refs.url("cheatsheet", t.slug, lesson.slug),
                    lesson.sources.cheatsheet.relative_to(root).as_posix(),
                )
            )
    return out


def exercise_packs(root: Path, track: str | None = None, config_file: str | None = None) -> list[Sheet]:
    """Each track's exercise pack page (`<track>/exercises/`), for the tracks that have one."""
    project = _load(root, config_file)
    out = []
    for t in project.curriculum.tracks:
        if (
            (track is None or t.slug == track)
            and project.curriculum.lessons_of(t.slug)
            and "exercises" in trackpages.pages_of(project, t)
        ):
            out.append(
                Sheet(
                    t.slug,
                    "exercises",
                    f"Exercise pack: Track {t.number}, {t.title}",
                    trackpages.url("exercises", t.slug),
                    f"lessons/{t.slug}",
                )
            )
    return out


def _newest_source(root: Path) -> float:
    """The newest of the course's sources and of the installed theme (an upgraded tracksite
    makes the last build stale too)."""
    newest = 0.0
    for path in [root / name for name in SOURCES] + [theme_files.HERE]:
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for p in path.rglob("*"):
                if p.is_file():
                    newest = max(newest, p.stat().st_mtime)
    return newest


def site_is_current(root: Path, site: Path) -> bool:
    index = site / "index.html"
    return index.is_file() and index.stat().st_mtime >= _newest_source(root)


# Runs in the first cheatsheet's page: appends the other cheatsheets' articles, each starting a
# new printed page, with their relative addresses made absolute. A link into the site itself is
# marked data-ts-local: the print stylesheet writes out the address of links off the site only,
# and a made-absolute glossary link would otherwise print the local server's address.
_BOOKLET_JS = """
async (urls) => {
  const first = document.querySelector("article.md-content__inner");
  let last = first;
  for (const url of urls) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = doc.querySelector("article.md-content__inner");
    if (!article) throw new Error(url + ": no article");
    for (const el of article.querySelectorAll("[src], [href]")) {
      for (const attr of ["src", "href"]) {
        const value = el.getAttribute(attr);
        if (value === null || value.startsWith("#")) continue;
        const absolute = new URL(value, url);
        el.setAttribute(attr, absolute.href);
        if (attr === "href" && absolute.origin === location.origin) el.dataset.tsLocal = "";
      }
    }
    const copy = document.importNode(article, true);
    copy.classList.add("ts-booklet-page");
    copy.style.breakBefore = "page";
    last.after(copy);
    last = copy;
  }
  document.title = document.title;
}
"""


def print_pdfs(
    site: Path,
    sheets: list[Sheet],
    out: Path,
    paper: str = "a4",
    booklets: bool = True,
    chromium: str | None = None,
    packs: Sequence[Sheet] = (),
    browser: Any = None,
) -> tuple[list[tuple[Path, int, Sheet | None]], list[str]]:
    """Write one PDF per sheet (out/<track>/<lesson>.pdf), a booklet per track (out/<track>.pdf)
    and each exercise pack in `packs` (out/<track>-exercises.pdf).

    `browser` is a Playwright Chromium the caller already runs (and closes): Playwright's sync
    API cannot start a second time in a thread where it runs, as in a test session that keeps
    one browser. Without it, the system's Chromium is started and closed here.

    Returns (path, pages, sheet or None for a booklet or a pack) for every file written."""
    launch = None if browser is not None else _launcher(chromium or find_chromium())
    for sheet in [*sheets, *packs]:
        if not (site / sheet.url / "index.html").is_file():
            raise UserError(
                f"{site / sheet.url}index.html is missing: the site is out of date; build it again "
                "(tracksite pdf builds it when --no-build is not given)"
            )
    options: dict[str, Any] = {"format": PAPERS[paper], "print_background": True, "prefer_css_page_size": False}
    with serve_folder(site) as base:
        if launch is None:
            written = _print_in(browser, base, out, sheets, packs, booklets, options)
        else:
            with launch() as launched:
                written = _print_in(launched, base, out, sheets, packs, booklets, options)
    # Chromium wrote the links as the local server's addresses: they lead to the site instead,
    # from where each PDF is published (its place under `out` is its place in the site).
    own, pdffile = site_url_of(site), _pdffile()
    for path, _, _ in written:
        pdffile.relink(path, base, path.relative_to(out).as_posix(), own)
    return written, []


def _launcher(chromium: str | None) -> Callable[[], AbstractContextManager[Any]]:
    """What starts the system's Chromium under Playwright, once Playwright and Chromium are known
    to be there: a missing one is explained before any work is done."""
    try:
        import playwright.sync_api as playwright
    except ImportError:
        raise UserError(INSTALL_HELP.format(missing="Playwright's Python package is not installed")) from None
    if chromium is None:
        raise UserError(
            INSTALL_HELP.format(missing="no Chromium was found (looked for `chromium` and `chromium-browser`)")
        )

    @contextmanager
    def launch() -> Iterator[Any]:
        with playwright.sync_playwright() as pw:
            try:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            except playwright.Error as e:
                raise UserError(f"Chromium at {chromium} did not start: {str(e).splitlines()[0]}") from None
            try:
                yield browser
            finally:
                browser.close()

    return launch


def _print_in(
    browser: Any,
    base: str,
    out: Path,
    sheets: list[Sheet],
    packs: Sequence[Sheet],
    booklets: bool,
    options: dict[str, Any],
) -> list[tuple[Path, int, Sheet | None]]:
    """Print with a context of its own (print media emulated), closed afterwards so that a
    browser the caller keeps is left as it was.

    The pages are printed under the site's own Content-Security-Policy, as a learner's browser
    shows them: a script or `on...=` handler that slipped into a page (a contributor's, with the
    check skipped) does not run on the machine that prints. And every request for anything but
    the served site is refused, so nothing a page names can reach the network or this
    machine's other services while it prints. The booklet's own script is Playwright's, which
    the page's policy does not govern."""
    context = browser.new_context()
    try:
        context.route("**/*", _only_from(base))
        page = context.new_page()
        page.emulate_media(media="print")
        return _print_all(page, base, out, sheets, packs, booklets, options)
    finally:
        context.close()


def _only_from(base: str) -> Callable[[Any], None]:
    """A Playwright route handler that lets through the requests for the site at `base` only."""

    def handle(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    return handle


def _print_all(
    page: Any,
    base: str,
    out: Path,
    sheets: list[Sheet],
    packs: Sequence[Sheet],
    booklets: bool,
    options: dict[str, Any],
) -> list[tuple[Path, int, Sheet | None]]:
    """Print every sheet, then each track's booklet, then the exercise packs, with one browser
    page (a page a print nearly doubled the processor time); returns what was written."""
    written: list[tuple[Path, int, Sheet | None]] = []
    for sheet in sheets:
        target = out / trackpages.pdf_url("cheatsheet", sheet.track, sheet.lesson)
        target.parent.mkdir(parents=True, exist_ok=True)
        _print_page(page, base + sheet.url, target, options)
        written.append((target, count_pages(target), sheet))
    if booklets:
        by_track: dict[str, list[Sheet]] = {}
        for sheet in sheets:
            by_track.setdefault(sheet.track, []).append(sheet)
        for track, group in by_track.items():
            target = out / trackpages.pdf_url("booklet", track)
            _print_page(page, base + group[0].url, target, options, [base + s.url for s in group[1:]])
            written.append((target, count_pages(target), None))
    for pack in packs:
        target = out / trackpages.pdf_url("exercises", pack.track)
        target.parent.mkdir(parents=True, exist_ok=True)
        _print_page(page, base + pack.url, target, options)
        written.append((target, count_pages(target), None))
    return written


def _print_page(page: Any, url: str, target: Path, options: dict[str, Any], more: list[str] | None = None) -> None:
    """Print the page at `url` (with the pages at `more` appended: a booklet) into `target`. A
    load that failed was named as the page "leaving" for the previous sheet's address, which the
    page still showed (a CI run): where the page is is now compared with where it was before the
    load too. A load that fails without the page leaving (the local server or Chromium too busy
    to answer in time) is tried once more, then named in Chromium's own words."""
    failure = _print_once(page, url, target, options, more)
    if failure is not None:  # a page of its own: Chromium's error page would interrupt the load
        again = page.context.new_page()
        try:
            again.emulate_media(media="print")
            failure = _print_once(again, url, target, options, more)
        finally:
            again.close()
    if failure is not None:
        raise UserError(f"{url} could not be printed: {failure}")


def _print_once(page: Any, url: str, target: Path, options: dict[str, Any], more: list[str] | None) -> str | None:
    """Print `url` with `page`; returns None when printed, or why the page did not load.

    A page that leaves its address while it loads or prints (a `<meta http-equiv="refresh">` in a
    site built with the check skipped) stopped the command with a traceback and exit 70 (issue
    74): it is one line naming the page, and nothing is printed of another page in its place."""
    left: list[str] = []

    def leaving(route: Any) -> None:
        """A move of the page elsewhere is refused, so the print never races it (it could wait for
        ever); the rest go on to `_only_from` (continued here, they went past it to the network)."""
        request = route.request
        if request.is_navigation_request() and request.frame == page.main_frame and request.url != url:
            left.append(request.url)
            route.abort()
        else:
            route.fallback()

    before = page.url

    def elsewhere() -> str | None:
        """Where the page went instead of `url`, if it went anywhere (a page that did not load
        stays where it was, about:blank at first, or shows Chromium's error page)."""
        shown = page.url
        gone = shown not in (url, before, "about:blank") and not shown.startswith("chrome-error:")
        return left[0] if left else shown if gone else None

    def moved() -> UserError:
        target.unlink(missing_ok=True)  # (what was printed, if anything, is another page)
        return UserError(
            f"{url} left its address while it was printed (to {elsewhere()}): the page holds a redirect, "
            'such as <meta http-equiv="refresh">; run `tracksite check`, which names it, and build again'
        )

    page.route("**/*", leaving)
    try:
        page.goto(url, wait_until="load")
        if more is not None and not left:
            page.evaluate(_BOOKLET_JS, more)
        if not left:
            page.pdf(path=str(target), **options)
    except Exception as e:  # (Playwright's errors: its module is imported where Chromium starts)
        if not type(e).__module__.startswith("playwright."):
            raise
        if elsewhere() is not None:
            raise moved() from None
        target.unlink(missing_ok=True)
        return str(e).splitlines()[0]
    finally:
        page.unroute("**/*", leaving)  # (the page prints the next sheet)
    if elsewhere() is not None:
        raise moved()
    return None


def cmd_pdf(args: argparse.Namespace) -> int:
    return _run(args)  # a UserError is printed by tracksite.commands.cli.main


def _run(args: argparse.Namespace) -> int:
    root = course_root(args)
    missing = _missing_printer()  # before any work: the site is not built for nothing
    if missing:
        raise UserError(INSTALL_HELP.format(missing=missing), exit_code=USAGE)
    site = Path(args.site_dir or ("site-instructor" if args.instructor else "site"))
    site = site if site.is_absolute() else root / site
    if args.publish:
        clash = [
            name
            for name, on in (
                ("TRACK", args.track),
                ("--out", args.out is not None),
                ("--no-booklet", args.no_booklet),
                ("--no-exercises", args.no_exercises),
            )
            if on
        ]
        if clash:
            raise UserError(
                f"--publish prints every PDF the track pages link into the site folder: leave out {', '.join(clash)}"
            )
    out = site if args.publish else Path(args.out or "pdf")
    out = out if out.is_absolute() else root / out
    given = getattr(args, "config_file", None)
    sheets = cheatsheets(root, args.track, given)
    packs = [] if args.no_exercises else exercise_packs(root, args.track, given)
    if not sheets and not packs:
        raise UserError("no published cheatsheets to print" + (f" in track {args.track!r}" if args.track else ""))
    if args.no_build:
        if not (site / "index.html").is_file():
            raise UserError(f"{site} holds no built site; build it first (mkdocs build) or drop --no-build")
    elif args.publish or not site_is_current(root, site):
        why = "with links to the PDFs" if args.publish else "it is missing or older than its sources"
        print(f"building the site into {site} first ({why})", file=sys.stderr)
        config_file = mkdocsconfig.config_file(root, given)
        if build_site(root, site, instructor=args.instructor, pdfs=args.publish, config_file=config_file) != 0:
            raise UserError("the site does not build; fix the problems above (tracksite check lists them)")
    written, _ = print_pdfs(site, sheets, out, paper=args.paper, booklets=not args.no_booklet, packs=packs)
    too_long = []
    for path, pages, sheet in written:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"wrote {shown} ({pages} page{'s' if pages != 1 else ''})")
        if sheet is not None and pages > 1:
            too_long.append(
                f"{sheet.source}: warning: prints on {pages} {PAPERS[args.paper]} pages; a cheatsheet "
                "should fit one: shorten it, or turn lists into tables"
            )
    for line in too_long:
        print(line, file=sys.stderr)
    return 1 if too_long and args.strict else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pdf",
        help="print the cheatsheets to PDF: one file each and a booklet per track",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent("""\
            Print every published cheatsheet (of TRACK, or of all tracks) to PDF with headless
            Chromium: OUT/<track>/<lesson>.pdf, one page each, and OUT/<track>.pdf, the track's
            booklet, and OUT/<track>-exercises.pdf, every exercise and quiz of the track in lesson
            order (solutions left out; with --instructor, the instructor build is printed and its
            packs show every solution). The built site is printed as learners would print it; it is built first when
            it is missing or older than its sources. Needs Chromium (apt-get install chromium) and
            Playwright (pip install "tracksite[pdf]"). With --publish the PDFs go into the site and each
            track page links them. Building runs no exercise code unless TRACKSITE_RUN_CODE=1 is set
            in the environment (then in a sandbox)."""),
        epilog="example: tracksite pdf deep-learning-survey --paper letter --out handouts",
    )
    p.add_argument("track", nargs="?", metavar="TRACK", help="only this track (default: every track)")
    p.add_argument(
        "--site-dir", default=None, help="the built site to print (default: site, or site-instructor with --instructor)"
    )
    p.add_argument(
        "--instructor", action="store_true", help="print the instructor build: exercise packs with their solutions"
    )
    p.add_argument("--no-exercises", action="store_true", help="leave out the exercise packs")
    p.add_argument("--out", default=None, help="the folder to write PDFs into (default: pdf)")
    p.add_argument(
        "--publish",
        action="store_true",
        help="build the site with links to the PDFs on each track page and print them into it, "
        "so that learners can download them (the site folder, not --out)",
    )
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default: a4)")
    p.add_argument("--no-build", action="store_true", help="print the site as it is, without building it")
    p.add_argument("--no-booklet", action="store_true", help="write only the single cheatsheets")
    p.add_argument("--strict", action="store_true", help="fail when a cheatsheet prints on more than one page")
    p.set_defaults(handler=cmd_pdf)
