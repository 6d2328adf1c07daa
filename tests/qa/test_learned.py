"""The learned layer: training from labels and reviews, the model file (no text, no pickle, provenance, clear
errors), rules + model combined with sources and evidence, uncertainty. Generated replies only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carebench_shared.config import ConfigError
from qa.checks.base import Finding
from qa.generator import generate, write_generated
from qa.learned import (DEFAULT_MODEL, BatchScores, LearnedModel, ModelError, combine_one, labels_from_reviews,
                        load_model, read_labels, save_model, uncertainty)
from qa.learned.features import N_FEATURES, vectorise
from qa.learned.model import CheckModel


def carebench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carebench", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A model trained by the CLI on 300 generated threads (three brands: leave-brands-out folds)."""
    d = tmp_path_factory.mktemp("learned")
    gen = generate(300, seed=5)
    own, _, labels, _ = write_generated(gen, d / "synth.csv")
    out = d / "model.npz"
    r = carebench("qa", "train", "--labels", str(labels), str(own), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return d, gen, out, r.stdout


def test_default_model_ships_and_loads() -> None:
    model = load_model(DEFAULT_MODEL)
    assert {"deflection", "dm_request"} <= set(model.checks)
    prov = model.meta["provenance"]
    assert re.fullmatch(r"[0-9a-f]{64}", prov["labels_sha256"])
    assert prov["groups"] == "brand"
    cv = prov["checks"]["deflection"]["cross_validated"]["rules+model"]
    assert 0 < cv["precision"] <= 1 and 0 < cv["recall"] <= 1
    assert "scikit-learn" in prov["versions"]


@pytest.mark.slow
def test_train_writes_provenance_from_the_labels(trained) -> None:  # type: ignore[no-untyped-def]
    d, gen, out, stdout = trained
    model = load_model(out)
    prov = model.meta["provenance"]
    assert prov["groups"] == "brand" and prov["n_groups"] == gen.messages["brand"].nunique()
    assert prov["replies"] == len(gen.labels)
    positives = int(gen.labels["dm_request"].sum())
    assert prov["checks"]["dm_request"]["positives"] == positives
    assert "leave-brands-out" in stdout


STRUCTURAL = set("""format name version features kind hash bits ngram range normalise lower handles digits links
words thresholds provenance labels file sha reply files groups brand thread n replies checks versions python
numpy scipy scikit learn labelled positives model none too few target precision threshold cross validated rules
recall tp fp fn folds carebench qa csv synth dm request pii exposed not our team language mismatch""".split()) | {"deflection", "dm_request", "pii_exposed",
                                                          "compensation", "not_our_team", "language_mismatch"}


@pytest.mark.slow
def test_model_file_holds_no_reply_text(trained) -> None:  # type: ignore[no-untyped-def]
    d, gen, out, _ = trained
    with zipfile.ZipFile(out) as z:
        members = {name: z.read(name) for name in z.namelist()}
    with np.load(out, allow_pickle=False) as npz:
        for key in npz.files:
            assert npz[key].dtype.kind in "iuf", (key, npz[key].dtype)  # numbers only: no strings, no objects
    meta = json.loads(np.load(out, allow_pickle=False)["meta"].tobytes())
    plain = re.sub(r"\b[0-9a-f]{16,}\b|\b\d[\w.+]*", " ", json.dumps(meta).lower())  # digests, versions
    meta_words = set(re.findall(r"[a-z]+", plain))
    assert meta_words <= STRUCTURAL | {"hashed", "handles", "e", "ed", "x", "out", "rules", "model"}, \
        meta_words - STRUCTURAL
    blob = b"".join(members.values())
    texts = gen.messages.loc[gen.messages["role"] == "brand", "text"]
    long_words = {w for t in texts for w in re.findall(r"[A-Za-z]{7,}", t)} - STRUCTURAL
    assert long_words, "the generated replies have words to look for"
    leaked = [w for w in long_words if w.encode() in blob or w.lower().encode() in blob]
    assert not leaked


@pytest.mark.slow
def test_score_with_the_model_marks_sources(trained, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, gen, out, _ = trained
    r = carebench("qa", "score", str(d / "synth.csv"), "--out", str(tmp_path / "run"), "--model", str(out))
    assert r.returncode == 0, r.stderr
    scores = pd.read_csv(tmp_path / "run" / "scores.csv", keep_default_na=False)
    assert len(scores) == len(gen.labels)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_bad_model_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    replies = tmp_path / "r.csv"
    write_generated(generate(5, seed=1), replies)
    r = carebench("qa", "score", str(replies), "--out", str(tmp_path / "run"), "--model", str(bad))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and str(bad) in r.stderr and "Traceback" not in r.stderr


def _model(weights: dict[str, float], threshold: float = 0.5, bias: float = -4.0) -> LearnedModel:
    w = np.zeros(N_FEATURES, dtype=np.float32)
    for word, value in weights.items():
        w[vectorise([word]).indices] = value
    return LearnedModel({"deflection": CheckModel("deflection", w, bias, threshold)})


def test_mismatched_model_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    save_model(_model({"kiosk": 9.0}), path)
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(arrays["meta"].tobytes())
    meta["features"]["hash_bits"] = 20
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ModelError, match="written for features"):
        load_model(path)
    replies = tmp_path / "r.csv"
    write_generated(generate(5, seed=1), replies)
    r = carebench("qa", "score", str(replies), "--out", str(tmp_path / "run"), "--model", str(path))
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_object_arrays_are_refused_not_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    np.savez(path, meta=np.array([{"format": 1}], dtype=object))
    with pytest.raises(ModelError):
        load_model(path)


def test_a_model_verdict_says_its_source_and_shows_the_words_that_weighed() -> None:
    model = _model({"kiosk": 30.0})
    text = "@1 Please take it to the kiosk downstairs"
    p = BatchScores(model, [text]).p("deflection", 0)
    assert p > 0.5
    f = combine_one(model, Finding("deflection", False), p, text)
    assert f.verdict is True and f.source == "model"
    assert [e.text for e in f.evidence][0] == "kiosk"
    assert all(text[e.start:e.end] == e.text for e in f.evidence)
    both = combine_one(model, Finding("deflection", True), p, text)
    assert both.source == "both"
    other = "@1 Thanks, all sorted now"
    q = BatchScores(model, [other]).p("deflection", 0)
    assert combine_one(model, Finding("deflection", True), q, other).source == "rule"
    assert combine_one(model, Finding("deflection", False), q, other).verdict is False


def test_a_switched_off_check_never_adds_a_verdict() -> None:
    model = _model({"kiosk": 9.0}, threshold=1.0)
    text = "@1 the kiosk"
    f = combine_one(model, Finding("deflection", False), BatchScores(model, [text]).p("deflection", 0), text)
    assert f.verdict is False


def test_uncertainty_is_highest_near_the_threshold() -> None:
    model = _model({"kiosk": 4.0}, threshold=0.5, bias=-4.0)  # "kiosk" alone: p about 0.5
    u = uncertainty(model, ["kiosk", "nothing here at all", "kiosk kiosk kiosk kiosk"])
    assert u[0] > u[1] and u[0] > u[2] and 0 < u[0] <= 1


def test_reviews_become_labels_latest_decision_winning(tmp_path: Path) -> None:
    reviews = pd.DataFrame([
        {"file_digest": "f", "file_name": "a.csv", "reply_id": "7", "check": "deflection", "auto_verdict": True,
         "decision": "confirm", "human_verdict": True, "comment": "", "reviewed_at": "2026-01-01T10:00:00"},
        {"file_digest": "f", "file_name": "a.csv", "reply_id": "7", "check": "deflection", "auto_verdict": True,
         "decision": "dispute", "human_verdict": False, "comment": "", "reviewed_at": "2026-01-02T10:00:00"},
        {"file_digest": "f", "file_name": "a.csv", "reply_id": "8", "check": "dm_request", "auto_verdict": False,
         "decision": "dispute", "human_verdict": True, "comment": "", "reviewed_at": "2026-01-01T10:00:00"},
    ])
    wide = labels_from_reviews(reviews).set_index("reply_id")
    assert wide.loc["7", "deflection"] == "0" and wide.loc["8", "dm_request"] == "1"
    assert wide.loc["7", "dm_request"] == ""
    path = tmp_path / "reviews.csv"
    reviews.to_csv(path, index=False)
    read = read_labels(path).set_index("reply_id")
    assert read.loc["7", "deflection"] == "0" and read.loc["8", "dm_request"] == "1"


def test_vectorise_gives_exactly_what_the_hashing_vectoriser_gives() -> None:
    """``vectorise`` hashes each distinct word once per batch and splits words without the token regex: the
    matrix must be the very one scikit-learn's ``HashingVectorizer`` builds (indices, values, order), on
    replies of every kind and on random Unicode (digits of other scripts, combining marks, emoji, lone
    surrogates, spaces that are not ASCII)."""
    import random

    from qa.learned.features import _vectoriser, normalise

    texts = [t for t in generate(60, seed=5).messages["text"].tolist()]
    texts += ["", "a", "@Jo_1 Llámanos al 800-123-4567 ¡ya! ¿qué? €5 £3 https://x.co/Á www.ß.com", "٣٤ apples ²³ ½",
              "don’t\u00a0stop\u2028now", "x\ud800y", "İstanbul ǅ ﬁ Ⅻ A\u0301", "&amp;&amp; hi hi hi", "\x1cword\x1d"]
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x2100) if not 0xD800 <= c < 0xE000] + ["\ud83d", "😀", "&amp;", "@", "http://", " "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    latin1 = [chr(c) for c in range(256)] + ["&amp;", "@", "http://", " ", "é", "ñ"]  # Latin-1 has its own path
    texts += ["".join(rng.choice(latin1) for _ in range(rng.randint(0, 40))) for _ in range(1000)]
    fast = vectorise(texts)
    ref = _vectoriser().transform([normalise(t) for t in texts])
    assert fast.shape == ref.shape and fast.dtype == ref.dtype
    for a, b in ((fast.indptr, ref.indptr), (fast.indices, ref.indices), (fast.data, ref.data)):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_probabilities_rounded_for_a_batch_are_what_round_gives() -> None:
    """``combine_all`` rounds a batch's probabilities with numpy: each must be Python's ``round(p, 4)``, on
    random values, on values at and one step either side of every half (where a product's error could flip
    the rounding), and on probabilities from a logistic of wide scores."""
    from qa.learned.combine import _rounded

    rng = np.random.default_rng(11)
    halves = (np.arange(0, 20001) + 0.5) / 1e4
    values = np.concatenate([rng.random(200_000), rng.random(50_000) ** 8, halves, np.nextafter(halves, 2),
                             np.nextafter(halves, -1), np.arange(0, 10001) / 1e4, [0.0, 1.0, 1 / 32, 3 / 32],
                             1 / (1 + np.exp(-rng.normal(0, 6, 100_000))), [5e-324, 1e-300]]).tolist()
    assert _rounded(values) == [round(v, 4) for v in values]
    assert _rounded([]) == []


def test_shared_rule_findings_join_to_the_finding_combine_one_builds() -> None:
    """``BatchScores.combine`` shares one joined finding among replies whose rule finding is a shared "nothing
    found" and whose rounded probability is the same: each must equal the finding built for the reply alone,
    read-only, and a reply the model flags must still get its own finding with its own words."""
    from qa.checks.base import settled

    model = _model({"kiosk": 30.0, "maybe": 0.8}, threshold=0.5, bias=-2.0)
    texts = ["@1 the kiosk downstairs", "nothing here", "nothing here either", "maybe", "maybe maybe", "", "kiosk"]
    scores = BatchScores(model, texts)
    nothing = settled("deflection", False, channels=())
    joined = [scores.combine(i, nothing) for i in range(len(texts))]
    for i, text in enumerate(texts):
        alone = combine_one(model, nothing, scores.p("deflection", i), text)
        assert joined[i] == alone and dict(joined[i].detail) == dict(alone.detail)
        assert joined[i].source == alone.source and joined[i].evidence == alone.evidence
    assert joined[0].verdict is True and joined[0] is not joined[6] and joined[6].evidence[0].text == "kiosk"
    assert joined[1] is joined[2]  # same words, same probability: one shared finding
    with pytest.raises(TypeError):
        joined[1].detail["model_probability"] = 1.0  # type: ignore[index]
    own = Finding("deflection", False)  # a finding of its own (a dict detail) is joined into a new one
    assert scores.combine(1, own) is not scores.combine(2, own)


def test_a_nul_byte_deep_in_a_labels_file_is_refused_at_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Past the 64 KB that the text sniffer reads, pandas' parser would end the field at the NUL and the label on
    that line would be lost without a word."""
    rows = [f"reply-{i:05d},1,0\n" for i in range(8000)]  # about 140 KB
    clean = tmp_path / "clean.csv"
    clean.write_text("reply_id,deflection,dm_request\n" + "".join(rows))
    assert len(read_labels(clean)) == 8000
    rows[7000] = "reply-07000,1\x00,0\n"
    bad = tmp_path / "nul.csv"
    bad.write_text("reply_id,deflection,dm_request\n" + "".join(rows))
    with pytest.raises(ConfigError, match=r"nul\.csv:7002: a NUL byte"):
        read_labels(bad)


def test_labels_refuse_a_byte_that_is_not_utf8_deep_in_the_file_naming_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Past the sniffed start, pandas stopped at such a byte with no line number ("position 3")."""
    rows = [f"reply-{i:05d},1,0\n".encode() for i in range(8000)]
    rows[7000] = "reply-07000-caf\u00e9,1,0\n".encode("latin-1")
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"reply_id,deflection,dm_request\n" + b"".join(rows))
    with pytest.raises(ConfigError, match=r"latin\.csv:7002: not UTF-8 text \(byte 0xE9\)"):
        read_labels(bad)


