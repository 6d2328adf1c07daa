"""Shared fixtures for the QA tests: small generated data sets (never the real samples)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from qa.generator import generate
from qa.schema import MESSAGE_COLUMNS

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def small_generated():
    return generate(400, seed=11)


def make_messages(rows: list[dict]) -> pd.DataFrame:
    """Own-schema messages from short dicts: defaults fill the rest; ``at`` is minutes after T0."""
    out = []
    for i, r in enumerate(rows):
        r = dict(r)
        at = r.pop("at", i)
        base = {c: None for c in MESSAGE_COLUMNS}
        base.update(message_id=str(i + 1), thread_id="t1", parent_id=None, role="customer", author_id="cust",
                    brand="Acme", channel="twitter", public=True, text="", language=None, agent_id=None,
                    customer_followers=None, purchase_date=None, order_value=None, product=None,
                    issue_category=None)
        base.update(r)
        base["created_at"] = T0 + timedelta(minutes=at)
        out.append(base)
    df = pd.DataFrame(out)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    df["purchase_date"] = pd.to_datetime(df["purchase_date"])
    df["customer_followers"] = df["customer_followers"].astype("Int64")
    df["order_value"] = df["order_value"].astype("float64")
    return df.sort_values(["thread_id", "created_at", "message_id"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="session")
def build():
    """The :func:`make_messages` helper, as a fixture (test modules here are not a package)."""
    return make_messages
