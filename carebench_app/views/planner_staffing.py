"""Planner staffing: the planner's question answered. A target in; the requirement per interval (Erlang A, refined
by simulation) as a chart and table; a roster of allowed shifts covering it at least paid hours; "simulate this
roster". The same functions as ``carebench staff`` and ``carebench roster`` (:mod:`sim.planning`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from carebench_app import ui
from carebench_app.views._scenario_pick import pick_scenario
from pydantic import ValidationError

from sim.loader import ConfigError, describe_validation_error, load_model
from sim.scenario import Scenario

DEFAULT_SHIFTS = Path(__file__).resolve().parents[2] / "benchmarks" / "shifts-bench.yaml"
FALLBACK_SHIFTS = """\
part_time_max_share: 0.3
shifts:
  - name: full
    lengths: ["8:30"]
    starts: {earliest: "0:00", latest: "23:30"}
    breaks: {length: "0:30", after: {earliest: "3:30", latest: "5:00"}}
  - name: part
    lengths: ["4:00", "6:00"]
    starts: {earliest: "6:00", latest: "20:00"}
    part_time: true
"""


def requirement(scenario_json: str, goal: float, minutes: float, interval: int, max_reps: int, progress):
    """The requirement of the scenario (cached on strings: the scenario's JSON and the settings)."""
    from sim.planning.requirement import Settings, Target, plan_requirement

    def compute():
        sc = Scenario.model_validate_json(scenario_json)
        days = sc.horizon_days + sc.warmup_days
        state = {"reps": 1, "done": {}, "n": 0}

        def on_iteration(n, reps, last):
            state.update(reps=reps, done={}, n=n)
            progress(0.0, f"Iteration {n}: simulating {reps} replications")

        def on_progress(rep, m):
            state["done"][rep] = m
            share = min(1.0, sum(state["done"].values()) / (state["reps"] * days * 1440.0))
            progress(share, f"Iteration {state['n']}: {share:.0%} of {state['reps']} replications")

        settings = Settings(interval=interval, max_reps=max_reps, final_min_reps=min(8, max_reps), jobs=1)
        return plan_requirement(sc, Target(goal, minutes), settings, progress=on_progress, on_iteration=on_iteration)

    return ui.result_cache().get_or_compute(
        ("staff", scenario_json, f"{goal:.6g}", f"{minutes:.6g}", str(interval), str(max_reps)), compute)


def _requirement_chart(req) -> None:
    import pandas as pd

    from sim.planning.report import requirement_frame

    frame = requirement_frame(req)
    for team, part in frame.groupby("team", sort=False):
        st.markdown(f"**{team}**")
        chart = pd.DataFrame({"requirement (simulated)": part["requirement"].to_numpy(),
                              "Erlang on the forecast": part["erlang_agents"].to_numpy()},
                             index=part["interval"])
        st.line_chart(chart, height=260)
    with st.expander("requirement.csv"):
        st.dataframe(frame, hide_index=True)
        st.download_button("Download requirement.csv", frame.to_csv(index=False).encode(), "requirement.csv",
                           mime="text/csv", key="staff_csv")


def _shifts_from(text: str):
    from sim.planning.shifts import ShiftsFile

    with tempfile.TemporaryDirectory(prefix="carebench-shifts-") as tmp:
        path = Path(tmp) / "shifts.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_model(ShiftsFile, path)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(path), "shifts.yaml")) from None


def _roster_section(req) -> None:
    from sim.planning.report import requirement_frame, roster_yaml
    from sim.planning.roster import RosterError
    from sim.planning.rostering import plan_rosters

    st.subheader("Roster")
    default = DEFAULT_SHIFTS.read_text(encoding="utf-8") if DEFAULT_SHIFTS.exists() else FALLBACK_SHIFTS
    text = st.text_area("Allowed shifts (shifts.yaml)", value=default, height=240, key="staff_shifts")
    if st.button("Solve the roster", key="staff_roster_btn"):
        try:
            shifts = _shifts_from(text)
            with st.spinner("Solving the integer program (HiGHS)"):
                plan = plan_rosters(req.scenario, requirement_frame(req), shifts, req.target, time_limit=30.0)
        except RosterError as exc:
            st.error(ui.one_line(f"shifts.yaml: {exc}"))
            return
        except (ConfigError, ValueError) as exc:
            st.error(ui.one_line(exc))
            return
        st.session_state["staff_plan"] = plan
    plan = st.session_state.get("staff_plan")
    if plan is None or plan.scenario is not req.scenario:
        return
    frame = plan.coverage_frame()
    for team, part in frame.groupby("team", sort=False):
        st.markdown(f"**{team}**: agents on duty against the requirement")
        st.line_chart(part.set_index("interval")[["requirement", "on_duty"]], height=240)
    st.text(plan.summary())
    yaml_text = roster_yaml(plan.scenario, plan.shifts_by_team())
    st.download_button("Download roster.yaml (the staffing section)", yaml_text.encode(), "roster.yaml",
                       key="staff_roster_yaml")
    if st.button("Simulate this roster", type="primary", key="staff_simulate"):
        bar = st.progress(0.0, text="Simulating the roster")
        days = plan.scenario.horizon_days + plan.scenario.warmup_days
        done: dict = {}

        def progress(rep, minutes):
            done[rep] = minutes
            bar.progress(min(1.0, sum(done.values()) / (8 * days * 1440.0)), text="Simulating the roster")

        try:
            plan.simulate(8, progress=progress)
        finally:
            bar.empty()
    if plan.estimate is not None:
        frame = plan.coverage_frame()
        for team, part in frame.groupby("team", sort=False):
            st.markdown(f"**{team}**: simulated service level per interval (goal {plan.target.goal:.0%})")
            st.line_chart(part.set_index("interval")[["service_level", "sl_low", "sl_high"]].dropna(), height=220)
        st.text(plan.summary())


def render() -> None:
    st.title("Staffing: how many agents, on which shifts")
    picked = pick_scenario("staff")
    if picked is None:
        return
    base, name = picked
    with st.form("staff_form"):
        c = st.columns(3)
        horizon = c[0].number_input("Horizon (days)", value=float(base.horizon_days), min_value=0.05, step=1.0,
                                    key="staff_horizon")
        warmup = c[1].number_input("Warm-up (days)", value=float(base.warmup_days), min_value=0.0, step=0.5,
                                   key="staff_warmup")
        c[2].caption("A week is 336 half-hour intervals; a shorter horizon plans its own intervals only.")
        c = st.columns(4)
        goal = c[0].number_input("Goal (share answered in time)", value=float(base.sla.goal), min_value=0.01,
                                 max_value=0.99, step=0.05, key="staff_goal")
        minutes = c[1].number_input("Within (minutes)", value=float(base.sla.target_minutes), min_value=0.1,
                                    step=5.0, key="staff_minutes")
        interval = c[2].selectbox("Interval (minutes)", [15, 30, 60], index=1, key="staff_interval")
        max_reps = c[3].number_input("Replications per iteration, at most", value=16, min_value=2, max_value=64,
                                     step=2, key="staff_reps")
        if st.form_submit_button("Find the requirement", type="primary"):
            data = base.model_dump(mode="json")
            data.update(horizon_days=float(horizon), warmup_days=float(warmup))
            try:
                sc = Scenario.model_validate(data)
            except ValidationError as exc:
                st.error(ui.one_line(describe_validation_error(exc, name, None)))
                return
            st.session_state["staff_run"] = (sc.model_dump_json(), float(goal), float(minutes), int(interval),
                                             int(max_reps))
            st.session_state.pop("staff_plan", None)
    key = st.session_state.get("staff_run")
    if not key:
        st.caption("Set the target and press Find the requirement: Erlang A per interval, then refined by "
                   "simulating the scenario with all its behaviour.")
        return
    bar = st.progress(0.0, text="Searching the requirement")
    try:
        req = requirement(*key, progress=lambda share, text: bar.progress(share, text=text))
    except (ConfigError, ValueError) as exc:
        st.error(ui.one_line(exc))
        return
    finally:
        bar.empty()
    from sim.planning.report import requirement_summary

    st.text(requirement_summary(req))
    _requirement_chart(req)
    _roster_section(req)


if __name__ == "__main__":
    render()
