"""The sixth sweep's cases (hostile16). Each was a silent guess or a line naming no file on main at c528903. Files
are made at run time (``setups_round6.py``; ``qa_run`` copies a complete `qa score` folder of the valid replies)."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND6_CASES"]

S = "@scenarios/valid_small.yaml"
FULL = "cannot write the output: File too large; nothing was written"


def _evaluate(labels: str, says: str, kind: str, *setup: str, expect: int = 2) -> Case:
    """``qa evaluate`` of the valid run against ``in/<labels>``; the refusal names the labels file."""
    return Case(f"qa-evaluate:{labels.removesuffix('.csv')}", kind, ("qa", "evaluate", "run", "--labels",
                                                                     f"in/{labels}"), expect, says, names=labels,
                setup=("qa_run", f"setup6:{labels}", *setup))


def _scores(edit: str, says: str, kind: str) -> Case:
    """``qa evaluate`` of the valid run whose scores.csv was edited (``edit``), against valid labels."""
    return Case(f"qa-evaluate:{edit}", kind, ("qa", "evaluate", "run", "--labels", "in/labels.csv"), 2, says,
                names="run/scores.csv", setup=("qa_run", "setup6:labels.csv", f"setup6:{edit}"))


def _batch(damage: str, says: str, kind: str) -> Case:
    """``batch`` rerun on a results folder whose one point's runs.parquet is damaged (``damage``)."""
    return Case(f"batch:runs_{damage}", kind, ("batch", "in/exp.yaml", "--out", "out", "--workers", "1",
                                                "--no-plots"), 2, says, names="runs.parquet",
                setup=(f"setup6:batch_{damage}",))


def _full(cid: str, argv: tuple[str, ...], out: str) -> Case:
    """A write past the file size limit (as on a full disk): on main "carebench: [Errno 27] File too large",
    naming no file; the output folder or file is not left behind."""
    return Case(f"{cid}:disk_full", "disk full", argv, 2, f"{out}: {FULL}", names=out,
                setup=("setup6:fsize_4096",))


ROUND6_CASES = [
    # qa evaluate read its labels with none of qa train's checks: each of these was exit 0 with a table
    _evaluate("column_twice.csv", "line 1: the header names column 'deflection' twice", "duplicates"),
    _evaluate("not_a_label.csv", ":3: deflection: 'ture' is not a label", "accepted nonsense"),
    # pandas took the first row's extra leading fields as its index: every value one column to the right
    _evaluate("first_row_long.csv", ":2: the first row has more fields than the header has columns (3)",
              "broken rows"),
    # a labelled row with no reply id: dropped without a word (qa train too)
    _evaluate("blank_id.csv", ":3: reply_id: empty", "broken rows"),
    # the app's reviews export (qa train reads it): a table of nothing, exit 0; now evaluated, or refused
    _evaluate("reviews_maybe.csv", ":4: human_verdict: 'maybe' is not a label", "accepted nonsense"),
    _evaluate("reviews.csv", "", "control", expect=0),
    # ... and its scores file with none of qa report's: a second column ignored, a verdict 'perhaps' "not flagged"
    _scores("scores_column_twice", "line 1: the header names column 'deflection' twice", "duplicates"),
    _scores("scores_flag_text", ":2: deflection: 'perhaps' is not True or False", "accepted nonsense"),
    # qa train: the same first row read shifted, refused for a label it never held ("deflection: '1'")
    Case("train:first_row_long", "broken rows", ("qa", "train", "@replies/valid.twcs.csv", "--labels",
                                                 "in/first_row_long.csv", "--out", "m.npz"), 2,
         ":2: the first row has more fields than the header has columns (3)", names="first_row_long.csv",
         setup=("setup6:first_row_long.csv",)),
    # ... and roster's requirement.csv: "carebench: invalid literal for int() with base 10: 'all'", naming no file
    Case("roster:requirement_first_row_long", "broken rows",
         ("roster", S, "--requirement", "in/long.csv", "--shifts", "@planning/shifts.yaml", "--no-simulate", "--out",
          "out"), 2, "long.csv:2: the first row has more fields than the header has columns (15)", names="long.csv",
         setup=("setup6:requirement_first_row_long",)),
    # a --twcs copy in a folder that does not exist: refused after generating, with the other three files written
    Case("qa-generate:twcs_no_folder", "path trick", ("qa", "generate", "--out", "g.csv", "--threads", "5",
                                                      "--twcs", "other/t.csv"), 2,
         "--twcs other/t.csv: cannot write here (no folder other)", names="other/t.csv"),
    # an own-schema reply file with no text column: every reply audited as an empty text and passed, exit 0
    *(Case(f"qa-score:no_text_column_{ext}", "accepted nonsense", ("qa", "score", f"in/no_text.{ext}", "--out", "out"),
           2, "no 'text' column: the replies cannot be audited without their texts", names=f"no_text.{ext}",
           setup=("setup6:no_text_column",)) for ext in ("csv", "parquet")),
    # a Parquet text column of bytes (binary), one of them not UTF-8: pandas' UnicodeDecodeError traceback
    Case("qa-score:parquet_binary_not_utf8", "encoding", ("qa", "score", "in/binary_text.parquet", "--out", "out"), 0,
         setup=("setup6:binary_text_parquet",), check={"replies": 3, "broken_lines": [1]}),
    # a rerun of a batch whose results folder was damaged: tracebacks (pyarrow's ArrowInvalid, KeyError,
    # ArrowTypeError) or, for a replication recorded twice, a resumed batch counting it twice, exit 0
    _batch("truncated", "not a readable Parquet file", "corrupt"),
    _batch("folder", "it is a folder; the results folder is damaged", "path trick"),
    _batch("rep_text", "column 'rep' is missing or of another type than this experiment writes", "wrong types"),
    _batch("rep_twice", "its replication numbers ('rep') are not distinct", "duplicates"),
    # a disk that fills up while the outputs are written
    _full("simulate", ("simulate", S, "--out", "out", "--no-plots", "--records"), "out"),
    _full("qa-score", ("qa", "score", "@replies/valid.twcs.csv", "--out", "out"), "out"),
    _full("schema", ("schema", "--out", "schema.json"), "schema.json"),
    _full("qa-generate", ("qa", "generate", "--out", "g.csv", "--threads", "300"), "g.csv"),
]
