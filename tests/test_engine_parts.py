"""The engine's parts: every behaviour a scenario can name works in every configuration, the scenario (not a
flag) decides which parts run, and the way a run is driven (progress reports) does not change its results."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from helpers import make_scenario
from sim.assembly import CORE_FIELDS, needs_care_parts
from sim.engine import Engine, simulate_replication
from sim.messages import SimMessage
from sim.results import run
from sim.scenario import Scenario

ORDERS = ["fifo", "longest_wait", "deadline", "influence"]
BEHAVIOURS = ["withdraw", "repeat", "escalate", "phone"]


@pytest.mark.parametrize("order,behaviour", list(itertools.product(ORDERS, BEHAVIOURS)))
def test_every_order_and_impatience_works_on_a_plain_scenario(order, behaviour):
    """Once the core crashed on ``order: longest_wait`` or ``on_impatience: repeat``; now the scenario brings
    the parts it names. Overloaded (3 agents for about 4 erlangs) so that queues and patience matter."""
    sc = make_scenario(horizon_days=0.3, volume={"mentions_per_hour": 240.0},
                       staffing={"agents": 3}, policy={"order": order},
                       customers={"patience_minutes": {"dist": "exponential", "mean": 5.0},
                                  "on_impatience": behaviour})
    outcomes = []
    r = simulate_replication(sc, on_outcome=outcomes.append)
    tot = r.totals
    assert tot.abandoned > 0 and tot.answered > 0
    assert tot.answered + tot.abandoned + tot.open_at_end == tot.arrivals
    assert len(outcomes) == tot.answered + tot.abandoned
    assert (r.care is not None) == (order != "fifo" or behaviour != "withdraw")
    if behaviour in ("repeat", "escalate"):
        assert r.care["repeats"] + r.care["escalations"] > 0
    if behaviour == "phone":
        # every abandonment in the window calls (no warm-up here; those after the window are not counted)
        assert 0 < r.care["phone_switches"] <= tot.abandoned


def test_the_scenario_decides_which_parts_run():
    core = make_scenario()
    assert not needs_care_parts(core)
    for fields in ({"policy": {"order": "deadline"}}, {"customers": {"max_repeats": 1}},
                   {"staffing": {"agents": 2, "shrinkage": 0.1}}, {"costs": {}},
                   {"volume": {"mentions_per_hour": 60.0, "incidents": []}}):
        assert needs_care_parts(make_scenario(**fields)), fields
    assert Engine(core).parts.finish is None
    assert Engine(core, care_parts=True).parts.finish is not None
    with pytest.raises(ValueError, match="needs the care model's parts"):
        Engine(make_scenario(policy={"order": "deadline"}), care_parts=False)


def _field_names(model: type, core: dict, where: str = "") -> None:
    for name, sub in core.items():
        assert name in model.model_fields, f"CORE_FIELDS names {where}{name}, which the scenario does not have"
        if sub is not None:
            _field_names(model.model_fields[name].annotation, sub, f"{where}{name}.")


def test_core_fields_exist_in_the_scenario_models():
    _field_names(Scenario, CORE_FIELDS)


@pytest.mark.parametrize("path,sets", [
    ("scenarios/baseline.yaml", ["horizon_days=3"]),
    ("scenarios/care-operation.yaml", ["horizon_days=3", "warmup_days=0.5"]),
])
def test_progress_reports_do_not_change_results(path, sets):
    from sim.loader import load_scenario

    sc = load_scenario(path, sets)
    seen = []
    a = run(sc, reps=2)
    b = run(sc, reps=2, progress=lambda rep, minutes: seen.append((rep, minutes)))
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.hours, b.hours)
    assert seen and seen[-1] == (1, sc.horizon_minutes + sc.warmup_minutes)


def test_reply_log_messages_are_typed():
    sc = make_scenario(horizon_days=0.1)
    messages = []
    simulate_replication(sc, on_message=messages.append)
    assert messages and all(isinstance(m, SimMessage) for m in messages)
    replies = [m for m in messages if m.role == "brand"]
    assert replies and all(m.in_reply_to and m.wait_minutes >= 0 for m in replies)
