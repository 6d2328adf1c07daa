"""Incident volume against theory: the self-exciting (Hawkes) volume model into ample agents.

Reference values (``data/hawkes_reference.csv`` and ``data/hawkes_transient_reference.csv``, copied from the
project's published reference with their derivations in the header comments) are exact moments of a Hawkes
process with intensity lambda0 + sum alpha exp(-beta (t - t_i)) feeding infinitely many agents. The scenario sets
``mentions_per_hour`` to lambda0, ``self_excitation`` to branching ratio alpha/beta and memory 1/beta with every
post exciting (``excite: all``), and staffs far more agents than can ever be busy, so nobody waits.

Checked, each inside a Student-t interval across replications with family-wise 99.9% confidence (Bonferroni over
all cases and measures): the long-run arrival rate E[lambda] (time average: arrivals per minute), the mean number
in service E[Q] (time average of busy agents) and Var[N(T)] of the counts in windows of T minutes (sample variance
of consecutive windows within a replication; their correlation biases it by well under 1% for these windows).
After an incident (intensity lambda0 + J at time 0, empty system) the mean and variance of the arrivals since the
incident at t = 10, 30, 60, 120 minutes are checked over many short replications. Measures of the reference we do
not observe as time averages (Var[lambda], Var[Q], Cov) are not tested. A last test shows the check has teeth.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import DATA, make_scenario, t_interval
from sim.engine import simulate_replication

STATIONARY = pd.read_csv(DATA / "hawkes_reference.csv", comment="#").set_index("case_id")
TRANSIENT = pd.read_csv(DATA / "hawkes_transient_reference.csv", comment="#")
MEASURES = ["mean_intensity_per_minute", "mean_in_service", "var_arrivals_in_window"]
COMPARISONS = len(STATIONARY) * len(MEASURES)
# (replications, measured days): enough windows for Var[N(T)], within the test budget (scale runs, not tolerance)
PLAN = {"K01": (10, 10), "K02": (8, 25), "K03": (8, 3), "K04": (8, 1), "K05": (6, 8), "K06": (8, 1),
        "K07": (6, 1), "K08": (6, 8)}


def hawkes_scenario(case: pd.Series, days: float, warmup_minutes: float, seed: int = 7, branching=None,
                    incident_jump=None):
    lam0, beta = float(case.baseline_per_minute), float(case.beta_per_minute)
    n = float(case.branching_ratio) if branching is None else branching
    mean_q = float(case.get("mean_in_service", lam0 / (1 - n) * case.mean_handle_minutes))
    agents = int(mean_q + 15 * math.sqrt(max(mean_q, 1.0) * 4 / (1 - n))) + 20  # ample: nobody ever waits
    volume = {"mentions_per_hour": lam0 * 60, "self_excitation": {"branching_ratio": n, "memory_minutes": 1 / beta,
                                                                   "excite": "all"}}
    if incident_jump is not None:
        volume["incidents"] = [{"name": "incident", "start_day": 0.0, "jump_per_hour": incident_jump * 60,
                                "decay_minutes": 1 / beta}]
    return make_scenario(
        name=f"hawkes-{case.name}", seed=seed, horizon_days=days, warmup_days=warmup_minutes / 1440.0,
        max_drain_days=0.01, volume=volume,
        handling={"handle_minutes": {"dist": "exponential", "mean": float(case.mean_handle_minutes)}},
        staffing={"agents": agents}, sla={"target_minutes": 1.0, "goal": 0.8},
    )


def stationary_measures(case: pd.Series, reps: int, days: float, branching=None) -> pd.DataFrame:
    warmup = 25 * max(float(case.intensity_relaxation_minutes), float(case.mean_handle_minutes))
    sc = hawkes_scenario(case, days, warmup, branching=branching)
    window_hours = int(case.window_minutes // 60)
    rows = []
    for rep in range(reps):
        r = simulate_replication(sc, rep=rep)
        minutes = sc.horizon_minutes
        assert r.totals.waited == 0  # ample agents: the reference's infinite-server queue
        counts = r.hours["arrivals"].to_numpy()
        counts = counts[: len(counts) // window_hours * window_hours].reshape(-1, window_hours).sum(axis=1)
        rows.append({
            "mean_intensity_per_minute": r.totals.arrivals / minutes,
            "mean_in_service": r.totals.busy_slot_minutes / minutes,
            "var_arrivals_in_window": float(np.var(counts, ddof=1)),
        })
    return pd.DataFrame(rows)


@pytest.mark.slow
@pytest.mark.parametrize("case_id", list(STATIONARY.index))
def test_stationary_hawkes_volume_agrees_with_theory(case_id):
    case = STATIONARY.loc[case_id]
    reps, days = PLAN[case_id]
    observed = stationary_measures(case, reps, days)
    misses = []
    for m in MEASURES:
        mean, half = t_interval(observed[m], comparisons=COMPARISONS)
        if abs(mean - case[m]) > half:
            misses.append(f"{m}: simulated {mean:.5g} ± {half:.3g}, exact {case[m]:.5g}")
    assert not misses, f"{case_id}: " + "; ".join(misses)


@pytest.mark.slow
def test_check_rejects_a_wrong_branching_ratio():
    """K01 simulated with branching ratio 0.25 instead of 0.2 must fall outside the same interval."""
    case = STATIONARY.loc["K01"]
    observed = stationary_measures(case, *PLAN["K01"], branching=0.25)
    mean, half = t_interval(observed["mean_intensity_per_minute"], comparisons=COMPARISONS)
    assert abs(mean - case.mean_intensity_per_minute) > half


TIMES = sorted(TRANSIENT.t_minutes.unique())
T_COMPARISONS = TRANSIENT.case_id.nunique() * len(TIMES) * 2
T_REPS = 300


@pytest.mark.slow
@pytest.mark.parametrize("case_id", sorted(TRANSIENT.case_id.unique()))
def test_incident_transient_agrees_with_theory(case_id):
    ref = TRANSIENT[TRANSIENT.case_id == case_id].set_index("t_minutes")
    first = ref.iloc[0]
    sc = hawkes_scenario(first.rename(case_id), days=max(TIMES) / 1440.0, warmup_minutes=0.0,
                         incident_jump=float(first.incident_jump_per_minute))
    counts = np.zeros((T_REPS, len(TIMES)))
    for rep in range(T_REPS):
        arrivals = []
        simulate_replication(sc, rep=rep, on_outcome=lambda o: arrivals.append(o.arrival_minute))
        a = np.sort(arrivals)
        counts[rep] = [np.searchsorted(a, t, side="right") for t in TIMES]
    misses = []
    for j, t in enumerate(TIMES):
        mean, half = t_interval(counts[:, j], comparisons=T_COMPARISONS)
        exact = ref.loc[t, "mean_arrivals_since_incident"]
        if abs(mean - exact) > half:
            misses.append(f"E[N(0,{t})]: {mean:.1f} ± {half:.1f}, exact {exact:.1f}")
        # the variance: a t interval on squared deviations from the exact mean (unbiased for Var[N])
        dev2 = (counts[:, j] - exact) ** 2
        mean, half = t_interval(dev2, comparisons=T_COMPARISONS)
        exact_var = ref.loc[t, "var_arrivals_since_incident"]
        if abs(mean - exact_var) > half:
            misses.append(f"Var[N(0,{t})]: {mean:.0f} ± {half:.0f}, exact {exact_var:.0f}")
    assert not misses, f"{case_id}: " + "; ".join(misses)
