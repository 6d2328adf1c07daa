"""Open a reply file (upload or data folder) with the default or an uploaded rulebook, and score it once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from carebench_app import learning, ui
from carebench_app import qa_service as qs
from carebench_app.main import page


def _rulebook(cfg) -> tuple[str, str | None, str] | None:
    """(name, path, text) of the rulebook chosen, or None when an uploaded one is refused."""
    choice = st.radio("Rulebook", ["Default rulebook", "Upload a rulebook"], horizontal=True, key="rulebook_src")
    if choice == "Default rulebook":
        path = qs.default_policy_path()
        text = path.read_text(encoding="utf-8") if path else ""
        return "default rulebook", None, text
    up = st.file_uploader("Rulebook (YAML)", type=["yaml", "yml"], key="rulebook_upload",
                          max_upload_size=cfg.max_upload_mb)
    if up is None:
        st.info("Upload a rulebook, or use the default one.")
        return None
    data = up.getvalue()
    path = qs.stage_bytes(up.name, data)
    try:
        from qa.api import load_policy

        load_policy(str(path))
    except (*qs.user_errors(), OSError, ValueError) as exc:
        st.error(ui.one_line(exc).replace(str(path), up.name))
        return None
    return up.name, str(path), data.decode("utf-8", errors="replace")


def _choose_file(cfg) -> qs.OpenedFile | None:
    source = st.radio("Reply file", ["From the data folder", "Upload"], horizontal=True, key="file_src")
    if source == "From the data folder":
        files = qs.list_data_files(cfg.data_dir)
        if not files:
            st.info(f"No reply files ({', '.join(qs.READABLE_SUFFIXES)}) in the data folder `{cfg.data_dir}` "
                    "(change it under Settings).")
            return None
        path = st.selectbox("File", files, format_func=lambda p: p.name, key="data_file")
        return qs.OpenedFile(name=path.name, path=str(path), digest="")
    up = st.file_uploader("Reply file (own schema CSV/JSONL/Parquet, or twcs CSV)",
                          type=[s.lstrip(".") for s in qs.READABLE_SUFFIXES if s.count(".") == 1],
                          key="file_upload", max_upload_size=cfg.max_upload_mb)
    if up is None:
        return None
    if up.size > cfg.max_upload_mb * 1024 * 1024:
        st.error(f"{up.name}: {up.size / 1e6:.1f} MB is over the upload cap of {cfg.max_upload_mb} MB (Settings).")
        return None
    data = up.getvalue()
    digest = qs.bytes_digest(data)
    return qs.OpenedFile(name=up.name, path=str(qs.stage_bytes(up.name, data, digest)), digest=digest)


MODELS = {"Rules": "", "Rules + the shipped learned model": "shipped", "Rules + a model file (qa train)": "file"}


def _model_file(cfg) -> tuple[Path, str] | None:
    """A model file from the data folder or an upload (staged privately, like reply files)."""
    source = st.radio("Model file", ["From the data folder", "Upload"], horizontal=True, key="model_file_src")
    if source == "From the data folder":
        files = learning.in_folder(cfg.data_dir)
        if not files:
            st.info(f"No model files (*.npz, written by `carebench qa train`) in the data folder `{cfg.data_dir}`.")
            return None
        path = st.selectbox("Model", files, format_func=lambda p: p.name, key="model_file")
        return path, path.name
    up = st.file_uploader("Model (.npz written by `carebench qa train`)", type=["npz"], key="model_upload",
                          max_upload_size=cfg.max_upload_mb)
    if up is None:
        st.info("Upload a model file, or score with the rules or the shipped model.")
        return None
    return qs.stage_bytes(up.name, up.getvalue()), up.name


def _model(cfg) -> tuple[bool, learning.ModelChoice | None]:
    """(usable, the learned model chosen or None for rules alone); a refused model file is one line."""
    kind = MODELS.get(st.radio("Checks", list(MODELS), horizontal=True, key="model_src",
                               help="With a learned model, a check also flags what the model finds beyond the "
                                    "phrase rules (each card says which found it), and the queue can put the "
                                    "replies it is least sure of first. Retrain it on your reviews: Calibration "
                                    "exports them as `carebench qa train --labels` reads them."), "")
    if not kind:
        return True, None
    if kind == "shipped":
        choice = learning.shipped()
        if choice is None:
            st.error("The shipped learned model is not installed with this carebench.")
        return choice is not None, choice
    picked = _model_file(cfg)
    if picked is None:
        return False, None
    path, label = picked
    try:
        choice = learning.choice_of(path, label)
    except (*qs.user_errors(), OSError, ValueError) as exc:
        st.error(ui.one_line(exc).replace(str(path), label))
        return False, None
    st.caption(learning.describe(choice))
    return True, choice


def _open(chosen: qs.OpenedFile, rule: tuple[str, str | None, str], model: learning.ModelChoice | None) -> None:
    digest = chosen.digest or qs.path_digest(chosen.path)
    ui.open_file(qs.OpenedFile(chosen.name, chosen.path, digest, rule[0], rule[1], rule[2], model))


def _report(view: qs.QAView) -> None:
    """What was read: a success only when there are replies to review, otherwise a warning that says why."""
    o, scores = view.opened, view.scores
    broken = list(view.result.broken_rows)
    model = f", learned model: {o.model.label}" if o.model else ""
    read = (f"{o.name} ({o.policy_name}{model}): {len(scores):,} brand replies in "
            f"{scores['thread_id'].nunique():,} threads, scored in {view.seconds:.1f} s")
    if len(scores) == 0 and broken:
        st.warning(f"{read}: nothing to review, and {len(broken):,} rows were broken. Is this really a reply "
                   "export? The first problems are listed below.")
    elif len(scores) == 0:
        st.warning(f"{read}: the file holds no brand replies, so there is nothing to review.")
    elif broken and len(broken) > len(scores):
        st.warning(f"{read}, but more rows were broken ({len(broken):,}) than replies were read: check the file.")
    else:
        st.success(f"{read}.")
    if broken:
        st.caption(f"{len(broken):,} broken rows were skipped:")
        st.dataframe(pd.DataFrame(broken[:10_000], columns=["line", "reason"]), hide_index=True, height=200)
    else:
        st.caption("No broken rows.")
    if len(scores):
        st.page_link(page("queue"), label="Go to the review queue (worst first)")
        st.page_link(page("overview"), label="Go to the overview")
    st.caption(f"File digest {o.digest[:12]}; the input file is only read, never written. "
               f"Staged at `{Path(o.path).name}`.")


def render() -> None:
    st.title("Open a reply file")
    if not ui.require_qa():
        return
    cfg = ui.settings()
    chosen = _choose_file(cfg)
    rule = _rulebook(cfg)
    usable, model = _model(cfg)
    if chosen is not None and rule is not None and usable:
        st.button("Open and score", type="primary", key="open_button", on_click=_open, args=(chosen, rule, model))
    view = ui.current_view() if "opened" in st.session_state else None
    if view is not None:
        _report(view)


if __name__ == "__main__":
    ui.run_page(render)
