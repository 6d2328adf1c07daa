"""Calibration: per check, how often reviewers agree with the automatic verdict (precision, recall, kappa),
shown only from a minimum number of reviews of that check; counts always."""

from __future__ import annotations

import streamlit as st

from carebench_app import ui
from carebench_app.calibration import calibration_table


def render() -> None:
    st.title("Calibration")
    cfg = ui.settings()
    store = ui.review_store()
    reviews = store.frame()
    st.caption(f"Reviews stored in `{store.path}`. The human verdict is the automatic one when confirmed or when "
               "a lead rejected the dispute, its opposite while a dispute is open or once it is accepted.")
    if reviews.empty:
        st.info("No reviews yet: confirm or dispute verdicts on the **Reply in context** page.")
        return
    files = sorted(reviews["file_name"].unique())
    scope = st.selectbox("Reviews of", ["all files", *files], key="calib_scope", persist_state="session")
    if scope != "all files":
        reviews = reviews[reviews["file_name"] == scope]
    table = calibration_table(reviews, cfg.min_calibration_reviews)
    total = st.columns(4)
    total[0].metric("verdicts reviewed", f"{len(reviews):,}")
    total[1].metric("confirmed", f"{int((reviews['decision'] == 'confirm').sum()):,}")
    total[2].metric("disputed", f"{int((reviews['decision'] == 'dispute').sum()):,}")
    total[3].metric("reviewers", f"{reviews['reviewer'].replace('', '(no name)').nunique():,}")
    if (table["status"] != "").all():
        st.info(f"Not enough reviews yet: precision, recall and kappa appear once a check has "
                f"{cfg.min_calibration_reviews} reviews (Settings). The counts below are what there is so far.")
    st.dataframe(table, hide_index=True, key="calib_table",
                 column_config={c: st.column_config.NumberColumn(format="%.2f")
                                for c in ("precision", "recall", "kappa")})
    st.caption("precision = TP/(TP+FP), recall = TP/(TP+FN) with the reviewer as truth (95% Wilson intervals); "
               "kappa = Cohen's kappa between the check and the reviewers; open = disputes a lead has not decided "
               "yet.")
    c = st.columns(2)
    c[0].download_button("Export reviews (CSV)", store.export_csv(), file_name="reviews.csv", mime="text/csv",
                         key="export_reviews", on_click="ignore")
    c[1].download_button("Export review history (CSV)", store.export_history_csv(), file_name="review_history.csv",
                         mime="text/csv", key="export_history", on_click="ignore")
    with st.expander("All current reviews"):
        st.dataframe(reviews.drop(columns=["file_digest"]), hide_index=True)


if __name__ == "__main__":
    ui.run_page(render)
