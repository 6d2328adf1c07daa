"""Intake: what a post is when it is born, and how it reaches the team.

:class:`PlainIntake` makes the queueing core's mentions (a channel, a handle time, a patience). :class:`CaseIntake`
makes the care model's cases and posts: each new problem draws its intent, language, channel, follower count and
whether it tags the brand; each post of it (first, repeat, escalation, further post) draws its handle time and
patience, is counted, and goes down the steps on its way in (:data:`sim.ports.Enter`: self-excitation, the
escalation pile-on, :class:`Listening`, the public fix, triage, then the desk). Every stochastic input draws
from its own named stream (:mod:`sim.random`), so a part that is absent shifts no other draws.

Times are minutes; a post's ``posted`` (its ``arrival``) is when the customer wrote it. An untagged post found by
listening reaches the team later, but its wait counts from the post, as the customer sees it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from itertools import repeat

from .entities import FIRST, PENDING, UNSEEN, Case, Mention, Post
from .ports import Books, Enter, Scheduler
from .random import Streams, picker, uniforms
from .scenario import Followers, Intent, Listening as ListeningSpec, Scenario

__all__ = ["PlainIntake", "CaseIntake", "Listening", "handle_streams", "follower_draws", "NO_FOLLOWERS",
           "ALWAYS_TAGGED"]


def handle_streams(sc: Scenario, streams: Streams) -> list:
    """Handle-time draws per channel (the channel's own distribution, or the scenario's)."""
    channels = sc.channels or []
    names = [c.name for c in channels] or ["default"]
    dists = [c.handle_minutes or sc.handling.handle_minutes for c in channels] or [sc.handling.handle_minutes]
    return [d.stream(streams.rng(f"handle:{name}")) for d, name in zip(dists, names)]


def _patience(sc: Scenario, streams: Streams):
    patience = sc.customers.patience_minutes
    return patience.stream(streams.rng("patience")) if patience is not None else repeat(math.inf)


class PlainIntake:
    """The queueing core's mentions: channel by share, handle time by channel, patience; then the desk."""

    def __init__(self, sc: Scenario, streams: Streams, books: Books, take: Enter) -> None:
        self._channel = picker([c.share for c in sc.channels or []], streams, "channel")
        self._handles = handle_streams(sc, streams)
        self._patience = _patience(sc, streams)
        self._t_end = books.t_end
        self._admit = books.admit
        self._take = take
        self._next_id = 0

    def arrive(self, t: float) -> None:
        ch = self._channel()
        handle = next(self._handles[ch])
        patience = next(self._patience)
        self._next_id += 1
        m = Mention(self._next_id, t, ch, handle, patience, 0.0 <= t < self._t_end)
        self._admit(m)
        self._take(m, t)


