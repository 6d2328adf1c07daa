"""The care operation in full: intents, languages, listening, incidents and self-excitation, customer behaviour,
skilled teams, response policies, compensation, channel migration, and their measures.

:class:`FullOperation` extends the validated queueing core (:class:`sim.engine.CareOperation`) and runs only
when a scenario turns one of these features on (``Scenario.care_features``), so the core's speed and its
agreement with Erlang C/A are untouched when they are off. It stays event-driven: every post, reply
completion, abandonment and roster change is one simpy timeout with a callback.

Self-excitation uses the cluster (branching) form of a Hawkes process: each post draws its Poisson number of
triggered posts and their exponential delays at once; with ``excite: unanswered`` a triggered post is born only
if its parent is still unanswered when it comes (exact thinning of the parent's kernel by "not yet answered").
An incident adds Poisson(J x decay) immigrants with exponential delays, the exact form of a decaying jump.

Times are minutes; a post's ``posted`` is when the customer wrote it and ``arrival`` when it reached the
team's queue (later for untagged posts found by listening). Waits count from ``posted``.
"""

from __future__ import annotations

import bisect
import heapq
from heapq import heappush
import itertools
import math
from collections.abc import Callable
from math import gcd

import pandas as pd

from .arrivals import PoissonArrivals, weekly_rates
from .customers import make_impatience
from .distributions import Exponential, block_stream
from simpy.events import NORMAL

from .engine import HOUR, CareOperation, Outcome, ReplicationResult
from .mention import ABANDONED, ANSWERED, WAITING, Mention
from .metrics import CARE_COUNTERS, CareTotals, HourlyBuckets, LogHistogram, WindowTotals
from .policies import COMPENSATION, RESOLUTIONS
from .queues import make_discipline
from .random import Streams
from .scenario import Intent, Policy, Scenario, Staffing
from .staffing import StaffingPlan

__all__ = ["FullOperation", "Case", "Post", "PENDING", "SKIPPED", "UNSEEN"]

PENDING, SKIPPED, UNSEEN = 3, 4, 5
FIRST, REPEAT, ESCALATION, EXTRA = 0, 1, 2, 3
KIND_NAMES = ("post", "repeat", "escalation", "extra")
WEEK = 7 * 1440.0
HOURLY_EXTRA = ["handled", "skipped", "repeats", "escalations", "phone_contacts", "compensation"]


class Case:
    """One customer's problem: the posts about it share it."""

    __slots__ = ("id", "start", "intent", "lang", "channel", "followers", "decile", "cluster", "tagged", "need",
                 "dual", "reposts", "resolved", "measured", "bystander")

    def __init__(self, id, start, intent, lang, channel, followers, decile, cluster, tagged, need, dual, measured):
        self.id = id
        self.start = start
        self.intent = intent
        self.lang = lang
        self.channel = channel
        self.followers = followers
        self.decile = decile
        self.cluster = cluster
        self.tagged = tagged
        self.need = need
        self.dual = dual
        self.reposts = 0
        self.bystander = False
        self.resolved = False
        self.measured = measured


class Post(Mention):
    """A mention in the full model: one post of a case."""

    __slots__ = ("posted", "case", "kind", "deadline", "followers", "queue")

    def __init__(self, id, posted, case, kind, handle, patience, measured, deadline):
        # Mention's fields set here directly: one call less per post
        self.id = id
        self.arrival = posted
        self.channel = case.channel
        self.handle = handle
        self.patience = patience
        self.state = WAITING
        self.measured = measured
        self.answered_at = -1.0
        self.posted = posted
        self.case = case
        self.kind = kind
        self.deadline = deadline
        self.followers = case.followers
        self.queue = None


