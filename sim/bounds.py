"""The documented range of every number in a scenario (README, "Numeric ranges").

Each bound is far beyond any real care operation and well inside what floats, integers and memory handle, so a
scenario inside them never overflows, never produces NaN and never asks for unbounded memory. Work (how many
mentions a run simulates) is bounded separately by :mod:`sim.budget`, because it depends on several numbers at
once. Every number must also be finite: the models refuse infinities and NaN (``allow_inf_nan=False``).
"""

from __future__ import annotations

__all__ = ["MAX_DAYS", "MAX_MINUTES", "MIN_MEAN_MINUTES", "MAX_RATE", "MAX_WEIGHT", "MIN_LARGEST_WEIGHT", "MAX_AGENTS",
           "MAX_CONCURRENCY", "MAX_COUNT", "MAX_TIER", "MAX_FACTOR", "MAX_AMOUNT", "MAX_FOLLOWERS", "MIN_ALPHA",
           "MIN_SHAPE", "MAX_SHAPE", "MAX_SEED", "MAX_REPLICATIONS", "MAX_JOBS", "MAX_NAME", "DEFAULT_MAX_MENTIONS"]

MAX_DAYS = 3660.0  # horizon, warm-up, drain and incident start: ten years
MAX_MINUTES = MAX_DAYS * 1440.0  # any time or mean time in minutes (5,270,400)
MIN_MEAN_MINUTES = 1e-6  # smallest mean of a time distribution (keeps sd / mean and scale finite)
MAX_RATE = 1_000_000.0  # mentions, incident jump or phone contacts per hour
MAX_WEIGHT = 1_000_000.0  # a share or relative weight (profiles, intents, channels, behaviours)
MIN_LARGEST_WEIGHT = 1e-6  # the largest weight of a profile: smaller ones multiply to 0.0 (rates would be NaN)
MAX_AGENTS = 100_000  # agents of a team, shift or the whole operation
MAX_CONCURRENCY = 1_000  # conversations one agent holds at once
MAX_COUNT = 1_000.0  # posts one post triggers or repeats (escalation crowd, extra posts, max repeats)
MAX_TIER = 100
MAX_FACTOR = 1_000.0  # multipliers, slopes and extra shares
MAX_AMOUNT = 1e12  # money (compensation, costs)
MAX_FOLLOWERS = 1e10  # minimum follower count of the Pareto tail
MIN_ALPHA = 0.1  # Pareto tail index: smaller would overflow a float on extreme draws
MIN_SHAPE, MAX_SHAPE = 1e-3, 1e6  # gamma shape
MAX_SEED = 2**63 - 1  # seeds are stored in int64 columns
MAX_REPLICATIONS = 10_000
MAX_JOBS = 64  # worker processes (--jobs, --workers): more would exhaust memory long before they help (qa: 64 too)
MAX_NAME = 200  # characters of a name (scenario, channel, team, ...)
DEFAULT_MAX_MENTIONS = 30_000_000  # work of one run, posts (sim.budget; about 2-7 minutes on one core, README "Speed")
