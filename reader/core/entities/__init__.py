"""Named-entity recognition for French and English articles.

``default_recogniser().recognise(text, lang)`` returns sorted, non-overlapping
:class:`Mention` objects labelled PER, LOC, ORG, MISC or DATE, each with a
canonical ``key`` shared by the entity's aliases (``Poutine`` / ``Putin`` /
``Vladimir Poutine`` -> ``per:vladimir poutine``). Pure Python; the gazetteers
ship in ``data/``.

Where things are: the default recogniser is :mod:`.rules` (steps in
:mod:`.tokens`, :mod:`.runs`, :mod:`.classify`, :mod:`.guess`,
:mod:`.propagate`; word lists in :mod:`.cues`, :mod:`.lexicon`,
:mod:`.gazetteer`); one article's entities come from
:mod:`.article_entities` (code blanked by :mod:`.entity_text`, annotations by
:mod:`.overrides`, panels from :mod:`.summary`); the corpus from
:mod:`.catalogue`; saved spans from :mod:`.export`; the optional spaCy
recogniser is :mod:`.spacy_backend`. Labels and elisions are shared with the
article metadata: :mod:`reader.core.articles.labels`,
:mod:`reader.core.articles.elision`.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from .gazetteer import Gazetteer, default_gazetteer, load_user_gazetteer
from .model import LABELS, Label, Mention, Recogniser, fold, make_key
from .overrides import apply_overrides
from .rules import DEMONYMS_AS_MISC_DEFAULT, RuleRecogniser
from .summary import EntitySummary, summarise

__all__ = [
    "DEMONYMS_AS_MISC_DEFAULT",
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


@lru_cache(maxsize=4)
def default_recogniser(
    demonyms_as_misc: bool | Collection[str] = DEMONYMS_AS_MISC_DEFAULT,
) -> Recogniser:
    """The rules + gazetteer recogniser, loaded once per setting.

    ``demonyms_as_misc`` (see :class:`RuleRecogniser`): by default English
    nationality and religion words (*French*, *Catholic*) are MISC, the CoNLL
    convention the evaluation follows; pass ``False`` where demonyms should not
    be highlighted. Pass a hashable value (``bool``, ``frozenset``, tuple)."""
    return RuleRecogniser(demonyms_as_misc=demonyms_as_misc)


def recogniser_with(
    additions: Gazetteer,
    demonyms_as_misc: bool | Collection[str] = DEMONYMS_AS_MISC_DEFAULT,
) -> Recogniser:
    """A recogniser using the shipped gazetteer extended by ``additions``
    (from :func:`load_user_gazetteer`)."""
    return RuleRecogniser(default_gazetteer().merged(additions), demonyms_as_misc)
