"""Which recogniser the settings ask for, built here or in a worker process.

:func:`make_recogniser` builds the recogniser a setting names (the rules,
with the user's gazetteer if any, or spaCy when a model is installed) and
words the problems of a bad gazetteer. :func:`recogniser_factory` is the
same as a picklable zero-argument callable: each worker process of
:mod:`reader.core.session.parallel` calls it once, after importing only this
module. :func:`default_recogniser_factory` gives the library's default.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from reader.core.articles.article import Problem
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.entities import (
    Recogniser,
    default_recogniser,
    load_user_gazetteer,
    recogniser_with,
)

__all__ = [
    "RecogniserFactory",
    "default_recogniser_factory",
    "make_recogniser",
    "recogniser_factory",
]


def make_recogniser(
    name: str, gazetteer: str | None, *, batch: bool = False
) -> tuple[Recogniser, list[Problem]]:
    """The recogniser the settings ask for, and the problems of the user
    gazetteer. The batch mode follows the CoNLL convention of the evaluation
    sets (English nationality words are MISC); the reader does not mark them."""
    demonyms: Any = frozenset({"en"}) if batch else False
    problems: list[Problem] = []
    if name == "spacy":
        from reader.core.entities.spacy_backend import SpacyRecogniser, available

        if available():
            return SpacyRecogniser(), problems
        problems.append(Problem("recogniser", "no spaCy model installed; using the rules"))
    if gazetteer:
        additions, messages = load_user_gazetteer(gazetteer)
        shown = display_path(gazetteer)
        for message in messages:
            text = message.removeprefix(f"{gazetteer}: ")
            problems.append(Problem(shown, sanitize_line(text)))
        return recogniser_with(additions, demonyms_as_misc=demonyms), problems
    return default_recogniser(demonyms_as_misc=demonyms), problems


RecogniserFactory = Callable[[], Recogniser]


def default_recogniser_factory() -> Recogniser:
    """The library's default recogniser (nationality words are not entities)."""
    return default_recogniser(demonyms_as_misc=False)


def _settings_recogniser(name: str, gazetteer: str | None, batch: bool) -> Recogniser:
    return make_recogniser(name, gazetteer, batch=batch)[0]


def recogniser_factory(
    name: str = "rules", gazetteer: str | None = None, *, batch: bool = False
) -> RecogniserFactory:
    """A picklable factory of the recogniser the settings ask for
    (:func:`make_recogniser`): each worker builds it once. Its problems (a
    bad user gazetteer) are the caller's to report."""
    return functools.partial(_settings_recogniser, name, gazetteer, batch)
