"""Where an article file stands in the walk's order: the list's "file" order.

A first start lists articles in the order the walk finds their files
(:mod:`reader.core.articles.walk`: roots in the order given; in each folder,
its files by name before its subfolders, depth first), and a second start
lists them in the same order from the store. :class:`FileOrder` gives a sort
key with that order from an article's path, so an article that arrives later
— a file added while the app runs (live reload) or found by a second start's
reconcile — takes its place in the list instead of going to the end, and
the list never differs from the one the next start shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from reader.core.articles.sanitize import display_path

OrderKey = tuple[int, tuple[tuple[int, str], ...]]
"""(rank of the root, then per level: (0, file name) or (1, folder name))."""


class FileOrder:
    """The walk's order over the paths of one archive's roots (spelt as the
    loader spells article paths: :func:`display_path` of root + relative)."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]]) -> None:
        self._roots: list[tuple[str, str]] = []  # (the root, its files' prefix)
        for root in roots:
            shown = os.path.normpath(display_path(os.fspath(root)))
            self._roots.append((shown, os.path.join(shown, "")))

    def key(self, path: str) -> OrderKey:
        """The sort key of the article file at ``path`` (a path under none
        of the roots sorts after every other)."""
        spelt = os.path.normpath(path)
        for rank, (root, prefix) in enumerate(self._roots):
            if spelt == root:  # a root that is a file
                return rank, ((0, os.path.basename(root)),)
            if spelt.startswith(prefix):
                *folders, name = spelt[len(prefix) :].split(os.sep)
                return rank, (*((1, folder) for folder in folders), (0, name))
        return len(self._roots), ()
