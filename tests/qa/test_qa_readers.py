"""Readers: every format round-trips the generated threads; twcs threads are rebuilt; broken rows reported."""

from __future__ import annotations

import pandas as pd
import pytest

from qa.generator import write_own, write_twcs
from qa.readers import TWCS_COLUMNS, ConfigError, read_messages

TWCS_HEADER = ",".join(TWCS_COLUMNS)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_own_schema_round_trip_loses_nothing(tmp_path, small_generated, suffix):
    src = small_generated.messages
    path = write_own(src, tmp_path / f"m{suffix}")
    got = read_messages(path)
    assert got.broken_rows == []
    assert got.format == {".csv": "own-csv", ".jsonl": "own-jsonl", ".parquet": "own-parquet"}[suffix]
    m = got.messages.set_index("message_id")
    s = src.set_index("message_id")
    assert set(m.index) == set(s.index)
    for col in ("thread_id", "role", "text", "brand", "agent_id", "issue_category"):
        assert (m.loc[s.index, col].fillna("") == s[col].fillna("")).all(), col
    assert (m.loc[s.index, "customer_followers"].astype(int) == s["customer_followers"]).all()
    delta = (m.loc[s.index, "created_at"] - s["created_at"]).abs().max()
    assert delta < pd.Timedelta(seconds=1)


def test_twcs_threads_match_the_generated_threads(tmp_path, small_generated):
    src = small_generated.messages
    got = read_messages(write_twcs(src, tmp_path / "t.csv"))
    assert got.format == "twcs" and got.broken_rows == []
    m = got.messages.set_index("message_id").loc[src["message_id"]]
    # same partition into threads: each generated thread maps to exactly one rebuilt thread, and back
    pairs = pd.DataFrame({"gen": src["thread_id"].to_numpy(), "rebuilt": m["thread_id"].to_numpy()})
    assert (pairs.groupby("gen")["rebuilt"].nunique() == 1).all()
    assert (pairs.groupby("rebuilt")["gen"].nunique() == 1).all()
    assert (m["role"].to_numpy() == src["role"].to_numpy()).all()
    assert (m["brand"].to_numpy() == src["brand"].to_numpy()).all()
    # float-formatted parent ids ("3.0") are read as "3"
    assert (m["parent_id"].fillna("").to_numpy() == src["parent_id"].fillna("").to_numpy()).all()


def _twcs(tmp_path, body: str, name="x.csv"):
    p = tmp_path / name
    p.write_bytes((TWCS_HEADER + "\n" + body).encode("utf-8"))
    return p


def test_broken_twcs_rows_are_reported_with_line_numbers_and_skipped(tmp_path):
    body = (
        "1,Acme,False,Tue Oct 31 22:10:47 +0000 2017,@9 hi there,,2.0\n"          # line 2
        "2,9,True,Tue Oct 31 22:08:27 +0000 2017,\"@Acme two\nlines quoted\",1,\n"  # lines 3-4
        "3,9,True,Tue Oct 31 18:13:06 +0000 2017,@Acme \r\rbare returns,,\n"      # line 5: broken
        "4,9,True,not a date,@Acme hello,,\n"                                      # line 6: broken
        "5,9,True,Tue Oct 31 18:13:06 +0000 2017,too,few\n"                        # line 7: broken
        "6,9,maybe,Tue Oct 31 18:13:06 +0000 2017,@Acme x,,\n"                     # line 8: broken
        "1,Acme,False,Tue Oct 31 22:10:47 +0000 2017,duplicate,,\n"               # line 9: broken
        "7,9,True,Tue Oct 31 23:00:00 +0000 2017,@Acme dangling parent,,99.0\n"   # line 10: fine
    )
    got = read_messages(_twcs(tmp_path, body))
    lines = [line for line, _ in got.broken_rows]
    assert lines == [5, 6, 7, 8, 9]
    reasons = dict(got.broken_rows)
    assert "carriage return" in reasons[5]
    assert "created_at" in reasons[6]
    assert "fields" in reasons[7]
    assert "inbound" in reasons[8]
    assert "duplicate" in reasons[9]
    m = got.messages.set_index("message_id")
    assert sorted(m.index) == ["1", "2", "7"]
    assert m.loc["2", "text"] == "@Acme two\nlines quoted"
    assert m.loc["1", "thread_id"] == m.loc["2", "thread_id"] == "1"
    assert m.loc["7", "thread_id"] == "7" and m.loc["7", "parent_id"] == "99"  # dangling: own thread
    assert m.loc["1", "role"] == "brand" and m.loc["2", "brand"] == "Acme"


def test_customers_replying_to_one_missing_tweet_are_not_merged(tmp_path):
    body = "".join(f"{i},{100 + i},True,Tue Oct 31 22:10:47 +0000 2017,@Acme re promo,,500.0\n" for i in (1, 2, 3))
    got = read_messages(_twcs(tmp_path, body))
    assert got.messages["thread_id"].nunique() == 3


