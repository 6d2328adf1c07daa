"""Disputes: every disputed verdict with its state; a lead accepts (the check was wrong) or rejects (the check
stands) each open one, with a note. Who disputed, who decided and when stay in the verdict's history."""

from __future__ import annotations

import streamlit as st

from carebench_app import explain, ui
from carebench_app.main import page
from carebench_app.store import DISPUTE_STATES, ConflictError


def _resolve(digest: str, reply_id: str, check: str, accept: bool, version: int) -> None:
    note = (st.session_state.get("dispute_note") or "").strip()
    try:
        ui.review_store().resolve(digest, reply_id, check, accept, ui.reviewer(), note, version)
    except (ConflictError, ValueError) as exc:
        st.session_state["dispute_msg"] = ("warning", f"Not saved: {exc}.")
        return
    st.session_state.pop("dispute_note", None)
    st.session_state["dispute_msg"] = ("success", f"{reply_id} {explain.label(check)}: dispute "
                                                  f"{'accepted' if accept else 'rejected'}.")


def _open_reply(reply_id: str) -> None:
    ui.select_reply(reply_id)


def _act(table, cfg) -> None:
    open_ = table[table["dispute_status"] == "open"]
    if open_.empty:
        st.caption("No open dispute here.")
        return
    labels = {i: f"{r.reply_id} · {explain.label(r.check)} · disputed by {r.reviewer or '(no name)'} ({r.file_name})"
              for i, r in open_.iterrows()}
    pick = st.selectbox("Open dispute", list(labels), format_func=labels.get, key="dispute_pick")
    r = open_.loc[pick]
    st.markdown(f"The check said **{'flagged' if r.auto_verdict else 'not flagged'}**; "
                f"{r.reviewer or 'a reviewer'} says it is wrong" + (f": “{r.comment}”" if r.comment else "."))
    st.caption(explain.definition(r.check))
    opened = st.session_state.get("opened")
    if opened is not None and opened.digest == r.file_digest:
        if st.button(f"Open reply {r.reply_id}", key="dispute_open_reply", on_click=_open_reply,
                     args=(str(r.reply_id),)):
            st.switch_page(page("reply"))
    lead = ui.reviewer()
    if not cfg.leads:
        st.info("No leads are named yet: add them under **Settings** (leads) so disputes can be decided.")
        return
    if not cfg.is_lead(lead):
        st.info(f"Only a lead ({', '.join(cfg.leads)}) can accept or reject a dispute; you are "
                f"{lead or 'not named yet (sidebar)'}.")
        return
    st.text_input("Note for the reviewer (optional)", key="dispute_note")
    c = st.columns(2)
    args = (r.file_digest, str(r.reply_id), r.check)
    c[0].button("Accept: the check was wrong", key="dispute_accept", on_click=_resolve,
                args=(*args, True, int(r.version)))
    c[1].button("Reject: the check stands", key="dispute_reject", on_click=_resolve,
                args=(*args, False, int(r.version)))


def render() -> None:
    st.title("Disputes")
    cfg = ui.settings()
    store = ui.review_store()
    msg = st.session_state.pop("dispute_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])
    opened = st.session_state.get("opened")
    c = st.columns(2)
    scope = c[0].radio("Disputes of", ["the open file", "all files"], horizontal=True, key="calib_dispute_scope",
                       persist_state="session", disabled=opened is None,
                       captions=[opened.name if opened else "no file open", ""])
    status = c[1].selectbox("State", ["all", *DISPUTE_STATES], index=1, key="calib_dispute_state",
                            persist_state="session")
    table = store.frame(opened.digest if scope == "the open file" and opened else None)
    table = table[table["decision"] == "dispute"]
    counts = table["dispute_status"].value_counts()
    m = st.columns(3)
    for col, s in zip(m, DISPUTE_STATES, strict=True):
        col.metric(s, f"{int(counts.get(s, 0)):,}")
    shown = table if status == "all" else table[table["dispute_status"] == status]
    if table.empty:
        st.info("No disputes yet: a reviewer disputes a verdict on the **Reply in context** page.")
        return
    st.dataframe(shown[["reply_id", "check", "auto_verdict", "reviewer", "comment", "reviewed_at", "dispute_status",
                        "resolved_by", "resolution", "file_name"]], hide_index=True, key="disputes_table",
                 column_config={"auto_verdict": st.column_config.CheckboxColumn("check said flagged")})
    _act(table, cfg)


if __name__ == "__main__":
    ui.run_page(render)
