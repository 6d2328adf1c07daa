"""The QA pages through Streamlit's AppTest, on the real navigation of app.py: every page on every kind of
file a user opens, the right reply selected and walked, state that survives navigation and refresh, numbers
explained on the reply page, and the files and rulebooks the Open page refuses."""

from __future__ import annotations

import pytest

from conftest import ROOT, make_workbench
from pagetest import ALL_PAGES, QA_PAGES, app, goto, matches, ok, open_file, refresh, texts, tick


@pytest.mark.parametrize("kind,opened", [
    ("own", "24 brand replies"), ("twcs", "brand replies in"), ("one_reply", "1 brand replies"),
    ("header_only", "holds no brand replies"), ("twcs_header_only", "holds no brand replies"),
    ("twcs_garbage", "nothing to review, and 30 rows were broken")])
def test_every_page_works_on_every_kind_of_file(tmp_path, monkeypatch, kind, opened):
    make_workbench(tmp_path, monkeypatch, kind)
    at = open_file(app())
    said = [s.value for s in at.success] + [w.value for w in at.warning]
    assert any(opened in s for s in said), said
    if kind == "twcs_garbage":
        assert not at.success  # a file with nothing to review never gets a green box
    for module in ALL_PAGES[1:]:
        goto(at, module)
    goto(at, "qa_reply")
    if kind == "twcs":  # the worst replies of a real-shaped export are unsigned: shown as such, never a crash
        assert "brand (unsigned)" in texts(at) or "no agent signature" in texts(at)


def test_a_file_of_no_bytes_is_one_line(workbench):
    (workbench / "data" / "empty.csv").write_bytes(b"")
    at = goto(app(), "qa_open")
    at.selectbox(key="data_file").set_value(workbench / "data" / "empty.csv").run()
    at.button(key="open_button").click().run()
    ok(at)
    assert len(at.error) == 1 and "empty.csv: unknown format" in at.error[0].value and "\n" not in at.error[0].value


def test_queue_is_worst_first_paginated_and_filtered_by_checks_and_criteria(workbench):
    at = goto(open_file(app()), "qa_queue")
    table = at.dataframe[0].value
    assert len(table) == 10 and list(table["score"]) == sorted(table["score"])
    at.button(key="queue_next").click().run()
    assert at.number_input(key="queue_page").value == 2
    assert at.dataframe[0].value["score"].min() >= table["score"].max()
    from carebench_app import qa_service as qs

    view = qs.score(at.session_state["opened"], _cache())
    names = view.items
    assert {"deflection", "no_personalisation", "late_response"} <= set(names)  # criteria are filters too
    sizes = {}
    for name in names:
        at.multiselect(key="f_check").set_value([name]).run()
        sizes[name] = matches(at)
        assert at.number_input(key="queue_page").value == 1
        if sizes[name]:
            # a verdict column is flagged under its own name or the criterion that reads it (off_policy)
            assert all(name in flags or any(view.columns.get(f) == name for f in flags)
                       for flags in at.dataframe[0].value["flags"]), name
    assert any(0 < n < 24 for n in sizes.values()), sizes


def _cache():
    from carebench_app.cache import StringCache

    return StringCache()


def test_ticking_a_row_selects_that_reply_and_any_id_opens(twcs_workbench):
    at = goto(open_file(app()), "qa_queue")
    ids = list(at.dataframe[0].value["reply_id"].astype(str))
    tick(at, 3)
    assert at.session_state["reply_id"] == ids[3]
    assert [b.label for b in at.button if b.key == "open_reply"] == [f"Open reply {ids[3]}"]
    at.button(key="open_reply").click().run()
    ok(at)
    assert [t.value for t in at.title] == ["Reply in context"] and f"**{ids[3]}**" in texts(at)
    # an id from another page of the queue opens that reply, not row 1
    at = goto(at, "qa_queue")
    last_page = at.number_input(key="queue_page").max
    at.number_input(key="queue_page").set_value(last_page).run()
    far = str(at.dataframe[0].value["reply_id"].iloc[-1])
    at.number_input(key="queue_page").set_value(1).run()
    at.text_input(key="queue_id").set_value(far)
    at.button(key="FormSubmitter:queue_by_id-Open").click().run()
    ok(at)
    assert at.session_state["reply_id"] == far and f"**{far}**" in texts(at)
    at = goto(at, "qa_queue")
    at.text_input(key="queue_id").set_value("no-such-id")
    at.button(key="FormSubmitter:queue_by_id-Open").click().run()
    assert [e.value for e in at.error] == ["No reply with id 'no-such-id' in twcs_export.csv."]


