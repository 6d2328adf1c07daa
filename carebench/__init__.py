"""carebench: a QA and simulation test-bench for social customer care (command-line edge)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
