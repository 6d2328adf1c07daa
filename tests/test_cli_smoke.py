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


def test_records_are_written_only_when_asked(tmp_path):
    assert main(["simulate", "scenarios/erlang-check.yaml", "--reps", "2", "--no-plots", "--out", str(tmp_path),
                 "--set", "horizon_days=0.1"]) == 0
    assert not (tmp_path / "records.csv").exists()
    assert main(["simulate", "scenarios/erlang-check.yaml", "--reps", "2", "--no-plots", "--out", str(tmp_path),
                 "--set", "horizon_days=0.1", "--records"]) == 0
    records = pd.read_csv(tmp_path / "records.csv")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert records.groupby("rep").size().tolist() == (summary["answered"] + summary["abandoned"]).tolist()
    assert (records["wait_minutes"] >= 0).all()


def test_progress_bar_only_on_long_runs_on_a_terminal(monkeypatch):
    """The bar is drawn for a simulated week or more on a terminal, and kept out of logs and pipes."""
    import io

    from carebench.simulate_cli import _progress_bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    bar = _progress_bar(8 * 1440.0, 2, "long")
    bar.n = 5
    bar.refresh()
    bar.close()
    assert "5/16 sim-days" in screen.getvalue()
    assert _progress_bar(1440.0, 2, "short").disable
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert _progress_bar(8 * 1440.0, 2, "piped").disable
