"""``carebench batch EXPERIMENT.yaml``: argument parsing, the progress bar and one-line errors.

Registered in ``carebench.cli`` with :func:`add_batch_parser`. Problems with the input (the experiment file, a
scenario it names, the output folder, the scheduler address) are :class:`~sim.loader.ConfigError`: one line,
exit code 2. A run failing on a worker is one line and exit code 1; the runs already written stay.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_batch_parser", "cmd_batch"]


def add_batch_parser(sub) -> None:
    p = sub.add_parser("batch", help="run an experiment (scenarios x overrides x replications) on Dask, "
                       "resumable, into a Parquet dataset with summaries and plots")
    p.add_argument("experiment", help="experiment YAML file (see README, Batches; `carebench schema --experiment`)")
    p.add_argument("--out", help="results folder (default: runs/<experiment name>); a rerun resumes it")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster, e.g. tcp://host:8786 (default: a local cluster)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="local worker processes, one thread each (default: the cores this process may use)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.set_defaults(func=cmd_batch)


def _progress_bar(name: str):
    import shutil

    from tqdm import tqdm

    columns = shutil.get_terminal_size((100, 24)).columns or 100
    # disable=None: shown on a terminal only; in logs and pipes it is noise
    return tqdm(total=0, desc=name, unit="run", disable=None, file=sys.stderr, leave=False,
                ncols=min(columns, 120), bar_format="{l_bar}{bar}| {n}/{total} runs{postfix} [{elapsed}<{remaining}]")


def cmd_batch(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import OutputError
    from carebench_shared.interrupts import Terminated
    from carebench_shared.safe_text import printable
    from sim.bounds import MAX_JOBS
    from sim.loader import ConfigError

    from .experiment import expand_points, load_experiment
    from .runner import BatchError, check_scheduler, dask_client, run_batch
    from .store import ResultsStore

    if args.workers is not None and not 1 <= args.workers <= MAX_JOBS:  # 100,000 local processes never start
        raise ConfigError(f"--workers: must be between 1 and {MAX_JOBS}")
    if args.workers is not None and args.scheduler:
        raise ConfigError("--workers: the cluster at --scheduler has its own workers; give one or the other")
    experiment = load_experiment(args.experiment)
    points = expand_points(experiment, args.experiment)
    if args.scheduler:
        check_scheduler(args.scheduler)  # before the results folder is made
    out = Path(args.out) if args.out else Path("runs") / experiment.name
    store = ResultsStore(out, experiment, points)
    bar = _progress_bar(experiment.name)

    def progress(runs: int, planned: int, points_done: int, n_points: int) -> None:
        bar.total = planned
        bar.n = runs
        bar.set_postfix_str(f"points {points_done}/{n_points}", refresh=False)
        bar.refresh()

    try:
        stats = run_batch(experiment, points, store, lambda: dask_client(args.scheduler, args.workers), progress)
    except OutputError as exc:
        raise ConfigError(str(exc)) from None
    except BatchError as exc:
        print(f"carebench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # SIGTERM too (Terminated): said, and exited, as such
        what, code = ("terminated", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
        print(f"carebench: {what}; the finished runs are in {printable(out)}/: run the same command to resume",
              file=sys.stderr)
        return code
    finally:
        bar.close()
    return _summarise(out, experiment, points, stats, plots=not args.no_plots)


def _summarise(out: Path, experiment, points, stats, plots: bool) -> int:
    from .plots import write_plots
    from .summaries import format_summary, write_summaries

    summary, diffs, written = write_summaries(out, experiment, points)
    notes: list[str] = []
    if plots:
        pngs, notes = write_plots(experiment, summary, out / "plots")
        written += pngs
    print(format_summary(summary, experiment))
    significant = int(diffs["significant"].sum()) if len(diffs) else 0
    print(f"{len(diffs)} paired differences (common random numbers), {significant} excluding 0: "
          f"summary/differences.csv")
    for note in notes:
        print(f"note: {note}")
    print(f"{stats.runs_done} runs done, {stats.runs_kept} kept from before, {stats.seconds:.1f} s; results in "
          f"{out}/ (runs/, points.parquet, summary/, {len(written) - 4} plots)")
    return 0
