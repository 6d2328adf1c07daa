"""Keeping a run's peak memory down: give freed memory back between the stages of a run.

A run builds large short-lived things stage after stage (the reader's Python strings, the checks' per-reply
values, the similarity tables). Freed, they stay in the allocators' caches: pyarrow's mimalloc pool keeps the
pages of pandas' Arrow-backed strings, and glibc keeps freed heap. The next stage's peak then lands on top of
the last one's. :func:`use_system_arrow_pool` makes pandas' Arrow strings use the system allocator (unless
``ARROW_DEFAULT_MEMORY_POOL`` says otherwise) and :func:`release` returns free memory to the system; neither
changes any result.

A run also keeps a large, long-lived heap (modules, language models, the whole-file state), and CPython's full
garbage collections walk all of it again and again while batches come and go (about a tenth of a run's time).
:func:`frozen_heap` moves what survives each batch out of the collector's sight (:func:`gc.freeze`) and gives it
back at the end of the run, and spaces the collector's passes out while the run lasts (settling collects
fully between batches anyway); objects are still freed by reference counting as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["use_system_arrow_pool", "release", "concat_categories", "frozen_heap", "keep_frozen", "shared_strings",
           "value_codes"]


def use_system_arrow_pool() -> None:
    """Arrow allocations through malloc (freed pages go back with :func:`release`), unless the user chose."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        import pyarrow as pa

        if pa.default_memory_pool().backend_name != "system":
            pa.set_memory_pool(pa.system_memory_pool())
    except Exception:  # pyarrow missing or built without it: nothing to do
        pass


@lru_cache(maxsize=1)
def _malloc_trim():  # type: ignore[no-untyped-def]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None


def release() -> None:
    """Return freed memory to the system (Arrow's pool, glibc's heap); a few milliseconds."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # as above
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def concat_categories(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` of frames whose category columns have different categories, keeping them categories.

    A run keeps low-variety text columns of every batch (brand, channel, agent) as categories, a byte or two a
    row instead of a string; plain ``pd.concat`` would turn them into a Python string per row.
    """
    if not parts:
        return pd.DataFrame()
    cats = [c for c in parts[0].columns if isinstance(parts[0][c].dtype, pd.CategoricalDtype)]
    merged = {c: pd.api.types.union_categoricals([p[c] for p in parts], ignore_order=True) for c in cats}
    out = pd.concat([p.drop(columns=cats) for p in parts], ignore_index=True)
    for c in cats:
        out[c] = merged[c]
    return out[list(parts[0].columns)]


def value_codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, -1 where missing; each code's text as an object array of str): a column's distinct values
    once. A category column gives its own codes without looking at its rows."""
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, uniques = s.cat.codes.to_numpy(), s.cat.categories
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
    names = pd.Series(uniques).astype("string").to_numpy(dtype=object)
    return codes.astype(np.int64, copy=False), names


def shared_strings(values: pd.Series | np.ndarray) -> np.ndarray:
    """``values.astype("string").to_numpy()`` (str or pd.NA per row) with one Python string per distinct value
    shared by its rows: 8 bytes a row instead of a new string object (about 60 bytes) each."""
    codes, names = value_codes(values)
    return np.append(names, pd.NA).astype(object)[codes]  # code -1 picks the appended NA


_OLD = 1_000  # middle collections between full ones (default: 10); settle() collects fully between batches

_gc_lock = threading.Lock()
_runs = 0  # frozen_heap contexts open now (runs in several threads of one server share the collector)
_saved: tuple[tuple[int, ...], bool] | None = None  # (thresholds before the first run, unfreeze at the end?)


def keep_frozen() -> None:
    """``gc.freeze()`` for a caller that keeps objects frozen on purpose (the app's result cache): a run open
    now then leaves everything frozen at its end instead of unfreezing what this froze."""
    global _saved
    with _gc_lock:
        if _saved is not None:
            _saved = (_saved[0], False)
        gc.freeze()


@contextmanager
def frozen_heap() -> Iterator[Callable[[], None]]:
    """``settle()``, called between batches, collects the garbage so far and freezes the survivors, so that
    later full collections walk only what the next batches create.

    The collector is the process's, so runs share one state: the first run to start saves the thresholds
    (and whether anything was frozen before it), the last to end restores them and unfreezes, only when
    nothing was frozen before the first run began and nobody froze on purpose meanwhile
    (:func:`keep_frozen`). What a caller froze before is never unfrozen; what a run froze then stays frozen
    (it is freed by reference counting as usual; only reference cycles among it wait for the caller's next
    ``gc.unfreeze``)."""
    global _runs, _saved
    with _gc_lock:
        if _runs == 0:
            thresholds = gc.get_threshold()
            _saved = (thresholds, gc.get_freeze_count() == 0)
            gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], _OLD))
        _runs += 1

    def settle() -> None:
        gc.collect()
        with _gc_lock:
            gc.freeze()

    try:
        yield settle
    finally:
        with _gc_lock:
            _runs -= 1
            if _runs == 0 and _saved is not None:
                thresholds, unfreeze = _saved
                _saved = None
                gc.set_threshold(*thresholds)
                if unfreeze:
                    gc.unfreeze()
