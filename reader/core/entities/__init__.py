"""Named-entity recognition for French and English articles.

``default_recogniser().recognise(text, lang)`` returns sorted, non-overlapping
:class:`Mention` objects labelled PER, LOC, ORG, MISC or DATE, each with a
canonical ``key`` shared by the entity's aliases (``Poutine`` / ``Putin`` /
``Vladimir Poutine`` -> ``per:vladimir poutine``). Pure Python; the gazetteers
ship in ``data/``.
"""

from __future__ import annotations

from functools import lru_cache

from .gazetteer import Gazetteer, default_gazetteer, load_user_gazetteer
from .model import LABELS, Label, Mention, Recogniser, fold, make_key
from .overrides import apply_overrides
from .rules import RuleRecogniser
from .summary import EntitySummary, summarise

__all__ = [
    "LABELS",
    "EntitySummary",
    "Gazetteer",
    "Label",
    "Mention",
    "Recogniser",
    "RuleRecogniser",
    "apply_overrides",
    "default_gazetteer",
    "default_recogniser",
    "fold",
    "load_user_gazetteer",
    "make_key",
    "recogniser_with",
    "summarise",
]


@lru_cache(maxsize=1)
def default_recogniser() -> Recogniser:
    """The rules + gazetteer recogniser, loaded once."""
    return RuleRecogniser()


def recogniser_with(additions: Gazetteer) -> Recogniser:
    """A recogniser using the shipped gazetteer extended by ``additions``
    (from :func:`load_user_gazetteer`)."""
    return RuleRecogniser(default_gazetteer().merged(additions))
