"""The contract through real processes: a sample of the corpus as a user runs it, and interrupted runs.

Ctrl-C (SIGINT) or SIGTERM while a run computes or writes: one line saying so, exit 130 (143), and the output
folder is the previous complete run or the new complete one, never a mix; no temporary files are left beside it.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runner import run_case
from test_corpus import BY_ID, contract_problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ["simulate:rate_inf.yaml", "simulate:deep_flow_lists.yaml", "simulate:name_traversal.yaml",
          "simulate:utf16_bom.yaml", "cli:out_is_file", "qa-score:tweets_unbalanced_quote.csv",
          "qa-score:binary.csv", "qa-report:drop_score_column", "rulebook:duplicate_weight.yaml",
          "app:settings_utf16", "app:host_unresolvable", "batch:scheduler_not_dask", "simulate:reply_log_is_scenario",
          "qa-score:input_symlink_loop"]


@pytest.mark.slow
@pytest.mark.parametrize("case_id", SAMPLE)
def test_real_processes_meet_the_contract_like_the_runner(case_id, tmp_path):
    case = BY_ID[case_id]
    record = run_case(case, tmp_path / "case", tmp_path, process=True)
    assert contract_problems(case, record) == [], record["stderr"]


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    # SIGINT as on a terminal: a child of a process that ignores it would inherit the ignoring
    return subprocess.Popen([sys.executable, "-m", "carebench", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for(pattern: str, folder: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Until a file matching ``pattern`` appears in ``folder`` (the run has started writing)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and proc.poll() is None:
        if any(folder.glob(pattern)):
            return
        time.sleep(0.05)
    raise AssertionError(f"{pattern} never appeared (exit {proc.poll()})")


def shell_status(proc: subprocess.Popen) -> int:
    """The exit status a shell reports: 128 + N for a process a signal N stopped. (When Ctrl-C lands while a
    C extension is being imported, CPython ends the process by the signal itself even after carebench handled
    it and printed its line; a shell shows 130 either way.)"""
    return 128 - proc.returncode if proc.returncode < 0 else proc.returncode


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


@pytest.mark.slow
@pytest.mark.parametrize("sig,code,word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_interrupted_simulation_keeps_the_previous_run_and_the_reply_log(tmp_path, sig, code, word):
    scenario = str(ROOT / "scenarios" / "baseline.yaml")
    out, log = tmp_path / "run", tmp_path / "replies.csv"
    first = subprocess.run([sys.executable, "-m", "carebench", "simulate", scenario, "--out", str(out), "--set",
                            "horizon_days=0.2", "--no-plots", "--records", "--reply-log", str(log)],
                           capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    before, log_before = digest(out), log.read_bytes()
    proc = start(["simulate", scenario, "--out", str(out), "--set", "horizon_days=3000", "--set", "replications=1",
                  "--records", "--reply-log", str(log)], ROOT)
    wait_for(".run.tmp-*/records.csv", tmp_path, proc)
    time.sleep(0.5)  # well inside the run: records are being written into the temporary folder
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert shell_status(proc) == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"carebench: {word}"), err
    assert digest(out) == before and log.read_bytes() == log_before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_interrupted_scoring_leaves_the_old_run_or_the_new_one_never_a_mix(tmp_path):
    """Ctrl-C at several moments of `qa score` over an earlier run: each time the folder is exactly the old run,
    or the new run complete (marker present, and it reads back and renders)."""
    from qa.api import load_outputs
    from qa.report import render

    data = tmp_path / "g.csv"
    subprocess.run([sys.executable, "-m", "carebench", "qa", "generate", "--out", str(data), "--threads", "400",
                    "--seed", "2"], check=True, capture_output=True, cwd=ROOT)
    out = tmp_path / "qa"
    small = tmp_path / "small.csv"
    small.write_text("".join(data.read_text(encoding="utf-8").splitlines(keepends=True)[:40]), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "carebench", "qa", "score", str(small), "--out", str(out)], check=True,
                   capture_output=True, cwd=ROOT)
    old = digest(out)
    outcomes = set()
    for delay in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0):
        proc = start(["qa", "score", str(data), "--out", str(out), "--format", "both"], ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        now = digest(out)
        if proc.returncode != 0:
            assert shell_status(proc) == 130, err
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("carebench: interrupted"), err
        if now == old:
            outcomes.add("old")
        else:
            assert ".carebench-results" in now and "report.md" in now, sorted(now)
            render(load_outputs(out), "html")
            outcomes.add("new")
            old = now  # the next attempt starts from this complete run
        assert leftovers(tmp_path) == []
    assert outcomes, "no attempt ran"


@pytest.mark.slow
def test_interrupted_generation_leaves_no_folder_it_made(tmp_path):
    """`qa generate --out a/b/g.csv` makes a/b for its files: stopped before they are renamed into place, it
    leaves neither (the sixth sweep: on main at c528903 the empty folders stayed after "no partial output")."""
    proc = start(["qa", "generate", "--out", str(tmp_path / "a" / "b" / "g.csv"), "--threads", "200000"], ROOT)
    wait_for(".g.csv.tmp-*", tmp_path / "a" / "b", proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert shell_status(proc) == 143, err
    assert err.strip().splitlines() == ["carebench: terminated; no partial output was left (earlier results are "
                                        "kept as they were)"], err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_sigterm_stops_a_batch_as_terminated(tmp_path):
    """SIGTERM while a batch runs: "terminated" and 143, as every command (on main at c528903: "interrupted", 130,
    as for Ctrl-C); the finished runs stay for a rerun to resume."""
    (tmp_path / "s.yaml").write_text((ROOT / "tests" / "hostile" / "corpus" / "scenarios" / "valid_small.yaml")
                                     .read_text())
    (tmp_path / "e.yaml").write_text("name: e\nscenarios: [s.yaml]\nset: {horizon_days: 30}\n"
                                     "grid:\n  staffing.agents: [3, 4]\nreplications: 50\n")
    proc = start(["batch", str(tmp_path / "e.yaml"), "--out", str(tmp_path / "out"), "--workers", "1",
                  "--no-plots"], ROOT)
    wait_for("out/points.parquet", tmp_path, proc, seconds=120)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert shell_status(proc) == 143, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("carebench: terminated; the finished runs are in "), err
