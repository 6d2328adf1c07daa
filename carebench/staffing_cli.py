"""``carebench staff`` and ``carebench roster``: the planner's question from the command line.

Argument parsing, progress bars and one-line errors only; the work is in :mod:`sim.planning`.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

__all__ = ["add_staffing_parsers"]


def _usage(message: str):
    from carebench.cli import UsageError

    return UsageError(message)


def _iteration_bar(label: str):
    """A progress bar per iteration on a terminal (simulated days of the replications it runs, with the time left
    for the iteration), silent elsewhere; each finished iteration is summed up in one line."""
    from tqdm import tqdm

    state: dict = {"bar": None, "done": {}}

    def on_iteration(number: int, runs: int, last, days: float) -> None:
        if last is not None:
            print(f"{label}: iteration {number - 1} ({last.phase}): {last.reps} replications ({last.runs} run), "
                  f"{last.changed} intervals moved, {last.below} under the goal ({last.short} significantly), "
                  f"{last.seconds:.0f} s", file=sys.stderr)
        if state["bar"] is not None:
            state["bar"].close()
        state["done"] = {}
        state["bar"] = tqdm(total=round(runs * days, 2), desc=f"iteration {number}: {runs} replications",
                            disable=None, file=sys.stderr, leave=False,
                            bar_format="{desc} {bar}| {n:.0f}/{total:.0f} sim-days [{elapsed}, {remaining} left]")

    def progress(rep: int, minutes: float) -> None:
        bar = state["bar"]
        if bar is not None:
            # a worker's late report may come after the replication's end: never move back
            state["done"][rep] = max(minutes, state["done"].get(rep, 0.0))
            bar.n = min(bar.total, round(sum(state["done"].values()) / 1440.0, 2))
            bar.refresh()

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].close()

    return on_iteration, progress, close


def _jobs(value: int | None) -> int:
    import os

    if value is None:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    from sim.bounds import MAX_JOBS

    if not 1 <= value <= MAX_JOBS:  # each process holds a simulator: thousands exhaust memory
        raise _usage(f"--jobs: must be between 1 and {MAX_JOBS}")
    return value


MAX_SOLVER_SECONDS = 86_400


def _check_counts(args: argparse.Namespace) -> None:
    """--reps, --max-reps and --seed in the ranges ``simulate`` allows: a billion replications ran out of memory
    before any check, and a negative seed failed inside a worker with a traceback."""
    from sim.bounds import MAX_REPLICATIONS, MAX_SEED

    for name in ("reps", "max_reps"):
        value = getattr(args, name, None)
        if value is not None and not 2 <= value <= MAX_REPLICATIONS:
            raise _usage(f"--{name.replace('_', '-')}: must be between 2 and {MAX_REPLICATIONS:,}")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise _usage(f"--seed: must be between 0 and {MAX_SEED}")


def _check_out(out: Path, *inputs: str) -> None:
    """The results folder, checked before the planning (not after minutes of it): never one holding an input,
    which the new results would replace (``roster --out`` the folder of the ``staff`` run it reads)."""
    from carebench_shared.atomic import OutputError, check_output_dir, refuse_inputs_inside

    try:
        check_output_dir(out)
        refuse_inputs_inside(out, *inputs)
    except OutputError as exc:
        raise _usage(str(exc)) from None


def cmd_staff(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import OutputError
    from sim.loader import load_scenario
    from sim.planning.report import requirement_summary, write_requirement
    from sim.planning.requirement import Settings, Target, plan_requirement

    try:
        target = Target.parse(args.target)
    except ValueError as exc:
        raise _usage(f"--target: {exc}") from None
    scenario = load_scenario(args.scenario, args.set)
    _check_counts(args)
    if not 0 < args.precision < 1:
        raise _usage("--precision: a half-width between 0 and 1, such as 0.03")
    if not 0 <= args.indifference < 1:
        raise _usage("--indifference: a share between 0 and 1, such as 0.02")
    first = args.reps if args.reps is not None else 2
    most = args.reps if args.reps is not None else args.max_reps
    try:
        settings = Settings(interval=args.interval, first_reps=first, max_reps=max(first, most),
                            final_min_reps=min(Settings.final_min_reps, max(first, most)), precision=args.precision,
                            indifference=args.indifference, seed=args.seed,
                            jobs=_jobs(args.jobs))
        from sim.planning.grid import WeekGrid

        WeekGrid(args.interval)
    except ValueError as exc:
        raise _usage(f"--interval: {exc}") from None
    out = Path(args.out) if args.out else Path("runs") / f"{scenario.name}-staff"
    _check_out(out, args.scenario)
    on_iteration, progress, close = _iteration_bar(scenario.name)
    days = scenario.horizon_days + scenario.warmup_days
    try:
        req = plan_requirement(scenario, target, settings, progress=progress,
                               on_iteration=lambda n, r, last: on_iteration(n, r, last, days))
    finally:
        close()
    try:
        written = write_requirement(req, out)
    except OutputError as exc:
        raise _usage(str(exc)) from None
    print(requirement_summary(req, out))
    print(f"results in {out}/ ({', '.join(p.name for p in written)})")
    return 0


def cmd_roster(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import OutputError
    from sim.loader import load_model, load_scenario
    from sim.planning.demand import TeamRule
    from sim.planning.report import read_requirement
    from sim.planning.roster import RosterError
    from sim.planning.report import write_roster
    from sim.planning.rostering import plan_rosters
    from carebench_shared.safe_text import printable
    from sim.planning.requirement import Target
    from sim.planning.shifts import ShiftsFile

    scenario = load_scenario(args.scenario, args.set)
    _check_counts(args)
    try:
        target = Target.parse(args.target) if args.target else None
    except ValueError as exc:
        raise _usage(f"--target: {exc}") from None
    try:
        need = read_requirement(args.requirement, TeamRule.of(scenario).names)
        target = target or _target_of(need, args.requirement)
    except ValueError as exc:
        raise _usage(str(exc)) from None
    shifts = load_model(ShiftsFile, args.shifts)
    if args.time_limit is not None and not 0 < args.time_limit <= MAX_SOLVER_SECONDS:  # inf: solve to the end
        raise _usage(f"--time-limit: seconds between 0 and {MAX_SOLVER_SECONDS:,} (a day)")
    if not 0 <= args.gap < 1:  # nan or -1 went to the solver as they were
        raise _usage("--gap: a share from 0 to 1 (not included), such as 0.001")
    limit = {} if args.time_limit is None else {"time_limit": args.time_limit}
    out = Path(args.out) if args.out else Path("runs") / f"{scenario.name}-roster"
    _check_out(out, args.scenario, args.requirement, args.shifts)
    try:
        plan = plan_rosters(scenario, need, shifts, target, gap=args.gap, **limit)
    except RosterError as exc:
        raise _usage(f"{args.shifts}: {exc}") from None
    except ValueError as exc:
        raise _usage(f"{args.requirement}: {exc}") from None
    if not args.no_simulate:
        on_iteration, progress, close = _iteration_bar(scenario.name)
        reps = args.reps or 8
        on_iteration(1, reps, None, scenario.horizon_days + scenario.warmup_days)
        try:
            plan.simulate(reps, args.seed, _jobs(args.jobs), progress)
        finally:
            close()
    command = " ".join(["carebench", "simulate", shlex.quote(args.scenario)]
                       + [f"--set {shlex.quote(s)}" for s in args.set]
                       + [f"--set \"staffing=$(cat {shlex.quote(str(out / 'roster.yaml'))})\""])
    try:
        written = write_roster(plan, out, command)
    except OutputError as exc:
        raise _usage(str(exc)) from None
    print(plan.summary(out, command))
    print(f"results in {out}/ ({', '.join(p.name for p in written)})")
    return 0


def _target_of(need, path) -> object:
    from carebench_shared.safe_text import printable
    from sim.planning.requirement import Target

    if {"target_goal", "target_minutes"} <= set(need.columns) and len(need):
        goal, minutes = need["target_goal"].iloc[0], need["target_minutes"].iloc[0]
        text = need["target_goal"].astype(str) + "@" + need["target_minutes"].astype(str)
        other = text.ne(text.iloc[0]).to_numpy().nonzero()[0]
        if len(other):  # staff writes one target on every row: which of two was meant? (a nan below the first)
            i = int(other[0])
            raise ValueError(f"{printable(path)}:{i + 2}: target_goal {printable(need['target_goal'].iloc[i], 40)!r}, "
                             f"target_minutes {printable(need['target_minutes'].iloc[i], 40)!r} differ from line 2's "
                             f"({printable(goal, 40)}, {printable(minutes, 40)}): a requirement has one target")
        try:
            return Target(float(goal), float(minutes))
        except (TypeError, ValueError) as exc:  # a hand-edited file: "high", nan, 1e308
            why = exc if isinstance(exc, ValueError) and "goal must" in str(exc) else "not numbers"
            raise ValueError(f"{printable(path)}:2: target_goal {printable(goal, 40)!r}, target_minutes "
                             f"{printable(minutes, 40)!r}: {why}") from None
    raise ValueError(f"{path}: no target columns; give --target GOAL@MINUTES")


def add_staffing_parsers(sub) -> None:
    """Register ``staff`` and ``roster`` on the ``carebench`` subcommand parser."""
    p = sub.add_parser("staff", help="the fewest agents per interval for a service-level target (Erlang A, then "
                                     "refined by simulation)")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--target", required=True, metavar="GOAL@MINUTES",
                   help="service level of the posts arriving in each interval, e.g. 0.8@60 (80%% within 60 min)")
    p.add_argument("--interval", type=int, default=30, help="planning interval in minutes, dividing a day (30)")
    p.add_argument("--out", help="output folder (default: runs/<scenario name>-staff)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a scenario field")
    p.add_argument("--seed", type=int, help="base seed (default: the scenario's)")
    p.add_argument("--precision", type=float, default=0.03,
                   help="wanted 95%% half-width of the service level in busy intervals (0.03); an interval "
                        "short of the goal by less than its half-width and this meets it with that confidence")
    p.add_argument("--indifference", type=float, default=0.02,
                   help="an interval this close to the goal is not moved, whatever its half-width (0.02; at most "
                        "the precision)")
    p.add_argument("--max-reps", type=int, default=32, help="replications per iteration at most (32)")
    p.add_argument("--reps", type=int, help="fixed replications per iteration instead of the adaptive schedule")
    p.add_argument("--jobs", type=int, help="worker processes (default: the CPUs this process may use)")
    p.set_defaults(func=cmd_staff)

    p = sub.add_parser("roster", help="a weekly roster of allowed shifts covering a requirement at least paid "
                                      "hours (integer program), then simulated")
    p.add_argument("scenario", help="scenario YAML file (the one the requirement is for)")
    p.add_argument("--requirement", required=True, help="requirement.csv written by carebench staff")
    p.add_argument("--shifts", required=True, help="shifts.yaml: the shifts the roster may use")
    p.add_argument("--out", help="output folder (default: runs/<scenario name>-roster)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a scenario field")
    p.add_argument("--target", metavar="GOAL@MINUTES", help="default: the target in requirement.csv")
    p.add_argument("--time-limit", type=float, help="solver seconds per team at most (20)")
    p.add_argument("--gap", type=float, default=0.001,
                   help="stop when the roster's paid hours are proven within this share of the optimum (0.001)")
    p.add_argument("--reps", type=int, help="replications of the roster's simulation (8)")
    p.add_argument("--seed", type=int, help="base seed (default: the scenario's)")
    p.add_argument("--jobs", type=int, help="worker processes (default: the CPUs this process may use)")
    p.add_argument("--no-simulate", action="store_true", help="skip simulating the roster")
    p.set_defaults(func=cmd_roster)
