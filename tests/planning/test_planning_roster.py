"""The roster's integer program: its optimum against brute force on tiny instances, its bounds and refusals, and
the roster as the simulator reads it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.loader import ConfigError, load_model
from sim.planning.grid import WeekGrid
from sim.planning.roster import RosterError, columns_for, coverage_matrix, plan_roster
from sim.planning.shifts import ShiftsFile

GRID = WeekGrid(60)


def shifts(**top) -> ShiftsFile:
    return ShiftsFile.model_validate(top)


def need_on_monday(hours: dict[int, int]) -> np.ndarray:
    need = np.zeros(GRID.count)
    for h, n in hours.items():
        need[h] = n
    return need


def brute_force(need: np.ndarray, sf: ShiftsFile, most: int) -> float:
    """The least paid hours over every count 0..most of every column (feasible ones)."""
    cols = columns_for(sf, 60)
    cover = coverage_matrix(cols, GRID).toarray()
    paid = np.array([c.paid_minutes for c in cols]) / 60.0
    pt = np.array([sf.shifts[c.pattern].part_time for c in cols])
    best = np.inf
    for x in itertools.product(range(most + 1), repeat=len(cols)):
        x = np.array(x)
        if np.any(cover @ x < need):
            continue
        if (pt * paid) @ x > sf.part_time_max_share * (paid @ x) + 1e-9:
            continue
        ok = True
        for p, pat in enumerate(sf.shifts):
            for d in {c.day for c in cols if c.pattern == p}:
                n = sum(x[j] for j, c in enumerate(cols) if c.pattern == p and c.day == d)
                if n < pat.min_agents or (pat.max_agents is not None and n > pat.max_agents):
                    ok = False
        if ok:
            best = min(best, paid @ x)
    return best


TINY = dict(shifts=[
    {"name": "long", "lengths": ["4:00"], "starts": {"earliest": "6:00", "latest": "8:00", "every": 60},
     "weekdays": ["mon"], "breaks": {"length": "1:00", "after": {"earliest": "2:00", "latest": "2:00"}}},
    {"name": "short", "lengths": ["2:00", "3:00"], "starts": {"earliest": "7:00", "latest": "9:00", "every": 120},
     "weekdays": ["mon"], "part_time": True, "max_agents": 2},
], part_time_max_share=0.5)


@pytest.mark.parametrize("hours", [{6: 1, 7: 2, 8: 3, 9: 2, 10: 1}, {7: 3, 9: 1, 11: 2}, {8: 4, 9: 4}])
def test_optimum_matches_brute_force(hours):
    sf = shifts(**TINY)
    need = need_on_monday(hours)
    roster = plan_roster(need, GRID, sf, gap=0.0)
    assert roster.status == "optimal"
    assert len(roster.columns) == 7  # 3 long starts x 1 break + 2 short starts x 2 lengths
    assert roster.paid_hours == pytest.approx(brute_force(need, sf, most=4))
    assert np.all(roster.on_duty >= need)


def test_part_time_share_and_bounds_bind():
    free = dict(TINY, part_time_max_share=1.0)
    need = need_on_monday({7: 2, 8: 2})
    loose = plan_roster(need, GRID, shifts(**free), gap=0.0)
    tight = plan_roster(need, GRID, shifts(**TINY), gap=0.0)
    assert loose.paid_hours == pytest.approx(brute_force(need, shifts(**free), most=3))
    assert loose.paid_hours == 4.0  # two short 2-hour shifts
    assert tight.paid_hours == pytest.approx(brute_force(need, shifts(**TINY), most=3))
    assert tight.paid_hours > 4.0  # at most half the paid hours part time


def test_an_uncoverable_interval_is_named():
    need = need_on_monday({7: 1, 20: 2})
    with pytest.raises(RosterError, match=r"no allowed shift can cover Mon 20:00-21:00, where the requirement is 2"):
        plan_roster(need, GRID, shifts(**TINY))
    capped = dict(TINY)
    capped["shifts"] = [dict(TINY["shifts"][1], part_time=False)]
    with pytest.raises(RosterError, match=r"Mon 09:00-10:00.*capped by max_agents"):
        plan_roster(need_on_monday({9: 3}), GRID, shifts(**capped))


def test_the_roster_reads_back_as_the_coverage_it_was_solved_for():
    sf = shifts(shifts=[{"name": "night", "lengths": ["8:00"], "starts": {"earliest": "20:00", "latest": "23:00",
                                                                         "every": 60},
                         "breaks": {"length": "1:00", "after": {"earliest": "3:00", "latest": "4:00"}}}])
    need = np.zeros(GRID.count)
    need[-4:] = 2  # Sunday 20:00-24:00 ...
    need[:4] = 3  # ... and Monday 00:00-04:00: shifts that run past the week's end
    need[22:26] = 1
    roster = plan_roster(need, GRID, sf, gap=0.0)
    assert np.all(roster.on_duty >= need)
    assert np.array_equal(GRID.levels(roster.scenario_shifts()), roster.on_duty)  # breaks and the wrap included


def test_shift_files_are_checked_with_their_line(tmp_path):
    bad = tmp_path / "shifts.yaml"
    bad.write_text("shifts:\n  - name: a\n    lengths: ['8:00']\n    starts: {earliest: '6:00', latest: '5:00'}\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"shifts.yaml:4: shifts\[0\]\.starts: .*latest 5:00 is before earliest"):
        load_model(ShiftsFile, bad)
    bad.write_text("shifts:\n  - name: a\n    lengths: ['8:00']\n    starts: {earliest: '6:00', latest: '9:00'}\n"
                   "    max_agents: 1\n    min_agents: 2\n    colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_model(ShiftsFile, bad)
    assert "shifts.yaml:7: shifts[0].colour: unknown key" in str(err.value)
    off_grid = shifts(shifts=[{"name": "a", "lengths": ["8:15"], "starts": {"earliest": "6:00", "latest": "9:00"}}])
    with pytest.raises(RosterError, match=r"shifts\[0\]\.lengths: 495 minutes is not a multiple of the requirement's 30"):
        plan_roster(np.ones(336), WeekGrid(30), off_grid)
