"""The course search index: Pagefind run on the built pages at the end of every build.

Pagefind (the `pagefind-bin` wheel ships its binary, so nothing is downloaded at build or run
time) reads the HTML MkDocs wrote and writes `pagefind/` beside it: a small WebAssembly search
and an index split into chunks, so a query downloads only the chunks its words live in instead
of one index of the whole course (what Material's search fetched on every page load).

What gets indexed is decided in the templates, not here: only an element marked
`data-pagefind-body` is read (the teaching text of lessons, overviews, cheatsheets and track
pages; drafts, the home page and schedules carry no mark, so they are never indexed), and the
page's kind, track and "Track N · Lesson M of K" come from hidden `data-pagefind-meta` and
`data-pagefind-filter` elements that `partials/search-meta.html` writes from the page's
`ts` context. This module only adds what the widgets' HTML does not say itself: which practice
and chrome parts stay out of the index (`EXCLUDED`).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tracksite.adapter import csp
from tracksite.core.siteplan import SEARCH_FOLDER

#: The one source the search adds to the page policy (docs/security.md): Pagefind's engine is
#: WebAssembly, which a page may compile only with 'wasm-unsafe-eval'. It allows no `eval`.
CSP_SOURCES = {"script-src": "'wasm-unsafe-eval'"}
for _directive, _source in CSP_SOURCES.items():
    if _source not in csp.DIRECTIVES[_directive]:
        csp.DIRECTIVES[_directive].append(_source)

#: Parts of an indexed page that are not teaching text. Every widget (`data-widget`: quizzes,
#: flashcards, exercises, the worked example's stepper, the heatmap, progress) is practice or
#: interactive chrome: answers must never show in a result or its excerpt (quiz explanations,
#: solutions, flashcard backs), and practice must not outrank the prose section that teaches a
#: term. The widget classes are named too, in case a widget is ever written without its
#: `data-widget`. Instructor notes are for instructors only. A glossary term's tooltip repeats
#: the glossary's definition inside every lesson that first uses the term: it would make each of
#: those lessons a hit for the definition's words. The rest is page furniture.
EXCLUDED = (
    "[data-widget]", ".ts-widget-error", ".ts-instructor", ".ts-solution", ".ts-quiz", ".ts-cards",
    ".headerlink", ".ts-crosslinks", ".ts-credits", ".ts-facts", ".md-button", ".ts-lesson-header__where",
    ".ts-track-pages", ".ts-term__tip",
)
#: Files of Pagefind's own ready-made UIs; our header search (search.js) uses only the JS API,
#: so these would be dead weight in the published site.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
OUTPUT = SEARCH_FOLDER
#: A code block repeats a term as an identifier (`def softmax`): it counts half as much as prose,
#: so that the section whose text explains a term is the one a result leads to.
CODE_WEIGHT = "0.5"
_CODE_BLOCK = re.compile(r'<div class="((?:[^"]*\s)?highlight(?:\s[^"]*)?)"')


def weigh_code(html: str) -> str:
    """Mark each highlighted code block of a page's content with its search weight."""
    return _CODE_BLOCK.sub(lambda m: f'{m.group(0)} data-pagefind-weight="{CODE_WEIGHT}"', html)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why and what to do."""


def executable() -> Path:
    """The Pagefind binary from the `pagefind-bin` wheel (a declared dependency)."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError("the search index needs the `pagefind-bin` package, which is not installed; "
                               "run `pip install -e .` (it is a dependency of tracksite)") from None
    try:
        return get_executable()
    except FileNotFoundError as e:
        raise SearchIndexError(f"the `pagefind-bin` package has no Pagefind binary ({e}); reinstall it") from None


def command(site_dir: str | Path) -> list[str]:
    args = [str(executable()), "--site", str(site_dir), "--output-subdir", OUTPUT, "--silent"]
    for selector in EXCLUDED:
        args += ["--exclude-selectors", selector]
    return args


def build_index(site_dir: str | Path, timeout: float = 600) -> None:
    """Index the built site in `site_dir` into `site_dir/pagefind/`, replacing an older index."""
    site = Path(site_dir)
    out = site / OUTPUT
    if out.exists():
        shutil.rmtree(out)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}  # our flags only
    try:
        done = subprocess.run(command(site), capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"Pagefind did not run on {site}: {e}") from None
    if done.returncode != 0 or not (out / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise SearchIndexError(f"Pagefind could not index {site}: {detail}")
    for name in _UNUSED:
        (out / name).unlink(missing_ok=True)
