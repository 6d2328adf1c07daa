"""The planner pages through AppTest: KPIs with the CLI's intervals (counts as whole numbers, one replication
said plainly), interactive charts, the form and its results kept together through navigation and refresh,
row-by-row roster errors, and Compare results that survive reruns."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from pagetest import app, goto, ok, refresh, texts

K = "plan_baseline.yaml"


def _short(at, reps: int = 2, horizon: float = 0.5) -> None:
    at.number_input(key=f"{K}_horizon").set_value(horizon)
    at.number_input(key=f"{K}_warmup").set_value(0.1)
    at.number_input(key=f"{K}_reps").set_value(reps)


def _run(at):
    at.button(key="FormSubmitter:scenario_form-Run").click().run()
    return ok(at)


def test_planner_kpis_charts_and_results_that_belong_to_the_form(workbench):
    at = goto(app(), "planner")
    assert "press Run" in texts(at)
    _short(at)
    _run(at)
    kpis = at.dataframe[0].value.set_index("KPI")
    assert re.fullmatch(r"[\d,]+", kpis.loc["arrivals", "mean"])  # a count is a whole number
    assert re.fullmatch(r"[\d,]+ to [\d,]+", kpis.loc["answered", "95% interval"])
    assert kpis.loc["service level", "mean"].endswith("%")
    sla = next(m.value for m in at.markdown if m.value.startswith("SLA goal"))
    assert re.search(r"\*\*(met|missed|not clear)\*\*", sla)
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 3
    assert not at.get("image")  # interactive charts, not pictures
    # another page and back, then a refresh: the same form and its results, without pressing Run again
    goto(at, "qa_overview")
    goto(at, "planner")
    assert at.number_input(key=f"{K}_horizon").value == 0.5 and at.dataframe[0].value.equals(
        at.dataframe[0].value) and "SLA goal" in texts(at)
    again = refresh(at)
    goto(again, "planner")
    assert again.number_input(key=f"{K}_reps").value == 2 and "SLA goal" in texts(again)
    # another scenario in the picker: the old results are not shown under the new form
    again.selectbox(key="plan_file").set_value("coverage-24-7.yaml").run()
    ok(again)
    assert "SLA goal" not in texts(again) and ("press Run" in texts(again))


def test_one_replication_says_not_enough_and_never_met(workbench):
    at = goto(app(), "planner")
    _short(at, reps=1, horizon=0.3)
    _run(at)
    kpis = at.dataframe[0].value
    assert set(kpis["95% interval"]) == {"not enough replications (needs 2)"}
    sla = next(m.value for m in at.markdown if m.value.startswith("SLA goal"))
    assert "**not enough replications**" in sla and "**met**" not in sla
    assert any("no confidence interval" in w.value for w in at.warning)


def test_handle_time_and_shrinkage_are_inputs_with_help(workbench):
    at = goto(app(), "planner")
    handle, shrink = at.number_input(key=f"{K}_handle"), at.number_input(key=f"{K}_shrink")
    assert handle.value == pytest.approx(6.0) and shrink.value == 0.0
    assert "stretches every handle-time distribution" in handle.help and "paid time" in shrink.help
    assert all(n.help for n in at.number_input)  # every input explains itself
    _short(at, horizon=0.3)
    at.number_input(key=f"{K}_handle").set_value(12.0)
    _run(at)
    slow = at.dataframe[0].value.set_index("KPI").loc["occupancy", "mean"]
    at.number_input(key=f"{K}_handle").set_value(6.0)
    _run(at)
    fast = at.dataframe[0].value.set_index("KPI").loc["occupancy", "mean"]
    # the same arrivals (same seed) at twice the handle time keep agents about twice as busy
    assert float(slow.rstrip("%")) > 1.6 * float(fast.rstrip("%"))


def test_planner_shows_model_error_as_one_line(workbench):
    at = goto(app(), "planner")
    at.number_input(key=f"{K}_agents").set_value(0)
    _run(at)
    assert [e.value for e in at.error] == [
        "baseline.yaml: staffing: agents must be at least 1 (no agent would ever answer)"]


def _roster_scenario() -> bytes:
    return (ROOT / "scenarios" / "baseline.yaml").read_text().replace(
        "  agents: 9\n", "  roster:\n    - {name: day, weekdays: [mon, tue, wed, thu, fri, sat, sun], start: '08:00',"
        " end: '20:00', agents: 9}\n    - {name: night, weekdays: [mon, tue, wed, thu, fri, sat, sun],"
        " start: '20:00', end: '08:00', agents: 4}\n").encode()


def test_roster_is_edited_and_validated_row_by_row(workbench):
    at = goto(app(), "planner")
    at.radio(key="plan_src").set_value("upload").run()
    at.file_uploader(key="plan_upload").set_value(("shifts.yaml", _roster_scenario(), "application/yaml")).run()
    editor = at.get("arrow_data_frame") or at.dataframe
    assert not at.error and any(d.editing_mode == "dynamic" for d in at.dataframe)
    # a blank row the editor adds, and one bad row: one message naming that row, nothing about the good ones
    at.session_state["roster_shifts.yaml_0"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{}, {"name": "late", "weekdays": ["sat"], "start": "18:00", "end": "25:00", "agents": 2}]}
    at.number_input(key="plan_shifts.yaml_horizon").set_value(0.3)
    at.number_input(key="plan_shifts.yaml_reps").set_value(2)
    at.button(key="FormSubmitter:scenario_form-Run").click().run()
    ok(at)
    assert len(at.error) == 1 and editor is not None
    message = at.error[0].value
    assert "row 4 (late): end: " in message and "row 1" not in message and "row 2" not in message
    assert "row 3" not in message  # the blank row is ignored
    at.file_uploader(key="plan_upload").set_value(("bad.yaml", b"name: [unclosed\n", "application/yaml")).run()
    assert len(at.error) == 1 and at.error[0].value.startswith("bad.yaml:") and "/tmp" not in at.error[0].value


def test_compare_results_survive_reruns_and_say_which_is_which(workbench):
    at = goto(app(), "planner_compare")
    at.text_area(key="cmp_B_set").set_value("staffing.agents=12").run()
    at.number_input(key="cmp_reps").set_value(2)
    at.number_input(key="cmp_horizon").set_value(0.6)  # into Monday's busy morning, where 9 agents are short
    at.button(key="do_compare").click().run()
    ok(at)
    title = next(s.value for s in at.subheader if "minus" in s.value)
    assert title.startswith("B (baseline with staffing.agents=12) minus A (baseline)")
    table = at.dataframe[0].value.set_index("KPI")
    assert table.loc["arrivals", "B - A"] == "0"  # common random numbers: the same arrivals in A and B
    assert table.loc["service level", "B - A"].startswith("+") and table.loc["service level", "B - A"].endswith("pp")
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) >= 2  # shares and minutes never share an axis
    at.run()  # any rerun (a download, another widget) keeps the results
    assert any("minus" in s.value for s in at.subheader)
    goto(at, "planner")
    goto(at, "planner_compare")
    assert any("minus" in s.value for s in at.subheader)
    at.number_input(key="cmp_reps").set_value(3).run()
    assert not any("minus" in s.value for s in at.subheader) and "press Compare" in texts(at)


def test_compare_override_error_is_one_line(workbench):
    at = goto(app(), "planner_compare")
    at.text_area(key="cmp_B_set").set_value("staffing.agents=-1").run()
    assert len(at.error) == 1 and "\n" not in at.error[0].value and "staffing.agents" in at.error[0].value
