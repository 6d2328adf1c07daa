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
    needed = on_message is not None or needs_care_parts(engine.scenario)
    if care_parts is None:
        care_parts = needed
    elif not care_parts and needed:
        raise ValueError(f"scenario {engine.scenario.name!r} asks for more than the queueing core "
                         "(or a reply log): it needs the care model's parts")
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


class _CareWiring:
    """Builds the care model's parts for one engine, in dependency order (see :func:`_care`)."""

    def __init__(self, engine, on_message: Callable | None) -> None:
        sc = self.sc = engine.scenario
        self.engine, self.clock, self.streams = engine, engine.clock, engine.streams
        self.intents = sc.intents or [Intent(name="question", share=1.0)]
        self.incidents = sc.volume.incidents or []
        self.private = [name in ("private_message", "dm") for name in engine.channel_names]
        self.problem = [i.problem for i in self.intents]
        n_hours = len(engine.hours.arrivals)
        self.tallies = CareTallies(engine.t_end, n_hours, len(self.intents), len(engine.channel_names), self.problem)
        followers = sc.customers.followers
        self.fairness = FairnessTally(followers) if followers is not None else None
        self.log = None
        if on_message is not None:
            self.log = MessageLog(on_message, engine.rep, self.streams, engine.channel_names, self.private,
                                  [i.name for i in self.intents], [i.name for i in self.incidents])
        self.levels = Levels(self.clock.now)
        self.customers = CaseCustomers(sc.customers, sc.policy, self.streams, self.clock, engine, self.tallies.count)

    def observers(self, name: str, *first: Callable) -> Callable:
        """``first``, then every present observer's method ``name`` (tallies; fairness, reply log), as one
        callable (one level: a fan-out of fan-outs would cost a call more per event)."""
        found = (getattr(o, name, None) for o in (self.tallies, self.fairness, self.log) if o is not None)
        return fan_out(*first, *found)

    def answer(self) -> Callable:
        """A first response: the engine's books, then the care tallies."""
        first_response = self.engine.first_response
        on_answer = self.observers("answered")

        def answer(m, t: float) -> None:
            wait = first_response(m, t)
            if wait is not None:
                on_answer(m, wait)

        return answer

    def desk(self, answer: Callable) -> TeamDesk:
        """Teams and the response policy (concessions only with ``policy.compensation``)."""
        sc, engine = self.sc, self.engine
        concessions = None
        if sc.policy.compensation is not None:
            concessions = Concessions(sc, self.streams, self.levels, self.private, engine.t_end,
                                      self.observers("conceded"))
        responder = Responder(sc, self.streams, self.tallies, self.customers, self.problem, concessions,
                              self.observers("replied"), self.tallies.resolved)
        teams, unit = make_teams(sc.staffing, engine.channel_names)
        desk = TeamDesk(self.clock, engine, engine.totals, self.levels, teams, unit, sc.policy.order,
                        [i.tier for i in self.intents], answer, responder.respond, self.customers.on_wait)
        if concessions is not None:
            concessions.waiting = lambda: desk.size  # the queue pressure reads the desk built after it
        return desk

    def way_in(self, desk: TeamDesk, answer: Callable):
        """The steps between a new post and the desk, outermost first: self-excitation, the escalation
        pile-on, listening, the public fix, triage (each only if the scenario names it)."""
        sc, clock, streams, engine = self.sc, self.clock, self.streams, self.engine
        cu, pol, tallies = sc.customers, sc.policy, self.tallies
        enter = desk.take
        if pol.reply == "triage":
            names = [i.name for i in self.intents]
            skip = {names.index(n) for n in pol.skip if n in names}
            enter = Triage(skip, fan_out(tallies.skipped, engine.close), self.customers.on_wait, enter).enter
        fix = None
        if pol.public_fix and self.incidents:
            fix = PublicFix(self.incidents, pol, clock, answer, tallies.fix_published, self.observers("fixed"),
                            enter)
            enter = fix.enter
        listening = None
        if sc.listening is not None:
            listening = Listening(sc.listening, streams, clock, fan_out(tallies.unseen, engine.close),
                                  self.customers.on_wait, enter)
            enter = listening.enter
        triggering = []  # steps that start new cases: given the intake's new_case once it exists
        if cu.escalation_extra_mentions > 0:
            triggering.append(PileOn(cu, streams, clock, engine.t_stop, enter))
            enter = triggering[-1].enter
        ex = sc.volume.self_excitation
        if ex is not None and ex.branching_ratio > 0:
            triggering.append(SelfExcitationStep(ex, streams, clock, engine.t_stop, enter))
            enter = triggering[-1].enter
        return enter, triggering, listening, fix

    def intake(self, enter, listening: Listening | None) -> CaseIntake:
        sc, engine = self.sc, self.engine
        followers = sc.customers.followers
        return CaseIntake(sc, self.streams, engine, self.observers("posted", engine.admit),
                          self.tallies.opened, self.tallies.count, enter,
                          listening.tagged if listening else ALWAYS_TAGGED,
                          follower_draws(followers, self.streams) if followers else NO_FOLLOWERS)

    def volume(self, new_case: Callable, fix: PublicFix | None):
        """Social's share of contacts, incidents (if any), the organic arrivals (thinned by migration when it is
        on) and what hears of a closed week (migration, or nothing)."""
        sc, clock, streams, engine = self.sc, self.clock, self.streams, self.engine
        rates = _rates(sc)
        share = SocialShare(sc.volume.mentions_per_hour, sc.phone)
        sink, on_week = new_case, None
        if sc.migration is not None and sc.phone is not None:
            migration = MigrationShift(sc.migration, sc.phone, share, rates, streams, clock, engine.t_stop, new_case)
            sink, on_week = migration.organic, migration.week_closed
        incidents = None
        if self.incidents:
            incidents = Incidents(self.incidents, streams, clock, engine.t_stop, new_case, fix)
        organic = OrganicVolume(clock, _organic_times(engine, rates), engine.t_stop, sink)
        return share, incidents, organic, on_week

    def finish(self, ledger: WeekLedger, unit: int) -> Callable:
        sc, engine, intents = self.sc, self.engine, self.intents

        def finish(result) -> None:
            """The care measures; staffed capacity back from capacity units to conversation slots."""
            result.care, result.tables = care_results(
                sc, self.tallies, self.fairness, ledger.rows, engine.totals, engine.hours.agent_minutes,
                result.hours, [i.name for i in intents], engine.channel_names)
            if unit != 1:
                result.hours["staffed_slots"] = result.hours["staffed_slots"] / unit

        return finish


def _care(engine, on_message: Callable | None) -> Parts:
    """The care model's parts. The order of ``starters`` is the order their first events are scheduled:
    incidents (and their fixes), the weekly ledger, the rosters, the organic arrivals."""
    w = _CareWiring(engine, on_message)
    answer = w.answer()
    desk = w.desk(answer)
    enter, triggering, listening, fix = w.way_in(desk, answer)
    intake = w.intake(enter, listening)
    w.customers.post = intake.post  # customers post again through the intake
    new_case = intake.new_case
    if w.sc.customers.extra_posts_mean > 0:
        new_case = ExtraPosts(w.sc.customers, w.streams, w.clock, engine.t_stop, new_case, intake.post).new_case
    for step in triggering:
        step.new_case = new_case
    share, incidents, organic, on_week = w.volume(new_case, fix)
    ledger = WeekLedger(w.clock, w.tallies, share, w.sc.phone, engine.t_end, on_week)
    starters = ([incidents] if incidents is not None else []) + [ledger, desk, organic]
    return Parts(w.levels, desk, starters, w.finish(ledger, desk.unit))
