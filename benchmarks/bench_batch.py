"""Speed and memory of `carebench batch` on Dask, and of `carebench simulate --jobs`, in one run.

1. A 200-run batch (erlang-check, 4 values of agents x 50 replications, each run ~0.2 s) timed in-process as a
   plain loop of simulate_replication (the compute), then on a local cluster of 1 and of 2 workers (cluster
   start-up timed apart): speed-up, parallel efficiency, and overhead per task = (wall x workers - compute)
   / runs.
2. The cluster path end to end: a real `dask scheduler` and 3 `dask worker --nthreads 1` processes on this
   machine, joined with --scheduler; the dataset must equal the local run's.
3. Scheduler memory for 10,000 tasks: the RSS of a `dask scheduler` process holding 10,000 submitted tasks
   (no workers, so none leaves), and its peak while a real 10,000-run batch of tiny runs goes through it with
   the runner's window (2 workers); the tiny runs also give the overhead per task at scale.
4. `carebench simulate --jobs 2` against `--jobs 1` (whole processes, same files).

The machine's load average is printed with the figures: other work on the machine slows every line.
Run: .venv/bin/python benchmarks/bench_batch.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ERLANG = ROOT / "scenarios" / "erlang-check.yaml"
DASK = Path(sys.executable).parent / "dask"


def experiment(folder: Path, name: str, horizon_days: float, agents: list[int], reps: int) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nscenarios: [{ERLANG}]\nset: {{horizon_days: {horizon_days}, warmup_days: 0.05}}\n"
                    f"grid:\n  staffing.agents: {agents}\nreplications: {reps}\nkpis: [p_wait, service_level]\n",
                    encoding="utf-8")
    return path


def serial_compute(exp_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the runs themselves: simulate_replication in a plain loop, no Dask, no files."""
    from batch.experiment import expand_points, load_experiment
    from sim.engine import simulate_replication

    exp = load_experiment(exp_path)
    points = expand_points(exp, exp_path)
    t0, c0 = time.perf_counter(), time.process_time()
    for p in points:
        for rep in range(exp.replications):
            simulate_replication(p.scenario, rep, p.seed)
    return time.perf_counter() - t0, time.process_time() - c0


def workers_cpu(client) -> float:
    """CPU seconds used so far by the cluster's worker processes."""
    def cpu() -> float:
        import psutil

        t = psutil.Process().cpu_times()
        return t.user + t.system

    return sum(client.run(cpu).values())


def timed_batch(exp_path: Path, out: Path, client) -> tuple[float, float]:
    """Wall seconds of run_batch on an already running client (start-up excluded), and the CPU seconds of
    this process (client, and the scheduler of a local cluster) plus the workers'."""
    from batch.experiment import expand_points, load_experiment
    from batch.runner import run_batch
    from batch.store import ResultsStore

    exp = load_experiment(exp_path)
    points = expand_points(exp, exp_path)
    shutil.rmtree(out, ignore_errors=True)
    t0, c0, w0 = time.perf_counter(), time.process_time(), workers_cpu(client)
    stats = run_batch(exp, points, ResultsStore(out, exp, points), lambda: contextlib.nullcontext(client))
    assert stats.runs_done == len(points) * exp.replications
    return time.perf_counter() - t0, time.process_time() - c0 + workers_cpu(client) - w0


