"""The workbench's plain-Python parts: review store, calibration metrics, cache, queue helpers, settings, CLI."""

from __future__ import annotations

import math
import sqlite3

import pandas as pd
import pytest

from carebench.cli import app_command, main
from carebench_app import qa_service as qs
from carebench_app.cache import StringCache
from carebench_app.calibration import calibration_table, cohen_kappa
from carebench_app.settings import AppSettings, SettingsError, load_settings, save_settings
from carebench_app.store import Review, ReviewStore


def test_store_keeps_reviews_across_instances_and_replaces_the_same_verdict(tmp_path):
    db = tmp_path / "sub" / "reviews.sqlite"
    store = ReviewStore(db)
    store.save(Review("d1", "a.csv", "r1", "deflection", True, "confirm", "right"))
    store.save(Review("d1", "a.csv", "r1", "dm_request", False, "dispute"))
    store.save(Review("d1", "a.csv", "r1", "deflection", True, "dispute", "changed my mind"))
    again = ReviewStore(db)  # as after a restart
    got = again.for_reply("d1", "r1")
    assert set(got) == {"deflection", "dm_request"}
    assert got["deflection"].decision == "dispute" and got["deflection"].human_verdict is False
    assert got["dm_request"].human_verdict is True
    assert again.reviewed_reply_ids("d1") == {"r1"} and again.reviewed_reply_ids("other") == set()
    csv = again.export_csv().decode()
    assert csv.splitlines()[0].startswith("file_digest,file_name,reply_id,check,auto_verdict,decision")
    assert len(csv.splitlines()) == 3


def test_store_refuses_unknown_decisions(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite")
    with pytest.raises(ValueError):
        store.save(Review("d", "a", "r", "c", True, "maybe"))
    with pytest.raises(sqlite3.IntegrityError):
        with sqlite3.connect(store.path) as con:
            con.execute("INSERT INTO reviews VALUES ('d','a','r','c',1,'maybe','','t')")


def test_cohen_kappa_matches_the_textbook_example():
    # 50 items: both yes 20, auto-only 5, human-only 10, both no 15 -> p_o 0.7, p_e 0.5, kappa 0.4
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.4)
    assert cohen_kappa(10, 0, 0, 10) == pytest.approx(1.0)
    assert cohen_kappa(0, 10, 10, 0) == pytest.approx(-1.0)
    assert math.isnan(cohen_kappa(0, 0, 0, 0))


def test_calibration_table_counts_precision_recall():
    rows = [("deflection", True, "confirm")] * 3 + [("deflection", True, "dispute")] + \
           [("deflection", False, "dispute")] + [("deflection", False, "confirm")] * 2 + [("pii", True, "confirm")]
    reviews = pd.DataFrame(rows, columns=["check", "auto_verdict", "decision"])
    reviews["human_verdict"] = reviews["auto_verdict"] == (reviews["decision"] == "confirm")
    t = calibration_table(reviews).set_index("check")
    d = t.loc["deflection"]
    assert (d.reviewed, d.confirmed, d.disputed, d.tp, d.fp, d.fn, d.tn) == (7, 5, 2, 3, 1, 1, 2)
    assert d.precision == pytest.approx(0.75) and d.recall == pytest.approx(0.75)
    assert d.kappa == pytest.approx(cohen_kappa(3, 1, 1, 2))
    assert math.isnan(t.loc["pii", "recall"]) is False and t.loc["pii", "precision"] == 1.0
    assert calibration_table(reviews.iloc[:0]).empty


def test_cache_computes_once_evicts_oldest_and_refuses_object_keys():
    cache, calls = StringCache(max_entries=2), []
    for key in ("a", "a", "b", "c", "a"):
        cache.get_or_compute((key,), lambda k=key: calls.append(k) or k.upper())
    assert calls == ["a", "b", "c", "a"]
    assert ("b",) not in cache and ("a",) in cache
    with pytest.raises(TypeError):
        cache.get_or_compute((AppSettings(),), lambda: 1)


