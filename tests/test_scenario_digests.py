"""Same seed, same results, byte for byte: every scenario file against digests recorded before a refactor.

``data/scenario_digests.json`` holds, per scenario file, SHA-256 digests of what a run produces: each
replication's summary row, the hourly table and the care model's breakdown tables. They were recorded on the
code *before* the engine was split into parts (issue 13) and must not be re-recorded to make a change pass:
a change of results is a change of the model, and needs its own reason.

Two kinds of runs:
- *short*: every scenario file with its horizon shortened by overrides (still spanning a week tick, the
  incidents and the migration restart), plus variants of ``care-operation`` that switch on every behaviour a
  scenario can name (each queue order, each impatience behaviour, each resolution, both compensation rules,
  ``excite: all``, a roster instead of teams). These also digest the per-mention outcomes and the reply log as
  written in the QA schema. Fast; always run.
- *full*: every scenario file exactly as written (horizon, replications). Slow.

Values are serialised with ``repr`` (shortest round-trip form of a float), so a difference in the last bit shows.
Once re-recorded (2026-12-07, five runs, one field each): follower counts were drawn with numpy's vectorised
power, which differs in the last bit on CPUs with AVX-512, so the weekly precedent audience (and one summary's)
differed by one unit in the last place between machines; the draws now use the C library's pow per draw
(``sim.intake.follower_draws``), and only those five runs' ``tables`` (and that one ``summary``) were re-recorded,
each checked to differ from the old digest by exactly that one-ulp value.
Record (only on a commit whose results are the reference): ``python tests/test_scenario_digests.py --record``.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
DIGESTS = Path(__file__).parent / "data" / "scenario_digests.json"

SHORT = ["horizon_days=8", "warmup_days=0.5", "replications=2", "max_drain_days=1"]
# variants of care-operation (short) naming every behaviour the scenario model offers
VARIANTS = {
    "order-fifo": ["policy.order=fifo"],
    "order-longest_wait": ["policy.order=longest_wait"],
    "order-influence": ["policy.order=influence"],
    "impatience-withdraw": ["customers.on_impatience=withdraw"],
    "impatience-repeat": ["customers.on_impatience=repeat"],
    "impatience-escalate": ["customers.on_impatience=escalate"],
    "impatience-phone": ["customers.on_impatience=phone"],
    "resolution-in_thread": ["policy.resolution={in_thread: 1}"],
    "resolution-dm": ["policy.resolution={dm: 1}"],
    "resolution-phone": ["policy.resolution={phone: 1}"],
    "resolution-escalate": ["policy.resolution={escalate: 1}"],
    "compensation-by_the_book": ["policy.compensation.rule=by_the_book"],
    "excite-all": ["volume.self_excitation.excite=all"],
    "reply-all": ["policy.reply=all", "policy.integrated_channels=true"],
    "roster-no-teams": ["staffing.teams=null", "staffing.concurrency=2", "staffing.roster=[{name: day, weekdays: "
                        "[mon, tue, wed, thu, fri, sat, sun], start: '07:00', end: '23:00', agents: 5}]"],
    "no-followers-no-listening": ["customers.followers=null", "listening=null", "costs=null"],
}


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _frame_text(df) -> str:
    """Columns in order, each value's ``repr`` (independent of pandas' CSV float formatting)."""
    if df is None:
        return "None"
    return json.dumps({c: [repr(v) for v in df[c].tolist()] for c in df.columns})


def digest_run(sc, with_streams: bool) -> dict:
    """Digests of one scenario's run: per replication summary, hours, tables (and outcomes, reply log)."""
    from sim.replylog import ReplyLogWriter
    from sim.results import run

    outcomes = io.StringIO()
    log = io.StringIO()
    kw = {}
    if with_streams:
        def on_outcome(rep, o):
            outcomes.write(repr((rep, o.id, o.channel, o.arrival_minute, o.wait_minutes, o.answered,
                                 o.handle_minutes)) + "\n")

        kw = {"on_outcome": on_outcome, "on_message": ReplyLogWriter(log)}
    result = run(sc, **kw)
    summary = result.summary
    out = {
        "summary": [_h(json.dumps([repr(v) for v in row])) for row in summary.itertuples(index=False)],
        "columns": _h(json.dumps(list(summary.columns))),
        "hours": _h(_frame_text(result.hours)),
        "tables": _h(json.dumps({n: _frame_text(result.table(n)) for n in ("breakdown", "weeks", "fairness")})),
    }
    if with_streams:
        out["outcomes"] = _h(outcomes.getvalue())
        out["reply_log"] = _h(log.getvalue())
    return out


def cases() -> list[tuple[str, str, list[str]]]:
    """(kind, key, overrides) of every digested run."""
    files = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    out = [("full", f, []) for f in files]
    out += [("short", f, SHORT) for f in files]
    out += [("short", f"care-operation+{v}", SHORT + sets) for v, sets in VARIANTS.items()]
    return out


def compute(kind: str, key: str, overrides: list[str]) -> dict:
    from sim.loader import load_scenario

    sc = load_scenario(SCENARIOS / f"{key.split('+')[0]}.yaml", overrides)
    return digest_run(sc, with_streams=kind == "short")


RECORDED = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}


def _check(kind, key, overrides):
    expected = RECORDED[f"{kind}:{key}"]
    got = compute(kind, key, overrides)
    diffs = [k for k in expected if expected[k] != got.get(k)]
    assert not diffs, f"{kind}:{key}: results changed in {diffs}"


@pytest.mark.parametrize("kind,key,overrides", [c for c in cases() if c[0] == "short"], ids=lambda x: str(x))
def test_short_run_is_byte_for_byte_as_recorded(kind, key, overrides):
    _check(kind, key, overrides)


@pytest.mark.slow
@pytest.mark.parametrize("kind,key,overrides", [c for c in cases() if c[0] == "full"], ids=lambda x: str(x))
def test_full_run_is_byte_for_byte_as_recorded(kind, key, overrides):
    _check(kind, key, overrides)


def test_every_scenario_file_has_recorded_digests():
    recorded = {k.split(":", 1)[1] for k in RECORDED}
    assert {p.stem for p in SCENARIOS.glob("*.yaml")} <= recorded


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/test_scenario_digests.py --record")
    sys.path.insert(0, str(ROOT))
    data = {f"{kind}:{key}": compute(kind, key, sets) for kind, key, sets in cases()}
    DIGESTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(data)} runs in {DIGESTS}")
