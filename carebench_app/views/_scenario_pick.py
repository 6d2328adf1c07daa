"""Picking a scenario (from the scenarios folder or an upload), shared by the planner pages."""

from __future__ import annotations

import streamlit as st

from carebench_app import planner_service as ps
from carebench_app import ui
from sim.loader import ConfigError, load_scenario
from sim.scenario import Scenario


def pick_scenario(key: str, label: str = "Scenario") -> tuple[Scenario, str] | None:
    """The chosen scenario and its file name, or None (with the one-line error shown) when it is refused."""
    cfg = ui.settings()
    source = st.radio(f"{label} from", ["scenarios folder", "upload"], horizontal=True, key=f"{key}_src")
    try:
        if source == "scenarios folder":
            files = ps.list_scenarios(cfg.scenarios_dir)
            if not files:
                st.info(f"No scenario files in `{cfg.scenarios_dir}` (change it under Settings).")
                return None
            names = [p.name for p in files]
            default = names.index("baseline.yaml") if "baseline.yaml" in names else 0
            path = st.selectbox(label, files, index=default, format_func=lambda p: p.name, key=f"{key}_file")
            return load_scenario(path), path.name
        up = st.file_uploader(f"{label} (YAML)", type=["yaml", "yml"], key=f"{key}_upload",
                              max_upload_size=cfg.max_upload_mb)
        if up is None:
            return None
        return ps.load_uploaded(up.name, up.getvalue()), up.name
    except ConfigError as exc:
        st.error(ui.one_line(exc))
        return None
