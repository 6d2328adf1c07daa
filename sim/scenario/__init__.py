"""The scenario: a frozen, validated description of one care operation to simulate.

These models hold no I/O; :mod:`sim.loader` turns YAML files and ``--set`` overrides into them. Unknown keys
are refused and strings are never coerced to numbers, because scenario files are also written by other tools.
Times are minutes unless a field name says otherwise.

One module per part of the file: :mod:`.base` (the strict base and shared vocabularies), :mod:`.demand`
(volume and what a mention is), :mod:`.customers`, :mod:`.workforce` (staffing, shifts, teams), :mod:`.policy`
(SLA, response policy, compensation), :mod:`.economics` (phone, migration, costs) and :mod:`.model` (the
scenario that holds them). Import from here: the split is an inside matter.
"""

from __future__ import annotations

from .base import (INTENTS, WEEKDAYS, ImpatienceName, IntentName, Name, ResolutionName, Strict, Weekday,
                   Weight)
from .customers import Customers, Followers
from .demand import Channel, Handling, Incident, Intent, Language, Listening, SelfExcitation, Volume
from .economics import Costs, Migration, Phone
from .model import Scenario, scenario_json_schema
from .policy import Compensation, Policy, Sla
from .workforce import Shift, Staffing, Team

__all__ = [
    "Scenario",
    "Volume",
    "Handling",
    "Channel",
    "Customers",
    "Shift",
    "Staffing",
    "Sla",
    "Policy",
    "Intent",
    "Language",
    "Listening",
    "Followers",
    "SelfExcitation",
    "Incident",
    "Team",
    "Compensation",
    "Phone",
    "Migration",
    "Costs",
    "INTENTS",
    "WEEKDAYS",
    "scenario_json_schema",
]
