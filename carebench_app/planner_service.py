"""What the planner pages need around :func:`sim.results.run`: scenarios in, cached runs, files out.

The form edits a plain copy of the scenario's data and validates it with the same pydantic models and the same
message formatting as ``carebench simulate``, so a planner sees exactly the CLI's one-line errors; the roster
is validated row by row first, so each message names its row. Runs are cached on ``model_dump_json()`` plus
replications and seed (strings), and their files are written by :func:`sim.output.write_results`, the CLI's
own writer. Intervals come from the run's own KPI table (the CLI's), never from a formula here; this module
only formats them (counts as whole numbers, shares as percentages) and says whether the SLA goal was met.
"""

from __future__ import annotations

import io
import math
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
from sim.scenario import Policy, Scenario, Shift

from .cache import StringCache

__all__ = ["PlannerRun", "list_scenarios", "load_uploaded", "form_values", "apply_form", "run_scenario",
           "kpi_frame", "policy_orders", "roster_rows", "mean_handle", "kpi_kind", "display_kpis", "sla_verdict",
           "run_key", "roster_records", "ROSTER_COLUMNS"]

ROSTER_COLUMNS = ["name", "weekdays", "start", "end", "agents", "concurrency"]


def list_scenarios(folder: str | Path) -> list[Path]:
    """Scenario files in ``folder``, by name."""
    folder = Path(folder).expanduser()
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_uploaded(name: str, data: bytes) -> Scenario:
    """A scenario from uploaded bytes, with the CLI's messages naming the upload rather than a temp path. The
    browser's name is the client's to choose: made safe first ('', '..', a NUL or 300 characters could not be
    written as a file in the temporary folder)."""
    from .uploads import safe_upload_name

    shown = safe_upload_name(name)
    with tempfile.TemporaryDirectory(prefix="carebench-upload-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(data)
        try:
            return load_scenario(path)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(path), shown)) from None


def policy_orders() -> list[str]:
    """Queue disciplines the model accepts, read from the model so the form never offers an invalid one."""
    return list(get_args(Policy.model_fields["order"].annotation)) or ["fifo"]


def mean_handle(sc: Scenario) -> float:
    """Volume-weighted mean handle time over channels (minutes), as the CLI's plots compute it."""
    from sim.output import _mean_handle

    return float(_mean_handle(sc))


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
        "handle_minutes": round(mean_handle(sc), 4),
        "shrinkage": sc.staffing.shrinkage,
    }
    if sc.staffing.teams:
        pass  # skilled teams are edited in the scenario file; the form leaves them as they are
    elif sc.staffing.roster is None:
        values["agents"] = sc.staffing.agents
    else:
        values["roster"] = [s.model_dump(mode="json") for s in sc.staffing.roster]
    return values


def _plain(v: Any) -> Any:
    """Numbers from widgets and data editors as the plain Python types the strict models expect."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, str)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    return v


def _blank(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float) and v != v:
        return True
    if isinstance(v, str) and not v.strip():
        return True
    return isinstance(v, (list, tuple)) and not v


def roster_rows(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The roster's rows validated one by one: (the valid shifts as data, one message per bad row).

    Rows left completely blank (the editor's empty last row) are skipped; a message names the row by its
    number and its shift name, and the field, e.g. ``row 3 (night): end: '25:00' is not a time of day``.
    """
    shifts, errors = [], []
    for i, rec in enumerate(records, start=1):
        row = {k: _plain(v) for k, v in rec.items() if k in ROSTER_COLUMNS and not _blank(v)}
        if not row:
            continue
        if "weekdays" in row:
            days = row["weekdays"]
            days = [d.strip() for d in days.split(",")] if isinstance(days, str) else list(days)
            row["weekdays"] = [str(d).strip().lower() for d in days if str(d).strip()]
        for key in ("agents", "concurrency"):
            if isinstance(row.get(key), float) and row[key].is_integer():
                row[key] = int(row[key])
        name = row.get("name") or "unnamed"
        try:
            shifts.append(Shift.model_validate(row).model_dump(mode="json"))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                field = ".".join(str(p) for p in err["loc"]) or "shift"
                msg = "missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
                errors.append(f"row {i} ({name}): {field}: {msg}")
    return shifts, errors


def roster_records(edited: Any) -> list[dict[str, Any]]:
    """The data editor's roster as plain rows (lists of weekdays, Python numbers, no missing markers)."""
    records = edited.to_dict("records") if isinstance(edited, pd.DataFrame) else list(edited)
    rows = []
    for r in records:
        row = {}
        for c in ROSTER_COLUMNS:
            v = r.get(c)
            if c == "weekdays" and v is not None and not isinstance(v, str) and hasattr(v, "__iter__"):
                v = [str(d) for d in v]
            row[c] = None if _blank(v) else _plain(v)
        rows.append(row)
    return rows


def _scale_handle(data: dict[str, Any], factor: float) -> None:
    """Every handle-time distribution of ``data`` stretched by ``factor`` (its shape kept: means, standard
    deviations and values scale; shapes and weights do not)."""
    def scale(dist: dict[str, Any] | None) -> None:
        if not isinstance(dist, dict):
            return
        for k in ("mean", "sd", "value"):
            if isinstance(dist.get(k), (int, float)):
                dist[k] = float(dist[k]) * factor
        if isinstance(dist.get("values"), list):
            dist["values"] = [float(v) * factor for v in dist["values"]]

    scale(data.get("handling", {}).get("handle_minutes"))
    for part in ("channels", "intents"):
        for item in data.get(part) or []:
            scale(item.get("handle_minutes"))


