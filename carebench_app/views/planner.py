"""Planner what-ifs: a scenario, its main fields in a form, a run with a progress bar, KPIs and plots."""

from __future__ import annotations

import streamlit as st

from carebench_app import planner_service as ps
from carebench_app import ui
from carebench_app.views._scenario_pick import pick_scenario
from sim.loader import ConfigError

PLOTS = {
    "volume_vs_capacity.png": "Volume against staffed capacity",
    "service_level.png": "Service level per interval",
    "backlog.png": "Backlog and age of the oldest open mention",
}


def _form(base, name: str) -> dict | None:
    v = ps.form_values(base)
    k = f"plan_{name}"
    with st.form("scenario_form"):
        c = st.columns(4)
        out = {
            "horizon_days": c[0].number_input("Horizon (days)", value=float(v["horizon_days"]), step=1.0,
                                              key=f"{k}_horizon"),
            "warmup_days": c[1].number_input("Warm-up (days)", value=float(v["warmup_days"]), step=0.5,
                                             key=f"{k}_warmup"),
            "replications": c[2].number_input("Replications", value=int(v["replications"]), step=1,
                                              key=f"{k}_reps"),
            "seed": c[3].number_input("Seed", value=int(v["seed"]), step=1, key=f"{k}_seed"),
        }
        c = st.columns(4)
        out["mentions_per_hour"] = c[0].number_input("Mentions per hour (mean)", value=float(v["mentions_per_hour"]),
                                                     step=5.0, key=f"{k}_volume")
        if "agents" in v:
            out["agents"] = c[1].number_input("Agents (around the clock)", value=int(v["agents"]), step=1,
                                              key=f"{k}_agents")
        out["concurrency"] = c[2].number_input("Concurrency", value=int(v["concurrency"]), step=1, key=f"{k}_conc")
        orders = ps.policy_orders()
        out["order"] = c[3].selectbox("Queue order", orders, index=orders.index(v["order"]), key=f"{k}_order")
        c = st.columns(4)
        out["sla_target_minutes"] = c[0].number_input("SLA target (min)", value=float(v["sla_target_minutes"]),
                                                      step=1.0, key=f"{k}_sla_t")
        out["sla_goal"] = c[1].number_input("SLA goal (share)", value=float(v["sla_goal"]), step=0.05,
                                            key=f"{k}_sla_g")
        if v["patience_mean_minutes"] is not None:
            out["patience_mean_minutes"] = c[2].number_input(
                "Mean patience (min)", value=float(v["patience_mean_minutes"]), step=5.0, key=f"{k}_patience")
        if "roster" in v:
            st.caption("Roster (one row per shift; weekdays as a list such as [mon, tue])")
            out["roster"] = st.data_editor(v["roster"], num_rows="dynamic", key=f"{k}_roster")
        if not st.form_submit_button("Run", type="primary"):
            return None
    return out


def render() -> None:
    st.title("Planner what-ifs")
    picked = pick_scenario("plan")
    if picked is None:
        return
    base, name = picked
    values = _form(base, name)
    if values is not None:
        try:
            sc = ps.apply_form(base, values, source=name)
        except ConfigError as exc:
            st.error(ui.one_line(exc))
            return
        st.session_state["plan_run"] = (sc.model_dump_json(), sc.replications, sc.seed)
    key = st.session_state.get("plan_run")
    if not key:
        st.caption("Edit the fields and press Run.")
        return
    scenario_json, reps, seed = key
    bar = st.progress(0.0, text="Simulating")
    try:
        done = ps.run_scenario(scenario_json, reps, seed, ui.result_cache(),
                               lambda share: bar.progress(share, text=f"Simulating: {share:.0%}"))
    finally:
        bar.empty()
    sc = done.result.scenario
    st.subheader(f"{sc.name}: {reps} replications, 95% confidence intervals")
    st.dataframe(done.kpis, hide_index=True, key="kpi_table",
                 column_config={c: st.column_config.NumberColumn(format="%.4f")
                                for c in ("mean", "95% CI low", "95% CI high")})
    sl = float(done.kpis.set_index("KPI").loc["service level", "mean"])
    verdict = "met" if sl >= sc.sla.goal else "missed"
    st.markdown(f"SLA goal {sc.sla.goal:.0%} within {sc.sla.target_minutes:g} min: **{verdict}** "
                f"(simulated in {done.seconds:.1f} s)")
    for file, title in PLOTS.items():
        if done.image(file):
            st.image(done.image(file), caption=title)
    st.download_button("Download results (zip)", done.zip_bytes, file_name=f"{sc.name}-results.zip",
                       mime="application/zip", key="download_zip")


if __name__ == "__main__":
    render()
