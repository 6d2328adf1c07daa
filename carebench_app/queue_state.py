"""The queue's filters and selected reply as session state, shared by the Review queue and Reply pages.

The filter widgets live on the queue page (keys ``f_*``, kept in the session and the URL); the Reply page reads
the same keys, so its Previous/Next walk exactly the queue the reviewer filtered. The rows that pass the
filters are computed once per (file, filters) and kept in the session, so stepping through replies does not
filter 100,000 rows on every click.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import streamlit as st

from carebench_app import ui
from carebench_app.main import page

from . import qa_service as qs

__all__ = ["filters", "keep_valid", "keep_dates", "positions", "neighbours", "open_controls", "open_by_id",
           "by_uncertainty", "UNCERTAIN"]


def _tuple(key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in st.session_state.get(key) or ())


def filters(view: qs.QAView) -> qs.Filters:
    """The filters in the session (whatever page set them), as the queue applies them."""
    lo, hi = st.session_state.get("f_score") or (0.0, 100.0)
    dates = st.session_state.get("f_dates") or ()
    dates = tuple(dates) if isinstance(dates, (list, tuple)) else (dates,)
    date_from = dates[0] if len(dates) == 2 else None
    date_to = dates[1] if len(dates) == 2 else None
    if "created_at" in view.queue.columns and date_from and date_to and len(view.queue):
        first, last = view.queue["created_at"].min(), view.queue["created_at"].max()
        if first is not None and date_from <= first.date() and date_to >= last.date():
            date_from = date_to = None  # the whole span: no filter (and no mask over every row)
    return qs.Filters(_tuple("f_agent"), _tuple("f_channel"), _tuple("f_brand"), _tuple("f_check"),
                      _tuple("f_language"), date_from, date_to, float(lo), float(hi))


def keep_valid(key: str, options: list[str]) -> None:
    """Drop remembered choices that this file does not offer (a URL from another file, a hand-edited link)."""
    value = st.session_state.get(key)
    if value:
        kept = [v for v in value if v in options]
        if kept != list(value):
            st.session_state[key] = kept


def keep_dates(key: str, first: dt.date, last: dt.date) -> None:
    value = st.session_state.get(key)
    if value is not None:
        value = tuple(value) if isinstance(value, (list, tuple)) else (value,)
        if not value or any(not isinstance(d, dt.date) or d < first or d > last for d in value):
            del st.session_state[key]


UNCERTAIN = "most uncertain first (learned model)"


def by_uncertainty(view: qs.QAView) -> bool:
    return bool(view.opened.model) and st.session_state.get("f_order") == UNCERTAIN


def positions(view: qs.QAView) -> np.ndarray:
    """Rows of ``view.queue`` that pass the session's filters, in the queue's order: worst first, or the
    learned model's least sure first (memoised per file, filters and order)."""
    key = (view.opened.token, filters(view), by_uncertainty(view))
    memo = st.session_state.get("_positions")
    if memo is None or memo[0] != key:
        rows = qs.filtered_positions(view, key[1])
        if key[2]:
            rows = rows[np.argsort(-qs.uncertainty(view)[rows], kind="stable")]
        memo = (key, rows)
        st.session_state["_positions"] = memo
    return memo[1]


def neighbours(view: qs.QAView, reply_id: str) -> tuple[int | None, str | None, str | None, int]:
    """(place in the filtered queue or None, previous id, next id, filtered count) of ``reply_id``.

    A reply outside the filtered queue (opened by id) has no place; its Next is the first filtered reply
    after it in the whole queue, its Previous the last one before it.
    """
    rows = positions(view)
    pos = view.positions.get(str(reply_id))
    ids = view.queue["reply_id"]
    if pos is None or len(rows) == 0:
        return None, None, None, len(rows)
    if by_uncertainty(view):  # not sorted by row: look the reply up; outside the queue it has no neighbours
        hit = np.flatnonzero(rows == pos)
        if not len(hit):
            first = str(ids.iloc[rows[0]])
            return None, None, first, len(rows)
        at = int(hit[0])
        return (at, str(ids.iloc[rows[at - 1]]) if at > 0 else None,
                str(ids.iloc[rows[at + 1]]) if at + 1 < len(rows) else None, len(rows))
    at = int(np.searchsorted(rows, pos))
    inside = at < len(rows) and rows[at] == pos
    before = at - 1
    after = at + 1 if inside else at
    prev_id = str(ids.iloc[rows[before]]) if before >= 0 else None
    next_id = str(ids.iloc[rows[after]]) if after < len(rows) else None
    return (at if inside else None), prev_id, next_id, len(rows)


def open_by_id(view: qs.QAView, key: str) -> None:
    with st.form(f"{key}_by_id", border=False):
        c = st.columns([3, 1], vertical_alignment="bottom")
        typed = c[0].text_input("Open a reply by id (any page of the file)", key=f"{key}_id",
                                placeholder="reply id")
        if c[1].form_submit_button("Open"):
            rid = (typed or "").strip()
            if rid in view.positions:
                ui.select_reply(rid)
                st.switch_page(page("reply"))
            st.error(f"No reply with id {rid!r} in {view.opened.name}." if rid else "Type a reply id first.")


def open_controls(view: qs.QAView, key: str) -> None:
    """The selected reply with an Open button, and a box that opens any reply of the file by its id."""
    selected = st.session_state.get("reply_id")
    pos = view.positions.get(str(selected)) if selected else None
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        if pos is None:
            st.caption("Tick a row to select its reply, or type an id.")
        else:
            row = view.queue.iloc[pos]
            st.markdown(f"Selected: **{selected}** · score {float(row['score']):.1f}")
        if st.button(f"Open reply {selected}" if pos is not None else "Open reply", type="primary",
                     key="open_reply" if key == "queue" else f"{key}_open_reply", disabled=pos is None):
            st.switch_page(page("reply"))
    with right:
        open_by_id(view, key)