class _Bare:
    """What simpy's ``Environment.step`` needs of an event: its callbacks, ok flag and value."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, value, callback) -> None:
        self.callbacks = [callback]
        self._ok = True
        self._value = value


class TeamState:
    """A team on duty: capacity and load in integer units (one agent = ``unit``; a conversation of a channel
    with concurrency c takes unit / c), so concurrency never accumulates rounding errors."""

    def __init__(self, idx, spec, default_conc, channels, unit, shrinkage, staffing: Staffing):
        self.idx = idx
        self.name = spec.name
        self.langs = None if spec.languages is None else set(spec.languages)
        self.chans = None if spec.channels is None else {channels.index(c) for c in spec.channels}
        self.tier = spec.tier
        self.training = spec.training
        self.handle_factor = 1 + staffing.untrained_handle_extra * (1 - spec.training)
        conc = spec.concurrency or {}
        self.weights = [unit // conc.get(c, default_conc) for c in channels]
        self.unit = unit
        self.avail = 1 - shrinkage
        self.queues: list = []  # (queue, translated) pairs this team may take from
        # the whole-staff team of a scenario without teams keeps each shift's own concurrency (slots)
        self.use_slots = staffing.teams is None
        conc1 = staffing.concurrency if self.use_slots else 1
        self.plan = StaffingPlan(Staffing.model_construct(agents=spec.agents, roster=spec.roster, concurrency=conc1))
        self.slot_units = unit // default_conc
        self.agents = 0
        self.cap = 0.0
        self.busy = 0

    def set_level(self, level) -> None:
        self.agents = level.agents
        units = level.slots * self.slot_units if self.use_slots else level.agents * self.unit
        self.units = units * self.avail
        self.cap = self.units + 1e-9

    def serves(self, lang: str, ch: int, tier: int) -> bool | None:
        """True natively, False through translation, None not at all."""
        if tier > self.tier or (self.chans is not None and ch not in self.chans):
            return None
        return self.langs is None or lang in self.langs


class Router:
    """Queues per (language, channel, tier) class, each with the scenario's discipline, and the teams that serve
    each class (native teams before translating ones)."""

    def __init__(self, order: str, teams: list[TeamState]) -> None:
        self.order = order
        self.teams = teams
        self._classes: dict[tuple, tuple] = {}
        self.queues: list = []

    def klass(self, lang: str, ch: int, tier: int):
        key = (lang, ch, tier)
        got = self._classes.get(key)
        if got is None:
            q = make_discipline(self.order)
            native, translating = [], []
            for team in self.teams:
                s = team.serves(lang, ch, tier)
                if s is None:
                    continue
                (native if s else translating).append(team)
                team.queues.append((q, not s, team.weights[ch]))
            got = self._classes[key] = (q, [(t, False) for t in native] + [(t, True) for t in translating])
            self.queues.append(q)
        return got

    @property
    def size(self) -> int:
        return sum(q.size for q in self.queues)

    def oldest_arrival(self) -> float | None:
        ages = [a for a in (q.oldest_arrival() for q in self.queues) if a is not None]
        return min(ages) if ages else None


def _lcm(values) -> int:
    out = 1
    for v in values:
        out = out * v // gcd(out, v)
    return out


class FullOperation(CareOperation):
    """One replication of the full care model (see the module docstring). Build it, then call :meth:`run`."""

    def __init__(
        self,
        scenario: Scenario,
        rep: int = 0,
        seed: int | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_message: Callable[[dict], None] | None = None,
    ) -> None:
        sc = self.scenario = scenario
        self.rep = rep
        self.seed = sc.seed if seed is None else seed
        self.streams = streams = Streams(self.seed, rep)
        import simpy

        self.env = env = simpy.Environment(initial_time=-sc.warmup_minutes)
        self._queue = env._queue
        self._eid = env._eid
        self.t_end = sc.horizon_minutes
        self.t_stop = self.t_end + sc.max_drain_days * 1440.0
        self.sla_target = sc.sla.target_minutes
        self.on_outcome = on_outcome
        self.on_message = on_message
        self.policy: Policy = sc.policy
        pol = sc.policy
        cu = sc.customers

        def uniform(name):
            rng = streams.rng(name)
            return block_stream(lambda n: rng.random(n))

        # ---- volume
        v = sc.volume
        self._rates = weekly_rates(v.mentions_per_hour, v.hourly_profile, v.weekly_profile)
        self._arrival_times = PoissonArrivals(self._rates, streams.rng("arrivals")).times(env.now)
        ex = v.self_excitation
        self._excite = ex
        if ex is not None and ex.branching_ratio > 0:
            rc, rg = streams.rng("excitation:count"), streams.rng("excitation:gap")
            self._kids = block_stream(lambda n: rc.poisson(ex.branching_ratio, n))
            self._kid_gap = block_stream(lambda n: rg.exponential(ex.memory_minutes, n))
            self._excite_all = ex.excite == "all"
        else:
            self._kids = None
        self.incidents = v.incidents or []
        self._fixed = [False] * (len(self.incidents) + 1)
        self._incident_waiting: list[list[Post]] = [[] for _ in range(len(self.incidents) + 1)]

        # ---- what a post is
        channels = sc.channels or []
        self.channel_names = [c.name for c in channels] or ["default"]
        dists = [c.handle_minutes or sc.handling.handle_minutes for c in channels] or [sc.handling.handle_minutes]
        self._handle = [d.stream(streams.rng(f"handle:{name}")) for d, name in zip(dists, self.channel_names)]
        self._channel_cum = self._cum([c.share for c in channels]) if len(channels) > 1 else None
        self._channel_u = uniform("channel") if self._channel_cum else None
        self.private = [name in ("private_message", "dm") for name in self.channel_names]
        intents = sc.intents or [Intent(name="question", share=1.0)]
        self.intents = intents
        self.intent_names = [i.name for i in intents]
        self._intent_cum = self._cum([i.share for i in intents]) if len(intents) > 1 else None
        self._intent_u = uniform("intent") if self._intent_cum else None
        self._intent_handle = [
            None if i.handle_minutes is None else i.handle_minutes.stream(streams.rng(f"handle:intent:{i.name}"))
            for i in intents
        ]
        # without an intents section every post is a question, incidents included
        self._incident_intent = [self.intent_names.index(i.intent) if i.intent in self.intent_names else 0
                                 for i in self.incidents]
        self._intent_sla = [i.sla_minutes or self.sla_target for i in intents]
        self._need_u = uniform("need") if any(i.reply_need < 1 for i in intents) else None
        self._problem = [i.problem for i in intents]
        self._reply_need = [i.reply_need for i in intents]
        self._also_phone = cu.also_phone
        self._esc_on = cu.escalation_extra_mentions > 0
        langs = sc.languages or []
        self.lang_names = [lang.name for lang in langs] or ["default"]
        self._lang_cum = self._cum([lang.share for lang in langs]) if len(langs) > 1 else None
        self._lang_u = uniform("language") if self._lang_cum else None
        fol = cu.followers
        self._followers = fol
        if fol is not None:
            rf = streams.rng("followers")
            self._fol = block_stream(lambda n: fol.minimum * (1.0 - rf.random(n)) ** (-1.0 / fol.alpha))
            self._decile_edges = [fol.quantile(q / 10) for q in range(1, 10)]
        else:
            self._fol = None
        lis = sc.listening
        self._listening = lis
        if lis is not None:
            self._tag_u = uniform("listening")
            self._discovery = lis.discovery_delay_minutes.stream(streams.rng("discovery"))
        patience = cu.patience_minutes
        self._patience = patience.stream(streams.rng("patience")) if patience is not None else None
        self.behaviour = make_impatience(cu.on_impatience, streams.rng("impatience"))
        self._extra_p = cu.extra_posts_mean / (1 + cu.extra_posts_mean)
        if self._extra_p > 0:
            rx = streams.rng("extra_posts")
            self._extra_n = block_stream(lambda n: rx.geometric(1 - self._extra_p, n) - 1)
            gap = cu.extra_post_gap_minutes or Exponential(dist="exponential", mean=30.0)
            self._extra_gap = gap.stream(streams.rng("extra_posts:gap"))
        self._dual_u = uniform("phone:dual") if cu.also_phone > 0 else None
        if cu.escalation_extra_mentions > 0:
            re_, rg_ = streams.rng("escalation:count"), streams.rng("escalation:gap")
            self._esc_n = block_stream(lambda n: re_.poisson(cu.escalation_extra_mentions, n))
            self._esc_gap = block_stream(lambda n: rg_.exponential(cu.escalation_memory_minutes, n))
        self._repeat_gap_u = uniform("repeat")

        # ---- policy
        self._skip = {self.intent_names.index(n) for n in pol.skip if n in self.intent_names} \
            if pol.reply == "triage" else set()
        res = pol.resolution or {"in_thread": 1.0}
        self._res_names = sorted(res)
        self._res = [RESOLUTIONS[n]() for n in self._res_names]
        self._res_cum = self._cum([res[n] for n in self._res_names]) if len(res) > 1 else None
        self._res_u = uniform("resolution") if self._res_cum else None
        comp = pol.compensation
        self._comp = None if comp is None else COMPENSATION[comp.rule](comp, fol.minimum if fol else 1.0)
        if comp is not None:
            self._comp_u = uniform("compensation")
            self._comp_intents = {i for i, n in enumerate(self.intent_names) if n == "complaint"}
        self._deflect_u = uniform("deflect")

        # ---- staffing: teams in integer units
        st = sc.staffing
        if st.teams is not None:
            team_specs = st.teams
        else:
            from .scenario import Team

            team_specs = [Team.model_construct(name="all", agents=st.agents, roster=st.roster, languages=None,
                                               channels=None, tier=99, training=1.0, concurrency=None)]
        concs = {st.concurrency} | {c for t in team_specs for c in (t.concurrency or {}).values()}
        self.unit = _lcm(concs)
        self.teams = [TeamState(i, t, st.concurrency, self.channel_names, self.unit, st.shrinkage, st)
                      for i, t in enumerate(team_specs)]
        for team in self.teams:
            team.set_level(team.plan.level_at(env.now))
        self.queue = self.router = Router(pol.order, self.teams)
        self.plan = self  # the base run() asks self.plan.changes(start)
        self._sync_levels()
        self.busy = 0
        self._last_t = env.now
        self._busy_area = self._staffed_area = self._agent_area = 0.0

        # ---- results
        self.totals = WindowTotals()
        self.care = CareTotals.empty()
        self._c = self.care.counts
        n_hours = max(1, math.ceil(self.t_end / HOUR - 1e-9))
        self.hours = HourlyBuckets.empty(n_hours)
        self._hx = {k: [0] * n_hours for k in HOURLY_EXTRA}
        self._hour_edges = [min(HOUR * (i + 1), self.t_end) for i in range(n_hours)]
        self.frt = LogHistogram()
        ni, nc = len(self.intents), len(self.channel_names)
        self._ic_arr = [[0] * nc for _ in range(ni)]
        self._ic_ans = [[0] * nc for _ in range(ni)]
        self._dec = {k: [0] * 10 for k in ("posts", "answered", "comp", "beyond")}
        self._dec_wait = [0.0] * 10
        self._dec_amount = [0.0] * 10
        self._weeks: list[dict] = []
        self._wk = self._week_acc()
        ph = sc.phone
        self._social_share0 = self._share = 1.0
        if ph is not None and v.mentions_per_hour + ph.contacts_per_hour > 0:
            self._social_share0 = self._share = v.mentions_per_hour / (v.mentions_per_hour + ph.contacts_per_hour)
        mig = sc.migration
        self._mig = mig
        self._mig_factor = 1.0
        if mig is not None:
            self._mig_thin = uniform("migration:thin")
            self._mig_rng = streams.rng("migration:arrivals")
            self._mig_gen = 0
        self._open_measured = 0
        self._next_id = 0
        self._next_case = 0
        self.done = env.event()
        self._past_window = False

    # ---- helpers ------------------------------------------------------------------------------------
    def _at(self, delay: float, value, callback) -> None:
        """Schedule ``callback`` in ``delay`` minutes on simpy's queue, with ``value`` as the event's value.

        The same heap, priority and insertion counter as ``env.timeout`` (so the order of ties is unchanged), with a
        bare event object: a Timeout's construction was a fifth of the run time at 25,000 posts a day."""
        heappush(self._queue, (self.env._now + delay, NORMAL, next(self._eid), _Bare(value, callback)))

    def _schedule_next_arrival(self) -> None:
        t_next = next(self._arrival_times, None)
        if t_next is None or t_next > self.t_stop:
            return
        self._at(t_next - self.env._now, None, self._arrive)
    @staticmethod
    def _cum(shares):
        total = sum(shares)
        return list(itertools.accumulate(s / total for s in shares[:-1]))

    _pick = staticmethod(bisect.bisect_right)  # index of the share a uniform draw falls in

    def _sync_levels(self) -> None:
        self.capacity = sum(t.units for t in self.teams)
        self.agents = sum(t.agents for t in self.teams)

    def changes(self, start: float):
        """Roster changes of every team, merged in time order: (time, (team index, level))."""
        def tagged(i, team):
            for t, level in team.plan.changes(start):
                yield t, i, level

        for t, i, level in heapq.merge(*(tagged(i, team) for i, team in enumerate(self.teams))):
            yield t, (i, level)

    def count(self, name: str, t: float, n: int = 1) -> None:
        """Add ``n`` to a care counter when ``t`` is in the measured window (and to its hour, if hourly)."""
        if 0.0 <= t < self.t_end:
            self._c[name] += n
            hx = self._hx.get(name)
            if hx is not None:
                hx[int(t // HOUR)] += n
            if name == "phone_contacts":
                self._wk["phone"] += n

    @staticmethod
    def _week_acc() -> dict:
        return {"social": 0, "phone": 0, "wait": 0.0, "answered": 0, "comp": 0, "resolutions": 0, "audience": 0.0}

    # ---- volume -------------------------------------------------------------------------------------
    def _arrive(self, _ev) -> None:
        """An organic post (the baseline Poisson stream), thinned when migration has lowered social's share."""
        t = self.env.now
        if self._mig_factor >= 1.0 or next(self._mig_thin) < self._mig_factor:
            self._new_case(t, 0)
        self._schedule_next_arrival()

    def _restart_migrated(self) -> None:
        """(Re)start the stream of customers won from the phone line at (factor - 1) times the organic rates.

        Called when the factor changes (weekly); a Poisson stream is memoryless, so starting afresh is exact,
        and no events are spent while social has gained nothing."""
        self._mig_gen += 1
        f = self._mig_factor
        if f > 1.0:
            self._mig_times = PoissonArrivals(self._rates * (f - 1.0), self._mig_rng).times(self.env.now)
            self._schedule_migrated(self._mig_gen)

    def _schedule_migrated(self, gen: int) -> None:
        t_next = next(self._mig_times, None)
        if t_next is None or t_next > self.t_stop:
            return
        self._at(t_next - self.env.now, gen, self._arrive_migrated)

    def _arrive_migrated(self, ev) -> None:
        """A customer who used to call (dropped if the stream was restarted since it was drawn)."""
        gen = ev._value
        if gen != self._mig_gen:
            return
        self._new_case(self.env.now, 0)
        self._schedule_migrated(gen)

    def _start_incident(self, ev) -> None:
        k = ev._value
        inc = self.incidents[k - 1]
        rng = self.streams.rng(f"incident:{inc.name}")
        n = rng.poisson(inc.jump_per_hour / 60.0 * inc.decay_minutes)
        for gap in rng.exponential(inc.decay_minutes, n).tolist():
            if self.env.now + gap <= self.t_stop:
                self._at(gap, k, self._arrive_triggered)

    def _arrive_triggered(self, ev) -> None:
        """A post triggered by an incident's jump (value: incident index) or by an earlier post (value: the post),
        dropped when its parent was answered before it came (excite: unanswered)."""
        val = ev._value
        t = self.env.now
        if isinstance(val, int):
            cluster = val
        else:
            if not self._excite_all and 0 <= val.answered_at <= t:
                return
            cluster = val.case.cluster
        self._new_case(t, cluster, triggered=True)

    def _new_case(self, t: float, cluster: int, triggered: bool = False, bystander: bool = False) -> None:
        """A new customer posts about a new problem."""
        intent = (self._incident_intent[cluster - 1] if cluster
                  else (self._pick(self._intent_cum, next(self._intent_u)) if self._intent_cum else 0))
        lang = self.lang_names[self._pick(self._lang_cum, next(self._lang_u))] if self._lang_cum else \
            self.lang_names[0]
        ch = self._pick(self._channel_cum, next(self._channel_u)) if self._channel_cum else 0
        followers = next(self._fol) if self._fol is not None else 0.0
        decile = bisect.bisect_right(self._decile_edges, followers) if self._fol is not None else -1
        tagged = True
        if self._listening is not None:
            tagged = next(self._tag_u) < self._listening.tagged_share
        reply_need = self._reply_need[intent]
        need = reply_need >= 1 or (self._need_u is not None and next(self._need_u) < reply_need)
        if bystander:
            need = False
        dual = False
        measured = 0.0 <= t < self.t_end
        if self._dual_u is not None and self._problem[intent] and next(self._dual_u) < self._also_phone:
            dual = True
            self.count("dual_contacts", t)
            self.count("phone_contacts", t)
        self._next_case += 1
        case = Case(self._next_case, t, intent, lang, ch, followers, decile, cluster, tagged, need, dual, measured)
        case.bystander = bystander
        if measured:
            self._c["first_posts"] += 1
            self._wk["social"] += 1
            if triggered:
                self._c["triggered"] += 1
        self._post(case, FIRST, t)
        if self._extra_p > 0 and need:
            n = next(self._extra_n)
            at = t
            for _ in range(n):
                at += next(self._extra_gap)
                if at > self.t_stop:
                    break
                self._at(at - t, case, self._arrive_extra)

    def _arrive_extra(self, ev) -> None:
        """Another post about the same problem, while it is still unanswered."""
        case = ev._value
        if not case.resolved:
            self._post(case, EXTRA, self.env.now)

    # ---- posts --------------------------------------------------------------------------------------
    def _post(self, case: Case, kind: int, t: float, patience_factor: float = 1.0) -> Post:
        env = self.env
        ch = case.channel
        ih = self._intent_handle[case.intent]
        handle = next(ih) if ih is not None else next(self._handle[ch])
        patience = next(self._patience) * patience_factor if self._patience is not None else math.inf
        measured = 0.0 <= t < self.t_end
        self._next_id += 1
        m = Post(self._next_id, t, case, kind, handle, patience, measured, t + self._intent_sla[case.intent])
        if measured:
            self.totals.arrivals += 1
            self.hours.arrivals[int(t // HOUR)] += 1
            self._open_measured += 1
            self._ic_arr[case.intent][ch] += 1
            if case.decile >= 0:
                self._dec["posts"][case.decile] += 1
            if kind != FIRST:
                self._c[("repeats", "escalations", "extra_posts")[kind - 1]] += 1
                hx = self._hx.get(("repeats", "escalations", "extra_posts")[kind - 1])
                if hx is not None:
                    hx[int(t // HOUR)] += 1
            if self.on_message is not None:
                self._message(m, t, customer=True)
        kids = self._kids
        # only a problem's first post excites (repeats act through the escalation pile-on): with reposts exciting
        # too, an understaffed desk would make the branching ratio exceed 1 and volume explode
        if kids is not None and kind == FIRST and not case.bystander:
            n = next(kids)
            for _ in range(n):
                gap = next(self._kid_gap)
                if t + gap <= self.t_stop:
                    self._at(gap, m, self._arrive_triggered)
        if kind == ESCALATION and self._esc_on:
            for _ in range(next(self._esc_n)):
                gap = next(self._esc_gap)
                if t + gap <= self.t_stop:
                    self._at(gap, m, self._arrive_triggered_all)
        if kind == FIRST and not case.tagged:
            if next(self._tag_u) >= self._listening.coverage:
                m.state = UNSEEN
                if measured:
                    self._c["unseen"] += 1
                    self._resolved(m, 0.0, False)
                if case.need:
                    self._after_patience(m)
                return m
            m.state = PENDING
            delay = next(self._discovery)
            self._at(delay, m, self._found)
            self._after_patience(m)
            return m
        self._enter(m, t)
        return m

    def _arrive_triggered_all(self, ev) -> None:
        """A post by a bystander attracted by a public escalation (always born). Bystanders expect no reply of
        their own and trigger no posts themselves, so a pile-on never feeds on itself (volume would explode)."""
        self._new_case(self.env.now, ev._value.case.cluster, triggered=True, bystander=True)

    def _after_patience(self, m: Post, t: float | None = None) -> None:
        if m.patience != math.inf:
            now = self.env.now
            self._at(max(0.0, m.posted + m.patience - now), m, self._impatient)

    def _found(self, ev) -> None:
        m = ev._value
        if m.state == PENDING:
            self._enter(m, self.env.now, patience_scheduled=True)

    def _enter(self, m: Post, t: float, patience_scheduled: bool = False) -> None:
        """The post reaches the team: answered by a published fix, skipped by triage, started or queued."""
        case = m.case
        if case.cluster and self._fixed[case.cluster]:
            self._answer_by_fix(m, t)
            return
        if case.intent in self._skip:
            m.state = SKIPPED
            if m.measured:
                self._c["skipped"] += 1
                if t < self.t_end:
                    self._hx["skipped"][int(t // HOUR)] += 1
                self._resolved(m, 0.0, False)
            if not patience_scheduled and case.need:
                self._after_patience(m)
            return
        m.state = WAITING
        q, teams = self.router.klass(case.lang, case.channel, self.intents[case.intent].tier)
        for team, translated in teams:
            if team.busy + team.weights[case.channel] <= team.cap:
                self._start(m, t, team, translated)
                return
        if m.measured:
            self.totals.waited += 1
        q.push(m)
        m.queue = q
        if case.cluster:
            self._incident_waiting[case.cluster].append(m)
        if not patience_scheduled:
            self._after_patience(m)

    # ---- replies ------------------------------------------------------------------------------------
    def _first_response(self, m: Post, t: float) -> None:
        m.state = ANSWERED
        m.answered_at = t
        if m.measured:
            wait = self._count_answer(m.posted, t)
            case = m.case
            self.frt.add(wait)
            self._ic_ans[case.intent][case.channel] += 1
            if case.decile >= 0:
                self._dec["answered"][case.decile] += 1
                self._dec_wait[case.decile] += wait
            self._wk["wait"] += wait
            self._wk["answered"] += 1
            self._resolved(m, wait, True)

    def _start(self, m: Post, t: float, team: TeamState, translated: bool) -> None:
        """An agent of ``team`` takes ``m``: the first response, a resolution, maybe a concession."""
        self._advance(t)
        w = team.weights[m.channel]
        team.busy += w
        self.busy += w
        self._first_response(m, t)
        case = m.case
        handle = m.handle * team.handle_factor
        if translated:
            handle *= 1 + self.scenario.staffing.translation_extra
            self.count("translated", t)
        if case.dual and self.policy.integrated_channels:
            handle *= self.policy.integrated_handle_factor
        elif case.dual:
            self.count("worked_twice", t)
        resolution = None
        comp = None
        if self._problem[case.intent] and not case.resolved:
            case.resolved = True
            i = self._pick(self._res_cum, next(self._res_u)) if self._res_cum else 0
            resolution = self._res[i]
            handle += resolution.resolve(self, m, t)
            self.count("resolutions", t)
            if 0 <= t < self.t_end:
                self._wk["resolutions"] += 1
            if self._comp is not None and case.intent in self._comp_intents:
                comp = self._compensate(m, t, team, resolution.name)
        if 0 <= t < self.t_end:
            self._c["handled"] += 1
            self._hx["handled"][int(t // HOUR)] += 1
            self.care.handle_minutes += handle
        if self.on_message is not None and m.measured:
            self._message(m, t, team=team, translated=translated, resolution=resolution, comp=comp)
        self._at(handle, (m, team), self._complete)

    def _compensate(self, m: Post, t: float, team: TeamState, resolution: str):
        case = m.case
        pressure = self.router.size / max(1, self.agents)
        kind, amount = self._comp.offer(next(self._comp_u), next(self._comp_u), case.followers, pressure,
                                        team.training, self.scenario.staffing.untrained_off_policy_factor)
        if kind is None or not (0 <= t < self.t_end):
            return kind
        self.count("comp_" + kind, t)
        self.care.comp_amount += amount
        self._hx["compensation"][int(t // HOUR)] += 1
        self._wk["comp"] += 1
        if case.decile >= 0:
            self._dec["comp"][case.decile] += 1
            self._dec_amount[case.decile] += amount
        if kind == "beyond":
            if case.decile >= 0:
                self._dec["beyond"][case.decile] += 1
            if not self.private[case.channel] and resolution != "dm":
                self.count("precedents_public", t)
                self.care.precedent_audience += case.followers
                self._wk["audience"] += case.followers
            else:
                self.count("precedents_private", t)
        return kind

    def _complete(self, ev) -> None:
        m, team = ev._value
        t = self.env.now
        self._advance(t)
        w = team.weights[m.channel]
        team.busy -= w
        self.busy -= w
        self._dispatch(team, t)

    def _dispatch(self, team: TeamState, t: float) -> None:
        """Let ``team`` take waiting posts while it has room: best key first across the classes it answers
        natively; only when none of those waits, the best it can answer through translation (the fallback)."""
        while True:
            best = None
            best_key = None
            best_tr = True
            room = team.cap - team.busy
            for q, translated, w in team.queues:
                if q.size and w <= room and (best is None or translated == best_tr or not translated):
                    k = q.peek_key()
                    if k is None:
                        continue
                    if best is None or (best_tr and not translated) or k < best_key:
                        best, best_key, best_tr = q, k, translated
            if best is None:
                return
            self._start(best.pop(), t, team, best_tr)

    def _answer_by_fix(self, m: Post, t: float) -> None:
        """The published public fix answers ``m`` (no agent time)."""
        if m.state == WAITING and m.queue is not None:
            m.queue.discard(m)
        self._first_response(m, t)
        m.case.resolved = True
        if m.measured:
            self.count("answered_by_fix", t)
            if self._problem[m.case.intent]:
                self.count("resolutions", t)
            if self.on_message is not None:
                self._message(m, t, fix=True)

    def _publish_fix(self, ev) -> None:
        k = ev._value
        t = self.env.now
        self._fixed[k] = True
        self.count("fix_posts", t)
        if 0 <= t < self.t_end:
            self.care.handle_minutes += self.policy.fix_post_minutes
        for m in self._incident_waiting[k]:
            if m.state == WAITING:
                self._answer_by_fix(m, t)
        self._incident_waiting[k] = []

    # ---- customers ----------------------------------------------------------------------------------
    def _impatient(self, ev) -> None:
        m: Post = ev._value
        st = m.state
        if st == WAITING or st == PENDING:
            if st == WAITING:
                m.queue.discard(m)
            m.state = ABANDONED
            if m.measured:
                tot = self.totals
                tot.abandoned += 1
                tot.wait_abandoned += m.patience
                self._resolved(m, m.patience, False)
        elif st != SKIPPED and st != UNSEEN:
            return
        if m.case.need:
            self.behaviour.on_impatience(self, m)

    def repost(self, m: Post, escalate: bool) -> None:
        """The customer of ``m`` posts again now (a repeat, or a public escalation), within ``max_repeats``."""
        case = m.case
        if case.reposts >= self.scenario.customers.max_repeats or case.resolved:
            return
        case.reposts += 1
        case.tagged = True
        self._post(case, ESCALATION if escalate else REPEAT, self.env.now,
                   self.scenario.customers.repeat_patience_factor)

    def phone_switch(self, m: Post) -> None:
        t = self.env.now
        self.count("phone_switches", t)
        self.count("phone_contacts", t)

    def maybe_repeat_after_deflection(self, m: Post, t: float) -> None:
        if next(self._deflect_u) < self.policy.deflect_repeat:
            gap = -math.log(1.0 - next(self._repeat_gap_u)) * self.policy.deflect_repeat_delay_minutes
            if t + gap <= self.t_stop:
                self._at(gap, m, self._repeat_after_deflection)

    def _repeat_after_deflection(self, ev) -> None:
        m = ev._value
        case = m.case
        if case.reposts < self.scenario.customers.max_repeats:
            case.reposts += 1
            self._post(case, REPEAT, self.env.now, self.scenario.customers.repeat_patience_factor)

    # ---- staffing and weeks -------------------------------------------------------------------------
    def _staffing_change(self, ev) -> None:
        i, level = ev._value
        t = self.env.now
        self._advance(t)
        team = self.teams[i]
        team.set_level(level)
        self._sync_levels()
        self._dispatch(team, t)
        self._schedule_staffing_change()

    def _week_tick(self, ev) -> None:
        """Close a week of the window: its social share of contacts, then move the share (migration)."""
        w = ev._value
        t = self.env.now
        ph = self.scenario.phone
        acc = self._wk
        base_phone = 0.0
        if ph is not None and self._social_share0 < 1:
            # phone demand follows the share: all contacts stay, social's gain is phone's loss
            base_phone = ph.contacts_per_hour * (min(t, self.t_end) - w * WEEK) / 60.0 * \
                (1 - self._share) / (1 - self._social_share0)
            self.care.base_phone_contacts += base_phone
        phone = acc["phone"] + base_phone
        social = acc["social"]
        row = {"week": w, "social_contacts": social, "phone_contacts": phone,
               "social_share": social / (social + phone) if social + phone else math.nan,
               "mean_first_response_minutes": acc["wait"] / acc["answered"] if acc["answered"] else math.nan,
               "compensation_per_resolution": acc["comp"] / acc["resolutions"] if acc["resolutions"] else 0.0,
               "precedent_audience": acc["audience"], "migration_factor": self._mig_factor}
        self._weeks.append(row)
        mig = self._mig
        if mig is not None and ph is not None:
            frt = row["mean_first_response_minutes"]
            speed = 0.0 if math.isnan(frt) or ph.mean_wait_minutes <= 0 else \
                max(-1.0, min(1.0, (ph.mean_wait_minutes - frt) / ph.mean_wait_minutes))
            generosity = row["compensation_per_resolution"] - ph.compensation_rate
            drive = mig.speed_weight * speed + mig.generosity_weight * generosity + \
                mig.precedent_weight * acc["audience"] / mig.audience_scale
            s = self._share
            s = s + mig.weekly_rate * drive * s * (1 - s)
            s0 = self._social_share0
            self._share = min(max(s, 0.01), 0.99, s0 * mig.max_factor)
            self._mig_factor = self._share / s0
            self._restart_migrated()
        self._wk = self._week_acc()
        if (w + 1) * WEEK < self.t_end - 1e-9:
            self._at(min((w + 2) * WEEK, self.t_end) - t, w + 1, self._week_tick)

    # ---- messages -----------------------------------------------------------------------------------
    def _message(self, m: Post, t: float, customer: bool = False, team=None, translated=False, resolution=None,
                 comp=None, fix=False) -> None:
        """Emit one post or reply as a plain dict for the reply log (only when ``on_message`` is set).

        Agents are not tracked one by one in the model; a reply is signed by an agent of its team drawn uniformly
        among those on duty, and complaints carry case facts (days since purchase, order value) drawn from their
        own stream, so the QA checks have what a real log would give them. None of this shifts model draws."""
        case = m.case
        if not hasattr(self, "_facts_u"):
            rng = self.streams.rng("reply_log")
            self._facts_u = block_stream(lambda n: rng.random(n))
            self._case_facts: dict[int, tuple] = {}
        facts = None
        if self.intent_names[case.intent] == "complaint":
            facts = self._case_facts.get(case.id)
            if facts is None:
                facts = self._case_facts[case.id] = (1 + int(next(self._facts_u) * 90),
                                                      round(10 + 190 * next(self._facts_u), 2))
        agent = ""
        if not customer:
            if fix:
                agent = "public-fix"
            else:
                agent = f"{team.name}-{1 + int(next(self._facts_u) * max(1, team.agents)):03d}"
        self.on_message({
            "thread_id": f"r{self.rep}-c{case.id}",
            "message_id": f"r{self.rep}-m{m.id}" + ("" if customer else "-reply"),
            "in_reply_to": "" if customer else f"r{self.rep}-m{m.id}",
            "author": f"customer{case.id}" if customer else "brand",
            "role": "customer" if customer else "brand",
            "channel": self.channel_names[case.channel],
            "public": not self.private[case.channel],
            "minute": t,
            "language": case.lang,
            "agent_id": agent,
            "followers": case.followers,
            "intent": self.intent_names[case.intent],
            "kind": KIND_NAMES[m.kind] if customer else ("public_fix" if fix else (resolution.name if resolution
                                                                                  else "reply")),
            "incident": self.incidents[case.cluster - 1].name if case.cluster else "",
            "translated": bool(translated),
            "compensation": comp or "",
            "wait_minutes": "" if customer else t - m.posted,
            "days_since_purchase": facts[0] if facts else None,
            "order_value": facts[1] if facts else None,
        })

    # ---- running ------------------------------------------------------------------------------------
    def run(self, progress=None, step_minutes: float = 1440.0) -> ReplicationResult:
        env = self.env
        pol = self.policy
        for k, inc in enumerate(self.incidents, start=1):
            start = inc.start_day * 1440.0
            if start >= env.now:
                self._at(start - env.now, k, self._start_incident)
            if pol.public_fix and inc.fix_after_minutes is not None and start + inc.fix_after_minutes >= env.now:
                self._at(start + inc.fix_after_minutes - env.now, k, self._publish_fix)
        self._at(min(WEEK, self.t_end) - env.now, 0, self._week_tick)
        result = super().run(progress, step_minutes)
        result.care, result.tables = self._care_results(result)
        if self.unit != 1:
            result.hours["staffed_slots"] = result.hours["staffed_slots"] / self.unit
        return result

    def _care_results(self, result: ReplicationResult):
        c = self.care
        n = dict(c.counts)
        tot = self.totals
        sc = self.scenario
        costs = sc.costs
        agent_hours = float(sum(self.hours.agent_minutes)) / 60.0
        phone = n["phone_contacts"] + c.base_phone_contacts
        care = {
            "open_at_end": tot.arrivals - tot.answered - tot.abandoned - n["skipped"] - n["unseen"],
            **{k: n[k] for k in CARE_COUNTERS},
            "response_rate": tot.answered / tot.arrivals if tot.arrivals else math.nan,
            "frt_p50_minutes": self.frt.quantile(0.5),
            "frt_p90_minutes": self.frt.quantile(0.9),
            "frt_p99_minutes": self.frt.quantile(0.99),
            "compensation_amount": c.comp_amount,
            "precedent_audience": c.precedent_audience,
            "agent_hours": agent_hours,
            "phone_contacts_total": phone,
        }
        if costs is not None:
            cost = agent_hours * costs.agent_hour + n["phone_contacts"] * costs.phone_contact + \
                n["field_cases"] * costs.field_case + c.comp_amount
            care["cost_total"] = cost
            care["cost_per_resolution"] = cost / n["resolutions"] if n["resolutions"] else math.nan
        weeks = pd.DataFrame(self._weeks)
        if len(weeks):
            care["social_share_first_week"] = float(weeks["social_share"].iloc[0])
            care["social_share_last_week"] = float(weeks["social_share"].iloc[-1])
        rows = []
        for i, name in enumerate(self.intent_names):
            for j, ch in enumerate(self.channel_names):
                a, b = self._ic_arr[i][j], self._ic_ans[i][j]
                rows.append({"intent": name, "channel": ch, "posts": a, "answered": b,
                             "response_rate": b / a if a else math.nan})
        breakdown = pd.DataFrame(rows)
        tables = {"breakdown": breakdown, "weeks": weeks}
        if self._fol is not None:
            d = self._dec
            fairness = pd.DataFrame({
                "decile": range(1, 11),
                "followers_from": [self._followers.minimum] + self._decile_edges,
                "posts": d["posts"], "answered": d["answered"],
                "mean_first_response_minutes": [w / a if a else math.nan for w, a in zip(self._dec_wait, d["answered"])],
                "compensated": d["comp"], "beyond_policy": d["beyond"], "compensation_amount": self._dec_amount,
            })
            tables["fairness"] = fairness
            top = fairness.iloc[9]
            rest_w = sum(self._dec_wait[:9])
            rest_a = sum(d["answered"][:9])
            care["frt_top_decile_minutes"] = float(top["mean_first_response_minutes"])
            care["frt_other_deciles_minutes"] = rest_w / rest_a if rest_a else math.nan
        hx = pd.DataFrame(self._hx)
        for col in hx.columns:
            result.hours[col] = hx[col].to_numpy()
        hours = result.hours
        monday = hours[hours["hour"] % 168 == 7]  # the hour ending Monday 08:00
        care["monday_8am_backlog"] = float(monday["backlog"].mean()) if len(monday) else math.nan
        care["max_oldest_open_hours"] = float(hours["oldest_open_minutes"].max()) / 60.0
        care["handle_minutes"] = c.handle_minutes
        care["handle_minutes_per_reply"] = c.handle_minutes / n["handled"] if n["handled"] else math.nan
        return care, tables

