"""The seventh sweep's cases (hostile17). Each was a silent guess, a hang or minutes of work on main at e70400d.
Files are made at run time (``setups_round7.py``)."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND7_CASES"]

S = "@scenarios/valid_small.yaml"
ROSTER = ("roster", S, "--shifts", "@planning/shifts.yaml", "--no-simulate", "--out", "out", "--requirement")


def _roster(cid: str, kind: str, file: str, says: str, setup: str) -> Case:
    return Case(f"roster:{cid}", kind, (*ROSTER, f"in/{file}"), 2, says, names=file, setup=(f"setup7:{setup}",))


ROUND7_CASES = [
    # a second merge key in one mapping: its values silently overrode the first's (agents 4, exit 0)
    Case("simulate:merge_key_twice", "duplicates", ("simulate", "in/merge.yaml", "--out", "out", "--no-plots"), 2,
         "merge.yaml:14: duplicate merge key '<<' (first given on line 13)", names="merge.yaml",
         setup=("setup7:merge_twice",)),
    # one merge of two mappings that both give a key: PyYAML took the last one's (patience 4 minutes, exit 0), the
    # YAML merge specification and other YAML readers the first one's (60)
    Case("simulate:merge_key_in_two", "duplicates", ("simulate", "in/merged.yaml", "--out", "out", "--no-plots"), 2,
         "merged.yaml:12: key 'dist' is given by two of the mappings merged here (lines 12 and 9)",
         names="merged.yaml", setup=("setup7:merge_key_in_two",)),
    Case("batch:merge_key_twice", "duplicates", ("batch", "in/exp.yaml", "--out", "out", "--workers", "1",
                                                 "--no-plots"), 2, "exp.yaml:5: duplicate merge key '<<'",
         names="exp.yaml", setup=("setup7:experiment_merge_twice",)),
    # a key both in 'set' and swept by 'grid': every point overrode it, the value in 'set' never ran (exit 0)
    Case("batch:set_and_grid_same_key", "accepted nonsense", ("batch", "in/exp.yaml", "--out", "out", "--workers",
                                                              "1", "--no-plots"), 2,
         "set: 'staffing.agents' is also given by 'grid', which overrides it at every point", names="exp.yaml",
         setup=("setup7:experiment_set_and_grid",)),
    # 120,000 values in a rulebook (800 kB, under the 2 MiB limit): main read them all and scored with them (PyYAML
    # reads a few thousand values a second: a million in a 2 MiB scenario took 100 s); refused at the 100,001st
    Case("qa-score:rulebook_120000_values", "huge", ("qa", "score", "@replies/own_valid.csv", "--policy",
                                                     "in/bands.yaml", "--out", "out"), 2,
         "more than 100,000 values (keys and items)", names="bands.yaml", setup=("setup7:rulebook_many_bands",)),
    # /proc/kmsg is a "regular file" of size 0 whose read (as root) waits for the next kernel message: no end
    Case("simulate:proc_kmsg", "hang", ("simulate", "in/kmsg.yaml", "--out", "out", "--no-plots"), 2,
         "it is a kernel interface (/proc, /sys), not a file", names="kmsg.yaml", setup=("setup7:kmsg",),
         timeout=15.0),
    # a header of 100,000 columns: pandas built them all for each of the 336 rows, past a minute
    _roster("requirement_wide", "huge", "wide.csv", "line 1: the header has 100,015 columns, more than the 1,000",
            "requirement_wide"),
    Case("qa-evaluate:labels_wide", "huge", ("qa", "evaluate", "run", "--labels", "in/wide_labels.csv"), 2,
         "line 1: the header has 100,002 columns", names="wide_labels.csv", setup=("qa_run", "setup7:labels_wide")),
    # labels of other replies than the scored ones: a table of nothing, every check "not run", exit 0 (qa train
    # refuses them: "none of its 2 reply ids is in the reply files")
    Case("qa-evaluate:labels_other_ids", "accepted nonsense", ("qa", "evaluate", "run", "--labels",
                                                               "in/other_ids.csv"), 2,
         "other_ids.csv: none of its 2 reply ids is in run/scores.csv", names="other_ids.csv",
         setup=("qa_run", "setup7:labels_other_ids")),
    # a row whose target differs from line 2's: the roster silently used line 2's (exit 0)
    _roster("requirement_target_nan", "NaN", "target_nan.csv", "target_nan.csv:3: target_goal 'nan'",
            "requirement_target_nan"),
    _roster("requirement_target_other", "accepted nonsense", "target_other.csv",
            ":3: target_goal '0.95', target_minutes '60' differ from line 2's (0.8, 60)", "requirement_target_other"),
    # the working folder as --out ('.', or '' for qa score): refused only after the run ("Device or resource busy",
    # the folder cannot be renamed), a temporary folder '..old-*' left in it
    Case("simulate:out_working_folder", "path trick", ("simulate", "../in/valid_small.yaml", "--out", ".",
                                                       "--no-plots"), 2, ".: is the working folder or holds it",
         names=".", outputs=(), setup=("setup7:in_empty_folder",)),
    Case("qa-score:out_empty", "path trick", ("qa", "score", "../in/own_valid.csv", "--out", ""), 2,
         ".: is the working folder or holds it", names=".", outputs=(), setup=("setup7:in_empty_folder",)),
    # a NUL character in a text of JSON Lines ("\u0000") or Parquet: scored, and written into scores.csv, which
    # `qa report` and `qa evaluate` then refused as a binary file; in CSV a NUL was a broken row already
    *(Case(f"qa-score:text_nul_{ext}", "binary", ("qa", "score", f"in/nul.{ext}", "--out", "out"), 0,
           setup=("setup7:text_nul",), check={"broken_lines": [2]}) for ext in ("jsonl", "parquet")),
    # a Parquet text column of lists (or records): each text read as Python's spelling of it ("['Sorry ...']"),
    # exit 0; JSON Lines refuses a nested value
    Case("qa-score:parquet_text_lists", "wrong types", ("qa", "score", "in/lists.parquet", "--out", "out"), 2,
         "column 'text' holds lists or records (list<element: string>)", names="lists.parquet",
         setup=("setup7:text_list_parquet",)),
    # a reply CSV whose header runs on past the 64 KiB read as the header: the cut taken for it, every row then
    # "expected 10,943 fields, found 17", exit 0 with no reply scored
    Case("qa-score:header_past_64k", "huge", ("qa", "score", "in/wide.csv", "--out", "out"), 2,
         "line 1: the header is longer than 64 KiB", names="wide.csv", setup=("setup7:reply_header_wide",)),
]
