"""Manual corrections from an article's ``entities:`` metadata."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..articles.article import EntityAnnotation
from .model import Mention, as_label, fold, make_key, relabel_key


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Word-bounded, case-sensitive occurrences of ``needle`` (spaces flexible)."""
    parts = [re.escape(p) for p in needle.split()]
    if not parts:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")
    return [m.span() for m in pattern.finditer(text)]


def _relabelled(mention: Mention, label: str, key: Callable[[str, str], str]) -> str:
    """The key of ``mention`` under ``label``: the canonical key of its text
    with that label when there is one, else its own key relabelled."""
    canonical = key(label, mention.text)
    if canonical != make_key(label, mention.text):
        return canonical
    return relabel_key(mention.key, label)


def apply_overrides(
    text: str,
    mentions: Sequence[Mention],
    annotations: Sequence[EntityAnnotation],
    key: Callable[[str, str], str] = make_key,
) -> list[Mention]:
    """Apply manual annotations to recognised ``mentions`` of ``text``.

    * ``suppress``: drop every mention whose text matches (case/accent-folded);
    * ``relabel``: give matching mentions the annotation's label;
    * ``add``: mark every word-bounded occurrence of the text with the label,
      replacing the mentions it overlaps.

    ``key(label, surface)`` gives the entity key of an added or relabelled
    mention (by default :func:`make_key`; pass the recogniser's canonical keys
    so ``Lougansk`` added by hand stays one entity with ``Louhansk``).
    Annotations with an unknown label or empty text are ignored. The result is
    sorted, non-overlapping and in bounds.
    """
    result = list(mentions)
    for ann in annotations:
        target = " ".join((ann.text or "").split())
        if not target:
            continue
        ftarget = fold(target)
        if ann.action == "suppress":
            result = [m for m in result if fold(m.text) != ftarget]
            continue
        label = as_label(ann.label)
        if label is None:
            continue
        if ann.action == "relabel":
            result = [
                Mention(m.start, m.end, label, m.text, _relabelled(m, label, key))
                if fold(m.text) == ftarget
                else m
                for m in result
            ]
            continue
        # add
        spans = _occurrences(text, target)
        if not spans:
            continue
        added = key(label, target)
        for s, e in spans:
            result = [m for m in result if m.end <= s or m.start >= e]
            result.append(Mention(s, e, label, text[s:e], added))
    result.sort(key=lambda m: (m.start, m.end))
    out: list[Mention] = []
    for m in result:
        if 0 <= m.start < m.end <= len(text) and (not out or m.start >= out[-1].end):
            out.append(m)
    return out
