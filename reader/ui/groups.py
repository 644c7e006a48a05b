"""Group header rows of the sidebar (the list grouped by folder, source or
tag, as newsboat groups by feed). A header's key can never be an article id:
ids are sanitised, and this one starts with a NUL."""

from __future__ import annotations

from reader.core.session.grouping import Group
from reader.ui.widgets.article_list import ListEntry

GROUP_KEY = "\x00group:"


def is_group_key(key: str) -> bool:
    return key.startswith(GROUP_KEY)


def group_name(key: str) -> str:
    return key.removeprefix(GROUP_KEY)


def header_entry(group: Group, *, collapsed: bool, unread: int) -> ListEntry:
    """``▾ Le Monde`` with its counts; ``▸`` when collapsed."""
    count = len(group.articles)
    detail = f"{count} article{'s' if count != 1 else ''}"
    if unread:
        detail += f" · {unread} unread"
    detail += " · Enter opens" if collapsed else " · Enter folds"
    return ListEntry(
        key=GROUP_KEY + group.name,
        title=group.name,
        detail=detail,
        badge=str(count),
        marker="▸" if collapsed else "▾",
    )
