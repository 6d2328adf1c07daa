"""The memory-saving paths (chunked reading, chunked Parquet, bounded caches) give the same results."""

from __future__ import annotations

import gc

import pandas as pd
import pytest

from qa import outputs, readers, readers_csv
from qa.generator import generate, write_generated
from qa.memory import release, use_system_arrow_pool


def test_csv_read_in_small_chunks_equals_one_chunk(tmp_path, monkeypatch):
    gen = generate(60, seed=3)
    for p in write_generated(gen, tmp_path / "g.csv")[:2]:  # own schema and twcs
        whole = readers.read_messages(p)
        monkeypatch.setattr(readers_csv, "CHUNK_ROWS", 7)
        small = readers.read_messages(p)
        monkeypatch.undo()
        assert small.format == whole.format
        assert small.broken_rows == whole.broken_rows
        pd.testing.assert_frame_equal(small.messages, whole.messages)


def test_parquet_written_in_slices_reads_back_the_same(tmp_path, monkeypatch):
    gen = generate(40, seed=5)
    msgs = readers.read_messages(write_generated(gen, tmp_path / "g.csv")[0]).messages
    whole = outputs.MessageWriter(tmp_path / "whole.parquet")
    whole.write(msgs)
    whole.close()
    monkeypatch.setattr(outputs.MessageWriter, "ROWS", 9)
    sliced = outputs.MessageWriter(tmp_path / "sliced.parquet")
    for start in range(0, len(msgs), 25):  # several batches, each in several slices
        sliced.write(msgs.iloc[start:start + 25])
    sliced.close()
    back = pd.read_parquet(tmp_path / "sliced.parquet")
    pd.testing.assert_frame_equal(back, pd.read_parquet(tmp_path / "whole.parquet"))
    assert back["message_id"].tolist() == msgs["message_id"].tolist()
    assert (back["text"] == msgs["text"]).all() and (back["created_at"] == msgs["created_at"]).all()


def test_release_and_system_pool_are_harmless():
    use_system_arrow_pool()
    release()
    s = pd.Series(["a", "b"], dtype="string")
    assert list(s.str.upper()) == ["A", "B"]


def test_text_grouper_in_batches_with_a_small_memo_equals_one_list():
    from qa.similarity import TextGrouper, text_groups

    base = ["the parcel is late again and nobody answers", "my refund never arrived after two weeks",
            "the app crashes when I log in", "thanks for the quick help today"]
    texts = [base[i % 4] + (" really" if i % 7 == 0 else "") for i in range(60)]
    blocks = ["acme" if i % 3 else "acme\x00" if i % 2 else "" for i in range(60)]  # a NUL must not merge blocks
    want = text_groups(texts, 0.6, blocks=blocks)
    grouper = TextGrouper(0.6, memo_limit=5)  # the memo is cleared several times on the way
    for s in range(0, 60, 11):
        grouper.add(texts[s:s + 11], blocks[s:s + 11])
    assert grouper.groups().tolist() == want.tolist()
    assert len(set(want.tolist())) > 4  # blocks keep equal texts of different brands apart


def test_text_grouper_spilling_signatures_to_a_file_changes_no_group(monkeypatch, tmp_path):
    import qa.similarity as sim

    texts = [f"order {w} is late and the courier never came {w}" for w in ("one", "two", "three")] * 20
    texts += ["the app crashes when I log in", "my refund never arrived"] * 10
    blocks = ["acme" if i % 2 else "zen" for i in range(len(texts))]
    want = sim.text_groups(texts, 0.6, blocks=blocks)
    monkeypatch.setattr(sim, "_SPILL_BYTES", 0)  # every batch's signatures go to the file
    grouper = sim.TextGrouper(0.6, spill_dir=tmp_path)
    for s in range(0, len(texts), 7):
        grouper.add(texts[s:s + 7], blocks[s:s + 7])
    assert grouper._spilled > 0
    assert grouper.groups().tolist() == want.tolist()


def test_shared_strings_equal_astype_string_with_one_object_per_value():
    from qa.memory import shared_strings

    for s in (pd.Series(["b", None, "a", "b"], dtype="category"), pd.Series(["b", None, "a", "b"], dtype="string"),
              pd.Series(["b", None, "a", "b"], dtype=object)):
        out = shared_strings(s)
        want = s.astype("string").to_numpy()
        assert [None if v is pd.NA else v for v in out] == [None if v is pd.NA else v for v in want]
        assert out[0] is out[3]


def test_concat_categories_keeps_values_and_categories():
    from qa.memory import concat_categories

    a = pd.DataFrame({"brand": pd.Series(["x", "y", None], dtype="category"), "n": [1, 2, 3]})
    b = pd.DataFrame({"brand": pd.Series(["z", "x"], dtype="category"), "n": [4, 5]})
    out = concat_categories([a, b])
    assert isinstance(out["brand"].dtype, pd.CategoricalDtype)
    assert out["brand"].astype(object).where(out["brand"].notna(), None).tolist() == ["x", "y", None, "z", "x"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5] and list(out.columns) == ["brand", "n"]


