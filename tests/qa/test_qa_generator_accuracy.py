"""The pipeline's own verdicts against the generator's labels (truth by construction), in both schemas."""

from __future__ import annotations

import pytest

from qa.api import load_policy, score_file
from qa.pipeline import score_messages
from qa.readers import read_messages
from qa.evaluate import precision_recall
from qa.generator import generate, write_generated


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    gen = generate(1200, seed=77)
    paths = write_generated(gen, tmp_path_factory.mktemp("gen") / "g.parquet")
    return gen, paths


def test_labels_have_every_kind_of_violation(files):
    gen, _ = files
    lab = gen.labels
    for col in ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch",
                "off_policy", "late_response", "customer_repeated", "template_overuse", "never_acceptable"):
        assert 5 <= lab[col].sum() < len(lab), col
    assert set(lab["locale"]) == {"en_US", "en_GB", "es_ES", "es_MX"}
    assert (lab.loc[lab["language_mismatch"], "customer_language"]
            != lab.loc[lab["language_mismatch"], "reply_language"]).all()


def test_own_schema_verdicts_match_labels(files):
    gen, paths = files
    r = score_file(paths[0])
    pr = precision_recall(r.scores, gen.labels).set_index("check")
    for check in ("late_response", "customer_repeated", "template_overuse", "never_acceptable"):
        assert pr.loc[check, "precision"] >= 0.95 and pr.loc[check, "recall"] >= 0.95, (check, pr.loc[check])
    assert pr.loc["off_policy", "precision"] >= 0.95  # recall also depends on the compensation check


def test_policy_judgement_is_right_when_the_concession_is_recognised(files):
    # without the text checks, concessions come from qa.concessions alone: this isolates the rulebook logic
    gen, paths = files
    r = score_messages(read_messages(paths[0]).messages, load_policy(), checks={})
    pr = precision_recall(r.scores, gen.labels).set_index("check")
    assert pr.loc["off_policy", "precision"] >= 0.95 and pr.loc["off_policy", "recall"] >= 0.95


def test_twcs_copy_gives_the_same_timing_and_keeps_every_reply(files):
    gen, paths = files
    r = score_file(paths[1])
    assert r.meta["format"] == "twcs" and r.broken_rows == []
    assert set(r.scores["reply_id"]) == set(gen.labels["reply_id"])
    pr = precision_recall(r.scores, gen.labels).set_index("check")
    for check in ("late_response", "customer_repeated", "never_acceptable"):
        assert pr.loc[check, "precision"] >= 0.95 and pr.loc[check, "recall"] >= 0.95, check
    # twcs has no purchase dates: off-policy calls that need one are "unknown", never wrong
    assert pr.loc["off_policy", "precision"] >= 0.95
    # no categories either: issues come from text similarity, which splits one problem worded differently;
    # templates are still found (the echo rule must not cost recall), and canned answers to one problem are
    # not (on this small set 0.976 without the echo rule, 1.0 with it; 3,000 threads in the README)
    assert pr.loc["template_overuse", "recall"] >= 0.95 and pr.loc["template_overuse", "precision"] >= 0.95


def test_same_seed_same_data():
    a, b = generate(50, seed=3), generate(50, seed=3)
    assert a.messages.equals(b.messages) and a.labels.equals(b.labels)
    assert not generate(50, seed=4).messages["text"].equals(a.messages["text"])
