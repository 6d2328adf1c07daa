"""Overview of a scored file: score distribution, share flagged per check and criterion, the lowest-scoring
agents, channels and brands, and consistency findings (whose example reply ids open in the Reply page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carebench_app import charts, explain, queue_state, ui


def _levels(aggregates: dict) -> None:
    for name, table in aggregates.items():
        table = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
        level = str(name)
        if table.empty or level not in table.columns or "mean_score" not in table.columns:
            continue
        title = level.removesuffix("_id")
        st.subheader(f"Per {title}")
        if len(table) > 1:
            if len(table) > charts.TOP_LEVELS:
                st.caption(f"The {charts.TOP_LEVELS} lowest mean scores of {len(table):,} {title}s; the table lists "
                           "them all.")
            st.altair_chart(charts.level_scores(table, level), key=f"chart_{level}")
        st.dataframe(table, hide_index=True, height=min(35 * (len(table) + 1) + 3, 300))


def render() -> None:
    st.title("Overview")
    view = ui.current_view()
    if view is None:
        return
    scores, q = view.scores, view.queue
    if len(scores) == 0:
        st.info(f"{view.opened.name} holds no brand replies: there is nothing to summarise.")
        return
    cols = st.columns(4)
    cols[0].metric("brand replies", f"{len(scores):,}")
    cols[1].metric("threads", f"{scores['thread_id'].nunique():,}")
    cols[2].metric("mean score", f"{scores['score'].mean():.1f}")
    if "auto_fail" in scores.columns:
        cols[3].metric("auto-fail", f"{q['auto_fail'].astype(bool).mean():.1%}")

    left, right = st.columns(2)
    with left:
        st.subheader("Score distribution")
        st.altair_chart(charts.score_histogram(scores["score"]), key="chart_scores")
    with right:
        st.subheader("Share of replies flagged")
        shares = pd.DataFrame({"check": [explain.label(c) for c in view.items],
                               "share": [float(q[f"_flag_{c}"].mean()) for c in view.items],
                               "replies": [int(q[f"_flag_{c}"].sum()) for c in view.items]})
        st.altair_chart(charts.share_flagged(shares), key="chart_flagged")

    _levels(getattr(view.result, "aggregates", {}) or {})

    st.subheader("Consistency findings")
    findings = getattr(view.result, "consistency", None)
    if findings is None or len(findings) == 0:
        st.caption("No consistency findings: similar cases were treated alike.")
    else:
        st.dataframe(findings, hide_index=True, height=300)
        st.caption("Each finding lists example reply ids: type one below to open it.")
        queue_state.open_by_id(view, "overview")


if __name__ == "__main__":
    ui.run_page(render)
