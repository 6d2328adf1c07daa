"""How much work a scenario asks for, estimated before running it, so that an absurd run is refused at once.

Every number of a scenario can be within its range (:mod:`sim.bounds`) and the run still be absurd: a million
mentions an hour for ten years, or a branching ratio of 0.999999. The work of a run is the number of posts it
simulates (memory and time grow with it), and the rows of hourly results it keeps. This module estimates both
from the scenario alone, in closed form:

- **new posts** (expected): the organic Poisson volume over the simulated span (warm-up, window and, when the
  desk cannot keep up, the drain after it: until the most patient of the window's customers gives up, or the
  whole ``max_drain_days`` when nobody ever does), the incidents' posts (``jump_per_hour / 60 x decay_minutes`` each), the Hawkes cascade they start (``1 / (1 - ratio)``), and
  further posts about a problem (``1 + extra_posts_mean``). Exact for the Poisson and incident parts; an upper
  bound for cascades with ``excite: unanswered`` and for extra posts (both stop at the first reply).
- **at most**: new posts times everything the customers' behaviour could add if nobody were ever answered:
  ``max_repeats`` reposts per problem, each escalation bringing ``escalation_extra_mentions`` bystanders, and
  migration's ``max_factor``. How much of it happens depends on the service, so it is only a ceiling.

A run is refused when the expected posts exceed the limit, or the ceiling exceeds :data:`CEILING_SLACK` times it
(a scenario whose customers could multiply the volume a hundredfold must say so by raising the limit). Pure
functions: no files, no CLI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .arrivals import WEEK_MINUTES
from .bounds import DEFAULT_MAX_MENTIONS
from .scenario import Scenario, Staffing

__all__ = ["WorkEstimate", "estimate_work", "new_posts", "organic_posts", "refusal", "run_refusal", "DEFAULT_MAX_MENTIONS",
           "CEILING_SLACK", "MAX_HOURLY_ROWS"]

CEILING_SLACK = 10  # the ceiling (every repeat and escalation) may exceed the limit this many times over
MAX_HOURLY_ROWS = 2_000_000  # replications x measured hours kept in memory (about 300 MB)


@dataclass(frozen=True)
class WorkEstimate:
    """The work of ``reps`` replications of a scenario: posts expected and at most, and hourly rows."""

    new_posts: float
    at_most: float
    hourly_rows: int
    span_days: float  # simulated days per replication counted for arrivals
    overloaded: bool  # the desk cannot keep up: arrivals go on after the window until its customers give up


def _mean_handle(sc: Scenario) -> float:
    """Volume-weighted mean handle time over channels (minutes)."""
    if not sc.channels:
        return sc.handling.handle_minutes.mean
    total = sum(c.share for c in sc.channels)
    return sum(c.share / total * (c.handle_minutes or sc.handling.handle_minutes).mean for c in sc.channels)


def _mean_slots(st: Staffing) -> float:
    """Conversation slots on duty, averaged over the week, after shrinkage (teams: their largest concurrency)."""

    def slots(agents, roster, concurrency) -> float:
        if roster is None:
            return float((agents or 0) * concurrency)
        return sum(s.agents * s.concurrency * s.length_minutes * len(s.weekdays) for s in roster) / WEEK_MINUTES

    if st.teams is None:
        total = slots(st.agents, st.roster, st.concurrency)
    else:
        total = sum(slots(t.agents, t.roster, max([st.concurrency, *(t.concurrency or {}).values()]))
                    for t in st.teams)
    return total * (1.0 - st.shrinkage)


def _reposts_possible(sc: Scenario) -> tuple[bool, bool]:
    """(whether a problem can be posted again, whether such a repost can be a public escalation)."""
    cu, pol = sc.customers, sc.policy
    behaviours = {cu.on_impatience} if isinstance(cu.on_impatience, str) else \
        {k for k, w in cu.on_impatience.items() if w > 0}
    impatient = cu.patience_minutes is not None  # without patience nobody ever gives up
    repeat = impatient and bool(behaviours & {"repeat", "escalate"})
    deflect = bool(pol.resolution and pol.resolution.get("phone", 0) > 0 and pol.deflect_repeat > 0)
    return repeat or deflect, impatient and "escalate" in behaviours


def organic_posts(sc: Scenario, start_minute: float, end_minute: float) -> float:
    """Expected organic (baseline Poisson) posts from ``start_minute`` to ``end_minute``: the integral of the
    hour-of-week rate, exact for any span (whole weeks plus the hours of the partial ones)."""
    from .arrivals import weekly_rates

    v = sc.volume
    if end_minute <= start_minute or v.mentions_per_hour == 0:
        return 0.0
    per_hour = weekly_rates(v.mentions_per_hour, v.hourly_profile, v.weekly_profile) * 60.0
    cum = [0.0]
    for r in per_hour.tolist():
        cum.append(cum[-1] + r)

    def integral(t: float) -> float:  # posts from minute 0 to minute t (t may be negative)
        weeks, rest = divmod(t, WEEK_MINUTES)
        hour, frac = divmod(rest / 60.0, 1.0)
        h = min(int(hour), 167)
        return weeks * cum[168] + cum[h] + frac * per_hour[h]

    return integral(end_minute) - integral(start_minute)


def new_posts(sc: Scenario, start_minute: float, end_minute: float) -> float:
    """Expected new posts of one replication from ``start_minute`` to ``end_minute`` (see the module docstring):
    organic volume and incidents starting in the span, with their cascades and extra posts."""
    v = sc.volume
    ex = v.self_excitation
    cascade = 1.0 / (1.0 - ex.branching_ratio) if ex is not None else 1.0
    incidents = sum(i.jump_per_hour / 60.0 * i.decay_minutes for i in v.incidents or []
                    if start_minute <= i.start_day * 1440.0 < end_minute)
    return (organic_posts(sc, start_minute, end_minute) + incidents) * cascade * (1.0 + sc.customers.extra_posts_mean)


# The q-quantile of each time distribution, by its ``dist`` name: how long the most patient of n customers waits.
_QUANTILES = {
    "exponential": lambda d, q: -d.mean * math.log1p(-q),
    "lognormal": lambda d, q: _lognormal_quantile(d.mean, d.sd, q),
    "gamma": lambda d, q: float(_gamma_ppf(q, d.shape, d.mean / d.shape)),
    "deterministic": lambda d, q: d.value,
    "empirical": lambda d, q: max(d.values),
}


def _lognormal_quantile(mean: float, sd: float, q: float) -> float:
    from scipy.stats import norm

    sigma2 = math.log1p((sd / mean) ** 2)
    return math.exp(math.log(mean) - sigma2 / 2 + math.sqrt(sigma2) * float(norm.ppf(q)))


def _gamma_ppf(q: float, shape: float, scale: float) -> float:
    from scipy.stats import gamma

    return float(gamma.ppf(q, shape, scale=scale))


def _drain_days(sc: Scenario, per_minute: float, window_posts: float) -> tuple[float, bool]:
    """(days after the window during which posts keep arriving, whether the desk is overloaded).

    The run ends when every post of the window is answered or abandoned. A desk that keeps up clears them in
    minutes (counted as 0). An overloaded one clears them only as customers give up: about when the most patient
    of the window's customers gives up (the ``1 - 1/n`` quantile of patience), or never without patience (the
    whole ``max_drain_days``)."""
    if per_minute * _mean_handle(sc) < _mean_slots(sc.staffing):
        return 0.0, False
    patience = sc.customers.patience_minutes
    if patience is None:
        return sc.max_drain_days, True
    q = 1.0 - 1.0 / max(2.0, window_posts)
    return min(sc.max_drain_days, _QUANTILES[patience.dist](patience, q) / 1440.0), True


def estimate_work(sc: Scenario, reps: int) -> WorkEstimate:
    """The work of ``reps`` replications of ``sc`` (see the module docstring for what is counted)."""
    v, cu = sc.volume, sc.customers
    ex = v.self_excitation
    cascade = 1.0 / (1.0 - ex.branching_ratio) if ex is not None else 1.0
    per_minute = v.mentions_per_hour / 60.0 * cascade * (1.0 + cu.extra_posts_mean)
    drain, overloaded = _drain_days(sc, per_minute, new_posts(sc, 0.0, sc.horizon_minutes))
    span_days = sc.warmup_days + sc.horizon_days + drain
    posts = reps * new_posts(sc, -sc.warmup_minutes, (sc.horizon_days + drain) * 1440.0)
    repost, escalate = _reposts_possible(sc)
    per_problem = cu.max_repeats * (1.0 + (cu.escalation_extra_mentions if escalate else 0.0)) if repost else 0.0
    growth = sc.migration.max_factor if sc.migration is not None else 1.0
    at_most = posts * (1.0 + per_problem) * growth
    hourly_rows = reps * max(1, math.ceil(sc.horizon_days * 24 - 1e-9))
    return WorkEstimate(posts, at_most, hourly_rows, span_days, overloaded)


def _millions(x: float) -> str:
    return f"{x / 1e6:,.1f} million" if x >= 1e5 else f"{x:,.0f}"


def refusal(est: WorkEstimate, max_mentions: float) -> str | None:
    """Why the run is refused (one line, with the estimate and how to go on), or None when it may run."""
    if not (math.isfinite(est.new_posts) and math.isfinite(est.at_most)):
        return "the work of the run cannot be estimated (a rate or weight is not a finite number)"
    if est.new_posts > max_mentions:
        why = (" (the desk cannot keep up, so posts keep coming until the window's customers give up: "
               f"{est.span_days:,.1f} simulated days a replication)") if est.overloaded else ""
        return (f"the run would simulate about {_millions(est.new_posts)} posts{why}, over the limit of "
                f"{_millions(max_mentions)}: shorten the horizon, lower the volume or run fewer replications, "
                f"or raise the limit with --max-mentions {_round_up(est.new_posts)}")
    if est.at_most > CEILING_SLACK * max_mentions:
        return (f"the run expects about {_millions(est.new_posts)} posts, but its customers' repeats, "
                f"escalations and migration could make it up to {_millions(est.at_most)}, over "
                f"{CEILING_SLACK} times the limit of {_millions(max_mentions)}: lower max_repeats or "
                f"escalation_extra_mentions, or raise the limit with --max-mentions "
                f"{_round_up(est.at_most / CEILING_SLACK)}")
    if est.hourly_rows > MAX_HOURLY_ROWS:
        return (f"the run would keep {est.hourly_rows:,} hourly result rows (replications x hours of the "
                f"window), over the limit of {MAX_HOURLY_ROWS:,}: shorten the horizon or run fewer replications")
    return None


def run_refusal(scenarios: list[Scenario], reps: int, max_mentions: float = DEFAULT_MAX_MENTIONS) -> str | None:
    """:func:`refusal` for running all of ``scenarios`` with ``reps`` replications each (a comparison runs two)."""
    ests = [estimate_work(sc, reps) for sc in scenarios]
    total = WorkEstimate(sum(e.new_posts for e in ests), sum(e.at_most for e in ests),
                         max(e.hourly_rows for e in ests), max(e.span_days for e in ests),
                         any(e.overloaded for e in ests))
    return refusal(total, max_mentions)


def _round_up(x: float) -> int:
    """``x`` rounded up to two significant digits, for a limit the user can type."""
    if x <= 0:
        return 0
    step = 10 ** max(0, int(math.floor(math.log10(x))) - 1)
    return int(math.ceil(x / step) * step)
