"""`qa score` in batches of whole threads gives the same results as scoring the whole file in memory.

The files are written in time order (threads interleaved, as exports are), and read in batches of a few dozen
messages, so threads stay open across many batches, repeats and templates cross batch boundaries, and the
whole-file phase (issues, templates, consistency) runs on what the batches kept.
"""

from __future__ import annotations

import pandas as pd
import pytest

from qa.api import load_outputs, score_file, score_to_folder, write_outputs
from qa.batches import open_batches
from qa.generator import generate, write_own, write_twcs


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("stream")
    gen = generate(700, seed=21)
    by_time = gen.messages.sort_values(["created_at", "message_id"], kind="stable")
    own = write_own(by_time, d / "m.csv")
    tw = d / "m.twcs.csv"
    write_twcs(gen.messages, tw)
    rows = pd.read_csv(tw, dtype=str, keep_default_na=False)  # twcs rows in time order too
    rows.assign(t=pd.to_datetime(rows["created_at"], format="%a %b %d %H:%M:%S %z %Y")).sort_values(
        ["t", "tweet_id"], kind="stable").drop(columns="t").to_csv(tw, index=False)
    return d, own, tw


def _same(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> None:
    a = a.sort_values(key, kind="stable").reset_index(drop=True)
    b = b.sort_values(key, kind="stable").reset_index(drop=True)
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


@pytest.mark.parametrize("which", ["own", "twcs"])
def test_batches_give_the_same_folder_as_one_pass_in_memory(files, which):
    d, own, tw = files
    path = own if which == "own" else tw
    score_to_folder(path, d / f"{which}-stream", batch_messages=40)
    write_outputs(score_file(path), d / f"{which}-memory")
    s, m = load_outputs(d / f"{which}-stream"), load_outputs(d / f"{which}-memory")
    assert len(s.scores) == len(m.scores) > 500
    _same(s.scores, m.scores, ["reply_id"])
    _same(s.consistency, m.consistency, ["issue", "dimension", "level", "outcome"])
    _same(s.unanswered, m.unanswered, ["message_id"])
    _same(s.repeats, m.repeats, ["message_id"])
    for by in m.aggregates:
        _same(s.aggregates[by], m.aggregates[by], [by])
    _same(s.messages, m.messages, ["message_id"])
    assert s.scores["template_overuse"].sum() > 0 and len(s.repeats) > 0


def test_batches_hold_whole_threads_and_every_message_once(files):
    _, own, tw = files
    for path in (own, tw):
        src = open_batches(path, batch_messages=40)
        seen: dict[str, int] = {}
        total = 0
        for k, batch in enumerate(src.batches()):
            for t in batch["thread_id"].unique():
                assert t not in seen, f"thread {t} split over batches {seen[t]} and {k}"
                seen[t] = k
            total += len(batch)
        assert total == src.records and k > 10 and src.broken_rows == []


def test_broken_rows_are_reported_once_with_their_lines_in_batches(tmp_path, files):
    _, own, _ = files
    lines = own.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "x,y\n")  # wrong field count
    bad = lines[9].split(",")
    bad[0] = ""  # an empty message id
    lines[9] = ",".join(bad)
    p = tmp_path / "b.csv"
    p.write_text("".join(lines), encoding="utf-8")
    src = open_batches(p, batch_messages=30)
    n = sum(len(b) for b in src.batches())
    assert [line for line, _ in src.broken_rows] == [6, 10]
    assert n == src.records - 1  # the wrong field count never was a record; the empty id was


def test_a_twcs_tweet_id_given_twice_is_read_in_batches_as_in_memory(tmp_path, files):
    """A duplicated tweet id (exports overlap) joins its first occurrence's thread; the batch plan must not
    stop on it, and the streamed folder matches the in-memory one."""
    _, _, tw = files
    lines = tw.read_text(encoding="utf-8").splitlines(keepends=True)
    p = tmp_path / "dup.twcs.csv"
    p.write_text("".join(lines[:200] + [lines[3], lines[150]]), encoding="utf-8")
    score_to_folder(p, tmp_path / "s", batch_messages=25)
    write_outputs(score_file(p), tmp_path / "m")
    s, m = load_outputs(tmp_path / "s"), load_outputs(tmp_path / "m")
    assert len(s.scores) > 20
    _same(s.scores, m.scores, ["reply_id"])
    assert sorted(s.broken_rows) == sorted(m.broken_rows)


def test_write_csv_writes_what_pandas_to_csv_writes():
    """Independent truth: pandas' own ``to_csv`` on the same frame, with every dtype a run writes (and a few it
    could): floats at the edges of their text forms, missing values of each kind, text that needs quoting."""
    import io

    import numpy as np

    from qa.outputs import csv_ready, write_csv

    n = 9
    df = pd.DataFrame({
        "f": [1e16, 1e-05, 0.0001, -0.0, np.nan, np.inf, 80.8, 0.1 + 0.2, 5.0],
        "f32": np.array([0.1, 1.5, np.nan, 3e-7, 1e20, 2.0, -1.25, 7.0, 0.3], dtype="float32"),
        "b": [True, False] * 4 + [True],
        "nb": pd.array([True, None, False] * 3, dtype="boolean"),
        "i": np.arange(n) * 10**15,
        "ni": pd.array([1, None, 2**60, -3, None, 0, 7, 8, 9], dtype="Int64"),
        "s": pd.array(["a,b", 'say "hi"', "two\nlines", "", None, " lead", "é ☃", "x\r", "plain"], dtype="str"),
        "ps": pd.array(["q", None, "r", "s", "t", "u", "v", "w", "y"], dtype="string"),
        "o": [None, "x", np.nan, 3, 2.5, "y,z", pd.NA, True, "end"],
        "created_at": pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC"),
        "evidence": [(), "[]", "", None, (), (), (), (), ()],
        "cat": pd.Categorical(["a", "b", None] * 3),
        "zero": [0.0, -0.0, 0.0, -0.0, 1.0, np.nan, -np.inf, 2.0**-1074, 1.0 - 2.0**-53],  # made text once each
        "q": pd.array(['"', ",", "\n", "\r\n", 'a""b', "\t", "", "a'b", None], dtype="str"),
    })
    from qa.outputs import CSV_ROWS_AT_ONCE

    long = pd.concat([df.drop(columns="cat")] * (CSV_ROWS_AT_ONCE // n + 2), ignore_index=True)  # several slices
    for frame in (df, df.drop(columns="cat"), df.iloc[:0], df[["s"]], pd.DataFrame(), long, long.iloc[3:]):
        for header in (True, False):
            got = io.StringIO()
            write_csv(got, frame, header=header)
            want = io.StringIO()
            csv_ready(frame).to_csv(want, index=False, header=header)
            assert got.getvalue() == want.getvalue(), (list(frame.columns), header)
