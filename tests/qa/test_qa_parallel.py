"""Phase one in worker processes (`jobs` > 1, :mod:`qa.parallel`) gives the one-process results byte for byte.

The files are written in time order (threads interleaved) and scored in small batches, so several batches are
in flight at once, repeats by content cross batches (a worker's kept posts must reach the main finder) and the
whole-file phase runs on what the workers sent back.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys

import pandas as pd
import pytest

import qa.parallel as par
from qa.api import score_file, score_to_folder, write_outputs
from qa.generator import generate, write_own, write_twcs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("parallel")
    gen = generate(500, seed=23)
    own = write_own(gen.messages.sort_values(["created_at", "message_id"], kind="stable"), d / "m.csv")
    tw = write_twcs(gen.messages, d / "m.twcs.csv")
    return d, own, tw


def _same_folder(a, b) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) and "scores.csv" in names
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


def test_score_file_with_two_workers_equals_one_process(files, monkeypatch):
    d, _, tw = files
    one = score_file(tw, model="default")
    monkeypatch.setattr(par, "MIN_MESSAGES", 0)  # small file: workers anyway, in batches of about 130 messages
    monkeypatch.setattr(par, "MIN_BATCH", 100)
    two = score_file(tw, model="default", jobs=2)
    assert len(one.scores) > 400 and len(one.repeats) > 0
    write_outputs(one, d / "mem-1")
    write_outputs(two, d / "mem-2")
    assert _same_folder(d / "mem-1", d / "mem-2") == []


def test_streamed_folder_with_two_workers_equals_one_process(files, monkeypatch):
    d, own, _ = files
    score_to_folder(own, d / "stream-1", batch_messages=60)
    monkeypatch.setattr(par, "MIN_MESSAGES", 0)
    score_to_folder(own, d / "stream-2", batch_messages=60, jobs=2)
    assert _same_folder(d / "stream-1", d / "stream-2") == []
    assert len(pd.read_csv(d / "stream-2" / "repeats.csv")) > 0


def test_small_inputs_stay_in_one_process():
    assert par.use_jobs(2, par.MIN_MESSAGES - 1) == 1 and par.use_jobs(2, par.MIN_MESSAGES) == 2
    assert par.use_jobs(1, 10**7) == 1
    assert par.batch_messages(10**6, 1, 50_000) == 50_000
    assert par.batch_messages(200_000, 2, 50_000) == 25_000  # four batches a worker
    assert par.batch_messages(1_000, 2, 50_000) == par.MIN_BATCH


@pytest.mark.parametrize("bad", ["0", "-2", "many", "1000"])
def test_bad_jobs_is_one_line_and_exit_2(files, bad):
    d, own, _ = files
    r = subprocess.run([sys.executable, "-m", "carebench", "qa", "score", str(own), "--out", str(d / "x"),
                        "--jobs", bad], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "--jobs" in r.stderr and "Traceback" not in r.stderr


def test_workers_that_cannot_start_leave_the_run_to_this_process(monkeypatch):
    """No worker processes on this system (no semaphores, a sandbox): the run is scored here, the same."""
    from qa.pipeline import score_messages
    from qa.rulebook import load_rulebook

    def no_context():
        raise OSError("no semaphores here")

    msgs = generate(60, seed=2).messages
    book = load_rulebook(None)
    want = score_messages(msgs, book)
    monkeypatch.setattr(par, "_context", no_context)
    monkeypatch.setattr(par, "MIN_MESSAGES", 0)
    monkeypatch.setattr(par, "MIN_BATCH", 50)
    got = score_messages(msgs, book, jobs=2)
    pd.testing.assert_frame_equal(got.scores, want.scores)


def test_a_worker_killed_mid_run_stops_it_with_one_line(tmp_path):
    """A worker the system kills (out of memory) breaks the pool: the run stops with one line naming what
    happened and what to do, not a BrokenProcessPool traceback."""
    import os
    import signal

    from qa.rulebook import load_rulebook

    workers = par.Workers(2, load_rulebook(None))
    try:
        assert workers.started()
        os.kill(next(iter(workers.pool._processes)), signal.SIGKILL)  # what the kernel's OOM killer does
        batches = [generate(30, seed=s).messages for s in (3, 4, 5)]
        from qa.pipeline import Audit

        with pytest.raises(par.WorkerLost, match="--jobs 1"):
            list(par.phase_one(Audit(load_rulebook(None)), batches, workers))
    finally:
        workers.close()
    assert issubclass(par.WorkerLost, OSError)  # what carebench.cli.main prints as one line, exit 2
