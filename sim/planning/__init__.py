"""Staffing planning: the requirement per interval (Erlang formulas refined by simulation) and rosters of shifts
that cover it at least cost. Pure model code: files, plots and the command line live in
:mod:`sim.planning.report` and :mod:`carebench.staffing_cli`."""

from .erlang import QueueModel, erlang_a, erlang_c_service_level, erlang_c_wait_probability
from .grid import WeekGrid
from .requirement import Requirement, Settings, Target, plan_requirement, with_levels

__all__ = [
    "QueueModel",
    "erlang_a",
    "erlang_c_service_level",
    "erlang_c_wait_probability",
    "WeekGrid",
    "Requirement",
    "Settings",
    "Target",
    "plan_requirement",
    "with_levels",
]
