"""The hostile corpus as cases of the CLI contract: each a command line, what the run must do, and why.

The contract (README, "Hostile input"): exit 0 with valid output, or exit 2 with exactly one line on standard
error naming the file and the problem; never a traceback, never a hang (a timeout per case), nothing written
outside the output folder (and on exit 2, nothing written at all).

``argv`` refers to corpus files as ``@scenarios/x.yaml`` (copied into the case's folder as ``in/x.yaml``) and to
the output folder as ``out``. ``kind`` says which kind of hostility of issue #11 the case stands for.
"""

from __future__ import annotations

from case_model import Case

__all__ = ["Case", "CASES", "GROUPS"]


def sim(name: str, expect: int, says: str = "", kind: str = "", *extra: str, **kw) -> Case:
    argv = ("simulate", f"@scenarios/{name}", "--out", "out", "--no-plots", *extra)
    return Case(f"simulate:{name}", kind, argv, expect, says, **kw)


RANGE = "less than or equal to"
S = "@scenarios/valid_small.yaml"

SCENARIO_CASES = [
    sim("valid_small.yaml", 0, kind="control", check={"summary_rows": 2}),
    sim("rate_inf.yaml", 2, ":7: .inf is not a finite number", "infinity"),
    sim("rate_1e308.yaml", 2, f"volume.mentions_per_hour: Input should be {RANGE} 1000000", "huge number"),
    sim("rate_overflow_literal.yaml", 2, "1e400 is not a finite number", "overflow"),
    sim("profile_nan.yaml", 2, ".nan is not a finite number", "NaN"),
    sim("profile_inf.yaml", 2, ".inf is not a finite number", "infinity"),
    sim("profile_underflow.yaml", 2, "volume.hourly_profile: weights must not all be zero", "hang"),
    sim("horizon_billion_days.yaml", 2, f"horizon_days: Input should be {RANGE} 3660", "hang"),
    sim("horizon_inf.yaml", 2, ":3: .inf is not a finite number", "overflow"),
    sim("warmup_billion_days.yaml", 2, f"warmup_days: Input should be {RANGE} 3660", "hang"),
    sim("drain_inf.yaml", 2, ".inf is not a finite number", "infinity"),
    sim("seed_negative.yaml", 2, ":2: seed: Input should be greater than or equal to 0", "range"),
    sim("seed_huge.yaml", 2, f":2: seed: Input should be {RANGE} 9223372036854775807", "huge number"),
    sim("int_5000_digits.yaml", 2, "is not a usable integer", "huge number"),
    sim("handle_inf.yaml", 2, ".inf is not a finite number", "infinity"),
    sim("handle_nan.yaml", 2, ".nan is not a finite number", "NaN"),
    sim("empirical_inf.yaml", 2, ".inf is not a finite number", "infinity"),
    sim("patience_huge.yaml", 2, f"customers.patience_minutes.mean: Input should be {RANGE}", "huge number"),
    sim("agents_huge.yaml", 2, f"staffing.agents: Input should be {RANGE} 100000", "huge number"),
    sim("reps_huge.yaml", 2, f"replications: Input should be {RANGE} 10000", "huge number"),
    sim("gamma_shape_tiny.yaml", 2, "handling.handle_minutes.shape: Input should be greater than or equal to",
        "range"),
    sim("lognormal_extreme_ratio.yaml", 2, "handling.handle_minutes.mean: Input should be greater than or equal",
        "overflow"),
    sim("lognormal_wide_ok.yaml", 0, kind="control", check={"summary_rows": 2}),
    sim("followers_alpha_tiny.yaml", 2, "customers.followers.alpha: Input should be greater than or equal to 0.1",
        "overflow"),
    sim("incident_far_future.yaml", 2, "volume.incidents[0].start_day: Input should be", "range"),
    sim("budget_rate_decade.yaml", 2, "over the limit of 30.0 million", "hang"),
    sim("budget_branching_near_one.yaml", 2, "the run would simulate about", "hang"),
    sim("budget_escalation_bomb.yaml", 2, "repeats, escalations and migration could make it up to", "hang"),
    sim("budget_overloaded_drain.yaml", 2, "the desk cannot keep up, so posts keep coming", "hang"),
    sim("budget_hourly_rows.yaml", 2, "hourly result rows", "memory"),
    sim("duplicate_agents.yaml", 2, ":15: duplicate key 'agents' (first given on line 13)", "duplicate"),
    sim("duplicate_section.yaml", 2, ":17: duplicate key 'staffing' (first given on line 12)", "duplicate"),
    sim("duplicate_flow_key.yaml", 2, "duplicate key 'mean'", "duplicate"),
    sim("deep_flow_lists.yaml", 2, ":17: nested deeper than 50 levels", "recursion"),
    sim("deep_block_maps.yaml", 2, "nested deeper than 50 levels", "recursion"),
    sim("deep_json.json", 2, ":1: nested deeper than 50 levels", "recursion"),
    sim("alias_bomb.yaml", 2, "values once aliases are expanded", "hang"),
    sim("alias_recursive.yaml", 2, "an alias refers to the collection that contains it", "recursion"),
    sim("utf16_bom.yaml", 2, "the file is UTF-16 text; save it as UTF-8", "encoding"),
    sim("utf16_no_bom.yaml", 2, "looks like UTF-16 text", "encoding"),
    sim("utf32.yaml", 2, "the file is UTF-32 text", "encoding"),
    sim("latin1.yaml", 2, ":1: not UTF-8 text (byte 0xE9)", "encoding"),
    sim("binary_png.yaml", 2, "a binary file, not YAML text", "binary"),
    sim("control_chars.yaml", 2, ":2: unreadable YAML: character U+001B is not allowed", "control characters"),
    sim("escape_in_key.yaml", 2, "unknown key", "control characters"),
    sim("name_traversal.yaml", 0, kind="path trick", outputs=("runs/escaped",), check={"summary_rows": 2}),
    sim("name_absolute.yaml", 0, kind="path trick", outputs=("runs/tmp-carebench-hostile-absolute",),
        check={"summary_rows": 2}),
    sim("name_dots.yaml", 0, kind="path trick", outputs=("runs/run",), check={"summary_rows": 2}),
    sim("name_bidi.yaml", 0, kind="path trick", outputs=("runs/evil-gnp.yaml",), check={"summary_rows": 2}),
    sim("name_too_long.yaml", 2, "name: String should have at most 200 characters", "huge text"),
    sim("empty.yaml", 2, "expected a mapping of keys at the top level, got NoneType", "empty"),
    sim("top_level_list.yaml", 2, "expected a mapping of keys at the top level, got list", "structure"),
    sim("tab_indent.yaml", 2, "unreadable YAML", "syntax"),
    sim("string_for_number.yaml", 2, "staffing.agents: Input should be a valid integer", "type"),
    sim("bad_int_literal.yaml", 2, "'0b_' is not a usable integer", "syntax"),
    sim("python_tag.yaml", 2, "could not determine a constructor for the tag", "code injection"),
]
# the default output folder comes from the scenario's name: the runs must stay inside runs/
for i, c in enumerate(SCENARIO_CASES):
    if c.kind == "path trick":
        SCENARIO_CASES[i] = Case(c.id, c.kind, tuple(a for a in c.argv if a not in ("--out", "out")), c.expect,
                                 outputs=c.outputs, check=c.check)

