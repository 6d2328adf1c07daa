"""Reviews, disputes and calibration: the store's history and conflict detection, the agreement statistics
against published examples and an independent implementation, and blind calibration sessions."""

from __future__ import annotations

import math
import sqlite3
import threading

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from carebench_app.calibration import (calibration_table, cohen_kappa, fleiss_kappa, rater_agreement,
                                       session_agreement, wilson)
from carebench_app.sessions import SessionStore, draw_sample
from carebench_app.store import ConflictError, Review, ReviewStore


def _r(check="deflection", auto=True, decision="confirm", who="ana", comment=""):
    return Review("d1", "a.csv", "r1", check, auto, decision, comment, reviewer=who)


def test_store_keeps_history_and_the_current_review_across_restarts(tmp_path):
    db = tmp_path / "sub" / "reviews.sqlite"
    store = ReviewStore(db)
    first = store.save(_r(comment="right"), expected_version=0)
    store.save(_r("dm_request", False, "dispute", "ben"), expected_version=0)
    store.save(_r(decision="dispute", who="ben", comment="changed my mind"), expected_version=first.version)
    again = ReviewStore(db)  # as after a restart
    got = again.for_reply("d1", "r1")
    assert set(got) == {"deflection", "dm_request"}
    d = got["deflection"]
    assert (d.decision, d.reviewer, d.version, d.dispute_status, d.human_verdict) == ("dispute", "ben", 2, "open",
                                                                                      False)
    assert got["dm_request"].human_verdict is True
    history = again.history("d1", "r1", "deflection")
    assert [(e.version, e.actor, e.action, e.comment) for e in history] == [
        (1, "ana", "confirm", "right"), (2, "ben", "dispute", "changed my mind")]
    assert again.reviewed_reply_ids("d1") == {"r1"} and again.reviewed_reply_ids("other") == set()
    csv = again.export_csv().decode().splitlines()
    assert csv[0].startswith("file_digest,file_name,reply_id,check,auto_verdict,decision") and len(csv) == 3
    assert len(again.export_history_csv().decode().splitlines()) == 4