def test_previous_and_next_walk_the_filtered_queue(twcs_workbench):
    at = goto(open_file(app()), "qa_queue")
    at.multiselect(key="f_check").set_value(["deflection"]).run()
    n = matches(at)
    assert 2 < n < 73
    expected = []
    for page in range(1, (n + 9) // 10 + 1):
        at.number_input(key="queue_page").set_value(page).run()
        expected += list(at.dataframe[0].value["reply_id"].astype(str))
    at.number_input(key="queue_page").set_value(1).run()
    tick(at, 0)
    at.button(key="open_reply").click().run()
    goto(at, "qa_reply")  # AppTest does not follow st.switch_page into later runs
    walked = [at.session_state["reply_id"]]
    while not at.button(key="reply_next").disabled:
        at.button(key="reply_next").click().run()
        ok(at)
        walked.append(at.session_state["reply_id"])
        assert f"{len(walked)} of {n} in the filtered queue" in texts(at)
    assert walked == expected
    at.button(key="reply_prev").click().run()
    assert at.session_state["reply_id"] == expected[-2]


def test_queue_state_survives_going_to_a_reply_and_back_and_a_refresh(workbench):
    at = goto(open_file(app()), "qa_queue")
    at.multiselect(key="f_check").set_value(["late_response"]).run()
    at.button(key="queue_next").click().run()
    n, page = matches(at), at.number_input(key="queue_page").value
    assert page == 2
    tick(at, 1)
    chosen = at.session_state["reply_id"]
    at.button(key="open_reply").click().run()
    at = goto(at, "qa_queue")  # what the Back link does
    assert at.multiselect(key="f_check").value == ["late_response"] and matches(at) == n
    assert at.number_input(key="queue_page").value == page
    again = refresh(at)  # a new session from the URL alone
    assert again.session_state["opened"].name == "sample_replies.csv" and again.session_state["reply_id"] == chosen
    goto(again, "qa_queue")
    assert again.multiselect(key="f_check").value == ["late_response"] and matches(again) == n
    assert again.number_input(key="queue_page").value == page
    goto(again, "qa_reply")
    assert f"**{chosen}**" in texts(again)


def test_a_link_to_a_file_the_server_no_longer_has_says_so(workbench):
    at = app({"file": "0123456789abcdef-01234567", "reply": "r000001"})
    goto(at, "qa_queue")
    assert any("no longer open on this server" in i.value for i in at.info)


def test_reply_page_explains_every_flag_and_the_score(twcs_workbench):
    at = goto(open_file(app()), "qa_reply")
    text = texts(at)
    reply = at.session_state["reply_id"]
    score_line = next(m.value for m in at.markdown if m.value.startswith("100"))
    assert score_line.endswith(("pass", "fail", ")"))
    cards = {c.key.removeprefix("verdict_") for c in at.get("flex_container") if (c.key or "").startswith("verdict_")} \
        if at.get("flex_container") else set()
    cards |= {b.key.removeprefix("confirm_") for b in at.button if (b.key or "").startswith("confirm_")}
    opened = at.session_state["opened"]
    from carebench_app import qa_service as qs
    from carebench_app.cache import StringCache

    view = qs.score(opened, StringCache())
    row = view.queue.iloc[view.positions[reply]]
    for flag in qs.flag_list(row["flags"]):
        assert flag in cards, (flag, cards)
    assert "Verdict from: rules: the `deflection` check" in text or "Verdict from:" in text
    assert "sends the customer somewhere else" in text or "deflection" not in qs.flag_list(row["flags"])
    assert "Precedent risk" in [s.value for s in at.subheader]
    assert "Rulebook: costs up to" in text or "Rulebook: weight 0" in text
    assert "scorecard.weights" not in text  # words, not YAML keys


def test_reviews_need_a_name_keep_history_and_detect_a_second_tab(workbench):
    at = goto(open_file(app()), "qa_reply")
    names = [b.key.removeprefix("confirm_") for b in at.button if (b.key or "").startswith("confirm_")]
    first = names[0]
    assert at.button(key=f"confirm_{first}").disabled  # no name yet
    at.text_input(key="reviewer").set_value("Ana").run()
    other = app(dict(at.query_params))  # a second tab on the same reply, opened before Ana saves
    other.text_input(key="reviewer").set_value("Ben").run()
    goto(other, "qa_reply")
    at.text_input(key=f"comment_{first}").set_value("right: 50% off is beyond policy").run()
    at.button(key=f"confirm_{first}").click().run()
    ok(at)
    assert "confirmed** by Ana" in texts(at)
    other.button(key=f"dispute_{first}").click().run()  # still shows version 0: refused, not overwritten
    ok(other)
    assert any("Not saved: Ana changed it" in w.value for w in other.warning)
    assert "confirmed** by Ana" in texts(other)
    other.button(key=f"dispute_{first}").click().run()  # now on the current version
    assert "disputed (open)** by Ben" in texts(other)
    from carebench_app.store import ReviewStore

    history = ReviewStore(workbench / "reviews.sqlite").history(at.session_state["opened"].digest,
                                                                 at.session_state["reply_id"], first)
    assert [(e.actor, e.action) for e in history] == [("Ana", "confirm"), ("Ben", "dispute")]


def test_disputes_are_accepted_or_rejected_by_a_lead(workbench):
    at = goto(open_file(app()), "qa_reply")
    at.text_input(key="reviewer").set_value("Ben").run()
    check = next(b.key.removeprefix("dispute_") for b in at.button if (b.key or "").startswith("dispute_"))
    at.text_input(key=f"comment_{check}").set_value("not a deflection").run()
    at.button(key=f"dispute_{check}").click().run()
    goto(at, "qa_disputes")
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    assert any("Only a lead (Lea)" in i.value for i in at.info) and not [b for b in at.button
                                                                         if b.key == "dispute_accept"]
    at.text_input(key="reviewer").set_value("lea").run()  # names match whatever the case
    at.text_input(key="dispute_note").set_value("it names a phone line").run()
    at.button(key="dispute_reject").click().run()
    ok(at)
    assert any("dispute rejected" in s.value for s in at.success)
    at.selectbox(key="calib_dispute_state").set_value("rejected").run()
    table = at.dataframe[0].value
    assert list(table["dispute_status"]) == ["rejected"] and list(table["resolved_by"]) == ["lea"]
    goto(at, "qa_calibration")
    row = at.dataframe[0].value.set_index("check").loc[check]
    assert (row.disputed, row.open, row.fp + row.fn) == (1, 0, 0)  # rejected: the check stands


def test_calibration_says_not_enough_reviews_below_the_minimum(tmp_path, monkeypatch):
    make_workbench(tmp_path, monkeypatch, "own", min_calibration_reviews=3)
    from carebench_app.store import Review, ReviewStore

    store = ReviewStore(tmp_path / "reviews.sqlite")
    for i, decision in enumerate(["confirm", "confirm", "dispute"]):
        store.save(Review("d1", "a.csv", f"r{i}", "deflection", True, decision, reviewer="ana"))
    store.save(Review("d2", "b.csv", "r9", "pii_exposed", False, "dispute", "missed a phone number", reviewer="ben"))
    at = goto(app(), "qa_calibration")
    assert [m.value for m in at.metric] == ["4", "2", "2", "2"]
    table = at.dataframe[0].value.set_index("check")
    assert table.loc["deflection", "precision"] == pytest.approx(2 / 3) and table.loc["deflection", "status"] == ""
    assert table.loc["pii_exposed", "status"] == "not enough reviews (1 of 3)"
    assert table.loc["pii_exposed", "kappa"] != table.loc["pii_exposed", "kappa"]  # NaN: no kappa from one review
    assert [b.proto.label for b in at.get("download_button")] == [  # 3 deflection replies + 1 pii_exposed one
        "Export reviews (CSV)", "Export review history (CSV)", "Export training labels (4 replies)"]
    at.selectbox(key="calib_scope").set_value("b.csv").run()
    assert [m.value for m in at.metric] == ["1", "0", "1", "1"]
    assert any("Not enough reviews yet" in i.value for i in at.info)


def test_blind_calibration_session(workbench):
    lead = goto(open_file(app()), "qa_session")
    lead.text_input(key="reviewer").set_value("Lea").run()
    lead.number_input(key="cs_new_size").set_value(6).run()
    lead.button(key="do_cs_create").click().run()
    ok(lead)
    session = lead.session_state["cs_pick"]
    checks = [r.key.removeprefix("cs_label_") for r in lead.radio if (r.key or "").startswith("cs_label_")]
    assert checks
    labels = {}
    for who in ("Ana", "Ben"):
        tab = app({"file": lead.query_params["file"], "reviewer": who})
        goto(tab, "qa_session")
        assert tab.session_state["cs_pick"] == session
        for item in range(6):
            page = texts(tab)
            assert "<mark" not in page and "flagged" not in page and "Score" not in page  # blind
            for check in checks:
                value = "yes" if (item + (who == "Ben") * (item == 2)) % 2 == 0 else "no"
                labels[(who, item, check)] = value
                tab.radio(key=f"cs_label_{check}").set_value(value)
            tab.button(key="do_cs_save").click().run()
            ok(tab)
        assert "Agreement" not in [h.value for h in tab.subheader]  # no results while the session is open
    lead.run()
    lead.button(key="do_cs_close").click().run()
    ok(lead)
    assert [h.value for h in lead.subheader][:1] == ["Agreement"]
    table = lead.dataframe[0].value.set_index("check")
    row = table.loc[checks[0]]
    # Ana and Ben disagree on item 3 only: 5 of 6 pairs agree
    assert row["items"] == 6 and row["reviewers"] == 2 and row["agreement"] == pytest.approx(5 / 6)


@pytest.mark.parametrize("module", QA_PAGES[1:])
def test_qa_pages_ask_to_open_a_file_first(workbench, module):
    at = goto(app(), module)
    if module in ("qa_disputes", "qa_calibration"):
        assert any("No disputes yet" in i.value or "No reviews yet" in i.value for i in at.info)
    else:
        assert any("Open" in i.value for i in at.info)


def test_open_refuses_upload_over_cap_and_unreadable_file(workbench):
    at = goto(app(), "qa_open")
    at.radio(key="file_src").set_value("Upload").run()
    at.file_uploader(key="file_upload").set_value(("big.csv", b"x" * (6 * 1024 * 1024), "text/csv")).run()
    assert any("over the upload cap" in e.value for e in at.error), [e.value for e in at.error]
    at.file_uploader(key="file_upload").set_value(("notes.csv", b"just,some\nunrelated,columns\n", "text/csv"))
    at.run()
    at.button(key="open_button").click().run()
    ok(at)
    assert len(at.error) == 1 and at.error[0].value.startswith("notes.csv: ") and "\n" not in at.error[0].value


def test_settings_page_saves_leads_and_the_queue_uses_the_page_size(workbench):
    at = goto(app(), "settings_page")
    at.number_input[1].set_value(20)
    at.text_input(key="settings_leads").set_value("Lea, Max ")
    at.button(key="FormSubmitter:settings_form-Save").click().run()
    ok(at)
    from carebench_app.settings import load_settings

    saved = load_settings()
    assert saved.page_size == 20 and saved.leads == ["Lea", "Max"] and saved.is_lead(" max")
    at = goto(open_file(app()), "qa_queue")
    assert len(at.dataframe[0].value) == 20


def test_uploaded_rulebook_is_validated_and_used(workbench):
    at = goto(app(), "qa_open")
    at.radio(key="rulebook_src").set_value("Upload a rulebook").run()
    at.file_uploader(key="rulebook_upload").set_value(("strict.yaml", b"name: strict\ncolour: red\n",
                                                       "application/yaml")).run()
    assert len(at.error) == 1 and at.error[0].value.startswith("strict.yaml") and "colour" in at.error[0].value
    assert "/tmp" not in at.error[0].value
    good = (ROOT / "qa" / "policies" / "default.yaml").read_text().replace("first_response_target_minutes: 60",
                                                                         "first_response_target_minutes: 5")
    at.file_uploader(key="rulebook_upload").set_value(("strict.yaml", good.encode(), "application/yaml")).run()
    assert not at.error
    at.button(key="open_button").click().run()
    ok(at)
    opened = at.session_state["opened"]
    assert opened.policy_name == "strict.yaml" and "first_response_target_minutes: 5" in opened.policy_text
    goto(at, "qa_reply")
    assert "target: a first reply within 5 min" in texts(at)


def test_with_the_learned_model_the_queue_puts_the_least_sure_first(twcs_workbench):
    at = goto(app(), "qa_open")
    at.radio(key="model_src").set_value("Rules + the shipped learned model").run()
    at.button(key="open_button").click().run()
    ok(at)
    assert any("learned model" in s.value for s in at.success)
    goto(at, "qa_queue")
    at.radio(key="f_order").set_value("most uncertain first (learned model)").run()
    ok(at)
    from qa.learned import resolve_model
    from qa.learned.combine import uncertainty

    from carebench_app import qa_service as qs

    view = qs.score(at.session_state["opened"], _cache())
    doubt = dict(zip(view.queue["reply_id"], uncertainty(resolve_model("default"), view.queue["text"].tolist()),
                     strict=True))
    ids = list(at.dataframe[0].value["reply_id"].astype(str))
    shown = [doubt[r] for r in ids]
    assert shown == sorted(shown, reverse=True) and shown[0] == max(doubt.values())
    tick(at, 0)
    at.button(key="open_reply").click().run()
    goto(at, "qa_reply")
    at.button(key="reply_next").click().run()  # Next follows the same order
    assert at.session_state["reply_id"] == ids[1] and "2 of 73 in the queue, least sure first" in texts(at)
