"""Phase one on several cores: batches of whole threads scored in worker processes, taken back in order.

Phase one (the per-thread checks, :func:`qa.replies.score_batch`) is most of a run's time and needs nothing
but the batch's own threads, so with ``jobs`` > 1 worker processes score the batches while the main process
reads the next ones and keeps, batch after batch in file order, what the whole file needs
(:meth:`qa.pipeline.Audit.absorb`). The result is the one-process result byte for byte: the same rows in the
same order, and each batch's verdicts depend only on its threads (language detection and the learned model
answer the same for a text in any process; a worker's repeat finder hands its kept posts to the main one).
Phases two and three stay in the main process.

Workers come from a ``forkserver`` context (``spawn`` where there is none), never a plain ``fork``: the app
scores inside a thread of a threaded server, and forking a threaded process can copy a held lock. The fork
server imports the QA modules once per server, so a worker starts in a fraction of a second; a file too small
to win that back is scored in one process (:data:`MIN_MESSAGES`).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .pipeline import Audit
    from .replies import Batch

__all__ = ["WorkerLost", "phase_one", "Workers", "start_workers", "use_jobs", "default_jobs", "batch_messages", "MIN_MESSAGES"]

MIN_MESSAGES = 60_000  # below this a pool's start-up costs more than a second core saves (README, App Speed)
BYTES_PER_MESSAGE = 200  # a twcs file's; own schema about 280 (a conservative estimate from a file's size)
MIN_BATCH = 5_000  # messages: below this a batch's fixed costs (tables, the model's batch) start to show
BATCHES_PER_JOB = 4
_PRELOAD = ["qa.parallel_warm"]


class WorkerLost(OSError):
    """A worker process ended in the middle of a run (killed, most often by the system for memory): the run
    stops with one line (the command's error for the system saying no), and nothing is written."""


def default_jobs() -> int:
    """What the app uses: both cores of a two-core machine, never more than two processes."""
    return max(1, min(2, os.cpu_count() or 1))


def use_jobs(jobs: int, messages: int) -> int:
    """The worker processes worth starting for ``messages`` messages (1: score in this process)."""
    return 1 if jobs <= 1 or messages < MIN_MESSAGES else int(jobs)


def batch_messages(messages: int, jobs: int, largest: int) -> int:
    """Messages a batch: ``largest`` in one process; with workers, small enough that each gets several
    batches (the last batch does not leave a core idle for long), at least :data:`MIN_BATCH`."""
    if jobs <= 1:
        return largest
    return int(min(largest, max(MIN_BATCH, -(-messages // (jobs * BATCHES_PER_JOB)))))


def _context() -> mp.context.BaseContext:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)  # takes effect when the server starts (once per process)
        return ctx
    return mp.get_context("spawn")


class _AuthorFlags:
    """The main process's "does this customer post in other batches" answers for one batch's authors, as a
    picklable test (the main test hashes names with this process's string hash salt)."""

    def __init__(self, names: np.ndarray, flags: np.ndarray):
        self.names, self.flags = names, flags

    def __call__(self, authors: np.ndarray) -> np.ndarray:
        idx = pd.Index(self.names).get_indexer(pd.Index(authors, dtype=object))
        return np.where(idx >= 0, self.flags[np.maximum(idx, 0)], True)  # unknown: kept (never changes a result)


def _author_flags(audit: Audit, messages: pd.DataFrame) -> _AuthorFlags | None:
    keep = audit.repeat_finder.keep
    if keep is None:
        return None
    names = pd.unique(messages["author_id"].to_numpy(dtype=object)[messages["role"].to_numpy() != "brand"])
    return _AuthorFlags(names, np.asarray(keep(names), dtype=bool))


_worker: dict[str, Any] = {}


def _start(book: Any, check_names: list[str], model: Any) -> None:
    from .detection import language_detector
    from .verdicts import text_checks as registered_checks
    from .verdicts import specs

    checks = registered_checks()
    _worker.update(book=book, checks={n: checks[n] for n in check_names}, specs=specs(),
                   detect=language_detector()[0], model=model, memo={})


def _score(messages: pd.DataFrame, offset: int, keep: _AuthorFlags | None
           ) -> tuple[Batch, list[pd.DataFrame], list[np.ndarray]]:
    from .repeats import RepeatFinder
    from .replies import score_batch

    w = _worker
    finder = RepeatFinder(w["book"].threads, keep)
    b = score_batch(messages, w["book"], w["checks"], w["specs"], w["detect"], finder, offset, w["memo"],
                    w["model"])
    return (b, *finder.take())


class Workers:
    """``jobs`` worker processes, started as soon as the run knows it wants them and in a thread of their own
    (the fork server's first start imports and warms the QA modules: seconds), so they start while the file
    is read; each holds the rulebook, the checks and the learned model."""

    def __init__(self, jobs: int, book: Any, model: Any = None, check_names: list[str] | None = None):
        from .verdicts import text_checks as registered_checks

        self.jobs = jobs
        names = list(registered_checks()) if check_names is None else check_names
        self._pool: ProcessPoolExecutor | None = None
        self._error: BaseException | None = None
        self._starting = threading.Thread(target=self._start, args=(book, names, model), daemon=True)
        self._starting.start()

    def _start(self, book: Any, names: list[str], model: Any) -> None:
        try:
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=_start,
                                             initargs=(book, names, model))
            for f in [self._pool.submit(_ready) for _ in range(self.jobs)]:  # start them now
                f.result()
        except BaseException as exc:  # raised where the pool is first used
            self._error = exc

    def started(self) -> bool:
        """Whether the workers could be started (waits for them)."""
        self._starting.join()
        return self._error is None and self._pool is not None

    @property
    def pool(self) -> ProcessPoolExecutor:
        self._starting.join()
        if self._error is not None:
            raise self._error
        assert self._pool is not None
        return self._pool

    def close(self) -> None:
        self._starting.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def estimate_messages(path: str | os.PathLike) -> int:
    """About how many messages the file at ``path`` holds, from its size (0 if it cannot be read)."""
    try:
        return os.path.getsize(path) // BYTES_PER_MESSAGE
    except OSError:
        return 0


def start_workers(jobs: int, path: str | os.PathLike, book: Any, model: Any = None,
                  at_least: int = 0) -> Workers | None:
    """Workers for scoring the file at ``path`` when it is large enough to repay them (:data:`MIN_MESSAGES`, and
    at least ``at_least`` messages; estimated from its size)."""
    messages = estimate_messages(path)
    jobs = use_jobs(jobs, messages) if messages >= at_least else 1
    return Workers(jobs, book, model) if jobs > 1 else None


def _ready() -> None:
    return None


def _parallel(audit: Audit, batches: Iterable[pd.DataFrame], workers: Workers
              ) -> Iterator[tuple[pd.DataFrame, Batch]]:
    waiting: deque[tuple[pd.DataFrame, Future]] = deque()
    offset = 0
    try:
        for messages in batches:
            future = workers.pool.submit(_score, messages, offset, _author_flags(audit, messages))
            waiting.append((messages, future))
            offset += len(messages)
            while len(waiting) > workers.jobs:  # a batch ahead per worker: bounded memory, no idle worker
                _while_waiting()
                yield _take(audit, *waiting.popleft())
        _while_waiting()
        while waiting:
            yield _take(audit, *waiting.popleft())
    except BrokenProcessPool:
        raise WorkerLost("a worker process stopped in the middle of scoring (killed, or out of memory?); "
                         "nothing was written: run again, or with --jobs 1") from None
    finally:
        for _, f in waiting:
            f.cancel()


def _while_waiting() -> None:
    """What phase two will import, done while this process waits for the workers' first batches instead of
    after them, when it is alone (``scipy.stats``: about 0.6 s, for the consistency statistics)."""
    import scipy.stats  # noqa: F401


def _take(audit: Audit, messages: pd.DataFrame, future: Future) -> tuple[pd.DataFrame, Batch]:
    b, kept, sigs = future.result()
    audit.repeat_finder.absorb(kept, sigs)
    return messages, audit.absorb(b, len(messages))


def phase_one(audit: Audit, batches: Iterable[pd.DataFrame], workers: Workers | int | None = None
              ) -> Iterator[tuple[pd.DataFrame, Batch]]:
    """(messages, phase one's batch) for each batch in order, scored by ``workers`` (started by the caller, or
    a number of processes to start here; None or 1: this process).

    Checks that are not the registry's own cannot be sent to a worker: they are scored here."""
    from .verdicts import text_checks as registered_checks

    known = registered_checks()
    if isinstance(workers, int):
        workers = Workers(workers, audit.book, audit.model, list(audit.checks)) if workers > 1 else None
        owned = workers
    else:
        owned = None
    try:
        if workers is not None and not workers.started():
            workers = None  # no worker processes on this system (no semaphores, a sandbox): one process
        if workers is None or any(known.get(n) is not c for n, c in audit.checks.items()):
            for messages in batches:
                yield messages, audit.add(messages)
            return
        yield from _parallel(audit, batches, workers)
    finally:
        if owned is not None:
            owned.close()


def warm() -> None:
    """Score a few generated threads once (imported by the fork server, :mod:`qa.parallel_warm`), so that
    compiled patterns, language models and lazily built tables are in memory before workers fork from it."""
    try:
        from .generator import generate
        from .detection import language_detector
        from .repeats import RepeatFinder
        from .replies import score_batch
        from .rulebook import load_rulebook
        from .verdicts import specs
        from .verdicts import text_checks as registered_checks

        book = load_rulebook(None)
        msgs = generate(24, seed=1).messages
        from .learned import resolve_model

        score_batch(msgs, book, registered_checks(), specs(), language_detector()[0], RepeatFinder(book.threads),
                    0, {}, resolve_model("default"))
    except Exception:  # a warm-up that fails only means colder workers
        pass