@pytest.fixture
def clean_gc():
    """No object frozen and the default thresholds before and after (the collector is the process's)."""
    gc.unfreeze()
    thresholds = gc.get_threshold()
    yield thresholds
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _small_file(tmp_path):
    from qa.generator import generate, write_generated

    return write_generated(generate(30, seed=4), tmp_path / "g.csv")[1]  # twcs


def test_score_file_leaves_the_collector_as_it_found_it(tmp_path, clean_gc):
    from qa.api import score_file

    score_file(_small_file(tmp_path))
    assert gc.get_threshold() == clean_gc
    assert gc.get_freeze_count() == 0  # nothing was frozen before: the run's freezing is undone


def test_score_file_never_unfreezes_what_the_app_cache_froze(tmp_path, clean_gc):
    """The app freezes its cached results (carebench_app.cache); scoring the next file inside the cache, as the
    app does, must keep them frozen and restore the thresholds."""
    from carebench_app.cache import StringCache
    from qa.api import score_file

    path = _small_file(tmp_path)
    cache = StringCache(max_entries=4)
    first = cache.get_or_compute(("a",), lambda: [{"n": i} for i in range(5_000)])  # frozen by the cache
    frozen = gc.get_freeze_count()
    assert frozen >= 5_000
    tracked = {id(o) for g in range(3) for o in gc.get_objects(g)}
    assert id(first[0]) not in tracked  # in the permanent generation
    result = cache.get_or_compute(("b",), lambda: score_file(path))
    assert len(result.scores) > 0
    assert gc.get_threshold() == clean_gc
    assert gc.get_freeze_count() >= frozen
    tracked = {id(o) for g in range(3) for o in gc.get_objects(g)}
    assert id(first[0]) not in tracked and id(first[-1]) not in tracked


def test_overlapping_runs_in_threads_restore_the_collector_once(clean_gc):
    """Two runs in two threads of one server, ending in either order: thresholds back only at the last end;
    something frozen on purpose meanwhile (qa.memory.keep_frozen) stays frozen."""
    import threading

    from qa.memory import frozen_heap, keep_frozen

    for last_first in (False, True):
        a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

        def run_a():
            with frozen_heap() as settle:
                settle()
                a_in.set()
                b_in.wait()
                if last_first:
                    a_out.wait()

        def run_b():
            a_in.wait()
            with frozen_heap():
                b_in.set()
                assert gc.get_threshold()[2] >= 1_000
            a_out.set()

        ts = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert gc.get_threshold() == clean_gc
        assert gc.get_freeze_count() == 0

    kept = [{"k": i} for i in range(100)]
    with frozen_heap() as settle:
        settle()
        keep_frozen()
    assert gc.get_threshold() == clean_gc
    assert gc.get_freeze_count() > 0  # the run did not unfreeze what was kept on purpose
    assert id(kept[0]) not in {id(o) for g in range(3) for o in gc.get_objects(g)}


def test_distinct_per_group_equals_groupby_nunique():
    import numpy as np

    from qa.templates import distinct_per_group

    rng = np.random.default_rng(1)
    for _ in range(200):
        n = int(rng.integers(0, 300))
        labels = rng.integers(0, 20, n) * 7
        values = np.array([None if rng.random() < 0.1 else f"i{rng.integers(0, 6)}" for _ in range(n)], dtype=object)
        want = pd.Series(values, dtype=object).groupby(labels).transform("nunique").to_numpy() if n else []
        assert distinct_per_group(labels, values).tolist() == list(want)


def test_similarity_groups_are_the_components_of_all_verified_candidate_pairs():
    """The band loop skips pairs already joined: a group must still lie inside one component of every verified
    pair sharing a bucket (computed here the slow way), and be named by its smallest member."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    import qa.similarity as sim

    rng = np.random.default_rng(7)
    grouped = 0
    for _ in range(20):
        n = int(rng.integers(2, 400))
        base = rng.integers(0, 2**32, (int(rng.integers(1, 12)), sim.NUM_PERM), dtype=np.uint64).astype(np.uint32)
        sig = base[rng.integers(0, len(base), n)].copy()
        noise = rng.random(sig.shape) < rng.random() * 0.5
        sig[noise] = rng.integers(0, 2**32, int(noise.sum()), dtype=np.uint64).astype(np.uint32)
        blocks = rng.integers(0, 3, n)
        threshold = float(rng.choice([0.5, 0.7, 0.8]))
        b, r = sim._bands_for(threshold)
        a_all, c_all = [], []
        for band in range(b):  # every pair sharing a bucket in some band (a superset of the chained pairs)
            keys = [tuple(row) for row in sig[:, band * r:band * r + r]]
            for i in range(n):
                for j in range(i + 1, n):
                    if keys[i] == keys[j] and blocks[i] == blocks[j] and \
                            (sig[i] == sig[j]).mean() >= threshold:
                        a_all.append(i)
                        c_all.append(j)
        graph = coo_matrix((np.ones(len(a_all)), (a_all, c_all)), shape=(n, n))
        comp = connected_components(graph, directed=False)[1]
        got = sim.similarity_groups(sig, threshold, blocks)
        for label in np.unique(got):
            members = np.flatnonzero(got == label)
            assert len(np.unique(comp[members])) == 1  # never joins what no verified pair joins
            assert members[0] == label  # named by its smallest member
        grouped += len(np.unique(got)) < n
    assert grouped >= 10  # most trials leave real groups to find
