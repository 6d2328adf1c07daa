"""The scenario library: each lesson of the domain brief shows its direction, with statistics.

Each comparison runs the two scenario files of a lesson with the same seeds (common random numbers: replication r
of both shares its streams), takes the paired difference B - A per replication, and requires the whole Student-t
interval of its mean to lie on the side the lesson predicts, with family-wise 99.9% confidence over all comparisons
here (Bonferroni). Seeds are the scenario files' own; horizons are shortened where noted, never tuned per seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import t_interval
from sim.loader import load_scenario
from sim.results import run

SCENARIOS = Path(__file__).parents[1] / "scenarios"
REPS = 12

# (A, B, measure, expected sign of B - A, overrides for speed, what it shows)
LESSONS = [
    ("coverage-office-hours", "coverage-24-7", "monday_8am_backlog", -1, {},
     "lesson 5: at equal paid hours, 24/7 leaves a smaller Monday-morning backlog"),
    ("coverage-office-hours", "coverage-24-7", "max_oldest_open_hours", -1, {},
     "lesson 5: and no thread waits over the weekend"),
    ("incident-no-fix", "incident-public-fix", "handled", -1, {},
     "lesson 7: a public fix lowers the volume agents handle during an incident"),
    ("incident-no-fix", "incident-public-fix", "repeats", -1, {},
     "lessons 7 and 4: and fewer customers repeat themselves"),
    ("triage-all", "triage-vents", "handled", -1, {},
     "lesson 2: triage of vents, praise and spam saves agent work"),
    ("triage-all", "triage-vents", "repeats", 1, {},
     "lesson 1: but the few who wanted a reply come back (unanswered threads cost later)"),
    ("priority-fifo", "priority-influencer-first", "frt_top_decile_minutes", -1, {"horizon_days": 28},
     "lesson 10: influence-first lowers the top decile's first-response time"),
    ("priority-fifo", "priority-influencer-first", "frt_other_deciles_minutes", 1, {"horizon_days": 28},
     "lesson 10: and raises everyone else's"),
    ("resolve-move-to-dm", "resolve-deflect-to-phone", "phone_contacts", 1, {"horizon_days": 7},
     "lesson 6: deflection creates phone contacts"),
    ("resolve-move-to-dm", "resolve-deflect-to-phone", "repeats", 1, {"horizon_days": 7},
     "lesson 6: and repeat posts"),
    ("resolve-move-to-dm", "resolve-deflect-to-phone", "cost_per_resolution", 1, {"horizon_days": 7},
     "lesson 3: and raises cost per resolution"),
    ("multilingual-native-teams", "multilingual-translation", "handle_minutes_per_reply", 1, {"horizon_days": 7},
     "lesson 12: answering through translation costs handling time"),
    ("channels-separate", "channels-integrated", "handle_minutes", -1, {"horizon_days": 7},
     "lesson 11: integrated channels do not work a case twice"),
    ("training-experienced", "training-new-team", "handle_minutes_per_reply", 1, {"horizon_days": 7},
     "lesson 14: an untrained team handles more slowly"),
    ("training-experienced", "training-new-team", "comp_beyond", 1, {"horizon_days": 7},
     "lessons 14 and 8: and concedes beyond policy more often"),
    ("migration-by-the-book", "migration-generous", "social_share_last_week", 1,
     {"horizon_days": 56, "volume.mentions_per_hour": 10, "phone.contacts_per_hour": 20},
     "lesson 9: visible generous precedents move customers to social faster"),
]
COMPARISONS = len(LESSONS)
_cache: dict = {}


def summary(name: str, overrides: dict):
    key = (name, tuple(sorted(overrides.items())))
    if key not in _cache:
        sets = [f"{k}={v}" for k, v in overrides.items()]
        sc = load_scenario(SCENARIOS / f"{name}.yaml", sets)
        _cache[key] = run(sc, reps=REPS).summary
    return _cache[key]


@pytest.mark.slow
@pytest.mark.parametrize("a,b,measure,sign,overrides,what", LESSONS, ids=[f"{x[0]}-{x[2]}" for x in LESSONS])
def test_lesson_direction(a, b, measure, sign, overrides, what):
    sa, sb = summary(a, overrides), summary(b, overrides)
    assert list(sa["seed"]) == list(sb["seed"])  # common random numbers: the same seeds, replication by replication
    diff = (sb[measure] - sa[measure]) * sign
    mean, half = t_interval(diff, comparisons=COMPARISONS)
    assert mean - half > 0, f"{what}: {b} - {a} on {measure} = {sign * mean:.4g} ± {half:.3g}"


def test_every_scenario_file_explains_itself_and_runs(tmp_path):
    """Each scenario starts with a comment saying what it shows, and runs (briefly)."""
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 19
    for path in files:
        assert path.read_text().startswith("#"), f"{path.name}: starts without a comment"
        sc = load_scenario(path, ["horizon_days=0.25", "warmup_days=0"])
        result = run(sc, reps=1)
        assert result.summary["arrivals"].iloc[0] > 0, path.name