OVERRIDE_CASES = [
    Case("set:rate_inf", "infinity", ("simulate", S, "--set", "volume.mentions_per_hour=.inf"), 2,
         "--set 'volume.mentions_per_hour=.inf': .inf is not a finite number"),
    Case("set:rate_1e308", "huge number", ("simulate", S, "--set", "volume.mentions_per_hour=1e308"), 2,
         f"--set volume.mentions_per_hour=1e308: volume.mentions_per_hour: Input should be {RANGE}"),
    Case("set:profile_nan", "NaN", ("simulate", S, "--set", "volume.hourly_profile=[" + ",".join(["1"] * 23) + ",.nan]"),
         2, ".nan is not a finite number"),
    Case("set:horizon_billion", "hang", ("simulate", S, "--set", "horizon_days=1e9"), 2, "horizon_days: Input should be"),
    Case("set:seed_negative", "range", ("simulate", S, "--set", "seed=-5"), 2, "seed: Input should be greater than"),
    Case("set:duplicate", "duplicate", ("simulate", S, "--set", "handling.handle_minutes={dist: exponential, mean: 1, "
                                        "mean: 2}"), 2, "duplicate key 'mean'"),
    Case("set:deep", "recursion", ("simulate", S, "--set", "x=" + "[" * 3000 + "]" * 3000), 2, "nested deeper than"),
    Case("set:surrogate", "encoding", ("simulate", S, "--set", 'name="run \\udfff"'), 2,
         "a lone surrogate escape (\\ud800-\\udfff) is not a character"),
    Case("set:not_a_section", "structure", ("simulate", S, "--set", "name.x=1"), 2, "name is not a section"),
    Case("cli:seed_negative", "range", ("simulate", S, "--seed", "-1", "--out", "out"), 2,
         "--seed: must be between 0 and", names="--seed"),
    Case("cli:reps_zero", "range", ("simulate", S, "--reps", "0", "--out", "out"), 2, "--reps: must be between 1",
         names="--reps"),
    Case("cli:max_mentions_nan", "NaN", ("simulate", S, "--max-mentions", "nan"), 2,
         "argument --max-mentions: must be a positive, finite number", names="--max-mentions"),
    Case("cli:max_mentions_low", "hang", ("simulate", S, "--max-mentions", "100", "--out", "out"), 2,
         "the run would simulate about 360 posts, over the limit of 100", names="valid_small.yaml"),
    Case("cli:max_mentions_raised", "control", ("simulate", S, "--max-mentions", "2000", "--out", "out", "--no-plots",
                                                "--set", "horizon_days=1"), 0, check={"summary_rows": 2}),
    Case("cli:out_is_file", "existing-file --out", ("simulate", S, "--out", "out"), 2,
         "out: exists and is a file, not a results folder", names="out", setup=("out_is_file",)),
    Case("cli:out_foreign_folder", "existing-file --out", ("simulate", S, "--out", "out"), 2,
         "is not a carebench results folder", names="out", setup=("out_is_foreign",)),
    Case("cli:out_holds_input", "path trick", ("simulate", "out/valid_small.yaml", "--out", "out"), 2,
         "holds the input", names="out", setup=("out_holds_scenario",)),
    Case("cli:reply_log_is_folder", "existing-file --out", ("simulate", S, "--out", "out", "--reply-log", "in"), 2,
         "--reply-log in: is a folder", names="in"),
    Case("cli:reply_log_inside_out", "control", ("simulate", S, "--out", "out", "--no-plots", "--reply-log",
                                                 "out/replies.csv"), 0, check={"summary_rows": 2,
                                                                               "files": ["out/replies.csv"]}),
    Case("cli:compare_hostile_b", "infinity", ("compare", S, "@scenarios/handle_inf.yaml", "--out", "out"), 2,
         ".inf is not a finite number", names="handle_inf.yaml"),
    Case("cli:compare_out_is_file", "existing-file --out", ("compare", S, S, "--out", "out", "--reps", "2",
                                                            "--set", "horizon_days=0.05"), 2,
         "exists and is a file", names="out", setup=("out_is_file",)),
    Case("cli:schema_out_is_folder", "existing-file --out", ("schema", "--out", "in"), 2, "in: is a folder", names="in"),
    Case("cli:schema_out_missing_folder", "path trick", ("schema", "--out", "nowhere/schema.json"), 2,
         "cannot write here", names="nowhere/schema.json"),
    Case("cli:big_scenario", "huge text", ("simulate", "in/big.yaml"), 2, "larger than a configuration file may be",
         names="big.yaml", setup=("big_scenario",)),
    Case("cli:missing_scenario", "unreadable", ("simulate", "in/nope.yaml"), 2, "cannot read file", names="nope.yaml"),
]

