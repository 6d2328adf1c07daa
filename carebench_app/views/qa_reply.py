"""A reply in its thread: each check's verdict with its evidence highlighted, the rulebook clause it refers to,
the parts of the precedent-risk score, and the reviewer's confirm/dispute with a comment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import qa_service as qs
from carebench_app import ui
from carebench_app.main import page
from carebench_app.store import Review

_LABEL = {True: "flagged", False: "not flagged", None: "undetermined"}


def _save(view: qs.QAView, reply_id: str, check: str, auto: bool, decision: str) -> None:
    comment = st.session_state.get(f"comment_{check}", "") or ""
    ui.review_store().save(Review(view.opened.digest, view.opened.name, reply_id, check, auto, decision, comment))
    st.session_state["review_saved"] = f"{check} {'confirmed' if decision == 'confirm' else 'disputed'}"


def _move(queue: pd.DataFrame, pos: int) -> None:
    st.session_state["reply_id"] = str(queue["reply_id"].iloc[pos])


def _thread(view: qs.QAView, row: pd.Series, snippets: list[str]) -> None:
    thread = qs.thread_of(view, str(row["thread_id"]))
    if thread.empty:
        st.caption("The thread's messages are not available.")
        return
    for m in thread.itertuples():
        mine = str(m.message_id) == str(row["reply_id"])
        who = "customer" if m.role == "customer" else f"brand{' (' + str(m.agent_id) + ')' if getattr(m, 'agent_id', None) else ''}"
        with st.chat_message("user" if m.role == "customer" else "assistant"):
            when = m.created_at.strftime("%Y-%m-%d %H:%M") if pd.notna(m.created_at) else "?"
            late = (f" · {m.minutes_after_customer:.0f} min after the customer"
                    if pd.notna(getattr(m, "minutes_after_customer", None)) else "")
            vis = "" if getattr(m, "public", True) in (True, 1, "true", "True") else " · private"
            st.caption(f"{who} · {when}{late}{vis}{' · **this reply**' if mine else ''}")
            text = str(m.text or "")
            st.markdown(qs.highlight(text, snippets if mine else []), unsafe_allow_html=True)


def render() -> None:
    st.title("Reply in context")
    view = ui.current_view()
    if view is None:
        return
    q = view.queue
    reply_id = st.session_state.get("reply_id") or str(q["reply_id"].iloc[0])
    pos = view.positions.get(str(reply_id))
    if pos is None:
        st.error(f"Reply {reply_id} is not in {view.opened.name}.")
        return
    row = q.iloc[pos]
    nav = st.columns([2, 1.4, 1.4, 3])
    nav[0].page_link(page("queue"), label="Back to the review queue")
    nav[1].button("Previous reply", key="reply_prev", disabled=pos == 0, on_click=_move, args=(q, pos - 1))
    nav[2].button("Next reply", key="reply_next", disabled=pos + 1 >= len(q), on_click=_move, args=(q, pos + 1))
    nav[3].caption(f"{pos + 1:,} of {len(q):,} in the queue, worst first")
    meta = [f"**{reply_id}**", f"score **{row['score']:.0f}**"]
    for col in ("agent", "channel", "brand"):
        if col in row.index and pd.notna(row[col]):
            meta.append(f"{col} {row[col]}")
    if "latency_minutes" in row.index and pd.notna(row["latency_minutes"]):
        meta.append(f"first response after {row['latency_minutes']:.0f} min")
    if row.get("auto_fail") in (True, 1, "true", "True"):
        meta.append(":red[auto-fail]")
    st.markdown(" · ".join(meta))

    all_snippets = [s for c in view.checks for s in qs.evidence_snippets(row.get("evidence"), c)]
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Thread")
        _thread(view, row, all_snippets)
    with right:
        st.subheader("Precedent risk")
        risk = row.get("precedent_risk")
        st.metric("precedent risk (0-1)", "-" if pd.isna(risk) else f"{float(risk):.2f}")
        parts = qs.precedent_parts(row)
        if parts:
            st.dataframe(pd.DataFrame({"part": list(parts), "value": [str(v) for v in parts.values()]}),
                         hide_index=True)
        lang = [f"{c}: {row[c]}" for c in ("customer_language", "reply_language") if c in row.index]
        if lang:
            st.caption(" · ".join(lang))

    saved = st.session_state.pop("review_saved", None)
    if saved:
        st.toast(f"Review saved: {saved}")
    st.subheader("Verdicts")
    reviews = ui.review_store().for_reply(view.opened.digest, str(reply_id))
    verdicts = {check: qs.verdict(row[check]) for check in view.checks}
    undetermined = [c for c, v in verdicts.items() if v is None]
    if undetermined:
        st.caption(f"Undetermined (nothing to confirm or dispute): {', '.join(undetermined)}")
    for check, auto in verdicts.items():
        if auto is None:
            continue
        snippets = qs.evidence_snippets(row.get("evidence"), check)
        with st.container(border=True, key=f"verdict_{check}"):
            head = st.columns([2, 3])
            head[0].markdown(f"**{check}**: {_LABEL[auto]}")
            done = reviews.get(check)
            if done:
                head[1].markdown(f"reviewed: **{'confirmed' if done.decision == 'confirm' else 'disputed'}**"
                                 f"{' · ' + done.comment if done.comment else ''} · {done.reviewed_at}")
            notes = qs.evidence_notes(row.get("evidence"), check)
            if snippets or notes:
                st.markdown("evidence: " + " · ".join([f"<mark>{qs.md_escape(x)}</mark>" for x in snippets]
                                                      + [qs.md_escape(x) for x in notes]), unsafe_allow_html=True)
            clause = qs.rule_clause(view.opened.policy_text, check)
            if clause:
                with st.expander("rulebook clause"):
                    st.code(clause, language="yaml")
            c = st.columns([4, 1, 1])
            c[0].text_input("Comment", key=f"comment_{check}", label_visibility="collapsed",
                            placeholder="comment (optional)")
            c[1].button("Confirm", key=f"confirm_{check}", on_click=_save,
                        args=(view, str(reply_id), check, auto, "confirm"))
            c[2].button("Dispute", key=f"dispute_{check}", on_click=_save,
                        args=(view, str(reply_id), check, auto, "dispute"))


if __name__ == "__main__":
    render()
