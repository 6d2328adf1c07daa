"""What the planner page needs around :func:`sim.results.run`: scenarios in, cached runs, files out.

The form edits a plain copy of the scenario's data and validates it with the same pydantic models and the same
message formatting as ``carebench simulate``, so a planner sees exactly the CLI's one-line errors. Runs are
cached on ``model_dump_json()`` plus replications and seed (strings), and their files are written by
:func:`sim.output.write_results`, the CLI's own writer.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import pandas as pd
from pydantic import ValidationError

from sim.loader import ConfigError, describe_validation_error, load_scenario
from sim.results import RunResult, run
from sim.scenario import Policy, Scenario

from .cache import StringCache

__all__ = ["PlannerRun", "list_scenarios", "load_uploaded", "form_values", "apply_form", "run_scenario",
           "kpi_frame", "policy_orders"]


def list_scenarios(folder: str | Path) -> list[Path]:
    """Scenario files in ``folder``, by name."""
    folder = Path(folder).expanduser()
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_uploaded(name: str, data: bytes) -> Scenario:
    """A scenario from uploaded bytes, with the CLI's messages naming the upload rather than a temp path."""
    with tempfile.TemporaryDirectory(prefix="carebench-upload-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        try:
            return load_scenario(path)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(path), Path(name).name)) from None


def policy_orders() -> list[str]:
    """Queue disciplines the model accepts, read from the model so the form never offers an invalid one."""
    return list(get_args(Policy.model_fields["order"].annotation)) or ["fifo"]


def form_values(sc: Scenario) -> dict[str, Any]:
    """The main fields of a scenario, as the form shows them."""
    values: dict[str, Any] = {
        "horizon_days": sc.horizon_days,
        "warmup_days": sc.warmup_days,
        "replications": sc.replications,
        "seed": sc.seed,
        "mentions_per_hour": sc.volume.mentions_per_hour,
        "concurrency": sc.staffing.concurrency,
        "sla_target_minutes": sc.sla.target_minutes,
        "sla_goal": sc.sla.goal,
        "patience_mean_minutes": sc.customers.patience_minutes.mean if sc.customers.patience_minutes else None,
        "order": sc.policy.order,
    }
    if sc.staffing.roster is None:
        values["agents"] = sc.staffing.agents
    else:
        values["roster"] = pd.DataFrame([s.model_dump(mode="json") for s in sc.staffing.roster])
    return values


def _plain(v: Any) -> Any:
    """Numbers from widgets and data editors as the plain Python types the strict models expect."""
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return v
    return v


def apply_form(base: Scenario, values: dict[str, Any], source: str = "form") -> Scenario:
    """``base`` with the form's ``values``, validated by the scenario models; errors as :class:`ConfigError`."""
    data = base.model_dump(mode="json", exclude_defaults=False)
    for key, path in (("horizon_days", ("horizon_days",)), ("warmup_days", ("warmup_days",)),
                      ("replications", ("replications",)), ("seed", ("seed",)),
                      ("mentions_per_hour", ("volume", "mentions_per_hour")),
                      ("concurrency", ("staffing", "concurrency")),
                      ("sla_target_minutes", ("sla", "target_minutes")), ("sla_goal", ("sla", "goal")),
                      ("order", ("policy", "order")), ("agents", ("staffing", "agents"))):
        if key in values:
            target = data
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = _plain(values[key])
    if "roster" in values and values["roster"] is not None:
        roster = values["roster"]
        records = roster.to_dict("records") if isinstance(roster, pd.DataFrame) else list(roster)
        data["staffing"]["roster"] = [
            {k: _plain(v) for k, v in r.items() if not (isinstance(v, float) and v != v)} for r in records
        ]
        data["staffing"].pop("agents", None)
    mean = values.get("patience_mean_minutes")
    if mean is not None and data.get("customers", {}).get("patience_minutes"):
        data["customers"]["patience_minutes"]["mean"] = _plain(mean)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, source, None)) from None
    from sim.budget import run_refusal

    why = run_refusal([sc], sc.replications)  # the CLI's work limit: an absurd what-if is refused, not run
    if why:
        raise ConfigError(f"{source}: {why.split(', or raise the limit')[0]}")  # the flag is the CLI's
    return sc


@dataclass
class PlannerRun:
    """One cached run: the result, its KPI table and the files the CLI would write (name -> bytes)."""

    result: RunResult
    kpis: pd.DataFrame
    files: dict[str, bytes] = field(default_factory=dict)
    zip_bytes: bytes = b""
    seconds: float = 0.0

    def image(self, name: str) -> bytes | None:
        return self.files.get(name)


def kpi_frame(result: RunResult) -> pd.DataFrame:
    """The KPI table with its 95% interval as low/high columns, as the page shows it."""
    t = result.kpi_table()
    return pd.DataFrame({
        "KPI": t["kpi"],
        "mean": t["mean"],
        "95% CI low": t["ci_low"],  # sim.intervals: inside the KPI's range, not always symmetric
        "95% CI high": t["ci_high"],
    })


def run_scenario(
    scenario_json: str,
    reps: int,
    seed: int,
    cache: StringCache,
    progress: Callable[[float], None] | None = None,
) -> PlannerRun:
    """Run the scenario given as JSON (the cache key) and write its files in memory; cached."""
    from sim.output import write_results

    def compute() -> PlannerRun:
        sc = Scenario.model_validate_json(scenario_json)
        t0 = time.perf_counter()
        total = sc.horizon_minutes * reps
        done = [0.0] * reps

        def on_progress(rep: int, minutes: float) -> None:
            done[rep] = max(minutes, 0.0)
            if progress:
                progress(min(sum(done) / total, 1.0))

        result = run(sc, reps=reps, seed=seed, progress=on_progress)
        seconds = time.perf_counter() - t0
        with tempfile.TemporaryDirectory(prefix="carebench-run-") as tmp:
            paths = write_results(result, Path(tmp))
            files = {p.name: p.read_bytes() for p in paths}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in files.items():
                zf.writestr(f"{sc.name}/{name}", data)
        return PlannerRun(result, kpi_frame(result), files, buf.getvalue(), seconds)

    return cache.get_or_compute(("sim", scenario_json, str(reps), str(seed)), compute)
