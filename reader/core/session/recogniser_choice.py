"""The recogniser an archive is opened with, and the id its results are stored under.

:class:`RecogniserChoice` reads the settings once: the recogniser they name
(built now when it is not the default, so a bad user gazetteer is reported
with the archive's problems; built on first use when it is, since a second
start whose entities are all stored never needs it) and the
:func:`~reader.core.store.identity.recogniser_id` that keys the stored
entities. :class:`~reader.core.session.opening.Opening` holds one.
"""

from __future__ import annotations

from typing import Any

from reader.core.articles.article import Problem
from reader.core.entities import Recogniser
from reader.core.session.recognisers import make_recogniser
from reader.core.session.settings import Settings
from reader.core.store.identity import recogniser_id


class RecogniserChoice:
    """The recogniser ``settings`` ask for (``batch``: the evaluation's
    conventions) and its problems and id."""

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        self._name, self._gazetteer, self._batch = settings.recogniser, settings.gazetteer, batch
        self._built: Recogniser | None = None
        problems: list[Problem] = []
        if settings.recogniser == "rules" and not settings.gazetteer and not batch:
            from reader.core.entities.rules import RuleRecogniser

            named: Any = RuleRecogniser  # the library's default: built when first needed
        else:
            self._built, problems = make_recogniser(
                settings.recogniser, settings.gazetteer, batch=batch
            )
            named = self._built
        self.problems = problems
        """A user gazetteer's problems."""
        self.id = recogniser_id(named, gazetteer=settings.gazetteer, options=f"batch={batch}")
        """What the store keys its entities by."""

    @property
    def recogniser(self) -> Recogniser:
        """The recogniser itself (built on first use)."""
        if self._built is None:
            self._built = make_recogniser(self._name, self._gazetteer, batch=self._batch)[0]
        return self._built

    @property
    def for_library(self) -> Recogniser | None:
        """What a new library recognises with: None while it is the default,
        which the library builds when it first recognises."""
        return self._built
