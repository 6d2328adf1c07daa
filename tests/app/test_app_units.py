"""The workbench's plain-Python parts: cache, queue helpers, page state in the URL, settings, CLI, services."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from carebench.cli import app_command, main
from carebench_app import qa_service as qs
from carebench_app.cache import StringCache
from carebench_app.settings import AppSettings, SettingsError, load_settings, save_settings
from carebench_app.state import decode, encode, restore_into, url_params


def test_cache_computes_once_evicts_oldest_and_refuses_object_keys():
    cache, calls = StringCache(max_entries=2), []
    for key in ("a", "a", "b", "c", "a"):
        cache.get_or_compute((key,), lambda k=key: calls.append(k) or k.upper())
    assert calls == ["a", "b", "c", "a"]
    assert ("b",) not in cache and ("a",) in cache
    with pytest.raises(TypeError):
        cache.get_or_compute((AppSettings(),), lambda: 1)


class _Node:
    """A reference cycle (a node pointing at itself): only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_cached_results_are_skipped_by_full_collections_and_freed_after_eviction():
    import gc
    import weakref

    cache = StringCache(max_entries=1)
    first = cache.get_or_compute(("a",), lambda: [_Node() for _ in range(3)])
    assert not any(o is first for o in gc.get_objects())  # frozen: Streamlit's collection after a run skips it
    gone = weakref.ref(first[0])
    del first
    cache.get_or_compute(("b",), lambda: [_Node()])  # evicts "a": its cycles are collected, not kept forever
    assert gone() is None
    cache.clear()


def test_row_index_gives_each_keys_rows_as_a_groupby_does():
    import numpy as np

    rng = np.random.default_rng(3)
    keys = pd.Series(rng.choice(["t1", "t2", "t10", None], size=500), dtype="string")
    from carebench_app.row_index import RowIndex

    index, truth = RowIndex(keys), keys.astype(str).groupby(keys.astype(str), sort=False).indices
    assert len(index) == len(truth)
    for key, rows in truth.items():
        assert index.get(key).tolist() == rows.tolist()
    assert index.get("t3") is None and index.get("t3", ()) == ()


def test_verdict_columns_read_every_dtype_as_nullable_booleans():
    column = pd.Series([True, None, "false", "yes", float("nan"), 0, "maybe", False], dtype=object)
    got = qs._as_boolean(column)
    assert str(got.dtype) == "boolean"
    assert got.tolist() == [True, pd.NA, False, True, pd.NA, False, pd.NA, False]


def test_verdict_normalises_dtypes():
    assert [qs.verdict(v) for v in (True, False, None, float("nan"), pd.NA, "true", "False", "", 1)] == \
        [True, False, None, None, None, True, False, None, True]


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
    assert len(days) == 24 and (days["created_at"].dt.date == dt.date(2026, 1, 2)).all()
    f = qs.Filters(agents=("cy",), score_min=10)
    assert list(qs.filtered_positions(view, f)) == list(qs.filter_queue(view, f).index)
    assert qs.filter_queue(view, qs.Filters()) is view.queue  # nothing to filter: no copy of every row


def test_queue_offers_replies_without_an_agent_signature():
    scores = pd.DataFrame({"reply_id": ["a", "b", "c", "d"], "thread_id": ["1", "2", "3", "4"],
                           "score": [10.0, 20.0, 30.0, 40.0], "agent_id": ["ana", None, "", "ben"],
                           "flags": ["deflection;no_empathy", "no_empathy", "", "mystery_flag"]})
    view = qs._prepare(qs.OpenedFile("x", "x", "d"), type("R", (), {"scores": scores})(), 0.0)
    assert view.options["agent"] == ["ana", "ben", qs.NO_AGENT]
    assert list(qs.filter_queue(view, qs.Filters(agents=(qs.NO_AGENT,)))["reply_id"]) == ["b", "c"]
    # every name the flags use is reviewable and filterable, including ones this viewer has never heard of
    assert {"no_empathy", "mystery_flag"} <= set(view.items)
    assert list(qs.filter_queue(view, qs.Filters(checks=("no_empathy",)))["reply_id"]) == ["a", "b"]
    assert list(qs.filter_queue(view, qs.Filters(checks=("mystery_flag",)))["reply_id"]) == ["d"]


@pytest.mark.parametrize("value", [["ana", "ben"], (dt.date(2026, 3, 2), dt.date(2026, 3, 9)), (0.0, 55.0), 3, 0.25,
                                   "baseline.yaml", True, [{"name": "day", "weekdays": ["mon"], "agents": 3,
                                                            "end": None}]])
