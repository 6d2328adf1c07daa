"""A stand-in for ``qa.api`` with the agreed contract, used only while the real QA module is not installed.

Keyword checks on the app's sample files: enough to exercise every page, never a QA model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd

_RULES = {
    "deflection": r"call our support line at [\d-]+",
    "dm_request": r"send us a DM",
    "pii_exposed": r"[\w.]+@example\.com|\d+ Oak Street",
    "compensation": r"full refund plus 50% off",
    "not_our_team": r"we're just the social team",
}


class QAInputError(Exception):
    """Raised for a file that cannot be read."""


@dataclass
class QAResult:
    scores: pd.DataFrame
    messages: pd.DataFrame
    broken_rows: list = field(default_factory=list)
    consistency: pd.DataFrame = field(default_factory=pd.DataFrame)
    aggregates: dict = field(default_factory=dict)


def load_policy(path=None):
    return {"name": "fake"}


def score_file(path, policy_path=None, progress=None) -> QAResult:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise QAInputError(f"{path}: cannot read: {exc}") from None
    when = pd.to_datetime(raw["created_at"], utc=True, errors="coerce")
    bad = when.isna()
    broken = [(int(i) + 2, "created_at is not a date") for i in raw.index[bad]]
    msgs = raw[~bad].assign(created_at=when[~bad])
    brand = msgs[msgs["role"] == "brand"]
    rows = []
    total = len(brand)
    for k, m in enumerate(brand.itertuples()):
        ev, verdicts = {}, {}
        for check, rx in _RULES.items():
            hit = re.search(rx, m.text, re.I)
            verdicts[check] = bool(hit)
            if hit:
                ev[check] = [hit.group(0)]
        verdicts["language_mismatch"] = False if len(m.text) > 30 else None
        score = 100 - 30 * sum(bool(v) for c, v in verdicts.items() if c != "dm_request")
        rows.append({"reply_id": m.message_id, "thread_id": m.thread_id, "score": float(max(score, 0)),
                     **verdicts, "customer_language": "en", "reply_language": "en",
                     "precedent_risk": 0.8 if verdicts["compensation"] else 0.0,
                     "departure": 1.0 if verdicts["compensation"] else 0.0,
                     "flags": ";".join(sorted(c for c, v in verdicts.items() if v)),
                     "evidence": " | ".join(f'{c}: "{t}"' for c, ts in ev.items() for t in ts),
                     "agent_id": m.agent_id, "brand": m.brand, "channel": m.channel, "created_at": m.created_at,
                     "auto_fail": score < 50, "latency_minutes": 30.0})
        if progress and (k % 1000 == 0 or k == total - 1):
            progress(k + 1, total)
    scores = pd.DataFrame(rows)
    aggregates = {col: scores.groupby(col, as_index=False)["score"].mean().rename(columns={"score": "mean_score"})
                  for col in ("agent_id", "channel", "brand")}
    return QAResult(scores, msgs.reset_index(drop=True), broken, pd.DataFrame(), aggregates)


def as_module() -> ModuleType:
    mod = ModuleType("qa.api")
    mod.__carebench_fake__ = True
    for name in ("QAResult", "QAInputError", "load_policy", "score_file"):
        setattr(mod, name, globals()[name])
    return mod