R = "@replies/valid.twcs.csv"


def qa(name: str, expect: int, says: str = "", kind: str = "", **kw) -> Case:
    return Case(f"qa-score:{name}", kind, ("qa", "score", f"@replies/{name}", "--out", "out"), expect, says, **kw)


REPLY_CASES = [
    qa("valid.twcs.csv", 0, kind="control", check={"replies": 3, "broken_lines": []}),
    qa("tweets_unbalanced_quote.csv", 0, kind="broken rows", check={"replies": 2, "broken_lines": [3]}),
    qa("tweets_two_unbalanced_quotes.csv", 0, kind="broken rows", check={"replies": 1, "broken_lines": [3, 5]}),
    qa("tweets_bare_cr.csv", 0, kind="broken rows", check={"replies": 3, "broken_lines": [4]}),
    qa("tweets_wrong_field_count.csv", 0, kind="broken rows", check={"replies": 3, "broken_lines": [4]}),
    qa("tweets_bad_id_and_date.csv", 0, kind="broken rows", check={"replies": 3, "broken_lines": [2, 6]}),
    qa("tweets_duplicate_id.csv", 0, kind="duplicates", check={"replies": 3, "broken_lines": [8]}),
    qa("tweets_utf16.csv", 2, "the file is UTF-16 text; save it as UTF-8", "encoding"),
    qa("tweets_latin1.csv", 2, "not UTF-8 text (byte 0xE9)", "encoding"),
    qa("tweets_one_latin1_row.csv", 0, kind="encoding", check={"replies": 2, "broken_lines": [5]}),
    qa("binary.csv", 2, "a binary file, not CSV text", "binary"),
    qa("binary.jsonl", 2, "not UTF-8 text", "binary"),
    qa("escape_in_header.csv", 2, "unknown format: header '\\x1b[2J\\x1b[31mtweet_id", "control characters"),
    qa("carriage_return_in_header.csv", 2, "unknown format", "control characters"),
    qa("empty.csv", 2, "unknown format", "empty"),
    qa("header_only.twcs.csv", 0, kind="empty", check={"replies": 0, "broken_lines": []}),
    qa("own_valid.csv", 0, kind="control", check={"replies": 3, "broken_lines": []}),
    qa("own_infinite_numbers.csv", 0, kind="infinity", check={"replies": 2, "broken_lines": [2, 3, 4, 6]}),
    qa("own_valid.jsonl", 0, kind="control", check={"replies": 3, "broken_lines": []}),
    qa("own_deep_and_huge.jsonl", 0, kind="recursion", check={"replies": 3, "broken_lines": [3, 5, 6]}),
    qa("own_epoch_seconds.parquet", 0, kind="broken rows", check={"replies": 3, "broken_lines": []}),
    qa("own_epoch_milliseconds.parquet", 0, kind="broken rows", check={"replies": 3, "broken_lines": []}),
    qa("own_epoch_float_seconds.parquet", 0, kind="broken rows", check={"replies": 3, "broken_lines": []}),
    qa("own_epoch_implausible.parquet", 0, kind="broken rows", check={"replies": 3, "broken_lines": [1, 3, 5]}),
    qa("truncated.parquet", 2, "cannot read Parquet file", "corrupt"),
    qa("not_parquet.parquet", 2, "cannot read Parquet file", "corrupt"),
    qa("parquet_missing_columns.parquet", 2, "Parquet columns lack role, created_at", "missing columns"),
    Case("qa-score:folder_as_input", "unreadable", ("qa", "score", "in", "--out", "out"), 2,
         "cannot read file: it is a folder", names="in"),
    Case("qa-score:out_is_file", "existing-file --out", ("qa", "score", R, "--out", "out"), 2,
         "exists and is a file", names="out", setup=("out_is_file",)),
    Case("qa-score:out_holds_input", "path trick", ("qa", "score", "out/valid.twcs.csv", "--out", "out"), 2,
         "holds the input", names="out", setup=("out_holds_replies",)),
    Case("qa-score:huge_reply_text", "hang", ("qa", "score", "in/huge_text.csv", "--out", "out"), 0,
         setup=("huge_reply",), check={"replies": 1}, timeout=90),
]

