"""The fifth sweep's cases (hostile15): the fourth sweep's leftovers. Each was a traceback, a silent loss or a
silent guess on main. Files are made at run time (``runner._setup_round5``); the language model cache's named
pipes are in ``tests/qa/test_language.py`` (the cache is read once per process: not a case of this runner)."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND5_CASES"]

S = "@scenarios/valid_small.yaml"
NOWHERE = "is a link that leads nowhere (a loop or a missing target)"
# an unresolvable --host: on main the app got past its settings and was refused for the host, never started
APP = ("--host", "no such host!")


def _roster(requirement: str, says: str, kind: str) -> Case:
    return Case(f"roster:requirement_{requirement}", kind,
                ("roster", S, "--requirement", f"in/{requirement}.csv", "--shifts", "@planning/shifts.yaml",
                 "--no-simulate", "--out", "out"), 2, says, names=f"in/{requirement}.csv",
                setup=(f"setup5:requirement_{requirement}",))


ROUND5_CASES = [
    # a tls:// scheduler (carebench passes no certificates): Dask's TypeError traceback after the results folder
    Case("batch:scheduler_tls", "syntax", ("batch", "in/exp.yaml", "--out", "out", "--scheduler",
                                           "tls://127.0.0.1:47913", "--no-plots"), 2,
         "the protocol tls:// is not supported", names="tls://127.0.0.1:47913", setup=("setup4:experiment",)),
    # a reply log named like a results file inside --out: overwritten by the results, exit 0
    Case("simulate:reply_log_is_result", "path trick", ("simulate", S, "--out", "out", "--no-plots", "--reply-log",
                                                        "out/summary.csv"), 2,
         "--reply-log out/summary.csv: summary.csv is one of the results the run writes", names="out/summary.csv"),
    # a settings file that is a dangling link or a loop: the app started with defaults it could not save
    Case("app:settings_dangling_link", "path trick", ("app", "--settings", "in/gone.yaml", *APP), 2, NOWHERE,
         names="gone.yaml", setup=("setup5:dangling_settings",)),
    Case("app:settings_symlink_loop", "path trick", ("app", "--settings", "in/loop", *APP), 2, NOWHERE,
         names="in/loop", setup=("loop:loop",)),
    # requirement.csv: "nan" was reported as an empty cell; a team the scenario lacks was planned for and never
    # staffed (an empty team: its row dropped, the team blamed for a short week); a measured flag "maybe" accepted
    _roster("nan", ":4: requirement: 'nan' is not a whole number of agents", "NaN"),
    _roster("team_unknown", ":2: team 'support' is not a team of the scenario (all)", "accepted nonsense"),
    _roster("team_empty", ":3: team empty is not a team of the scenario (all)", "accepted nonsense"),
    _roster("measured_maybe", ":5: measured: 'maybe' is not True or False", "accepted nonsense"),
    # two reply files numbering their replies alike: each label went to the first file's reply, exit 0
    Case("train:same_ids_two_files", "duplicates", ("qa", "train", "@replies/own_valid.csv", "in/other.csv",
                                                    "--labels", "@labels/valid.csv", "--out", "m.npz"), 2,
         "in/own_valid.csv and in/other.csv: both have reply id 'b0', with different texts",
         setup=("setup5:same_ids_other",)),
]
