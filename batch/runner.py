"""Running a batch on Dask: a local cluster on this machine's cores, or an existing cluster's scheduler.

One task per (scenario, point, replication), submitted through a window of a few tasks per worker thread so
the scheduler holds a bounded number of tasks however large the batch. Results come back to this process,
which files them (workers need no shared disk). Which replications run is decided by :class:`~batch.plan.Plan`
on complete rounds only, so the dataset does not depend on scheduling, worker count or order.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sim.loader import ConfigError

from .experiment import Experiment, Point
from .plan import Plan
from .store import ResultsStore
from .tasks import run_one

__all__ = ["check_scheduler", "BatchError", "BatchStats", "dask_client", "run_batch", "local_cores"]


class BatchError(Exception):
    """A run failed on a worker, or the cluster could not be reached; ``str()`` is one line."""


@dataclass
class BatchStats:
    points: int
    runs_done: int  # in this invocation
    runs_kept: int  # finished by an earlier invocation
    seconds: float


def local_cores() -> int:
    """Cores this process may use (the affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check_scheduler(scheduler: str, timeout: float = 10.0) -> None:
    """Refuse an address that is not ``tcp://``, or one where no Dask scheduler answers, before the results
    folder is made: a scheduler speaks first, a frame whose 8-byte length is small. Dask's own client waits
    forever on a silent service (an HTTP server, such as the dashboard's port) and reads another's first bytes
    as a frame of exabytes."""
    import struct

    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"  # Dask reads HOST:PORT as TCP
    if not address.startswith("tcp://"):  # tls:// needs certificates carebench has no flag for (a traceback)
        scheme = address.partition("://")[0]
        raise ConfigError(f"--scheduler {scheduler}: the protocol {scheme}:// is not supported; give a "
                          "tcp://HOST:PORT address, such as tcp://10.0.0.5:8786")
    host, _, port = address[len("tcp://"):].rpartition(":")
    if not (host and port.isdigit() and int(port) < 65536):
        raise ConfigError(f"--scheduler {scheduler}: not an address tcp://HOST:PORT, such as tcp://10.0.0.5:8786")
    try:
        head = _first_bytes(host.strip("[]"), int(port), timeout)
    except OSError as exc:  # no such host, no route, nobody listening within the timeout
        raise ConfigError(f"--scheduler {scheduler}: cannot connect ({exc.strerror or exc})") from None
    if len(head) < 8 or struct.unpack("<Q", head)[0] > 1 << 26:
        raise ConfigError(f"--scheduler {scheduler}: cannot connect (the service there does not speak Dask's "
                          "protocol; a scheduler's port is usually 8786)")


def _first_bytes(host: str, port: int, timeout: float) -> bytes:
    """The first 8 bytes the service at ``host:port`` sends (fewer if it stays silent for ``timeout`` seconds).
    A refused connection is tried again until then, as Dask does: a scheduler may still be starting."""
    import socket
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic()))
            break
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    head = b""
    with conn:
        conn.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while len(head) < 8 and (chunk := conn.recv(8 - len(head))):
                head += chunk
        except socket.timeout:
            pass
    return head


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, timeout: float = 10.0) -> Iterator:
    """A Dask client: on ``scheduler`` (``tcp://host:8786``) or on a new local cluster of ``workers`` processes.

    Local workers have one thread each: a replication is pure Python and holds the GIL. An address that does
    not answer within ``timeout`` seconds is a :class:`~sim.loader.ConfigError` (the user's input).
    """
    from dask.distributed import Client, LocalCluster

    if scheduler:
        check_scheduler(scheduler, timeout)
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except MemoryError:  # a service that is not Dask's: its first bytes read as a frame of exabytes
            raise ConfigError(f"--scheduler {scheduler}: cannot connect (the service there does not speak Dask's "
                              "protocol)") from None
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else "no answer"
            raise ConfigError(f"--scheduler {scheduler}: cannot connect ({reason})") from None
        try:
            yield client
        finally:
            client.close()
        return
    # Workers ignore Ctrl-C once started (the preload); this process closes the cluster in order. (Ignoring it
    # while they start would also swallow a Ctrl-C meant for this process during the seconds that takes.)
    cluster = LocalCluster(n_workers=workers or local_cores(), threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.CRITICAL, preload=["batch.worker_setup"])
    try:
        client = Client(cluster)
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=5)
        cluster.close(timeout=10)


