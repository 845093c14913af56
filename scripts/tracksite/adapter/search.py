"""The course search index: Pagefind fed each page as MkDocs renders it, written after the build.

Pagefind (the `pagefind-bin` wheel ships its binary, so nothing is downloaded at build or run
time) indexes the HTML MkDocs renders and writes `pagefind/` beside it: a small WebAssembly search
and an index split into chunks, so a query downloads only the chunks its words live in instead
of one index of the whole course (what Material's search fetched on every page load).

`Indexer` runs Pagefind's service mode (`pagefind --service`, the protocol its official Python
package speaks) in its own process from the start of the build: each page goes to it as soon as
it is rendered, so Pagefind parses and indexes on the second core while Python renders the next
pages, and only writing the index files is left once the last page is out (docs/benchmarks.md).
It is sent only the element Pagefind reads (`indexed_part`), not the navigation and chrome
around it, which were most of each page's bytes and of Pagefind's parsing time.

What gets indexed is decided in the templates, not here: only an element marked
`data-pagefind-body` is read (the teaching text of lessons, overviews, cheatsheets and track
pages; drafts, the home page and schedules carry no mark, so they are never indexed), and the
page's kind, track and "Track N · Lesson M of K" come from hidden `data-pagefind-meta` and
`data-pagefind-filter` elements that `partials/search-meta.html` writes from the page's
`ts` context. This module only adds what the widgets' HTML does not say itself: which practice
and chrome parts stay out of the index (`EXCLUDED`).
"""

from __future__ import annotations

