"""Planner staffing: the planner's question answered. A target in; the requirement per interval (Erlang A, refined
by simulation) as a chart and table; a roster of allowed shifts covering it at least paid hours; "simulate this
roster". The same functions as ``carebench staff`` and ``carebench roster`` (:mod:`sim.planning`).

As on the other planner pages, the form, the shifts and which results were asked for live in the session and
the URL (keys ``staff_*``), so another page, a download or a refresh keeps them; results are shown only while
they belong to the form and shifts on screen; expected errors are one line, anything else the page's one line.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from carebench_app import charts, ui
from carebench_app.views._scenario_pick import pick_scenario
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
FORM_KEYS = ("staff_horizon", "staff_warmup", "staff_goal", "staff_minutes", "staff_interval", "staff_reps")
ROSTER_REPS = 8  # replications of "simulate this roster"


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


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

        settings = Settings(interval=interval, max_reps=max_reps,
                            final_min_reps=min(Settings.final_min_reps, max_reps), jobs=1)
        return plan_requirement(sc, Target(goal, minutes), settings, progress=on_progress, on_iteration=on_iteration)

    return ui.result_cache().get_or_compute(
        ("staff", scenario_json, f"{goal:.6g}", f"{minutes:.6g}", str(interval), str(max_reps)), compute)


def _requirement_chart(req) -> None:
    from sim.planning.report import requirement_frame

    frame = requirement_frame(req)
    for team, part in frame.groupby("team", sort=False):
        st.markdown(f"**{team}**: agents needed per interval")
        st.altair_chart(charts.week_lines(part, {"requirement": "requirement (simulated)",
                                                 "erlang_agents": "Erlang on the forecast"}, "agents"),
                        key=f"staff_chart_need_{team}")
    with st.expander("requirement.csv"):
        st.dataframe(frame, hide_index=True)
        st.download_button("Download requirement.csv", frame.to_csv(index=False).encode(), "requirement.csv",
                           mime="text/csv", key="staff_csv", on_click="ignore")


def _shifts_from(text: str):
    from sim.planning.shifts import ShiftsFile

    with tempfile.TemporaryDirectory(prefix="carebench-shifts-") as tmp:
        path = Path(tmp) / "shifts.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_model(ShiftsFile, path)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(path), "shifts.yaml")) from None


def _solve(req, text: str) -> tuple[str, object]:
    """("plan", the roster) or ("error", its one line): a refusal is kept like a result, so an infeasible
    roster is not solved again on every rerun."""
    from sim.planning.report import requirement_frame
    from sim.planning.roster import RosterError
    from sim.planning.rostering import plan_rosters

    try:
        shifts = _shifts_from(text)
        with st.spinner("Solving the integer program (HiGHS)"):
            return "plan", plan_rosters(req.scenario, requirement_frame(req), shifts, req.target)
    except RosterError as exc:
        return "error", ui.one_line(f"shifts.yaml: {exc}")
    except (ConfigError, ValueError) as exc:
        return "error", ui.one_line(exc)


def _simulate(plan) -> None:
    bar = st.progress(0.0, text="Simulating the roster")
    days = plan.scenario.horizon_days + plan.scenario.warmup_days
    done: dict = {}

    def progress(rep, minutes):
        done[rep] = minutes
        bar.progress(min(1.0, sum(done.values()) / (ROSTER_REPS * days * 1440.0)), text="Simulating the roster")

    try:
        plan.simulate(ROSTER_REPS, progress=progress)
    finally:
        bar.empty()


def _roster_section(req, req_key: str) -> None:
    from sim.planning.report import roster_yaml

    st.subheader("Roster")
    default = DEFAULT_SHIFTS.read_text(encoding="utf-8") if DEFAULT_SHIFTS.exists() else FALLBACK_SHIFTS
    text = st.text_area("Allowed shifts (shifts.yaml)", height=240, key="staff_shifts", persist_state="session",
                        **ui.initial("staff_shifts", default))
    key = _key(req_key, text)
    if st.button("Solve the roster", key="staff_roster_btn"):
        st.session_state["staff_roster_done"] = key
    if st.session_state.get("staff_roster_done") != key:
        if st.session_state.get("staff_roster_done"):
            st.caption("The shifts differ from the last roster: press Solve the roster.")
        return
    kind, plan = ui.result_cache().get_or_compute(("roster", req_key, text), lambda: _solve(req, text))
    if kind == "error":
        st.error(plan)
        return
    for team, part in plan.coverage_frame().groupby("team", sort=False):
        st.markdown(f"**{team}**: agents on duty against the requirement")
        st.altair_chart(charts.week_lines(part, {"requirement": "requirement", "on_duty": "on duty"}, "agents"),
                        key=f"staff_chart_duty_{team}")
    st.text(plan.summary())
    yaml_text = roster_yaml(plan.scenario, plan.shifts_by_team())
    st.download_button("Download roster.yaml (the staffing section)", yaml_text.encode(), "roster.yaml",
                       key="staff_roster_yaml", on_click="ignore")
    if st.button("Simulate this roster", type="primary", key="staff_simulate"):
        st.session_state["staff_sim_done"] = key
    if st.session_state.get("staff_sim_done") != key:
        return
    if plan.estimate is None:
        _simulate(plan)
    for team, part in plan.coverage_frame().groupby("team", sort=False):
        st.markdown(f"**{team}**: simulated service level per interval ({ROSTER_REPS} replications, 95% band)")
        st.altair_chart(charts.week_lines(part, {"service_level": "simulated service level"},
                                          f"answered within {plan.target.minutes:g} min", goal=plan.target.goal,
                                          band=("sl_low", "sl_high")), key=f"staff_chart_sl_{team}")
    st.text(plan.summary())


def _form(base: Scenario, name: str) -> tuple[tuple, bool] | None:
    """The form's run arguments (scenario JSON, goal, minutes, interval, replications) and whether it was just
    submitted; None (with one line shown) when the values make no valid scenario or too much work."""
    if st.session_state.get("staff_for") != name:  # another scenario: its own values, not the last one's
        for k in FORM_KEYS:
            st.session_state.pop(k, None)
        st.session_state["staff_for"] = name

    def num(where, label: str, key: str, default, **kw):
        return where.number_input(label, key=key, persist_state="session", **ui.initial(key, default), **kw)

    with st.form("staff_form"):
        c = st.columns(3)
        horizon = num(c[0], "Horizon (days)", "staff_horizon", float(base.horizon_days), min_value=0.05, step=1.0)
        warmup = num(c[1], "Warm-up (days)", "staff_warmup", float(base.warmup_days), min_value=0.0, step=0.5)
        c[2].caption("A week is 336 half-hour intervals; a shorter horizon plans its own intervals only.")
        c = st.columns(4)
        goal = num(c[0], "Goal (share answered in time)", "staff_goal", float(base.sla.goal), min_value=0.01,
                   max_value=0.99, step=0.05)
        minutes = num(c[1], "Within (minutes)", "staff_minutes", float(base.sla.target_minutes), min_value=0.1,
                      step=5.0)
        interval = c[2].selectbox("Interval (minutes)", [15, 30, 60], key="staff_interval", persist_state="session",
                                  **ui.initial("staff_interval", 1, "index"))
        reps = num(c[3], "Replications per iteration, at most", "staff_reps", 16, min_value=2, max_value=64, step=2)
        submitted = st.form_submit_button("Find the requirement", type="primary")
    data = base.model_dump(mode="json")
    data.update(horizon_days=float(horizon), warmup_days=float(warmup))
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        st.error(ui.one_line(describe_validation_error(exc, name, None)))
        return None
    from sim.budget import run_refusal

    why = run_refusal([sc], int(reps))  # the CLI's work limit, per iteration of the search
    if why:
        st.error(why.split(", or raise the limit")[0])
        return None
    return (sc.model_dump_json(), float(goal), float(minutes), int(interval or 30), int(reps)), submitted


def render() -> None:
    st.title("Staffing: how many agents, on which shifts")
    picked = pick_scenario("staff")
    if picked is None:
        return
    base, name = picked
    form = _form(base, name)
    if form is None:
        return
    args, submitted = form
    key = _key(*args)
    if submitted:
        st.session_state["staff_done"] = key
    if st.session_state.get("staff_done") != key:
        st.caption("The form differs from the last search: press Find the requirement." if
                   st.session_state.get("staff_done") else
                   "Set the target and press Find the requirement: Erlang A per interval, then refined by "
                   "simulating the scenario with all its behaviour.")
        return
    bar = st.progress(0.0, text="Searching the requirement")
    try:
        req = requirement(*args, progress=lambda share, text: bar.progress(share, text=text))
    except (ConfigError, ValueError) as exc:
        st.error(ui.one_line(exc))
        return
    finally:
        bar.empty()
    from sim.planning.report import requirement_summary

    st.text(requirement_summary(req))
    _requirement_chart(req)
    _roster_section(req, key)


if __name__ == "__main__":
    ui.run_page(render)
