"""The third sweep's corpus files (hostile13): what the first two sweeps left, each a traceback, a hang, a refusal
of a readable file or a silent guess before. Called by ``make_corpus.py`` (run that to write the corpus)."""

from __future__ import annotations

import io
import json


def round3(write, scenario: str, experiment: str, own_rows, own_csv, twcs_header: str, twcs_rows: list[str]) -> None:
    _yaml_values(write, scenario, experiment)
    _reply_headers(write, own_rows, own_csv, twcs_header, twcs_rows)
    _reply_rows(write, own_rows, own_csv)
    _planning(write)


def _yaml_values(write, s: str, e: str) -> None:
    """Values PyYAML's own constructors fail on with a Python error (no line, a traceback)."""
    write("scenarios/date_invalid.yaml", s.replace("name: small", "name: 2026-13-45"))
    write("scenarios/bool_tag_junk.yaml", s.replace("replications: 2", "replications: !!bool maybe"))
    write("scenarios/float_tag_empty.yaml", s.replace("horizon_days: 0.25", "horizon_days: !!float"))
    write("experiments/date_invalid.yaml", e + "note: 2026-02-30\n")
    write("experiments/seed_huge.yaml", e + "seed: 99999999999999999999999\n")  # a traceback writing the manifest


def _reply_headers(write, own_rows, own_csv, twcs_header: str, twcs_rows: list[str]) -> None:
    """Column names that differ from a known one only in case or invisible characters: silently dropped, the
    replies were scored with empty texts."""
    text = own_csv(own_rows())
    head, _, body = text.partition("\n")
    write("replies/own_header_zero_width.csv", head.replace("text", "te\u200bxt") + "\n" + body)
    write("replies/own_header_text_capital.csv", head.replace("text", "Text") + "\n" + body)
    write("replies/tweets_header_case.csv", twcs_header.replace("tweet_id", "Tweet_ID") + "".join(twcs_rows[:4]))
    lines = [json.dumps({("Text" if k == "text" else k): v for k, v in r.items()}) for r in own_rows()]
    write("replies/own_key_capital.jsonl", "\n".join(lines) + "\n")


def _reply_rows(write, own_rows, own_csv) -> None:
    import pyarrow as pa

    rows = own_rows()
    nul = [dict(r) for r in rows]
    nul[1]["text"] = "Sorry\x00 for the wait"  # b0, line 3: a NUL in one row of a text file
    write("replies/own_nul_in_row.csv", own_csv(nul))
    late = [dict(r) for r in rows]
    late[0]["text"] = "my order is late " + "again " * 12_000  # line 2 pushes the NUL past the sniffed 64 KB
    late[3]["text"] = "We will send a\x00 replacement"  # b1, line 5
    write("replies/own_nul_past_64k.csv", own_csv(late))
    lines = [json.dumps(r) for r in rows]
    lines[1] = lines[1].replace('"message_id": "b0"', '"message_id": 1e400')  # no float holds it: inf
    write("replies/own_number_1e400.jsonl", "\n".join(lines) + "\n")

    table = pa.Table.from_pylist([{k: str(v) for k, v in r.items()} for r in rows])
    twice = pa.Table.from_arrays([*table.columns, table.column("text")], names=[*table.column_names, "text"])
    write("replies/parquet_duplicate_columns.parquet", _parquet(twice))
    ids = [1.0, 2.0, float("inf"), 4.0, 5.0, 6.0]  # c1 (row 3) has an id no float text names
    at = table.column_names.index("message_id")
    write("replies/parquet_float_ids.parquet", _parquet(table.set_column(at, "message_id", pa.array(ids))))


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


REQUIREMENT_HEADER = ("team,interval,start_minute,measured,expected_mentions,offered_load,erlang_agents,requirement,"
                      "simulated_mentions,service_level,sl_low,sl_high,occupancy,target_goal,target_minutes\n")
SHIFTS = """\
shifts:
  - name: full
    lengths: ["8:00"]
    starts: {earliest: "0:00", latest: "23:30", every: 30}
"""


def _planning(write) -> None:
    """A requirement.csv (one team, 30-minute intervals) with a hand-edited target, and shifts for it."""
    def requirement(goal: str = "0.8", minutes: str = "60", need: int = 1) -> str:
        return REQUIREMENT_HEADER + "".join(f"all,i{k},{30 * k},False,1,1,1,{need},,,,,,{goal},{minutes}\n"
                                            for k in range(336))

    write("planning/shifts.yaml", SHIFTS)
    many = "".join(f"  - {{name: s{i}, lengths: ['8:00'], starts: {{earliest: '0:00', latest: '23:30'}}}}\n"
                   for i in range(600))  # 201,600 ways to work them (3,000 patterns: building the program took minutes)
    write("planning/shifts_600_patterns.yaml", "shifts:\n" + many)
    write("planning/requirement.csv", requirement())
    write("planning/requirement_target_text.csv", requirement("high", "soon"))
    write("planning/requirement_target_huge.csv", requirement("0.8", "1e308"))
    write("planning/requirement_million_agents.csv", requirement(need=1_000_000))  # a shift holds 100,000 at most
    twice = requirement().splitlines(keepends=True)
    write("planning/requirement_column_twice.csv", twice[0].rstrip("\n") + ",requirement\n"
          + "".join(r.rstrip("\n") + ",5\n" for r in twice[1:]))
