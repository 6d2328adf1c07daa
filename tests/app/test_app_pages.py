"""Each page's logic through Streamlit's AppTest, on the real navigation of app.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

V = "carebench_app/views/"


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _goto(at: AppTest, module: str) -> AppTest:
    at.switch_page(V + module + ".py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _matches(at: AppTest) -> int:
    """The count in the queue's "**N** of M replies match" line."""
    line = next(m.value for m in at.markdown if "replies match" in m.value)
    return int(line.split("**")[1].replace(",", ""))


def _open_sample(at: AppTest) -> AppTest:
    _goto(at, "qa_open")
    at.button(key="open_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_open_scores_and_lists_broken_rows(workbench):
    at = _open_sample(_app())
    assert any("24 brand replies" in s.value for s in at.success), [s.value for s in at.success]
    assert any("broken rows" in w.value for w in at.warning)
    assert at.session_state["opened"].name == "sample_replies.csv"


def test_open_refuses_upload_over_cap_and_unreadable_file(workbench):
    at = _goto(_app(), "qa_open")
    at.radio(key="file_src").set_value("Upload").run()
    at.file_uploader(key="file_upload").set_value(("big.csv", b"x" * (6 * 1024 * 1024), "text/csv")).run()
    assert any("over the upload cap" in e.value for e in at.error), [e.value for e in at.error]
    at.file_uploader(key="file_upload").set_value(("notes.csv", b"just,some\nunrelated,columns\n", "text/csv"))
    at.run()
    at.button(key="open_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and at.error[0].value.startswith("notes.csv: ") and "\n" not in at.error[0].value
    assert "Traceback" not in at.error[0].value


def test_overview_shows_charts_and_aggregates(workbench):
    at = _goto(_open_sample(_app()), "qa_overview")
    assert at.metric[0].value == "24"
    assert [s.value for s in at.subheader] == [
        "Score distribution", "Share of replies flagged per check", "Per agent", "Per channel", "Per brand",
        "Consistency findings"]
    assert len(at.get("vega_lite_chart")) == 5  # distribution, share flagged, one per aggregate
    assert len(at.dataframe) == 3


def test_queue_is_worst_first_paginated_and_filtered(workbench):
    at = _goto(_open_sample(_app()), "qa_queue")
    table = at.dataframe[0].value
    assert len(table) == 10  # page_size from the settings
    assert list(table["score"]) == sorted(table["score"])
    at.button(key="queue_next").click().run()
    assert at.number_input(key="queue_page").value == 2
    page2 = at.dataframe[0].value
    assert page2["score"].min() >= table["score"].max()
    # some check flags some but not all replies, whichever checks the QA module runs today
    sizes = {}
    for check in at.multiselect(key="f_check").options:
        at.multiselect(key="f_check").set_value([check]).run()
        sizes[check] = _matches(at)
        assert at.number_input(key="queue_page").value == 1
        assert len(at.dataframe[0].value) == min(sizes[check], 10)
    assert any(0 < n < 24 for n in sizes.values()), sizes


def test_reply_page_review_survives_and_calibration_counts(workbench):
    at = _goto(_open_sample(_app()), "qa_queue")
    worst = at.dataframe[0].value["reply_id"].iloc[0]
    at.button(key="open_reply").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Reply in context"]
    assert at.session_state["reply_id"] == worst
    at.switch_page(V + "qa_reply.py")  # AppTest does not follow st.switch_page into later runs
    assert any("<mark>" in m.value for m in at.markdown), "evidence is highlighted"
    reviewable = [b.key.removeprefix("confirm_") for b in at.button if (b.key or "").startswith("confirm_")]
    assert len(reviewable) >= 2, "the worst reply has at least two determined verdicts"
    first, second = reviewable[:2]
    at.text_input(key=f"comment_{first}").set_value("right: 50% off is beyond policy").run()
    at.button(key=f"confirm_{first}").click().run()
    at.button(key=f"dispute_{second}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="reply_next").click().run()
    assert at.session_state["reply_id"] != worst and not at.exception
    # a new session (as after a restart) sees both reviews
    at2 = _goto(_open_sample(_app()), "qa_calibration")
    table = at2.dataframe[0].value.set_index("check")
    assert table.loc[first, "confirmed"] == 1 and table.loc[second, "disputed"] == 1
    assert int(table["reviewed"].sum()) == 2


def test_planner_runs_short_baseline_and_shows_kpis_and_plots(workbench):
    at = _goto(_app(), "planner")
    at.number_input(key="plan_baseline.yaml_horizon").set_value(0.5)
    at.number_input(key="plan_baseline.yaml_warmup").set_value(0.1)
    at.number_input(key="plan_baseline.yaml_reps").set_value(2)
    at.button(key="FormSubmitter:scenario_form-Run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kpis = at.dataframe[0].value
    assert "service level" in list(kpis["KPI"])
    assert len(at.get("image")) == 3


def test_planner_shows_model_error_as_one_line(workbench):
    at = _goto(_app(), "planner")
    at.number_input(key="plan_baseline.yaml_agents").set_value(0)
    at.button(key="FormSubmitter:scenario_form-Run").click().run()
    assert [e.value for e in at.error] == [
        "baseline.yaml: staffing: agents must be at least 1 (no agent would ever answer)"]
    assert not at.exception


def test_compare_shows_differences_with_intervals(workbench):
    at = _goto(_app(), "planner_compare")
    at.text_area(key="cmp_B_set").set_value("staffing.agents=12").run()
    at.number_input(key="cmp_reps").set_value(2)
    at.number_input(key="cmp_horizon").set_value(0.3)
    at.button(key="cmp_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("kpi")
    assert table.loc["service level", "difference"] >= 0
    assert {"a_mean", "b_mean", "ci_low", "ci_high", "significant"} <= set(table.columns)
    assert table.loc["arrivals", "difference"] == 0  # common random numbers: the same arrivals in A and B
    assert len(at.get("image")) == 1


def test_compare_override_error_is_one_line(workbench):
    at = _goto(_app(), "planner_compare")
    at.text_area(key="cmp_B_set").set_value("staffing.agents=-1").run()
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert "staffing.agents" in at.error[0].value


@pytest.mark.parametrize("module", ["qa_overview", "qa_queue", "qa_reply"])
def test_qa_pages_ask_to_open_a_file_first(workbench, module):
    at = _goto(_app(), module)
    assert any("Open" in i.value for i in at.info)


def test_calibration_exports_reviews_and_scopes_by_file(workbench):
    from carebench_app.store import Review, ReviewStore

    store = ReviewStore(workbench / "reviews.sqlite")
    store.save(Review("d1", "a.csv", "r1", "deflection", True, "confirm"))
    store.save(Review("d2", "b.csv", "r9", "deflection", False, "dispute", "missed a phone number"))
    at = _goto(_app(), "qa_calibration")
    assert [m.value for m in at.metric] == ["2", "1", "1"]
    row = at.dataframe[0].value.set_index("check").loc["deflection"]
    assert (row.tp, row.fp, row.fn, row.tn) == (1, 0, 1, 0)
    assert at.get("download_button")
    at.selectbox(key="calib_scope").set_value("b.csv").run()
    assert [m.value for m in at.metric] == ["1", "0", "1"]


def test_settings_page_saves_and_the_queue_uses_them(workbench):
    at = _goto(_app(), "settings_page")
    at.number_input[1].set_value(20)
    at.button(key="FormSubmitter:settings_form-Save").click().run()
    assert not at.exception and at.success
    from carebench_app.settings import load_settings

    assert load_settings().page_size == 20
    at = _goto(_open_sample(_app()), "qa_queue")
    assert len(at.dataframe[0].value) == 20


def test_planner_takes_an_uploaded_roster_scenario_and_refuses_bad_yaml(workbench):
    roster = (ROOT / "scenarios" / "baseline.yaml").read_text().replace(
        "  agents: 9\n", "  roster:\n    - {name: day, weekdays: [mon, tue, wed, thu, fri, sat, sun], start: '08:00',"
        " end: '20:00', agents: 9}\n    - {name: night, weekdays: [mon, tue, wed, thu, fri, sat, sun],"
        " start: '20:00', end: '08:00', agents: 4}\n")
    at = _goto(_app(), "planner")
    at.radio(key="plan_src").set_value("upload").run()
    at.file_uploader(key="plan_upload").set_value(("shifts.yaml", roster.encode(), "application/yaml")).run()
    assert not at.error and at.get("data_editor"), "the roster is edited as a table"
    at.number_input(key="plan_shifts.yaml_horizon").set_value(0.3)
    at.number_input(key="plan_shifts.yaml_reps").set_value(2)
    at.button(key="FormSubmitter:scenario_form-Run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "service level" in list(at.dataframe[-1].value["KPI"])
    at.file_uploader(key="plan_upload").set_value(("bad.yaml", b"name: [unclosed\n", "application/yaml")).run()
    assert len(at.error) == 1 and at.error[0].value.startswith("bad.yaml:") and "/tmp" not in at.error[0].value


def test_uploaded_rulebook_is_validated_and_used(workbench):
    at = _goto(_app(), "qa_open")
    at.radio(key="rulebook_src").set_value("Upload a rulebook").run()
    at.file_uploader(key="rulebook_upload").set_value(("strict.yaml", b"name: strict\ncolour: red\n",
                                                       "application/yaml")).run()
    assert len(at.error) == 1 and at.error[0].value.startswith("strict.yaml") and "colour" in at.error[0].value
    assert "/tmp" not in at.error[0].value and not at.exception
    good = (ROOT / "qa" / "policies" / "default.yaml").read_text().replace("first_response_target_minutes: 60",
                                                                         "first_response_target_minutes: 5")
    at.file_uploader(key="rulebook_upload").set_value(("strict.yaml", good.encode(), "application/yaml")).run()
    assert not at.error
    at.button(key="open_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    opened = at.session_state["opened"]
    assert opened.policy_name == "strict.yaml" and "first_response_target_minutes: 5" in opened.policy_text
