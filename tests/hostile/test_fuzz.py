"""Hypothesis strategies for hostile scenarios, rulebooks, reply files and raw bytes, against the contract.

A scenario or rulebook is a valid file with a few values replaced by hostile ones (infinities, NaN, huge and
negative numbers, wrong types, long or control-character text, deep lists) or its text damaged (a line repeated,
cut short, re-encoded). The loaders must either accept it or raise ``ConfigError`` whose every line names the file
and is printable; whatever they accept must run (a simulation within a small work budget, a scoring of a few
threads) without an exception, under an alarm. Reply files are built row by row from valid and broken rows whose
line numbers are known, so the reader is checked against the truth: every valid row kept as written, every
broken row reported once at its line.
"""

from __future__ import annotations

import csv
import io
import math
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.loader import ConfigError, load_scenario, load_yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
# CAREBENCH_FUZZ_EXAMPLES=2000 (and --hypothesis-seed=N) hunts longer by hand; CI runs the fixed, derandomized few
EXAMPLES = int(os.environ.get("CAREBENCH_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@contextmanager
def alarm(seconds: float):
    """Fail (rather than hang) when the body runs longer than ``seconds``."""
    def ring(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_one_line_per_problem(exc: ConfigError, path: Path) -> None:
    lines = str(exc).splitlines()
    assert lines, "an empty message"
    for line in lines:
        assert line.startswith(str(path)), line
        assert line.isprintable(), repr(line)
        assert len(line) < 3000, len(line)


# ----------------------------------------------------------------------------------------------- strategies

HOSTILE_NUMBERS = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1e308, 5e-324, 0, 0.0, -1, -0.5, 2**63, 2**64,
                     10**30, 1e-300, 3660.0001, 1_000_001]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-2**70, max_value=2**70),
)
HOSTILE_OTHER = st.one_of(
    st.sampled_from(["", "\x1b[2J", "x" * 3000, "..", "../../x", "\u202e", None, True, [], {}, [[[[1]]]],
                     {"dist": "exponential", "mean": math.inf}, {"dist": "gamma", "mean": 1, "shape": 1e-300}]),
    st.text(max_size=12), st.lists(HOSTILE_NUMBERS, max_size=30),
)
HOSTILE = st.one_of(HOSTILE_NUMBERS, HOSTILE_OTHER)
# legal but odd values (zeros, the bounds, tiny and huge rates): what the loader accepts must still run
EDGE = st.sampled_from([0, 0.0, 1e-6, 1e-3, 0.5, 0.999999, 1, 2, 7, 60, 1000, 3660, 10_000, 100_000, 1_000_000])
VALUE = st.one_of(EDGE, EDGE, HOSTILE)


def leaf_paths(data, prefix=()) -> list[tuple]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += leaf_paths(v, (*prefix, k)) or [(*prefix, k)]
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += leaf_paths(v, (*prefix, i)) or [(*prefix, i)]
    return out


def set_path(data, path, value):
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def mutate(base: dict, paths: list[tuple]):
    """A copy of ``base`` with up to four values replaced by odd or hostile ones (half the time only odd ones,
    so that what the loader accepts is exercised too)."""
    return st.one_of(*(st.lists(st.tuples(st.sampled_from(paths), values), min_size=1, max_size=4).map(
        lambda edits: _apply(base, edits)) for values in (EDGE, VALUE)))


def _apply(base, edits):
    import copy

    data = copy.deepcopy(base)
    for path, value in edits:
        try:
            set_path(data, path, value)
        except (KeyError, IndexError, TypeError):  # an earlier edit replaced a parent: skip
            pass
    return data


def damage_text(text: str):
    """The YAML text as is, or with a line repeated (a duplicate key), cut short, or re-encoded."""
    lines = text.splitlines(keepends=True)
    return st.one_of(
        st.just(text.encode("utf-8")), st.just(text.encode("utf-8")), st.just(text.encode("utf-8")),
        st.integers(0, len(lines) - 1).map(lambda i: "".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]).encode()),
        st.integers(0, len(text)).map(lambda i: text[:i].encode()),
        st.sampled_from(["utf-16", "utf-32", "latin-1"]).map(lambda enc: text.encode(enc, errors="replace")),
        st.binary(max_size=64).map(lambda b: text.encode() + b),
    )


