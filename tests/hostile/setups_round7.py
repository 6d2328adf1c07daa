"""The seventh sweep's setups (cases_round7.py): files made at run time from the corpus's valid ones, edited one way
each (a second merge key, a header of 100,000 columns, a target changed on one row), and a link to /proc/kmsg."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["setup_round7"]

CORPUS = Path(__file__).parent / "corpus"
WIDE = 100_000  # extra header columns: pandas built them for every row for minutes


def _scenario(edit) -> str:  # noqa: ANN001 - text -> text
    return edit((CORPUS / "scenarios" / "valid_small.yaml").read_text(encoding="utf-8"))


def _requirement(edit) -> str:  # noqa: ANN001 - list of lines -> list of lines
    return "".join(edit((CORPUS / "planning" / "requirement.csv").read_text().splitlines(keepends=True)))


def _wide(lines: list[str]) -> list[str]:
    return [lines[0].rstrip("\n") + "".join(f",x{i}" for i in range(WIDE)) + "\n", *lines[1:]]


def _target_on_line_3(value: str):  # noqa: ANN202
    def edit(lines: list[str]) -> list[str]:
        lines[2] = lines[2].replace(",0.8,60", f",{value},60")
        return lines
    return edit


FILES = {  # name -> (file written in in/, its text)
    "merge_twice": ("merge.yaml", lambda: _scenario(lambda s: s.replace(
        "staffing:\n  agents: 3", "staffing:\n  <<: {agents: 3}\n  <<: {agents: 4}"))),
    "merge_key_in_two": ("merged.yaml", lambda: _scenario(lambda s: s.replace(
        "handle_minutes: {", "handle_minutes: &h {").replace(
        "  patience_minutes: {dist: exponential, mean: 60}",
        "  patience_minutes:\n    <<: [{dist: exponential, mean: 60}, *h]"))),
    "experiment_merge_twice": ("exp.yaml", lambda: "name: e\nscenarios: [valid_small.yaml]\nset:\n"
                               "  <<: {horizon_days: 0.05}\n  <<: {horizon_days: 0.1}\ngrid:\n"
                               "  staffing.agents: [3]\nreplications: 2\n"),
    "experiment_set_and_grid": ("exp.yaml", lambda: "name: e\nscenarios: [valid_small.yaml]\n"
                                "set: {horizon_days: 0.05, staffing.agents: 5}\ngrid:\n  staffing.agents: [3]\n"
                                "replications: 2\n"),
    "rulebook_many_bands": ("bands.yaml", lambda: (CORPUS / "rulebooks" / "valid.yaml").read_text(encoding="utf-8")
                            + "consistency:\n  influence_bands: [" + ",".join(map(str, range(1, 120_001))) + "]\n"),
    "requirement_wide": ("wide.csv", lambda: _requirement(_wide)),
    "requirement_target_nan": ("target_nan.csv", lambda: _requirement(_target_on_line_3("nan"))),
    "requirement_target_other": ("target_other.csv", lambda: _requirement(_target_on_line_3("0.95"))),
    "labels_other_ids": ("other_ids.csv", lambda: "reply_id,deflection,dm_request\nzz1,1,0\nzz2,0,1\n"),
    "labels_wide": ("wide_labels.csv", lambda: "reply_id,deflection" + "".join(f",x{i}" for i in range(WIDE))
                    + "\n102,0\n104,0\n"),
}


def setup_round7(name: str, work: Path) -> None:
    if name in FILES:
        file, text = FILES[name]
        (work / "in" / file).write_text(text(), encoding="utf-8")
        if file == "exp.yaml":  # the scenario it names
            shutil.copy(CORPUS / "scenarios" / "valid_small.yaml", work / "in")
    elif name == "kmsg":  # reading /proc/kmsg (as root) waits for the next kernel message forever
        os.symlink("/proc/kmsg", work / "in" / "kmsg.yaml")
    elif name == "reply_header_wide":  # own-schema replies whose header runs on past 64 KiB (100,000 columns)
        rows = (CORPUS / "replies" / "own_valid.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (work / "in" / "wide.csv").write_text("".join(_wide(rows)), encoding="utf-8")
    elif name == "in_empty_folder":  # the case runs in the empty folder 'here' (the runner changes back after it)
        shutil.copy(CORPUS / "scenarios" / "valid_small.yaml", work / "in")
        shutil.copy(CORPUS / "replies" / "own_valid.csv", work / "in")
        (work / "here").mkdir()
        os.chdir(work / "here")
    elif name == "text_nul":  # own-schema replies whose second message's text holds a NUL (JSON's "\u0000")
        import pandas as pd

        df = pd.read_csv(CORPUS / "replies" / "own_valid.csv", dtype=str, keep_default_na=False)
        df.loc[1, "text"] = "Sorry\x00 for the wait"
        df.to_json(work / "in" / "nul.jsonl", orient="records", lines=True)
        df.to_parquet(work / "in" / "nul.parquet")
    elif name == "text_list_parquet":  # own-schema replies as Parquet, each text a list of one string
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        df = pd.read_csv(CORPUS / "replies" / "own_valid.csv", dtype=str, keep_default_na=False)
        pq.write_table(pa.table({**{c: df[c].tolist() for c in df.columns if c != "text"},
                                 "text": pa.array([[t] for t in df["text"]])}), work / "in" / "lists.parquet")
    else:
        raise ValueError(f"unknown setup step {name}")
