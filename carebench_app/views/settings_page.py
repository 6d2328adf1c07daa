"""Settings: the data folder, the review database, the upload cap, the scenarios folder, the queue page size."""

from __future__ import annotations

import streamlit as st

from carebench_app import ui
from carebench_app.settings import AppSettings, save_settings, settings_path
from carebench_app.uploads import outside_roots


def render() -> None:
    st.title("Settings")
    cfg = ui.settings()
    st.caption(f"Stored in `{settings_path()}` (set `CAREBENCH_APP_SETTINGS` to use another file).")
    with st.form("settings_form"):
        data_dir = st.text_input("Data folder (reply files offered on the Open page)", cfg.data_dir)
        review_db = st.text_input("Review database (SQLite file)", cfg.review_db)
        scenarios_dir = st.text_input("Scenarios folder", cfg.scenarios_dir)
        max_upload = st.number_input("Upload cap (MB)", min_value=1, max_value=4096, value=cfg.max_upload_mb)
        page_size = st.number_input("Review queue rows per page", min_value=5, max_value=500, value=cfg.page_size)
        min_reviews = st.number_input("Reviews of a check before Calibration shows precision, recall and kappa",
                                      min_value=1, max_value=10_000, value=cfg.min_calibration_reviews,
                                      key="settings_min_reviews")
        leads = st.text_input("Leads (names, comma-separated): they accept or reject disputes and run calibration "
                              "sessions", ", ".join(cfg.leads), key="settings_leads")
        if st.form_submit_button("Save"):
            new = AppSettings(data_dir=data_dir, review_db=review_db, scenarios_dir=scenarios_dir,
                              max_upload_mb=int(max_upload), page_size=int(page_size),
                              min_calibration_reviews=int(min_reviews),
                              leads=[n.strip() for n in leads.split(",") if n.strip()])
            outside = outside_roots(new, settings_path())
            if outside:  # the server may only use the folders it was started with (carebench app --allow-dir)
                st.error(outside)
                return
            path = save_settings(new)
            st.success(f"Saved to {path}. The server's own upload limit follows at the next `carebench app`.")


if __name__ == "__main__":
    ui.run_page(render)