def test_qa_evaluate_refuses_a_nul_byte_deep_in_its_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same for ``qa evaluate --labels``: one line naming the file and line, exit code 2."""
    rows = [f"reply-{i:05d},1\n" for i in range(8000)]
    rows[7500] = "reply-07500,\x001\n"
    bad = tmp_path / "labels.csv"
    bad.write_text("reply_id,deflection\n" + "".join(rows))
    run = tmp_path / "run"
    run.mkdir()
    (run / "scores.csv").write_text("reply_id,deflection\nreply-00001,True\n")
    done = carebench("qa", "evaluate", str(run), "--labels", str(bad))
    assert done.returncode == 2 and "labels.csv:7502: a NUL byte" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_latest_review_wins_by_time_not_by_its_text(tmp_path: Path) -> None:
    """10:00+05:00 is 05:00 UTC, an hour before 06:00Z: as text it sorted last and its verdict won (2026-12-08)."""
    path = tmp_path / "reviews.csv"
    path.write_text("reply_id,check,human_verdict,reviewed_at\n"
                    "7,dm_request,True,2026-01-01T06:00:00Z\n7,dm_request,False,2026-01-01T10:00:00+05:00\n"
                    "8,dm_request,False,2026-01-01T06:00:00\n8,dm_request,True,2026-01-01T05:30:00-01:00\n")
    read = read_labels(path).set_index("reply_id")
    assert read.loc["7", "dm_request"] == "1" and read.loc["8", "dm_request"] == "1"


@pytest.mark.parametrize("when", ["yesterday", "2026-13-01T00:00:00Z", "10:00"])
def test_a_review_time_that_is_no_time_is_refused_at_its_line(tmp_path: Path, when: str) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(f"reply_id,check,human_verdict,reviewed_at\n7,deflection,True,2026-01-01T06:00:00Z\n"
                    f"8,deflection,False,{when}\n")
    with pytest.raises(ConfigError, match=rf"reviews.csv:3: reviewed_at: '{when}' is not an ISO 8601 time"):
        read_labels(path)
