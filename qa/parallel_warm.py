"""Imported by :mod:`qa.parallel`'s fork server, and only there: warms the QA modules once (:func:`warm`) so
that every worker forked from the server starts with them loaded. Importing it anywhere else costs a second."""

from .parallel import warm

warm()
