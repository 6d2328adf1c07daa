"""The public "Customer Support on Twitter" (twcs) CSV: rows validated, threads rebuilt from the reply links."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .readers_common import (TIME_YEARS, BadRows, ReadResult, blank_to_na, finish, norm_ids, parse_bool, parse_time,
                             within_years)
from .readers_csv import iter_csv, string_columns

__all__ = ["TWCS_COLUMNS", "Twcs", "build_twcs_threads"]

TWCS_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
                "in_response_to_tweet_id")
_TWCS_TIME = "%a %b %d %H:%M:%S %z %Y"
_AGENT_SIGNATURE = re.compile(r"(?:\^|(?<=\s)[-–~*/])\s?([A-Z]{2,4}|[A-Z][a-z]{2,11})\s*$")
_MENTION = re.compile(r"@([A-Za-z_][A-Za-z0-9_]{1,30})")
_SIGNATURE_REACH = 20  # a signature's mark, space and name span at most 14 characters, plus one looked behind


# twcs times as Twitter wrote them ("Tue Oct 31 22:10:47 +0000 2017"): rearranged into ISO 8601, which pandas
# parses in C, instead of strptime with %z. Any other spelling sends the whole column the general way.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STRICT_TIME = (r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:" + "|".join(_MONTHS) +
                r") [0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] [+-][0-9]{4} (?:19[7-9][0-9]|20[0-9][0-9])")
_MONTH_NUMBER = {m: f"{i:02d}" for i, m in enumerate(_MONTHS, 1)}


def _twcs_times(s: pd.Series) -> pd.Series:
    """``parse_time(s, _TWCS_TIME)``, the same values, faster on a column written the way Twitter writes times."""
    strict = s.str.fullmatch(_STRICT_TIME).fillna(False).to_numpy(dtype=bool)
    valid = s.notna().to_numpy(dtype=bool)
    if not valid.any() or not (strict == valid).all():
        return parse_time(s, _TWCS_TIME)
    iso = (s.str.slice(26, 30) + "-" + s.str.slice(4, 7).map(_MONTH_NUMBER).astype("string") + "-"
           + s.str.slice(8, 10) + "T" + s.str.slice(11, 19) + s.str.slice(20, 25))
    out = pd.to_datetime(iso, format="ISO8601", errors="coerce", utc=True)
    if (out.notna().to_numpy(dtype=bool) != valid).any():  # Feb 30 and the like: strptime decides
        return parse_time(s, _TWCS_TIME)
    return out.astype("datetime64[us, UTC]")


def _reply_links(responses: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(row, linked tweet id) for each id of the comma-separated ``response_tweet_id`` column (blanks: none).

    A plain loop over the strings: pandas' split and explode build a list and a row per value first."""
    dotted = responses.str.contains(".", regex=False).to_numpy(dtype=bool)
    if dotted.any():  # "3.0" -> "3" where there is a dot: re is not run on every row
        responses = responses.copy()
        responses[dotted] = responses[dotted].str.replace(r"\.0+(?=,|$)", "", regex=True)
    rows: list[int] = []
    ids: list[str] = []
    for row, value in enumerate(responses.to_numpy(dtype=object)):
        if value:
            for part in value.split(","):
                part = part.strip()
                if part:
                    rows.append(row)
                    ids.append(part)
    return np.asarray(rows, dtype=np.int64), ids


def _signature(text: str) -> str | None:
    """The agent's initials or name signing a brand tweet ("... ^JD"), else None.

    Searched in the last characters only (trailing spaces aside): the pattern is anchored at the end, and
    re would otherwise try it at every position of the tweet."""
    m = _AGENT_SIGNATURE.search(text.rstrip()[-_SIGNATURE_REACH:])
    return m.group(1) if m else None


class Twcs:
    """The public "Customer Support on Twitter" CSV, detected by its exact header; threads from reply links."""

    name = "twcs"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return header is not None and tuple(header) == TWCS_COLUMNS

    def read(self, path: Path) -> ReadResult:
        broken: list[tuple[int, str]] = []
        cols, lines = string_columns(iter_csv(path, len(TWCS_COLUMNS), broken), len(TWCS_COLUMNS))
        raw = pd.DataFrame(dict(zip(TWCS_COLUMNS, cols)))
        del cols
        return build_twcs_threads(raw, lines, broken)


