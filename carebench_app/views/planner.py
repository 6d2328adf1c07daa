"""Planner what-ifs: a scenario, its main fields in a form (with help text), a run with a progress bar, the
KPIs with the CLI's intervals, and interactive charts over weekdays and hours.

The form's values and the last run live in the session and the URL: going to another page and back, a
download or a refresh keeps both, and results are shown only while they belong to the form on screen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import charts, ui
from carebench_app import planner_service as ps
from carebench_app.views._scenario_pick import pick_scenario
from sim.intervals import few_replications_warning
from sim.loader import ConfigError
from sim.scenario import WEEKDAYS

HELP = {
    "horizon": "Days measured (may be fractional). The measured window starts on a Monday at 00:00.",
    "warmup": "Days simulated before the window and not measured, so the queue is not empty at the start.",
    "reps": "Independent runs with different random draws. Intervals need at least 2; 5 or more are steadier.",
    "seed": "Same seed, same results: change it to see other random draws.",
    "volume": "Mean mentions arriving per hour over the week (the scenario's daily and weekly profile shape it).",
    "agents": "Agents on duty around the clock (a roster replaces this with shifts).",
    "concurrency": "Conversations an agent works at once.",
    "order": "Which waiting mention an agent takes next.",
    "handle": "Mean minutes an agent spends on a mention, over channels weighted by volume. Changing it stretches "
              "every handle-time distribution of the scenario by the same factor (shapes kept).",
    "shrinkage": "Share of paid time agents are not available for mentions (breaks, training, meetings): 0.3 "
                 "means 70% of rostered time answers customers.",
    "sla_t": "Minutes within which a mention should get its first reply.",
    "sla_g": "Share of mentions that should be answered within the target (0.8 = 80%).",
    "patience": "Mean minutes a customer waits for a reply before giving up.",
}


def _num(where, label: str, key: str, default, help_key: str, **kw):
    """A number input whose value survives navigation; the scenario's value only until the user sets one."""
    return where.number_input(label, key=key, help=HELP[help_key], persist_state="session",
                              **ui.initial(key, default), **kw)


def _roster_editor(name: str, rows: list[dict]) -> object:
    version = st.session_state.get(f"roster_version_{name}", 0)
    st.caption("Roster: one row per shift. Leave a row empty to ignore it; each bad row is named below.")
    return st.data_editor(
        pd.DataFrame(rows, columns=ps.ROSTER_COLUMNS), num_rows="dynamic", hide_index=True,
        key=f"roster_{name}_{version}", column_order=ps.ROSTER_COLUMNS,
        column_config={
            "name": st.column_config.TextColumn("shift", required=True),
            "weekdays": st.column_config.MultiselectColumn("weekdays", options=list(WEEKDAYS)),
            "start": st.column_config.TextColumn("start", help="HH:MM, 00:00 to 24:00"),
            "end": st.column_config.TextColumn("end", help="HH:MM; before the start runs past midnight"),
            "agents": st.column_config.NumberColumn("agents", min_value=0, step=1, format="%d"),
            "concurrency": st.column_config.NumberColumn("concurrency", min_value=1, step=1, format="%d"),
        })


def _form(base, name: str) -> tuple[dict, bool, object]:
    v = ps.form_values(base)
    k = f"plan_{name}"
    edited = None
    with st.form("scenario_form"):
        c = st.columns(4)
        out = {"horizon_days": _num(c[0], "Horizon (days)", f"{k}_horizon", float(v["horizon_days"]), "horizon",
                                    step=1.0, min_value=0.01),
               "warmup_days": _num(c[1], "Warm-up (days)", f"{k}_warmup", float(v["warmup_days"]), "warmup",
                                   step=0.5, min_value=0.0),
               "replications": _num(c[2], "Replications", f"{k}_reps", int(v["replications"]), "reps", step=1,
                                    min_value=1),
               "seed": _num(c[3], "Seed", f"{k}_seed", int(v["seed"]), "seed", step=1)}
        c = st.columns(4)
        out["mentions_per_hour"] = _num(c[0], "Mentions per hour (mean)", f"{k}_volume",
                                        float(v["mentions_per_hour"]), "volume", step=5.0, min_value=0.0)
        if "agents" in v:
            out["agents"] = _num(c[1], "Agents (around the clock)", f"{k}_agents", int(v["agents"]), "agents",
                                 step=1)
        out["concurrency"] = _num(c[2], "Concurrency", f"{k}_conc", int(v["concurrency"]), "concurrency", step=1)
        orders = ps.policy_orders()
        out["order"] = c[3].selectbox("Queue order", orders, key=f"{k}_order", help=HELP["order"],
                                      persist_state="session", **ui.initial(f"{k}_order", orders.index(v["order"]),
                                                                            "index"))
        c = st.columns(5)
        out["handle_minutes"] = _num(c[0], "Mean handle time (min)", f"{k}_handle", float(v["handle_minutes"]),
                                     "handle", step=0.5, min_value=0.01)
        out["shrinkage"] = _num(c[1], "Shrinkage (share)", f"{k}_shrink", float(v["shrinkage"]), "shrinkage",
                                step=0.05, min_value=0.0, max_value=0.95)
        out["sla_target_minutes"] = _num(c[2], "SLA target (min)", f"{k}_sla_t", float(v["sla_target_minutes"]),
                                         "sla_t", step=1.0)
        out["sla_goal"] = _num(c[3], "SLA goal (share)", f"{k}_sla_g", float(v["sla_goal"]), "sla_g", step=0.05,
                               min_value=0.01, max_value=1.0)
        if v["patience_mean_minutes"] is not None:
            out["patience_mean_minutes"] = _num(c[4], "Mean patience (min)", f"{k}_patience",
                                                float(v["patience_mean_minutes"]), "patience", step=5.0)
        if "roster" in v:
            edited = _roster_editor(name, st.session_state.get(f"{k}_roster") or v["roster"])
        submitted = st.form_submit_button("Run", type="primary")
    if "roster" in v:
        out["roster"] = st.session_state.get(f"{k}_roster") or v["roster"]
    return out, submitted, edited


