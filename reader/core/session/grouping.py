"""Grouping the browse list by folder, source or tag, as newsboat groups
articles by feed: each group has a name and its articles, in list order.

An article with several tags is listed under each of them; sources and tags
that differ only in case are one group (named as first seen); articles with
no source or tag gather under a named placeholder group, listed last.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.articles.article import Article

#: Ways to group, in the order ``z`` cycles through them.
GROUPINGS = ("none", "folder", "source", "tag")

NO_FOLDER = "(top folder)"
NO_SOURCE = "(no source)"
NO_TAG = "(no tag)"


@dataclass(frozen=True, slots=True)
class Group:
    """One group of the list: its name and its articles."""

    name: str
    articles: tuple[Article, ...]


def groups_of(article: Article, by: str) -> tuple[str, ...]:
    """The groups ``article`` belongs to when grouping ``by``."""
    if by == "folder":
        return (posixpath.dirname(article.id) or NO_FOLDER,)
    if by == "source":
        return (article.source or NO_SOURCE,)
    if by == "tag":
        return tuple(dict.fromkeys(article.tags)) or (NO_TAG,)
    return ()


def group_articles(articles: Sequence[Article], by: str) -> list[Group]:
    """``articles`` grouped ``by`` folder, source or tag (none: no groups).
    Groups are sorted by name (case-insensitive), the placeholder last;
    within a group the articles keep their order."""
    if by not in GROUPINGS or by == "none":
        return []
    found: dict[str, list[Article]] = {}
    shown: dict[str, str] = {}  # sources and tags differing only in case are one group
    for article in articles:
        for name in groups_of(article, by):
            key = name if by == "folder" else name.casefold()
            shown.setdefault(key, name)
            found.setdefault(key, []).append(article)
    placeholders = (NO_FOLDER, NO_SOURCE, NO_TAG)
    keys = sorted(found, key=lambda key: (shown[key] in placeholders, key.casefold(), key))
    return [Group(shown[key], tuple(found[key])) for key in keys]


def next_grouping(by: str) -> str:
    """The grouping after ``by`` in :data:`GROUPINGS`."""
    return GROUPINGS[(GROUPINGS.index(by) + 1) % len(GROUPINGS)] if by in GROUPINGS else "none"
