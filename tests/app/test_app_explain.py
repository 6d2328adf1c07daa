"""Numbers explained: evidence marks and colours, the score as a sum that adds up to the QA module's score,
precedent risk in words, verdict cards for every flag, and the planner's formatting, verdicts and charts."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from app_samples import write_sample
from carebench_app import charts, explain
from carebench_app import evidence as ev
from carebench_app import planner_service as ps
from carebench_app import qa_service as qs
from carebench_app import reply_items as ri
from carebench_app.cache import StringCache
from twcs_samples import write_twcs


@pytest.fixture(scope="module", params=["own", "twcs"])
def view(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    path = write_sample(folder / "s.csv", 120) if request.param == "own" else write_twcs(folder / "t.csv", 120)
    return qs.score(qs.OpenedFile(path.name, str(path), qs.path_digest(path)), StringCache())


@pytest.mark.parametrize("value", [
    '{"deflection": ["call us"], "dm_request": []}',
    {"deflection": [{"start": 0, "end": 7, "text": "call us"}]},
    '[{"check": "deflection", "text": "call us"}, {"check": "pii_exposed", "text": "x@y.z"}]',
    'deflection: "call us" | pii_exposed: "x@y.z" | template_overuse: (whole reply) | deflection: "Call us"',
])
def test_evidence_reads_every_shape_once(value):
    found = ev.marks(value)
    assert [m.text for m in found if m.check == "deflection"] == ["call us"]  # repeats (any case) dropped
    assert not [m for m in found if m.check == "not_our_team"]


def test_evidence_notes_are_not_marks():
    value = 'off_policy_compensation: "50% off" | template_overuse: same text as reply r1'
    assert [(m.check, m.text) for m in ev.marks(value)] == [("off_policy_compensation", "50% off")]
    assert ev.notes(value, "template_overuse") == ["same text as reply r1"]


def test_spans_use_offsets_when_they_match_and_search_otherwise():
    text = "Call us at 555-0100 or call us"
    got = ev.spans(text, [ev.Mark("deflection", "call us"), ev.Mark("pii_exposed", "555-0100", 11, 19),
                          ev.Mark("pii_exposed", "gone", 0, 4)])
    assert got == [(0, 7, "deflection"), (11, 19, "pii_exposed"), (23, 30, "deflection")]


def test_highlight_colours_each_check_and_never_nests_marks():
    palette = ev.colours(["deflection", "pii_exposed"])
    assert palette["deflection"] != palette["pii_exposed"]
    text = "Call <us> at 555-0100"
    out = ev.highlight(text, [(0, 12, "deflection"), (5, 21, "pii_exposed")], palette)
    assert out.count("<mark") == 3 and "<mark" not in re.sub(r"<mark[^>]*>[^<]*(<span>@</span>[^<]*)*</mark>", "",
                                                             out)
    assert f'background:{palette["deflection"]}" title="deflection, pii_exposed"' in out  # the overlap
    assert "&lt;us&gt;" in out and "555\\-0100" in out
    assert ev.highlight("a & b", [], palette) == "a &amp; b"


def test_md_escape_keeps_customer_words_literal():
    assert ev.md_escape("*$5* off for ana@example.com #1") == "\\*\\$5\\* off for ana<span>@</span>example\\.com \\#1"
    assert ev.md_escape("<b>hi</b>") == "&lt;b&gt;hi&lt;/b&gt;"


def test_the_score_sum_adds_up_to_the_qa_modules_score(view):
    checked = 0
    for pos in range(len(view.queue)):
        row = view.queue.iloc[pos]
        line = ri.score_line(view, row)
        costs = [float(x) for x in re.findall(r" - (\d+(?:\.\d+)?) ", line)]
        cards = sorted(round(i.points, 6) for i in ri.items_of(view, row) if i.points > 0)
        assert cards == sorted(round(c, 6) for c in costs), line  # each card costs what the sum says
        if row["auto_fail"]:
            assert "critical" in line and line.endswith("-> 0; fail") and row["score"] == 0
            continue
        assert line.endswith("pass" if row["passed"] else f"fail (pass mark {view.book.scorecard.pass_mark:g})")
        if costs:
            assert f"= {row['score']:g};" in line
        assert max(0.0, 100 - sum(costs)) == pytest.approx(row["score"], abs=0.05 * (len(costs) + 1))
        checked += 1
    assert checked > 50


def test_every_flag_has_a_card_with_a_definition_and_source(view):
    for pos in range(0, len(view.queue), 7):
        row = view.queue.iloc[pos]
        items = {i.name: i for i in ri.items_of(view, row)}
        for flag in qs.flag_list(row["flags"]):
            assert items[flag].verdict is True, (row["reply_id"], flag)
            assert explain.definition(flag) != "No definition is recorded for this check."
            assert items[flag].source
        costs = sum(i.points for i in items.values())
        assert max(0.0, 100 - costs) == pytest.approx(row["score"], abs=0.1) or row["auto_fail"]
    assert set(view.items) >= {"deflection", "no_personalisation", "late_response"}


def test_rulebook_terms_are_words_not_yaml(view):
    rules = view.book.scorecard.criteria
    terms = explain.rule_terms(view.book, "deflection")
    assert terms[0] == f"costs up to {rules['deflection'].weight:g} of the 100 score points"
    assert ("critical: a reply that fails it fails outright and scores 0" in terms) == rules["deflection"].critical
    late = explain.rule_terms(view.book, "late_response")
    assert any(t.startswith("graded: from 0, ") for t in late) and any("within 60 min" in t for t in late)
    assert explain.rule_terms(view.book, "dm_request") == ["weight 0: shown for review, it does not change the score"]


@pytest.mark.parametrize("row,expected", [
    ({"precedent_risk": 0.0, "concessions": ""}, "No concession in this reply"),
    ({"precedent_risk": 0.0, "concessions": "refund", "departure": 0.0}, "within policy"),
    ({"precedent_risk": 0.76, "concessions": "refund;discount 50%", "departure": 1.0, "visibility": 0.85,
      "claimability": 0.9, "customer_followers": 28509, "public": True},
     "High (0.76 of 1; flagged from 0.5): refund, discount 50%, as far off policy as it gets (departure 1.00), in a "
     "public reply, seen by about 28,509 followers"),
    ({"precedent_risk": 0.2, "concessions": "voucher", "departure": 0.5, "visibility": 0.1, "claimability": 0.4,
      "customer_followers": None, "public": False}, "Low (0.20 of 1"),
    ({"precedent_risk": float("nan")}, "Not computed"),
])
def test_precedent_risk_in_words(row, expected):
    assert expected in explain.precedent_words(row, 0.5)


def test_kpis_show_counts_as_whole_numbers_and_one_replication_honestly():
    kpis = pd.DataFrame({"KPI": ["arrivals", "service level", "ASA (min)"],
                         "column": ["arrivals", "service_level", "asa_minutes"],
                         "kind": ["count", "proportion", "time"], "mean": [20137.4, 0.9031, 4.627],
                         "95% CI low": [19900.2, 0.85, 3.9], "95% CI high": [20374.6, 0.95, 5.3]})
    shown = ps.display_kpis(kpis, 2).set_index("KPI")
    assert shown.loc["arrivals", "mean"] == "20,137" and shown.loc["arrivals", "95% interval"] == "19,900 to 20,375"
    assert shown.loc["service level", "mean"] == "90.3%" and shown.loc["ASA (min)", "mean"] == "4.63"
    one = ps.display_kpis(kpis.assign(**{"95% CI low": float("nan"), "95% CI high": float("nan")}), 1)
    assert set(one["95% interval"]) == {"not enough replications (needs 2)"}


@pytest.mark.parametrize("low,high,reps,word", [(0.81, 0.9, 5, "met"), (0.7, 0.79, 5, "missed"),
                                                (0.75, 0.85, 5, "not clear"), (float("nan"), float("nan"), 1,
                                                                                  "not enough replications")])
def test_sla_is_met_only_when_the_whole_interval_is(low, high, reps, word):
    kpis = pd.DataFrame({"column": ["service_level"], "mean": [0.82], "95% CI low": [low], "95% CI high": [high]})
    assert ps.sla_verdict(kpis, 0.8, reps)[0] == word


def test_roster_rows_are_validated_one_by_one():
    rows = [{"name": "day", "weekdays": ["mon", "tue"], "start": "08:00", "end": "20:00", "agents": 9.0,
             "concurrency": 1},
            {"name": None, "weekdays": [], "start": None, "end": None, "agents": None, "concurrency": None},
            {"name": "night", "weekdays": ["mon"], "start": "20:00", "end": "25:00", "agents": 4, "concurrency": 1},
            {"name": "late", "weekdays": "sat, sun", "start": "12:00", "end": "18:00", "agents": None}]
    shifts, errors = ps.roster_rows(rows)
    assert [s["name"] for s in shifts] == ["day"] and shifts[0]["agents"] == 9
    assert errors[0].startswith("row 3 (night): end: ") and "not a time of day" in errors[0]
    assert errors[1] == "row 4 (late): agents: missing" and len(errors) == 2  # the blank row 2 is ignored


def test_handle_time_and_shrinkage_inputs_change_the_scenario():
    from sim.loader import load_scenario

    base = load_scenario("scenarios/baseline.yaml")
    values = {**ps.form_values(base), "handle_minutes": 9.0, "shrinkage": 0.25}
    sc = ps.apply_form(base, values)
    assert ps.mean_handle(base) == pytest.approx(6.0) and ps.mean_handle(sc) == pytest.approx(9.0)
    assert sc.channels[2].handle_minutes.mean == pytest.approx(13.5)  # every channel stretched by 1.5
    assert sc.handling.handle_minutes.sd == pytest.approx(6.0) and sc.channels[2].handle_minutes.shape == 2
    assert sc.staffing.shrinkage == 0.25
    with pytest.raises(Exception, match="handle time"):
        ps.apply_form(base, {**values, "handle_minutes": 0.0})


def test_time_axes_say_weekday_and_hour_and_the_goal_is_drawn():
    assert [charts.hour_label(h) for h in (0, 8, 33, 167, 176)] == [
        "Mon 00:00", "Mon 08:00", "Tue 09:00", "Sun 23:00", "w2 Mon 08:00"]
    hours = pd.DataFrame({"hour": list(range(48)) * 2, "start_minute": [60.0 * h for h in range(48)] * 2,
                          "arrivals": 10, "staffed_slots": 2.0, "service_level": 0.9, "backlog": 1,
                          "oldest_open_minutes": 5.0, "rep": [0] * 48 + [1] * 48})
    sla = charts.service_level(hours, 0.8, 15).to_dict()
    assert sla["layer"][0]["encoding"]["x"]["axis"]["labelExpr"] == charts.HOUR_LABEL_EXPR
    spec = json.dumps(sla)
    assert '"goal": 0.8' in spec and "SLA goal 80%" in spec
    vol = charts.volume_capacity(hours, 6.0).to_dict()
    assert vol["encoding"]["x"]["axis"]["labelExpr"] == charts.HOUR_LABEL_EXPR
    data = pd.DataFrame(next(iter(vol["datasets"].values())))
    assert set(data["series"]) == {"mentions arriving", "staffed capacity"}
    assert data.loc[data["series"] == "staffed capacity", "per hour"].iloc[0] == pytest.approx(20.0)  # 2 x 60 / 6


def test_evidence_says_when_the_learned_model_found_it():
    found = ev.marks('deflection (model): "ring them" | dm_request (both): "DM us" | deflection: "call us"')
    assert [(m.check, m.text, m.source) for m in found] == [
        ("deflection", "ring them", "model"), ("dm_request", "DM us", "both"), ("deflection", "call us", "")]
    assert explain.source("deflection", {}, {}, {}, {"model"}).startswith("the learned model (qa.learned) alone")
    assert explain.source("dm_request", {}, {}, {}, {"both"}).startswith("the rules, and the learned model")
    assert explain.source("x", {"x_source": "model"}, {}, {}).startswith("the learned model")
