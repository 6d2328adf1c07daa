"""Write the hand-made hostile corpus under ``tests/hostile/corpus/`` (run it again after editing; the files are
committed so that the binary ones are reviewable as they are). Every text here was written for these tests.

    .venv/bin/python tests/hostile/make_corpus.py

Files too large to commit (a 3 MB scenario, a 3 MB reply) are made by the runner at test time (cases.py).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd

from make_corpus_models import labels, models
from make_corpus_round3 import round3

CORPUS = Path(__file__).resolve().parent / "corpus"

SCENARIO = """\
name: small
seed: 3
horizon_days: 0.25
warmup_days: 0
replications: 2
volume:
  mentions_per_hour: 30
handling:
  handle_minutes: {dist: exponential, mean: 4}
customers:
  patience_minutes: {dist: exponential, mean: 60}
staffing:
  agents: 3
sla:
  target_minutes: 10
  goal: 0.8
"""

RULEBOOK = """\
name: tiny
languages: [en]
first_response_target_minutes: 60
concessions:
  - {kinds: [refund, replacement], max_days_since_purchase: 30}
never_acceptable:
  en: [not our problem]
scorecard:
  weights: {deflection: 1, dm_request: 1, compensation: 2}
  auto_fail: [pii_exposed]
"""

TWCS_HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
TWCS_ROWS = [
    "101,cust_a,True,Tue Oct 31 22:10:47 +0000 2017,@AcmeHelp my parcel never came and the tracking is stuck,102,\n",
    "102,AcmeHelp,False,Tue Oct 31 22:14:02 +0000 2017,@cust_a Sorry! Please send us a DM with the order number ^AB,,101.0\n",
    "103,cust_b,True,Tue Oct 31 23:01:00 +0000 2017,@AcmeHelp the app logs me out every five minutes,104,\n",
    "104,AcmeHelp,False,Tue Oct 31 23:09:30 +0000 2017,\"@cust_b That sounds annoying, please update to the latest version ^CD\",,103.0\n",
    "105,cust_c,True,Wed Nov 01 08:00:00 +0000 2017,@AcmeHelp thanks for the quick fix yesterday,106,\n",
    "106,AcmeHelp,False,Wed Nov 01 08:20:00 +0000 2017,@cust_c Glad it works again! ^EF,,105.0\n",
]

OWN_COLUMNS = ["message_id", "thread_id", "parent_id", "role", "author_id", "brand", "channel", "public",
               "created_at", "text", "language", "agent_id", "customer_followers", "purchase_date", "order_value",
               "product", "issue_category"]


def own_rows() -> list[dict]:
    rows = []
    texts = [("my order is late again", "Sorry for the wait, please DM us your order number."),
             ("the charger stopped working after a week", "We will send a replacement charger today."),
             ("love the new colours", "Thank you, we will pass it on to the design team!")]
    for i, (c, b) in enumerate(texts):
        t = f"t{i}"
        base = {"thread_id": t, "brand": "acme", "channel": "twitter", "public": "true", "language": "en",
                "customer_followers": 120 + i, "purchase_date": "2024-02-01", "order_value": 40.0, "product": "",
                "issue_category": ""}
        rows.append({**base, "message_id": f"c{i}", "parent_id": "", "role": "customer", "author_id": f"user{i}",
                     "created_at": f"2024-03-0{i + 1}T10:00:00Z", "text": c, "agent_id": ""})
        rows.append({**base, "message_id": f"b{i}", "parent_id": f"c{i}", "role": "brand", "author_id": "acme",
                     "created_at": f"2024-03-0{i + 1}T10:30:00Z", "text": b, "agent_id": "ana"})
    return rows


def own_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    pd.DataFrame(rows, columns=OWN_COLUMNS).to_csv(buf, index=False)
    return buf.getvalue()


def write(rel: str, data: str | bytes) -> None:
    p = CORPUS / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_bytes(data.encode("utf-8"))
    else:
        p.write_bytes(data)


def scenarios() -> None:
    s = SCENARIO
    write("scenarios/valid_small.yaml", s)
    write("scenarios/rate_inf.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: .inf"))
    write("scenarios/rate_1e308.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 1e308"))
    write("scenarios/rate_overflow_literal.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 1e400"))
    write("scenarios/profile_nan.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 30\n  hourly_profile: ["
                                                  + ", ".join(["1"] * 23 + [".nan"]) + "]"))
    write("scenarios/profile_inf.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 30\n  weekly_profile: "
                                                  "[1, 1, .inf, 1, 1, 1, 1]"))
    write("scenarios/profile_underflow.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 30\n  hourly_profile: ["
                                                        + ", ".join(["1e-200"] * 24) + "]"))
    write("scenarios/horizon_billion_days.yaml", s.replace("horizon_days: 0.25", "horizon_days: 1000000000"))
    write("scenarios/horizon_inf.yaml", s.replace("horizon_days: 0.25", "horizon_days: .inf"))
    write("scenarios/warmup_billion_days.yaml", s.replace("warmup_days: 0", "warmup_days: 1e9"))
    write("scenarios/drain_inf.yaml", s.replace("replications: 2", "replications: 2\nmax_drain_days: .inf"))
    write("scenarios/seed_negative.yaml", s.replace("seed: 3", "seed: -1"))
    write("scenarios/seed_huge.yaml", s.replace("seed: 3", "seed: 1180591620717411303424"))
    write("scenarios/int_5000_digits.yaml", s.replace("seed: 3", "seed: " + "7" * 5000))
    write("scenarios/handle_inf.yaml", s.replace("mean: 4}", "mean: .inf}"))
    write("scenarios/handle_nan.yaml", s.replace("mean: 4}", "mean: .nan}"))
    write("scenarios/empirical_inf.yaml", s.replace("{dist: exponential, mean: 4}",
                                                    "{dist: empirical, values: [1, 2, .inf]}"))
    write("scenarios/patience_huge.yaml", s.replace("mean: 60}", "mean: 1e300}"))
    write("scenarios/agents_huge.yaml", s.replace("agents: 3", "agents: 1000000000000"))
    write("scenarios/reps_huge.yaml", s.replace("replications: 2", "replications: 100000000"))
    write("scenarios/gamma_shape_tiny.yaml", s.replace("{dist: exponential, mean: 4}",
                                                       "{dist: gamma, mean: 4, shape: 1e-300}"))
    write("scenarios/lognormal_extreme_ratio.yaml", s.replace("{dist: exponential, mean: 4}",
                                                              "{dist: lognormal, mean: 1e-300, sd: 5000}"))
    write("scenarios/lognormal_wide_ok.yaml", s.replace("{dist: exponential, mean: 4}",
                                                        "{dist: lognormal, mean: 0.001, sd: 5000}"))
    write("scenarios/followers_alpha_tiny.yaml", s.replace("  patience_minutes:", "  followers: {minimum: 20, alpha: 1e-9}\n"
                                                           "  patience_minutes:"))
    write("scenarios/incident_far_future.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 30\n  incidents:\n"
                                                          "    - {name: x, start_day: 1e12, jump_per_hour: 10, "
                                                          "decay_minutes: 60}"))
    write("scenarios/budget_rate_decade.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 1000000")
          .replace("horizon_days: 0.25", "horizon_days: 3650"))
    write("scenarios/budget_branching_near_one.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 30\n"
                                                                "  self_excitation: {branching_ratio: 0.9999999, "
                                                                "memory_minutes: 30, excite: all}"))
    write("scenarios/budget_escalation_bomb.yaml", s.replace("  patience_minutes: {dist: exponential, mean: 60}",
                                                             "  patience_minutes: {dist: exponential, mean: 1}\n"
                                                             "  on_impatience: escalate\n  max_repeats: 1000\n"
                                                             "  escalation_extra_mentions: 1000")
          .replace("horizon_days: 0.25", "horizon_days: 30").replace("mentions_per_hour: 30", "mentions_per_hour: 300"))
    write("scenarios/budget_overloaded_drain.yaml", s.replace("customers:\n  patience_minutes: {dist: exponential, "
                                                              "mean: 60}\n", "")
          .replace("mentions_per_hour: 30", "mentions_per_hour: 100000").replace("agents: 3", "agents: 1")
          .replace("horizon_days: 0.25", "horizon_days: 1").replace("replications: 2",
                                                                    "replications: 2\nmax_drain_days: 3000"))
    write("scenarios/budget_hourly_rows.yaml", s.replace("mentions_per_hour: 30", "mentions_per_hour: 0")
          .replace("horizon_days: 0.25", "horizon_days: 3660").replace("replications: 2", "replications: 10000"))
    write("scenarios/duplicate_agents.yaml", s.replace("  agents: 3", "  agents: 3\n  concurrency: 1\n  agents: 30"))
    write("scenarios/duplicate_section.yaml", s + "staffing:\n  agents: 1\n")
    write("scenarios/duplicate_flow_key.yaml", s.replace("{dist: exponential, mean: 4}", "{dist: exponential, mean: 4, "
                                                         "mean: 9}"))
    write("scenarios/deep_flow_lists.yaml", s + "extra: " + "[" * 20000 + "]" * 20000 + "\n")
    write("scenarios/deep_block_maps.yaml", s + "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n")
    write("scenarios/deep_json.json", json.dumps({"name": "j", "x": 1})[:-1] + ', "extra": ' + "[" * 5000 + "]" * 5000 + "}")
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        laughs += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    write("scenarios/alias_bomb.yaml", s + laughs)
    write("scenarios/alias_recursive.yaml", s + "loop: &loop [1, *loop]\n")
    write("scenarios/utf16_bom.yaml", s.encode("utf-16"))
    write("scenarios/utf16_no_bom.yaml", s.encode("utf-16-le"))
    write("scenarios/utf32.yaml", s.encode("utf-32"))
    write("scenarios/latin1.yaml", s.replace("name: small", "name: caf\u00e9").encode("latin-1"))
    write("scenarios/binary_png.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
          + bytes(range(256)))
    write("scenarios/control_chars.yaml", s.replace("name: small", "name: \"ok\"\nnote: \x1b[2J\x1b[31mred"))
    write("scenarios/escape_in_key.yaml", s + "\"\\e[2Jevil\\r\\ncarebench: fake line\": 1\n")
    write("scenarios/name_traversal.yaml", s.replace("name: small", "name: ../../escaped"))
    write("scenarios/name_absolute.yaml", s.replace("name: small", "name: /tmp/carebench-hostile-absolute"))
    write("scenarios/name_dots.yaml", s.replace("name: small", "name: '..'"))
    write("scenarios/name_bidi.yaml", s.replace("name: small", "name: \"evil\\u202egnp.yaml\""))
    write("scenarios/name_too_long.yaml", s.replace("name: small", "name: " + "n" * 5000))
    write("scenarios/empty.yaml", "")
    write("scenarios/top_level_list.yaml", "- a\n- b\n")
    write("scenarios/tab_indent.yaml", s.replace("  agents: 3", "\tagents: 3"))
    write("scenarios/string_for_number.yaml", s.replace("agents: 3", "agents: three"))
    write("scenarios/bad_int_literal.yaml", s.replace("seed: 3", "seed: 0b_"))
    write("scenarios/python_tag.yaml", s + "evil: !!python/object/apply:os.system [echo pwned]\n")


def rulebooks() -> None:
    r = RULEBOOK
    write("rulebooks/valid.yaml", r)
    write("rulebooks/duplicate_weight.yaml", r.replace("compensation: 2}", "compensation: 2, deflection: 5}"))
    write("rulebooks/duplicate_section.yaml", r + "languages: [es]\n")
    write("rulebooks/weight_inf.yaml", r.replace("compensation: 2}", "compensation: .inf}"))
    write("rulebooks/weight_nan.yaml", r.replace("compensation: 2}", "compensation: .nan}"))
    write("rulebooks/weight_1e308.yaml", r.replace("compensation: 2}", "compensation: 1e308}"))
    write("rulebooks/name_surrogate.yaml", r.replace("name: tiny", 'name: "tiny \\ud800"'))
    write("rulebooks/kind_unknown.yaml", r.replace("kinds: [refund, replacement]", "kinds: [cash]"))
    write("rulebooks/grades_decreasing.yaml", r.replace("  weights: {deflection: 1, dm_request: 1, compensation: 2}\n"
                                                        "  auto_fail: [pii_exposed]\n",
                                                        "  pass_mark: 70\n  criteria:\n    late_response:\n"
                                                        "      weight: 30\n      grades: {0: 0.5, 60: 0.2}\n"))
    write("rulebooks/amount_overflow.yaml", r.replace("max_days_since_purchase: 30}",
                                                      "max_days_since_purchase: 30, max_amount: 1e999}"))
    write("rulebooks/deep.yaml", r + "x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n")
    write("rulebooks/alias_bomb.yaml", r + "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, "
          "*a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]"
          "\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
          "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n")
    write("rulebooks/utf16.yaml", r.encode("utf-16"))
    write("rulebooks/binary.yaml", bytes(range(256)) * 4)
    write("rulebooks/unknown_key.yaml", r + "scorecards: {}\n")
    write("rulebooks/empty_phrase.yaml", r.replace("en: [not our problem]", "en: ['']"))
    write("rulebooks/min_days_over_max.yaml", r.replace("max_days_since_purchase: 30}",
                                                        "min_days_since_purchase: 60, max_days_since_purchase: 30}"))


def replies() -> None:
    twcs = TWCS_HEADER + "".join(TWCS_ROWS)
    write("replies/valid.twcs.csv", twcs)
    # an unbalanced quote on line 3: the rows after it must be kept, the broken one reported once
    rows = list(TWCS_ROWS)
    rows[1] = rows[1].replace("@cust_a Sorry!", "\"@cust_a Sorry!")
    write("replies/tweets_unbalanced_quote.csv", TWCS_HEADER + "".join(rows))
    rows = list(TWCS_ROWS)
    rows[1] = rows[1].replace("@cust_a Sorry!", "\"@cust_a Sorry!")
    rows[3] = rows[3].replace("\"@cust_b That", "@cust_b \"That")
    write("replies/tweets_two_unbalanced_quotes.csv", TWCS_HEADER + "".join(rows))
    rows = list(TWCS_ROWS)
    rows[2] = rows[2].replace("every five", "every\rfive")
    write("replies/tweets_bare_cr.csv", TWCS_HEADER + "".join(rows))
    rows = list(TWCS_ROWS)
    rows[2] = rows[2].replace(",104,", ",104,extra,fields,")
    write("replies/tweets_wrong_field_count.csv", TWCS_HEADER + "".join(rows))
    rows = list(TWCS_ROWS)
    rows[4] = rows[4].replace("Wed Nov 01 08:00:00 +0000 2017", "yesterday-ish")
    rows[0] = rows[0].replace("101,", "1o1,", 1)
    write("replies/tweets_bad_id_and_date.csv", TWCS_HEADER + "".join(rows))
    write("replies/tweets_duplicate_id.csv", TWCS_HEADER + "".join(TWCS_ROWS) + TWCS_ROWS[0])
    write("replies/tweets_utf16.csv", twcs.encode("utf-16"))
    write("replies/tweets_latin1.csv", twcs.replace("annoying", "ennuyeux, d\u00e9sol\u00e9").encode("latin-1"))
    rows = [r.encode() for r in TWCS_ROWS]  # UTF-8 (an emoji) with one row saved in Latin-1: that row is broken
    rows[0] = TWCS_ROWS[0].replace("stuck", "stuck \U0001F621").encode()
    rows[3] = TWCS_ROWS[3].replace("annoying", "ennuyeux, d\u00e9sol\u00e9").encode("latin-1")
    write("replies/tweets_one_latin1_row.csv", TWCS_HEADER.encode() + b"".join(rows))
    write("replies/binary.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    write("replies/escape_in_header.csv", "\x1b[2J\x1b[31mtweet_id,\x07author,\u202etext\n1,2,3\n")
    write("replies/carriage_return_in_header.csv", "tweet_id,author\rcarebench: a fake line\n1,2\n")
    write("replies/empty.csv", "")
    write("replies/header_only.twcs.csv", TWCS_HEADER)
    own = own_rows()
    write("replies/own_valid.csv", own_csv(own))
    bad = [dict(r) for r in own]
    bad[0]["customer_followers"] = "inf"
    bad[2]["customer_followers"] = "1e400"
    bad[4]["order_value"] = "-inf"
    bad[1]["order_value"] = "nan"
    write("replies/own_infinite_numbers.csv", own_csv(bad))
    jsonl = [json.dumps({**r, "customer_followers": r["customer_followers"]}) for r in own]
    write("replies/own_valid.jsonl", "\n".join(jsonl) + "\n")
    deep = list(jsonl)
    deep.insert(2, "[" * 50000 + "]" * 50000)
    deep.insert(4, '{"message_id": "x9", "thread_id": "t9", "role": "customer", "created_at": 1' + "0" * 5000 + "}")
    deep.insert(5, '{"message_id": "x8", "thread_id": "t8", "role": "customer", "author_id": "u", '
                   '"created_at": "2024-03-01T10:00:00Z", "customer_followers": Infinity}')
    write("replies/own_deep_and_huge.jsonl", "\n".join(deep) + "\n")
    write("replies/binary.jsonl", bytes(range(1, 256)) * 16)
    epoch = pd.DataFrame(own, columns=OWN_COLUMNS)
    seconds = pd.to_datetime(epoch["created_at"], utc=True).dt.as_unit("s").astype("int64")
    for name, values in (("seconds", seconds), ("milliseconds", seconds * 1000), ("float_seconds", seconds + 0.25)):
        df = epoch.assign(created_at=values.to_numpy(), customer_followers=epoch["customer_followers"].astype("int64"))
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        write(f"replies/own_epoch_{name}.parquet", buf.getvalue())
    df = epoch.assign(created_at=[5, 1_700_000_000, 6, 1_700_000_100, 99_999_999_999_999_999_999.0, 1_700_000_200])
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    write("replies/own_epoch_implausible.parquet", buf.getvalue())
    write("replies/truncated.parquet", buf.getvalue()[: len(buf.getvalue()) // 2])
    write("replies/not_parquet.parquet", "message_id,thread_id\n1,2\n")
    buf = io.BytesIO()
    epoch.drop(columns=["role", "created_at"]).to_parquet(buf, index=False)
    write("replies/parquet_missing_columns.parquet", buf.getvalue())


def replies_round2() -> None:
    """Holes found by the second sweep (#9, #12): each made a traceback, a hang or a silent guess before."""
    own = own_rows()
    years = [dict(r) for r in own]
    years[0]["created_at"] = "9999-12-31T23:59:59Z"  # parses, but pandas' nanoseconds end in 2262
    years[3]["created_at"] = "0001-01-01T00:00:00Z"
    years[4]["purchase_date"] = "9999-12-31"
    write("replies/own_years_out_of_range.csv", own_csv(years))
    header = own_csv(own).splitlines()
    write("replies/own_column_twice.csv", "\n".join([header[0] + ",text"] + [r + ",x" for r in header[1:]]) + "\n")
    jsonl = [json.dumps(r) for r in own]
    jsonl[1] = jsonl[1].replace('"text": "', '"text": "\\ud800 ')  # a lone surrogate escape: no character
    jsonl[2] = jsonl[2][:-1] + ', "text": "the second text"}'  # a key given twice
    jsonl[4] = jsonl[4].replace('"order_value": 40.0', '"order_value": NaN')  # not JSON
    jsonl[5] = jsonl[5].replace('"text": "', '"text": {"en": "')[:-1] + "}}"  # an object where a text belongs
    write("replies/own_surrogate_twice_nan.jsonl", "\n".join(jsonl) + "\n")
    write("replies/json_array.json", json.dumps(own))
    rows = [TWCS_ROWS[0].replace(",102,\n", ",101,101\n"), *TWCS_ROWS[2:4]]  # a tweet replying to itself
    write("replies/tweets_self_reply.csv", TWCS_HEADER + "".join(rows))
    write("replies/tweets_brand_only.csv", TWCS_HEADER + TWCS_ROWS[1].replace(",101.0\n", ",\n"))
    nulls = pd.DataFrame({c: pd.Series([None] * 3, dtype="string") for c in OWN_COLUMNS})
    buf = io.BytesIO()
    nulls.to_parquet(buf, index=False)
    write("replies/parquet_all_null.parquet", buf.getvalue())


def settings() -> None:
    good = "data_dir: data\nreview_db: reviews.sqlite\nmax_upload_mb: 5\n"
    write("settings/utf16.yaml", good.encode("utf-16"))
    write("settings/binary.yaml", bytes(range(256)))
    write("settings/duplicate_key.yaml", good + "data_dir: other\n")
    write("settings/outside_roots.yaml", good.replace("data_dir: data", "data_dir: /etc"))
    write("settings/traversal.yaml", good.replace("review_db: reviews.sqlite", "review_db: ../../../tmp/x.sqlite"))
    write("settings/unknown_key.yaml", good + "colour: blue\n")
    write("settings/review_db_folder.yaml", good.replace("review_db: reviews.sqlite", "review_db: ."))


EXPERIMENT = """\
name: sweep
scenarios: [valid_small.yaml]
grid:
  staffing.agents: [2, 3]
kpis: [p_wait]
replications: 2
"""


def experiments() -> None:
    e = EXPERIMENT
    write("experiments/duplicate_key.yaml", e + "kpis: [service_level]\n")
    write("experiments/grid_inf.yaml", e.replace("[2, 3]", "[2, .inf]"))
    write("experiments/deep.yaml", e + "x: " + "[" * 5000 + "]" * 5000 + "\n")
    write("experiments/utf16.yaml", e.encode("utf-16"))


def main() -> None:
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    scenarios()
    rulebooks()
    replies()
    replies_round2()
    models(write)
    labels(write)
    settings()
    experiments()
    round3(write, SCENARIO, EXPERIMENT, own_rows, own_csv, TWCS_HEADER, TWCS_ROWS)
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    print(f"{len(files)} files in {CORPUS}")


if __name__ == "__main__":
    main()
