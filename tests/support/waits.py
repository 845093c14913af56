"""Waiting for a page driven by Playwright to come to rest: conditions, never fixed pauses."""

from __future__ import annotations

import time
from collections.abc import Callable

#: resolves once the page's finite animations and transitions have run, two frames on
_SETTLED = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  await frame(); await frame();
  const finite = document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map(a => a.finished.catch(() => null)));
  await frame();
}"""


def settled(page) -> None:
    """Wait until what the last action started on `page` has come to rest: Material's drawer and
    skip link, our transitions, the layout passes that follow a frame. A condition, where a fixed
    pause was too long on an idle machine and too short on a loaded one."""
    page.evaluate(_SETTLED)


def next_frame(page) -> None:
    """Wait until the page has drawn a frame after the last action (a focus moved, a scroll)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done())))")


def until(page, condition: Callable[[], object], seconds: float = 10):
    """`condition()`'s value once it holds (what the page's listeners collected), asked while
    Playwright delivers the page's events; its last value after `seconds`."""
    end = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < end:
        page.wait_for_timeout(20)  # (a poll: Playwright hands events over only inside its calls)
    return value
