"""Response policies: how a reply resolves a problem, what it concedes, what gets no reply, and the public fix.

Resolutions and compensation rules are small objects chosen by name (:data:`RESOLUTIONS`,
:data:`COMPENSATION`). A resolution returns the extra handling minutes it costs; its side effects (a phone
contact, a repeat post later, a field case) go through the counters and :class:`sim.ports.CustomerPort` it was
given. A compensation rule returns ``(kind, amount)`` with kind ``None``, ``"within"`` or ``"beyond"`` policy.

:class:`Responder` runs when an agent takes a post: handling by team and translation, the resolution of a
problem's first reply, and the concession (:class:`Concessions`, present only with ``policy.compensation``).
:class:`Triage` and :class:`PublicFix` are steps on a post's way in (:data:`sim.ports.Enter`), present only when
the policy names them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .entities import SKIPPED, WAITING
from .metrics import Levels
from .ports import Counter, CustomerPort, Enter, Scheduler
from .random import Streams, picker, uniforms
from .scenario import Compensation, Incident, Policy, Scenario

__all__ = ["InThread", "MoveToDm", "DeflectToPhone", "EscalateToField", "RESOLUTIONS", "ByTheBook",
           "InfluencePressure", "COMPENSATION", "Responder", "Concessions", "Triage", "PublicFix"]


class InThread:
    """Answered in the thread where it was asked."""

    name = "in_thread"

    def __init__(self, policy: Policy, counter: Counter, customers: CustomerPort) -> None:
        pass

    def resolve(self, m, t: float) -> float:
        return 0.0


class MoveToDm:
    """Asked to continue in private messages (private data), then closed publicly: extra handling."""

    name = "dm"

    def __init__(self, policy: Policy, counter: Counter, customers: CustomerPort) -> None:
        self._count = counter.count
        self._extra = policy.dm_extra_minutes

    def resolve(self, m, t: float) -> float:
        self._count("dm_moves", t)
        return self._extra


class DeflectToPhone:
    """"Please call our hotline": a phone contact, and often a repeat post."""

    name = "phone"

    def __init__(self, policy: Policy, counter: Counter, customers: CustomerPort) -> None:
        self._count = counter.count
        self._customers = customers

    def resolve(self, m, t: float) -> float:
        self._count("deflections", t)
        self._count("phone_contacts", t)
        self._customers.repeat_later(m, t)
        return 0.0


class EscalateToField:
    """Passed to a field or expert team, with a public acknowledgement of who will be in touch."""

    name = "escalate"

    def __init__(self, policy: Policy, counter: Counter, customers: CustomerPort) -> None:
        self._count = counter.count

    def resolve(self, m, t: float) -> float:
        self._count("field_cases", t)
        return 0.0


RESOLUTIONS: dict[str, type] = {c.name: c for c in (InThread, MoveToDm, DeflectToPhone, EscalateToField)}


class ByTheBook:
    """Offers within policy only, at ``within_rate``."""

    def __init__(self, spec: Compensation, minimum_followers: float) -> None:
        self.spec = spec

    def offer(self, u_within: float, u_beyond: float, followers: float, pressure: float, training: float,
              off_policy_factor: float):
        if u_within < self.spec.within_rate:
            return "within", self.spec.within_amount
        return None, 0.0


class InfluencePressure(ByTheBook):
    """Beyond-policy concessions with a chance rising with influence (per decade of followers above the minimum),
    queue pressure (waiting mentions per agent on duty) and lack of training; else within policy."""

    def __init__(self, spec: Compensation, minimum_followers: float) -> None:
        super().__init__(spec, minimum_followers)
        self.minimum = minimum_followers

    def offer(self, u_within, u_beyond, followers, pressure, training, off_policy_factor):
        s = self.spec
        decades = math.log10(followers / self.minimum) if followers > self.minimum else 0.0
        p = (s.beyond_rate * (1 + s.influence_slope * decades) * (1 + s.pressure_slope * pressure)
             * (1 + (off_policy_factor - 1) * (1 - training)))
        if u_beyond < p:
            return "beyond", s.beyond_amount
        return super().offer(u_within, u_beyond, followers, pressure, training, off_policy_factor)


COMPENSATION: dict[str, type] = {"by_the_book": ByTheBook, "influence_pressure": InfluencePressure}


class Concessions:
    """What agents concede on complaints, by the scenario's rule; records the concessions of the window.

    ``conceded(case, t, kind, amount, public)`` is told of each (the tallies); ``waiting()`` gives the posts
    waiting (the desk's size), read for the queue pressure. Off-policy concessions in public are precedents.
    """

    def __init__(self, sc: Scenario, streams: Streams, levels: Levels, private: list[bool], t_end: float,
                 conceded: Callable) -> None:
        spec = sc.policy.compensation
        fol = sc.customers.followers
        self._rule = COMPENSATION[spec.rule](spec, fol.minimum if fol else 1.0)
        self._u = uniforms(streams.rng("compensation"))
        self._factor = sc.staffing.untrained_off_policy_factor
        self._levels = levels
        self._private = private
        self._t_end = t_end
        self._conceded = conceded
        self.waiting: Callable[[], int] = None  # wired once the desk exists

    def concede(self, m, t: float, team, resolution_name: str) -> str | None:
        case = m.case
        pressure = self.waiting() / max(1, self._levels.agents)
        kind, amount = self._rule.offer(next(self._u), next(self._u), case.followers, pressure, team.training,
                                        self._factor)
        if kind is None or not (0 <= t < self._t_end):
            return kind
        public = not self._private[case.channel] and resolution_name != "dm"
        self._conceded(case, t, kind, amount, public)
        return kind


class Responder:
    """What an agent's reply does (see the module doc); :meth:`respond` returns the minutes it takes.

    ``replied(m, t, team, translated, resolution, concession, handle)`` is told of every reply (the tallies, and
    the reply log when there is one); ``resolved(t)`` of each resolution.
    """

    def __init__(self, sc: Scenario, streams: Streams, counter: Counter, customers: CustomerPort,
                 problem: list[bool], concessions: Concessions | None, replied: Callable,
                 resolved: Callable) -> None:
        pol = sc.policy
        res = pol.resolution or {"in_thread": 1.0}
        names = sorted(res)
        self._resolutions = [RESOLUTIONS[n](pol, counter, customers) for n in names]
        self._pick = picker([res[n] for n in names], streams, "resolution")
        self._count = counter.count
        self._problem = problem
        self._translation = 1 + sc.staffing.translation_extra
        self._integrated = pol.integrated_channels
        self._integrated_factor = pol.integrated_handle_factor
        intents = [i.name for i in sc.intents or []] or ["question"]
        concede = concessions.concede if concessions is not None else None
        self._concede = [concede if name == "complaint" else None for name in intents]  # per intent
        self._replied = replied
        self._resolved = resolved

    def respond(self, m, t: float, team, translated: bool) -> float:
        case = m.case
        handle = m.handle * team.handle_factor
        if translated:
            handle *= self._translation
            self._count("translated", t)
        if case.dual:
            if self._integrated:
                handle *= self._integrated_factor
            else:
                self._count("worked_twice", t)
        resolution = None
        concession = None
        if self._problem[case.intent] and not case.resolved:
            case.resolved = True
            resolution = self._resolutions[self._pick()]
            handle += resolution.resolve(m, t)
            self._resolved(t)
            concede = self._concede[case.intent]
            if concede is not None:
                concession = concede(m, t, team, resolution.name)
        self._replied(m, t, team, translated, resolution, concession, handle)
        return handle


class Triage:
    """Intents the policy does not answer (``policy.skip`` under ``reply: triage``) are skipped; a customer who
    wanted a reply still waits for one, and acts when their patience runs out."""

    def __init__(self, skip: set[int], skipped: Callable, on_wait: Callable, nxt: Enter) -> None:
        self._skip = skip
        self._skipped = skipped
        self._on_wait = on_wait
        self._next = nxt

    def enter(self, m, t: float, patience_scheduled: bool = False) -> None:
        case = m.case
        if case.intent not in self._skip:
            self._next(m, t, patience_scheduled)
            return
        m.state = SKIPPED
        if m.measured:
            self._skipped(m, t)
        if not patience_scheduled and case.need:
            self._on_wait(m)


class PublicFix:
    """Each incident's known fix, published once at ``fix_after_minutes`` (``fix_post_minutes`` of agent time),
    answers every post of the incident that waits then or comes later. A step on a post's way in."""

    def __init__(self, incidents: list[Incident], policy: Policy, clock: Scheduler, answer: Callable,
                 published: Callable, fixed: Callable, nxt: Enter) -> None:
        self._fixed = [False] * (len(incidents) + 1)
        self._waiting: list[list] = [[] for _ in range(len(incidents) + 1)]
        self._clock = clock
        self._answer = answer
        self._published = published
        self._on_fixed = fixed
        self._post_minutes = policy.fix_post_minutes
        self._next = nxt

    def schedule_fix(self, k: int, inc: Incident, start: float) -> None:
        now = self._clock.now
        if inc.fix_after_minutes is not None and start + inc.fix_after_minutes >= now:
            self._clock.schedule(start + inc.fix_after_minutes - now, self._publish, k)

    def enter(self, m, t: float, patience_scheduled: bool = False) -> None:
        k = m.case.cluster
        if k and self._fixed[k]:
            self._answer_by_fix(m, t)
            return
        self._next(m, t, patience_scheduled)
        if k and m.state == WAITING:  # queued: the fix will answer it
            self._waiting[k].append(m)

    def _publish(self, k: int) -> None:
        t = self._clock.now
        self._fixed[k] = True
        self._published(t, self._post_minutes)
        for m in self._waiting[k]:
            if m.state == WAITING:
                self._answer_by_fix(m, t)
        self._waiting[k] = []

    def _answer_by_fix(self, m, t: float) -> None:
        """The published fix answers ``m`` (no agent time)."""
        if m.state == WAITING and m.queue is not None:
            m.queue.discard(m)
        self._answer(m, t)
        m.case.resolved = True
        if m.measured:
            self._on_fixed(m, t)
