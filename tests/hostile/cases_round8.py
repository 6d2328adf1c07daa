"""The eighth sweep's cases (hostile18). Each was a traceback, a silent guess, a warning on stderr or a line
naming no line on main at 2a7c477. Files are made at run time (``setups_round8.py``)."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND8_CASES"]

S = "@scenarios/valid_small.yaml"
OWN = "@replies/own_valid.csv"
ROSTER = ("roster", S, "--shifts", "@planning/shifts.yaml", "--no-simulate", "--out", "out", "--requirement")
CR = "lines end with a bare carriage return"


def _model(cid: str, kind: str, file: str, says: str, expect: int = 2, **kw) -> Case:
    return Case(f"qa-score:{cid}", kind, ("qa", "score", OWN, "--model", f"in/{file}", "--out", "out"), expect,
                says, names=file if expect else None, setup=(f"setup8:{cid}",), **kw)


def _roster(cid: str, kind: str, file: str, says: str) -> Case:
    return Case(f"roster:{cid}", kind, (*ROSTER, f"in/{file}"), 2, says, names=file, setup=(f"setup8:{cid}",))


ROUND8_CASES = [
    # a model whose meta JSON gives "thresholds" twice: the second (0.01) silently used, exit 0
    _model("model_meta_key_twice", "duplicates", "twice.npz", "meta record gives key 'thresholds' twice"),
    # NaN is no JSON number (save_model never writes one): Python's reader took it, exit 0
    _model("model_meta_nan", "NaN", "nan.npz", "meta record holds NaN, which is not a JSON number"),
    # one hash bucket given two weights: the last silently kept, exit 0
    _model("model_index_twice", "corrupt", "index_twice.npz", "check 'deflection': weights are damaged"),
    # float16 weights (1.5, -2): scored, with numpy's "RuntimeWarning: overflow encountered in cast" on stderr
    _model("model_weight_float16", "overflow", "f16.npz", "", expect=0, check={"replies": 3, "quiet": True}),
    # CSV tables saved with CR line ends (classic Mac): csv.Error traceback in the header check every table shares
    Case("qa-evaluate:labels_cr_only", "encoding", ("qa", "evaluate", "run", "--labels", "in/cr.csv"), 2, CR,
         names="cr.csv", setup=("qa_run", "setup8:labels_cr_only")),
    Case("qa-evaluate:reviews_cr_only", "encoding", ("qa", "evaluate", "run", "--labels", "in/cr_reviews.csv"), 2,
         CR, names="cr_reviews.csv", setup=("qa_run", "setup8:reviews_cr_only")),
    Case("qa-train:labels_cr_only", "encoding", ("qa", "train", OWN, "--labels", "in/cr.csv", "--out", "m.npz"), 2,
         CR, names="cr.csv", outputs=("m.npz",), setup=("setup8:labels_cr_only",)),
    Case("qa-report:scores_cr_only", "encoding", ("qa", "report", "run"), 2, CR, names="scores.csv",
         outputs=("run",), setup=("qa_run", "setup8:scores_cr_only")),
    _roster("requirement_cr_only", "encoding", "cr.csv", CR),
    # a start minute that is no minute of the week, or given twice: "expected one row per interval of a whole
    # week ... got 336 rows", naming no line
    _roster("requirement_start_nan", "NaN", "start_nan.csv", "start_nan.csv:4: start_minute: 'nan' is not a whole"),
    _roster("requirement_start_huge", "huge number", "start_huge.csv", "start_huge.csv:5: start_minute: '1e+308'"),
    _roster("requirement_start_half", "accepted nonsense", "start_half.csv", "start_half.csv:6: start_minute: '30.5'"),
    _roster("requirement_start_again", "duplicates", "start_again.csv",
            "start_again.csv:4: start_minute 30 of team 'all' is given again (first on line 3)"),
]
