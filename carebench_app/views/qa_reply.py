"""A reply in its thread: the score as the sum that produced it, every check and flag as a card (what it
means, the evidence in its colour, where the verdict came from, the review and its history), precedent risk
in words, and Previous/Next through the filtered queue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import cards, explain, queue_state, ui
from carebench_app import evidence as ev
from carebench_app import qa_service as qs
from carebench_app import reply_items as ri
from carebench_app.main import page

_RISK_COLOUR = {"low": "#7fbf7f", "moderate": "#f0b84f", "high": "#e0605a"}


def _agent(value) -> str:
    """An agent id for a caption; real exports leave most brand replies unsigned (missing, never an error)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _thread(view: qs.QAView, row: pd.Series, palette: dict[str, str], marks: list[ev.Mark]) -> None:
    thread = qs.thread_of(view, str(row["thread_id"]))
    if thread.empty:
        st.caption("The thread's messages are not available.")
        return
    here = set(thread["message_id"].astype(str))
    for m in thread.to_dict("records"):
        mine = str(m.get("message_id")) == str(row["reply_id"])
        customer = m.get("role") == "customer"
        agent = _agent(m.get("agent_id"))
        who = "customer" if customer else f"brand ({agent})" if agent else "brand (unsigned)"
        with st.chat_message("user" if customer else "assistant"):
            at = m.get("created_at")
            when = at.strftime("%Y-%m-%d %H:%M") if pd.notna(at) else "time unknown"
            late = m.get("minutes_after_customer")
            bits = [who, when]
            if late is not None and pd.notna(late):
                bits.append(f"{late:.0f} min after the customer")
            if m.get("public") in (False, 0, "false", "False"):
                bits.append("private")
            parent = m.get("parent_id")
            if parent is not None and pd.notna(parent) and str(parent) and str(parent) not in here:
                bits.append("answers a post not in this file")
            if mine:
                bits.append("**this reply**")
            st.caption(" · ".join(bits))
            text = "" if m.get("text") is None or pd.isna(m.get("text")) else str(m.get("text"))
            st.markdown(ev.highlight(text, ev.spans(text, marks) if mine else [], palette), unsafe_allow_html=True)


def _precedent(view: qs.QAView, row: pd.Series) -> None:
    st.subheader("Precedent risk")
    high = float(getattr(getattr(view.book, "precedent", None), "high", 0.5))
    st.markdown(explain.precedent_words(row, high))
    risk = pd.to_numeric(pd.Series([row.get("precedent_risk")]), errors="coerce").iloc[0]
    if pd.notna(risk):
        colour = _RISK_COLOUR[explain.precedent_level(float(risk), high)]
        st.markdown(
            f'<div title="precedent risk {risk:.2f}; flagged from {high:g}" style="position:relative;height:14px;'
            f'background:#e8e8e8;border-radius:7px;margin:.2em 0 .8em 0"><div style="width:{100 * min(risk, 1):.1f}%;'
            f'height:100%;background:{colour};border-radius:7px"></div><div style="position:absolute;'
            f'left:{100 * min(high, 1):.1f}%;top:-4px;height:22px;border-left:2px solid #333"></div></div>',
            unsafe_allow_html=True)
        st.caption(f"The bar runs from 0 to 1; the line marks {high:g}, where the rulebook flags high precedent risk.")
    reasons = str(row.get("policy_reasons") or "").strip()
    if reasons:
        st.caption("Policy: " + reasons)
    lang = [f"{c.replace('_', ' ')}: {row[c]}" for c in ("customer_language", "reply_language") if c in row.index]
    if lang:
        st.caption(" · ".join(lang))


