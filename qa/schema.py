"""The reply schema the QA module reads: defined in :mod:`carebench_shared.messages` (the simulator writes it
too, and neither half imports the other); re-exported here, where the QA code has always found it."""

from carebench_shared.messages import MESSAGE_COLUMNS, REQUIRED_COLUMNS, ROLES, Message, message_json_schema

__all__ = ["Message", "MESSAGE_COLUMNS", "REQUIRED_COLUMNS", "ROLES", "message_json_schema"]