def test_highlight_escapes_and_marks_overlapping_evidence():
    text = "Call <us> at 555-0100 or call us"
    out = qs.highlight(text, ["call", "Call <us> at", "555-0100"])
    assert out == ("<mark>Call &lt;us&gt; at</mark> <mark>555\\-0100</mark> or <mark>call</mark> us")
    assert qs.highlight("a & b", []) == "a &amp; b"


def test_md_escape_keeps_customer_words_literal():
    assert qs.md_escape("*$5* off for ana@example.com #1") == "\\*\\$5\\* off for ana<span>@</span>example\\.com \\#1"
    assert qs.md_escape("<b>hi</b>") == "&lt;b&gt;hi&lt;/b&gt;"


@pytest.mark.parametrize("value", [
    '{"deflection": ["call us"], "dm_request": []}',
    {"deflection": [{"start": 0, "end": 7, "text": "call us"}]},
    '[{"check": "deflection", "text": "call us"}, {"check": "pii_exposed", "text": "x@y.z"}]',
    'deflection: "call us" | pii_exposed: "x@y.z" | template_overuse: (whole reply)',
])
def test_evidence_snippets_read_every_shape(value):
    assert qs.evidence_snippets(value, "deflection") == ["call us"]
    assert qs.evidence_snippets(value, "not_our_team") == []


def test_evidence_notes_are_not_highlighted():
    value = 'off_policy_compensation: "50% off" | template_overuse: same text as reply r1'
    assert qs.evidence_snippets(value, "compensation") == ["50% off"]
    assert qs.evidence_snippets(value, "template_overuse") == []
    assert qs.evidence_notes(value, "template_overuse") == ["same text as reply r1"]


def test_verdict_normalises_dtypes():
    assert [qs.verdict(v) for v in (True, False, None, float("nan"), pd.NA, "true", "False", "", 1)] == \
        [True, False, None, None, None, True, False, None, True]


def test_rule_clause_finds_the_governing_part():
    policy = "languages: [en, es]\nconcessions:\n  - kinds: [refund]\n    max_days_since_purchase: 30\n"
    assert "max_days_since_purchase: 30" in qs.rule_clause(policy, "compensation")
    assert qs.rule_clause(policy, "language_mismatch").startswith("languages:")
    book = "scorecard:\n  weights: {pii_exposed: 10, deflection: 20}\n  auto_fail: [pii_exposed]\n"
    assert qs.rule_clause(book, "pii_exposed") == (
        "scorecard.weights.pii_exposed: 10\nscorecard.auto_fail:\n- pii_exposed\n")
    assert qs.rule_clause("", "deflection") == "" and qs.rule_clause(": : bad", "x") == ""


def test_filter_and_page_queue_without_rendering_everything():
    n = 1000
    scores = pd.DataFrame({
        "reply_id": [f"r{i:04d}" for i in range(n)], "thread_id": [f"t{i}" for i in range(n)],
        "score": [(i * 37) % 101 for i in range(n)], "agent": [("ana", "ben", "cy")[i % 3] for i in range(n)],
        "deflection": [i % 10 == 0 for i in range(n)], "dm_request": [None] * n,
        "created_at": pd.date_range("2026-01-01", periods=n, freq="h", tz="UTC"),
    })
    view = qs._prepare(qs.OpenedFile("x", "x", "d"), type("R", (), {"scores": scores})(), 0.0)
    assert view.checks == ("deflection", "dm_request")
    rows = qs.filter_queue(view, qs.Filters(agents=("ben",), checks=("deflection",), score_max=50))
    assert len(rows) and (rows["agent"] == "ben").all() and rows["deflection"].all()
    assert (rows["score"] <= 50).all() and rows["score"].is_monotonic_increasing
    page = qs.page_of(qs.filter_queue(view, qs.Filters()), 3, 50)
    assert len(page) == 50 and page.index[0] == 100
    import datetime as dt

    days = qs.filter_queue(view, qs.Filters(date_from=dt.date(2026, 1, 2), date_to=dt.date(2026, 1, 2)))
    assert len(days) == 24


