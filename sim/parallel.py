"""Replications of one scenario in parallel worker processes (``carebench simulate --jobs N``).

Each replication draws only from its own streams, seeded by ``(seed, rep)`` (:mod:`sim.random`), so running
them in other processes and in any order gives exactly the results of :func:`sim.results.run`; they are
assembled in replication order into the same :class:`~sim.results.RunResult`. Workers are started with
``spawn`` (no inherited threads or state) and ignore Ctrl-C, which the parent handles by stopping them.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import signal
from collections.abc import Callable

from .engine import ReplicationResult, simulate_replication
from .results import RunResult, run
from .scenario import Scenario

__all__ = ["run_parallel"]

# The progress queue of *this worker process*, set once by the pool's initializer (a worker runs one pool).
_progress_queue = None


def _start_worker(progress_queue) -> None:
    global _progress_queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    _progress_queue = progress_queue


def _replicate(scenario: Scenario, rep: int, seed: int | None) -> ReplicationResult:
    q = _progress_queue
    progress = (lambda minutes: q.put((rep, minutes))) if q is not None else None
    result = simulate_replication(scenario, rep, seed, progress=progress)
    if q is not None:
        q.put((rep, None))  # after its last report: the queue's feeder thread may still hold them when we return
    return result


def run_parallel(
    scenario: Scenario,
    reps: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Callable[[int, float], None] | None = None,
) -> RunResult:
    """:func:`sim.results.run` with replications spread over ``jobs`` processes; the same results.

    ``progress(rep, minutes)`` is called in this process as workers report simulated minutes.
    """
    reps = scenario.replications if reps is None else reps
    jobs = min(jobs, reps)
    if jobs <= 1:
        return run(scenario, reps=reps, seed=seed, progress=progress)
    ctx = multiprocessing.get_context("spawn")
    progress_queue = ctx.Queue() if progress else None
    # Started with SIGINT ignored (kept across exec), so a Ctrl-C during their imports does not reach them.
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = ctx.Pool(processes=jobs, initializer=_start_worker, initargs=(progress_queue,))
    finally:
        signal.signal(signal.SIGINT, handler)
    try:
        pending = [pool.apply_async(_replicate, (scenario, rep, seed)) for rep in range(reps)]
        finished: set[int] = set()
        while not all(p.ready() for p in pending):
            _drain(progress_queue, progress, 0.2, finished)
        results = [p.get() for p in pending]  # re-raises a worker's exception here
        waited = 0.0
        while progress_queue is not None and len(finished) < reps and waited < _LAST_REPORTS_WAIT:
            _drain(progress_queue, progress, 0.2, finished)  # the reports still in the workers' feeder threads
            waited += 0.2
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    return RunResult(scenario, results)


_LAST_REPORTS_WAIT = 30.0  # seconds: a finished worker's reports arrive within this, or are given up


def _drain(progress_queue, progress: Callable[[int, float], None] | None, timeout: float,
           finished: set[int]) -> None:
    """Pass queued ``(rep, minutes)`` reports to ``progress``, and note in ``finished`` the replications whose
    last report has come (``minutes`` None); wait up to ``timeout`` for the first one."""
    if progress_queue is None:
        if timeout:
            import time

            time.sleep(timeout)
        return
    try:
        item = progress_queue.get(timeout=timeout) if timeout else progress_queue.get_nowait()
        while True:
            rep, minutes = item
            if minutes is None:
                finished.add(rep)
            else:
                progress(rep, minutes)
            item = progress_queue.get_nowait()
    except queue_module.Empty:
        return