import base64
import io
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tracksite.adapter import csp
from tracksite.core.siteplan import SEARCH_FOLDER
from tracksite.errors import UserError

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
#: those lessons a hit for the definition's words. A course map (its legend and its text
#: alternative, which names every lesson of the track and of the tracks it links to) is
#: navigation: it made a track page a hit for words in the titles of other tracks' lessons, and
#: was four fifths of a track page's fragment. On a track's own pages: the lessons a glossary term
#: is taught and used in (navigation), a review card's answer, and the review session's controls.
#: The rest is page furniture.
EXCLUDED = (
    "[data-widget]",
    ".ts-widget-error",
    ".ts-instructor",
    ".ts-solution",
    ".ts-quiz",
    ".ts-cards",
    ".headerlink",
    ".ts-crosslinks",
    ".ts-credits",
    ".ts-facts",
    ".md-button",
    ".ts-lesson-header__where",
    ".ts-track-pages",
    ".ts-term__tip",
    ".ts-map",
    ".ts-glossary__where",
    ".ts-card__more",
    ".ts-review",
)
#: Files of Pagefind's own ready-made UIs, and its worker; our header search (search.js) uses only
#: the JS API, on the page (`noWorker`), so these would be dead weight in the published site.
_UNUSED = (
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
OUTPUT = SEARCH_FOLDER
#: A code block repeats a term as an identifier (`def softmax`): it counts half as much as prose,
#: so that the section whose text explains a term is the one a result leads to.
CODE_WEIGHT = "0.5"
_CODE_BLOCK = re.compile(r'<div class="((?:[^"]*\s)?highlight(?:\s[^"]*)?)"')


def weigh_code(html: str) -> str:
    """Mark each highlighted code block of a page's content with its search weight."""
    return _CODE_BLOCK.sub(lambda m: f'{m.group(0)} data-pagefind-weight="{CODE_WEIGHT}"', html)


class SearchIndexError(UserError):
    """Pagefind could not index the site; the message says why and what to do."""


def executable() -> Path:
    """The Pagefind binary from the `pagefind-bin` wheel (a declared dependency)."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "the search index needs the `pagefind-bin` package, which is not installed; "
            "run `pip install -e .` (it is a dependency of tracksite)"
        ) from None
    try:
        return get_executable()
    except FileNotFoundError as e:
        raise SearchIndexError(f"the `pagefind-bin` package has no Pagefind binary ({e}); reinstall it") from None


_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
_BODY_MARK = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?\sdata-pagefind-body(?=[\s=/>])")


def _tokens(tag: str) -> re.Pattern:
    """What can sit inside the indexed element: comments, raw-text elements (whose text may hold
    "<div" or "</div>" that are not tags), and the tags named like the element, whose nesting
    says where it ends."""
    return re.compile(rf"<!--.*?-->|<(script|style|textarea)\b.*?</\1\s*>|<(/?){re.escape(tag)}\b[^>]*>", re.S | re.I)


#: Written by the templates right after the element they mark `data-pagefind-body`, so the
#: element's end is found without reading the tags inside it (a third of a build's search time).
END_MARK = "<!-- /pagefind-body -->"


def indexed_part(html: str) -> str | None:
    """The page reduced to what Pagefind reads of it: its <html> tag (the language) and the
    `data-pagefind-body` element; None for a page with no such element (never indexed). With
    more than one marked element, or one that is not closed, everything from the first on."""
    first = find_mark(html)
    if first is None:
        return None
    end = len(html)
    if find_mark(html, first.end()) is None:
        mark = html.rfind(END_MARK)  # the last: a lesson's own text comes before the template's
        end = mark if mark > first.end() else _element_end(html, first)
    tag = _HTML_TAG.search(html)
    part = pagefind_copy(html[first.start() : end])
    return f"<!doctype html>{tag.group(0) if tag else '<html>'}<body>{part}</body></html>"


def find_mark(html: str, pos: int = 0) -> re.Match | None:
    """The first tag from `pos` on with the `data-pagefind-body` attribute: the attribute's name
    is looked for as text, then checked to sit inside a tag (a regular expression trying every
    tag of the page was most of the time a page took to hand to Pagefind)."""
    while (i := html.find("data-pagefind-body", pos)) >= 0:
        tag = html.rfind("<", 0, i)
        if tag >= 0 and html.find(">", tag, i) < 0:
            m = _BODY_MARK.match(html, tag)
            if m is not None and m.end() == i + len("data-pagefind-body"):
                return m
        pos = i + 1
    return None


def _element_end(html: str, first: re.Match) -> int:
    """Where the element `first` opens ends, by the nesting of the tags named like it."""
    depth = 0
    for token in _tokens(first.group(1)).finditer(html, first.start()):
        if token.group(1) or token.group(0).startswith("<!"):
            continue
        depth += -1 if token.group(2) else 1
        if depth == 0:
            return token.end()
    return len(html)


def pagefind_copy(html: str) -> str:
    """What Pagefind is given of a page's HTML: glossary terms as headings, other ids dropped."""
    return drop_anchor_ids(glossary_headings(html))


#: A glossary entry (partials/glossary.html): the element carrying the term's id, then its <dt>.
_GLOSSARY_ENTRY = re.compile(
    r'(<[a-z]+\b[^>]*?class="[^"]*\bts-glossary__entry\b[^"]*"[^>]*?)\sid="([^"]*)"([^>]*>\s*)'
    r"<dt\b[^>]*>(.*?)</dt>",
    re.S,
)


def glossary_headings(html: str) -> str:
    """Each glossary term as a heading carrying the term's anchor, in Pagefind's copy only.
    Pagefind leads a result to a section only at a heading, and a term is a <dt> on the page (a
    heading inside a <dt> is not valid HTML): so searching a term finds the glossary's entry for
    it, with its definition as the excerpt, and the result opens the page at that entry."""
    return _GLOSSARY_ENTRY.sub(lambda m: f'{m.group(1)}{m.group(3)}<h2 id="{m.group(2)}">{m.group(4)}</h2>', html)


#: An opening tag other than a heading's, with an `id` attribute.
_ID_TAG = re.compile(r"<(?!h[1-6][\s>])[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*?)?\sid=\"[^\"]*\"[^>]*>", re.I)
_ID_ATTR = re.compile(r"\sid=\"[^\"]*\"")


def drop_anchor_ids(html: str) -> str:
    """The ids of everything but headings, taken out of Pagefind's copy of a page. Pagefind keeps
    every element with an id in each page's fragment as an anchor, and a learner's browser
    downloads a fragment per result; only headings become the sections results lead to. The ids
    of glossary tooltips, code blocks and quizzes were half of a lesson fragment's anchors and
    about a sixth of its bytes."""
    return _ID_TAG.sub(lambda m: _ID_ATTR.sub("", m.group(0), count=1), html)


class Indexer:
    """One build's index, built by `pagefind --service` while the pages render.

    `add` only queues a page: a thread writes it to Pagefind's stdin (blocking there, not in the
    build, when Pagefind is behind) and another reads its answers. `write` waits for every page
    to be indexed, has Pagefind write `pagefind/`, and stops it; `close` stops it without
    writing (a failed build). Pagefind's protocol: each message is base64 of a JSON object
    followed by a comma, both ways, and every answer carries the id of its request."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}  # our options only
        try:
            self._proc = subprocess.Popen(
                [str(executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
        except OSError as e:
            raise SearchIndexError(f"Pagefind did not start: {e}") from None
        self._stderr = b""  # the end of what Pagefind said on stderr, for an error message
        self._outbox: queue.Queue = queue.Queue()
        self._answers: dict[int | None, dict] = {}  # None: a reply Pagefind could not tie to a request
        self._urls: dict[int, str] = {}
        self._errors: list[str] = []
        self._sent = 0
        self._ended = self._closing = False
        self._lock = threading.Condition()
        self._close_lock = threading.Lock()  # a serve build may stop an index finishing in the background
        self.urls: set[str] = set()
        self.seconds = self.cpu_seconds = 0.0
        self.indexed = 0
        threading.Thread(target=self._write_loop, daemon=True).start()
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._stderr_loop, daemon=True).start()
        self._index = self._ask({"type": "NewIndex", "config": {"exclude_selectors": list(EXCLUDED)}})["index_id"]

    def add(self, html: str, url: str) -> None:
        """Queue a rendered page for the index, at its site-root URL ("/track/lesson/")."""
        start = time.perf_counter()
        part = indexed_part(html)
        self.urls.add(url)
        if part is not None:
            self.indexed += 1
            self._post(
                {"type": "AddFile", "index_id": self._index, "url": url, "file_contents": part, "file_path": None}, url
            )
        self.seconds += time.perf_counter() - start

    def add_from_disk(self, site_dir: str | Path, pages: Iterable[tuple[str, str]]) -> None:
        """The pages (URL, file in the site) this build did not render, as the site holds them:
        `--dirty` renders only changed pages, and the index covers every page all the same."""
        for url, dest in pages:
            if self._closing:
                return
            path = Path(site_dir) / dest
            if url not in self.urls and path.is_file():
                self.add(path.read_text(encoding="utf-8", errors="replace"), url)

    def finish(self, site_dir: str | Path, pages: Iterable[tuple[str, str]]) -> None:
        """Index the pages this build did not render, then write the index."""
        self.add_from_disk(site_dir, pages)
        self.write(site_dir)

    def write(self, site_dir: str | Path, timeout: float = 600) -> None:
        """Wait for every queued page, write the index into `site_dir/pagefind/`, stop Pagefind.
        `seconds` is then the build's time spent on the index: queueing pages and, after the
        last one, waiting for Pagefind; `cpu_seconds` what Pagefind's process used."""
        start = time.perf_counter()
        try:
            self._wait(self._sent_ids(), timeout)
            if self._errors:
                more = f" (and {len(self._errors) - 1} more)" if len(self._errors) > 1 else ""
                raise SearchIndexError(f"Pagefind could not index {self._errors[0]}{more}")
            out = Path(site_dir) / OUTPUT
            if out.exists():
                shutil.rmtree(out)
            self._ask({"type": "WriteFiles", "index_id": self._index, "output_path": str(out.resolve())}, timeout)
            if not (out / "pagefind.js").is_file():
                raise SearchIndexError(f"Pagefind wrote no index into {out}{self._said()}")
            for name in _UNUSED:
                (out / name).unlink(missing_ok=True)
        finally:
            self.close()
            self.seconds += time.perf_counter() - start

    def close(self, *, now: bool = False) -> None:
        """Stop Pagefind (it ends when its input does), and note the CPU time it used. `now`:
        an index nobody will read (a serve rebuild replaces it), so Pagefind is killed rather
        than left to work through every page still queued for it."""
        self._closing = True
        with self._close_lock:
            if self._proc.returncode is None:
                self._stop(now)

    def _stop(self, now: bool) -> None:
        if now:
            self._proc.kill()
        self._outbox.put(None)
        deadline = time.monotonic() + 10
        while (done := os.wait4(self._proc.pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        if done[0] == 0:
            self._proc.kill()
            done = os.wait4(self._proc.pid, 0)
        self._proc.returncode = os.waitstatus_to_exitcode(done[1])
        self.cpu_seconds = done[2].ru_utime + done[2].ru_stime

    # -- the two threads and the protocol ---------------------------------------------------
    def _post(self, payload: dict, url: str = "") -> int:
        """Encode a request here, in the build's thread, so that `seconds` counts it: the writer
        thread only copies bytes into the pipe, which holds no lock the rendering needs."""
        with self._lock:
            self._sent += 1
            message_id = self._sent
            if url:
                self._urls[message_id] = url
        self._outbox.put(base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")))
        return message_id

    def _sent_ids(self) -> list[int]:
        with self._lock:
            return list(range(1, self._sent + 1))

    def _ask(self, payload: dict, timeout: float = 60) -> dict:
        message_id = self._post(payload)
        self._wait([message_id], timeout)
        answer = self._answers.get(message_id) or {}
        if answer.get("type") != payload["type"]:
            raise SearchIndexError(f"Pagefind refused {payload['type']}: {answer.get('message', answer)}{self._said()}")
        return answer

    def _wait(self, ids: list[int], timeout: float) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: self._ended or all(i in self._answers for i in ids), timeout):
                raise SearchIndexError(f"Pagefind did not finish indexing within {timeout:.0f} s")
            if not all(i in self._answers for i in ids):
                raise SearchIndexError(f"Pagefind stopped before it finished{self._said()}")

    def _write_loop(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None  # opened with stdin=PIPE
        while (data := self._outbox.get()) is not None:
            try:
                stdin.write(data + b",")
                stdin.flush()
            except OSError:
                break  # Pagefind stopped: the reader sees its end and `_wait` says so
        try:
            stdin.close()
        except OSError:
            pass

    def _read_loop(self) -> None:
        buffer = b""
        stdout = self._proc.stdout
        assert isinstance(stdout, io.BufferedReader)  # a binary PIPE: read1 returns what has arrived
        while chunk := stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                self._answer(json.loads(base64.b64decode(message)))
        with self._lock:
            self._ended = True
            self._lock.notify_all()

    def _answer(self, reply: dict) -> None:
        payload = reply.get("payload") or {}
        message_id = reply.get("message_id")
        if message_id is None and payload.get("original_message"):  # an unreadable request
            message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            if payload.get("type") == "Error":
                self._errors.append(
                    f"{self._urls.get(message_id, 'the site') if message_id is not None else 'the site'}: {payload.get('message')}"
                )
            self._answers[message_id] = {
                "type": payload.get("type"),
                "index_id": payload.get("index_id"),
                "message": payload.get("message"),
            }
            self._lock.notify_all()

    def _stderr_loop(self) -> None:
        stderr = self._proc.stderr
        assert isinstance(stderr, io.BufferedReader)  # a binary PIPE
        while chunk := stderr.read1(1 << 12):
            self._stderr = (self._stderr + chunk)[-4096:]

    def _said(self) -> str:
        text = self._stderr.decode("utf-8", "replace").strip()
        return f": {text.splitlines()[-1]}" if text else ""


class Background:
    """An index finished after the build has returned, under `mkdocs serve`: the server holds
    every request until a build is over, and on a 1,000-lesson course finishing the index (the
    pages a `--dirty` rebuild did not render read back, then written) took longer than the rest
    of the rebuild. A saved lesson now shows at once and search catches up seconds later; the
    next build stops an index still being finished, which that build replaces anyway."""

    def __init__(
        self,
        indexer: Indexer,
        site_dir: str,
        pages: list[tuple[str, str]],
        done: Callable[[Indexer], None],
        failed: Callable[[str], None],
    ) -> None:
        self.indexer, self._stopped = indexer, False

        def run() -> None:
            try:
                indexer.finish(site_dir, pages)
            except (SearchIndexError, OSError) as e:
                if not self._stopped:
                    failed(str(e))
            else:
                done(indexer)

        self._thread = threading.Thread(target=run, name="tracksite-search-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self.indexer.close(now=True)
        self._thread.join(timeout=30)
