"""The app's part of the learning loop (issue #9): reviews exported as training labels that ``carebench qa train``
accepts, a retrained model chosen on the Open page and ordering the queue by its uncertainty, each review
recording what the model said, and the model's agreement with the reviewers over time on Calibration.

Truth comes from outside the app: the generator's labels (``qa.generator``), the CLI's own training, the model
file read with ``qa.learned``, and hand counts. Generated replies only."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from scipy.stats import binomtest

from carebench_app import learning
from carebench_app.calibration import CHECKS_SERIES, OVER_TIME_COLUMNS, agreement_over_time
from carebench_app.store import Review, ReviewStore
from conftest import write_settings
from pagetest import app, goto, name_reviewer, ok

TRAINED = ("deflection", "dm_request")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """220 generated threads (three brands), their labels, their scores, and reviews that agree with the
    labels: confirmed where the check is right, disputed where it is wrong (half of those accepted by a lead)."""
    from qa.api import score_file
    from qa.generator import generate, write_generated

    d = tmp_path_factory.mktemp("loop")
    gen = generate(220, seed=7)
    own = write_generated(gen, d / "synth.csv")[0]
    scores = score_file(str(own)).scores.set_index("reply_id")
    digest = "synth-digest"  # the store only groups reviews by it
    store = ReviewStore(d / "reviews.sqlite")
    truth: dict[tuple[str, str], bool] = {}
    for n, row in enumerate(gen.labels.to_dict("records")):
        rid = str(row["reply_id"])
        for check in TRAINED:
            auto = scores.loc[rid, check]
            if pd.isna(auto):
                continue
            truth[(rid, check)] = bool(row[check])
            right = bool(auto) == bool(row[check])
            saved = store.save(Review(digest, own.name, rid, check, bool(auto), "confirm" if right else "dispute",
                                      reviewer="ana"), expected_version=0)
            if not right and n % 2:
                store.resolve(digest, rid, check, True, "lea", "", saved.version)
        store.save(Review(digest, own.name, rid, "late_response", False, "confirm", reviewer="ana"),
                   expected_version=0)  # a criterion no model learns: not a training label
    return d, gen, own, store, truth


def test_training_labels_are_the_reviewers_verdicts(generated):
    _, gen, _, store, truth = generated
    labels = learning.training_labels(store.frame()).set_index("reply_id")
    assert list(labels.columns) == list(TRAINED)  # late_response left out
    assert len(labels) == len({rid for rid, _ in truth})
    for (rid, check), value in truth.items():
        assert labels.loc[rid, check] == ("1" if value else "0"), (rid, check)
    assert learning.training_labels(store.frame().iloc[:0]).empty


@pytest.fixture(scope="module")
def retrained(generated):
    """The exported labels fed to the real CLI: ``carebench qa train --labels LABELS REPLIES --out MODEL``."""
    d, gen, own, store, _ = generated
    labels = d / "training_labels.csv"
    learning.training_labels(store.frame()).to_csv(labels, index=False)
    out = d / "retrained.npz"
    r = subprocess.run([sys.executable, "-m", "carebench", "qa", "train", "--labels", str(labels), str(own),
                        "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.slow
def test_qa_train_accepts_the_exported_labels(generated, retrained):
    from qa.learned import load_model

    _, gen, _, _, truth = generated
    prov = load_model(retrained).meta["provenance"]
    assert prov["replies"] == len({rid for rid, _ in truth}) and prov["labels_file"] == "training_labels.csv"
    for check in TRAINED:
        positives = sum(v for (_, c), v in truth.items() if c == check)
        assert prov["checks"][check]["positives"] == positives
        assert prov["checks"][check]["labelled"] == sum(1 for _, c in truth if c == check)


@pytest.mark.slow
def test_a_retrained_model_from_the_data_folder_orders_the_queue(tmp_path, monkeypatch, generated, retrained):
    from qa.learned import load_model, uncertainty

    _, _, own, _, _ = generated
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(own, data / "synth.csv")
    shutil.copy(retrained, data / "retrained.npz")
    (data / "broken.npz").write_bytes(b"PK\x03\x04 not a model")
    write_settings(tmp_path, monkeypatch, data)
    at = goto(app(), "qa_open")
    at.radio(key="model_src").set_value("Rules + a model file (qa train)").run()
    at.selectbox(key="model_file").set_value(data / "broken.npz").run()
    ok(at)
    assert len(at.error) == 1 and at.error[0].value.startswith("broken.npz") and "\n" not in at.error[0].value
    assert not [b for b in at.button if b.key == "open_button"]  # nothing to open with a refused model
    at.selectbox(key="model_file").set_value(data / "retrained.npz").run()
    assert any("trained on" in c.value and "retrained.npz" in c.value for c in at.caption)
    at.button(key="open_button").click().run()
    ok(at)
    opened = at.session_state["opened"]
    assert opened.model.label == "retrained.npz" and "retrained.npz" not in opened.token  # digests, never paths
    goto(at, "qa_queue")
    at.radio(key="f_order").set_value("most uncertain first (learned model)").run()
    ok(at)
    from carebench_app import qa_service as qs

    view = qs.score(opened, qs.StringCache())
    doubt = dict(zip(view.queue["reply_id"].astype(str),
                     uncertainty(load_model(retrained), view.queue["text"].fillna("").tolist()), strict=True))
    ids = list(at.dataframe[0].value["reply_id"].astype(str))
    assert [doubt[r] for r in ids] == sorted(doubt.values(), reverse=True)[:len(ids)]


def _model_says(text: str, check: str) -> bool:
    """The shipped model's own verdict, from its file: p >= the check's threshold (qa.learned.model)."""
    from qa.learned import DEFAULT_MODEL, load_model
    from qa.learned.features import vectorise

    cm = load_model(DEFAULT_MODEL).checks[check]
    return bool(cm.proba(vectorise([text]))[0] >= cm.threshold)


def test_a_review_records_what_the_model_said(twcs_workbench):
    at = goto(app(), "qa_open")
    at.button(key="open_button").click().run()
    from carebench_app import qa_service as qs

    view_queue = qs.score(at.session_state["opened"], qs.StringCache()).queue
    said = {str(r): _model_says(str(t), "dm_request") for r, t in zip(view_queue["reply_id"], view_queue["text"],
                                                                       strict=True)}
    picks = [next(r for r, v in said.items() if v), next(r for r, v in said.items() if not v)]
    name_reviewer(at, "ana")
    for rid in picks:
        goto(at, "qa_queue")
        at.text_input(key="queue_id").set_value(rid)
        at.button(key="FormSubmitter:queue_by_id-Open").click().run()
        ok(at)
        assert at.session_state["reply_id"] == rid
        at.button(key="confirm_dm_request").click().run()
        ok(at)
    store = ReviewStore(twcs_workbench / "reviews.sqlite")
    digest = at.session_state["opened"].digest
    for rid in picks:
        review = store.current(digest, rid, "dm_request")
        assert review.model == learning.shipped().name and review.model.startswith("shipped model ")
        assert review.model_verdict is said[rid]


def _review(rid: str, at: str, auto: bool, decision: str, model: str, says: bool) -> Review:
    return Review("d1", "a.csv", rid, "deflection", auto, decision, reviewed_at=at, reviewer="ana", model=model,
                  model_verdict=says)


# (reply, reviewed at, automatic verdict, decision, model, model's verdict); the human verdict is the automatic
# one when confirmed, its opposite when disputed (open)
WEEKS = [
    ("r1", "2026-01-05T09:00:00+00:00", True, "confirm", "A 1", True),    # human yes: checks agree, A agrees
    ("r2", "2026-01-06T09:00:00+00:00", True, "dispute", "A 1", True),    # human no: both wrong
    ("r3", "2026-01-07T09:00:00+00:00", False, "confirm", "A 1", True),   # human no: checks right, A wrong
    ("r4", "2026-01-11T23:00:00+00:00", False, "dispute", "A 1", True),   # human yes: checks wrong, A right
    ("r5", "2026-01-12T08:00:00+00:00", True, "confirm", "B 2", True),    # next week, the retrained model
    ("r6", "2026-01-13T08:00:00+00:00", False, "dispute", "B 2", True),   # human yes: B right
    ("r7", "2026-01-14T08:00:00+00:00", False, "confirm", "B 2", False),  # human no: both right
]


def _frame(tmp_path) -> pd.DataFrame:
    store = ReviewStore(tmp_path / "reviews.sqlite")
    for w in WEEKS:
        store.save(_review(*w), expected_version=0)
    store.save(Review("d1", "a.csv", "r8", "deflection", True, "confirm", reviewed_at="2026-01-14T09:00:00+00:00"),
               expected_version=0)  # saved without a model verdict: left out
    return store.frame()


def test_agreement_over_time_against_hand_counts(tmp_path):
    table = agreement_over_time(_frame(tmp_path), minimum=3, period="week")
    got = {(str(r.period.date()), r.series): (r.reviews, r.agreed) for r in table.itertuples()}
    assert got == {("2026-01-05", CHECKS_SERIES): (4, 2), ("2026-01-05", "model: A 1"): (4, 2),
                   ("2026-01-12", CHECKS_SERIES): (3, 2), ("2026-01-12", "model: B 2"): (3, 3)}
    row = table[(table["series"] == "model: B 2")].iloc[0]
    assert row["agreement"] == 1.0 and row["status"] == ""
    ci = binomtest(2, 4).proportion_ci(confidence_level=0.95, method="wilson")
    first = table[table["series"] == CHECKS_SERIES].iloc[0]
    assert first["low"] == pytest.approx(ci.low, abs=1e-4) and first["high"] == pytest.approx(ci.high, abs=1e-4)
    few = agreement_over_time(_frame(tmp_path / "x"), minimum=4, period="week")
    late = few[few["period"] == pd.Timestamp("2026-01-12")]
    assert late["agreement"].isna().all() and (late["status"] == "not enough reviews (3 of 4)").all()
    daily = agreement_over_time(_frame(tmp_path / "y"), minimum=1, period="day")
    assert daily["period"].nunique() == 7


def _over_time_table(at) -> pd.DataFrame:
    """The page's agreement-over-time table (AppTest does not expose a dataframe's key: found by its columns)."""
    tables = [d.value for d in at.dataframe if list(d.value.columns) == OVER_TIME_COLUMNS]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]


def test_calibration_page_shows_the_model_over_time_and_exports_labels(tmp_path, monkeypatch):
    _frame(tmp_path)
    write_settings(tmp_path, monkeypatch, tmp_path, min_calibration_reviews=3)
    at = goto(app(), "qa_calibration")
    charts = [c for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    assert charts, "no agreement chart"
    shown = _over_time_table(at)
    assert set(shown["series"]) == {CHECKS_SERIES, "model: A 1", "model: B 2"} and shown["reviews"].sum() == 14
    labels = [b for b in at.get("download_button") if "training labels" in b.proto.label]
    assert len(labels) == 1 and "(8 replies)" in labels[0].proto.label and not labels[0].proto.disabled
    at.radio(key="calib_period").set_value("day").run()
    ok(at)
    assert _over_time_table(at)["period"].nunique() == 7


def test_calibration_says_when_no_review_has_a_model_verdict(tmp_path, monkeypatch):
    store = ReviewStore(tmp_path / "reviews.sqlite")
    store.save(Review("d1", "a.csv", "r1", "deflection", True, "confirm", reviewer="ana"), expected_version=0)
    write_settings(tmp_path, monkeypatch, tmp_path)
    at = goto(app(), "qa_calibration")
    assert any("No review has a model verdict yet" in i.value for i in at.info)
