"""The simulator against queueing theory: every Erlang C and Erlang A case of the reference table.

Each case runs independent replications; the mean of each KPI across replications must contain the exact
value within a Student-t interval whose family-wise confidence over all cases and KPIs is 99.9% (Bonferroni),
so a correct simulator passes under almost any seed. The horizon is scaled per case (heavier load, longer
runs), never the tolerance. A last test shows the check has teeth: one agent fewer is rejected.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.results import run

from helpers import DATA, make_scenario, t_interval

REFERENCE = pd.read_csv(DATA / "erlang_reference.csv", comment="#")
KPIS = ["p_wait", "p_abandon", "service_level", "asa_minutes", "mean_wait_all_minutes", "occupancy"]
COMPARISONS = len(REFERENCE) * len(KPIS)
REPS = 12


def scenario_for(case: pd.Series, agents: int | None = None):
    lam, h = float(case.arrivals_per_minute), float(case.mean_handle_minutes)
    rho = case.offered_load_erlangs / case.agents
    arrivals = 60_000 if rho < 0.9 else 150_000  # heavy load converges slowly: more mentions, same tolerance
    patience = None
    if case.model == "erlang_a":
        patience = {"dist": "exponential", "mean": float(case.mean_patience_minutes)}
    warmup_minutes = 400 * h
    return make_scenario(
        name=case.case_id,
        seed=2024,
        horizon_days=arrivals / lam / 1440.0,
        warmup_days=warmup_minutes / 1440.0,
        volume={"mentions_per_hour": lam * 60.0},
        handling={"handle_minutes": {"dist": "exponential", "mean": h}},
        customers={"patience_minutes": patience, "on_impatience": "withdraw"},
        staffing={"agents": int(agents if agents is not None else case.agents)},
        sla={"target_minutes": float(case.sla_target_minutes), "goal": 0.8},
    )


def kpis_of(result) -> pd.DataFrame:
    summary = result.summary.rename(columns={"abandon_rate": "p_abandon"})
    return summary[KPIS]


@pytest.mark.slow
@pytest.mark.parametrize("case_id", list(REFERENCE.case_id))
def test_erlang_case_agrees_with_theory(case_id):
    case = REFERENCE.set_index("case_id").loc[case_id]
    case = pd.concat([pd.Series({"case_id": case_id}), case])
    result = run(scenario_for(case), reps=REPS)
    assert (result.summary["open_at_end"] == 0).all()
    observed = kpis_of(result)
    misses = []
    for kpi in KPIS:
        exact = float(case[kpi])
        if case.model == "erlang_c" and kpi == "p_abandon":
            assert (observed[kpi] == 0).all()
            continue
        mean, half = t_interval(observed[kpi], comparisons=COMPARISONS)
        if abs(mean - exact) > half:
            misses.append(f"{kpi}: simulated {mean:.5f} ± {half:.5f}, exact {exact:.5f}")
    assert not misses, f"{case_id}: " + "; ".join(misses)


@pytest.mark.slow
def test_check_rejects_a_wrong_model():
    """One agent fewer than the case (V02: 11 instead of 12) must fall outside the same interval."""
    case = REFERENCE.set_index("case_id").loc["V02"]
    case = pd.concat([pd.Series({"case_id": "V02"}), case])
    observed = kpis_of(run(scenario_for(case, agents=11), reps=REPS))
    mean, half = t_interval(observed["p_wait"], comparisons=COMPARISONS)
    assert abs(mean - case.p_wait) > half
