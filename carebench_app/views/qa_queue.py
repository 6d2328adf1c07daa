"""The review queue: replies worst first, filtered, one page at a time (never the whole file).

Ticking a row selects that reply (the same selection the Reply page, its Previous/Next and the URL use); an id
typed in the box opens that reply wherever it is in the file. Filters and the page number are kept in the
session and the URL, so they survive going to a reply and back, and a refresh.
"""

from __future__ import annotations

import hashlib
import math

import streamlit as st

from carebench_app import explain, queue_state, ui
from carebench_app import qa_service as qs

SHOW = ["reply_id", "score", "flags", "agent", "channel", "brand", "customer_language", "created_at",
        "precedent_risk", "thread_id"]


def _reset_page() -> None:
    st.session_state["queue_page"] = 1


def _multiselect(where, label: str, key: str, options: list[str], **kw) -> None:
    queue_state.keep_valid(key, options)
    where.multiselect(label, options, key=key, persist_state="session", on_change=_reset_page, **kw)


def _filter_widgets(view: qs.QAView) -> None:
    q, opts = view.queue, view.options
    active = queue_state.filters(view)
    with st.expander("Filters" + ("" if active.empty else " (on)"), expanded=not active.empty):
        c = st.columns(3)
        _multiselect(c[0], "Agent", "f_agent", opts.get("agent", []))
        _multiselect(c[1], "Channel", "f_channel", opts.get("channel", []))
        _multiselect(c[2], "Brand", "f_brand", opts.get("brand", []))
        c = st.columns(3)
        _multiselect(c[0], "Flagged by", "f_check", list(view.items), format_func=explain.label,
                     help="Replies flagged by any of these checks or scorecard criteria.")
        _multiselect(c[1], "Customer language", "f_language", opts.get("customer_language", []))
        c[2].slider("Score range", 0.0, 100.0, step=1.0, key="f_score", persist_state="session",
                    on_change=_reset_page, **ui.initial("f_score", (0.0, 100.0)))
        if "created_at" in q.columns and q["created_at"].notna().any():
            first, last = q["created_at"].min().date(), q["created_at"].max().date()
            queue_state.keep_dates("f_dates", first, last)
            st.date_input("Date range", min_value=first, max_value=last, key="f_dates",
                          persist_state="session", on_change=_reset_page, **ui.initial("f_dates", (first, last)))


def _step(delta: int, pages: int) -> None:
    st.session_state["queue_page"] = min(max(int(st.session_state.get("queue_page", 1)) + delta, 1), pages)


def _table(view: qs.QAView, shown, reviewed: set[str], selected: str | None) -> None:
    table = shown[[c for c in SHOW if c in shown.columns]].copy()
    if "flags" in table.columns:
        table["flags"] = table["flags"].map(qs.flag_list)
    if "agent" in table.columns:
        table["agent"] = table["agent"].astype("string").fillna(qs.NO_AGENT)
    table.insert(1, "reviewed", table["reply_id"].astype(str).isin(reviewed))
    ids = table["reply_id"].astype(str).tolist()
    here = ids.index(selected) if selected in ids else None
    # a key per filters, selection and its row on this page: a tick never carries over to another page's row
    # (a tick changes the selection, so the key), and the table always shows the selected reply ticked. Pages
    # without the selected reply share one key, so paging updates the browser's grid instead of mounting anew
    token = hashlib.sha1(repr((view.opened.token, queue_state.filters(view), queue_state.by_uncertainty(view),
                               selected, here)).encode())
    event = st.dataframe(
        table, hide_index=True, on_select="rerun", selection_mode="single-row", key=f"q_{token.hexdigest()[:12]}",
        selection_default={"selection": {"rows": [here]}} if here is not None else None,
        height=min(35 * (len(table) + 1) + 3, 600),
        column_config={"flags": st.column_config.ListColumn("flags", width="large"),
                       "score": st.column_config.NumberColumn(format="%.1f"),
                       "precedent_risk": st.column_config.ProgressColumn("precedent risk", min_value=0.0,
                                                                         max_value=1.0, format="%.2f"),
                       "created_at": st.column_config.DatetimeColumn("posted", format="YYYY-MM-DD HH:mm")})
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if rows and rows[0] < len(ids) and ids[rows[0]] != selected:
        ui.select_reply(ids[rows[0]])
        st.rerun()
    elif not rows and here is not None:
        ui.select_reply(None)  # the reviewer un-ticked the selected reply
        st.rerun()


def render() -> None:
    st.title("Review queue")
    view = ui.current_view()
    if view is None:
        return
    if len(view.queue) == 0:
        st.info(f"{view.opened.name} holds no brand replies: there is nothing to review.")
        return
    cfg = ui.settings()
    _filter_widgets(view)
    if view.opened.model:
        st.radio("Order", ["worst first", queue_state.UNCERTAIN], horizontal=True, key="f_order",
                 persist_state="session", on_change=_reset_page,
                 help="The learned model's least sure replies first: reviewing them teaches a retrained model most "
                      "(export the reviews on the Calibration page; `carebench qa train` reads them).")
    positions = queue_state.positions(view)
    size = cfg.page_size
    pages = max(math.ceil(len(positions) / size), 1)
    st.session_state["queue_page"] = min(max(int(st.session_state.get("queue_page", 1)), 1), pages)

    nav = st.columns([1, 1, 2, 4])
    nav[0].button("Previous", key="queue_prev", on_click=_step, args=(-1, pages),
                  disabled=st.session_state["queue_page"] <= 1)
    nav[1].button("Next", key="queue_next", on_click=_step, args=(1, pages),
                  disabled=st.session_state["queue_page"] >= pages)
    current = nav[2].number_input("Page", min_value=1, max_value=pages, step=1, key="queue_page",
                                  persist_state="session")
    order = "least sure first" if queue_state.by_uncertainty(view) else "worst first"
    nav[3].markdown(f"**{len(positions):,}** of {len(view.queue):,} replies match; page {current} of {pages:,}, "
                    f"{order}.")
    start = (int(current) - 1) * size
    shown = view.queue.iloc[positions[start:start + size]]
    if len(shown) == 0:
        st.caption("No reply matches these filters.")
    else:
        reviewed = ui.review_store().reviewed_reply_ids(view.opened.digest)
        _table(view, shown, reviewed, st.session_state.get("reply_id"))
    queue_state.open_controls(view, "queue")


if __name__ == "__main__":
    ui.run_page(render)
