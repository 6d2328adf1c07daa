"""The review queue: replies worst first, filtered, one page at a time (never the whole file)."""

from __future__ import annotations

import math

import streamlit as st

from carebench_app import qa_service as qs
from carebench_app import ui
from carebench_app.main import page

SHOW = ["reply_id", "score", "flags", "agent", "channel", "brand", "customer_language", "created_at",
        "precedent_risk", "thread_id"]


def _filters(view: qs.QAView) -> qs.Filters:
    q, opts = view.queue, view.options
    with st.expander("Filters", expanded=False):
        c = st.columns(3)
        agents = c[0].multiselect("Agent", opts.get("agent", []), key="f_agent")
        channels = c[1].multiselect("Channel", opts.get("channel", []), key="f_channel")
        brands = c[2].multiselect("Brand", opts.get("brand", []), key="f_brand")
        c = st.columns(3)
        checks = c[0].multiselect("Flagged by check", list(view.checks), key="f_check")
        languages = c[1].multiselect("Customer language", opts.get("customer_language", []), key="f_language")
        lo, hi = c[2].slider("Score range", 0.0, 100.0, (0.0, 100.0), step=1.0, key="f_score")
        date_from = date_to = None
        if "created_at" in q.columns and q["created_at"].notna().any():
            first, last = q["created_at"].min().date(), q["created_at"].max().date()
            picked = st.date_input("Date range", (first, last), min_value=first, max_value=last, key="f_dates")
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                date_from, date_to = picked
    return qs.Filters(tuple(agents), tuple(channels), tuple(brands), tuple(checks), tuple(languages),
                      date_from, date_to, lo, hi)


def _step(delta: int, pages: int) -> None:
    st.session_state["queue_page"] = min(max(st.session_state.get("queue_page", 1) + delta, 1), pages)


def _open(reply_id: str) -> None:
    st.session_state["reply_id"] = reply_id


def render() -> None:
    st.title("Review queue")
    view = ui.current_view()
    if view is None:
        return
    cfg = ui.settings()
    rows = qs.filter_queue(view, _filters(view))
    size = cfg.page_size
    pages = max(math.ceil(len(rows) / size), 1)
    st.session_state["queue_page"] = min(max(int(st.session_state.get("queue_page", 1)), 1), pages)

    nav = st.columns([1, 1, 2, 4])
    nav[0].button("Previous", key="queue_prev", on_click=_step, args=(-1, pages),
                  disabled=st.session_state["queue_page"] <= 1)
    nav[1].button("Next", key="queue_next", on_click=_step, args=(1, pages),
                  disabled=st.session_state["queue_page"] >= pages)
    current = nav[2].number_input("Page", min_value=1, max_value=pages, step=1, key="queue_page")
    nav[3].markdown(f"**{len(rows):,}** of {len(view.queue):,} replies match; page {current} of {pages:,}, "
                    "worst first.")

    shown = qs.page_of(rows, int(current), size)
    reviewed = ui.review_store().reviewed_reply_ids(view.opened.digest)
    table = shown[[c for c in SHOW if c in shown.columns]].copy()
    if "flags" in table.columns:
        table["flags"] = table["flags"].map(lambda v: ", ".join(v) if isinstance(v, (list, tuple)) else v)
    table.insert(1, "reviewed", table["reply_id"].astype(str).isin(reviewed))
    event = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row",
                         key="queue_table", height=min(35 * (len(table) + 1) + 3, 600))
    if len(shown) == 0:
        st.caption("No reply matches these filters.")
        return
    ids = shown["reply_id"].astype(str).tolist()
    picked_rows = getattr(getattr(event, "selection", None), "rows", None) or []
    default = ids[picked_rows[0]] if picked_rows and picked_rows[0] < len(ids) else ids[0]
    score_of = dict(zip(ids, shown["score"], strict=True))
    pick = st.selectbox("Reply", ids, index=ids.index(default), key="queue_pick",
                        format_func=lambda r: f"{r}  (score {score_of[r]:.0f})")
    if st.button("Open reply", type="primary", key="open_reply", on_click=_open, args=(pick,)):
        st.switch_page(page("reply"))


if __name__ == "__main__":
    render()
