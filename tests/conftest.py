"""Test settings: Hypothesis runs derandomized so CI cannot flake on a new random example."""

from hypothesis import settings

settings.register_profile("carebench", derandomize=True, print_blob=True)
settings.load_profile("carebench")
