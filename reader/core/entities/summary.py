"""Per-entity summaries of a text's mentions (for entity lists and panels).

An article's title and body are recognised apart, each with offsets into its
own field; a summary counts the mentions of both (every highlighted mention
is counted) and keeps their spans apart: ``spans`` in the body (where the
panel jumps to), ``title_spans`` in the title.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Label, Mention


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One entity of a text: its key, label, display name and mentions."""

    key: str
    label: Label
    name: str
    """Canonical display name: the longest surface form (first seen on ties)."""
    count: int
    """Mentions in the title and the body."""
    forms: tuple[str, ...]
    """Distinct surface forms, in order of first appearance (title first)."""
    spans: tuple[tuple[int, int], ...]
    """Offsets of the mentions in the body (or the one text summarised)."""
    title_spans: tuple[tuple[int, int], ...] = ()
    """Offsets of the mentions in the title."""


def summarise(mentions: Iterable[Mention], title: Iterable[Mention] = ()) -> list[EntitySummary]:
    """Group the mentions of a body (and of its ``title``) by key; most
    mentioned first, then by first appearance (the title comes first)."""
    groups: dict[str, tuple[list[Mention], list[Mention]]] = {}
    for m in sorted(title, key=lambda m: (m.start, m.end)):
        groups.setdefault(m.key, ([], []))[0].append(m)
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        groups.setdefault(m.key, ([], []))[1].append(m)
    out: list[EntitySummary] = []
    first: dict[str, tuple[int, int]] = {}
    for key, (in_title, in_body) in groups.items():
        ms = in_title + in_body
        forms = tuple(dict.fromkeys(m.text for m in ms))
        name = max(forms, key=len)
        label = Counter(m.label for m in ms).most_common(1)[0][0]
        spans = tuple((m.start, m.end) for m in in_body)
        title_spans = tuple((m.start, m.end) for m in in_title)
        out.append(EntitySummary(key, label, name, len(ms), forms, spans, title_spans))
        first[key] = (0, in_title[0].start) if in_title else (1, in_body[0].start)
    out.sort(key=lambda s: (-s.count, first[s.key]))
    return out
