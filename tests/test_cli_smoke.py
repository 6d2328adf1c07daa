"""The CLI end to end on a short horizon: files written, KPI table printed, bad input refused."""

import subprocess
import sys

import pandas as pd

from carebench.cli import main


def test_simulate_writes_summary_and_plots(tmp_path, capsys):
    rc = main(["simulate", "scenarios/baseline.yaml", "--reps", "2", "--out", str(tmp_path),
               "--set", "horizon_days=0.5", "--set", "warmup_days=0.1"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "service level" in out and "95% CI" in out
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary["rep"]) == [0, 1]
    for col in ["rep", "seed", "arrivals", "answered", "abandoned", "p_wait", "service_level", "asa_minutes",
                "mean_wait_all_minutes", "abandon_rate", "occupancy"]:
        assert col in summary.columns
    hours = pd.read_parquet(tmp_path / "intervals.parquet")
    assert len(hours) == 2 * 12
    for name in ["volume_vs_capacity.png", "service_level.png", "backlog.png"]:
        assert (tmp_path / name).stat().st_size > 1000


def test_console_script_runs_as_module(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "carebench", "simulate", "scenarios/erlang-check.yaml",
                           "--reps", "1", "--no-plots", "--out", str(tmp_path), "--set", "horizon_days=0.2"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "summary.csv").exists()
