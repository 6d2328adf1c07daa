"""A verdict card: what a check means, the evidence in its colour, where the verdict came from, and the
reviewer's confirm or dispute with the verdict's history. Generic over :class:`reply_items.Item`: any check or
scorecard criterion the scores table names gets the same card.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import evidence as ev
from carebench_app import explain, learning, ui
from carebench_app import qa_service as qs
from carebench_app import reply_items as ri
from carebench_app.store import ConflictError, Review

__all__ = ["card", "STATE", "when"]

STATE = {True: "flagged", False: "not flagged", None: "undetermined"}
_ACTION = {"confirm": "confirmed", "dispute": "disputed", "accept": "accepted the dispute",
           "reject": "rejected the dispute", "withdraw": "withdrew the review"}


def _model_opinion(view: qs.QAView, reply_id: str, name: str) -> tuple[str, bool | None]:
    """The learned model in use (the shipped one when the file was scored by rules alone) and what it alone
    says about this verdict: recorded with the review, so Calibration can follow the model's agreement with
    the reviewers over time. ("", None) when there is no model or it has no classifier for the check."""
    choice = view.opened.model or learning.shipped()
    pos = view.positions.get(str(reply_id))
    if choice is None or pos is None or "text" not in view.queue.columns:
        return "", None
    text = view.queue["text"].iloc[pos]
    try:
        said = learning.opinion(choice, "" if pd.isna(text) else str(text), name)
    except (*qs.user_errors(), OSError, ValueError):  # a model file gone or damaged: the review still saves
        return "", None
    return (choice.name, said) if said is not None else ("", None)


def _save(view: qs.QAView, reply_id: str, name: str, auto: bool, decision: str, seen: int) -> None:
    who = ui.reviewer()
    comment = (st.session_state.get(f"comment_{name}") or "").strip()
    model, said = _model_opinion(view, reply_id, name)
    review = Review(view.opened.digest, view.opened.name, reply_id, name, auto, decision, comment, reviewer=who,
                    model=model, model_verdict=said)
    try:
        ui.review_store().save(review, expected_version=seen)
    except ConflictError as exc:
        st.session_state["review_conflict"] = (reply_id, name, str(exc))
        return
    st.session_state.pop(f"comment_{name}", None)
    st.session_state["review_saved"] = f"{explain.label(name)} {'confirmed' if decision == 'confirm' else 'disputed'}"


def when(stamp: str) -> str:
    """An ISO time stamp as a reader writes it (``2026-12-06 12:18 UTC``)."""
    return stamp[:16].replace("T", " ") + " UTC" if len(stamp) >= 16 else stamp


def _status(done: Review | None) -> str:
    if done is None:
        return "not reviewed yet"
    who = done.reviewer or "(no name)"
    text = f"**{done.state}** by {who} · {when(done.reviewed_at)}"
    if done.comment:
        text += f" · “{done.comment}”"
    if done.dispute_status in ("accepted", "rejected"):
        note = f" · “{done.resolution}”" if done.resolution else ""
        text += f" · lead {done.resolved_by} · {when(done.resolved_at)}{note}"
    return text


def _history(view: qs.QAView, reply_id: str, name: str) -> None:
    events = ui.review_store().history(view.opened.digest, reply_id, name)
    if len(events) > 1 or (events and events[0].comment):
        with st.expander(f"History ({len(events)})"):
            st.dataframe(pd.DataFrame([{"when": when(e.at), "who": e.actor or "(no name)", "what": _ACTION[e.action],
                                        "comment": e.comment} for e in events]), hide_index=True)


def card(view: qs.QAView, reply_id: str, item: ri.Item, palette: dict[str, str],
         done: Review | None) -> None:
    """One bordered card; its widgets are keyed by the check's name (``confirm_<name>``, ``dispute_<name>``)."""
    name = item.name
    with st.container(border=True, key=f"verdict_{name}"):
        cost = (f" · costs **{item.points:.1f}** points" if item.points > 0.05 else
                " · no effect on the score" if item.verdict else "")
        colour = palette.get(name, ev.PALETTE[0])
        st.markdown(f"{ev.chip(explain.label(name), colour)} **{STATE[item.verdict]}**{cost}",
                    unsafe_allow_html=True)
        st.markdown(explain.definition(name))
        terms = explain.rule_terms(view.book, name)
        if terms:
            st.caption("Rulebook: " + "; ".join(terms))
        shown = [ev.chip(m.text, colour) for m in item.marks] + [ev.md_escape(n) for n in item.notes]
        if shown:
            st.markdown("Evidence: " + " · ".join(shown), unsafe_allow_html=True)
        elif item.verdict:
            st.caption("Evidence: the whole reply (no words were singled out).")
        st.caption(f"Verdict from: {item.source}")
        st.markdown(f"Review: {_status(done)}")
        conflict = st.session_state.get("review_conflict")
        if conflict and conflict[:2] == (reply_id, name):
            st.warning(f"Not saved: {conflict[2]}. This card now shows the current review; save again if you "
                       "still disagree.")
            st.session_state.pop("review_conflict", None)
        _history(view, reply_id, name)
        if item.verdict is None:
            return
        who = ui.reviewer()
        seen = done.version if done else 0
        c = st.columns([4, 1, 1])
        c[0].text_input("Comment", key=f"comment_{name}", label_visibility="collapsed",
                        placeholder="comment (optional)" if who else "set your name in the sidebar to review")
        for col, decision in ((c[1], "confirm"), (c[2], "dispute")):
            col.button(decision.capitalize(), key=f"{decision}_{name}", on_click=_save, disabled=not who,
                       args=(view, reply_id, name, item.verdict, decision, seen))