# the second sweep's holes (hostile12): each was a traceback, a hang or a silent guess before
REPLY_CASES += [
    qa("own_years_out_of_range.csv", 0, kind="dates", check={"replies": 2, "broken_lines": [2, 5, 6]}),
    qa("own_column_twice.csv", 2, "line 1: the header names column 'text' 2 times", "accepted nonsense"),
    qa("own_surrogate_twice_nan.jsonl", 0, kind="broken rows", check={"replies": 1, "broken_lines": [2, 3, 5, 6]}),
    qa("json_array.json", 2, ":1: not JSON Lines (one JSON object per line): expected a JSON object", "structure"),
    qa("tweets_self_reply.csv", 0, kind="cycles", check={"replies": 1, "broken_lines": [2]}),
    qa("tweets_brand_only.csv", 0, kind="control", check={"replies": 1, "broken_lines": []}),
    qa("parquet_all_null.parquet", 0, kind="empty", check={"replies": 0, "broken_lines": [1, 2, 3]}),
]

B = ("qa", "score", R, "--out", "out", "--policy")


def rule(name: str, expect: int, says: str = "", kind: str = "", **kw) -> Case:
    return Case(f"rulebook:{name}", kind, (*B, f"@rulebooks/{name}"), expect, says, names=name, **kw)


