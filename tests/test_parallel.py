"""`carebench simulate --jobs N`: replications in worker processes give exactly the results of --jobs 1."""

from __future__ import annotations

from carebench.cli import main
from helpers import make_scenario
from sim.parallel import run_parallel
from sim.results import run


def test_jobs_gives_the_same_files_byte_for_byte(tmp_path):
    common = ["simulate", "scenarios/baseline.yaml", "--reps", "3", "--set", "horizon_days=0.5", "--no-plots"]
    assert main(common + ["--out", str(tmp_path / "one")]) == 0
    assert main(common + ["--out", str(tmp_path / "two"), "--jobs", "2"]) == 0
    for name in ("summary.csv", "intervals.parquet", "kpis.csv", "scenario.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_parallel_run_reports_progress_and_keeps_replication_order():
    sc = make_scenario(horizon_days=2.0, customers={"patience_minutes": {"dist": "exponential", "mean": 2.0}})
    seen = {}
    result = run_parallel(sc, reps=3, seed=5, jobs=2, progress=lambda rep, m: seen.__setitem__(rep, m))
    assert [r.rep for r in result.replications] == [0, 1, 2]
    assert result.summary.equals(run(sc, reps=3, seed=5).summary)
    assert sorted(seen) == [0, 1, 2] and min(seen.values()) >= 1440.0


def test_bad_jobs_are_refused_in_one_line(capsys):
    assert main(["simulate", "scenarios/baseline.yaml", "--jobs", "0"]) == 2
    assert main(["simulate", "scenarios/baseline.yaml", "--jobs", "2", "--records"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("carebench: --jobs:") for line in err)