# the valid small scenario, with the care model's sections switched on so that their numbers are fuzzed too
SCENARIO = yaml.safe_load((CORPUS / "scenarios" / "valid_small.yaml").read_text())
SCENARIO["volume"].update(hourly_profile=[1.0] * 24, weekly_profile=[1.0] * 7,
                          self_excitation={"branching_ratio": 0.3, "memory_minutes": 30},
                          incidents=[{"name": "i", "start_day": 0.1, "jump_per_hour": 20, "decay_minutes": 60}])
SCENARIO["customers"].update(on_impatience={"withdraw": 1, "repeat": 1, "escalate": 1}, max_repeats=2,
                             extra_posts_mean=0.2, followers={"minimum": 20, "alpha": 1.1})
SCENARIO["channels"] = [{"name": "public_post", "share": 0.5},
                        {"name": "private_message", "share": 0.5,
                         "handle_minutes": {"dist": "lognormal", "mean": 5, "sd": 3}}]
SCENARIO["policy"] = {"resolution": {"in_thread": 1, "phone": 1}, "compensation": {"within_rate": 0.2}}
SCENARIO_PATHS = leaf_paths(SCENARIO)


def scenario_files():
    data = st.one_of(mutate(SCENARIO, SCENARIO_PATHS), st.just(SCENARIO))
    return data.flatmap(lambda d: damage_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=False)))


# ---------------------------------------------------------------------------------------------------- tests


@pytest.mark.slow
@FUZZ
@given(raw=scenario_files())
def test_hostile_scenarios_are_refused_in_one_line_or_run(tmp_path, raw):
    from sim.budget import estimate_work, refusal
    from sim.results import run

    path = tmp_path / "s.yaml"
    path.write_bytes(raw)
    with alarm(20):
        try:
            sc = load_scenario(path)
        except ConfigError as exc:
            assert_one_line_per_problem(exc, path)
            event("refused by the loader")
            return
        reps = min(sc.replications, 2)
        why = refusal(estimate_work(sc, reps), max_mentions=20_000)
        if why:
            assert "\n" not in why and why.isprintable()
            event("refused by the work budget")
            return
        event("simulated")
        result = run(sc, reps=reps, seed=sc.seed)
    summary = result.summary
    assert len(summary) == reps
    assert (summary["answered"] + summary["abandoned"] <= summary["arrivals"]).all()
    assert summary["arrivals"].map(math.isfinite).all()


RULEBOOK = yaml.safe_load((Path(__file__).resolve().parents[2] / "qa" / "policies" / "default.yaml").read_text())
RULEBOOK_PATHS = leaf_paths(RULEBOOK)


@pytest.fixture(scope="module")
def few_threads():
    from qa.generator import generate

    return generate(12, seed=4).messages


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 2, 20))  # each accepted rulebook scores a dozen threads (~1 s)
@given(raw=st.one_of(mutate(RULEBOOK, RULEBOOK_PATHS), st.just(RULEBOOK)).flatmap(
    lambda d: damage_text(yaml.safe_dump(d, sort_keys=False))))
def test_hostile_rulebooks_are_refused_in_one_line_or_score(tmp_path, few_threads, raw):
    from qa.pipeline import score_messages
    from qa.rulebook import load_rulebook

    path = tmp_path / "policy.yaml"
    path.write_bytes(raw)
    with alarm(30):
        try:
            book = load_rulebook(path)
        except ConfigError as exc:
            assert_one_line_per_problem(exc, path)
            event("refused by the loader")
            return
        event("scored")
        result = score_messages(few_threads, book)
    scores = result.scores["score"]
    assert scores.between(0, 100).all(), scores.tolist()