RULEBOOK_CASES = [
    rule("valid.yaml", 0, kind="control", check={"replies": 3}),
    rule("duplicate_weight.yaml", 2, ":9: duplicate key 'deflection' (first given on line 9)", "duplicate"),
    rule("duplicate_section.yaml", 2, ":11: duplicate key 'languages' (first given on line 2)", "duplicate"),
    rule("weight_inf.yaml", 2, ":9: .inf is not a finite number", "infinity"),
    rule("weight_nan.yaml", 2, ":9: .nan is not a finite number", "NaN"),
    rule("weight_1e308.yaml", 2, ":9: scorecard.weights.compensation: Input should be less than or equal to 100",
         "huge number"),
    rule("amount_overflow.yaml", 2, "1e999 is not a finite number", "overflow"),
    rule("deep.yaml", 2, "nested deeper than 50 levels", "recursion"),
    rule("alias_bomb.yaml", 2, "values once aliases are expanded", "hang"),
    rule("utf16.yaml", 2, "the file is UTF-16 text", "encoding"),
    rule("binary.yaml", 2, "a binary file, not YAML text", "binary"),
    rule("unknown_key.yaml", 2, ":11: scorecards: unknown key", "structure"),
    rule("empty_phrase.yaml", 2, "never_acceptable", "accepted nonsense"),
    rule("min_days_over_max.yaml", 2, "min_days_since_purchase", "accepted nonsense"),
    rule("name_surrogate.yaml", 2, ":1: a lone surrogate escape (\\ud800-\\udfff) is not a character", "encoding"),
    rule("kind_unknown.yaml", 2, ":5: concessions[0].kinds[0]: Input should be 'refund'", "structure"),
    rule("grades_decreasing.yaml", 2, ":13: scorecard.criteria.late_response.grades: grade at 60: share 0.2 is less "
         "than 0.5 at 0", "accepted nonsense"),
]

QA_RUN = ("qa", "report", "run")


def report(name: str, says: str, kind: str, names: str, **kw) -> Case:
    return Case(f"qa-report:{name}", kind, QA_RUN, 2, says, names=names, outputs=("run",), setup=("qa_run", name),
                **kw)


REPORT_CASES = [
    Case("qa-report:valid", "control", QA_RUN, 0, outputs=("run",), setup=("qa_run",),
         check={"files": ["run/report.html"]}),
    report("drop_score_column", "missing column score", "missing columns", "scores.csv"),
    report("drop_reply_id_column", "missing column reply_id", "missing columns", "scores.csv"),
    report("text_in_score", ":2: score: 'high' is not a number", "corrupt", "scores.csv"),
    report("text_in_flag", ":2: auto_fail: 'perhaps' is not True or False", "corrupt", "scores.csv"),
    report("binary_scores", "a binary file, not CSV text", "binary", "scores.csv"),
    report("utf16_scores", "the file is UTF-16 text", "encoding", "scores.csv"),
    report("corrupt_messages", "cannot read Parquet file", "corrupt", "messages.parquet"),
    report("messages_missing_columns", "missing columns role, text", "missing columns", "messages.parquet"),
    report("bad_meta", "not valid JSON", "corrupt", "meta.json"),
    report("meta_not_object", "expected a JSON object", "corrupt", "meta.json"),
    report("score_infinite", ":2: score: 'inf' is not a score from 0 to 100", "infinity", "scores.csv"),
    report("blank_thread_id", ":2: thread_id: empty", "corrupt", "scores.csv"),
    report("meta_surrogate", "meta.json: not valid JSON ('utf-8' codec can't encode", "encoding", "meta.json"),
    report("meta_wrong_types", "meta.json: messages: expected a whole number, got 'many'", "type", "meta.json"),
    report("consistency_missing_columns", "missing columns", "missing columns", "consistency.csv"),
    report("broken_rows_bad_line", "line: not a line number", "corrupt", "broken_rows.csv"),
    report("no_scores", "not a QA output folder (no scores.csv)", "missing columns", "run"),
]

