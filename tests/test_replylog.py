"""The simulator's reply log is read back by the QA module's reader as its own schema, without broken rows."""

from __future__ import annotations

import pandas as pd

from carebench.cli import main
from qa.readers import read_messages
from qa.schema import MESSAGE_COLUMNS, Message
from sim.messages import SimMessage
from sim.replylog import to_row


def test_reply_log_round_trips_through_the_qa_reader(tmp_path):
    log = tmp_path / "replies.csv"
    rc = main(["simulate", "scenarios/care-operation.yaml", "--reps", "1", "--no-plots", "--out", str(tmp_path),
               "--set", "horizon_days=0.5", "--set", "warmup_days=0", "--reply-log", str(log)])
    assert rc == 0
    header = log.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(MESSAGE_COLUMNS)
    result = read_messages(log)
    assert result.broken_rows == []
    msgs = result.messages
    summary = pd.read_csv(tmp_path / "summary.csv").iloc[0]
    assert (msgs["role"] == "customer").sum() == summary["arrivals"]
    brand = msgs[msgs["role"] == "brand"]
    assert 0 < len(brand) <= summary["answered"]
    assert brand["parent_id"].isin(msgs["message_id"]).all()  # every reply answers a logged post
    assert set(msgs["language"].dropna()) <= {"en", "es"}
    assert not msgs.loc[msgs["channel"] == "private_message", "public"].any()


def test_rows_validate_against_the_message_model():
    msg = SimMessage(thread_id="r0-c1", message_id="r0-m1-reply", in_reply_to="r0-m1", author="brand",
                     role="brand", channel="public_post", public=True, minute=90.5, language="es",
                     agent_id="english-002", followers=1234.4, intent="complaint", kind="dm", incident=None,
                     translated=True, compensation="beyond", wait_minutes=12.0, days_since_purchase=60,
                     order_value=80.0)
    row = Message.model_validate(to_row(0, msg))
    assert row.customer_followers == 1234 and row.agent_id == "english-002"
    assert "50% off" in row.text and str(row.purchase_date) == "2023-11-02"