def _keep_roster(name: str, edited) -> list[dict]:
    """The edited roster as plain rows, kept in the session (and URL); the editor restarts from them."""
    rows = ps.roster_records(edited)
    st.session_state[f"plan_{name}_roster"] = rows
    st.session_state[f"roster_version_{name}"] = st.session_state.get(f"roster_version_{name}", 0) + 1
    return rows


def _results(sc, reps: int, seed: int) -> None:
    bar = st.progress(0.0, text="Simulating")
    try:
        done = ps.run_scenario(sc.model_dump_json(), reps, seed, ui.result_cache(),
                               lambda share: bar.progress(share, text=f"Simulating: {share:.0%}"))
    finally:
        bar.empty()
    st.subheader(f"{sc.name}: {reps} replication{'s' if reps != 1 else ''}, 95% confidence intervals")
    warning = few_replications_warning(reps)  # the CLI's own wording
    if warning:
        st.warning(warning[:1].upper() + warning[1:] + ".")
    st.dataframe(ps.display_kpis(done.kpis, reps), hide_index=True, key="kpi_table")
    word, sentence = ps.sla_verdict(done.kpis, sc.sla.goal, reps)
    st.markdown(f"SLA goal {sc.sla.goal:.0%} within {sc.sla.target_minutes:g} min: **{word}** ({sentence}; "
                f"simulated in {done.seconds:.1f} s)")
    hours = done.result.hours
    st.subheader("Volume against staffed capacity")
    st.altair_chart(charts.volume_capacity(hours, ps.mean_handle(sc)), key="chart_volume")
    st.subheader("Service level per hour")
    st.altair_chart(charts.service_level(hours, sc.sla.goal, sc.sla.target_minutes), key="chart_sla")
    st.subheader("Backlog and the oldest open mention")
    st.altair_chart(charts.backlog(hours), key="chart_backlog")
    st.caption("Means over the replications, per hour of the measured window. Drag to pan, scroll to zoom, "
               "hover for values.")
    st.download_button("Download results (zip)", done.zip_bytes, file_name=f"{sc.name}-results.zip",
                       mime="application/zip", key="download_zip", on_click="ignore")


def render() -> None:
    st.title("Planner what-ifs")
    picked = pick_scenario("plan")
    if picked is None:
        return
    base, name = picked
    values, submitted, edited = _form(base, name)
    if submitted and edited is not None:
        values["roster"] = _keep_roster(name, edited)
    if values.get("roster") is not None:
        _, errors = ps.roster_rows(values["roster"])
        if errors:
            st.error("The roster has bad rows; nothing was run:\n" + "\n".join(f"- {e}" for e in errors))
            return
    try:
        sc = ps.apply_form(base, values, source=name)
    except ConfigError as exc:
        st.error(ui.one_line(exc))
        return
    reps, seed = int(values["replications"]), int(values["seed"])
    key = ps.run_key(sc, reps, seed)
    if submitted:
        st.session_state["plan_done"] = key
    if st.session_state.get("plan_done") != key:
        st.caption("The form differs from the last run: press Run to see its results."
                   if st.session_state.get("plan_done") else "Edit the fields and press Run.")
        return
    _results(sc, reps, seed)


if __name__ == "__main__":
    ui.run_page(render)
