"""Overview of a scored file: score distribution, share flagged per check, aggregates, consistency findings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from carebench_app import ui


def render() -> None:
    st.title("Overview")
    view = ui.current_view()
    if view is None:
        return
    scores, q = view.scores, view.queue
    cols = st.columns(4)
    cols[0].metric("brand replies", f"{len(scores):,}")
    cols[1].metric("threads", f"{scores['thread_id'].nunique():,}")
    cols[2].metric("mean score", f"{scores['score'].mean():.1f}")
    if "auto_fail" in scores.columns:
        cols[3].metric("auto-fail", f"{q['auto_fail'].map(bool).mean():.1%}")

    left, right = st.columns(2)
    with left:
        st.subheader("Score distribution")
        counts, edges = np.histogram(scores["score"].astype(float), bins=20, range=(0, 100))
        st.bar_chart(pd.DataFrame({"score (bin start)": edges[:-1], "replies": counts}), x="score (bin start)",
                     y="replies", height=280)
    with right:
        st.subheader("Share of replies flagged per check")
        share = pd.DataFrame({"share flagged": [q[f"_flag_{c}"].mean() for c in view.checks]},
                             index=list(view.checks))
        st.bar_chart(share, height=280, y_label="share flagged")

    aggregates = getattr(view.result, "aggregates", {}) or {}
    for name, table in aggregates.items():
        st.subheader(f"Per {str(name).removesuffix('_id')}")
        table = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
        score_cols = [c for c in table.columns if "score" in str(c) and pd.api.types.is_numeric_dtype(table[c])]
        if score_cols and len(table) <= 200:
            label = table.columns[0] if table.index.name is None and not pd.api.types.is_numeric_dtype(
                table[table.columns[0]]) else None
            chart = table.set_index(label)[score_cols[:1]] if label else table[score_cols[:1]]
            st.bar_chart(chart, height=220, horizontal=True)
        st.dataframe(table, hide_index=True, height=min(35 * (len(table) + 1) + 3, 300))

    st.subheader("Consistency findings")
    findings = getattr(view.result, "consistency", None)
    if findings is None or len(findings) == 0:
        st.caption("No consistency findings: similar cases were treated alike.")
    else:
        st.dataframe(findings, hide_index=True, height=300)


if __name__ == "__main__":
    render()
