"""The care model's measures: counters, hourly extras, first-response percentiles, breakdowns, weeks, fairness.

Everything is a running sum over the measured window (nothing grows with the number of posts; the hourly
columns grow by a few numbers an hour). The parts report what happens through the methods here; the engine's
own totals (arrivals, answers, abandonments, waits) stay in :class:`sim.metrics.WindowTotals`.
:class:`FairnessTally` is present only with follower counts, :class:`WeekLedger` closes each week (and tells
migration). :func:`care_results` turns them into the summary's care columns and the breakdown tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from .entities import FIRST
from .metrics import HOUR, LogHistogram, WindowTotals
from .ports import Scheduler
from .scenario import Followers, Phone, Scenario

__all__ = ["CARE_COUNTERS", "HOURLY_EXTRA", "CareTallies", "FairnessTally", "WeekLedger", "care_results"]

CARE_COUNTERS = [
    "first_posts", "repeats", "escalations", "extra_posts", "triggered", "skipped", "unseen", "handled",
    "answered_by_fix", "fix_posts", "translated", "resolutions", "deflections", "dm_moves", "field_cases",
    "phone_contacts", "phone_switches", "dual_contacts", "worked_twice", "comp_within", "comp_beyond",
    "precedents_public", "precedents_private",
]
HOURLY_EXTRA = ["handled", "skipped", "repeats", "escalations", "phone_contacts", "compensation"]
_KIND_COUNTERS = (None, "repeats", "escalations", "extra_posts")  # by post kind
WEEK = 7 * 1440.0


def _week() -> dict:
    return {"social": 0, "phone": 0, "wait": 0.0, "answered": 0, "comp": 0, "resolutions": 0, "audience": 0.0}


class CareTallies:
    """Running sums of the care model (see the module doc). Methods named after what happened; those given a
    post are called for measured posts only."""

    def __init__(self, t_end: float, n_hours: int, n_intents: int, n_channels: int, problem: list[bool]) -> None:
        self.t_end = t_end
        self.counts = {k: 0 for k in CARE_COUNTERS}
        self.hourly = {k: [0] * n_hours for k in HOURLY_EXTRA}
        self.comp_amount = 0.0
        self.precedent_audience = 0.0
        self.handle_minutes = 0.0
        self.base_phone_contacts = 0.0
        self.frt = LogHistogram()
        self.posts = [[0] * n_channels for _ in range(n_intents)]
        self.answered_posts = [[0] * n_channels for _ in range(n_intents)]
        self.week = _week()
        self._problem = problem

    def count(self, name: str, t: float, n: int = 1) -> None:
        """Add ``n`` to a counter when ``t`` is in the measured window (and to its hour, if hourly)."""
        if 0.0 <= t < self.t_end:
            self.counts[name] += n
            hx = self.hourly.get(name)
            if hx is not None:
                hx[int(t // HOUR)] += n
            if name == "phone_contacts":
                self.week["phone"] += n

    def opened(self, case, triggered: bool) -> None:
        self.counts["first_posts"] += 1
        self.week["social"] += 1
        if triggered:
            self.counts["triggered"] += 1

    def posted(self, m) -> None:
        case = m.case
        self.posts[case.intent][case.channel] += 1
        if m.kind != FIRST:
            name = _KIND_COUNTERS[m.kind]
            self.counts[name] += 1
            hx = self.hourly.get(name)
            if hx is not None:
                hx[int(m.posted // HOUR)] += 1

    def answered(self, m, wait: float) -> None:
        case = m.case
        self.frt.add(wait)
        self.answered_posts[case.intent][case.channel] += 1
        self.week["wait"] += wait
        self.week["answered"] += 1

    def unseen(self, m) -> None:
        self.counts["unseen"] += 1

    def skipped(self, m, t: float) -> None:
        self.counts["skipped"] += 1
        if t < self.t_end:
            self.hourly["skipped"][int(t // HOUR)] += 1

    def resolved(self, t: float) -> None:
        self.count("resolutions", t)
        if 0 <= t < self.t_end:
            self.week["resolutions"] += 1

    def replied(self, m, t: float, team, translated, resolution, concession, handle: float) -> None:
        if 0 <= t < self.t_end:
            self.counts["handled"] += 1
            self.hourly["handled"][int(t // HOUR)] += 1
            self.handle_minutes += handle

    def fix_published(self, t: float, minutes: float) -> None:
        self.count("fix_posts", t)
        if 0 <= t < self.t_end:
            self.handle_minutes += minutes

    def fixed(self, m, t: float) -> None:
        self.count("answered_by_fix", t)
        if self._problem[m.case.intent]:
            self.count("resolutions", t)

    def conceded(self, case, t: float, kind: str, amount: float, public: bool) -> None:
        self.count("comp_" + kind, t)
        self.comp_amount += amount
        self.hourly["compensation"][int(t // HOUR)] += 1
        self.week["comp"] += 1
        if kind == "beyond":
            if public:
                self.count("precedents_public", t)
                self.precedent_audience += case.followers
                self.week["audience"] += case.followers
            else:
                self.count("precedents_private", t)


class FairnessTally:
    """Posts, first responses and concessions by follower decile (lesson 10: treat everyone fairly)."""

    def __init__(self, spec: Followers) -> None:
        self.minimum = spec.minimum
        self.edges = [spec.quantile(q / 10) for q in range(1, 10)]
        self.posts_by = [0] * 10
        self.answered_by = [0] * 10
        self.wait_by = [0.0] * 10
        self.comp_by = [0] * 10
        self.beyond_by = [0] * 10
        self.amount_by = [0.0] * 10

    def posted(self, m) -> None:
        self.posts_by[m.case.decile] += 1

    def answered(self, m, wait: float) -> None:
        d = m.case.decile
        self.answered_by[d] += 1
        self.wait_by[d] += wait

    def conceded(self, case, t: float, kind: str, amount: float, public: bool) -> None:
        d = case.decile
        self.comp_by[d] += 1
        self.amount_by[d] += amount
        if kind == "beyond":
            self.beyond_by[d] += 1

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({
            "decile": range(1, 11),
            "followers_from": [self.minimum] + self.edges,
            "posts": self.posts_by, "answered": self.answered_by,
            "mean_first_response_minutes": [w / a if a else math.nan for w, a in zip(self.wait_by, self.answered_by)],
            "compensated": self.comp_by, "beyond_policy": self.beyond_by, "compensation_amount": self.amount_by,
        })


class WeekLedger:
    """Closes each week of the window: social and phone contacts, first response, generosity, precedents.

    Phone demand follows social's share (``share``: :class:`sim.volume.SocialShare`): all contacts stay, so
    social's gain is phone's loss. ``on_week(row)`` (migration, when present) hears of each closed week.
    """

    def __init__(self, clock: Scheduler, tallies: CareTallies, share, phone: Phone | None, t_end: float,
                 on_week: Callable[[dict], None] | None) -> None:
        self._clock = clock
        self._tallies = tallies
        self._share = share
        self._phone = phone
        self._t_end = t_end
        self._on_week = on_week
        self.rows: list[dict] = []

    def start(self) -> None:
        self._clock.schedule(min(WEEK, self._t_end) - self._clock.now, self._close, 0)

    def _close(self, w: int) -> None:
        t = self._clock.now
        ph, share, acc = self._phone, self._share, self._tallies.week
        base_phone = 0.0
        if ph is not None and share.start < 1:
            base_phone = ph.contacts_per_hour * (min(t, self._t_end) - w * WEEK) / 60.0 * \
                (1 - share.now) / (1 - share.start)
            self._tallies.base_phone_contacts += base_phone
        phone = acc["phone"] + base_phone
        social = acc["social"]
        row = {"week": w, "social_contacts": social, "phone_contacts": phone,
               "social_share": social / (social + phone) if social + phone else math.nan,
               "mean_first_response_minutes": acc["wait"] / acc["answered"] if acc["answered"] else math.nan,
               "compensation_per_resolution": acc["comp"] / acc["resolutions"] if acc["resolutions"] else 0.0,
               "precedent_audience": acc["audience"], "migration_factor": share.factor}
        self.rows.append(row)
        if self._on_week is not None:  # once a week, not per event
            self._on_week(row)
        self._tallies.week = _week()
        if (w + 1) * WEEK < self._t_end - 1e-9:
            self._clock.schedule(min((w + 2) * WEEK, self._t_end) - t, self._close, w + 1)


def care_results(sc: Scenario, tallies: CareTallies, fairness: FairnessTally | None, weeks: list[dict],
                 totals: WindowTotals, agent_minutes: list[float], hours: pd.DataFrame,
                 intent_names: list[str], channel_names: list[str]) -> tuple[dict, dict]:
    """The care columns of the summary and the tables (``breakdown``, ``weeks``, ``fairness``); adds the
    hourly care columns to ``hours``. Column order is the summary's (README, Scenario reference)."""
    n = dict(tallies.counts)
    agent_hours = float(sum(agent_minutes)) / 60.0
    care = {
        "open_at_end": totals.arrivals - totals.answered - totals.abandoned - n["skipped"] - n["unseen"],
        **{k: n[k] for k in CARE_COUNTERS},
        "response_rate": totals.answered / totals.arrivals if totals.arrivals else math.nan,
        "frt_p50_minutes": tallies.frt.quantile(0.5),
        "frt_p90_minutes": tallies.frt.quantile(0.9),
        "frt_p99_minutes": tallies.frt.quantile(0.99),
        "compensation_amount": tallies.comp_amount,
        "precedent_audience": tallies.precedent_audience,
        "agent_hours": agent_hours,
        "phone_contacts_total": n["phone_contacts"] + tallies.base_phone_contacts,
    }
    if sc.costs is not None:
        c = sc.costs
        cost = agent_hours * c.agent_hour + n["phone_contacts"] * c.phone_contact + \
            n["field_cases"] * c.field_case + tallies.comp_amount
        care["cost_total"] = cost
        care["cost_per_resolution"] = cost / n["resolutions"] if n["resolutions"] else math.nan
    weeks_table = pd.DataFrame(weeks)
    if len(weeks_table):
        care["social_share_first_week"] = float(weeks_table["social_share"].iloc[0])
        care["social_share_last_week"] = float(weeks_table["social_share"].iloc[-1])
    tables = {"breakdown": _breakdown(tallies, intent_names, channel_names), "weeks": weeks_table}
    if fairness is not None:
        table = tables["fairness"] = fairness.table()
        rest_w, rest_a = sum(fairness.wait_by[:9]), sum(fairness.answered_by[:9])
        care["frt_top_decile_minutes"] = float(table.iloc[9]["mean_first_response_minutes"])
        care["frt_other_deciles_minutes"] = rest_w / rest_a if rest_a else math.nan
    for col, values in tallies.hourly.items():
        hours[col] = pd.Series(values).to_numpy()
    monday = hours[hours["hour"] % 168 == 7]  # the hour ending Monday 08:00
    care["monday_8am_backlog"] = float(monday["backlog"].mean()) if len(monday) else math.nan
    care["max_oldest_open_hours"] = float(hours["oldest_open_minutes"].max()) / 60.0
    care["handle_minutes"] = tallies.handle_minutes
    care["handle_minutes_per_reply"] = tallies.handle_minutes / n["handled"] if n["handled"] else math.nan
    return care, tables


def _breakdown(tallies: CareTallies, intent_names: list[str], channel_names: list[str]) -> pd.DataFrame:
    rows = []
    for i, name in enumerate(intent_names):
        for j, ch in enumerate(channel_names):
            a, b = tallies.posts[i][j], tallies.answered_posts[i][j]
            rows.append({"intent": name, "channel": ch, "posts": a, "answered": b,
                         "response_rate": b / a if a else math.nan})
    return pd.DataFrame(rows)
