"""Synthetic reply files in the bench's own schema, for the app's tests and benchmark (never real data).

Each thread is one customer post and one brand reply drawn from a small set of templates, some with known
violations (deflection, DM request, compensation beyond policy, personal data), so the worst replies are
predictable. Vectorised, so 100,000 threads take about a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CUSTOMER = [
    "My order #{n} never arrived and nobody answers, this is ridiculous",
    "I was charged twice for my subscription this month, please fix it",
    "The blender I bought two months ago broke, I want a full refund",
    "Your app keeps crashing when I try to log in",
    "Love the new store layout, great job!",
]
BRAND = [
    "Sorry about that! Please call our support line at 1-800-555-0100 so they can check it.",
    "We're sorry to hear that. Please send us a DM with your order number and we'll look into it.",
    "So sorry! We'll give you a full refund plus 50% off your next purchase.",
    "Thanks for flagging, we've fixed the double charge and you'll see it on your next statement.",
    "Hi, we've updated the order for jane.doe{n}@example.com at 12 Oak Street, it ships today.",
    "We're just the social team, we can't access accounts here, sorry.",
    "Thanks so much for the kind words, we'll pass them on to the team!",
]
AGENTS = ["ana", "ben", "chloe", "dev"]
CHANNELS = ["twitter", "facebook", "instagram"]
BRANDS = ["acme", "globex"]


def sample_frame(n_threads: int, seed: int = 0) -> pd.DataFrame:
    """``2 * n_threads`` messages: a customer post and a brand reply per thread."""
    rng = np.random.default_rng(seed)
    i = np.arange(n_threads)
    start = pd.Timestamp("2026-03-02T08:00:00Z") + pd.to_timedelta(i * 97 % (14 * 24 * 60), unit="min")
    latency = pd.to_timedelta(rng.integers(2, 240, n_threads), unit="min")
    cust_t = rng.integers(0, len(CUSTOMER), n_threads)
    brand_t = rng.integers(0, len(BRAND), n_threads)
    brand_t[:3] = [2, 0, 1][:n_threads]  # the first threads always hold the known violations
    cust_text = [CUSTOMER[t].format(n=10000 + k) for k, t in zip(i, cust_t, strict=True)]
    brand_text = [BRAND[t].format(n=k) for k, t in zip(i, brand_t, strict=True)]
    thread = [f"t{k:06d}" for k in i]
    common = {
        "thread_id": thread,
        "brand": np.array(BRANDS)[i % len(BRANDS)],
        "channel": np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n_threads)],
        "public": True,
        "language": "en",
    }
    customer = pd.DataFrame({
        "message_id": [f"c{k:06d}" for k in i], "parent_id": "", "role": "customer",
        "author_id": [f"user{k % 997}" for k in i], "created_at": start, "text": cust_text, "agent_id": "",
        "customer_followers": rng.integers(10, 50000, n_threads), **common,
    })
    brand = pd.DataFrame({
        "message_id": [f"r{k:06d}" for k in i], "parent_id": customer["message_id"], "role": "brand",
        "author_id": np.array(BRANDS)[i % len(BRANDS)], "created_at": start + latency, "text": brand_text,
        "agent_id": np.array(AGENTS)[rng.integers(0, len(AGENTS), n_threads)], "customer_followers": pd.NA,
        **common,
    })
    out = pd.concat([customer, brand]).sort_values(["thread_id", "created_at"], kind="stable")
    out["created_at"] = out["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    cols = ["message_id", "thread_id", "parent_id", "role", "author_id", "brand", "channel", "public",
            "created_at", "text", "language", "agent_id", "customer_followers"]
    return out[cols].reset_index(drop=True)


def write_sample(path: str | Path, n_threads: int = 24, seed: int = 0, broken_row: bool = True) -> Path:
    """Write a sample CSV; with ``broken_row`` one extra line has an unparseable date (reported, skipped)."""
    path = Path(path)
    frame = sample_frame(n_threads, seed)
    if broken_row:
        bad = frame.iloc[[0]].copy()
        bad["message_id"], bad["thread_id"], bad["created_at"] = "bad1", "tbad", "not a date"
        frame = pd.concat([frame, bad], ignore_index=True)
    frame.to_csv(path, index=False)
    return path