def test_agent_signatures_are_read_from_twcs_brand_replies(tmp_path):
    body = ("1,9,True,Tue Oct 31 22:00:00 +0000 2017,@Acme help,2,\n"
            "2,Acme,False,Tue Oct 31 22:10:00 +0000 2017,@9 On it. ^JS,,1\n")
    m = read_messages(_twcs(tmp_path, body)).messages.set_index("message_id")
    assert m.loc["2", "agent_id"] == "Acme/JS"


def test_twcs_thread_id_is_the_smallest_tweet_id_exactly_even_beyond_float_precision(tmp_path):
    # 19-digit ids differ in the last digit: a float64 (53-bit) would make them equal or round them
    a, b, c = "1234567890123456789", "1234567890123456790", "999"
    body = (f"{b},9,True,Tue Oct 31 22:00:00 +0000 2017,@Acme help,{a},\n"
            f"{a},Acme,False,Tue Oct 31 22:10:00 +0000 2017,@9 On it,,{b}\n"
            f"{c},8,True,Tue Oct 31 22:20:00 +0000 2017,@Acme other,,\n")
    m = read_messages(_twcs(tmp_path, body)).messages.set_index("message_id")
    assert m.loc[a, "thread_id"] == a and m.loc[b, "thread_id"] == a
    assert m.loc[c, "thread_id"] == c


def test_twcs_thread_brand_is_its_most_frequent_brand_author_first_seen_on_ties(tmp_path):
    rows = [("1", "9", "True", "", ""), ("2", "AcmeHelp", "False", "1", ""), ("3", "Acme", "False", "1", ""),
            ("4", "Acme", "False", "1", ""),  # thread 1: Acme twice, AcmeHelp once
            ("5", "8", "True", "", ""), ("6", "Zed", "False", "5", ""), ("7", "Acme", "False", "5", "")]
    body = "".join(f"{t},{a},{inb},Tue Oct 31 22:0{i}:00 +0000 2017,hello there,,{p}\n"
                   for i, (t, a, inb, p, _) in enumerate(rows))
    m = read_messages(_twcs(tmp_path, body)).messages.set_index("message_id")
    assert set(m.loc[["1", "2", "3", "4"], "brand"]) == {"Acme"}
    assert set(m.loc[["5", "6", "7"], "brand"]) == {"Zed"}  # one each: the first one written wins


def test_own_csv_bad_rows_reported(tmp_path):
    p = tmp_path / "own.csv"
    p.write_text(
        "message_id,thread_id,role,author_id,created_at,text,customer_followers\n"
        "1,t,customer,c,2024-01-01T10:00:00Z,hello,10\n"
        "2,t,robot,c,2024-01-01T10:01:00Z,who,10\n"
        "3,t,brand,Acme,yesterday,hi,\n"
        "4,t,brand,Acme,2024-01-01T10:05:00Z,hi,many\n"
        "5,t,brand,Acme,2024-01-01T10:06:00Z,fine,\n", encoding="utf-8")
    got = read_messages(p)
    assert [line for line, _ in got.broken_rows] == [3, 4, 5]
    assert list(got.messages["message_id"]) == ["1", "5"]


def test_jsonl_bad_lines_reported(tmp_path):
    p = tmp_path / "m.jsonl"
    p.write_text('{"message_id": "1", "thread_id": "t", "role": "customer", "author_id": "c", '
                 '"created_at": "2024-01-01T10:00:00Z", "text": "hi"}\n{not json\n[1, 2]\n', encoding="utf-8")
    got = read_messages(p)
    assert [line for line, _ in got.broken_rows] == [2, 3]
    assert len(got.messages) == 1


@pytest.mark.parametrize("content,expected", [
    ("a,b,c\n1,2,3\n", "unknown format"),
    ("", "unknown format"),
])
def test_unknown_format_is_one_clear_error(tmp_path, content, expected):
    p = tmp_path / "x.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        read_messages(p)
    msg = str(exc.value)
    assert expected in msg and str(p) in msg and "\n" not in msg