def build_twcs_threads(raw: pd.DataFrame, lines: np.ndarray, broken: list[tuple[int, str]]) -> ReadResult:
    """Validate twcs rows and rebuild threads as connected components of the reply links.

    Only links between tweets present in the file join threads: a tweet whose parent is missing (a dangling
    reference) starts its own thread, so customers replying to one absent promotional tweet are not merged.
    (One function, about 95 lines: each check narrows the same row mask and columns the next one reads, in
    the order a reader follows; split, the pieces would pass all of them back and forth.)
    """
    rows = BadRows(len(raw), broken, lines)
    flag, bad = rows.flag, rows.bad

    tid = norm_ids(raw["tweet_id"])
    flag(~tid.str.fullmatch(r"\d+").fillna(False), "tweet_id: not an integer id")
    inbound, bad_inbound = parse_bool(raw["inbound"])
    flag(bad_inbound | inbound.isna(), "inbound: expected True or False")
    created = within_years(_twcs_times(blank_to_na(raw["created_at"])), TIME_YEARS)
    flag(created.isna(), "created_at: not a date and time from 1980 to 2200")
    parent = norm_ids(raw["in_response_to_tweet_id"])
    flag(parent.notna() & ~parent.str.fullmatch(r"\d+").fillna(False), "in_response_to_tweet_id: not an id")
    flag((parent == tid).fillna(False), "in_response_to_tweet_id: the tweet replies to itself")
    flag(tid.duplicated(keep="first") & tid.notna(), "tweet_id: duplicate (first occurrence kept)")
    keep = ~bad
    tid, parent, created = tid[keep].reset_index(drop=True), parent[keep].reset_index(drop=True), created[keep]
    author = raw["author_id"][keep].fillna("").str.strip().reset_index(drop=True)
    text = raw["text"][keep].fillna("").reset_index(drop=True)
    responses = raw["response_tweet_id"][keep].fillna("").reset_index(drop=True)
    is_brand = ~inbound[keep].astype(bool).reset_index(drop=True)
    n = len(tid)

    index = pd.Index(tid)
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    par_pos = index.get_indexer(parent.fillna("-"))
    ok = par_pos >= 0
    src.append(np.flatnonzero(ok))
    dst.append(par_pos[ok])
    resp_rows, resp_ids = _reply_links(responses)
    r_pos = index.get_indexer(resp_ids)
    ok = r_pos >= 0
    src.append(resp_rows[ok])
    dst.append(r_pos[ok])
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a, b = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # thread id: the smallest tweet id of the component, compared as whole numbers without going through
    # float (19-digit tweet ids do not fit a float64): by length without leading zeros, then as text
    tid_arr = tid.to_numpy(dtype=object)
    digits = np.array([t.lstrip("0") for t in tid_arr], dtype=object)
    order = np.lexsort((digits.astype(str), np.fromiter(map(len, digits), np.int64, n), comp))
    first = np.ones(n, dtype=bool)
    first[1:] = comp[order][1:] != comp[order][:-1]
    root_of = np.empty(comp.max() + 1 if n else 0, dtype=object)
    root_of[comp[order][first]] = tid_arr[order][first]
    thread_id = pd.Series(root_of[comp] if n else [], dtype="string")

    # the thread's brand: its brand accounts' most common name (ties: the one seen first); else the first
    # @handle customers address
    b_mask = is_brand.to_numpy(dtype=bool)
    brand = pd.Series(pd.NA, index=range(n), dtype="string")
    if b_mask.any():
        counts = (pd.DataFrame({"c": comp[b_mask], "a": author[b_mask].to_numpy(), "pos": np.flatnonzero(b_mask)})
                  .groupby(["c", "a"], sort=False).agg(k=("pos", "size"), first=("pos", "min")).reset_index()
                  .sort_values(["c", "k", "first"], ascending=[True, False, True], kind="stable")
                  .drop_duplicates("c"))
        brand_of = pd.Series(counts["a"].to_numpy(), index=counts["c"].to_numpy())
        brand = pd.Series(brand_of.reindex(comp).to_numpy(), dtype="string")
    missing = brand.isna().to_numpy(dtype=bool)
    if missing.any():  # only the threads without a brand account need their first @handle
        handle = pd.Series(pd.NA, index=text.index, dtype="string")
        handle[missing] = text[missing].str.extract(_MENTION, expand=False)
        handle = handle.where(~handle.fillna("0").str.fullmatch(r"\d+"))
        first_handle = pd.Series(handle.to_numpy()).groupby(comp).transform("first")
        brand = brand.fillna(first_handle)
    agent = pd.Series(pd.NA, index=text.index, dtype="string")
    if b_mask.any():
        agent[b_mask] = [_signature(t) for t in text.to_numpy(dtype=object)[b_mask]]
    agent = (author + "/" + agent).where(is_brand & agent.notna())

    df = pd.DataFrame({
        "message_id": tid,
        "thread_id": thread_id,
        "parent_id": parent,
        "role": np.where(is_brand, "brand", "customer"),
        "author_id": author,
        "brand": brand.fillna("").astype("string"),
        "channel": "twitter",
        "public": True,
        "created_at": created.reset_index(drop=True),
        "text": text,
        "language": pd.Series(pd.NA, index=range(n), dtype="string"),
        "agent_id": agent.astype("string"),
        "customer_followers": pd.Series(pd.NA, index=range(n), dtype="Int64"),
        "purchase_date": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
        "order_value": np.nan,
        "product": pd.Series(pd.NA, index=range(n), dtype="string"),
        "issue_category": pd.Series(pd.NA, index=range(n), dtype="string"),
    })
    return finish(df, broken, "twcs")
