"""The third sweep's cases (hostile13): each was a traceback, a hang, a readable file refused whole, or a silent
guess on main before it. Corpus files: ``make_corpus_round3.py``."""

from __future__ import annotations

from case_model import Case

__all__ = ["ROUND3_CONFIG_CASES", "ROUND3_REPLY_CASES", "PLANNING_CASES"]

S = "@scenarios/valid_small.yaml"


def sim(name: str, says: str, kind: str) -> Case:
    return Case(f"simulate:{name}", kind, ("simulate", f"@scenarios/{name}", "--out", "out", "--no-plots"), 2, says)


def qa(name: str, expect: int, says: str = "", kind: str = "", **kw) -> Case:
    return Case(f"qa-score:{name}", kind, ("qa", "score", f"@replies/{name}", "--out", "out"), expect, says, **kw)


ROUND3_CONFIG_CASES = [
    # PyYAML's constructors raised ValueError, KeyError or IndexError: a traceback without a line
    sim("date_invalid.yaml", ":1: '2026-13-45' is not a valid date or time", "syntax"),
    sim("bool_tag_junk.yaml", ":5: 'maybe' is not a valid boolean (true or false)", "syntax"),
    sim("float_tag_empty.yaml", "'' is not a valid number", "syntax"),
    Case("batch:date_invalid", "syntax", ("batch", "@experiments/date_invalid.yaml", "--out", "out"), 2,
         ":7: '2026-02-30' is not a valid date or time"),
    Case("batch:seed_huge", "huge number", ("batch", "@experiments/seed_huge.yaml", "--out", "out"), 2,
         ":7: seed: Input should be less than or equal to 9223372036854775807"),
    # the --out folder was made (and left) before a --twcs device was refused, after generating
    Case("qa-generate:twcs_device", "existing-file --out", ("qa", "generate", "--out", "g/g.csv", "--threads", "5",
                                                             "--twcs", "/dev/full"), 2,
         "--twcs /dev/full: is not a regular file", names="/dev/full"),
    # 40,000 unknown keys: every error was matched against every other (quadratic): minutes, not seconds
    Case("cli:many_unknown_keys", "hang", ("simulate", "in/many.yaml", "--out", "out"), 2, ":17: k0: unknown key",
         names="many.yaml", setup=("many_unknown_keys",), timeout=45),
    # a --set inside an unknown section was blamed on line 1 of the file
    Case("set:unknown_section", "structure", ("simulate", S, "--set", "nope.x=5"), 2,
         "--set nope.x=5: nope: unknown key"),
]

ROUND3_REPLY_CASES = [
    # a NUL in one row: the whole file refused (first 64 KB) or the NUL kept in the text (past them)
    qa("own_nul_in_row.csv", 0, kind="broken rows", check={"replies": 2, "broken_lines": [3]}),
    qa("own_nul_past_64k.csv", 0, kind="broken rows", check={"replies": 2, "broken_lines": [5]}),
    # a column named almost like a known one was dropped: every reply scored as an empty text
    qa("own_header_zero_width.csv", 2, "line 1: column 'te\\u200bxt' differs from 'text' only in case",
       "accepted nonsense"),
    qa("own_header_text_capital.csv", 2, "line 1: column 'Text' differs from 'text'", "accepted nonsense"),
    qa("own_key_capital.jsonl", 2, "key 'Text' differs from 'text'", "accepted nonsense"),
    qa("tweets_header_case.csv", 2, "line 1: column 'Tweet_ID' differs from 'tweet_id'", "missing columns"),
    # a line of 17 MB was held (and scored) whole: a 2 GB one exhausted memory, with no file named
    Case("qa-score:long_line", "memory", ("qa", "score", "in/long_line.csv", "--out", "out"), 0,
         setup=("long_line_reply",), check={"replies": 3, "broken_lines": [7]}, timeout=90),
    # numbers no float holds: 1e400 became the id "inf"
    qa("own_number_1e400.jsonl", 0, kind="overflow", check={"replies": 2, "broken_lines": [2]}),
    qa("parquet_float_ids.parquet", 0, kind="infinity", check={"replies": 3, "broken_lines": [3]}),
    qa("parquet_duplicate_columns.parquet", 2, "names column 'text' 2 times", "duplicates"),
]

R = ("--requirement", "@planning/requirement_target_text.csv", "--shifts", "@planning/shifts.yaml")


def _roster(requirement: str) -> tuple[str, ...]:
    return ("roster", S, "--requirement", f"@planning/{requirement}", "--shifts", "@planning/shifts.yaml",
            "--out", "out")


T = ("staff", S, "--out", "out", "--jobs", "1", "--target")
PLANNING_CASES = [
    Case("staff:target_minutes_1e308", "overflow", (*T, "0.8@1e308"), 2, "minutes between 0 and 5,270,400",
         names="--target"),
    Case("staff:target_longest", "overflow", (*T, "0.999@5270400", "--reps", "2"), 0,
         check={"files": ["out/requirement.csv"]}),
    Case("staff:seed_negative", "range", (*T, "0.8@60", "--seed", "-1"), 2, "--seed: must be between 0",
         names="--seed"),
    Case("staff:reps_billion", "memory", (*T, "0.8@60", "--reps", "1000000000"), 2,
         "--reps: must be between 2 and 10,000", names="--reps"),
    Case("roster:target_text", "type", ("roster", S, *R, "--out", "out"), 2,
         ":2: target_goal 'high', target_minutes 'soon': not numbers", names="requirement_target_text.csv"),
    Case("roster:million_agents", "huge number", _roster("requirement_million_agents.csv"), 2,
         ":2: requirement: '1000000' is not a whole number of agents between 0 and 100,000",
         names="requirement_million_agents.csv"),
    Case("roster:column_twice", "duplicates", _roster("requirement_column_twice.csv"), 2,
         ":1: the header names column 'requirement' twice", names="requirement_column_twice.csv"),
    Case("roster:shifts_600_patterns", "hang", ("roster", S, "--requirement", "@planning/requirement.csv",
                                                 "--shifts", "@planning/shifts_600_patterns.yaml", "--out", "out"), 2,
         "201,600 ways to work them, over the limit of 100,000", names="shifts_600_patterns.yaml"),
    Case("roster:time_limit_inf", "hang", (*_roster("requirement.csv"), "--time-limit", "inf"), 2,
         "--time-limit: seconds between 0 and 86,400", names="--time-limit"),
    Case("roster:gap_nan", "NaN", (*_roster("requirement.csv"), "--gap", "nan"), 2, "--gap: a share from 0 to 1",
         names="--gap"),
    Case("roster:target_huge", "overflow", ("roster", S, "--requirement", "@planning/requirement_target_huge.csv",
                                            "--shifts", "@planning/shifts.yaml", "--out", "out"), 2,
         "minutes between 0 and 5,270,400", names="requirement_target_huge.csv"),
]
