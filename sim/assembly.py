"""Which parts a scenario names, and how they are wired together (with the engine, layer 4).

A scenario that asks for nothing beyond the queueing core (every field outside :data:`CORE_FIELDS` at its
default) runs the core's parts: Poisson volume, plain mentions, withdrawing customers, one pool of agents.
Anything else runs the care model's parts, each built only when its section of the scenario is there: a field
the core does not read can therefore never be silently ignored, and a feature that is off is a part that is
absent, not a flag tested per event. The care parts with every feature off reproduce the core mention by mention
(``tests/test_care_properties.py``), so the core's validation against Erlang C/A carries over.

Posts trigger posts (self-excitation, escalations, repeats), so a few parts are given the intake's ``new_case``
or ``post`` after it exists; each such attribute says so where it is declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .arrivals import PoissonArrivals, weekly_rates
from .customers import CaseCustomers, ExtraPosts, PileOn, Withdrawing
from .intake import ALWAYS_TAGGED, NO_FOLLOWERS, CaseIntake, Listening, PlainIntake, follower_draws
from .messages import MessageLog
from .metrics import Levels
from .policies import Concessions, PublicFix, Responder, Triage
from .ports import Desk, Starter, fan_out
from .queues import make_discipline
from .routing import SinglePool, TeamDesk
from .scenario import Intent, Scenario
from .staffing import StaffingPlan, make_teams
from .tallies import CareTallies, FairnessTally, WeekLedger, care_results
from .volume import Incidents, MigrationShift, OrganicVolume, SelfExcitationStep, SocialShare

__all__ = ["Parts", "assemble", "needs_care_parts", "CORE_FIELDS"]

# What the queueing core's parts read (None: the whole field; a dict: these of its fields).
CORE_FIELDS: dict[str, Any] = {
    "name": None, "seed": None, "horizon_days": None, "warmup_days": None, "replications": None,
    "max_drain_days": None, "handling": None, "channels": None, "sla": None,
    "volume": {"mentions_per_hour": None, "hourly_profile": None, "weekly_profile": None},
    "customers": {"patience_minutes": None},
    "staffing": {"agents": None, "roster": None, "concurrency": None},
}


@dataclass
class Parts:
    """The parts of one replication the engine drives directly."""

    levels: Levels
    desk: Desk
    starters: list[Starter]  # in the order their first events are scheduled (it decides ties)
    finish: Callable | None = None  # adds the care measures to the replication's result


def _beyond(model: BaseModel, core: dict) -> bool:
    """Whether any field of ``model`` outside ``core`` differs from its default."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if name in core:
            if core[name] is not None and _beyond(value, core[name]):
                return True
        elif value != field.get_default(call_default_factory=True):
            return True
    return False


def needs_care_parts(sc: Scenario) -> bool:
    """True when the scenario asks for anything the queueing core's parts do not implement."""
    return _beyond(sc, CORE_FIELDS)


def assemble(engine, on_message: Callable | None, care_parts: bool | None) -> Parts:
    """The parts of ``engine``'s scenario (see the module doc); the reply log needs the care parts."""
    if care_parts is None:
        care_parts = on_message is not None or needs_care_parts(engine.scenario)
    return _care(engine, on_message) if care_parts else _core(engine)


def _core(engine) -> Parts:
    sc, clock = engine.scenario, engine.clock
    levels = Levels(clock.now)
    queue = make_discipline(sc.policy.order)
    customers = Withdrawing(clock, engine, queue)
    desk = SinglePool(clock, engine, engine.totals, levels, StaffingPlan(sc.staffing), queue, customers.on_wait)
    intake = PlainIntake(sc, engine.streams, engine, desk.take)
    organic = OrganicVolume(clock, _organic_times(engine, _rates(sc)), engine.t_stop, intake.arrive)
    return Parts(levels, desk, [desk, organic])


def _rates(sc: Scenario):
    v = sc.volume
    return weekly_rates(v.mentions_per_hour, v.hourly_profile, v.weekly_profile)


def _organic_times(engine, rates):
    return PoissonArrivals(rates, engine.streams.rng("arrivals")).times(engine.clock.now)


@dataclass
class _Observers:
    """The care tallies and the optional observers (fairness by decile, the reply log)."""

    tallies: CareTallies
    fairness: FairnessTally | None
    log: MessageLog | None


