"""The carebench workbench (Streamlit): QA audit and planner what-ifs over the same functions as the CLI.

The pages are thin: they collect widget values, call :mod:`sim`, :mod:`qa` or the small helpers here, and show
what comes back. Nothing in this package models a care operation or scores a reply.
"""

__all__ = ["settings", "store", "calibration", "cache", "qa_service", "planner_service", "ui", "main"]
