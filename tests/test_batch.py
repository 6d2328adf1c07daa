"""`carebench batch`: experiment files, results independent of workers, resume after a kill, honest summaries."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from carebench.cli import main
from batch.experiment import expand_points, load_experiment
from batch.plan import Plan, rule_met
from batch.runner import dask_client
from batch.summaries import pairs
from sim.engine import simulate_replication
from sim.intervals import kpi_interval, paired_difference
from sim.loader import ConfigError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
ERLANG = ROOT / "scenarios" / "erlang-check.yaml"

SMALL = f"""\
name: small
scenarios: [{ERLANG}]
set: {{horizon_days: 0.3, warmup_days: 0.05}}
grid:
  staffing.agents: [7, 8]
replications: 4
kpis: [p_wait, service_level, asa_minutes]
stopping: {{half_width: {{p_wait: 0.03}}, max_replications: 12, step: 4}}
"""


def write(folder: Path, text: str, name: str = "exp.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def runs_table(out: Path) -> pd.DataFrame:
    """Every stored run, with its scenario and point, in a stable order."""
    frames = []
    for f in sorted((out / "runs").glob("scenario=*/point=*/runs.parquet")):
        frames.append(pq.read_table(f).to_pandas().assign(scenario=f.parts[-3].split("=")[1],
                                                          point=f.parts[-2].split("=")[1]))
    return pd.concat(frames).sort_values(["scenario", "point", "rep"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory):
    """The small experiment run on 1 and on 2 local workers."""
    folder = tmp_path_factory.mktemp("batch")
    exp = write(folder, SMALL)
    outs = {}
    for workers in (1, 2):
        outs[workers] = folder / f"out{workers}"
        assert main(["batch", str(exp), "--out", str(outs[workers]), "--workers", str(workers)]) == 0
    return exp, outs


def test_results_do_not_depend_on_worker_count(small_runs):
    _, outs = small_runs
    one, two = runs_table(outs[1]), runs_table(outs[2])
    pd.testing.assert_frame_equal(one, two)
    for name in ("points.csv", "differences.csv"):
        assert (outs[1] / "summary" / name).read_bytes() == (outs[2] / "summary" / name).read_bytes()
    for f in (outs[1] / "runs").rglob("runs.parquet"):
        assert f.read_bytes() == (outs[2] / f.relative_to(outs[1])).read_bytes()


def test_each_run_is_the_replication_simulate_would_run(small_runs):
    """Rows are simulate_replication(scenario + overrides, rep, seed): the same streams as `carebench simulate`."""
    exp, outs = small_runs
    table = runs_table(outs[1])
    point = expand_points(load_experiment(exp), exp)[1]
    row = table[(table["point"] == point.point_id) & (table["rep"] == 3)].iloc[0]
    scenario = load_scenario(ERLANG, ["horizon_days=0.3", "warmup_days=0.05", "staffing.agents=8"])
    expected = simulate_replication(scenario, 3, scenario.seed).summary_row()
    assert row["staffing.agents"] == 8 and row["seed"] == scenario.seed == point.seed
    for kpi in ("arrivals", "p_wait", "service_level", "asa_minutes", "occupancy"):
        assert row[kpi] == expected[kpi]


def test_stopping_rule_stops_each_point_when_its_interval_is_narrow_enough(small_runs):
    exp, outs = small_runs
    table = runs_table(outs[1])
    experiment = load_experiment(exp)
    for point_id, rows in table.groupby("point"):
        n = len(rows)
        assert n in (4, 8, 12) and sorted(rows["rep"]) == list(range(n))
        width = kpi_interval(rows["p_wait"], "p_wait").half_width
        assert width <= 0.03 or n == 12
        if n > 4:  # the round before did not meet the rule
            assert not rule_met({"p_wait": list(rows["p_wait"][: n - 4])}, experiment.stopping, 0.95)


def test_summaries_match_intervals_computed_from_the_rows(small_runs):
    exp, outs = small_runs
    table = runs_table(outs[1])
    summary = pd.read_csv(outs[1] / "summary" / "points.csv")
    for row in summary.itertuples():
        values = table[table["point"] == row.point][row.kpi]
        iv = kpi_interval(values, row.kpi)
        assert row.n == iv.n and math.isclose(row.mean, iv.mean, rel_tol=1e-12)
        assert math.isclose(row.ci_low, iv.low, rel_tol=1e-9) and math.isclose(row.ci_high, iv.high, rel_tol=1e-9)
        assert 0 <= row.ci_low <= row.ci_high and (row.kind != "proportion" or row.ci_high <= 1)
    diffs = pd.read_csv(outs[1] / "summary" / "differences.csv")
    d = diffs[diffs["kpi"] == "service_level"].iloc[0]
    a = table[table["point"] == d.point_a].set_index("rep")["service_level"]
    b = table[table["point"] == d.point_b].set_index("rep")["service_level"]
    common = a.index.intersection(b.index)
    iv = paired_difference(a[common], b[common], "proportion")
    assert d.n == len(common) and math.isclose(d.ci_low, iv.low, rel_tol=1e-9)
    assert d.changed == "staffing.agents" and (str(d["from"]), str(d["to"])) == ("7", "8") and d.difference > 0


def test_a_finished_batch_reruns_nothing(small_runs, capsys):
    exp, outs = small_runs
    before = {f: f.stat().st_mtime_ns for f in (outs[1] / "runs").rglob("runs.parquet")}
    assert main(["batch", str(exp), "--out", str(outs[1]), "--no-plots"]) == 0
    assert "0 runs done" in capsys.readouterr().out
    assert before == {f: f.stat().st_mtime_ns for f in (outs[1] / "runs").rglob("runs.parquet")}


KILLABLE = f"""\
name: killable
scenarios: [{ERLANG}]
set: {{horizon_days: 6.0, warmup_days: 0.05}}
grid:
  staffing.agents: [7, 8]
