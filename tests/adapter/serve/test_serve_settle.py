"""Issue 76: serve's pause after a save collects what the builds since allocated, not the whole
heap: the objects a served build keeps are frozen (`serve.settle_memory`), and walking them all
again on every save cost as much as the rest of the save at 1,000 lessons. The whole collection
still runs now and then, so garbage in cycles among the frozen objects is freed."""

from __future__ import annotations

import gc
import weakref

import pytest

from tracksite.adapter.serve import serve


class Node:
    """An object in a cycle with itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def settled(monkeypatch):
    monkeypatch.setattr(serve, "_SETTLED", {"frozen": 0, "since": 0})
    monkeypatch.setattr(serve, "FULL_GROWTH", 1000.0)  # (this process's heap moves a lot between steps)
    yield
    gc.unfreeze()


def _garbage() -> weakref.ref:
    return weakref.ref(Node())


def test_a_pause_frees_the_new_garbage_and_leaves_the_frozen_objects_unwalked(settled, monkeypatch):
    serve.settle_memory()  # the first pause: the whole collection
    assert serve._SETTLED["since"] == 0 and gc.get_freeze_count() > 0
    new = _garbage()
    serve.settle_memory()  # a save's pause: what was allocated since is collected
    assert new() is None and serve._SETTLED["since"] == 1
    kept = Node()
    old = weakref.ref(kept)
    serve.settle_memory()  # still held: frozen with the rest
    del kept
    serve.settle_memory()  # garbage now, but frozen: not walked by a save's pause
    assert old() is not None and serve._SETTLED["since"] == 3
    monkeypatch.setattr(serve, "FULL_EVERY", 3)  # (three pauses since the whole collection)
    serve.settle_memory()  # the whole collection again: freed
    assert old() is None and serve._SETTLED["since"] == 0


def test_the_frozen_objects_grown_by_a_share_bring_the_whole_collection(settled, monkeypatch):
    serve.settle_memory()
    monkeypatch.setattr(serve, "FULL_GROWTH", 0.02)
    held = [Node() for _ in range(gc.get_freeze_count() // 10)]  # a tenth more objects, kept
    serve.settle_memory()  # not grown yet (frozen only now)
    assert serve._SETTLED["since"] == 1
    serve.settle_memory()
    assert serve._SETTLED["since"] == 0 and held
