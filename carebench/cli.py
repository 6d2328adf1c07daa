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
    if args.jobs < 1:
        raise UsageError("--jobs: must be at least 1")
    if args.jobs > 1 and (args.records or args.reply_log):
        raise UsageError("--jobs: --records and --reply-log are written in order by one process; use --jobs 1")
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
    advance = _advancer(bar)

    def progress(rep: int, minutes: float) -> None:
        advance(rep, minutes)

    try:
        if args.jobs > 1:
            from sim.parallel import run_parallel

            result = run_parallel(scenario, reps=reps, seed=scenario.seed, jobs=args.jobs, progress=progress)
        else:
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


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.compare import compare
    from sim.loader import load_scenario
    from sim.output import format_comparison, plot_comparison

    a = load_scenario(args.a, args.set)
    b = load_scenario(args.b, args.set)
    reps = args.reps if args.reps is not None else a.replications
    if reps < 2:
        raise UsageError("--reps: a comparison needs at least 2 replications")
    seed = a.seed if args.seed is None else args.seed
    bar = _progress_bar(a.horizon_minutes + b.horizon_minutes, reps, f"{a.name} vs {b.name}")
    advance = _advancer(bar)

    def progress(label: str, rep: int, minutes: float) -> None:
        advance((label, rep), minutes)

    try:
        comparison = compare(a, b, reps=reps, seed=seed, progress=progress)
    finally:
        bar.close()
    table = comparison.table()
    print(format_comparison(comparison))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        table.to_csv(out / "compare.csv", index=False)
        comparison.a.summary.to_csv(out / "summary_a.csv", index=False)
        comparison.b.summary.to_csv(out / "summary_b.csv", index=False)
        plot_comparison(comparison, out / "compare.png")
        print(f"results in {out}/ (compare.csv, summary_a.csv, summary_b.csv, compare.png)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.scenario import scenario_json_schema

    if args.experiment:
        from batch.experiment import experiment_json_schema

        text = json.dumps(experiment_json_schema(), indent=2) + "\n"
    else:
        text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def app_command(host: str, port: int, settings: str | None = None) -> list[str]:
    """The ``streamlit run`` command line of the workbench: bound to ``host``, upload cap from the settings."""
    from carebench_app.settings import SettingsError, load_settings

    script = Path(__file__).resolve().parents[1] / "app.py"
    if not script.exists():
        raise UsageError(f"{script}: the workbench entry point is missing (run from a source checkout)")
    try:
        cfg = load_settings(Path(settings) if settings else None)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    return [sys.executable, "-m", "streamlit", "run", str(script),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.maxUploadSize", str(cfg.max_upload_mb),
            "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]


def cmd_app(args: argparse.Namespace) -> int:
    import os
    import subprocess

    if not 0 < args.port < 65536:
        raise UsageError(f"--port: {args.port} is not a port number (1-65535)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"carebench: warning: serving on {args.host}, reachable beyond this machine", file=sys.stderr)
    env = dict(os.environ)
    if args.settings:
        env["CAREBENCH_APP_SETTINGS"] = str(Path(args.settings).resolve())
    cmd = app_command(args.host, args.port, args.settings)
    print(f"carebench workbench on http://{args.host}:{args.port} (Ctrl+C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
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
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="run replications in N processes in parallel (same results as --jobs 1)")
    p.add_argument("--reply-log", metavar="FILE",
                   help="write every simulated customer post and brand reply (CSV in the QA reply columns)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("app", help="start the Streamlit workbench (QA audit and planner what-ifs)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--settings", help="settings file (default $CAREBENCH_APP_SETTINGS or .carebench/app.yaml)")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("compare", help="run two scenarios with common random numbers and compare their KPIs")
    p.add_argument("a", help="scenario A (YAML)")
    p.add_argument("b", help="scenario B (YAML)")
    p.add_argument("--reps", type=int, help="replications of each (default: A's 'replications')")
    p.add_argument("--seed", type=int, help="seed shared by both (default: A's 'seed')")
    p.add_argument("--out", help="also write compare.csv, both summaries and compare.png here")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a field in both scenarios (repeatable)")
    p.set_defaults(func=cmd_compare)

    from qa.cli import add_qa_parser

    add_qa_parser(sub)

    from batch.cli import add_batch_parser

    add_batch_parser(sub)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--experiment", action="store_true", help="of experiment files (carebench batch) instead")
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
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("carebench: interrupted", file=sys.stderr)
        return 130