OTHER_CASES = [
    Case("qa-generate:out_is_folder", "existing-file --out", ("qa", "generate", "--out", "in", "--threads", "5"), 2,
         "--out in: is a folder", names="in"),
    Case("qa-generate:threads_huge", "hang", ("qa", "generate", "--out", "out/g.csv", "--threads", "1000000000"), 2,
         "--threads: must be between 1 and", names="--threads"),
    Case("qa-generate:days_nan", "NaN", ("qa", "generate", "--out", "out/g.csv", "--days", "nan"), 2,
         "--days: must be more than 0", names="--days"),
    Case("qa-generate:days_inf", "infinity", ("qa", "generate", "--out", "out/g.csv", "--days", "inf"), 2,
         "--days: must be more than 0", names="--days"),
    Case("qa-generate:valid", "control", ("qa", "generate", "--out", "out/g.csv", "--threads", "5"), 0,
         check={"files": ["out/g.csv", "out/g.twcs.csv", "out/g.labels.csv", "out/g.post_labels.csv"]}),
    Case("qa-schema:out_is_folder", "existing-file --out", ("qa", "schema", "--out", "in"), 2, "in: is a folder",
         names="in"),
    Case("qa-evaluate:labels_conflict", "duplicates", ("qa", "evaluate", "@labels/valid.csv", "--labels",
                                                       "@labels/labelled_twice.csv"), 2,
         ":5: reply_id 'b1' is labelled again with other labels (first on line 3)", names="labelled_twice.csv"),
    Case("qa-evaluate:binary_labels", "binary", ("qa", "evaluate", "@replies/binary.csv", "--labels",
                                                 "@replies/own_valid.csv"), 2, "a binary file, not CSV text", names="binary.csv"),
    Case("batch:duplicate_key", "duplicate", ("batch", "@experiments/duplicate_key.yaml", "--out", "out"), 2,
         ":7: duplicate key 'kpis' (first given on line 5)"),
    Case("batch:grid_inf", "infinity", ("batch", "@experiments/grid_inf.yaml", "--out", "out"), 2,
         ":4: .inf is not a finite number"),
    Case("batch:deep", "recursion", ("batch", "@experiments/deep.yaml", "--out", "out"), 2, "nested deeper than 50"),
    Case("batch:utf16", "encoding", ("batch", "@experiments/utf16.yaml", "--out", "out"), 2,
         "the file is UTF-16 text"),
    Case("app:settings_utf16", "encoding", ("app", "--settings", "@settings/utf16.yaml"), 2,
         "the file is UTF-16 text", names="utf16.yaml"),
    Case("app:settings_binary", "binary", ("app", "--settings", "@settings/binary.yaml"), 2, "a binary file",
         names="binary.yaml"),
    Case("app:settings_duplicate", "duplicate", ("app", "--settings", "@settings/duplicate_key.yaml"), 2,
         ":4: duplicate key 'data_dir' (first given on line 1)", names="duplicate_key.yaml"),
    Case("app:settings_outside_roots", "path trick", ("app", "--settings", "@settings/outside_roots.yaml"), 2,
         "data_dir: /etc is outside the folders this workbench may use", names="outside_roots.yaml"),
    Case("app:settings_traversal", "path trick", ("app", "--settings", "@settings/traversal.yaml"), 2,
         "review_db: ../../../tmp/x.sqlite is outside", names="traversal.yaml"),
    Case("app:settings_review_db_folder", "accepted nonsense", ("app", "--settings", "@settings/review_db_folder.yaml"),
         2, "review_db: . is a folder or a device, not a database file", names="review_db_folder.yaml"),
    Case("app:settings_unknown_key", "structure", ("app", "--settings", "@settings/unknown_key.yaml"), 2,
         "colour: unknown key", names="unknown_key.yaml"),
    Case("app:allow_dir_missing", "path trick", ("app", "--allow-dir", "nowhere"), 2, "--allow-dir nowhere: not a folder",
         names="nowhere"),
]