# ------------------------------------------------------------------------------------------ reply files

TWCS_HEADER = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
               "in_response_to_tweet_id"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
BROKEN_KINDS = ("unbalanced_quote", "bad_id", "bad_date", "extra_field", "bare_cr")


def _row_text(kind: str, text: str) -> str:
    # the broken rows are single lines; their text has no quote or line end of its own
    return "".join(ch for ch in text if ch not in '"\r\n,') or "x"


def reply_rows():
    valid = st.tuples(st.just("valid"), TEXT)
    broken = st.tuples(st.sampled_from(BROKEN_KINDS), TEXT)
    return st.lists(st.one_of(valid, valid, broken), max_size=25).map(_no_adjacent_quotes)


def _no_adjacent_quotes(rows):
    """Two unbalanced quotes with only broken rows between them pair up into one legal quoted field (CSV cannot
    tell them from a text with a line break), so after an unbalanced quote the next row is a valid one."""
    out = []
    for kind, text in rows:
        if out and out[-1][0] == "unbalanced_quote" and kind != "valid":
            out.append(("valid", "between"))
        out.append((kind, text))
    if out and out[-1][0] == "unbalanced_quote":
        out.append(("valid", "last"))
    return out


def build_twcs(rows) -> tuple[str, dict[str, str], list[int]]:
    """(file text, valid tweet id -> text, line numbers of the broken rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)  # a lone \r is quoted too
    w.writerow(TWCS_HEADER)
    valid, broken = {}, []
    line = 2
    date = "Tue Oct 31 22:10:47 +0000 2017"
    for i, (kind, text) in enumerate(rows):
        tid = str(1000 + i)
        if kind == "valid":
            start = buf.tell()
            w.writerow([tid, "cust", "True", date, text, "", ""])
            valid[tid] = text
            line += buf.getvalue()[start:].count("\n")
            continue
        t = _row_text(kind, text)
        fields = [tid, "cust", "True", date, t, "", ""]
        if kind == "unbalanced_quote":
            fields[4] = '"' + t
        elif kind == "bad_id":
            fields[0] = tid + "x"
        elif kind == "bad_date":
            fields[3] = "not a date"
        elif kind == "extra_field":
            fields.append("surplus")
        elif kind == "bare_cr":
            fields[4] = t + "\r" + t
        buf.write(",".join(fields) + "\n")
        broken.append(line)
        line += 1
    return buf.getvalue(), valid, broken


@pytest.mark.slow
@settings(max_examples=EXAMPLES + 50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=reply_rows())
def test_reader_keeps_every_valid_row_and_reports_each_broken_row_once(tmp_path, rows):
    from qa.readers import read_messages

    text, valid, broken_lines = build_twcs(rows)
    path = tmp_path / "replies.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with alarm(20):
        result = read_messages(path)
    got = dict(zip(result.messages["message_id"], result.messages["text"]))
    assert got == valid
    assert [line for line, _ in result.broken_rows] == broken_lines, result.broken_rows


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(raw=st.one_of(st.binary(max_size=400), TEXT.map(str.encode),
                     st.recursive(st.integers() | st.floats() | st.text(max_size=5),
                                  lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c,
                                                                                      max_size=3),
                                  max_leaves=40).map(lambda d: yaml.safe_dump(d).encode())))
def test_any_bytes_load_or_refuse_in_one_line(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("raw") / "x.yaml"
    path.write_bytes(raw)
    with alarm(10):
        try:
            load_yaml(path)
        except ConfigError as exc:
            assert_one_line_per_problem(exc, path)


@given(text=st.text(max_size=500))
def test_printable_text_is_printable_bounded_and_safe_names_stay_put(text):
    from carebench_shared.safe_text import printable, safe_file_name

    shown = printable(text, 100)
    assert shown.isprintable() and len(shown) <= 100
    name = safe_file_name(text)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert (Path("/runs") / name).resolve().parent == Path("/runs")