replications: 12
kpis: [p_wait, service_level]
"""


@pytest.mark.slow
def test_resume_after_a_killed_batch_gives_the_same_dataset(tmp_path):
    exp = write(tmp_path, KILLABLE)
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert main(["batch", str(exp), "--out", str(whole), "--workers", "2", "--no-plots"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "carebench", "batch", str(exp), "--out", str(killed),
                             "--workers", "1", "--no-plots"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _stored(killed) < 5:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its local workers, mid-batch
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    partial = _stored(killed)
    assert 5 <= partial < 24
    assert main(["batch", str(exp), "--out", str(killed), "--workers", "2", "--no-plots"]) == 0
    pd.testing.assert_frame_equal(runs_table(killed), runs_table(whole))
    for f in (whole / "runs").rglob("runs.parquet"):
        assert f.read_bytes() == (killed / f.relative_to(whole)).read_bytes()
    assert not list(killed.rglob(".*tmp-*"))


def _stored(out: Path) -> int:
    total = 0
    for f in (out / "runs").glob("scenario=*/point=*/runs.parquet"):
        try:
            total += pq.read_metadata(f).num_rows
        except (OSError, ValueError):  # replaced while reading
            pass
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_cluster_path_with_a_real_scheduler_and_workers(small_runs, tmp_path):
    """`dask scheduler` and two `dask worker` processes (one thread each), joined with --scheduler."""
    exp, outs = small_runs
    dask = Path(sys.executable).parent / "dask"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([str(dask), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--no-dashboard"], start_new_session=True, cwd=ROOT,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        out = tmp_path / "cluster"
        assert main(["batch", str(exp), "--out", str(out), "--scheduler", address, "--no-plots"]) == 0
        pd.testing.assert_frame_equal(runs_table(out), runs_table(outs[1]))
    finally:
        for p in reversed(procs):
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_unreachable_scheduler_is_one_line():
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ConfigError) as err:
        with dask_client(address, timeout=1):
            pass
    assert str(err.value).startswith(f"--scheduler {address}: cannot connect") and "\n" not in str(err.value)


BAD = [
    ("unknown key", "extra: 1\n", "exp.yaml:7: extra: unknown key"),
    ("grid and points", "points: [{staffing.agents: 3}]\n", "give either 'grid' or 'points'"),
    ("unknown kpi", None, "unknown KPI 'p_wiat'"),
    ("string for a number", "replications: '4'\n", "replications: Input should be a valid integer"),
    ("bad value in the grid", None, "exp.yaml:4: grid.staffing.agents: "),
    ("missing scenario", None, "cannot read file"),
    ("stopping cap below replications", "stopping: {half_width: {p_wait: 0.1}, max_replications: 3}\n",
     "stopping.max_replications is below 'replications'"),
    ("infinite half-width", "stopping: {half_width: {p_wait: .inf}, max_replications: 9}\n",
     "exp.yaml:7: .inf is not a finite number"),  # refused by the loader, as every number in every input file
    ("absurd size", "replications: 999999\n", "runs"),
    ("plot of an unswept key", "plots: [{kpi: p_wait, x: staffing.concurrency}]\n", "is not a key of 'grid'"),
    ("infinite override", "set: {horizon_days: .inf}\n", "exp.yaml:7: .inf is not a finite number"),
    ("baseline of an unswept key", "baseline: {staffing.concurrency: 2}\n", "baseline: 'staffing.concurrency'"),
]


@pytest.mark.parametrize("label,extra,expected", BAD, ids=[b[0] for b in BAD])
def test_malformed_experiment_files_are_refused_in_one_line(tmp_path, capsys, label, extra, expected):
    text = f"""\
