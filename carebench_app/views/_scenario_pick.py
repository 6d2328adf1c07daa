"""Picking a scenario (from the scenarios folder or an upload), shared by the planner pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from carebench_app import planner_service as ps
from carebench_app import ui
from sim.loader import ConfigError, load_scenario
from sim.scenario import Scenario


def pick_scenario(key: str, label: str = "Scenario") -> tuple[Scenario, str] | None:
    """The chosen scenario and its file name, or None (with the one-line error shown) when it is refused.

    The choice is kept in the session and the URL (by file name, never by path); an upload lasts as long as
    the page shows it.
    """
    cfg = ui.settings()
    source = st.radio(f"{label} from", ["scenarios folder", "upload"], horizontal=True, key=f"{key}_src",
                      persist_state="session")
    if source not in ("scenarios folder", "upload"):
        source = "scenarios folder"
    try:
        if source == "scenarios folder":
            files = {p.name: p for p in ps.list_scenarios(cfg.scenarios_dir)}
            if not files:
                st.info(f"No scenario files in `{cfg.scenarios_dir}` (change it under Settings).")
                return None
            names = list(files)
            if st.session_state.get(f"{key}_file") not in files:
                st.session_state.pop(f"{key}_file", None)
            default = names.index("baseline.yaml") if "baseline.yaml" in names else 0
            name = st.selectbox(label, names, key=f"{key}_file", persist_state="session",
                                **ui.initial(f"{key}_file", default, "index"))
            return load_scenario(Path(files[name])), name
        up = st.file_uploader(f"{label} (YAML)", type=["yaml", "yml"], key=f"{key}_upload",
                              max_upload_size=cfg.max_upload_mb)
        if up is None:
            return None
        return ps.load_uploaded(up.name, up.getvalue()), up.name
    except ConfigError as exc:
        st.error(ui.one_line(exc))
        return None
