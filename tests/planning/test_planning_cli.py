"""``carebench staff`` and ``carebench roster`` end to end on a small day: files, the roster runnable by
``simulate --set``, and bad input refused in one line with exit code 2."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from carebench.cli import main

SHIFTS = """
part_time_max_share: 0.5
shifts:
  - name: day
    lengths: ["8:00"]
    starts: {earliest: "0:00", latest: "23:00"}
    breaks: {length: "1:00", after: {earliest: "3:00", latest: "5:00"}}
  - name: part
    lengths: ["4:00"]
    starts: {earliest: "6:00", latest: "18:00"}
    part_time: true
"""
SET = ["--set", "horizon_days=1", "--set", "warmup_days=0.1", "--set", "volume.mentions_per_hour=30"]


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    out = tmp_path_factory.mktemp("staff")
    rc = main(["staff", "scenarios/baseline.yaml", "--target", "0.8@15", "--interval", "60", "--reps", "2",
               "--jobs", "1", "--out", str(out), *SET])
    assert rc == 0
    return out


def test_staff_writes_the_requirement(staffed, capsys):
    df = pd.read_csv(staffed / "requirement.csv")
    assert len(df) == 168 and set(df.team) == {"all"}
    for col in ["interval", "offered_load", "erlang_agents", "requirement", "service_level", "sl_low", "sl_high",
                "occupancy"]:
        assert col in df.columns
    measured = df[df.measured]
    assert len(measured) == 24 and (measured.service_level >= 0.8).all()
    assert df.interval.iloc[25] == "Tue 01:00"
    assert (staffed / "requirement.png").stat().st_size > 10_000
    summary = (staffed / "summary.txt").read_text()
    assert "agent-hours" in summary and "iterations" in summary and "simulation runs" in summary


def test_roster_covers_it_and_runs_with_set(staffed, tmp_path, capsys):
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(SHIFTS, encoding="utf-8")
    out = tmp_path / "roster"
    rc = main(["roster", "scenarios/baseline.yaml", "--requirement", str(staffed / "requirement.csv"),
               "--shifts", str(shifts), "--reps", "2", "--jobs", "1", "--out", str(out), *SET])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "paid hours" in printed and "--set \"staffing=$(cat" in printed
    cov = pd.read_csv(out / "coverage.csv")
    assert (cov.under == 0).all() and (cov.on_duty >= cov.requirement).all()
    assert cov.service_level.notna().sum() == 24
    staffing = yaml.safe_load((out / "roster.yaml").read_text())
    assert "agents" not in staffing and staffing["roster"]
    sim_out = tmp_path / "sim"
    assert main(["simulate", "scenarios/baseline.yaml", "--reps", "1", "--no-plots", "--out", str(sim_out), *SET,
                 "--set", f"staffing={(out / 'roster.yaml').read_text()}"]) == 0
    assert main(["simulate", str(out / "scenario-roster.yaml"), "--reps", "1", "--no-plots",
                 "--out", str(tmp_path / "sim2")]) == 0


@pytest.mark.parametrize("args,message", [
    (["staff", "scenarios/baseline.yaml", "--target", "80@15"], "--target: '80@15': the goal must lie between"),
    (["staff", "scenarios/baseline.yaml", "--target", "0.8@15", "--interval", "7"], "--interval: an interval of 7"),
    (["staff", "scenarios/baseline.yaml", "--target", "0.8"], "is not GOAL@MINUTES"),
])
def test_bad_staff_arguments_are_one_line(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_bad_roster_inputs_are_one_line(staffed, tmp_path, capsys):
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(SHIFTS.replace('latest: "23:00"', 'latest: "8:00"').replace('"18:00"', '"8:00"'),
                      encoding="utf-8")
    args = ["roster", "scenarios/baseline.yaml", "--requirement", str(staffed / "requirement.csv"), "--shifts",
            str(shifts), "--no-simulate", "--out", str(tmp_path / "r"), *SET]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "shifts.yaml: no allowed shift can cover Mon 16:00-17:00" in err and len(err.splitlines()) == 1
    broken = tmp_path / "requirement.csv"
    broken.write_text("team,start_minute,requirement\nall,0,3\nall,60,x\n", encoding="utf-8")
    args[3] = str(broken)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "requirement.csv:3: requirement: 'x' is not a whole number" in err
