"""Per-entity summaries of a text's mentions (for entity lists and panels)."""

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
    forms: tuple[str, ...]
    """Distinct surface forms, in order of first appearance."""
    spans: tuple[tuple[int, int], ...]


def summarise(mentions: Iterable[Mention]) -> list[EntitySummary]:
    """Group mentions by key; most mentioned first, then by first appearance."""
    groups: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        groups.setdefault(m.key, []).append(m)
    out: list[EntitySummary] = []
    for key, ms in groups.items():
        forms = tuple(dict.fromkeys(m.text for m in ms))
        name = max(forms, key=len)
        label = Counter(m.label for m in ms).most_common(1)[0][0]
        out.append(
            EntitySummary(key, label, name, len(ms), forms, tuple((m.start, m.end) for m in ms))
        )
    first = {s.key: s.spans[0][0] for s in out}
    out.sort(key=lambda s: (-s.count, first[s.key]))
    return out
