"""The ``carebench`` command: argument parsing, progress bars and one-line errors (exit code 2).

Subcommands are registered in ``COMMANDS``; each gets its own small function. Model code never sees
argparse, files or the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import signal
import sys
from pathlib import Path

from carebench_shared.atomic import refuse_inputs_inside, write_text_output
from carebench_shared.safe_text import printable

__all__ = ["main", "write_text_output"]


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
    if path.is_dir():
        raise UsageError(f"--reply-log {printable(arg)}: is a folder, not a file")
    try:
        inside = path.resolve().relative_to(out.resolve())
    except ValueError:
        inside = None
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
    if args.jobs < 1:
        raise UsageError("--jobs: must be at least 1")
    if args.jobs > 1 and (args.records or args.reply_log):
        raise UsageError("--jobs: --records and --reply-log are written in order by one process; use --jobs 1")
    _check_work(printable(args.scenario), [scenario], reps, args.max_mentions)
    out = _output_folder(args.out, scenario.name)
    check_output_dir(out)  # before the run, not after an hour of it
    refuse_inputs_inside(out, args.scenario)
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


def app_command(host: str, port: int, settings: str | None = None, roots: list[Path] | None = None) -> list[str]:
    """The ``streamlit run`` command line of the workbench: bound to ``host``, upload cap from the settings."""
    from carebench_app.settings import SettingsError, load_settings

    script = Path(__file__).resolve().parents[1] / "app.py"
    if not script.exists():
        raise UsageError(f"{script}: the workbench entry point is missing (run from a source checkout)")
    try:
        cfg = load_settings(Path(settings) if settings else None, roots)
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
    from carebench_app.settings import ENV_VAR, settings_path
    from carebench_app.uploads import ROOTS_VAR

    env = dict(os.environ)  # the server's environment; this process's own is left as it was
    if args.settings:
        env[ENV_VAR] = str(Path(args.settings).resolve())
    for d in args.allow_dir:
        if not Path(d).is_dir():
            raise UsageError(f"--allow-dir {printable(d)}: not a folder")
    settings_file = Path(env[ENV_VAR]) if env.get(ENV_VAR) else settings_path()
    roots = [Path.cwd(), settings_file.resolve().parent, *(Path(d) for d in args.allow_dir)]
    # the folders the server may read and write in, fixed now: the Settings page cannot point it elsewhere
    env[ROOTS_VAR] = os.pathsep.join(dict.fromkeys(str(d.resolve()) for d in roots))
    cmd = app_command(args.host, args.port, args.settings, roots)
    print(f"carebench workbench on http://{args.host}:{args.port} (Ctrl+C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def _add_max_mentions(p: argparse.ArgumentParser) -> None:
    from sim.budget import DEFAULT_MAX_MENTIONS

    p.add_argument("--max-mentions", type=_max_mentions, default=float(DEFAULT_MAX_MENTIONS), metavar="N",
                   help=f"refuse a run expected to simulate more posts than this, over all replications "
                        f"(default {DEFAULT_MAX_MENTIONS:,})")


class OneLineParser(argparse.ArgumentParser):
    """argparse with usage errors on one line (the usage itself is one ``--help`` away), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {printable(message, 2000)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="carebench", description=__doc__.splitlines()[0])
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
    _add_max_mentions(p)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("app", help="start the Streamlit workbench (QA audit and planner what-ifs)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--settings", help="settings file (default $CAREBENCH_APP_SETTINGS or .carebench/app.yaml)")
    p.add_argument("--allow-dir", action="append", default=[], metavar="FOLDER",
                   help="a folder the app may read data from and keep its review database in, besides the "
                        "working folder and the settings file's folder (repeatable)")
    p.set_defaults(func=cmd_app)

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

    from qa.cli import add_qa_parser

    add_qa_parser(sub)

    from carebench.staffing_cli import add_staffing_parsers

    add_staffing_parsers(sub)

    from batch.cli import add_batch_parser

    add_batch_parser(sub)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--experiment", action="store_true", help="of experiment files (carebench batch) instead")
    p.set_defaults(func=cmd_schema)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that temporary outputs are removed on the way out."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated


def report_error(exc: object) -> None:
    """Print an expected error: each line prefixed ``carebench:``, user text made printable."""
    for line in str(exc).splitlines() or [type(exc).__name__]:
        print(f"carebench: {printable(line, 2000)}", file=sys.stderr)


def _interrupted(exc: KeyboardInterrupt) -> int:
    """Ctrl-C or SIGTERM: one line; exit 130 or 143, what a shell reports for a process the signal stopped."""
    what = "terminated" if isinstance(exc, Terminated) else "interrupted"
    print(f"carebench: {what}; no partial output was left (earlier results are kept as they were)",
          file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def _interruption_behind(exc: BaseException) -> KeyboardInterrupt | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def main(argv: list[str] | None = None) -> int:
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set handlers (tests call main elsewhere)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        args = build_parser().parse_args(argv)  # inside the try: Ctrl-C while modules load is a clean stop too
        return args.func(args)
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except Exception as exc:
        from carebench_shared.atomic import OutputError
        from sim.loader import ConfigError

        cause = _interruption_behind(exc)
        if cause is not None:  # a library turned Ctrl-C during its import into another error
            return _interrupted(cause)
        if isinstance(exc, (ConfigError, UsageError, OutputError)):
            report_error(exc)
        elif isinstance(exc, OSError):  # the disk or the system said no while writing: one line, no traceback
            report_error(f"{exc.filename}: {exc.strerror or exc}" if exc.filename else exc)
        else:
            raise
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
