"""A small least-recently-used cache keyed on strings, shared by every session of one server.

Scoring a reply file or running a scenario is the slow step, so its result is kept under a key made of strings
only (the file's digest and the rulebook's text; the scenario's ``model_dump_json()``), never pydantic objects.
Streamlit's ``st.cache_data`` would copy a 100,000-row result on every rerun and replay progress-bar messages
recorded inside the cached call; this cache hands back the same read-only object and lets the caller draw its
own progress bar. One instance lives in ``st.cache_resource`` so it is dropped with Streamlit's caches.

Cached results are also kept out of the garbage collector's full passes (:func:`keep_out_of_gc`): Streamlit runs
one after every script run (``runner.postScriptGC``), and a scored 100,000-reply file holds about 650,000
tracked objects (evidence items, tuples, lists), so that pass alone cost about a second on every click.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["StringCache", "keep_out_of_gc"]


def keep_out_of_gc(evicted: bool = False) -> None:
    """Move every object alive now into the collector's permanent generation, which full passes skip.

    Frozen objects are still freed by reference counting when the cache drops them; only reference cycles among
    them wait. So no full collection first (a second on a 100,000-reply file, and scoring one leaves no cyclic
    garbage: measured 0 objects), but after an eviction everything is unfrozen and collected once, which frees
    the dropped result's cycles and any garbage frozen with it, before freezing again.
    """
    from qa.memory import keep_frozen

    if evicted:
        gc.unfreeze()
        gc.collect()
    keep_frozen()  # gc.freeze(), and a scoring run in another thread will not unfreeze it at its end


class StringCache:
    """At most ``max_entries`` results; a key is a tuple of strings. Results must be treated as read-only."""

    def __init__(self, max_entries: int = 4) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, ...], threading.Lock] = {}

    def __contains__(self, key: tuple[str, ...]) -> bool:
        with self._lock:
            return key in self._items

    def get_or_compute(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, computing it once (concurrent callers of one key wait for the first)."""
        if not all(isinstance(k, str) for k in key):
            raise TypeError("cache keys are tuples of strings (digests, JSON), never objects")
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = compute()  # may raise: nothing is stored then
            with self._lock:
                self._items[key] = value
                evicted = len(self._items) > self.max_entries
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
                self._key_locks.pop(key, None)
            keep_out_of_gc(evicted)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
        gc.unfreeze()  # the dropped results' reference cycles, if any, are collected again
