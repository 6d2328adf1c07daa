"""What each team has to answer, as the stationary queueing formulas see it: the forecast per interval and one
:class:`~sim.planning.erlang.QueueModel` per team.

A post's *home team* is the team the simulator offers it to first: the first team, in scenario order, that
serves its language natively, its channel and its intent's tier (else the first that serves it through
translation). A scenario without teams has one group, ``all``. Posts skipped by triage and untagged posts that
listening never finds are nobody's work and no staffing changes their fate, so they are left out of the
volume here and of the measured service level (:mod:`sim.planning.measure`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.scenario import Scenario

from .erlang import QueueModel
from .grid import WeekGrid

__all__ = ["Group", "TeamRule", "groups_of", "forecast_rates", "staff_concurrency", "offered_load", "agents_of_work"]


@dataclass(frozen=True)
class TeamRule:
    """Which team a post belongs to, from its language, channel and intent (plain data: it crosses processes)."""

    names: tuple[str, ...]
    languages: tuple[frozenset[str] | None, ...]
    channels: tuple[frozenset[str] | None, ...]
    tiers: tuple[int, ...]
    intent_tiers: dict[str, int]

    @classmethod
    def of(cls, scenario: Scenario) -> TeamRule:
        st = scenario.staffing
        teams = st.teams or []
        intents = {i.name: i.tier for i in scenario.intents or []}
        if not teams:
            return cls(("all",), (None,), (None,), (10**9,), intents)
        return cls(
            tuple(t.name for t in teams),
            tuple(None if t.languages is None else frozenset(t.languages) for t in teams),
            tuple(None if t.channels is None else frozenset(t.channels) for t in teams),
            tuple(t.tier for t in teams),
            intents,
        )

    def home(self, language: str, channel: str, intent: str) -> tuple[int, bool] | None:
        """(index of the home team, answered through translation), or None when no team serves the post."""
        tier = self.intent_tiers.get(intent, 1)
        translating = None
        for i, (langs, chans, t) in enumerate(zip(self.languages, self.channels, self.tiers)):
            if tier > t or (chans is not None and channel not in chans):
                continue
            if langs is None or language in langs:
                return i, False
            if translating is None:
                translating = i
        return None if translating is None else (translating, True)


@dataclass(frozen=True)
class Group:
    """One team's share of the forecast and the stationary model of its queue."""

    name: str
    share: float  # of the forecast volume (first posts) whose home it is
    model: QueueModel


def staff_concurrency(scenario: Scenario) -> int:
    """Conversations an agent holds at once in the rosters written for a scenario without teams: ``concurrency``
    (or, when the scenario has a roster, its shifts' most common concurrency, weighted by agents). A roster shift
    carries its own concurrency; teams set theirs per channel, so for them this is 1."""
    st = scenario.staffing
    if st.teams is not None:
        return 1
    if st.roster is None:
        return st.concurrency
    weight: dict[int, int] = {}
    for shift in st.roster:
        weight[shift.concurrency] = weight.get(shift.concurrency, 0) + shift.agents * len(shift.weekdays)
    return max(sorted(weight), key=lambda c: weight[c])


def forecast_rates(scenario: Scenario, grid: WeekGrid) -> np.ndarray:
    """Expected first posts per minute in each interval of the week, from the volume and its profiles (as the
    simulator draws them); self-excitation raises it by 1 / (1 - branching ratio)."""
    v = scenario.volume
    hourly = np.ones(24) if v.hourly_profile is None else np.asarray(v.hourly_profile, dtype=float)
    daily = np.ones(7) if v.weekly_profile is None else np.asarray(v.weekly_profile, dtype=float)
    shape = np.outer(daily, hourly).ravel()
    per_minute = np.repeat(v.mentions_per_hour / 60.0 * shape / shape.mean(), 60)
    if v.self_excitation is not None:
        per_minute = per_minute / (1.0 - v.self_excitation.branching_ratio)
    return per_minute.reshape(grid.count, grid.interval).mean(axis=1)


def _classes(scenario: Scenario):
    """(language, channel, intent, share, handle minutes) of every kind of post that reaches the team."""
    sc = scenario
    langs = [(lang.name, lang.share) for lang in sc.languages or []] or [("default", 1.0)]
    chans = [(c.name, c.share, (c.handle_minutes or sc.handling.handle_minutes).mean) for c in sc.channels or []] \
        or [("default", 1.0, sc.handling.handle_minutes.mean)]
    intents = [(i.name, i.share, i.handle_minutes) for i in sc.intents or []] or [("question", 1.0, None)]
    skipped = set(sc.policy.skip) if sc.policy.reply == "triage" else set()
    found = 1.0
    if sc.listening is not None:
        found = sc.listening.tagged_share + (1 - sc.listening.tagged_share) * sc.listening.coverage
    lt, ct, it = (sum(x[1] for x in xs) for xs in (langs, chans, intents))
    for lang, ls in langs:
        for ch, cs, ch_handle in chans:
            for intent, ish, i_handle in intents:
                if intent in skipped:
                    continue
                handle = i_handle.mean if i_handle is not None else ch_handle
                yield lang, ch, intent, found * (ls / lt) * (cs / ct) * (ish / it), handle


def groups_of(scenario: Scenario, target_minutes: float) -> list[Group]:
    """One :class:`Group` per team (``all`` without teams), in scenario order."""
    sc = scenario
    st = sc.staffing
    rule = TeamRule.of(sc)
    teams = st.teams or []
    share = [0.0] * len(rule.names)
    talk = [0.0] * len(rule.names)  # conversation minutes per post
    work = [0.0] * len(rule.names)  # agent minutes per post (a conversation takes 1/concurrency of an agent)
    for lang, ch, intent, s, handle in _classes(sc):
        home = rule.home(lang, ch, intent)
        if home is None:
            continue
        i, translated = home
        factor = 1.0
        conc = staff_concurrency(sc)
        if teams:
            team = teams[i]
            factor = (1 + st.untrained_handle_extra * (1 - team.training)) * (1 + st.translation_extra * translated)
            conc = (team.concurrency or {}).get(ch, st.concurrency)
        share[i] += s
        talk[i] += s * handle * factor
        work[i] += s * handle * factor / conc
    patience = sc.customers.patience_minutes
    groups = []
    for i, name in enumerate(rule.names):
        handle = talk[i] / share[i] if share[i] else 1.0
        conc = talk[i] / work[i] if work[i] else 1.0
        model = QueueModel(handle=handle, target=target_minutes,
                           patience=None if patience is None else patience.mean,
                           concurrency=conc, shrinkage=st.shrinkage)
        groups.append(Group(name=name, share=share[i], model=model))
    return groups


def offered_load(rate_per_minute: float, group: Group) -> float:
    """Offered load in Erlangs (conversations in progress if nobody waited) of a group at a first-post rate."""
    return rate_per_minute * group.share * group.model.handle


def agents_of_work(load: float, group: Group) -> float:
    """The same load in agents' worth of work (concurrency and shrinkage taken out)."""
    m = group.model
    return load / max(1e-12, m.concurrency * (1 - m.shrinkage)) if math.isfinite(load) else load