name: bad
scenarios: [{ERLANG}]
grid:
  staffing.agents: [7, 8]
kpis: [p_wait]
replications: 4
"""
    if label == "unknown kpi":
        text = text.replace("kpis: [p_wait]", "kpis: [p_wiat]")
    if label == "bad value in the grid":
        text = text.replace("[7, 8]", "[7, eight]")
    if label == "missing scenario":
        text = text.replace(str(ERLANG), "nowhere.yaml")
    if label == "string for a number":  # given twice it would be a duplicate key, refused as such
        text = text.replace("replications: 4\n", "")
    if label == "absurd size":
        text = text.replace("replications: 4\n", "").replace("[7, 8]", str(list(range(1, 40))))
    exp = write(tmp_path, text + (extra or ""))
    rc = main(["batch", str(exp), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith(f"carebench: {exp}") and expected in err[0], err[0]
    assert not (tmp_path / "out").exists()


def test_bad_arguments_and_foreign_folders_are_refused(tmp_path, capsys):
    exp = write(tmp_path, SMALL)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    assert main(["batch", str(exp), "--workers", "0"]) == 2
    assert main(["batch", str(exp), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert main(["batch", str(exp), "--out", str(tmp_path / "mine")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "not a batch results folder" in err[2]
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_a_changed_experiment_does_not_mix_into_old_results(small_runs, tmp_path, capsys):
    exp, outs = small_runs
    changed = write(tmp_path, SMALL.replace("[7, 8]", "[8, 9]"))
    assert main(["batch", str(changed), "--out", str(outs[2]), "--no-plots"]) == 2
    assert "not in this experiment" in capsys.readouterr().err


def test_pairs_are_neighbours_along_each_swept_key_or_against_a_baseline(tmp_path):
    grid = SMALL.replace("grid:\n  staffing.agents: [7, 8]",
                         "grid:\n  staffing.agents: [9, 7, 8]\n  staffing.concurrency: [1, 2]")
    exp = write(tmp_path, grid)
    experiment = load_experiment(exp)
    points = expand_points(experiment, exp)
    found = {(a.params["staffing.agents"], a.params["staffing.concurrency"], b.params["staffing.agents"],
              b.params["staffing.concurrency"], k) for a, b, k in pairs(experiment, points)}
    assert (7, 1, 8, 1, "staffing.agents") in found and (8, 2, 9, 2, "staffing.agents") in found
    assert (9, 1, 9, 2, "staffing.concurrency") in found and len(found) == 4 + 3
    based = write(tmp_path, grid + "baseline: {staffing.agents: 8}\n", "based.yaml")
    experiment = load_experiment(based)
    found = pairs(experiment, expand_points(experiment, based))
    assert len(found) == 4 and all(a.params["staffing.agents"] == 8 for a, _, _ in found)


def test_plan_adds_rounds_until_the_rule_is_met_or_the_cap(tmp_path):
    exp = write(tmp_path, SMALL)
    experiment = load_experiment(exp)
    point = expand_points(experiment, exp)[0]
    values = [0.5, 0.1, 0.9, 0.2] * 2 + [0.5] * 4  # too wide at 4 and 8 replications; 12 is the cap
    finished: set[int] = set()
    plan = Plan(experiment, [point], lambda p: finished, lambda p, kpi, k: values[:k])
    assert plan.advance(point) == [0, 1, 2, 3]
    finished.update(range(4))
    assert plan.advance(point) == [4, 5, 6, 7]
    finished.update(range(8))
    assert plan.advance(point) == [8, 9, 10, 11]
    finished.update(range(12))
    assert plan.advance(point) == [] and plan.complete(point) and plan.planned == 12


def test_shipped_experiments_load_and_the_published_schema_is_current(tmp_path):
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        experiment = load_experiment(path)
        assert expand_points(experiment, path)
    out = tmp_path / "schema.json"
    assert main(["schema", "--experiment", "--out", str(out)]) == 0
    assert out.read_text() == (ROOT / "experiments" / "experiment.schema.json").read_text()


def test_a_failed_run_is_one_line_naming_it_and_a_hint():
    from batch.runner import _failure

    class LostModule:
        def exception(self, timeout=None):
            return ModuleNotFoundError("No module named 'sim'\nmore detail")

    point = type("P", (), {"scenario_name": "baseline", "point_id": "p123"})()
    text = _failure(point, 4, LostModule())
    assert text == ("run baseline p123 rep 4 failed on a worker: ModuleNotFoundError: No module named 'sim' "
                    "(is carebench installed on the workers?)")