def test_missing_and_damaged_files(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        read_messages(tmp_path / "nope.csv")
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(ConfigError, match="cannot read Parquet"):
        read_messages(bad)


def test_twcs_times_fast_path_reads_as_strptime() -> None:
    """Independent truth: pandas' strptime with the twcs format, on the column as a whole."""
    import pandas as pd

    from qa.readers_common import blank_to_na, parse_time
    from qa.readers_twcs import _TWCS_TIME, _twcs_times

    usual = ["Tue Oct 31 22:10:47 +0000 2017", "Mon Oct 31 22:10:47 +0530 2017", "Sun Jan 01 00:00:00 -1200 2017",
             "Thu Feb 29 12:00:00 +0000 2024", "Fri Dec 31 23:59:59 +1400 1999"]
    odd = ["Tue Feb 29 10:00:00 +0000 2017", "Tue Oct 31 23:59:60 +0000 2017", "tue oct 31 22:10:47 +0000 2017",
           "Tue Oct 31 22:10:47 +0000 1969", "2017-10-31 22:10:47", "Tue Oct 31 22:10:47 +9999 2017"]
    for values in (usual, usual + [None, " "], usual + odd, odd, [None, ""]):
        s = blank_to_na(pd.Series(values, dtype="string"))
        expected, got = parse_time(s, _TWCS_TIME), _twcs_times(s)
        assert got.dtype == expected.dtype and got.equals(expected), values


@pytest.mark.parametrize("body", [
    "1,a,b\n2,c,d\n",                                      # clean
    "1,a,b\n\n2,c,d\n\n",                                  # blank lines
    '1,a,b\n2,"two\nlines",d\n3,e,f\n',                    # a quoted field over two lines
    '1,a,b\n2,"open,d\n3,e,f\n4,g,h\n',                    # an unbalanced quote swallowing rows
    "1,a,b\n2,c\n3,e,f,g\n4,h,i\n",                        # too few, too many fields
    "1,a,b\n2,c\rd,e\n3,f,g\n",                            # a bare carriage return
    "1,a,b\n2,c,d",                                        # no final line end
    '1,a,b\n2,c,"d',                                       # a quote open at the end of the file
    "",                                                    # header only
])
@pytest.mark.parametrize("header", ["id,x,y\n", '"i\nd",x,y\n'])
def test_the_fast_reader_yields_what_the_careful_reader_yields(tmp_path, body, header):
    """Independent truth: the careful reader (line bookkeeping on every record) read to the end; ``iter_csv``
    (``csv.reader`` alone while the file is clean) and the first pass must see the same records, lines and
    broken rows in the same order, clean file or not."""
    from qa.readers_csv import _careful_records, iter_csv, plan_records

    path = tmp_path / "f.csv"
    path.write_text(header + body, encoding="utf-8", newline="")
    expected_broken: list[tuple[int, str]] = []
    expected = list(_careful_records(path, 3, expected_broken))
    broken: list[tuple[int, str]] = []
    assert list(iter_csv(path, 3, broken)) == expected
    assert broken == expected_broken
    assert list(plan_records(path, 3)) == [row for _, row in expected]


_ROW = "{id},{who},{inbound},Tue Oct 31 22:10:47 +0000 2017,{text},{child},{parent}\n"


def _thread(n: int, text: str) -> str:
    """A customer post and the brand's reply (ids 2n and 2n+1)."""
    return (_ROW.format(id=2 * n, who=f"c{n}", inbound=True, text=text, child=2 * n + 1, parent="")
            + _ROW.format(id=2 * n + 1, who="Acme", inbound=False, text="@c sorry to hear that", child="",
                          parent=2 * n))


@pytest.mark.parametrize("padding", [0, 2000])  # the damaged row in the sniffed start, and far past it
def test_a_row_that_is_not_utf8_in_a_utf8_file_is_a_broken_row_and_the_rest_is_kept(tmp_path, padding):
    body = _thread(1, "my order is late 😡").encode() + b"".join(
        _thread(i, "the app crashes").encode() for i in range(2, 2 + padding))
    line = 2 * padding + 4  # the damaged customer post: header, two lines of thread 1, two per padding thread
    body += _thread(9000, "caf\u00e9 au lait").encode("latin-1") + _thread(9001, "d\u00e9j\u00e0 vu").encode()
    p = tmp_path / "x.csv"
    p.write_bytes((TWCS_HEADER + "\n").encode() + body)
    got = read_messages(p)
    assert got.broken_rows == [(line, "not UTF-8 text (byte 0xE9)")]
    ids = set(got.messages["message_id"])
    assert str(2 * 9000) not in ids and {str(2 * 9000 + 1), str(2 * 9001), str(2 * 9001 + 1)} <= ids
    assert len(ids) == 2 * (padding + 3) - 1  # every valid row of the padding + 3 threads, the damaged one lost
    assert not any("\ufffd" in t for t in got.messages["text"])  # no row kept with a byte replaced


def test_a_file_whose_only_non_ascii_text_is_not_utf8_is_refused_as_another_encoding(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes((TWCS_HEADER + "\n").encode() + _thread(1, "caf\u00e9").encode("cp1252") + _thread(2, "ok").encode())
    with pytest.raises(ConfigError, match=r"x\.csv:2: not UTF-8 text \(byte 0xE9\); save the file as UTF-8"):
        read_messages(p)


def test_jsonl_line_that_is_not_utf8_is_a_broken_row(tmp_path):
    line = ('{"message_id": "%s", "thread_id": "t", "role": "customer", "author_id": "c", '
            '"created_at": "2024-01-01T10:00:00Z", "text": "%s"}\n')
    p = tmp_path / "m.jsonl"
    p.write_bytes((line % ("1", "ol\u00e1 ✓")).encode() + (line % ("2", "caf\u00e9")).encode("latin-1")
                  + (line % ("3", "fine")).encode())
    got = read_messages(p)
    assert got.broken_rows == [(2, "not UTF-8 text (byte 0xE9)")]
    assert list(got.messages["message_id"]) == ["1", "3"]