class _Window:
    """Tasks kept submitted: enough to keep every worker thread busy while results are being filed.

    The cluster's thread count is asked again every few seconds (workers may join a running cluster), not on
    every batch of results: each question is a round trip to the scheduler.
    """

    def __init__(self, client, every: float = 5.0) -> None:
        self.client, self.every, self._asked, self._size = client, every, -math.inf, 16

    @property
    def size(self) -> int:
        now = time.monotonic()
        if now - self._asked >= self.every:
            self._size = max(16, 4 * sum(self.client.nthreads().values()))
            self._asked = now
        return self._size


def run_batch(
    experiment: Experiment,
    points: list[Point],
    store: ResultsStore,
    client_factory: Callable[[], object],
    progress: Callable[[int, int, int, int], None] | None = None,
) -> BatchStats:
    """Run every missing replication; ``progress(runs_done, runs_planned, points_done, points)`` as they finish.

    The client is made by ``client_factory`` only when some run is missing (a finished batch starts nothing).
    """
    t0 = time.perf_counter()
    kept = store.open()
    plan = Plan(experiment, points, store.finished, store.values)
    queue = deque((p, r) for p in points for r in plan.advance(p))
    report = _reporter(plan, points, kept, progress)
    report(0)
    if not queue:
        return BatchStats(len(points), 0, kept, time.perf_counter() - t0)
    with client_factory() as client:
        done = _drive(client, plan, store, queue, report)
    return BatchStats(len(points), done, kept, time.perf_counter() - t0)


def _reporter(plan: Plan, points: list[Point], kept: int, progress):
    """``report(done, touched)``: pass the counts to ``progress``; only touched points can have completed."""
    complete = {p.key for p in points if plan.complete(p)} if progress else set()

    def report(done: int, touched: list[Point] = ()) -> None:
        if progress:
            complete.update(p.key for p in touched if plan.complete(p))
            progress(kept + done, plan.planned, len(complete), len(points))
    return report


def _drive(client, plan: Plan, store: ResultsStore, queue: deque, report) -> int:
    """Submit through the window, file results as they come, add rounds the rule asks for; runs done."""
    from dask.distributed import as_completed

    json_of = {p.key: p.scenario.model_dump_json() for p in plan.points}
    scheduled = {(p.key, r) for p, r in queue}  # queued or in flight
    in_flight: dict[str, tuple[Point, int]] = {}
    completed = as_completed()

    window = _Window(client)

    def fill() -> None:
        limit = window.size
        while queue and len(in_flight) < limit:
            point, rep = queue.popleft()
            future = client.submit(run_one, json_of[point.key], rep, point.seed, pure=False,
                                   key=f"run-{point.scenario_name}-{point.point_id}-{rep}")
            in_flight[future.key] = (point, rep)
            completed.add(future)

    fill()
    done = 0
    for batch in completed.batches():
        for future in batch:
            if future.status != "finished":
                raise BatchError(_failure(*in_flight[future.key], future))
        rows = client.gather(batch)  # one round trip for the whole batch
        by_point: dict[tuple[str, str], tuple[Point, list[dict]]] = {}
        for future, row in zip(batch, rows):
            point, rep = in_flight.pop(future.key)
            by_point.setdefault(point.key, (point, []))[1].append(row)
            scheduled.discard((point.key, rep))
        for point, rows in by_point.values():
            store.add(point, rows)
            done += len(rows)
            for rep in plan.advance(point):
                if (point.key, rep) not in scheduled:
                    scheduled.add((point.key, rep))
                    queue.append((point, rep))
        fill()
        report(done, [point for point, _ in by_point.values()])
    return done


def _failure(point: Point, rep: int, future) -> str:
    try:
        exc = future.exception(timeout=5)
    except Exception as err:  # the future was lost with its worker
        exc = err
    text = str(exc).splitlines()[0] if str(exc) else ""
    hint = " (is carebench installed on the workers?)" if isinstance(exc, ImportError) else ""
    return f"run {point.scenario_name} {point.point_id} rep {rep} failed on a worker: " \
           f"{exc.__class__.__name__}: {text}{hint}"
