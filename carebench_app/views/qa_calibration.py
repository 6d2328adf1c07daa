"""Calibration: per check, how often reviewers agree with the automatic verdict (precision, recall, kappa)."""

from __future__ import annotations

import streamlit as st

from carebench_app import ui
from carebench_app.calibration import calibration_table


def render() -> None:
    st.title("Calibration")
    store = ui.review_store()
    reviews = store.frame()
    st.caption(f"Reviews stored in `{store.path}`; human verdict = automatic verdict if confirmed, its opposite "
               "if disputed.")
    if reviews.empty:
        st.info("No reviews yet: confirm or dispute verdicts on the **Reply in context** page.")
        return
    files = sorted(reviews["file_name"].unique())
    scope = st.selectbox("Reviews of", ["all files", *files], key="calib_scope")
    if scope != "all files":
        reviews = reviews[reviews["file_name"] == scope]
    table = calibration_table(reviews)
    total = st.columns(3)
    total[0].metric("verdicts reviewed", f"{len(reviews):,}")
    total[1].metric("confirmed", f"{int((reviews['decision'] == 'confirm').sum()):,}")
    total[2].metric("disputed", f"{int((reviews['decision'] == 'dispute').sum()):,}")
    st.dataframe(table, hide_index=True, key="calib_table",
                 column_config={c: st.column_config.NumberColumn(format="%.2f")
                                for c in ("precision", "recall", "kappa")})
    st.caption("precision = TP/(TP+FP), recall = TP/(TP+FN) with the reviewer as truth; kappa = Cohen's kappa "
               "between the check and the reviewer. Empty cells: not enough reviews of that kind yet.")
    st.download_button("Export reviews (CSV)", store.export_csv(), file_name="reviews.csv", mime="text/csv",
                       key="export_reviews")
    with st.expander("All reviews"):
        st.dataframe(reviews.drop(columns=["file_digest"]), hide_index=True)


if __name__ == "__main__":
    render()