def test_settings_round_trip_and_one_line_errors(tmp_path):
    path = tmp_path / "app.yaml"
    assert load_settings(path) == AppSettings()
    save_settings(AppSettings(data_dir="x", max_upload_mb=7), path)
    assert load_settings(path).max_upload_mb == 7
    path.write_text("max_upload_mb: lots\n")
    with pytest.raises(SettingsError, match=r"app.yaml: max_upload_mb: .*integer"):
        load_settings(path)
    path.write_text("colour: red\n")
    with pytest.raises(SettingsError, match="colour: unknown key"):
        load_settings(path)


def test_app_command_binds_localhost_with_the_settings_upload_cap(tmp_path):
    path = tmp_path / "app.yaml"
    save_settings(AppSettings(max_upload_mb=12), path)
    cmd = app_command("127.0.0.1", 8600, str(path))
    args = dict(zip(cmd[5::2], cmd[6::2], strict=False))
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app.py")
    assert args["--server.address"] == "127.0.0.1" and args["--server.port"] == "8600"
    assert args["--server.maxUploadSize"] == "12" and args["--server.headless"] == "true"


def test_app_subcommand_refuses_bad_port_and_settings(tmp_path, capsys):
    assert main(["app", "--port", "70000"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("page_size: 1\n")
    assert main(["app", "--settings", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "--port: 70000 is not a port number" in err and "page_size" in err and "Traceback" not in err


def test_app_subcommand_leaves_this_process_environment_alone(tmp_path):
    """The allowed folders go to the server's environment only: a refused start must not confine later callers."""
    import os

    before = dict(os.environ)
    bad = tmp_path / "bad.yaml"
    bad.write_text("page_size: 1\n")
    assert main(["app", "--settings", str(bad), "--allow-dir", str(tmp_path)]) == 2
    assert dict(os.environ) == before


def test_browser_tests_fail_rather_than_skip_under_ci(monkeypatch):
    from browser import unavailable

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        unavailable("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        unavailable("no chromium")


def test_planner_run_reports_progress_writes_the_cli_files_and_is_cached():
    import io
    import zipfile

    from carebench_app.planner_service import apply_form, form_values, run_scenario
    from sim.loader import load_scenario

    base = load_scenario("scenarios/baseline.yaml")
    sc = apply_form(base, {**form_values(base), "horizon_days": 0.25, "warmup_days": 0.05, "replications": 2})
    cache, seen = StringCache(), []
    done = run_scenario(sc.model_dump_json(), 2, 11, cache, seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    names = set(zipfile.ZipFile(io.BytesIO(done.zip_bytes)).namelist())
    assert {f"baseline/{n}" for n in ("summary.csv", "intervals.parquet", "kpis.csv", "scenario.json",
                                        "volume_vs_capacity.png", "service_level.png", "backlog.png")} <= names
    assert list(done.kpis.columns) == ["KPI", "mean", "95% CI low", "95% CI high"]
    again = run_scenario(sc.model_dump_json(), 2, 11, cache, seen.append)
    assert again is done  # from the cache: same object, no second run


def test_scoring_reports_progress_and_is_cached_on_digest_and_rulebook(tmp_path):
    from app_samples import write_sample

    path = write_sample(tmp_path / "s.csv", n_threads=30)
    opened = qs.OpenedFile(path.name, str(path), qs.path_digest(path))
    cache, seen = StringCache(), []
    view = qs.score(opened, cache, lambda done, total: seen.append((done, total)))
    assert len(view.scores) == 30 and view.queue["score"].is_monotonic_increasing
    assert qs.score(opened, cache) is view
    other = qs.OpenedFile(path.name, str(path), opened.digest, "other", None, "name: other\n")
    assert ("qa", opened.digest, other.policy_text) not in cache
    assert path.read_bytes() == write_sample(tmp_path / "t.csv", n_threads=30).read_bytes()  # input untouched
