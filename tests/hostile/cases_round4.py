"""The fourth sweep's cases (hostile14): paths that are the run's own inputs or lead nowhere, absurd process
counts and addresses. Each was a traceback, a hang, a lost input file or a refusal that wrote before it on main.
Files are made at run time (``runner._setup``: ``loop:NAME`` two links pointing at each other, ``setup4:...``)."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND4_CASES"]

S = "@scenarios/valid_small.yaml"
LOOP = ("loop:loop",)
NOWHERE = "is a link that leads nowhere (a loop or a missing target)"
STAFF = ("staff", S, "--target", "0.8@60", "--reps", "2", "--jobs", "1", "--set", "horizon_days=0.1")
ROSTER = ("--shifts", "@planning/shifts.yaml", "--no-simulate")

ROUND4_CASES = [
    # a symlink loop: Path.resolve() raised RuntimeError (a traceback) or the run failed after its work,
    # naming its temporary folder
    Case("qa-score:input_symlink_loop", "path trick", ("qa", "score", "in/loop", "--out", "out"), 2,
         "in/loop: cannot read file: Too many levels of symbolic links", names="in/loop", setup=LOOP),
    Case("cli:out_symlink_loop", "path trick", ("simulate", S, "--out", "in/loop", "--no-plots"), 2, NOWHERE,
         names="in/loop", setup=LOOP),
    Case("compare:out_symlink_loop", "path trick", ("compare", S, S, "--out", "in/loop", "--reps", "2"), 2,
         NOWHERE, names="in/loop", setup=LOOP),
    Case("staff:out_symlink_loop", "path trick", (*STAFF, "--out", "in/loop"), 2, NOWHERE, names="in/loop",
         setup=LOOP),
    # an output that is an input: the input was replaced by the output (exit 0)
    Case("simulate:reply_log_is_scenario", "path trick", ("simulate", S, "--out", "out", "--no-plots",
                                                          "--reply-log", "in/valid_small.yaml"), 2,
         "--reply-log in/valid_small.yaml: is the input in/valid_small.yaml"),
    Case("simulate:reply_log_is_out", "path trick", ("simulate", S, "--out", "out", "--no-plots", "--reply-log",
                                                     "out"), 2, "--reply-log out: is a folder", names="out"),
    Case("train:out_is_reply_file", "path trick", ("qa", "train", "@replies/own_valid.csv", "--labels",
                                                   "@labels/valid.csv", "--out", "in/own_valid.csv"), 2,
         "--out in/own_valid.csv: is the input in/own_valid.csv"),
    Case("train:out_is_labels", "path trick", ("qa", "train", "@replies/own_valid.csv", "--labels",
                                               "@labels/valid.csv", "--out", "in/valid.csv"), 2,
         "--out in/valid.csv: is the input in/valid.csv", names="valid.csv"),
    Case("qa-generate:twcs_same_name", "path trick", ("qa", "generate", "--out", "g/g.csv", "--twcs", "g/g.csv",
                                                      "--threads", "5"), 2,
         "--twcs g/g.csv: has the name of --out g/g.csv", names="g/g.csv"),
    # a results folder holding an input: replaced whole after the planning (staff's scenario, roster's requirement)
    Case("roster:out_holds_requirement", "path trick", ("roster", S, "--requirement", "out/requirement.csv",
                                                        *ROSTER, "--out", "out"), 2,
         "--out out: holds the input out/requirement.csv", names="out", setup=("setup4:out_holds_requirement",)),
    Case("staff:out_holds_scenario", "path trick", ("staff", "out/valid_small.yaml", "--target", "0.8@60",
                                                    "--out", "out"), 2,
         "--out out: holds the input out/valid_small.yaml", names="out", setup=("out_holds_scenario",)),
    # process counts: 100,000 local Dask workers never started (a hang); simulate took any --jobs
    Case("batch:workers_huge", "hang", ("batch", "in/exp.yaml", "--out", "out", "--workers", "100000",
                                        "--no-plots"), 2, "--workers: must be between 1 and 64", names="--workers",
         setup=("setup4:experiment",)),
    Case("cli:jobs_huge", "huge number", ("simulate", S, "--out", "out", "--no-plots", "--jobs", "100000"), 2,
         "--jobs: must be between 1 and 64", names="--jobs"),
    # a --scheduler that is not Dask's: its banner read as a frame of exabytes ("out of memory ... Parquet"),
    # after the results folder was made
    Case("batch:scheduler_not_dask", "accepted nonsense", ("batch", "in/exp.yaml", "--out", "out", "--scheduler",
                                                           "tcp://127.0.0.1:47913", "--no-plots"), 2,
         "the service there does not speak Dask's protocol", names="tcp://127.0.0.1:47913",
         setup=("setup4:experiment", "setup4:junk_server")),
    Case("batch:scheduler_no_port", "syntax", ("batch", "in/exp.yaml", "--out", "out", "--scheduler", "junk",
                                               "--no-plots"), 2, "--scheduler junk: not an address tcp://HOST:PORT",
         names="junk", setup=("setup4:experiment",)),
    # a reply file whose lines end in CR only: the whole file read as one header line, "unknown format"
    Case("qa-score:cr_line_ends", "syntax", ("qa", "score", "in/cr.csv", "--out", "out"), 2,
         "line 1: lines end with a bare carriage return", names="cr.csv", setup=("setup4:cr_only",)),
    # a host that does not resolve: Streamlit's traceback after the banner, exit 1
    Case("app:host_unresolvable", "syntax", ("app", "--host", "no such host!"), 2,
         "--host no such host! --port 8501: cannot serve there", names="no such host!"),
]
