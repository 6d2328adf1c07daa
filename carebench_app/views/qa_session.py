"""A blind calibration session: several reviewers label the same sample of the open file without seeing the
checks' verdicts, the score or each other's labels; when a lead closes it, the page shows how well they agree
with each other and with the checks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import explain, ui
from carebench_app import qa_service as qs
from carebench_app.calibration import MIN_SESSION_ITEMS, rater_agreement, session_agreement
from carebench_app.sessions import Session, SessionStore, draw_sample


def _store() -> SessionStore:
    return SessionStore(ui.settings().review_db)


def _create(view: qs.QAView) -> None:
    ss = st.session_state
    checks = list(ss.get("cs_new_checks") or [])
    if not checks:
        ss["cs_msg"] = ("warning", "Choose at least one check for the session.")
        return
    ids = draw_sample(view.queue, int(ss.get("cs_new_size") or 10), checks, int(ss.get("cs_new_seed") or 1))
    name = (ss.get("cs_new_name") or "").strip() or f"calibration of {view.opened.name}"
    session = _store().create(name, view.opened.digest, view.opened.name, ids, checks, ui.reviewer())
    ss["cs_pick"] = session.id
    ss["cs_item"] = 1
    ss["cs_msg"] = ("success", f"Session #{session.id} created with {len(ids)} replies.")


def _new_session(view: qs.QAView) -> None:
    with st.expander("New session (leads)"):
        c = st.columns([3, 1, 1])
        c[0].text_input("Name", key="cs_new_name", placeholder=f"calibration of {view.opened.name}")
        c[1].number_input("Replies", min_value=2, max_value=200, value=10, step=1, key="cs_new_size")
        c[2].number_input("Seed", min_value=0, value=1, step=1, key="cs_new_seed")
        flagged = [n for n in view.items if view.queue[f"_flag_{n}"].any()]
        st.multiselect("Checks to label", list(view.items), default=flagged[:3], key="cs_new_checks",
                       format_func=explain.label)
        st.caption("The sample is half replies flagged by at least one of these checks and half not (as far as the "
                   "file has them), in random order.")
        st.button("Create session", key="do_cs_create", on_click=_create, args=(view,))


def _save_labels(session: Session, reply_id: str, n: int) -> None:
    for check in session.checks:
        value = st.session_state.get(f"cs_label_{check}")
        if value is not None:
            _store().label(session.id, ui.reviewer(), reply_id, check, value == "yes")
    st.session_state["cs_item"] = min(int(st.session_state.get("cs_item", 1)) + 1, n)
    for check in session.checks:
        st.session_state.pop(f"cs_label_{check}", None)


def _label(view: qs.QAView, session: Session) -> None:
    who = ui.reviewer()
    mine = _store().labels(session.id, who)
    n = len(session.reply_ids)
    done = mine["reply_id"].nunique()
    st.progress(done / n, text=f"You have labelled {done} of {n} replies")
    k = st.number_input("Reply", min_value=1, max_value=n, step=1, key="cs_item", persist_state="session")
    reply_id = session.reply_ids[int(k) - 1]
    pos = view.positions.get(reply_id)
    if pos is None:
        st.warning(f"Reply {reply_id} is not in the open file.")
        return
    row = view.queue.iloc[pos]
    for m in qs.thread_of(view, str(row["thread_id"])).to_dict("records"):
        with st.chat_message("user" if m.get("role") == "customer" else "assistant"):
            mine_msg = str(m.get("message_id")) == reply_id
            st.caption(("customer" if m.get("role") == "customer" else "brand") + (" · **the reply to label**"
                                                                                   if mine_msg else ""))
            st.text(str(m.get("text") or ""))
    before = {r.check: "yes" if r.label else "no" for r in mine[mine["reply_id"] == reply_id].itertuples()}
    for check in session.checks:
        options = ["yes", "no"]
        st.radio(f"Does the reply do this? **{explain.label(check)}**", options, horizontal=True,
                 key=f"cs_label_{check}", index=options.index(before[check]) if check in before else None,
                 help=explain.definition(check))
    st.button("Save and go to the next reply", type="primary", key="do_cs_save", on_click=_save_labels,
              args=(session, reply_id, n))


def _results(view: qs.QAView, session: Session) -> None:
    labels = _store().labels(session.id)
    auto = {}
    for rid in session.reply_ids:
        pos = view.positions.get(rid)
        for check in session.checks:
            if pos is not None and f"_flag_{check}" in view.queue.columns:
                auto[(rid, check)] = bool(view.queue[f"_flag_{check}"].iloc[pos])
    st.subheader("Agreement")
    table = session_agreement(labels, auto)
    st.dataframe(table, hide_index=True, key="cs_agreement",
                 column_config={c: st.column_config.NumberColumn(format="%.2f")
                                for c in ("agreement", "fleiss kappa", "majority vs check", "kappa vs check")})
    st.caption(f"Over the replies every reviewer labelled (at least {MIN_SESSION_ITEMS} and 2 reviewers). "
               "agreement: share of reviewer pairs that agree; Fleiss' kappa: agreement between reviewers beyond "
               "chance; majority vs check: share of replies where the reviewers' majority matches the check "
               "(ties left out); kappa vs check: Cohen's kappa between that majority and the check.")
    st.subheader("Each reviewer against the checks")
    st.dataframe(rater_agreement(labels, auto), hide_index=True, key="cs_raters",
                 column_config={c: st.column_config.NumberColumn(format="%.2f")
                                for c in ("agreement with check", "kappa vs check")})


def _close(session: Session) -> None:
    _store().close(session.id, ui.reviewer())


def render() -> None:
    st.title("Blind calibration session")
    view = ui.current_view()
    if view is None:
        return
    cfg = ui.settings()
    msg = st.session_state.pop("cs_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])
    who = ui.reviewer()
    lead = cfg.is_lead(who)
    if lead and len(view.queue):
        _new_session(view)
    sessions = _store().list(view.opened.digest)
    if not sessions:
        st.info("No calibration session for this file yet." + ("" if lead else " A lead (Settings) creates one."))
        return
    by_id = {s.id: s for s in sessions}
    if st.session_state.get("cs_pick") not in by_id:
        st.session_state.pop("cs_pick", None)
    pick = st.selectbox("Session", list(by_id), format_func=lambda i: by_id[i].title, key="cs_pick",
                        persist_state="session")
    session = by_id[pick]
    labels = _store().labels(session.id)
    counts = labels.groupby("reviewer")["reply_id"].nunique() if len(labels) else pd.Series(dtype=int)
    st.caption(f"Checks: {', '.join(explain.label(c) for c in session.checks)}. Created by "
               f"{session.created_by or '(no name)'} at {session.created_at}. Labelled so far: "
               + (", ".join(f"{r} {n} of {len(session.reply_ids)}" for r, n in counts.items()) or "nobody"))
    if session.closed:
        _results(view, session)
        return
    st.caption("Labels stay blind until a lead closes the session: nobody sees the checks' verdicts or another "
               "reviewer's labels before then.")
    if lead:
        st.button("Close the session and show the agreement", key="do_cs_close", on_click=_close, args=(session,))
    if not who:
        st.info("Set your name in the sidebar to label this session.")
        return
    _label(view, session)


if __name__ == "__main__":
    ui.run_page(render)
