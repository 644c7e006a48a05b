"""The entity labels: the one list shared by article metadata, recognisers and display.

An article's ``entities:`` metadata, the recognisers, the search fields, the
configuration and the UI all speak of the same five labels, in this order
(the order the legend and the panel show them). Other common label names
(OntoNotes, spaCy, CoNLL spellings) map onto them through :func:`as_label`.
It lives with the article model because article metadata validates labels and
sits below the entity package in the dependency order.
"""

from __future__ import annotations

from typing import Final, Literal

Label = Literal["PER", "LOC", "ORG", "MISC", "DATE"]

#: Every label, in display order.
LABELS: Final[tuple[Label, ...]] = ("PER", "LOC", "ORG", "MISC", "DATE")

#: The labels of names (every label but DATE): what a gazetteer can hold.
NAME_LABELS: Final[tuple[Label, ...]] = ("PER", "LOC", "ORG", "MISC")

#: Other label names (OntoNotes, spaCy, long forms) and the label they mean here.
LABEL_ALIASES: Final[dict[str, Label]] = {
    "PERSON": "PER",
    "PERS": "PER",
    "GPE": "LOC",
    "FAC": "LOC",
    "LOCATION": "LOC",
    "PLACE": "LOC",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "TIME": "DATE",
}

_BY_NAME: Final[dict[str, Label]] = {label: label for label in LABELS} | LABEL_ALIASES


def as_label(value: object) -> Label | None:
    """``value`` as a :data:`Label` (case-insensitive, aliases mapped), else ``None``."""
    if not isinstance(value, str):
        return None
    return _BY_NAME.get(value.strip().upper())