def test_a_stale_save_is_refused_not_lost(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    # two tabs open the same verdict (version 0); the second one to save must not overwrite the first
    store.save(_r(who="ana", comment="off policy"), expected_version=0)
    with pytest.raises(ConflictError, match="ana changed it") as err:
        store.save(_r(decision="dispute", who="ben"), expected_version=0)
    assert err.value.current.comment == "off policy"
    assert store.current("d1", "r1", "deflection").reviewer == "ana"
    assert [e.actor for e in store.history("d1", "r1", "deflection")] == ["ana"]


def test_concurrent_saves_of_one_verdict_keep_exactly_one_winner(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def save(i: int) -> None:
        start.wait()
        try:
            ReviewStore(store.path).save(_r(who=f"rev{i}"), expected_version=0)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    assert len(store.history("d1", "r1", "deflection")) == 1


def test_dispute_workflow_accept_and_reject(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    d = store.save(_r(decision="dispute", who="ben", comment="no phone number here"), expected_version=0)
    rejected = store.resolve("d1", "r1", "deflection", False, "lea", "it is a referral", d.version)
    assert (rejected.dispute_status, rejected.resolved_by, rejected.human_verdict) == ("rejected", "lea", True)
    with pytest.raises(ValueError, match="no open dispute"):
        store.resolve("d1", "r1", "deflection", True, "lea", "", rejected.version)
    with pytest.raises(ConflictError):
        store.resolve("d1", "r1", "deflection", True, "lea", "", d.version)  # decided on a stale view
    again = store.save(_r(decision="dispute", who="ben"), expected_version=rejected.version)
    accepted = store.resolve("d1", "r1", "deflection", True, "lea", "", again.version)
    assert accepted.human_verdict is False and accepted.state == "dispute accepted"
    assert [e.action for e in store.history("d1", "r1", "deflection")] == ["dispute", "reject", "dispute", "accept"]
    assert list(store.frame(dispute_status="accepted")["reply_id"]) == ["r1"]


def test_store_upgrades_a_database_from_before_history(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE reviews (file_digest TEXT NOT NULL, file_name TEXT NOT NULL, reply_id TEXT NOT "
                    "NULL, check_name TEXT NOT NULL, auto_verdict INTEGER NOT NULL, decision TEXT NOT NULL CHECK "
                    "(decision IN ('confirm', 'dispute')), comment TEXT NOT NULL DEFAULT '', reviewed_at TEXT NOT "
                    "NULL, PRIMARY KEY (file_digest, reply_id, check_name))")
        con.execute("INSERT INTO reviews VALUES ('d1','a.csv','r1','pii_exposed',1,'dispute','',"
                    "'2026-01-01T00:00:00+00:00')")
    store = ReviewStore(db)
    old = store.current("d1", "r1", "pii_exposed")
    assert (old.version, old.dispute_status, old.reviewer) == (1, "open", "")
    assert [e.action for e in store.history("d1", "r1", "pii_exposed")] == ["dispute"]
    store.save(_r("pii_exposed", who="ana"), expected_version=1)


def test_store_refuses_unknown_decisions(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    with pytest.raises(ValueError):
        store.save(Review("d", "a", "r", "c", True, "maybe"))
    with pytest.raises(sqlite3.IntegrityError):
        with sqlite3.connect(store.path) as con:
            con.execute("INSERT INTO reviews (file_digest, file_name, reply_id, check_name, auto_verdict, decision, "
                        "reviewed_at) VALUES ('d','a','r','c',1,'maybe','t')")


def test_cohen_kappa_matches_the_textbook_example():
    # 50 items: both yes 20, auto-only 5, human-only 10, both no 15 -> p_o 0.7, p_e 0.5, kappa 0.4
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.4)
    assert cohen_kappa(10, 0, 0, 10) == pytest.approx(1.0)
    assert cohen_kappa(0, 10, 10, 0) == pytest.approx(-1.0)
    assert math.isnan(cohen_kappa(0, 0, 0, 0))


def test_fleiss_kappa_matches_the_published_example():
    # Fleiss (1971) as tabulated on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa = 0.210
    table = np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]])
    assert fleiss_kappa(table) == pytest.approx(0.2099, abs=5e-4)
    # two raters: Fleiss' kappa is Scott's pi, here computed by hand: p_o = 0.8, p_e = 0.5^2 + 0.5^2 = 0.5
    two = np.array([[0, 2]] * 4 + [[2, 0]] * 4 + [[1, 1]] * 2)
    assert fleiss_kappa(two) == pytest.approx((0.8 - 0.5) / 0.5)
    assert math.isnan(fleiss_kappa(np.array([[1, 2], [2, 0]])))  # unequal raters per item


@pytest.mark.parametrize("k,n", [(0, 5), (3, 7), (19, 20), (81, 263), (1, 1)])
def test_wilson_interval_matches_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson(k, n) == pytest.approx((ci.low, ci.high), abs=1e-6)


def test_calibration_table_says_not_enough_below_the_minimum():
    rows = [("deflection", True, "confirm", None)] * 3 + [("deflection", True, "dispute", "open")] + \
           [("deflection", False, "dispute", "rejected")] + [("deflection", False, "confirm", None)] * 2 + \
           [("pii", True, "confirm", None)]
    reviews = pd.DataFrame(rows, columns=["check", "auto_verdict", "decision", "dispute_status"])
    reviews["human_verdict"] = [Review("d", "f", "r", c, a, d, dispute_status=s).human_verdict for c, a, d, s in rows]
    t = calibration_table(reviews, minimum=5).set_index("check")
    d = t.loc["deflection"]
    # the rejected dispute keeps the check's "not flagged": a true negative, not a miss
    assert (d.reviewed, d.confirmed, d.disputed, d.open, d.tp, d.fp, d.fn, d.tn) == (7, 5, 2, 1, 3, 1, 0, 3)
    assert d.precision == pytest.approx(0.75) and d.recall == pytest.approx(1.0) and d.status == ""
    assert d.kappa == pytest.approx(cohen_kappa(3, 1, 0, 3))
    p = t.loc["pii"]
    assert math.isnan(p.precision) and math.isnan(p.kappa) and p.status == "not enough reviews (1 of 5)"
    assert calibration_table(reviews.iloc[:0]).empty


def test_session_agreement_against_hand_counts():
    # three reviewers, six replies, one check; the check flags r1-r3
    votes = {"r1": (1, 1, 1), "r2": (1, 1, 0), "r3": (0, 0, 0), "r4": (0, 0, 0), "r5": (1, 0, 0), "r6": (0, 0, 0)}
    labels = pd.DataFrame([{"reviewer": who, "reply_id": r, "check": "deflection", "label": v[i]}
                           for r, v in votes.items() for i, who in enumerate(("ana", "ben", "cy"))])
    auto = {(r, "deflection"): r in ("r1", "r2", "r3") for r in votes}
    row = session_agreement(labels, auto, minimum=5).set_index("check").loc["deflection"]
    # pairs agreeing per item: 3, 1, 3, 3, 1, 3 of 3 -> 14/18
    assert row["agreement"] == pytest.approx(14 / 18)
    counts = np.array([[3 - sum(v), sum(v)] for v in votes.values()])
    assert row["fleiss kappa"] == pytest.approx(fleiss_kappa(counts))
    # majority: r1 yes, r2 yes, the rest no; the check says yes for r1-r3 -> 5 of 6 agree
    assert row["majority vs check"] == pytest.approx(5 / 6)
    assert row["kappa vs check"] == pytest.approx(cohen_kappa(2, 1, 0, 3))
    per = rater_agreement(labels, auto).set_index("reviewer")
    assert per.loc["ana", "agreement with check"] == pytest.approx(4 / 6)  # r1, r2, r4, r6
    few = session_agreement(labels[labels["reply_id"].isin(["r1", "r2"])], auto, minimum=5)
    assert few.loc[0, "status"].startswith("not enough reviews") and math.isnan(few.loc[0, "fleiss kappa"])


def test_blind_sessions_sample_half_flagged_and_lock_when_closed(tmp_path):
    queue = pd.DataFrame({"reply_id": [f"r{i}" for i in range(40)],
                          "_flag_deflection": [i % 8 == 0 for i in range(40)]})
    ids = draw_sample(queue, 10, ["deflection"], seed=3)
    assert len(ids) == len(set(ids)) == 10 and ids == draw_sample(queue, 10, ["deflection"], seed=3)
    assert sum(int(r[1:]) % 8 == 0 for r in ids) == 5  # five flagged (of the file's five) and five not
    store = SessionStore(tmp_path / "r.sqlite")
    s = store.create("week 1", "d1", "a.csv", ids, ["deflection"], "lea")
    store.label(s.id, "ana", ids[0], "deflection", True)
    store.label(s.id, "ana", ids[0], "deflection", False)  # a reviewer may change their mind while it is open
    with pytest.raises(ValueError, match="not part of"):
        store.label(s.id, "ana", "r999", "deflection", True)
    assert store.labels(s.id, "ana")["label"].tolist() == [0]
    closed = store.close(s.id, "lea")
    assert closed.closed and closed.closed_by == "lea"
    with pytest.raises(ValueError, match="closed"):
        store.label(s.id, "ben", ids[0], "deflection", True)
    assert [x.id for x in SessionStore(store.path).list("d1")] == [s.id]


def test_the_reviews_export_is_what_qa_train_reads(tmp_path):
    from qa.learned.data import read_labels

    store = ReviewStore(tmp_path / "r.sqlite")
    store.save(_r("deflection", True, "confirm"), expected_version=0)
    d = store.save(_r("dm_request", False, "dispute", "ben"), expected_version=0)
    store.resolve("d1", "r1", "dm_request", False, "lea", "", d.version)  # rejected: the check's "no" stands
    store.save(Review("d1", "a.csv", "r2", "deflection", True, "dispute", reviewer="ben"), expected_version=0)
    path = tmp_path / "reviews.csv"
    path.write_bytes(store.export_csv())
    labels = read_labels(path).set_index("reply_id")
    assert labels.loc["r1", "deflection"] == "1" and labels.loc["r1", "dm_request"] == "0"
    assert labels.loc["r2", "deflection"] == "0"  # an open dispute: the reviewer's "no"