def test_page_state_round_trips_through_the_url(value):
    text = encode(value)
    back = decode(text)
    assert back == (list(value) if isinstance(value, tuple) and not isinstance(value[0], dt.date) else value)
    assert type(back) is type(value) or isinstance(value, tuple)


def test_url_params_name_the_file_by_token_and_skip_what_is_not_page_state():
    session = {"f_agent": ["ana"], "queue_page": 3, "reply_id": "r7", "reviewer": "Ana", "f_brand": [],
               "plan_upload": object(), "open_button": True, "cmp_A_set": "", "other": 1}
    params = url_params(session, "abc-123")
    assert params == {"file": "abc-123", "reply": "r7", "reviewer": "Ana", "f_agent": '["ana"]', "queue_page": "3"}
    fresh: dict = {}
    opened = qs.OpenedFile("a.csv", "/data/a.csv", "d" * 64)
    restore_into(fresh, {**params, "f_score": "not json", "file": opened.token}, {opened.token: opened})
    assert fresh["opened"] is opened and fresh["f_agent"] == ["ana"] and fresh["queue_page"] == 3
    assert fresh["reply_id"] == "r7" and "f_score" not in fresh  # a broken value is dropped, the rest kept
    again = {"_state_restored": True, "f_agent": ["ben"]}
    restore_into(again, params, {})
    assert again["f_agent"] == ["ben"]  # a running session keeps its own state
    gone: dict = {}
    restore_into(gone, {"file": "unknown-token"}, {})
    assert "opened" not in gone and gone["_file_gone"]


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


def test_pages_read_the_settings_once_and_again_whenever_the_file_changes(tmp_path, monkeypatch):
    from carebench_app import ui
    from carebench_app.settings import ENV_VAR

    path = tmp_path / "app.yaml"
    monkeypatch.setenv(ENV_VAR, str(path))
    assert ui.settings() == AppSettings()  # no file yet: the defaults
    save_settings(AppSettings(data_dir=str(tmp_path), page_size=25, review_db=str(tmp_path / "r.sqlite")), path)
    first = ui.settings()
    assert first.page_size == 25 and ui.settings() is first  # read once
    store = ui.review_store()
    assert ui.review_store() is store and store.path == tmp_path / "r.sqlite"
    path.write_text(path.read_text().replace("page_size: 25", "page_size: 100"))  # edited in place
    assert ui.settings().page_size == 100
    (tmp_path / "r.sqlite").unlink()  # a deleted review database is opened (and created) anew
    assert ui.review_store() is not store and (tmp_path / "r.sqlite").exists()


def test_app_command_binds_localhost_with_the_settings_upload_cap(tmp_path):
    path = tmp_path / "app.yaml"
    save_settings(AppSettings(max_upload_mb=12), path)
    cmd = app_command("127.0.0.1", 8600, str(path))
    args = dict(zip(cmd[5::2], cmd[6::2], strict=False))
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("app.py")
    assert args["--server.address"] == "127.0.0.1" and args["--server.port"] == "8600"
    assert args["--server.maxUploadSize"] == "12" and args["--server.headless"] == "true"
    assert args["--runner.magicEnabled"] == "false"  # as .streamlit/config.toml, which AppTest reads


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
    assert list(done.kpis.columns) == ["KPI", "column", "kind", "mean", "95% CI low", "95% CI high"]
    table = done.result.kpi_table().set_index("column")  # the CLI's interval, not one computed by the app
    got = done.kpis.set_index("column")
    assert got["95% CI low"].to_numpy() == pytest.approx(table["ci_low"].to_numpy())
    assert got["95% CI high"].to_numpy() == pytest.approx(table["ci_high"].to_numpy())
    assert got.loc["arrivals", "kind"] == "count" and got.loc["service_level", "kind"] == "proportion"
    assert (got["95% CI low"] >= 0).all() and (got.loc[got["kind"] == "proportion", "95% CI high"] <= 1).all()
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


def test_the_scored_result_is_out_of_the_collectors_sight_before_the_app_prepares_it(tmp_path, monkeypatch):
    """Preparing a scored file allocates enough to set off a full collection; with the result still in the
    collector's generations that pass walks all of it (0.3 s at 50,000 replies), so it is frozen first."""
    import gc

    from app_samples import write_sample

    path = write_sample(tmp_path / "s.csv", n_threads=20)
    seen = {}
    real = qs._prepare

    def spy(opened, result, *args):
        seen["visible"] = any(o is result.scores for o in gc.get_objects())  # frozen objects are not listed
        return real(opened, result, *args)

    monkeypatch.setattr(qs, "_prepare", spy)
    try:
        qs.score(qs.OpenedFile(path.name, str(path), qs.path_digest(path)), StringCache())
    finally:
        gc.unfreeze()
    assert seen == {"visible": False}
