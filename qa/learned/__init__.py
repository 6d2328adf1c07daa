"""The learned layer beside the phrase rules: a linear classifier per check over hashed words, trained from
labelled or reviewed replies (``carebench qa train``), combined with the rules at scoring time
(``carebench qa score --model``). See :mod:`qa.learned.train` for how thresholds are chosen and measured.

Functions the app and the pipeline call: :func:`load_model`, :func:`combine` / :class:`BatchScores` (rules +
model), :func:`uncertainty` (which replies to review next), :func:`labels_from_reviews` (reviews as labels).
"""

from .combine import BatchScores, combine, combine_one, uncertainty
from .data import labels_from_reviews, read_labels, training_set
from .model import DEFAULT_MODEL, LearnedModel, ModelError, load_model, save_model
from .train import fit

__all__ = ["BatchScores", "combine", "combine_one", "uncertainty", "labels_from_reviews", "read_labels",
           "training_set", "DEFAULT_MODEL", "LearnedModel", "ModelError", "load_model", "save_model", "fit",
           "resolve_model"]


def resolve_model(name: str | None) -> LearnedModel | None:
    """``None`` -> no model; ``"default"`` -> the model shipped with carebench; else a model file's path."""
    if name is None or name == "none":
        return None
    return load_model(DEFAULT_MODEL if name == "default" else name)
