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
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from heapq import merge

from reader.core.articles.article import Article
from reader.core.articles.sanitize import display_path
from reader.core.articles.walk import in_hidden

OrderKey = tuple[int, tuple[tuple[int, str], ...]]
"""(rank of the root, then per level: (0, file name) or (1, folder name))."""


class FileOrder:
    """The walk's order over the paths of one archive's roots (spelt as the
    loader spells article paths: :func:`display_path` of root + relative).

    Article paths are display paths, so among files whose names hold control
    or bidi characters (shown as placeholders) or undecodable bytes, a file
    found later may land next to, not exactly at, the place the walk gives it.
    """

    def __init__(self, roots: Iterable[str | os.PathLike[str]]) -> None:
        self._roots: list[tuple[str, str]] = []  # (the root, its files' prefix)
        for root in roots:
            shown = os.path.normpath(display_path(os.fspath(root)))
            prefix = "" if shown == os.curdir else os.path.join(shown, "")
            self._roots.append((shown, prefix))

    def key(self, path: str) -> OrderKey:
        """The sort key of the article file at ``path`` (a path under none
        of the roots sorts after every other)."""
        spelt = os.path.normpath(path)
        for rank, (root, prefix) in enumerate(self._roots):
            if spelt == root:  # a root that is a file
                return rank, ((0, os.path.basename(root)),)
            if prefix:
                if not spelt.startswith(prefix):
                    continue
                relative = spelt[len(prefix) :]
            elif os.path.isabs(spelt) or spelt.split(os.sep, 1)[0] == os.pardir:
                continue  # not under the current folder
            else:
                relative = spelt
            if in_hidden(relative):
                continue  # this root's walk skips it: another root reaches it
            *folders, name = relative.split(os.sep)
            return rank, (*((1, folder) for folder in folders), (0, name))
        return len(self._roots), ()


def place(articles: list[Article], new: Sequence[Article], order: FileOrder) -> None:
    """Put ``new`` into ``articles`` (in file order) at their places: a
    binary search each for a few, one merge for many (a large reconcile).
    The articles already listed keep their order among themselves."""
    key = order.key

    def of(article: Article) -> OrderKey:
        return key(article.path)

    if len(new) > _FEW:
        articles[:] = list(merge(articles, sorted(new, key=of), key=of))
        return
    for article in new:
        articles.insert(bisect_right(articles, of(article), key=of), article)


_FEW = 32
