"""``carebench simulate``, ``compare`` and ``schema``: the simulator from the command line.

Argument parsing, progress bars and one-line errors only; the work is in :mod:`sim`. The simulator (numpy,
pandas, the engine) is imported inside each command, never while the parser is built, so that every other
command starts quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from pathlib import Path

from carebench_shared.atomic import refuse_inputs_inside, write_text_output
from carebench_shared.safe_text import printable
from sim.bounds import DEFAULT_MAX_MENTIONS, MAX_JOBS

from .errors import UsageError

__all__ = ["add_simulate_parser", "add_compare_parser", "add_schema_parser"]


def _progress_bar(total_minutes: float, reps: int, label: str):
    import shutil

    from tqdm import tqdm

    # only on long runs (a simulated week or more) and only on a terminal: in logs and pipes it is noise
    disable = None if total_minutes * reps >= 7 * 1440 else True
    columns = shutil.get_terminal_size((100, 24)).columns or 100  # some terminals report 0 columns
    return tqdm(total=round(total_minutes * reps / 1440.0, 2), desc=label, disable=disable, file=sys.stderr,
                leave=False, ncols=min(columns, 120),
                bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} sim-days [{elapsed}<{remaining}]")


def _advancer(bar):
    """``advance(key, minutes)``: set the simulated minutes done by one replication and redraw the bar."""
    done: dict = {}

    def advance(key, minutes: float) -> None:
        done[key] = minutes
        bar.n = round(sum(done.values()) / 1440.0, 2)
        bar.refresh()

    return advance


def _checked_reps(reps: int | None, default: int, least: int = 1) -> int:
    from sim.bounds import MAX_REPLICATIONS

    reps = default if reps is None else reps
    if not least <= reps <= MAX_REPLICATIONS:
        raise UsageError(f"--reps: must be between {least} and {MAX_REPLICATIONS:,}" if least == 1 else
                         f"--reps: a comparison needs between {least} and {MAX_REPLICATIONS:,} replications")
    return reps


def _with_seed(scenario, seed: int | None):
    """The scenario with ``--seed`` (validated like the file's ``seed``)."""
    from sim.bounds import MAX_SEED

    if seed is None:
        return scenario
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed: must be between 0 and {MAX_SEED}")
    return scenario.model_copy(update={"seed": seed})


def _check_work(source: str, scenarios, reps: int, max_mentions: float) -> None:
    """Refuse at once a run whose estimated work is over the limit (sim.budget), naming the scenario file."""
    from sim.budget import run_refusal

    why = run_refusal(scenarios, reps, max_mentions)
    if why:
        raise UsageError(f"{source}: {why}")


def _max_mentions(text: str) -> float:
    """``--max-mentions``: a positive number (``4e7`` and ``40_000_000`` both work)."""
    import math

    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of mentions, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError("must be a positive, finite number")
    return value


def _output_folder(arg: str | None, name: str) -> Path:
    """``--out``, or ``runs/<name>`` with the name made safe as one folder name (never outside ``runs/``)."""
    from carebench_shared.safe_text import safe_file_name

    return Path(arg) if arg else Path("runs") / safe_file_name(name)


@contextlib.contextmanager
def _reply_log(arg: str | None, out: Path, tmp: Path):
    """The ``--reply-log`` writer, or None. Written atomically: inside the results folder it goes into the
    run's temporary folder (and appears with the run); elsewhere it is its own temporary file."""
    from carebench_shared.atomic import atomic_file

    if not arg:
        yield None
        return
    from sim.replylog import ReplyLogWriter

    path = Path(arg)
    inside = _inside_out(path, out)
    if inside is not None:
        target = tmp / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", newline="", encoding="utf-8") as f:
            yield ReplyLogWriter(f)
        return
    if not path.parent.is_dir():
        raise UsageError(f"--reply-log {printable(arg)}: folder {printable(path.parent)} does not exist")
    with atomic_file(path, "w", newline="", encoding="utf-8") as f:
        yield ReplyLogWriter(f)


def _inside_out(path: Path, out: Path) -> Path | None:
    """Where ``path`` lies inside the results folder ``out``, or None when outside."""
    from carebench_shared.atomic import real_path

    try:
        return real_path(path).relative_to(real_path(out))
    except ValueError:
        return None


def _check_reply_log(arg: str | None, out: Path, scenario: str, records: bool) -> None:
    """Refuse a ``--reply-log`` that cannot be written, before the run: a folder (``--out`` itself among them),
    the scenario file, which writing the log would replace, or a results file's name in ``--out`` (the results
    would overwrite the log)."""
    from carebench_shared.atomic import MARKER, refuse_output_is_input
    from sim.output import RESULT_FILES

    if not arg:
        return
    inside = _inside_out(Path(arg), out)
    if Path(arg).is_dir() or inside == Path("."):
        raise UsageError(f"--reply-log {printable(arg)}: is a folder, not a file")
    refuse_output_is_input("--reply-log", arg, scenario)
    taken = RESULT_FILES | {MARKER} | ({"records.csv"} if records else set())
    if inside is not None and inside.parts[0] in taken:
        raise UsageError(f"--reply-log {printable(arg)}: {inside.parts[0]} is one of the results the run writes "
                         f"in --out {printable(out)}; choose another name")


def _records_writer(path: Path):
    """(file, on_outcome) writing one row per measured mention to ``path``."""
    records_file = open(path, "w", newline="", encoding="utf-8")
    writer = csv.writer(records_file)
    writer.writerow(["rep", "mention_id", "channel", "arrival_minute", "wait_minutes", "answered", "handle_minutes"])

    def on_outcome(rep, o):
        writer.writerow([rep, o.id, o.channel, f"{o.arrival_minute:.6f}", f"{o.wait_minutes:.6f}",
                         int(o.answered), f"{o.handle_minutes:.6f}"])

    return records_file, on_outcome


def cmd_simulate(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import atomic_dir, check_output_dir
    from sim.loader import load_scenario
    from sim.output import format_kpi_table, write_results
    from sim.results import run

    scenario = _with_seed(load_scenario(args.scenario, args.set), args.seed)
    reps = _checked_reps(args.reps, scenario.replications)
    if not 1 <= args.jobs <= MAX_JOBS:  # each process holds a simulator: thousands exhaust memory
        raise UsageError(f"--jobs: must be between 1 and {MAX_JOBS}")
    if args.jobs > 1 and (args.records or args.reply_log):
        raise UsageError("--jobs: --records and --reply-log are written in order by one process; use --jobs 1")
    _check_work(printable(args.scenario), [scenario], reps, args.max_mentions)
    out = _output_folder(args.out, scenario.name)
    check_output_dir(out)  # before the run, not after an hour of it
    refuse_inputs_inside(out, args.scenario)
    _check_reply_log(args.reply_log, out, args.scenario, bool(args.records))
    bar = _progress_bar(scenario.horizon_minutes, reps, printable(scenario.name, 40))
    advance = _advancer(bar)

    def progress(rep: int, minutes: float) -> None:
        advance(rep, minutes)

    with atomic_dir(out) as tmp, _reply_log(args.reply_log, out, tmp) as on_message:
        records_file, on_outcome = _records_writer(tmp / "records.csv") if args.records else (None, None)
        try:
            if args.jobs > 1:
                from sim.parallel import run_parallel

                result = run_parallel(scenario, reps=reps, seed=scenario.seed, jobs=args.jobs, progress=progress)
            else:
                result = run(scenario, reps=reps, seed=scenario.seed, on_outcome=on_outcome, progress=progress,
                             on_message=on_message)
        finally:
            bar.close()
            if records_file is not None:
                records_file.close()
        written = write_results(result, tmp, plots=not args.no_plots)
    print(format_kpi_table(result))
    print(f"results in {out}/ ({', '.join(p.name for p in written)}{', records.csv' if args.records else ''})")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import atomic_dir, check_output_dir
    from sim.compare import compare
    from sim.loader import load_scenario
    from sim.output import format_comparison, plot_comparison

    a = load_scenario(args.a, args.set)
    b = load_scenario(args.b, args.set)
    reps = _checked_reps(args.reps, a.replications, least=2)
    if args.seed is not None:
        a, b = _with_seed(a, args.seed), _with_seed(b, args.seed)
    _check_work(f"{printable(args.a)} and {printable(args.b)}", [a, b], reps, args.max_mentions)
    if args.out:
        check_output_dir(Path(args.out))
        refuse_inputs_inside(args.out, args.a, args.b)
    bar = _progress_bar(a.horizon_minutes + b.horizon_minutes, reps,
                        f"{printable(a.name, 30)} vs {printable(b.name, 30)}")
    advance = _advancer(bar)

    def progress(label: str, rep: int, minutes: float) -> None:
        advance((label, rep), minutes)

    try:
        comparison = compare(a, b, reps=reps, seed=a.seed, progress=progress)
    finally:
        bar.close()
    table = comparison.table()
    print(format_comparison(comparison))
    if args.out:
        with atomic_dir(args.out) as tmp:
            table.to_csv(tmp / "compare.csv", index=False)
            comparison.a.summary.to_csv(tmp / "summary_a.csv", index=False)
            comparison.b.summary.to_csv(tmp / "summary_b.csv", index=False)
            plot_comparison(comparison, tmp / "compare.png")
        print(f"results in {args.out}/ (compare.csv, summary_a.csv, summary_b.csv, compare.png)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.scenario import scenario_json_schema

    if args.experiment:
        from batch.experiment import experiment_json_schema

        schema = experiment_json_schema()
    else:
        schema = scenario_json_schema()
    write_text_output(json.dumps(schema, indent=2) + "\n", args.out)
    return 0


def _add_max_mentions(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-mentions", type=_max_mentions, default=float(DEFAULT_MAX_MENTIONS), metavar="N",
                   help=f"refuse a run expected to simulate more posts than this, over all replications "
                        f"(default {DEFAULT_MAX_MENTIONS:,})")


def add_simulate_parser(sub) -> None:
    """Add ``simulate`` to the top-level parser's subparsers."""
    p = sub.add_parser("simulate", help="simulate a scenario file and write KPIs, hourly results and plots")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--reps", type=int, help="replications (default: the scenario's 'replications')")
    p.add_argument("--seed", type=int, help="base seed (default: the scenario's 'seed')")
    p.add_argument("--out", help="output folder (default: runs/<scenario name>)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario field, e.g. --set staffing.agents=10 (repeatable)")
    p.add_argument("--records", action="store_true", help="also write one row per measured mention (records.csv)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="run replications in N processes in parallel (same results as --jobs 1)")
    p.add_argument("--reply-log", metavar="FILE",
                   help="write every simulated customer post and brand reply (CSV in the QA reply columns)")
    _add_max_mentions(p)
    p.set_defaults(func=cmd_simulate)


def add_compare_parser(sub) -> None:
    """Add ``compare`` to the top-level parser's subparsers."""
    p = sub.add_parser("compare", help="run two scenarios with common random numbers and compare their KPIs")
    p.add_argument("a", help="scenario A (YAML)")
    p.add_argument("b", help="scenario B (YAML)")
    p.add_argument("--reps", type=int, help="replications of each (default: A's 'replications')")
    p.add_argument("--seed", type=int, help="seed shared by both (default: A's 'seed')")
    p.add_argument("--out", help="also write compare.csv, both summaries and compare.png here")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a field in both scenarios (repeatable)")
    _add_max_mentions(p)
    p.set_defaults(func=cmd_compare)


def add_schema_parser(sub) -> None:
    """Add ``schema`` to the top-level parser's subparsers."""
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--experiment", action="store_true", help="of experiment files (carebench batch) instead")
    p.set_defaults(func=cmd_schema)
