"""A built site served on 127.0.0.1 from a thread, for the Chromium that `tracksite pdf`, the
benchmark and the browser tests drive: one server, so a fix to it reaches all three.

Two settings differ from the standard library's: a listen backlog of 128, not 5 (a page that
fetches its scripts, fonts and the search's word files at once on a loaded machine overflows 5, and
the browser retries a dropped connection only after a second or more), and no request log
(the terminal is for tracksite's own messages)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

#: How `tracksite pdf` and the browser tests start Chromium, written once. Playwright passes a
#: --disable-features of its own; a second one replaces it (Chromium keeps the last), so its list
#: is repeated before this one's additions.
_PLAYWRIGHT_DISABLED = (  # Playwright 1.65's --disable-features, repeated: Chromium keeps the last
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,"
    "AimEnabled,PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion"
)
_OMNIBOX_POPUP = "WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A new context (the browser tests open about 60) starts a spare renderer, mostly unused here, and
    # the software compositor has a GPU process of its own: without both, ten contexts loading a
    # lesson each cost 15.0 instead of 15.9 processor seconds. Nothing the pages do changes.
    "--in-process-gpu",
    # Each new context is a browser window, and headless Chromium 156 prepares each window's address
    # bar popup (chrome://omnibox-popup.top-chrome/, a page of its own in a renderer of its own)
    # that no one can open here: about 0.9 processor seconds a context, twice what a blank page
    # costs (a context, a page, a blank page held 1.5 s: 1.40 s with it, 0.47 s without, median of 4).
    # tests/core/test_localserver.py fails if the popup, the spare renderer or the GPU process comes
    # back. What else Chromium does per context or navigation that no page sees (the window's views,
    # the tab's loading animation) has no switch that pages would not notice: docs/benchmarks.md.
    f"--disable-features={_PLAYWRIGHT_DISABLED},SpareRendererForSitePerProcess,{_OMNIBOX_POPUP}",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files from the folder, without a line per request on stderr."""

    def log_message(self, *args: object) -> None:
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    """The standard library's threading server with the backlog above; threads end with the process."""

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that drops a connection while a file is sent (a page printed or closed before
        its favicon or a prefetch arrived) is no error of the site: the standard library printed a
        traceback on stderr for each, in `tracksite pdf`'s output. Anything else is still shown."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on a free port while the block runs; yields the base URL (ending in /)."""
    server = SiteServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
