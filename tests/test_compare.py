"""`carebench compare`: common random numbers and paired confidence intervals."""

from __future__ import annotations

import pandas as pd

from carebench.cli import main
from helpers import make_scenario
from sim.compare import compare


def test_identical_scenarios_differ_by_exactly_nothing():
    sc = make_scenario(horizon_days=0.2, customers={"patience_minutes": {"dist": "exponential", "mean": 3.0}})
    table = compare(sc, sc, reps=3).table().set_index("column")
    assert (table["difference"] == 0).all()
    assert not table["significant"].any()


def test_one_more_agent_is_a_significant_improvement_with_the_same_mentions():
    a = make_scenario(horizon_days=1.0, volume={"mentions_per_hour": 540.0}, staffing={"agents": 10},
                      handling={"handle_minutes": {"dist": "exponential", "mean": 1.0}})
    b = a.model_copy(update={"staffing": a.staffing.model_copy(update={"agents": 11})})
    comparison = compare(a, b, reps=5)
    assert comparison.a.summary["arrivals"].tolist() == comparison.b.summary["arrivals"].tolist()
    table = comparison.table().set_index("column")
    assert table.loc["asa_minutes", "ci_high"] < 0  # B waits less, and the interval says so
    assert table.loc["service_level", "ci_low"] > 0


def test_compare_command_writes_its_table(tmp_path, capsys):
    rc = main(["compare", "scenarios/erlang-check.yaml", "scenarios/erlang-check.yaml", "--reps", "2",
               "--set", "horizon_days=0.1", "--out", str(tmp_path)])
    assert rc == 0
    assert "B - A" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "compare.csv")
    assert {"kpi", "a_mean", "b_mean", "difference", "ci_low", "ci_high", "significant"} <= set(table.columns)
    assert (tmp_path / "compare.png").stat().st_size > 1000
    assert main(["compare", "scenarios/erlang-check.yaml", "scenarios/erlang-check.yaml", "--reps", "1"]) == 2
