"""What the simulator (``sim``) and the QA module (``qa``) both need, below both: neither imports the other.

Config loading with ``file:line`` errors, the reply-log message type and its columns, atomic output writing.
"""