def _nav(view: qs.QAView, reply_id: str) -> None:
    place, prev_id, next_id, count = queue_state.neighbours(view, reply_id)
    filtered = not queue_state.filters(view).empty
    nav = st.columns([2, 1.4, 1.4, 3])
    nav[0].page_link(page("queue"), label="Back to the review queue")
    nav[1].button("Previous reply", key="reply_prev", disabled=prev_id is None, on_click=ui.select_reply,
                  args=(prev_id,))
    nav[2].button("Next reply", key="reply_next", disabled=next_id is None, on_click=ui.select_reply,
                  args=(next_id,))
    where = "the filtered queue" if filtered else "the queue"
    order = "least sure first" if queue_state.by_uncertainty(view) else "worst first"
    nav[3].caption(f"{place + 1:,} of {count:,} in {where}, {order}" if place is not None else
                   f"not in {where} ({count:,} replies); Previous/Next go to its neighbours there")


def _header(view: qs.QAView, row: pd.Series) -> None:
    agent = _agent(row.get("agent"))
    meta = [f"**{row['reply_id']}**", f"agent {agent}" if agent else "no agent signature"]
    for col in ("brand", "channel"):
        if col in row.index and pd.notna(row[col]) and str(row[col]):
            meta.append(f"{col} {row[col]}")
    if "latency_minutes" in row.index and pd.notna(row["latency_minutes"]):
        meta.append(f"first response after {row['latency_minutes']:.0f} min")
    st.markdown(" · ".join(meta))
    auto = row.get("auto_fail") in (True, 1, "true", "True")
    st.markdown(f"### Score {float(row['score']):g}" + (" :red[(auto-fail)]" if auto else ""))
    st.markdown(ri.score_line(view, row))


def _cards(view: qs.QAView, reply_id: str, row: pd.Series, items: list[ri.Item],
           palette: dict[str, str]) -> None:
    saved = st.session_state.pop("review_saved", None)
    if saved:
        st.toast(f"Review saved: {saved}")
    st.subheader("Verdicts")
    if not ui.reviewer():
        st.info("Set your name in the sidebar to confirm or dispute verdicts (once per browser session).")
    reviews = ui.review_store().for_reply(view.opened.digest, str(reply_id))
    for item in (i for i in items if i.verdict):
        cards.card(view, reply_id, item, palette, reviews.get(item.name))
    quiet = [i for i in items if i.verdict is False]
    if quiet:
        with st.expander(f"Not flagged ({len(quiet)}): confirm, or dispute a miss"):
            for item in quiet:
                cards.card(view, reply_id, item, palette, reviews.get(item.name))
    unknown = [explain.label(i.name) for i in items if i.verdict is None]
    if unknown:
        st.caption(f"Undetermined (nothing to confirm or dispute): {', '.join(unknown)}")


def render() -> None:
    st.title("Reply in context")
    view = ui.current_view()
    if view is None:
        return
    if len(view.queue) == 0:
        st.info(f"{view.opened.name} holds no brand replies: there is no reply to show.")
        return
    reply_id = st.session_state.get("reply_id")
    if not reply_id:
        rows = queue_state.positions(view)
        reply_id = str(view.queue["reply_id"].iloc[rows[0] if len(rows) else 0])
        ui.select_reply(reply_id)
    pos = view.positions.get(str(reply_id))
    if pos is None:
        st.error(f"Reply {reply_id} is not in {view.opened.name}.")
        queue_state.open_controls(view, "reply")
        return
    row = view.queue.iloc[pos]
    _nav(view, str(reply_id))
    _header(view, row)
    items = ri.items_of(view, row)
    palette = ev.colours(view.items)
    marks = [m for i in items for m in i.marks]
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Thread")
        legend = [ev.chip(explain.label(n), palette[n]) for n in dict.fromkeys(m.check for m in marks) if n in palette]
        if legend:
            st.markdown("Evidence marked: " + " ".join(legend), unsafe_allow_html=True)
        _thread(view, row, palette, marks)
    with right:
        _precedent(view, row)
    _cards(view, str(reply_id), row, items, palette)


if __name__ == "__main__":
    ui.run_page(render)
