"""The ``carebench`` command: argument parsing, progress bars and one-line errors (exit code 2).

Subcommands are registered in ``COMMANDS``; each gets its own small function. Model code never sees
argparse, files or the terminal.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

__all__ = ["main"]


class UsageError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


def _progress_bar(total_minutes: float, reps: int, label: str):
    from tqdm import tqdm

    # only on long runs: under about a simulated week per replication the bar is noise
    disable = None if total_minutes * reps >= 7 * 1440 else True
    return tqdm(total=round(total_minutes * reps / 1440.0, 2), unit="sim-day", desc=label, disable=disable,
                file=sys.stderr, leave=False, bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} sim-days [{elapsed}<{remaining}]")


def cmd_simulate(args: argparse.Namespace) -> int:
    from sim.loader import load_scenario
    from sim.output import format_kpi_table, write_results
    from sim.results import run

    scenario = load_scenario(args.scenario, args.set)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    reps = args.reps if args.reps is not None else scenario.replications
    if reps < 1:
        raise UsageError("--reps: must be at least 1")
    out = Path(args.out) if args.out else Path("runs") / scenario.name
    out.mkdir(parents=True, exist_ok=True)

    records_file = None
    on_outcome = None
    if args.records:
        records_file = open(out / "records.csv", "w", newline="", encoding="utf-8")
        writer = csv.writer(records_file)
        writer.writerow(["rep", "mention_id", "channel", "arrival_minute", "wait_minutes", "answered", "handle_minutes"])

        def on_outcome(rep, o):
            writer.writerow([rep, o.id, o.channel, f"{o.arrival_minute:.6f}", f"{o.wait_minutes:.6f}",
                             int(o.answered), f"{o.handle_minutes:.6f}"])

    log_file = None
    on_message = None
    if args.reply_log:
        from sim.replylog import ReplyLogWriter

        try:
            log_file = open(args.reply_log, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--reply-log {args.reply_log}: {exc.strerror}") from None
        on_message = ReplyLogWriter(log_file)

    bar = _progress_bar(scenario.horizon_minutes, reps, scenario.name)
    done = [0.0] * reps

    def progress(rep: int, minutes: float) -> None:
        done[rep] = minutes
        bar.n = round(sum(done) / 1440.0, 2)
        bar.refresh()

    try:
        result = run(scenario, reps=reps, seed=scenario.seed, on_outcome=on_outcome, progress=progress,
                     on_message=on_message)
    finally:
        bar.close()
        if log_file is not None:
            log_file.close()
        if records_file is not None:
            records_file.close()
    written = write_results(result, out, plots=not args.no_plots)
    print(format_kpi_table(result))
    print(f"results in {out}/ ({', '.join(p.name for p in written)}{', records.csv' if args.records else ''})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.scenario import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carebench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("simulate", help="simulate a scenario file and write KPIs, hourly results and plots")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--reps", type=int, help="replications (default: the scenario's 'replications')")
    p.add_argument("--seed", type=int, help="base seed (default: the scenario's 'seed')")
    p.add_argument("--out", help="output folder (default: runs/<scenario name>)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario field, e.g. --set staffing.agents=10 (repeatable)")
    p.add_argument("--records", action="store_true", help="also write one row per measured mention (records.csv)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--reply-log", metavar="FILE",
                   help="write every simulated customer post and brand reply (CSV in the QA reply columns)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sim.loader import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, UsageError) as exc:
        print(f"carebench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("carebench: interrupted", file=sys.stderr)
        return 130