M = ("qa", "score", R, "--out", "out", "--model")


def model(name: str, expect: int, says: str = "", kind: str = "", **kw) -> Case:
    return Case(f"model:{name}", kind, (*M, f"@models/{name}"), expect, says, names=name, **kw)


NOT_A_MODEL = "not a usable carebench QA model: "
MODEL_CASES = [
    model("valid.npz", 0, kind="control", check={"replies": 3}),
    model("truncated.npz", 2, NOT_A_MODEL + "cannot read it as .npz (BadZipFile)", "corrupt"),
    model("damaged_data.npz", 2, NOT_A_MODEL + "cannot read it as .npz (its compressed data is damaged)", "corrupt"),
    model("weight_3e38.npz", 2, "check 'deflection': weights are damaged", "overflow"),
    model("meta_nested_deep.npz", 2, NOT_A_MODEL + "meta record is not JSON", "recursion"),
    model("meta_number_5000_digits.npz", 2, NOT_A_MODEL + "meta record is not JSON", "huge number"),
    model("threshold_true.npz", 2, "threshold True is not a probability", "accepted nonsense"),
    model("threshold_nan.npz", 2, "meta record holds NaN, which is not a JSON number", "NaN"),
    model("unknown_check.npz", 2, "check '\\x1b[2Jrefunds' is not one carebench learns", "control characters"),
    model("weight_text.npz", 2, "check 'deflection': weights are damaged", "type"),
    model("intercept_text.npz", 2, "check 'deflection': weights are damaged", "type"),
    model("weight_nan.npz", 2, "check 'deflection': weights are damaged", "NaN"),
    model("object_array.npz", 2, "record 'deflection.weight' holds Python objects (it would need pickle)",
          "code injection"),
    model("huge_shape.npz", 2, "record 'deflection.weight' claims shape (100000000000,)", "memory"),
    Case("model:zip_bomb", "memory", (*M, "in/bomb.npz"), 2,
         "record 'deflection.weight' unpacks to 268,435,585 bytes (at most 2,101,248)", names="bomb.npz",
         setup=("zip_bomb_model",)),
    Case("model:folder", "unreadable", (*M, "in"), 2, "in: cannot read model file: it is a folder", names="in"),
]

T = ("qa", "train", "@replies/own_valid.csv", "--out", "m.npz", "--labels")


def train(name: str, expect: int, says: str = "", kind: str = "", **kw) -> Case:
    return Case(f"train:{name}", kind, (*T, f"@labels/{name}"), expect, says, names=name, **kw)


LABEL_CASES = [
    train("valid.csv", 0, kind="control", outputs=("m.npz",), check={"files": ["m.npz"]}),
    train("labelled_twice.csv", 2, ":5: reply_id 'b1' is labelled again with other labels (first on line 3)",
          "duplicates"),
    train("column_twice.csv", 2, "line 1: the header names column 'deflection' twice", "duplicates"),
    train("not_a_label.csv", 2, ":3: deflection: 'ture' is not a label", "accepted nonsense"),
    train("utf16.csv", 2, "the file is UTF-16 text", "encoding"),
    # a named pipe stands for a device: renaming over it would replace it (on main, as root, /dev/null itself)
    Case("train:out_is_pipe", "path trick", ("qa", "train", "@replies/own_valid.csv", "--labels", "@labels/valid.csv",
                                             "--out", "in/pipe.npz"), 2,
         "in/pipe.npz: is not a regular file (a device, a pipe or a socket)", names="pipe.npz",
         setup=("fifo:pipe.npz",)),
]

