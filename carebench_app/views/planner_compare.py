"""Compare two scenarios side by side: each KPI's difference (B minus A) with its confidence interval.

The comparison is ``sim.compare.compare``, the function behind ``carebench compare``: common random numbers,
paired replications.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from carebench_app import ui
from carebench_app.views._scenario_pick import pick_scenario
from sim.loader import ConfigError, apply_overrides
from sim.scenario import Scenario


def _with_overrides(sc: Scenario, name: str, text: str) -> Scenario:
    """``sc`` with ``key=value`` lines applied exactly as ``--set`` does on the command line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return sc
    from pydantic import ValidationError

    from sim.loader import describe_validation_error

    data = apply_overrides(sc.model_dump(mode="json"), lines, source=f"{name} --set")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, name, None)) from None


def render() -> None:
    st.title("Compare scenarios")
    st.caption("Both run with the same seed (common random numbers): the interval of each difference comes from "
               "paired replications.")
    sides = {}
    for col, side in zip(st.columns(2), ("A", "B"), strict=True):
        with col:
            st.subheader(f"Scenario {side}")
            picked = pick_scenario(f"cmp_{side}", label=f"Scenario {side}")
            text = st.text_area("Overrides, one per line (as `--set`)", key=f"cmp_{side}_set",
                                placeholder="staffing.agents=10")
            if picked is None:
                return
            try:
                sides[side] = _with_overrides(picked[0], picked[1], text)
            except ConfigError as exc:
                st.error(ui.one_line(exc))
                return
    c = st.columns(3)
    reps = int(c[0].number_input("Replications", min_value=2, value=max(int(sides["A"].replications), 2), step=1,
                                 key="cmp_reps"))
    seed = int(c[1].number_input("Seed", value=int(sides["A"].seed), step=1, key="cmp_seed"))
    horizon = c[2].number_input("Horizon for both (days, 0 = as in each file)", min_value=0.0, value=0.0,
                                step=1.0, key="cmp_horizon")
    if not st.button("Compare", type="primary", key="cmp_run"):
        return
    a, b = sides["A"], sides["B"]
    if horizon > 0:
        a, b = (s.model_copy(update={"horizon_days": float(horizon)}) for s in (a, b))
    from sim.budget import run_refusal

    why = run_refusal([a, b], reps)  # the CLI's work limit: an absurd comparison is refused, not run
    if why:
        st.error(why.split(", or raise the limit")[0])
        return
    bar = st.progress(0.0, text="Simulating A and B")
    total = (a.horizon_minutes + b.horizon_minutes) * reps
    done: dict[tuple[str, int], float] = {}

    def progress(label: str, rep: int, minutes: float) -> None:
        done[(label, rep)] = max(minutes, 0.0)
        bar.progress(min(sum(done.values()) / total, 1.0), text=f"Simulating A and B: {label}, replication {rep + 1}")

    def run_comparison() -> tuple[pd.DataFrame, bytes]:
        from sim.compare import compare
        from sim.output import plot_comparison

        comparison = compare(a, b, reps=reps, seed=seed, progress=progress)
        with tempfile.TemporaryDirectory(prefix="carebench-compare-") as tmp:
            png = plot_comparison(comparison, Path(tmp) / "compare.png").read_bytes()
        return comparison.table(), png

    key = ("compare", a.model_dump_json(), b.model_dump_json(), str(reps), str(seed))
    try:
        table, png = ui.result_cache().get_or_compute(key, run_comparison)
    finally:
        bar.empty()
    st.subheader(f"B ({b.name}) minus A ({a.name}): {reps} paired replications, 95% confidence intervals")
    st.dataframe(table.drop(columns=["column"]), hide_index=True, key="cmp_table",
                 column_config={k: st.column_config.NumberColumn(format="%.4f")
                                for k in ("a_mean", "b_mean", "difference", "ci_low", "ci_high")})
    st.image(png, caption="Each KPI's difference B - A with its 95% interval")
    st.download_button("Download the comparison (CSV)", table.to_csv(index=False).encode(), file_name="compare.csv",
                       mime="text/csv", key="cmp_download")


if __name__ == "__main__":
    render()
