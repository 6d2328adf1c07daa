"""Scenario files: exact keys accepted as documented; every malformed file refused with one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carebench.cli import main
from sim.loader import ConfigError, load_scenario
from sim.scenario import scenario_json_schema

ROOT = Path(__file__).resolve().parents[1]

ISSUE_EXAMPLE = """\
name: erlang-check
seed: 11
horizon_days: 30          # measured window (days may be fractional)
warmup_days: 1            # simulated before the window, not measured
volume:
  mentions_per_hour: 60   # mean Poisson rate; with profiles below, the mean over the week
  hourly_profile: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
  weekly_profile: [1, 1, 1, 1, 1, 1, 1]
handling:
  handle_minutes: {dist: exponential, mean: 6}   # also lognormal, gamma, deterministic, empirical
customers:
  patience_minutes: {dist: exponential, mean: 30} # optional; absent means customers wait indefinitely
  on_impatience: withdraw                         # the mention leaves the queue unanswered
staffing:
  agents: 8               # on duty around the clock; or a weekly roster of shifts (below)
  concurrency: 1          # conversations an agent holds at once
sla:
  target_minutes: 1
  goal: 0.8
"""

ROSTER = """\
name: office
horizon_days: 7
volume: {mentions_per_hour: 10}
handling: {handle_minutes: {dist: deterministic, value: 5}}
staffing:
  roster:
    - {name: day, weekdays: [mon, tue, wed, thu, fri], start: "09:00", end: 17:00, agents: 3}
    - {name: night, weekdays: [sat], start: 22:00, end: 06:00, agents: 1, concurrency: 2}
sla: {target_minutes: 60, goal: 0.8}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_issue_example_loads_exactly_as_written(tmp_path):
    sc = load_scenario(write(tmp_path, ISSUE_EXAMPLE))
    assert sc.name == "erlang-check" and sc.seed == 11 and sc.horizon_days == 30 and sc.warmup_days == 1
    assert sc.handling.handle_minutes.mean == 6
    assert sc.customers.patience_minutes.mean == 30
    assert sc.staffing.agents == 8 and sc.staffing.concurrency == 1
    assert sc.sla.target_minutes == 1 and sc.sla.goal == 0.8


def test_roster_times_stay_clock_times(tmp_path):
    """Unquoted 17:00 would be the integer 1020 in YAML 1.1; the loader keeps it a time."""
    sc = load_scenario(write(tmp_path, ROSTER))
    day, night = sc.staffing.roster
    assert day.end == "17:00" and day.length_minutes == 8 * 60
    assert night.length_minutes == 8 * 60 and night.concurrency == 2


def test_overrides_set_nested_values(tmp_path):
    sc = load_scenario(write(tmp_path, ISSUE_EXAMPLE), ["staffing.agents=10", "sla.goal=0.9", "name=x"])
    assert sc.staffing.agents == 10 and sc.sla.goal == 0.9 and sc.name == "x"


BAD = [
    ("unknown key", ISSUE_EXAMPLE.replace("seed: 11", "seed: 11\ncolour: blue"), "colour: unknown key", 3),
    ("string for a number", ISSUE_EXAMPLE.replace("agents: 8 ", "agents: '8'"), "staffing.agents", 15),
    ("negative rate", ISSUE_EXAMPLE.replace("mentions_per_hour: 60", "mentions_per_hour: -5"),
     "volume.mentions_per_hour", 6),
    ("profile of the wrong length", ISSUE_EXAMPLE.replace("weekly_profile: [1, 1, 1, 1, 1, 1, 1]",
                                                          "weekly_profile: [1, 1, 1]"),
     "volume.weekly_profile: needs 7 weights, got 3", 8),
    ("unknown distribution", ISSUE_EXAMPLE.replace("dist: exponential, mean: 6", "dist: weibull, mean: 6"),
     "handling.handle_minutes", 10),
    # pydantic puts the union's tag in the location (handle_minutes.exponential.mean); the user wrote no such key
    ("distribution field out of range", ISSUE_EXAMPLE.replace("dist: exponential, mean: 6", "dist: exponential, mean: -6"),
     "handling.handle_minutes.mean: Input should be greater than", 10),
    ("shift of zero length", ROSTER.replace('start: "09:00", end: 17:00', 'start: "09:00", end: "09:00"'),
     "starts and ends at the same time", 7),
    ("shift name twice", ROSTER.replace("name: night", "name: day"), "shift name 'day' is used twice", 5),
    ("time out of range", ROSTER.replace("end: 17:00", "end: 25:00"), "staffing.roster[0].end", 7),
    ("both agents and roster", ROSTER.replace("staffing:\n", "staffing:\n  agents: 3\n"), "not both", 5),
    ("missing section", ISSUE_EXAMPLE.replace("sla:\n  target_minutes: 1\n  goal: 0.8\n", ""),
     "sla: required key is missing", None),
]


@pytest.mark.parametrize("label,text,expected,line", BAD, ids=[b[0] for b in BAD])
def test_malformed_files_get_one_line_with_file_field_and_line(tmp_path, label, text, expected, line, capsys):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    message = str(err.value)
    assert message.count("\n") == 0, message
    assert str(path) in message and expected in message
    if line is not None:
        assert f"{path}:{line}:" in message
    assert main(["simulate", str(path), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"carebench: {message}"
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("text,expected", [
    ("name: [unclosed\n", "unreadable YAML"),
    ("- just\n- a list\n", "expected a mapping"),
    ("\tname: tab\n", "unreadable YAML"),
])
def test_unreadable_yaml(tmp_path, text, expected):
    with pytest.raises(ConfigError, match=expected):
        load_scenario(write(tmp_path, text))


def test_missing_file_and_bad_override_exit_2_without_traceback(tmp_path):
    for args in (["simulate", str(tmp_path / "nope.yaml")],
                 ["simulate", "scenarios/baseline.yaml", "--set", "staffing.agents"],
                 ["simulate", "scenarios/baseline.yaml", "--set", "name.x=1"]):
        proc = subprocess.run([sys.executable, "-m", "carebench", *args], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_published_schema_matches_the_models():
    published = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
    assert published == scenario_json_schema()


def test_every_shipped_scenario_loads():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        load_scenario(path)