def _care(engine, on_message) -> Parts:
    sc, clock, streams = engine.scenario, engine.clock, engine.streams
    intents = sc.intents or [Intent(name="question", share=1.0)]
    incidents = sc.volume.incidents or []
    private = [name in ("private_message", "dm") for name in engine.channel_names]
    problem = [i.problem for i in intents]
    obs = _observers(engine, on_message, intents, incidents, private, problem)
    tallies, fairness, log = obs.tallies, obs.fairness, obs.log
    levels = Levels(clock.now)
    customers = CaseCustomers(sc.customers, sc.policy, streams, clock, engine, tallies.count)

    on_answer = fan_out(tallies.answered, fairness and fairness.answered_post)

    def answer(m, t, first_response=engine.first_response):
        """A first response: the engine's books, then the care tallies."""
        wait = first_response(m, t)
        if wait is not None:
            on_answer(m, wait)

    concessions = None
    if sc.policy.compensation is not None:
        concessions = Concessions(sc, streams, levels, private, engine.t_end,
                                  fan_out(tallies.conceded, fairness and fairness.conceded))
    responder = Responder(sc, streams, tallies, customers, problem, concessions,
                          fan_out(tallies.replied, log and log.replied), tallies.resolved)
    teams, unit = make_teams(sc.staffing, engine.channel_names)
    desk = TeamDesk(clock, engine, engine.totals, levels, teams, unit, sc.policy.order, [i.tier for i in intents],
                    answer, responder.respond, customers.on_wait)
    if concessions is not None:
        concessions.waiting = lambda: desk.size
    enter, steps, listening, fix = _way_in(engine, desk, customers, obs, incidents, intents, answer)
    followers = sc.customers.followers
    intake = CaseIntake(sc, streams, engine,
                        fan_out(engine.admit, tallies.posted, fairness and fairness.posted, log and log.posted),
                        tallies.opened, tallies.count, enter,
                        listening.tagged if listening else ALWAYS_TAGGED,
                        follower_draws(followers, streams) if followers else NO_FOLLOWERS)
    customers.post = intake.post
    new_case = intake.new_case
    if sc.customers.extra_posts_mean > 0:
        new_case = ExtraPosts(sc.customers, streams, clock, engine.t_stop, new_case, intake.post).new_case
    for step in steps:
        step.new_case = new_case
    share, incident_part, organic, on_week = _volume(engine, new_case, fix)
    ledger = WeekLedger(clock, tallies, share, sc.phone, engine.t_end, on_week)

    def finish(result):
        """The care measures; staffed capacity back from capacity units to conversation slots."""
        result.care, result.tables = care_results(
            sc, tallies, fairness, ledger.rows, engine.totals, engine.hours.agent_minutes, result.hours,
            [i.name for i in intents], engine.channel_names)
        if unit != 1:
            result.hours["staffed_slots"] = result.hours["staffed_slots"] / unit

    starters = [incident_part] if incident_part is not None else []
    return Parts(levels, desk, starters + [ledger, desk, organic], finish)


def _observers(engine, on_message, intents, incidents, private, problem) -> _Observers:
    sc = engine.scenario
    n_hours = len(engine.hours.arrivals)
    tallies = CareTallies(engine.t_end, n_hours, len(intents), len(engine.channel_names), problem)
    followers = sc.customers.followers
    fairness = FairnessTally(followers) if followers is not None else None
    log = None
    if on_message is not None:
        log = MessageLog(on_message, engine.rep, engine.streams, engine.channel_names, private,
                         [i.name for i in intents], [i.name for i in incidents])
    return _Observers(tallies, fairness, log)


def _way_in(engine, desk, customers, obs: _Observers, incidents, intents, answer):
    """The steps between a new post and the desk, outermost first: self-excitation, the escalation pile-on,
    listening, the public fix, triage (each only if the scenario names it)."""
    sc, clock, streams = engine.scenario, engine.clock, engine.streams
    cu, pol, tallies = sc.customers, sc.policy, obs.tallies
    enter = desk.take
    if pol.reply == "triage":
        names = [i.name for i in intents]
        skip = {names.index(n) for n in pol.skip if n in names}
        enter = Triage(skip, fan_out(tallies.skipped, engine.close), customers.on_wait, enter).enter
    fix = None
    if pol.public_fix and incidents:
        fix = PublicFix(incidents, pol, clock, answer, tallies.fix_published,
                        fan_out(tallies.fixed, obs.log and obs.log.fixed), enter)
        enter = fix.enter
    listening = None
    if sc.listening is not None:
        listening = Listening(sc.listening, streams, clock, fan_out(tallies.unseen, engine.close),
                              customers.on_wait, enter)
        enter = listening.enter
    steps = []
    if cu.escalation_extra_mentions > 0:
        steps.append(PileOn(cu, streams, clock, engine.t_stop, enter))
        enter = steps[-1].enter
    ex = sc.volume.self_excitation
    if ex is not None and ex.branching_ratio > 0:
        steps.append(SelfExcitationStep(ex, streams, clock, engine.t_stop, enter))
        enter = steps[-1].enter
    return enter, steps, listening, fix


def _volume(engine, new_case: Callable, fix: PublicFix | None):
    """The volume parts: social's share of contacts, incidents (if any), the organic arrivals (thinned by
    migration when it is on) and what hears of a closed week (migration, or nothing)."""
    sc, clock, streams = engine.scenario, engine.clock, engine.streams
    rates = _rates(sc)
    share = SocialShare(sc.volume.mentions_per_hour, sc.phone)
    sink = new_case
    on_week = None
    if sc.migration is not None and sc.phone is not None:
        migration = MigrationShift(sc.migration, sc.phone, share, rates, streams, clock, engine.t_stop, new_case)
        sink, on_week = migration.organic, migration.week_closed
    incidents = None
    if sc.volume.incidents:
        incidents = Incidents(sc.volume.incidents, streams, clock, engine.t_stop, new_case, fix)
    organic = OrganicVolume(clock, _organic_times(engine, rates), engine.t_stop, sink)
    return share, incidents, organic, on_week