def local_run(exp_path: Path, out: Path, workers: int) -> tuple[float, tuple[float, float]]:
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=50)
    client = Client(cluster)
    client.run(lambda: __import__("batch.tasks"))  # workers import the simulator before the clock starts
    startup = time.perf_counter() - t0
    try:
        return startup, timed_batch(exp_path, out, client)
    finally:
        client.close()
        cluster.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def real_cluster(workers: int):
    """`dask scheduler` and ``workers`` `dask worker --nthreads 1` processes; yields (address, scheduler pid)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(workers):
            procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard"],
                                          cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        yield address, procs[0].pid
    finally:
        for p in reversed(procs):
            os.killpg(p.pid, 15)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)


def cluster_run(exp_path: Path, out: Path, workers: int) -> tuple[float, float]:
    from dask.distributed import Client

    with real_cluster(workers) as (address, _):
        client = Client(address, timeout="20s")
        client.wait_for_workers(workers, timeout=60)
        client.run(lambda: __import__("batch.tasks"))
        try:
            return timed_batch(exp_path, out, client)
        finally:
            client.close()


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def scheduler_memory_pending(tasks: int) -> tuple[float, float]:
    """Scheduler RSS (MiB) before and with ``tasks`` submitted tasks held (no workers to run them)."""
    from dask.distributed import Client

    from batch.tasks import run_one
    from sim.loader import load_scenario

    scenario_json = load_scenario(ERLANG, ["horizon_days=0.01"]).model_dump_json()
    with real_cluster(0) as (address, pid):
        client = Client(address, timeout="20s")
        time.sleep(1.0)
        before = rss_mb(pid)
        futures = [client.submit(run_one, scenario_json, rep, 11, pure=False, key=f"run-{rep}")
                   for rep in range(tasks)]
        while client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) < tasks:
            time.sleep(0.2)
        time.sleep(1.0)
        held = rss_mb(pid)
        client.cancel(futures)
        client.close()
    return before, held


def scheduler_memory_batch(exp_path: Path, out: Path, workers: int) -> tuple[float, float, tuple[float, float]]:
    """Scheduler RSS before and at its peak while a batch runs through the runner's window; wall seconds."""
    from dask.distributed import Client

    with real_cluster(workers) as (address, pid):
        client = Client(address, timeout="20s")
        client.wait_for_workers(workers, timeout=60)
        client.run(lambda: __import__("batch.tasks"))
        before = rss_mb(pid)
        peak = [before]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.1):
                peak[0] = max(peak[0], rss_mb(pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            wall = timed_batch(exp_path, out, client)
        finally:
            stop.set()
            sampler.join()
            client.close()
    return before, peak[0], wall


def simulate_jobs(folder: Path) -> tuple[float, float, bool]:
    cli = Path(sys.executable).parent / "carebench"
    times = []
    for jobs in (1, 2):
        out = folder / f"jobs{jobs}"
        t0 = time.perf_counter()
        subprocess.run([str(cli), "simulate", str(ROOT / "scenarios" / "baseline.yaml"), "--reps", "4",
                        "--no-plots", "--out", str(out), "--jobs", str(jobs)], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    same = all((folder / "jobs1" / n).read_bytes() == (folder / "jobs2" / n).read_bytes()
               for n in ("summary.csv", "intervals.parquet", "kpis.csv"))
    return times[0], times[1], same


def same_dataset(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in (a / "runs").rglob("runs.parquet"))
    return bool(files) and files == sorted(p.relative_to(b) for p in (b / "runs").rglob("runs.parquet")) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 runs and 2,000 tasks (a smoke test)")
    args = parser.parse_args()
    reps, tasks = (15, 2000) if args.quick else (50, 10_000)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        exp = experiment(folder, "bench", 30.0, [7, 8, 9, 10], reps)
        runs = 4 * reps
        compute, compute_cpu = serial_compute(exp)
        print(f"{runs} runs, compute in a plain loop: {compute:.1f} s wall, {compute_cpu:.1f} s CPU "
              f"({compute_cpu / runs * 1000:.0f} ms CPU a run)")
        rows = []
        for workers in (1, 2):
            startup, (wall, cpu) = local_run(exp, folder / f"local{workers}", workers)
            rows.append((workers, startup, wall, cpu))
            print(f"local cluster, {workers} worker(s): start-up {startup:.1f} s, batch {wall:.1f} s, CPU {cpu:.1f} s")
        t1 = rows[0][2]
        print("\n| workers | cluster start-up (s) | batch wall (s) | speed-up | parallel efficiency | "
              "overhead per task, wall (ms) | overhead per task, CPU (ms) |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for workers, startup, wall, cpu in rows:
            print(f"| {workers} | {startup:.1f} | {wall:.1f} | {t1 / wall:.2f} | {t1 / wall / workers:.2f} | "
                  f"{(wall * workers - compute) / runs * 1000:.1f} | {(cpu - compute_cpu) / runs * 1000:.1f} |")
        wall, cpu = cluster_run(exp, folder / "cluster", 3)
        print(f"\nreal cluster (dask scheduler + 3 dask worker --nthreads 1, joined with --scheduler): batch {wall:.1f} s;"
              f" dataset identical to the local 1-worker run: {same_dataset(folder / 'local1', folder / 'cluster')}")
        before, held = scheduler_memory_pending(tasks)
        print(f"\nscheduler RSS: {before:.0f} MiB idle, {held:.0f} MiB holding {tasks:,} submitted tasks "
              f"({(held - before) * 1024 / tasks:.1f} KiB a task)")
        tiny = experiment(folder, "tiny", 0.01, [7, 8, 9, 10], tasks // 4)
        tiny_compute, tiny_cpu = serial_compute(tiny)
        before, peak, (wall, cpu) = scheduler_memory_batch(tiny, folder / "tiny", 2)
        print(f"{tasks:,}-run batch of tiny runs ({tiny_cpu / tasks * 1000:.1f} ms CPU each) through the window on "
              f"2 workers: {wall:.1f} s ({tasks / wall:.0f} runs/s), scheduler RSS {before:.0f} -> peak {peak:.0f} "
              f"MiB; overhead a task: {(wall * 2 - tiny_compute) / tasks * 1000:.1f} ms wall, "
              f"{(cpu - tiny_cpu) / tasks * 1000:.1f} ms CPU (client + workers; the scheduler is a separate process)")
        j1, j2, same = simulate_jobs(folder)
        print(f"\ncarebench simulate baseline.yaml --reps 4 (whole process): --jobs 1 {j1:.1f} s, --jobs 2 {j2:.1f} s "
              f"(speed-up {j1 / j2:.2f}); same files: {same}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