_PATHS = (("horizon_days", ("horizon_days",)), ("warmup_days", ("warmup_days",)),
          ("replications", ("replications",)), ("seed", ("seed",)),
          ("mentions_per_hour", ("volume", "mentions_per_hour")), ("concurrency", ("staffing", "concurrency")),
          ("sla_target_minutes", ("sla", "target_minutes")), ("sla_goal", ("sla", "goal")),
          ("order", ("policy", "order")), ("agents", ("staffing", "agents")),
          ("shrinkage", ("staffing", "shrinkage")))


def apply_form(base: Scenario, values: dict[str, Any], source: str = "form") -> Scenario:
    """``base`` with the form's ``values``, validated by the scenario models; errors as :class:`ConfigError`
    (a bad roster row: one message per row, joined)."""
    data = base.model_dump(mode="json", exclude_defaults=False)
    for key, path in _PATHS:
        if key in values and values[key] is not None:
            target = data
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = _plain(values[key])
    if values.get("roster") is not None:
        roster = values["roster"]
        records = roster.to_dict("records") if isinstance(roster, pd.DataFrame) else list(roster)
        shifts, errors = roster_rows(records)
        if errors:
            raise ConfigError(f"{source}: roster: " + "; ".join(errors))
        data["staffing"]["roster"] = shifts
        data["staffing"].pop("agents", None)
    mean = values.get("patience_mean_minutes")
    if mean is not None and data.get("customers", {}).get("patience_minutes"):
        data["customers"]["patience_minutes"]["mean"] = _plain(mean)
    handle = values.get("handle_minutes")
    if handle is not None:
        current = mean_handle(base)
        if not (isinstance(handle, (int, float)) and handle > 0 and math.isfinite(handle)):
            raise ConfigError(f"{source}: handle time: must be a positive number of minutes, got {handle!r}")
        if abs(handle - current) > 1e-9 * max(current, 1.0):
            _scale_handle(data, float(handle) / current)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, source, None)) from None
    from sim.budget import run_refusal

    why = run_refusal([sc], sc.replications)  # the CLI's work limit: an absurd what-if is refused, not run
    if why:
        raise ConfigError(f"{source}: {why.split(', or raise the limit')[0]}")  # the flag is the CLI's
    return sc


def run_key(sc: Scenario, reps: int, seed: int) -> str:
    """A short digest naming one run (what the URL keeps, so results always belong to the form shown)."""
    import hashlib

    return hashlib.sha256(f"{sc.model_dump_json()}|{reps}|{seed}".encode()).hexdigest()[:16]


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


def kpi_kind(column: str, values: pd.Series | None = None) -> str:
    """proportion, count, time, amount or other: the simulator's own declaration when it has one
    (``sim.intervals``), else read from the column (whole numbers per replication are counts)."""
    try:
        from sim.intervals import kind_of  # type: ignore[import-not-found]

        kind = kind_of(column)
        if kind != "other":
            return kind
    except ImportError:
        pass
    if values is not None and pd.api.types.is_integer_dtype(values):
        return "count"
    if column.endswith(("_minutes", "_hours")):
        return "time"
    if values is not None and len(values.dropna()) and values.dropna().between(0, 1).all() and (
            column.endswith(("rate", "level", "share", "occupancy")) or column.startswith(("p_", "social_share"))):
        return "proportion"
    return "other"


def kpi_frame(result: RunResult) -> pd.DataFrame:
    """The run's KPI table (``RunResult.kpi_table``, the CLI's) with its 95% interval as low/high columns and
    each KPI's kind. The interval is the table's own (``sim.intervals``), never recomputed here."""
    t = result.kpi_table()
    summary = result.summary
    return pd.DataFrame({
        "KPI": t["kpi"], "column": t["column"],
        "kind": [kpi_kind(c, summary[c] if c in summary.columns else None) for c in t["column"]],
        "mean": t["mean"],
        "95% CI low": t["ci_low"],  # sim.intervals: inside the KPI's range, not always symmetric
        "95% CI high": t["ci_high"],
    })


def _fmt(x: float, kind: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if kind == "count":
        return f"{x:,.0f}"
    if kind == "proportion":
        return f"{x:.1%}"
    return f"{x:,.2f}"


def display_kpis(kpis: pd.DataFrame, replications: int) -> pd.DataFrame:
    """The KPI table as the page shows it: counts as whole numbers, shares as percentages, and the interval
    in words when there is none ("not enough replications" with one)."""
    rows = []
    for r in kpis.to_dict("records"):
        low, high, kind = r["95% CI low"], r["95% CI high"], r["kind"]
        if replications < 2:
            interval = "not enough replications (needs 2)"
        elif math.isnan(low) or math.isnan(high):
            interval = "-"
        else:
            interval = f"{_fmt(low, kind)} to {_fmt(high, kind)}"
        rows.append({"KPI": r["KPI"], "mean": _fmt(r["mean"], kind), "95% interval": interval})
    return pd.DataFrame(rows, columns=["KPI", "mean", "95% interval"])


def sla_verdict(kpis: pd.DataFrame, goal: float, replications: int) -> tuple[str, str]:
    """("met" | "missed" | "not clear" | "not enough replications", a sentence): met only when the whole
    95% interval of the service level is at or above the goal, missed only when it is all below."""
    row = kpis.set_index("column").loc["service_level"]
    mean, low, high = float(row["mean"]), float(row["95% CI low"]), float(row["95% CI high"])
    if replications < 2 or math.isnan(low) or math.isnan(high):
        return ("not enough replications",
                f"one replication gave {mean:.1%}; run at least 2 replications to tell whether the goal is met")
    interval = f"95% interval {low:.1%} to {high:.1%}"
    if low >= goal:
        return "met", f"{interval}, all at or above the goal"
    if high < goal:
        return "missed", f"{interval}, all below the goal"
    return "not clear", f"the {interval} contains the goal: run more replications to tell"


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