class CaseIntake:
    """The care model's cases and posts (see the module doc).

    Wired by :mod:`sim.assembly`: ``counted(post)`` tallies a post of the measured window, ``opened(case,
    triggered)`` a case of it, ``count(name, t)`` a care counter; ``enter`` is the first step on a post's way in;
    ``tagged()`` and ``followers()`` draw whether a customer tags the brand and their follower count and decile
    (constants when listening or follower counts are not in the scenario).
    """

    def __init__(self, sc: Scenario, streams: Streams, books: Books, counted: Callable, opened: Callable,
                 count: Callable, enter: Enter, tagged: Callable[[], bool],
                 followers: Callable[[], tuple[float, int]]) -> None:
        intents = sc.intents or [Intent(name="question", share=1.0)]
        names = [i.name for i in intents]
        langs = sc.languages or []
        channels = sc.channels or []
        self._intent = picker([i.share for i in intents], streams, "intent")
        self._lang = picker([lang.share for lang in langs], streams, "language")
        self._lang_names = [lang.name for lang in langs] or ["default"]
        self._channel = picker([c.share for c in channels], streams, "channel")
        # without an intents section every post is a question, incidents included
        self._incident_intent = [names.index(i.intent) if i.intent in names else 0
                                 for i in sc.volume.incidents or []]
        by_channel = handle_streams(sc, streams)
        own = [None if i.handle_minutes is None else i.handle_minutes.stream(streams.rng(f"handle:intent:{i.name}"))
               for i in intents]
        self._handle = [[o or h for h in by_channel] for o in own]  # [intent][channel]
        self._sla = [i.sla_minutes or sc.sla.target_minutes for i in intents]
        self._reply_need = [i.reply_need for i in intents]
        if any(i.reply_need < 1 for i in intents):
            self._need_u = uniforms(streams.rng("need"))
        cu = sc.customers
        self._also_phone = cu.also_phone
        self._may_call = [i.problem and cu.also_phone > 0 for i in intents]
        if cu.also_phone > 0:
            self._dual_u = uniforms(streams.rng("phone:dual"))
        self._patience = _patience(sc, streams)
        self._t_end = books.t_end
        self._counted = counted
        self._opened = opened
        self._count = count
        self._enter = enter
        self._tagged = tagged
        self._followers = followers
        self._next_id = 0
        self._next_case = 0

    def new_case(self, t: float, cluster: int = 0, triggered: bool = False, bystander: bool = False) -> Case:
        """A new customer posts about a new problem (a bystander drawn by an escalation expects no reply)."""
        intent = self._incident_intent[cluster - 1] if cluster else self._intent()
        lang = self._lang_names[self._lang()]
        ch = self._channel()
        followers, decile = self._followers()
        tagged = self._tagged()
        need_share = self._reply_need[intent]
        need = need_share >= 1 or next(self._need_u) < need_share
        if bystander:
            need = False
        dual = False
        measured = 0.0 <= t < self._t_end
        if self._may_call[intent] and next(self._dual_u) < self._also_phone:
            dual = True
            self._count("dual_contacts", t)
            self._count("phone_contacts", t)
        self._next_case += 1
        case = Case(self._next_case, t, intent, lang, ch, followers, decile, cluster, tagged, need, dual, measured,
                    bystander)
        if measured:
            self._opened(case, triggered)
        self.post(case, FIRST, t)
        return case

    def post(self, case: Case, kind: int, t: float, patience_factor: float = 1.0) -> Post:
        """A post of ``case`` now: drawn, counted, then on its way in."""
        handle = next(self._handle[case.intent][case.channel])
        patience = next(self._patience) * patience_factor
        measured = 0.0 <= t < self._t_end
        self._next_id += 1
        m = Post(self._next_id, t, case, kind, handle, patience, measured, t + self._sla[case.intent])
        if measured:
            self._counted(m)
        self._enter(m, t, False)
        return m


class Listening:
    """Untagged first posts reach the team only if listening finds them (``coverage``), after a discovery delay;
    the others stay unseen. A step on a post's way in; :meth:`tagged` draws whether a new customer tags the
    brand (from the same stream, as the model always has)."""

    def __init__(self, spec: ListeningSpec, streams: Streams, clock: Scheduler, unseen: Callable, on_wait: Callable,
                 nxt: Enter) -> None:
        self._u = uniforms(streams.rng("listening"))
        self._discovery = spec.discovery_delay_minutes.stream(streams.rng("discovery"))
        self._tagged_share = spec.tagged_share
        self._coverage = spec.coverage
        self._clock = clock
        self._unseen = unseen
        self._on_wait = on_wait
        self._next = nxt

    def tagged(self) -> bool:
        return next(self._u) < self._tagged_share

    def enter(self, m, t: float, patience_scheduled: bool = False) -> None:
        if m.kind != FIRST or m.case.tagged:
            self._next(m, t, patience_scheduled)
            return
        if next(self._u) >= self._coverage:
            m.state = UNSEEN
            if m.measured:
                self._unseen(m)
            if m.case.need:
                self._on_wait(m)
            return
        m.state = PENDING
        self._clock.schedule(next(self._discovery), self._found, m)
        self._on_wait(m)  # a customer waits for a post nobody has found yet

    def _found(self, m) -> None:
        if m.state == PENDING:
            self._next(m, self._clock.now, True)


def follower_draws(spec: Followers, streams: Streams) -> Callable[[], tuple[float, int]]:
    """Pareto follower counts (inverse transform of a uniform draw) and their decile, 0-9 by the
    distribution's own deciles."""
    scale, exponent = spec.minimum, -1.0 / spec.alpha
    # The C library's pow on each uniform: numpy's vectorised power takes another code path on CPUs with AVX-512
    # and differs in the last bit, so the same seed gave different results on different machines.
    draws = (scale * (1.0 - u) ** exponent for u in uniforms(streams.rng("followers")))
    edges = [spec.quantile(q / 10) for q in range(1, 10)]
    return ((f, bisect_right(edges, f)) for f in draws).__next__


NO_FOLLOWERS = repeat((0.0, -1)).__next__  # without follower counts: nobody has any, no decile
ALWAYS_TAGGED = repeat(True).__next__  # without listening: every post tags the brand
