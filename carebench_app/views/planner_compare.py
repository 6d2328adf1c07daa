"""Compare two scenarios side by side: each KPI's difference (B minus A) with its confidence interval.

The comparison is ``sim.compare.compare``, the function behind ``carebench compare``: common random numbers,
paired replications, and its own intervals. The inputs and the last comparison live in the session and the
URL, so a download, another page or a refresh keeps the results, shown only while they match the inputs.
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import streamlit as st

from carebench_app import charts, ui
from carebench_app import planner_service as ps
from carebench_app.views._scenario_pick import pick_scenario
from sim.intervals import few_replications_warning
from sim.loader import ConfigError, apply_overrides
from sim.scenario import Scenario

UNITS = {"proportion": "share", "time": "minutes", "count": "count", "amount": "amount", "other": "value"}


def _with_overrides(sc: Scenario, name: str, lines: list[str]) -> Scenario:
    """``sc`` with ``key=value`` lines applied exactly as ``--set`` does on the command line."""
    if not lines:
        return sc
    from pydantic import ValidationError

    from sim.loader import describe_validation_error

    data = apply_overrides(sc.model_dump(mode="json"), lines, source=f"{name} --set")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, name, None)) from None


def _side(side: str) -> tuple[Scenario, str] | None:
    st.subheader(f"Scenario {side}")
    picked = pick_scenario(f"cmp_{side}", label=f"Scenario {side}")
    text = st.text_area("Overrides, one per line (as `--set`)", key=f"cmp_{side}_set", persist_state="session",
                        placeholder="staffing.agents=10")
    if picked is None:
        return None
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    try:
        sc = _with_overrides(picked[0], picked[1], lines)
    except ConfigError as exc:
        st.error(ui.one_line(exc))
        return None
    return sc, picked[1].removesuffix(".yaml").removesuffix(".yml") + (f" with {', '.join(lines)}" if lines else "")


def _fmt(x: float, kind: str, diff: bool = False) -> str:
    if x is None or math.isnan(x):
        return "-"
    sign = "+" if diff and x > 0 else ""
    if kind == "proportion":
        return f"{sign}{100 * x:.1f} pp" if diff else f"{x:.1%}"
    return f"{sign}{x:,.0f}" if kind == "count" else f"{sign}{x:,.2f}"


def _display(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in table.to_dict("records"):
        k = r["kind"]
        interval = "-" if math.isnan(r["ci_low"]) else f"{_fmt(r['ci_low'], k, True)} to {_fmt(r['ci_high'], k, True)}"
        rows.append({"KPI": r["kpi"], "A": _fmt(r["a_mean"], k), "B": _fmt(r["b_mean"], k),
                     "B - A": _fmt(r["difference"], k, True), "95% interval of B - A": interval,
                     "excludes 0": bool(r["significant"])})
    return pd.DataFrame(rows)


def _run(a: Scenario, b: Scenario, reps: int, seed: int) -> pd.DataFrame:
    bar = st.progress(0.0, text="Simulating A and B")
    total = (a.horizon_minutes + b.horizon_minutes) * reps
    done: dict[tuple[str, int], float] = {}

    def progress(label: str, rep: int, minutes: float) -> None:
        done[(label, rep)] = max(minutes, 0.0)
        bar.progress(min(sum(done.values()) / total, 1.0), text=f"Simulating A and B: {label}, replication {rep + 1}")

    def run_comparison() -> pd.DataFrame:
        from sim.compare import compare

        comparison = compare(a, b, reps=reps, seed=seed, progress=progress)
        table = comparison.table()
        summary = comparison.a.summary
        table["kind"] = [ps.kpi_kind(c, summary[c] if c in summary.columns else None) for c in table["column"]]
        return table

    key = ("compare", a.model_dump_json(), b.model_dump_json(), str(reps), str(seed))
    try:
        return ui.result_cache().get_or_compute(key, run_comparison)
    finally:
        bar.empty()


def render() -> None:
    st.title("Compare scenarios")
    st.caption("Both run with the same seed (common random numbers): the interval of each difference comes from "
               "paired replications.")
    sides = {}
    for col, side in zip(st.columns(2), ("A", "B"), strict=True):
        with col:
            sides[side] = _side(side)
    if sides["A"] is None or sides["B"] is None:
        return
    (a, a_name), (b, b_name) = sides["A"], sides["B"]
    c = st.columns(3)
    reps = int(c[0].number_input("Replications", min_value=2, step=1, key="cmp_reps", persist_state="session",
                                 **ui.initial("cmp_reps", max(int(a.replications), 2))))
    seed = int(c[1].number_input("Seed", step=1, key="cmp_seed", persist_state="session",
                                 **ui.initial("cmp_seed", int(a.seed))))
    horizon = c[2].number_input("Horizon for both (days, 0 = as in each file)", min_value=0.0, step=1.0,
                                key="cmp_horizon", persist_state="session", **ui.initial("cmp_horizon", 0.0))
    if horizon > 0:
        a, b = (s.model_copy(update={"horizon_days": float(horizon)}) for s in (a, b))
    key = hashlib.sha256(f"{a.model_dump_json()}|{b.model_dump_json()}|{reps}|{seed}".encode()).hexdigest()[:16]
    if st.button("Compare", type="primary", key="do_compare"):
        st.session_state["cmp_done"] = key
    if st.session_state.get("cmp_done") != key:
        st.caption("The inputs differ from the last comparison: press Compare." if st.session_state.get("cmp_done")
                   else "Choose the two scenarios and press Compare.")
        return
    from sim.budget import run_refusal

    why = run_refusal([a, b], reps)  # the CLI's work limit: an absurd comparison is refused, not run
    if why:
        st.error(why.split(", or raise the limit")[0])  # the flag that raises it is the CLI's
        return
    table = _run(a, b, reps, seed)
    st.subheader(f"B ({b_name}) minus A ({a_name}): {reps} paired replications, 95% confidence intervals")
    warning = few_replications_warning(reps)
    if warning:
        st.caption(warning[:1].upper() + warning[1:] + ".")
    st.dataframe(_display(table), hide_index=True, key="cmp_table")
    for kind in ("proportion", "time", "count"):
        part = table[(table["kind"] == kind) & ~table["column"].isin(["rep", "seed"])]
        if len(part):
            st.markdown(f"**Differences in {UNITS[kind]}** (B - A, 95% interval)")
            st.altair_chart(charts.differences(part, UNITS[kind]), key=f"cmp_chart_{kind}")
    st.download_button("Download the comparison (CSV)", table.drop(columns=["kind"]).to_csv(index=False).encode(),
                       file_name="compare.csv", mime="text/csv", key="cmp_download", on_click="ignore")


if __name__ == "__main__":
    ui.run_page(render)