# a named pipe would make a reader wait for a writer forever, a device such as /dev/zero never ends
SPECIAL_FILE_CASES = [
    Case("special:fifo_replies", "hang", ("qa", "score", "in/pipe.csv", "--out", "out"), 2,
         "in/pipe.csv: cannot read file: it is a named pipe (FIFO), not a file", names="pipe.csv",
         setup=("fifo:pipe.csv",)),
    Case("special:fifo_replies_parquet", "hang", ("qa", "score", "in/pipe.parquet", "--out", "out"), 2,
         "it is a named pipe (FIFO)", names="pipe.parquet", setup=("fifo:pipe.parquet",)),
    Case("special:devzero_replies_jsonl", "hang", ("qa", "score", "in/zero.jsonl", "--out", "out"), 2,
         "in/zero.jsonl: cannot read file: it is a device, not a file", names="zero.jsonl",
         setup=("devzero:zero.jsonl",)),
    Case("special:fifo_rulebook", "hang", (*B, "in/pipe.yaml"), 2, "it is a named pipe (FIFO)", names="pipe.yaml",
         setup=("fifo:pipe.yaml",)),
    Case("special:devzero_scenario", "hang", ("simulate", "in/zero.yaml", "--out", "out"), 2,
         "in/zero.yaml: cannot read file: it is a device, not a file", names="zero.yaml", setup=("devzero:zero.yaml",)),
    Case("special:fifo_model", "hang", (*M, "in/pipe.npz"), 2, "cannot read model file: it is a named pipe (FIFO)",
         names="pipe.npz", setup=("fifo:pipe.npz",)),
    Case("special:fifo_labels", "hang", ("qa", "train", R, "--labels", "in/pipe.csv", "--out", "m.npz"), 2,
         "cannot read labels: it is a named pipe (FIFO)", names="pipe.csv", setup=("fifo:pipe.csv",)),
    Case("special:devzero_evaluate_labels", "hang", ("qa", "evaluate", "@replies/own_valid.csv", "--labels",
                                                      "in/zero.csv"), 2, "it is a device, not a file",
         names="zero.csv", setup=("devzero:zero.csv",)),
    Case("special:fifo_settings", "hang", ("app", "--settings", "in/pipe.yaml"), 2, "it is a named pipe (FIFO)",
         names="pipe.yaml", setup=("fifo:pipe.yaml",)),
    Case("special:fifo_requirement", "hang", ("roster", S, "--requirement", "in/pipe.csv", "--shifts", "in/pipe.csv"),
         2, "it is a named pipe (FIFO)", names="pipe.csv", setup=("fifo:pipe.csv",)),
]

# the third sweep's holes (hostile13), in their own module
from cases_round3 import PLANNING_CASES, ROUND3_CONFIG_CASES, ROUND3_REPLY_CASES  # noqa: E402
# the fourth sweep's (hostile14)
from cases_round4 import ROUND4_CASES  # noqa: E402
# the fifth sweep's (hostile15)
from cases_round5 import ROUND5_CASES  # noqa: E402
# the sixth and seventh sweeps' (hostile16, hostile17)
from cases_round6 import ROUND6_CASES  # noqa: E402
from cases_round7 import ROUND7_CASES  # noqa: E402
# the eighth sweep's (hostile18)
from cases_round8 import ROUND8_CASES  # noqa: E402

CASES: list[Case] = (SCENARIO_CASES + OVERRIDE_CASES + REPLY_CASES + RULEBOOK_CASES + REPORT_CASES + OTHER_CASES
                     + MODEL_CASES + LABEL_CASES + SPECIAL_FILE_CASES + ROUND3_CONFIG_CASES + ROUND3_REPLY_CASES
                     + PLANNING_CASES + ROUND4_CASES + ROUND5_CASES + ROUND6_CASES + ROUND7_CASES
                     + ROUND8_CASES)
GROUPS = {
    "scenarios": SCENARIO_CASES + OVERRIDE_CASES + ROUND3_CONFIG_CASES,
    "replies": REPLY_CASES + ROUND3_REPLY_CASES,
    "rulebooks_reports_other": RULEBOOK_CASES + REPORT_CASES + OTHER_CASES,
    "models_labels_special_files": MODEL_CASES + LABEL_CASES + SPECIAL_FILE_CASES,
    "planning": PLANNING_CASES,
    "round4": ROUND4_CASES,
    "round5": ROUND5_CASES,
    "round6": ROUND6_CASES,
    "round7": ROUND7_CASES,
    "round8": ROUND8_CASES,
}
assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
