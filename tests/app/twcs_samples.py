"""Synthetic files in the twcs format ("Customer Support on Twitter"), shaped like real exports (never real data).

What real exports have and the own-schema samples do not: brand replies without an agent signature (most of
them), signatures in several styles (``^AB``, ``-Sam``), parents that are not in the file (a customer answering
a promotional tweet, a brand reply whose customer tweet was not exported), several brands, follow-up posts and
second replies, ids written as floats (``123.0``), and no agent, channel, follower or case-fact columns at all.
The texts are this file's own templates (with a refund-plus-discount reply first, always unsigned, because
unsigned replies are what broke the reply page on a real export).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from app_samples import BRAND, CUSTOMER

TWCS_HEADER = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
               "in_response_to_tweet_id"]
BRANDS = ["AcmeHelp", "GlobexCares", "InitechSupport", "UmbrellaAir", "SoylentCo"]
SIGNATURES = ["", "", "", " ^AB", " -Sam", "", " ^KT", ""]  # five of eight unsigned, as in real exports
FOLLOW_UPS = ["Still waiting, any news?", "That didn't help at all", "ok thanks"]
_TIME = "%a %b %d %H:%M:%S +0000 %Y"


def twcs_rows(n_threads: int, seed: int = 0) -> list[list[str]]:
    """Rows of a twcs file: ``n_threads`` threads over several brands, as described in the module docstring."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2017-10-30T08:00:00Z")
    rows: list[list[str]] = []
    next_id = 1000

    def new_id() -> int:
        nonlocal next_id
        next_id += int(rng.integers(1, 4))  # gaps, as in an export that kept some tweets only
        return next_id

    for k in range(n_threads):
        brand = BRANDS[k % len(BRANDS)]
        customer = str(200000 + int(rng.integers(0, max(n_threads // 2, 1))))
        t0 = start + pd.Timedelta(minutes=int(k * 37 % (7 * 24 * 60)))
        b_tpl = 2 if k == 0 else int(rng.integers(0, len(BRAND)))
        signature = "" if k == 0 else SIGNATURES[int(rng.integers(0, len(SIGNATURES)))]
        reply_text = f"@{customer} {BRAND[b_tpl].format(n=k)}{signature}"
        if k % 11 == 5:  # a brand reply whose customer tweet is not in the export
            rows.append([str(new_id()), brand, "False", t0.strftime(_TIME), reply_text, "", f"{next_id + 7}.0"])
            next_id += 10
            continue
        c_id, b_id = new_id(), new_id()
        dangling = f"{next_id + 5}.0" if k % 7 == 3 else ""  # the customer answers a tweet not in the file
        if dangling:
            next_id += 8
        c_text = f"@{brand} {CUSTOMER[int(rng.integers(0, len(CUSTOMER)))].format(n=10000 + k)}"
        follow = k % 4 == 1
        f_id, b2_id = (new_id(), new_id()) if follow else (0, 0)
        rows.append([str(c_id), customer, "True", t0.strftime(_TIME), c_text, str(b_id), dangling])
        t1 = t0 + pd.Timedelta(minutes=int(rng.integers(2, 240)))
        rows.append([str(b_id), brand, "False", t1.strftime(_TIME), reply_text, str(f_id) if follow else "",
                     f"{c_id}.0"])
        if follow:
            t2 = t1 + pd.Timedelta(minutes=int(rng.integers(5, 90)))
            rows.append([str(f_id), customer, "True", t2.strftime(_TIME),
                         f"@{brand} {FOLLOW_UPS[k % len(FOLLOW_UPS)]}", str(b2_id), f"{b_id}.0"])
            t3 = t2 + pd.Timedelta(minutes=int(rng.integers(2, 120)))
            second = f"@{customer} Sorry for the wait, we've escalated this to our delivery team{signature}"
            rows.append([str(b2_id), brand, "False", t3.strftime(_TIME), second, "", f"{f_id}.0"])
    return rows


def write_twcs(path: str | Path, n_threads: int = 40, seed: int = 0) -> Path:
    """Write a twcs CSV (quoted where needed, as the Kaggle file is)."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(TWCS_HEADER)
        w.writerows(twcs_rows(n_threads, seed))
    return path


def write_twcs_garbage(path: str | Path, n_rows: int = 30) -> Path:
    """A file with the twcs header whose every row is broken (ids and flags that are not ids and flags)."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(TWCS_HEADER)
        for i in range(n_rows):
            w.writerow([f"row{i}", "someone", "maybe", "yesterday", "lorem ipsum", "", ""])
    return path
