"""Calibration: per check, how often reviewers agree with the automatic verdict (precision, recall, kappa),
shown only from a minimum number of reviews of that check, counts always; the learned model's agreement with
the reviewers over time; the reviews exported, as they are and as training labels for ``carebench qa train``."""

from __future__ import annotations

import streamlit as st

from carebench_app import charts, learning, ui
from carebench_app.calibration import PERIODS, agreement_over_time, calibration_table


def _model_over_time(reviews, minimum: int) -> None:
    st.subheader("The learned model against the reviewers, over time")
    with_model = reviews[reviews["model_verdict"].notna() & (reviews["model"] != "")]
    if with_model.empty:
        st.info("No review has a model verdict yet: each review saved from now on records what the learned model "
                "in use (the shipped one when the file is scored by rules alone) said about that reply.")
        return
    c = st.columns(2)
    checks = sorted(with_model["check"].unique())
    check = c[0].selectbox("Check", ["all checks the model judges", *checks], key="calib_model_check",
                           persist_state="session")
    period = c[1].radio("Per", list(PERIODS), horizontal=True, key="calib_period", persist_state="session",
                        **ui.initial("calib_period", 1, "index"))
    if check in checks:
        with_model = with_model[with_model["check"] == check]
    table = agreement_over_time(with_model, minimum, period if period in PERIODS else "week")
    if table["agreement"].notna().any():
        st.altair_chart(charts.agreement_over_time(table), key="calib_model_chart")
    else:
        st.info(f"Not enough reviews yet: a {period} needs {minimum} reviews (Settings) before its agreement is "
                "shown. The counts below are what there is so far.")
    st.dataframe(table, hide_index=True, key="calib_model_table",
                 column_config={"period": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                **{k: st.column_config.NumberColumn(format="%.2f") for k in ("agreement", "low",
                                                                                             "high")}})
    st.caption("Each review recorded the model asked when it was saved and what that model alone said, so a "
               "retrained model appears as its own line from the day it scores files. low-high: 95% Wilson "
               "interval. Reviewed replies are not a random sample (worst first, or least sure first): read "
               "this as agreement on the replies reviewers looked at.")


def _exports(store, reviews, scope: str) -> None:
    st.subheader("Exports")
    c = st.columns(3)
    c[0].download_button("Export reviews (CSV)", reviews.to_csv(index=False).encode("utf-8"), file_name="reviews.csv",
                         mime="text/csv", key="export_reviews", on_click="ignore")
    c[1].download_button("Export review history (CSV)", store.export_history_csv(), file_name="review_history.csv",
                         mime="text/csv", key="export_history", on_click="ignore")
    labels = learning.training_labels(reviews)
    c[2].download_button(f"Export training labels ({len(labels):,} replies)",
                         labels.to_csv(index=False).encode("utf-8"), file_name="training_labels.csv",
                         mime="text/csv", key="export_labels", on_click="ignore", disabled=labels.empty)
    where = "all files" if scope == "all files" else scope
    st.caption(f"Reviews: as stored ({where}, every column). History: every change, of every file. Training "
               f"labels: the reviewers' verdicts on the checks the learned layer trains ({where}), one row per "
               "reply, 1/0 per check, the latest decision winning (`qa.learned.labels_from_reviews`). Retrain "
               "with `carebench qa train --labels training_labels.csv REPLIES... --out retrained.npz`, put the "
               "model in the data folder and choose it on the Open page.")


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
    _model_over_time(reviews, cfg.min_calibration_reviews)
    _exports(store, reviews, scope)
    with st.expander("All current reviews"):
        st.dataframe(reviews.drop(columns=["file_digest"]), hide_index=True)


if __name__ == "__main__":
    ui.run_page(render)
