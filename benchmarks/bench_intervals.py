"""Coverage of the KPI intervals (sim.intervals) against the plain Student-t interval, with known answers.

For each case, many independent samples of n replication values with a known mean; the share of 95%
intervals that contain the mean is the coverage (its standard error at 4,000 samples is about 0.003). Also
the share of plain t intervals that leave the KPI's range. The last case is the simulator itself: P(wait) of
M/M/5 at 2 Erlangs (exact 0.0597, Erlang C), from 3 short replications per interval.

Run: .venv/bin/python benchmarks/bench_intervals.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.intervals import mean_interval  # noqa: E402

TRIALS = 4000
CASES = [
    # name, kind, draw(rng, shape), true mean
    ("proportion, rare: Binomial(100, 0.03)/100", "proportion", lambda r, s: r.binomial(100, 0.03, s) / 100, 0.03),
    ("proportion, near 1: Binomial(400, 0.97)/400", "proportion", lambda r, s: r.binomial(400, 0.97, s) / 400,
     0.97),
    ("proportion, skewed: Beta(0.5, 8)", "proportion", lambda r, s: r.beta(0.5, 8.0, s), 0.5 / 8.5),
    ("time: Gamma(20) mean 1", "time", lambda r, s: r.gamma(20.0, 1 / 20.0, s), 1.0),
    ("time, skewed: Exponential(1)", "time", lambda r, s: r.exponential(1.0, s), 1.0),
    ("count: Poisson(4)", "count", lambda r, s: r.poisson(4.0, s).astype(float), 4.0),
]


def row(name: str, kind: str, samples: np.ndarray, truth: float) -> str:
    new = [mean_interval(x, kind) for x in samples]
    plain = [mean_interval(x, "other") for x in samples]
    low = 0.0
    high = 1.0 if kind == "proportion" else np.inf
    c_new = np.mean([iv.low <= truth <= iv.high for iv in new])
    c_t = np.mean([iv.low <= truth <= iv.high for iv in plain])
    out = np.mean([iv.low < low or iv.high > high for iv in plain])
    return f"| {name} | {samples.shape[1]} | {c_new:.3f} | {c_t:.3f} | {out:.0%} |"


def erlang_samples(n: int, intervals: int) -> np.ndarray:
    from sim.engine import simulate_replication
    from sim.scenario import Scenario

    lam = 2.0
    sc = Scenario.model_validate({
        "name": "mm5", "seed": 7, "horizon_days": 300 / lam / 1440, "warmup_days": 50 / 1440,
        "volume": {"mentions_per_hour": lam * 60}, "handling": {"handle_minutes": {"dist": "exponential",
                                                                                   "mean": 1.0}},
        "staffing": {"agents": 5}, "sla": {"target_minutes": 1.0, "goal": 0.8}})
    values = [simulate_replication(sc, r).summary_row()["p_wait"] for r in range(n * intervals)]
    return np.array(values).reshape(intervals, n)


def main() -> None:
    rng = np.random.default_rng(20261126)
    print("| replication values | n | coverage, sim.intervals | coverage, plain t | plain t outside the range |")
    print("|---|---:|---:|---:|---:|")
    for name, kind, draw, truth in CASES:
        for n in (2, 3, 5, 10, 30):
            print(row(name, kind, draw(rng, (TRIALS, n)), truth))
    for n in (2, 3, 5):
        print(row("simulated P(wait), M/M/5 at 2 Erlangs (exact 0.0597)", "proportion", erlang_samples(n, 1000),
                  0.059701492537313425))


if __name__ == "__main__":
    main()
